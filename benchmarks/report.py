"""Turn benchmarks/run.py's JSON into the committed results: a Markdown table and a plot of time against size.

Usage: python benchmarks/report.py RESULTS.json [MORE.json ...] --out docs/benchmarks

Writes ``results.md`` (machine, per-query medians per size and store, load,
memory, cold start, validation, and how the targets fare) and, with matplotlib
installed (``pip install 't2dm-onto[bench]'``), ``time_vs_size.png`` (one panel
per query, one line per store, log-log). Several JSON files are merged, so the
10^6 run can be made apart from the others.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
from collections import defaultdict
from pathlib import Path
from typing import Any

TARGET_MS = 100.0
DEFAULT = "oxigraph"
PREPARED = "oxigraph-disk"


def load(paths: list[Path]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The measurement rows of all files, and the first file's machine (with the runs' settings merged in)."""
    rows: list[dict[str, Any]] = []
    machine: dict[str, Any] = {}
    for path in paths:
        settings: dict[str, Any] = {}
        for row in json.loads(Path(path).read_text(encoding="utf-8")):
            if "machine" in row:
                machine = machine or dict(row["machine"])
                settings = row.get("settings") or {}
                for key, value in settings.items():
                    machine.setdefault("settings", {}).setdefault(key, value)
            else:
                if row.get("store") == "rdflib" and "rdflib_timeout_s" in settings:
                    row = {**row, "cutoff_s": settings["rdflib_timeout_s"]}  # this run's own cut-off
                rows.append(row)
    return rows, machine


def _ms(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    if value < 10:
        return f"{value:.1f}"
    return f"{value:,.0f}"


def _cell(row: dict[str, Any] | None) -> str:
    if row is None:
        return ""
    if row["status"] != "ok":
        # the toolkit's own --timeout reports "did not finish within N s": a timeout too
        return "timeout" if row["status"] == "timeout" or "did not finish" in row["status"] else "error"
    return _ms(row["median_ms"])


def sizes_and_stores(rows: list[dict[str, Any]]) -> tuple[list[int], list[str]]:
    sizes = sorted({r["size"] for r in rows if "query" in r})
    order = ["oxigraph", "oxigraph-disk", "oxigraph-server", "rdflib"]
    stores = sorted({r["store"] for r in rows if "query" in r}, key=lambda s: order.index(s) if s in order else 9)
    return sizes, stores


def growth(points: list[tuple[int, float]]) -> float | None:
    """Least-squares slope of log(time) against log(size): the exponent k in time ∝ size^k; None under two sizes."""
    if len({n for n, _t in points}) < 2:
        return None
    xs, ys = [math.log(n) for n, _t in points], [math.log(t) for _n, t in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


def not_run(rows: list[dict[str, Any]], machine: dict[str, Any], sizes: list[int], stores: list[str],
            notes: dict[tuple[str, int], str]) -> dict[tuple[str, int], str]:
    """Why each store × size without figures has none: a given note, else the memory it would need.

    The memory is the peak RSS extrapolated along the slope between the two largest
    sizes measured (below them the interpreter's fixed footprint flattens the
    curve), compared with the machine's RAM.
    """
    measured = {(r["store"], r["size"]) for r in rows if "query" in r}
    rss = defaultdict(list)
    for r in rows:
        if r.get("peak_rss_mb"):
            rss[r["store"]].append((r["size"], r["peak_rss_mb"]))
    out: dict[tuple[str, int], str] = {}
    ram_mb = float(machine.get("memory_gb") or 0) * 1024
    for store in stores:
        for size in sizes:
            if (store, size) in measured:
                continue
            why = notes.get((store, size), "not measured in this run")
            pts = sorted(rss.get(store, []))[-2:]
            k = growth(pts)
            if k is not None:
                n0, m0 = max(pts)
                need = m0 * (size / n0) ** k
                fits = "above" if ram_mb and need > ram_mb else "within"
                why += (f"; peak RSS would be ≈ {need / 1024:,.1f} GB (measured {m0 / 1024:,.1f} GB at {n0:,}, "
                        f"growing as size^{k:.2f}), {fits} the machine's {ram_mb / 1024:.0f} GB")
            out[(store, size)] = why
    return out


def markdown(rows: list[dict[str, Any]], machine: dict[str, Any], before: list[dict[str, Any]] | None = None,
             expected: list[int] | None = None, notes: dict[tuple[str, int], str] | None = None,
             notes_text: list[str] | None = None) -> str:
    sizes, stores = sizes_and_stores(rows)
    queries = list(dict.fromkeys(r["query"] for r in rows if "query" in r))
    by = {(r["store"], r["size"], r["query"]): r for r in rows if "query" in r}
    out = ["# Benchmark results", ""]
    out.append(f"Machine: {machine.get('cpu')}, {machine.get('cores')} cores, {machine.get('memory_gb')} GB RAM, "
               f"{machine.get('os')}; Python {machine.get('python')}, pyoxigraph {machine.get('pyoxigraph')}, "
               f"rdflib {machine.get('rdflib')}, pyshacl {machine.get('pyshacl')}; load average "
               f"{machine.get('load_average', 0):.1f} when the run started. Single figures vary by tens of "
               "percent between runs on this machine; the medians of repeated runs are given.")
    settings = machine.get("settings", {})
    rdflib_cuts = sorted({r["cutoff_s"] for r in rows if "cutoff_s" in r}) or [settings.get("rdflib_timeout_s")]
    cut = (f"rdflib after {', '.join(f'{c:g}' for c in rdflib_cuts)} s, other stores after "
           f"{settings['query_timeout_s']:g} s"
           if {"rdflib_timeout_s", "query_timeout_s"} <= settings.keys() else "after run.py's time limits")
    out += ["", "Sizes are claims in all (the review's 368 included); the knowledge bases are made by "
            "`benchmarks/synthetic.py` (seed 7). Times are medians in milliseconds through the toolkit "
            "(`KnowledgeBase.query`: name resolution, binding, the query, rows as Python values). "
            f"`timeout`: cut off ({cut}).", ""]
    missing = not_run(rows, machine, expected or sizes, stores, notes or {})
    for size in sorted({*sizes, *(expected or [])}):
        out += [f"## Queries at {size:,} claims (median ms)", "",
                "| query | rows | " + " | ".join(stores) + " |", "|---|---|" + "---|" * len(stores)]
        for q in queries:
            rows_here = by.get((DEFAULT, size, q), by.get((PREPARED, size, q), {}))
            count = rows_here.get("rows")
            cells = [_cell(by.get((store, size, q))) or ("not run" if (store, size) in missing else "")
                     for store in stores]
            out.append(f"| {q} | {'–' if count is None else f'{count:,}'} | " + " | ".join(cells) + " |")
        reasons = [f"{store}: {why}" for (store, n), why in missing.items() if n == size]
        out += ["", *([f"Not run at this size: {'; '.join(reasons)}.", ""] if reasons else [])]
    out += ["## Growth with size", "",
            "The exponent k of time ∝ size^k: the least-squares slope of log(median ms) against log(claims) "
            "over the sizes where the query finished (their number in brackets); 1 is linear, 0 flat "
            "(an index lookup or a materialised answer).", "",
            "| query | " + " | ".join(stores) + " |", "|---|" + "---|" * len(stores)]
    for q in queries:
        cells = []
        for store in stores:
            pts = [(n, by[(store, n, q)]["median_ms"]) for n in sizes
                   if (store, n, q) in by and by[(store, n, q)]["status"] == "ok" and by[(store, n, q)]["median_ms"]]
            k = growth(pts)
            cells.append("–" if k is None else f"{k:.2f} ({len(pts)})")
        out.append(f"| {q} | " + " | ".join(cells) + " |")
    out += ["", "Rows: the answer's size on the default store at each size, smallest first.", ""]
    out += cold_table(by, queries, sizes)
    out += ["## Load, memory, cold start", "",
            "| store | size | triples | load ms | prepare ms | peak RSS MB | cold CLI ms |", "|---|---|---|---|---|---|---|"]
    for r in rows:
        if "cold_cli_ms" in r:
            out.append(f"| {r['store']} | {r['size']:,} | {r['triples'] or '–'} | {_ms(r['load_ms'])} | "
                       f"{_ms(r.get('prepare_ms'))} | {_ms(r['peak_rss_mb'])} | {_ms(r['cold_cli_ms'])} |")
    out += ["", "Load: parsing the file (embedded stores) or `oxigraph load` plus connecting (server), and the "
            "entity index; `oxigraph-disk` opens a store prepared once by `t2dm-onto prepare` (its build time "
            "under *prepare*). Cold CLI: a new `t2dm-onto query mediators-increasing target=RANKL` process "
            "(`--with FILE`, `--store rdflib`, `--store-dir DIR` or `--endpoint URL`).", ""]
    checks = [r for r in rows if "validation" in r]
    out += ["## Validation", ""] + (["| method | size | ms | findings |", "|---|---|---|---|"] if checks else
                                   ["Not measured in this run (`run.py --no-validate`)."])
    for r in checks:
        shown = _ms(r.get("validate_ms")) if r.get("status") == "ok" else r.get("status")
        out.append(f"| {r['validation']} | {r['size']:,} | {shown} | {r.get('findings', '–')} |")
    out += ["", "`sparql`: the shapes compiled to SPARQL on Oxigraph (`t2dm-onto validate`, the default); "
            "`sparql-incremental`: the same restricted to the last 100 claims and their entities (a curation "
            "edit); `pyshacl`: SHACL Core in pyshacl (`--engine pyshacl`); `hermit`: OWL 2 DL reasoning.", ""]
    out += targets(rows, machine)
    out += [f"- {note}" for note in notes_text or []] + ([""] if notes_text else [])
    if before:
        out += compare(before, rows)
    return "\n".join(out) + "\n"


COLD_TARGET_MS = 500.0


def cold_table(by: dict[tuple[str, int, str], dict[str, Any]], queries: list[str], sizes: list[int]) -> list[str]:
    """Per case and size: a fresh process's first answer on the prepared store (``cold_ms``), when measured."""
    measured = [n for n in sizes if any("cold_ms" in by.get((PREPARED, n, q), {}) for q in queries)]
    if not measured:
        return []
    out = ["## First answer from a fresh process (prepared store, ms)", "",
           "A new `t2dm-onto query NAME ARGS --store-dir DIR -f json` process, start to exit (interpreter, imports, "
           "opening the store, the answer, printing it); median of `run.py --cold-runs` runs.", "",
           "| query | " + " | ".join(f"{n:,}" for n in measured) + " |", "|---|" + "---|" * len(measured)]
    for q in queries:
        cells = [_ms(by.get((PREPARED, n, q), {}).get("cold_ms")) for n in measured]
        out.append(f"| {q} | " + " | ".join(cells) + " |")
    return [*out, ""]


def compare(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> list[str]:
    """Median ms before and after, per query, at the largest size both runs measured, on the Oxigraph stores."""
    old = {(r["store"], r["size"], r["query"]): r for r in before if "query" in r}
    new = {(r["store"], r["size"], r["query"]): r for r in after if "query" in r}
    common = {n for (_s, n, _q) in old} & {n for (_s, n, _q) in new}
    if not common:
        return []
    size = max(common)
    stores = [s for s in (DEFAULT, PREPARED) if (s, size) in {(k[0], k[1]) for k in new}]
    out = [f"## Before and after (median ms, {size:,} claims)", "",
           "| query | " + " | ".join(f"{s} before | {s} after | rows after (of total)" for s in stores) + " |",
           "|---|" + "---|---|---|" * len(stores)]
    for q in dict.fromkeys(k[2] for k in new if k[1] == size):
        cells = []
        for s in stores:
            r = new.get((s, size, q), {})
            total = r.get("total")
            shown = "–" if r.get("rows") is None else f"{r['rows']:,}" + (f" ({total:,})" if total else "")
            cells += [_cell(old.get((s, size, q))), _cell(r or None), shown]
        out.append(f"| {q} | " + " | ".join(cells) + " |")
    out += ["", "Before: an earlier run (`--before`), on its machine and load; changes to the queries themselves "
            "between the runs show too. A listing query now returns its default page (1,000 rows); on the "
            "prepared store the queries with materialised answers read them (`t2dm-onto prepare`, "
            "`t2dm_onto/summaries.py`).", ""]
    return out


def targets(rows: list[dict[str, Any]], machine: dict[str, Any] | None = None) -> list[str]:
    """The issue's targets, checked on the figures."""
    by = {(r["store"], r["size"], r["query"]): r for r in rows if "query" in r}
    sizes, stores = sizes_and_stores(rows)
    out = ["## Targets", ""]
    for store, what in ((DEFAULT, "default store, in memory"), (PREPARED, "prepared store")):
        if 100000 not in sizes or store not in stores:
            continue
        ok = [q for (s, n, q), r in by.items() if s == store and n == 100000 and r["status"] == "ok"
              and r["median_ms"] <= TARGET_MS]
        slow = [(q, r) for (s, n, q), r in by.items() if s == store and n == 100000 and q not in ok]
        out.append(f"- ≤ {TARGET_MS:.0f} ms on 10^5 claims ({what}): met by {len(ok)} of {len(ok) + len(slow)} "
                   f"cases ({', '.join(ok)}); not by "
                   + ", ".join(f"{q} ({_cell(r)}{' ms' if r['status'] == 'ok' else ''}, {r.get('rows') or '–'} rows)"
                              for q, r in slow) + ".")
    firsts = {q: r.get("cold_ms") for (s, n, q), r in by.items() if s == PREPARED and n == 100000 and "cold_ms" in r}
    if firsts:
        ok = [q for q, ms in firsts.items() if isinstance(ms, float | int) and ms <= COLD_TARGET_MS]
        slow = [f"{q} ({_ms(ms)}{' ms' if isinstance(ms, float | int) else ''})" for q, ms in firsts.items() if q not in ok]
        out.append(f"- First answer from a fresh process ≤ {COLD_TARGET_MS:.0f} ms on 10^5 claims (prepared store): "
                   f"met by {len(ok)} of {len(firsts)} cases" + (f"; not by {', '.join(slow)}." if slow else "."))
    ratios = []
    for (s, _n, _q), r in by.items():
        if s == DEFAULT and r["status"] == "ok" and r.get("raw_median_ms"):
            ratios.append(r["median_ms"] / r["raw_median_ms"])
    if ratios:
        out.append(f"- Toolkit overhead (toolkit / raw store time, same SPARQL): median {statistics.median(ratios):.2f}×, "
                   f"max {max(ratios):.2f}× over {len(ratios)} measurements.")
    if "rdflib" in stores:
        speedups, beaten, cutoffs = [], 0, set()
        cutoff = float((machine or {}).get("settings", {}).get("rdflib_timeout_s", 30))
        for (s, n, q), r in by.items():
            if s != "rdflib":
                continue
            ox = by.get((DEFAULT, n, q))
            if not ox or ox["status"] != "ok":
                continue
            if r["status"] == "ok":
                speedups.append(r["median_ms"] / ox["median_ms"])
            elif r["status"] == "timeout":
                beaten += 1
                cutoffs.add(r.get("cutoff_s", cutoff))
                speedups.append(r.get("cutoff_s", cutoff) * 1000 / ox["median_ms"])  # a lower bound
        if speedups:
            geo = math.exp(statistics.fmean(math.log(x) for x in speedups))
            out.append(f"- Default store against rdflib: geometric mean speed-up ≥ {geo:,.0f}× over {len(speedups)} "
                       f"query×size pairs ({beaten} rdflib timeouts counted at their cut-off, "
                       f"{', '.join(f'{c:g}' for c in sorted(cutoffs)) or f'{cutoff:g}'} s, a lower bound); "
                       f"smallest {min(speedups):.1f}×.")
    cold = [r for r in rows if "cold_cli_ms" in r and r["store"] == DEFAULT and r["size"] == 368]
    if cold:
        out.append(f"- Cold CLI query on the review's knowledge base: {_ms(cold[0]['cold_cli_ms'])} ms.")
    return [*out, ""]


def plot(rows: list[dict[str, Any]], path: Path) -> bool:
    """Time against size per query, one line per store; False when matplotlib is missing."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    _sizes, stores = sizes_and_stores(rows)
    queries = list(dict.fromkeys(r["query"] for r in rows if "query" in r))
    series: dict[tuple[str, str], list[tuple[int, float]]] = defaultdict(list)
    for r in rows:
        if "query" in r and r["status"] == "ok":
            series[(r["query"], r["store"])].append((r["size"], r["median_ms"]))
    cols = 4
    nrows = math.ceil(len(queries) / cols)
    fig, axes = plt.subplots(nrows, cols, figsize=(4 * cols, 3 * nrows), squeeze=False)
    for ax, q in zip(axes.flat, queries, strict=False):
        for store in stores:
            pts = sorted(series.get((q, store), []))
            if pts:
                ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=store)
        ax.axhline(TARGET_MS, color="grey", linestyle="--", linewidth=0.8)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_title(q, fontsize=9)
        ax.tick_params(labelsize=7)
    for ax in list(axes.flat)[len(queries):]:
        ax.axis("off")
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower right", fontsize=9)
    fig.supxlabel("claims in the knowledge base")
    fig.supylabel("median ms per query (dashed: 100 ms)")
    fig.tight_layout()
    fig.savefig(path, dpi=90, format="png")
    plt.close(fig)
    return True


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("json", nargs="+", type=Path, help="benchmarks/run.py --json output(s)")
    ap.add_argument("--before", type=Path, action="append", default=[],
                    help="an earlier run's JSON: adds a before/after table at the largest common size")
    ap.add_argument("--out", type=Path, default=Path("docs/benchmarks"), help="folder for results.md and the plot")
    ap.add_argument("--sizes", default="", help="sizes to give a table even if not run, e.g. 1000,10000,100000,1000000")
    ap.add_argument("--not-run", action="append", default=[], metavar="STORE@SIZE=WHY",
                    help="why a store was not run at a size (the memory it would need is added)")
    ap.add_argument("--note", action="append", default=[], help="a remark on the run, listed under the targets")
    args = ap.parse_args(argv)
    expected = [int(n) for n in args.sizes.split(",") if n.strip()]
    notes = {}
    for item in args.not_run:
        where, _eq, why = item.partition("=")
        store, _at, size = where.partition("@")
        notes[(store, int(size))] = why
    rows, machine = load(args.json)
    args.out.mkdir(parents=True, exist_ok=True)
    from t2dm_onto.outputs import atomic_output, atomic_write

    before = load(args.before)[0] if args.before else None
    atomic_write(args.out / "results.md", markdown(rows, machine, before, expected, notes, args.note))
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        print(f"wrote {args.out / 'results.md'}; no plot: pip install 't2dm-onto[bench]' for matplotlib")
        return 0
    with atomic_output(args.out / "time_vs_size.png") as tmp:
        plot(rows, tmp)
    print(f"wrote {args.out / 'results.md'} and {args.out / 'time_vs_size.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
