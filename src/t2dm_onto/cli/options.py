"""The options every command shares, spelt once: where the knowledge base is, and how output looks.

Each command that opens a knowledge base calls :func:`store_options` on its
parser and :func:`open_kb` on the parsed arguments, so ``--store``,
``--endpoint``, ``--graph``, ``--store-dir``, ``--with``, ``--links``/``--no-links``
and ``--timeout`` mean the same on every one of them.

Only the default of ``--links`` differs, and each command's help says which it is:
commands that answer questions (query, sparql, claims, stats) use the linked
ontologies, so ``claims-under term=CL:...`` finds CL's subclasses; commands whose
output *is* the knowledge base (export, graph, explain, docs, serve) leave them out
unless asked, so an export does not silently grow by all of GO.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UsageError
from ..formats import FORMATS

if TYPE_CHECKING:
    from ..kb import KnowledgeBase

LANGS = ("en", "zh")


def store_options(p: argparse.ArgumentParser, *, links: bool = True) -> None:
    """Add the options that say which knowledge base a command opens (read by :func:`open_kb`).

    ``links`` is the command's default for ``--links``/``--no-links``.
    """
    from ..store.registry import DEFAULT, store_names  # the registry is the one list of embedded stores

    p.add_argument("--store", choices=store_names(), default=DEFAULT, help=f"embedded store (default: {DEFAULT})")
    p.add_argument("--endpoint", metavar="URL", help="run against a remote SPARQL 1.1 endpoint instead")
    p.add_argument("--graph", metavar="IRI",
                   help="with --endpoint: the named graph holding the knowledge base (sent as default-graph-uri)")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds a query may run, on any store (default 30)")
    p.add_argument("--with", dest="extra", action="append", default=[], metavar="FILE",
                   help="load another RDF or OBO file beside the knowledge base (repeatable)")
    p.add_argument("--links", "--no-links", dest="links", action=_Links, default=links,
                   help="use (or leave out) the ontologies linked with `t2dm-onto link` "
                        f"(default here: {'use them' if links else 'leave them out'})")
    p.add_argument("--store-dir", metavar="DIR", type=Path,
                   help="open a store prepared by `t2dm-onto prepare` instead of parsing files")


class _Links(argparse.Action):
    """``--links`` / ``--no-links``: one option, two spellings (argparse's BooleanOptionalAction, minus its help noise)."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs) -> None:
        super().__init__(option_strings, dest, nargs=0, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        setattr(namespace, self.dest, option_string == "--links")

    def format_usage(self) -> str:
        return " | ".join(self.option_strings)


def open_kb(args: argparse.Namespace) -> KnowledgeBase:
    """The knowledge base the :func:`store_options` of ``args`` describe: the one place the CLI opens it."""
    from ..kb import KnowledgeBase

    return KnowledgeBase(args.store, endpoint=args.endpoint, files=args.extra, timeout=args.timeout,
                         graph=args.graph, linked=args.links, location=args.store_dir,
                         allow_service=getattr(args, "allow_service", False))


def lang_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lang", choices=LANGS, default="en", help="label language (default: en)")


def output_options(p: argparse.ArgumentParser, formats: tuple[str, ...] = FORMATS) -> None:
    """``--format`` for tabular answers, and ``--lang``."""
    p.add_argument("--format", "-f", choices=formats, default="table", help="output format (default: table)")
    lang_option(p)


def parse_params(items: list[str]) -> dict[str, str]:
    """``key=value`` words into a dict; a word without ``=`` or a key given twice is a usage error."""
    params: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise UsageError(f"parameter {item!r} is not key=value, e.g. target=RANKL.")
        if key in params:
            raise UsageError(f"parameter '{key}' is given twice.")
        params[key] = value
    return params


def write(text: str) -> None:
    sys.stdout.write(text)
