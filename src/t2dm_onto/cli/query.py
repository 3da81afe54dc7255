"""``t2dm-onto query`` (a canned query) and ``t2dm-onto sparql`` (your own read-only SPARQL)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import EXIT_OK, UsageError
from ..formats import FORMATS, render
from .options import open_kb, output_options, parse_params, store_options, write


def register(sub: argparse._SubParsersAction) -> None:
    q = sub.add_parser("query", help="run a canned query", add_help=False,
                       description="Run a canned query: NAME key=value ... (`query NAME --help`: its parameters)")
    q.add_argument("-h", "--help", action="store_true",
                   help="show this help, or with NAME that query's parameters, types, defaults and allowed values")
    q.add_argument("name", nargs="?", help="query name (see --list)")
    q.add_argument("params", nargs="*", metavar="key=value", help="query parameters")
    q.add_argument("--list", action="store_true", help="list the canned queries and their parameters")
    output_options(q)
    store_options(q)
    q.set_defaults(run=run_query, generic_help=q.format_help)

    s = sub.add_parser("sparql", help="run a read-only SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE)",
                       description="Run a read-only SPARQL query. SELECT gives rows (table, json, csv, tsv, "
                                   "markdown); ASK gives true or false (json: SPARQL JSON); CONSTRUCT and "
                                   "DESCRIBE give RDF (ttl, the default, nt, rdfxml, or jsonld, also as json).")
    s.add_argument("query", nargs="?", help="the SPARQL text")
    s.add_argument("--file", type=Path, help="read the SPARQL from a file")
    s.add_argument("--allow-service", action="store_true",
                   help="let SERVICE (federated query) send requests to the endpoints it names (refused by default)")
    output_options(s, formats=(*FORMATS, "ttl", "nt", "rdfxml", "jsonld"))
    store_options(s)
    s.set_defaults(run=run_sparql)


def run_query(args: argparse.Namespace) -> int:
    if args.help:
        if not args.name:
            write(args.generic_help())
            return EXIT_OK
        from ..catalog import Catalog
        from ..query_help import query_help

        write(query_help(Catalog().get(args.name)))
        return EXIT_OK
    if args.list or not args.name:
        from ..catalog import Catalog

        rows = []
        for q in Catalog():
            params = ", ".join(f"{p.name}" + ("" if p.required else f"={p.default}") + f" ({p.type})"
                               for p in q.params)
            rows.append({"query": q.name, "parameters": params or "-", "description": q.description})
        write(render(["query", "parameters", "description"], rows, args.format, max_width=90))
        return EXIT_OK
    params = parse_params(args.params)
    result = open_kb(args).query(args.name, lang=args.lang, **params)
    columns = result.columns
    if args.format in ("table", "markdown"):  # people read labels; the IRIs stay in json/csv/tsv
        columns = [c for c in columns if f"{c}_label" not in columns]
    write(render(columns, result.rows, args.format))
    if result.total is not None and result.offset + len(result.rows) < result.total:
        end = result.offset + len(result.rows)
        print(f"rows {result.offset + 1}-{end} of {result.total}; next page: offset={end} "
              "(limit=0 for all rows)", file=sys.stderr)
    return EXIT_OK


def run_sparql(args: argparse.Namespace) -> int:
    if args.file:
        from ..inputs import read_text_input
        from ..sparql_guard import MAX_QUERY_BYTES

        text = read_text_input(args.file, "the SPARQL file (--file)", MAX_QUERY_BYTES)
    elif args.query:
        text = args.query
    else:
        raise UsageError("give the SPARQL text or --file FILE.")
    from ..sparql_forms import answer

    write(answer(open_kb(args), text, args.format))
    return EXIT_OK
