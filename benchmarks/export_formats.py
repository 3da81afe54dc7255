"""Time and size the exchange exports (BEL, KGX, nanopublications, GraphML, CX2).

Usage: python benchmarks/export_formats.py [--repeat 3] [--json FILE]

Prints, per format, the median wall time of an export from an already open
knowledge base (model read + write) and the bytes written. No time is asserted
anywhere; this script only measures.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from t2dm_onto import KnowledgeBase
from t2dm_onto.export import export

FORMATS = {"bel": "kb.bel", "kgx": "kgx", "nanopub": "kb.trig", "graphml": "kb.graphml", "cx2": "kb.cx2"}


def size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.iterdir()) if path.is_dir() else path.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the numbers as JSON")
    args = parser.parse_args()
    kb = KnowledgeBase()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for fmt, name in FORMATS.items():
            times = []
            for i in range(args.repeat):
                out = Path(tmp) / f"{i}-{name}"
                t0 = time.perf_counter()
                export(kb, fmt, out)
                times.append(time.perf_counter() - t0)
            rows.append({"format": fmt, "median_s": round(statistics.median(times), 3), "bytes": size(out)})
    print(f"{'format':<10}{'median s':>10}{'bytes':>12}")
    for r in rows:
        print(f"{r['format']:<10}{r['median_s']:>10.3f}{r['bytes']:>12}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
