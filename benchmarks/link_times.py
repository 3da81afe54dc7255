"""Time `t2dm-onto link` on real ontology files and `claims-under` with and without them.

Usage: python benchmarks/link_times.py FILE... [--term CURIE]... [--repeat 3]

Each FILE (OWL, Turtle, OBO...) is linked into a throw-away T2DM_ONTO_HOME; the script
prints the link time and the median wall time of `t2dm-onto query claims-under` per term,
linked and with --no-links. Nothing is asserted; this only measures.
Example: python benchmarks/link_times.py hp.obo --term HP:0000118 --term GO:0001503
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time


def _run(env: dict[str, str], *args: str) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "t2dm_onto", *args], env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="+")
    ap.add_argument("--term", action="append", default=[])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    terms = args.term or ["GO:0001503"]
    with tempfile.TemporaryDirectory(prefix="t2dm-link-bench-") as home:
        env = {**os.environ, "T2DM_ONTO_HOME": home}
        print(f"{'step':<48} {'seconds':>8}")
        print(f"{'link ' + ' '.join(os.path.basename(f) for f in args.files):<48} {_run(env, 'link', *args.files):8.2f}")
        for term in terms:
            for extra in ((), ("--no-links",)):
                times = [_run(env, "query", "claims-under", f"term={term}", "--format", "csv", *extra)
                         for _ in range(args.repeat)]
                label = f"claims-under term={term} {' '.join(extra) or '(linked)'}"
                print(f"{label:<48} {statistics.median(times):8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
