"""``t2dm-onto claims`` (every claim with its evidence) and ``t2dm-onto stats`` (counts)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..errors import EXIT_OK
from ..formats import render
from ..namespaces import local_name
from .options import open_kb, store_options, write

CLAIM_COLUMNS = ["id", "subject", "relation", "object", "aspect", "references", "section", "evidence",
                 "study_type", "context", "statement_en", "quote_zh"]


def register(sub: argparse._SubParsersAction) -> None:
    c = sub.add_parser("claims", help="every claim with its evidence")
    c.add_argument("--format", "-f", choices=("json", "tsv", "table"), default="json")
    store_options(c)
    c.set_defaults(run=run_claims)

    st = sub.add_parser("stats", help="counts of entities, claims, references")
    st.add_argument("--format", "-f", choices=("table", "json"), default="table")
    store_options(st)
    st.set_defaults(run=run_stats)


def run_claims(args: argparse.Namespace) -> int:
    records = open_kb(args).claims()
    if args.format == "json":
        write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
        return EXIT_OK
    rows = []
    for r in records:
        row: dict[str, Any] = dict(r)
        row["subject"], row["object"] = r["subject"]["label"], r["object"]["label"]
        row["references"] = ",".join(map(str, r["references"]))
        row["id"] = local_name(r["id"]) if args.format == "table" else r["id"]
        rows.append(row)
    write(render(CLAIM_COLUMNS, rows, args.format, max_width=40))
    return EXIT_OK


def run_stats(args: argparse.Namespace) -> int:
    stats = open_kb(args).stats()
    if args.format == "json":
        write(json.dumps(stats, ensure_ascii=False, indent=2) + "\n")
        return EXIT_OK
    write("\n".join(stats_lines(stats)) + "\n")
    return EXIT_OK


def stats_lines(stats: dict[str, Any]) -> list[str]:
    """The table form of :meth:`KnowledgeBase.stats`."""
    lines = [f"triples: {stats['triples']} (all loaded: the ontology and its import module of external terms; "
             "`validate` counts the ontology file alone)",
             f"entities: {stats['entities']} (named by the review; the {stats['categories']} categories and "
             "grouping classes apart)",
             f"claims: {stats['claims']}"]
    for key in ("entities_by_category", "claims_by_relation", "claims_by_section", "claims_by_evidence",
                "claims_by_study_type"):
        lines.append(f"{key.replace('_', ' ')}:")
        lines += [f"  {k:<34} {v}" for k, v in stats[key].items()]
    if stats.get("coverage"):
        lines.append("sentence coverage (sentences / with claims / without):")
        lines += [f"  {k:<34} {v['sentences']:>3} {v['with_claims']:>3} {v['without_claims']:>3}"
                  for k, v in stats["coverage"]["by_section"].items()]
        lines.append("  sentences without claims, by reason: "
                     + ", ".join(f"{k} {v}" for k, v in stats["coverage"]["reasons"].items()))
    lines.append(f"references used ({len(stats['references_used'])}): {', '.join(map(str, stats['references_used']))}")
    lines.append(f"references unused ({len(stats['references_unused'])}): "
                 f"{', '.join(map(str, stats['references_unused'])) or '-'}")
    return lines
