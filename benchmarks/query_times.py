"""Time the canned queries: cold CLI start, load, and the median of repeated runs per store.

Usage: python benchmarks/query_times.py [--stores oxigraph,rdflib] [--repeat 5] [--json FILE]

Prints a table. rdflib is opt-in: several canned queries take minutes on it
(see tests/test_compliance.py), so each rdflib run is cut off after --rdflib-timeout s.
No time is asserted anywhere; this script only measures.
"""

from __future__ import annotations

import argparse
import json
import platform
import signal
import statistics
import subprocess
import sys
import time

from t2dm_onto import KnowledgeBase
from t2dm_onto.catalog import Catalog


class _Timeout(Exception):
    pass


def _alarm(*_args):
    raise _Timeout


def cold_cli(repeat: int) -> float:
    """Median wall time of a fresh process answering the main job."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "t2dm_onto", "query", "mediators-increasing", "target=RANKL"],
                       check=True, capture_output=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stores", default="oxigraph")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--rdflib-timeout", type=int, default=60)
    ap.add_argument("--json", help="also write the rows as JSON to this file")
    args = ap.parse_args()
    catalog = Catalog()
    rows = []
    print(f"# machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}")
    print(f"cold CLI query (mediators-increasing target=RANKL), median of {args.repeat}: "
          f"{cold_cli(args.repeat) * 1000:.0f} ms")
    for store in args.stores.split(","):
        t0 = time.perf_counter()
        kb = KnowledgeBase(store)
        _ = kb.entities
        load_ms = (time.perf_counter() - t0) * 1000
        print(f"\n{store}: load + entity index {load_ms:.0f} ms, {kb.backend.triples()} triples")
        print(f"{'query':<30} {'rows':>5} {'median ms':>10}")
        for q in catalog:
            times, n = [], 0
            signal.signal(signal.SIGALRM, _alarm)
            try:
                for _ in range(args.repeat):
                    signal.alarm(args.rdflib_timeout if store == "rdflib" else 0)
                    t1 = time.perf_counter()
                    n = len(kb.query(q.name, **q.example_args()))
                    times.append((time.perf_counter() - t1) * 1000)
                    signal.alarm(0)
                median = statistics.median(times)
                print(f"{q.name:<30} {n:>5} {median:>10.1f}")
            except Exception:  # the alarm surfaces as the backend's error
                signal.alarm(0)
                median = None
                print(f"{q.name:<30} {'-':>5} {'>' + str(args.rdflib_timeout * 1000):>10}")
            rows.append({"store": store, "size": "review", "query": q.name, "median_ms": median, "rows": n})
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(rows, fh, indent=2)


if __name__ == "__main__":
    main()
