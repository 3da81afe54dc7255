"""The ``t2dm-onto`` command line: a thin shell over :class:`t2dm_onto.kb.KnowledgeBase`.

One module per command group; each adds its subparser with ``register(sub)``
(``set_defaults(run=...)``), parses arguments, makes one API call and renders
the answer. The options that say which knowledge base to open are spelt once,
in :mod:`t2dm_onto.cli.options`. Heavy imports stay inside the run functions,
so the CLI starts fast.

Every failure prints one ``error:`` line saying what, where and what to do, and
exits with a code from :mod:`t2dm_onto.errors` (documented in the README).
"""

from __future__ import annotations

import argparse
import importlib
import sys

from ..errors import EXIT_INPUT, EXIT_OK, EXIT_USAGE, T2DMError
from ..version import __version__
from .options import parse_params

__all__ = ["COMMAND_MODULES", "build_parser", "main", "parse_params"]

#: The command modules, in the order ``--help`` lists their commands.
COMMAND_MODULES: tuple[str, ...] = ("query", "claims", "validate", "build", "export", "graph", "explain", "docs",
                                    "serve", "link", "prepare")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="t2dm-onto",
        description="Query, validate and export the knowledge base of how type 2 diabetes leads to osteoporosis.",
    )
    parser.add_argument("--version", action="version", version=f"t2dm-onto {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"{__name__}.{name}").register(sub)
    return parser


def _is_param(word: str) -> bool:
    key, sep, _ = word.partition("=")
    return bool(sep and key) and not word.startswith("-")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args, extra = parser.parse_known_args(argv)
        if extra:
            # key=value words after an option (`query conflicts -f json limit=10`): argparse stops
            # filling a positional list at the first option, so such words come back unparsed
            if isinstance(getattr(args, "params", None), list) and all(_is_param(w) for w in extra):
                args.params += extra
            else:
                parser.error(f"unrecognized arguments: {' '.join(extra)}")  # argparse's own message, exit 2
    except SystemExit as exc:  # argparse already printed its message
        return int(exc.code or 0) and EXIT_USAGE
    if not args.command:
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.run(args)
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
