"""``t2dm-onto prepare DIR``: the CLI shell over :func:`t2dm_onto.prepare.prepare`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import EXIT_OK, InputError

USAGE = """Build an on-disk store of the knowledge base (the shipped ontology, its import module and any --with files);
then `t2dm-onto query ... --store-dir DIR` opens it instead of parsing the files."""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("prepare", help="build an on-disk store for fast starts on large knowledge bases",
                       description=USAGE)
    p.add_argument("directory", type=Path, help="where to put the store (replaced if it exists)")
    p.add_argument("--with", dest="extra", action="append", default=[], metavar="FILE",
                   help="another RDF or OBO file to load beside the knowledge base (repeatable)")
    p.add_argument("--no-ontology", action="store_true",
                   help="load only the --with files (they already contain the ontology)")
    p.add_argument("--no-summaries", action="store_true",
                   help="do not materialise the answers of the whole-graph queries (claims, conflicts, ...)")
    p.add_argument("--summary-timeout", type=float, default=300.0, metavar="SECONDS",
                   help="leave out a query's materialised answer whose child process uses more CPU time "
                        "(user + system) than this (default 300); one still running after 10 times this in "
                        "wall-clock time (waiting, not computing) is left out too")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..prepare import prepare
    from ..resources import import_file, ontology_file

    files = ([] if args.no_ontology else [ontology_file(), import_file()]) + [Path(f) for f in args.extra]
    if not files:
        raise InputError("nothing to load: --no-ontology needs at least one --with FILE.")
    mark = prepare(args.directory, files, summaries=not args.no_summaries, summary_timeout=args.summary_timeout)
    done = mark.get("summaries", {})
    left = [f"{name} ({why})" for name, why in done.items() if "left out" in why]
    print(f"prepared {args.directory}: {mark['triples']} triples from {len(files)} file(s) in {mark['seconds']} s, "
          f"{len(done) - len(left)} materialised answer(s); query it with --store-dir {args.directory}")
    for item in left:
        print(f"warning: not materialised: {item}; that query runs from SPARQL", file=sys.stderr)
    return EXIT_OK
