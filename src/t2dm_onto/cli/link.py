"""``t2dm-onto link``: list, add, remove or reload the external ontologies kept beside the knowledge base."""

from __future__ import annotations

import argparse
from typing import Any

from ..errors import EXIT_OK, UsageError
from .options import write


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "link", help="load external ontologies (GO, ChEBI, UBERON...) beside the knowledge base",
        description="Link external ontology files (OWL/RDF-XML, Turtle, N-Triples, JSON-LD or OBO; a folder "
                    "stands for the files in it). Query commands then see them, e.g. "
                    "`t2dm-onto query claims-under term=GO:0001503`. Linking is kept in "
                    "$T2DM_ONTO_HOME/linked (default ~/.local/share/t2dm-onto/linked).")
    p.add_argument("files", nargs="*", metavar="FILE", help="ontology files or folders to link (added to the linked set)")
    p.add_argument("--list", action="store_true", help="show the linked files (the default with no FILE)")
    p.add_argument("--remove", action="append", default=[], metavar="FILE", help="unlink a file (repeatable)")
    p.add_argument("--clear", action="store_true", help="unlink everything and delete the store")
    p.add_argument("--refresh", action="store_true", help="reload every linked file from disk")
    p.set_defaults(run=run)


def _print_manifest(manifest: dict[str, Any] | None) -> None:
    from ..link import store_path

    if not manifest or not manifest["files"]:
        write("no ontology is linked. Link one with `t2dm-onto link FILE`.\n")
        return
    for rec in manifest["files"]:
        write(f"{rec['path']}\t{rec['triples_added']} triples\n")
    write(f"store: {store_path()} ({manifest['triples']} triples with the knowledge base)\n")


def run(args: argparse.Namespace) -> int:
    from ..link import read_manifest, relink, unlink_all

    if args.clear:
        if args.files or args.remove:
            raise UsageError("--clear unlinks everything; give no FILE or --remove with it.")
        unlink_all()
        write("unlinked every ontology.\n")
        return EXIT_OK
    if not args.files and not args.remove and not args.refresh:
        _print_manifest(read_manifest())
        return EXIT_OK
    manifest = relink(args.files, args.remove)
    if manifest is None:
        write("no ontology is linked any more.\n")
        return EXIT_OK
    _print_manifest(manifest)
    return EXIT_OK
