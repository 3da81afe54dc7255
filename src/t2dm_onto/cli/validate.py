"""``t2dm-onto validate``: SHACL, OWL reasoning and the verbatim quote check of an ontology file."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..errors import EXIT_INVALID, EXIT_OK
from .options import write


def register(sub: argparse._SubParsersAction) -> None:
    v = sub.add_parser("validate", help="SHACL, OWL reasoning and quote checks")
    v.add_argument("file", nargs="?", type=Path, help="ontology file (default: the shipped one)")
    v.add_argument("--no-reasoner", action="store_true", help="skip the HermiT reasoner")
    v.add_argument("--source", type=Path, help="the review text, to check quotes verbatim")
    v.add_argument("--format", "-f", choices=("text", "json"), default="text")
    v.add_argument("--engine", choices=("sparql", "pyshacl"), default="sparql",
                   help="SHACL engine: shapes compiled to SPARQL on Oxigraph (default, fast on large graphs) "
                        "or pyshacl (the reference)")
    v.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..inputs import check_input_file
    from ..validate import validate

    if args.file is not None:
        check_input_file(args.file, "the ontology to validate (.ttl, .nt, .owl)")
    if args.source is not None:
        check_input_file(args.source, "the review text (--source)")
    report = validate(args.file, reasoner=not args.no_reasoner, source=args.source, engine=args.engine)
    if args.format == "json":
        write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        write(report.text() + "\n")
    for warning in report.warnings():  # on standard error too, where scripts and CI logs show it
        print(warning.replace("WARNING:", "warning:", 1), file=sys.stderr)
    return EXIT_OK if report.ok else EXIT_INVALID
