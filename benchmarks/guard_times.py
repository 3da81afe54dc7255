"""Time the SPARQL guard (t2dm_onto.sparql_guard.check_query) against input size: it must stay linear.

Usage: python benchmarks/guard_times.py [--repeat 5]

For each kind of text (every canned query joined, a long plain query, worst cases for the
scanner: brackets, quotes, dotted names, IRIs) the script prints the median time at 1x,
10x and 100x the size and the per-byte cost; the limits are lifted so the whole text is
scanned. Nothing is asserted; this only measures.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import time

from t2dm_onto.catalog import Catalog
from t2dm_onto.errors import T2DMError
from t2dm_onto.sparql_guard import check_query


def _seconds(text: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        with contextlib.suppress(T2DMError):
            check_query(text, max_bytes=10**9, max_depth=10**9, max_operators=10**9)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    canned = "\n".join(q.sparql for q in Catalog())
    units = {
        "canned queries": canned,
        "triple patterns": "?s <https://w3id.org/t2dm-onto/increases> ?o . " * 40,
        "brackets": "(" * 2000,
        "quotes": "'a' " * 500,
        "dotted names": "a." * 1000,
        "IRIs": "<http://www.w3.org/2002/07/owl#Thing> " * 60,
    }
    print(f"{'text':<18} {'bytes (1x)':>10} {'1x ms':>8} {'10x ms':>8} {'100x ms':>8} {'ns/byte @100x':>14}")
    for name, unit in units.items():
        ms = [_seconds(unit * n, args.repeat) * 1000 for n in (1, 10, 100)]
        per_byte = ms[2] * 1e6 / len((unit * 100).encode())
        print(f"{name:<18} {len(unit.encode()):>10,} {ms[0]:8.2f} {ms[1]:8.2f} {ms[2]:8.2f} {per_byte:14.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
