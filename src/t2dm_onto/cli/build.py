"""``t2dm-onto build``: rebuild the ontology and the generated files from curation/ (source checkout only)."""

from __future__ import annotations

import argparse
import sys

from ..errors import EXIT_INVALID, EXIT_OK, UsageError
from .options import write


def register(sub: argparse._SubParsersAction) -> None:
    b = sub.add_parser("build", help="rebuild ontology/t2dm_op.ttl and ontology/imports/ from curation/ and mappings/ (source checkout only)")
    b.add_argument("--check", action="store_true", help="exit 1 if the committed ontology is stale")
    b.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..build import build, stale_outputs
    from ..resources import repo_root

    root = repo_root()
    if root is None:
        raise UsageError("build needs a source checkout (with curation/); it does not run from an installed wheel.")
    if not args.check:
        write(f"wrote {build(root)}, its import module and the files curation/schema.yaml writes\n")
        return EXIT_OK
    from ..coverage import check_checkout

    stale = stale_outputs(root)
    for path in stale:
        sys.stderr.write(f"{path} is stale: run `t2dm-onto build` and commit the result.\n")
    gaps = check_checkout(root)
    for gap in gaps:
        sys.stderr.write(f"coverage: {gap}\n")
    if stale or gaps:
        return EXIT_INVALID
    write("ontology/, the generated parts of shapes/ and CURATION.md, vocabulary.json and the chain queries "
          "are up to date; "
          "every sentence of the review has its row in curation/coverage.tsv.\n")
    return EXIT_OK
