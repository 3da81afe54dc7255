"""``t2dm-onto docs -o DIR``: write the HTML documentation of the ontology and its claims."""

from __future__ import annotations

import argparse
import sys

from ..errors import EXIT_OK, MissingDependencyError
from .options import open_kb, store_options


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "docs", help="write HTML documentation: ontology reference, claims by section, entity and reference",
        description="Write a folder of HTML documentation: the ontology reference (pyLODE), pages listing the "
                    "claims by section, by entity and by reference with the review's sentences, and the maps "
                    "(with Graphviz). The folder is replaced only once the new one is complete.",
    )
    p.add_argument("-o", "--output", metavar="DIR", required=True, help="folder to write (replaced whole)")
    p.add_argument("--no-ontology", action="store_true", help="skip the pyLODE ontology reference page")
    p.add_argument("--no-maps", action="store_true", help="skip the maps (no Graphviz needed)")
    store_options(p, links=False)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..docs_site import build_site
    from ..outputs import check_output_path, check_replaceable_dir, refuse_overwriting_inputs
    from ..viz.dot import GRAPHVIZ_HINT, graphviz_available

    check_replaceable_dir(check_output_path(args.output, directory=True), "docs")  # before minutes of work
    refuse_overwriting_inputs(args.output, args.extra)
    if not args.no_maps and not graphviz_available():
        raise MissingDependencyError(f"the maps need Graphviz, which is not installed: {GRAPHVIZ_HINT}; "
                         "or run with --no-maps.")
    counts = build_site(open_kb(args), args.output, ontology=not args.no_ontology,
                        maps=not args.no_maps)
    sys.stderr.write(f"wrote {args.output}: {counts['pages']} pages, {counts['images']} maps "
                     f"({counts['entities']} entities, {counts['claims']} claims)\n")
    return EXIT_OK
