"""Time the maps, the explained chains and the documentation site, as a user runs them.

Usage: python benchmarks/render_times.py [--repeat 3] [--out DIR] [--json FILE]

Each command runs as a fresh ``t2dm-onto`` process (so import and load time
count, as they do for a user); the median wall time of --repeat runs is
printed with the size of what it wrote. No time is asserted anywhere.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CASES: list[tuple[str, list[str], str | None]] = [
    ("graph --focus RANKL (svg)", ["graph", "--focus", "RANKL", "-o", "{out}/rankl.svg"], "rankl.svg"),
    ("graph --focus RANKL --depth 2 (png)", ["graph", "--focus", "RANKL", "--depth", "2", "-o", "{out}/rankl2.png"],
     "rankl2.png"),
    ("graph --focus hyperglycaemia --depth 3 down (html)",
     ["graph", "--focus", "hyperglycaemia", "--depth", "3", "--direction", "down", "-o", "{out}/hg.html"], "hg.html"),
    ("graph --query causal-paths (svg)",
     ["graph", "--query", "causal-paths", "source=hyperglycaemia", "target=osteoclast", "-o", "{out}/paths.svg"],
     "paths.svg"),
    ("graph --section 2.5 --lang zh (png)", ["graph", "--section", "2.5", "--lang", "zh", "-o", "{out}/s25.png"],
     "s25.png"),
    ("graph --overview (svg)", ["graph", "--overview", "-o", "{out}/overview.svg"], "overview.svg"),
    ("graph --overview (png)", ["graph", "--overview", "-o", "{out}/overview.png"], "overview.png"),
    ("graph --overview --lang zh (png)", ["graph", "--overview", "--lang", "zh", "-o", "{out}/overview_zh.png"],
     "overview_zh.png"),
    ("graph --overview (html)", ["graph", "--overview", "-o", "{out}/overview.html"], "overview.html"),
    ("explain hyperglycaemia osteoclast (4 hops)", ["explain", "hyperglycaemia", "osteoclast"], None),
    ("explain hyperglycaemia osteoporosis (8 hops)",
     ["explain", "hyperglycaemia", "osteoporosis", "--max-hops", "8", "--limit", "0"], None),
    ("docs (pyLODE + pages + maps)", ["docs", "-o", "{out}/site"], "site"),
    ("docs --no-maps --no-ontology", ["docs", "-o", "{out}/plain", "--no-maps", "--no-ontology"], "plain"),
]


def size(path: Path) -> str:
    if path.is_dir():
        files = [p for p in path.rglob("*") if p.is_file()]
        return f"{len(files)} files, {sum(p.stat().st_size for p in files) / 1e6:.1f} MB"
    return f"{path.stat().st_size / 1e3:.0f} kB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, help="keep the outputs in this folder")
    parser.add_argument("--json", type=Path, help="also write the numbers as JSON")
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="t2dm-render-"))
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for name, argv, product in CASES:
        argv = [a.format(out=out) for a in argv]
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "t2dm_onto", *argv], capture_output=True, text=True)
            times.append(time.perf_counter() - t0)
            if proc.returncode != 0:
                print(f"{name}: failed: {proc.stderr.strip()}", file=sys.stderr)
                return 1
        rows.append({"case": name, "median_s": round(statistics.median(times), 2),
                     "output": size(out / product) if product else f"{len(proc.stdout.splitlines())} lines"})
    width = max(len(r["case"]) for r in rows)
    print(f"{'case':<{width}}  {'median s':>8}  output")
    for r in rows:
        print(f"{r['case']:<{width}}  {r['median_s']:>8.2f}  {r['output']}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
