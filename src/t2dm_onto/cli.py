"""The ``t2dm-onto`` command line: a thin shell over :class:`t2dm_onto.kb.KnowledgeBase`.

Every failure prints one ``error:`` line saying what, where and what to do, and
exits with a code from :mod:`t2dm_onto.errors` (documented in the README).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from . import __version__
from .errors import EXIT_INPUT, EXIT_INVALID, EXIT_OK, EXIT_USAGE, T2DMError, UsageError
from .formats import FORMATS, render


def _store_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--store", choices=("oxigraph", "rdflib"), default="oxigraph",
                   help="embedded store (default: oxigraph)")
    p.add_argument("--endpoint", metavar="URL", help="run against a remote SPARQL 1.1 endpoint instead")
    p.add_argument("--graph", metavar="IRI",
                   help="with --endpoint: the named graph holding the knowledge base (sent as default-graph-uri)")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds a query may run, on any store (default 30)")
    p.add_argument("--with", dest="extra", action="append", default=[], metavar="FILE",
                   help="load another RDF or OBO file beside the knowledge base (repeatable)")
    p.add_argument("--no-links", dest="links", action="store_false",
                   help="leave out the ontologies linked with `t2dm-onto link`")
    p.add_argument("--store-dir", metavar="DIR", type=Path,
                   help="open a store prepared by `t2dm-onto prepare` instead of parsing files")


def _output_options(p: argparse.ArgumentParser, formats=FORMATS) -> None:
    p.add_argument("--format", "-f", choices=formats, default="table", help="output format (default: table)")
    p.add_argument("--lang", choices=("en", "zh"), default="en", help="label language (default: en)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="t2dm-onto",
        description="Query, validate and export the knowledge base of how type 2 diabetes leads to osteoporosis.",
    )
    parser.add_argument("--version", action="version", version=f"t2dm-onto {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    q = sub.add_parser("query", help="run a canned query", add_help=False,
                       description="Run a canned query: NAME key=value ... (`query NAME --help`: its parameters)")
    q.add_argument("-h", "--help", action="store_true",
                   help="show this help, or with NAME that query's parameters, types, defaults and allowed values")
    q.add_argument("name", nargs="?", help="query name (see --list)")
    q.add_argument("params", nargs="*", metavar="key=value", help="query parameters")
    q.add_argument("--list", action="store_true", help="list the canned queries and their parameters")
    _output_options(q)
    _store_options(q)
    q.set_defaults(generic_help=q.format_help)

    s = sub.add_parser("sparql", help="run a read-only SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE)",
                       description="Run a read-only SPARQL query. SELECT gives rows (table, json, csv, tsv, "
                                   "markdown); ASK gives true or false (json: SPARQL JSON); CONSTRUCT and "
                                   "DESCRIBE give RDF (ttl, the default, nt, rdfxml, or jsonld, also as json).")
    s.add_argument("query", nargs="?", help="the SPARQL text")
    s.add_argument("--file", type=Path, help="read the SPARQL from a file")
    s.add_argument("--allow-service", action="store_true",
                   help="let SERVICE (federated query) send requests to the endpoints it names (refused by default)")
    _output_options(s, formats=(*FORMATS, "ttl", "nt", "rdfxml", "jsonld"))
    _store_options(s)

    c = sub.add_parser("claims", help="every claim with its evidence")
    c.add_argument("--format", "-f", choices=("json", "tsv", "table"), default="json")
    _store_options(c)

    st = sub.add_parser("stats", help="counts of entities, claims, references")
    st.add_argument("--format", "-f", choices=("table", "json"), default="table")
    _store_options(st)

    v = sub.add_parser("validate", help="SHACL, OWL reasoning and quote checks")
    v.add_argument("file", nargs="?", type=Path, help="ontology file (default: the shipped one)")
    v.add_argument("--no-reasoner", action="store_true", help="skip the HermiT reasoner")
    v.add_argument("--source", type=Path, help="the review text, to check quotes verbatim")
    v.add_argument("--format", "-f", choices=("text", "json"), default="text")
    v.add_argument("--engine", choices=("sparql", "pyshacl"), default="sparql",
                   help="SHACL engine: shapes compiled to SPARQL on Oxigraph (default, fast on large graphs) "
                        "or pyshacl (the reference)")

    b = sub.add_parser("build", help="rebuild ontology/t2dm_op.ttl and ontology/imports/ from curation/ and mappings/ (source checkout only)")
    b.add_argument("--check", action="store_true", help="exit 1 if the committed ontology is stale")

    for module in PLUGIN_COMMANDS:
        _plugin(module).register(sub)
    return parser


#: Commands that live in their own modules. Each module defines
#: ``register(sub)`` (adds its subparser with ``set_defaults(run=...)``) and keeps
#: heavy imports inside the run function, so the CLI still starts fast.
PLUGIN_COMMANDS: tuple[str, ...] = ("export.command", "viz.command", "explain_command", "docs_site.command",
                                   "serve.command", "link",
                                   "prepare")


def _plugin(module: str):
    import importlib

    return importlib.import_module(f"{__package__}.{module}")


def parse_params(items: list[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise UsageError(f"parameter {item!r} is not key=value, e.g. target=RANKL.")
        if key in params:
            raise UsageError(f"parameter '{key}' is given twice.")
        params[key] = value
    return params


def _kb(args: argparse.Namespace):
    from .kb import KnowledgeBase

    return KnowledgeBase(args.store, endpoint=args.endpoint, files=args.extra, timeout=args.timeout,
                         graph=args.graph, linked=args.links, location=getattr(args, "store_dir", None),
                         allow_service=getattr(args, "allow_service", False))


def _write(text: str) -> None:
    sys.stdout.write(text)


def cmd_query(args: argparse.Namespace) -> int:
    if args.help:
        if not args.name:
            _write(args.generic_help())
            return EXIT_OK
        from .catalog import Catalog
        from .query_help import query_help

        _write(query_help(Catalog().get(args.name)))
        return EXIT_OK
    if args.list or not args.name:
        from .catalog import Catalog

        rows = []
        for q in Catalog():
            params = ", ".join(f"{p.name}" + ("" if p.required else f"={p.default}") + f" ({p.type})"
                               for p in q.params)
            rows.append({"query": q.name, "parameters": params or "-", "description": q.description})
        _write(render(["query", "parameters", "description"], rows, args.format, max_width=90))
        return EXIT_OK
    params = parse_params(args.params)
    result = _kb(args).query(args.name, lang=args.lang, **params)
    columns = result.columns
    if args.format in ("table", "markdown"):  # people read labels; the IRIs stay in json/csv/tsv
        columns = [c for c in columns if f"{c}_label" not in columns]
    _write(render(columns, result.rows, args.format))
    if result.total is not None and result.offset + len(result.rows) < result.total:
        end = result.offset + len(result.rows)
        print(f"rows {result.offset + 1}-{end} of {result.total}; next page: offset={end} "
              "(limit=0 for all rows)", file=sys.stderr)
    return EXIT_OK


def cmd_sparql(args: argparse.Namespace) -> int:
    if args.file:
        from .inputs import read_text_input
        from .sparql_guard import MAX_QUERY_BYTES

        text = read_text_input(args.file, "the SPARQL file (--file)", MAX_QUERY_BYTES)
    elif args.query:
        text = args.query
    else:
        raise UsageError("give the SPARQL text or --file FILE.")
    from .sparql_forms import answer

    _write(answer(_kb(args), text, args.format))
    return EXIT_OK


CLAIM_COLUMNS = ["id", "subject", "relation", "object", "aspect", "references", "section", "evidence",
                 "study_type", "context", "statement_en", "quote_zh"]


def cmd_claims(args: argparse.Namespace) -> int:
    records = _kb(args).claims()
    if args.format == "json":
        _write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
        return EXIT_OK
    rows = []
    for r in records:
        row: dict[str, Any] = dict(r)
        row["subject"], row["object"] = r["subject"]["label"], r["object"]["label"]
        row["references"] = ",".join(map(str, r["references"]))
        row["id"] = r["id"].rsplit("/", 1)[-1] if args.format == "table" else r["id"]
        rows.append(row)
    _write(render(CLAIM_COLUMNS, rows, args.format, max_width=40))
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    stats = _kb(args).stats()
    if args.format == "json":
        _write(json.dumps(stats, ensure_ascii=False, indent=2) + "\n")
        return EXIT_OK
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
    _write("\n".join(lines) + "\n")
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from .inputs import check_input_file
    from .validate import validate

    if args.file is not None:
        check_input_file(args.file, "the ontology to validate (.ttl, .nt, .owl)")
    if args.source is not None:
        check_input_file(args.source, "the review text (--source)")
    report = validate(args.file, reasoner=not args.no_reasoner, source=args.source, engine=args.engine)
    if args.format == "json":
        _write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        _write(report.text() + "\n")
    for warning in report.warnings():  # on standard error too, where scripts and CI logs show it
        print(warning.replace("WARNING:", "warning:", 1), file=sys.stderr)
    return EXIT_OK if report.ok else EXIT_INVALID


def cmd_build(args: argparse.Namespace) -> int:
    from .build import build, outputs
    from .resources import repo_root

    root = repo_root()
    if root is None:
        raise UsageError("build needs a source checkout (with curation/); it does not run from an installed wheel.")
    if args.check:
        from .coverage import check_checkout

        stale = [path for path, text in outputs(root).items()
                 if not path.exists() or path.read_text(encoding="utf-8") != text]
        for path in stale:
            sys.stderr.write(f"{path} is stale: run `t2dm-onto build` and commit the result.\n")
        gaps = check_checkout(root)
        for gap in gaps:
            sys.stderr.write(f"coverage: {gap}\n")
        if stale or gaps:
            return EXIT_INVALID
        _write("ontology/, the generated parts of shapes/ and CURATION.md, vocabulary.json and the chain queries "
               "are up to date; "
               "every sentence of the review has its row in curation/coverage.tsv.\n")
        return EXIT_OK
    _write(f"wrote {build(root)}, its import module and the files curation/schema.yaml writes\n")
    return EXIT_OK


COMMANDS = {"query": cmd_query, "sparql": cmd_sparql, "claims": cmd_claims, "stats": cmd_stats,
            "validate": cmd_validate, "build": cmd_build}


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed its message
        return int(exc.code or 0) and EXIT_USAGE
    if not args.command:
        parser.print_help()
        return EXIT_USAGE
    try:
        run = COMMANDS.get(args.command) or args.run
        return run(args)
    except T2DMError as err:
        sys.stderr.write(f"error: {err}\n")
        return err.exit_code
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:  # a last net: every known case raises a T2DMError with advice first
        where = f" ({exc.filename})" if exc.filename else ""
        sys.stderr.write(f"error: {exc.strerror or exc}{where}. Check the path and its permissions.\n")
        return EXIT_INPUT
    except RecursionError:
        sys.stderr.write("error: the input nests too deeply to process. Flatten it.\n")
        return EXIT_INPUT
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
