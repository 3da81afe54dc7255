"""Time the chain queries and explain's search, with and without the context filter.

Usage: python benchmarks/chain_times.py [--claims 10000] [--store oxigraph] [--repeat 5]
                                        [--queries DIR] [--label after]

Runs causal-paths, mediators-increasing and mediators-decreasing (transitive, four
hops) on the review and on a synthetic knowledge base of --claims claims
(benchmarks/synthetic.py, seed 7), each with consistent_context false and true where
the query declares the parameter, and explain's Python search (find_chains) for the
causal-paths pair. --queries points at another queries/ folder (e.g. an older
version, ``git archive main queries | tar -x -C /tmp/old``) to compare before and
after on the same data. Prints a table of medians; no time is asserted anywhere.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from t2dm_onto import KnowledgeBase
from t2dm_onto.catalog import Catalog
from t2dm_onto.explain import find_chains
from t2dm_onto.viz.model import load_graph

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

CASES: list[tuple[str, dict[str, Any]]] = [
    ("causal-paths", {"source": "hyperglycaemia", "target": "bone loss", "max_hops": 4}),
    ("mediators-increasing", {"target": "RANKL", "transitive": True, "max_hops": 4}),
    ("mediators-decreasing", {"target": "BMD", "transitive": True, "max_hops": 4}),
]


def median_ms(run: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = run()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), out


def measure(kb: KnowledgeBase, size: str, repeat: int, label: str) -> list[tuple[str, ...]]:
    rows = []
    for name, args in CASES:
        declared = {p.name for p in kb.catalog.get(name).params}
        for consistent in (False, True):
            if consistent and "consistent_context" not in declared:
                continue
            extra = {"consistent_context": True} if consistent else {}
            ms, result = median_ms(lambda name=name, args=args, extra=extra: kb.query(name, **args, **extra), repeat)
            rows.append((label, size, name + (" consistent_context" if consistent else ""), f"{ms:.1f}",
                         str(len(result))))
    graph = load_graph(kb)
    source, target = kb.resolve(CASES[0][1]["source"]), kb.resolve(CASES[0][1]["target"])
    for consistent in (False, True):
        ms, answer = median_ms(lambda c=consistent: find_chains(graph, source, target, 4, consistent_context=c),
                               repeat)
        rows.append((label, size, "explain find_chains" + (" consistent_context" if consistent else ""),
                     f"{ms:.1f}", str(len(answer.chains))))
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, default=10000, help="size of the synthetic knowledge base (0: review only)")
    ap.add_argument("--store", default="oxigraph")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--queries", help="a queries/ folder to run instead of the package's")
    ap.add_argument("--label", default="this tree", help="the first column of the table")
    ap.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "t2dm-onto-bench"))
    args = ap.parse_args(argv)
    from benchmarks.synthetic import generate

    catalog = Catalog(Path(args.queries)) if args.queries else Catalog()
    rows = measure(KnowledgeBase(args.store, catalog=catalog), "review", args.repeat, args.label)
    if args.claims:
        path = Path(args.workdir) / f"kb-{args.claims}.nt"
        if not path.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            generate(path, args.claims, seed=7)
        kb = KnowledgeBase(args.store, ontology=path, catalog=catalog)
        rows += measure(kb, str(args.claims), args.repeat, args.label)
    head = ("version", "claims", "query", "median ms", "rows")
    widths = [max(len(r[i]) for r in (head, *rows)) for i in range(len(head))]
    for r in (head, tuple("-" * w for w in widths), *rows):
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
