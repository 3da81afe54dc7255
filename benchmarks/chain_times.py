"""Time the chain queries and explain's search, with and without the context filter.

Usage: python benchmarks/chain_times.py [--claims 10000] [--store oxigraph] [--repeat 5] [--before DIR]

Runs causal-paths, mediators-increasing and mediators-decreasing (transitive, four
hops) on the review and on a synthetic knowledge base of --claims claims
(benchmarks/synthetic.py, seed 7), each with consistent_context false and true where
the query declares the parameter, and explain's Python search (find_chains) for the
causal-paths pair. --before points at another queries/ folder (e.g. an older
version: ``git archive main queries | tar -x -C /tmp/old``, then ``--before
/tmp/old/queries``); both are timed on the same data, in turn, so a busy machine
slows both alike (explain's search is the current code in both columns). Prints a
table of medians; no time is asserted anywhere.
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


def _timed(run: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = run()
    return (time.perf_counter() - t0) * 1000, out


def _cases(kb: KnowledgeBase) -> list[tuple[str, Callable[[], int]]]:
    """(label, run -> number of answers) for each measured case this knowledge base's catalog supports."""
    out = []
    for name, args in CASES:
        declared = {p.name for p in kb.catalog.get(name).params}
        for consistent in (False, True):
            if consistent and "consistent_context" not in declared:
                continue
            extra = {"consistent_context": True} if consistent else {}
            out.append((name + (" consistent_context" if consistent else ""),
                        lambda name=name, args=args, extra=extra: len(kb.query(name, **args, **extra))))
    graph = load_graph(kb)
    source, target = kb.resolve(CASES[0][1]["source"]), kb.resolve(CASES[0][1]["target"])
    for consistent in (False, True):
        out.append(("explain find_chains" + (" consistent_context" if consistent else ""),
                    lambda c=consistent: len(find_chains(graph, source, target, 4, consistent_context=c).chains)))
    return out


def measure(after: KnowledgeBase, before: KnowledgeBase | None, size: str, repeat: int) -> list[tuple[str, ...]]:
    """Median ms of each case, the two versions run in turn so that a busy machine slows both alike."""
    old = dict(_cases(before)) if before is not None else {}
    rows = []
    for label, run in _cases(after):
        times: dict[str, list[float]] = {"after": [], "before": []}
        answers = {}
        for _ in range(repeat):
            for version, job in (("after", run), ("before", old.get(label))):
                if job is not None:
                    ms, answers[version] = _timed(job)
                    times[version].append(ms)
        cells = [f"{statistics.median(times[v]):.1f}" if times[v] else "-" for v in ("before", "after")]
        rows.append((size, label, *cells, str(answers["after"])))
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, default=10000, help="size of the synthetic knowledge base (0: review only)")
    ap.add_argument("--store", default="oxigraph")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--before", help="an older queries/ folder to time beside the package's")
    ap.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "t2dm-onto-bench"))
    args = ap.parse_args(argv)
    from benchmarks.synthetic import generate

    def pair(ontology: Path | None) -> tuple[KnowledgeBase, KnowledgeBase | None]:
        kw: dict[str, Any] = {"ontology": ontology} if ontology else {}
        before = KnowledgeBase(args.store, catalog=Catalog(Path(args.before)), **kw) if args.before else None
        return KnowledgeBase(args.store, **kw), before

    rows = measure(*pair(None), "review", args.repeat)
    if args.claims:
        path = Path(args.workdir) / f"kb-{args.claims}.nt"
        if not path.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            generate(path, args.claims, seed=7)
        rows += measure(*pair(path), str(args.claims), args.repeat)
    head = ("claims", "case", "before ms", "after ms", "answers")
    widths = [max(len(r[i]) for r in (head, *rows)) for i in range(len(head))]
    for r in (head, tuple("-" * w for w in widths), *rows):
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
