"""``t2dm-onto export``: the CLI shell over :func:`t2dm_onto.export.export`."""

from __future__ import annotations

import argparse
import sys

from ..errors import EXIT_OK
from ..export import FORMATS
from .options import open_kb, store_options


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="export the knowledge base to another format",
                       description="Export the knowledge base. Formats: " + ", ".join(sorted(FORMATS)))
    p.add_argument("--format", "-f", required=True, choices=sorted(FORMATS), help="output format")
    p.add_argument("-o", "--output", metavar="PATH", help="output file (or folder); default: standard output")
    store_options(p, links=False)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..export import export
    from ..outputs import refuse_overwriting_inputs

    refuse_overwriting_inputs(args.output, args.extra)
    out = export(open_kb(args), args.format, args.output)
    if out is not None:
        sys.stderr.write(f"wrote {out}\n")
    return EXIT_OK
