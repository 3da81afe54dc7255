"""Export the knowledge base to the formats of the field.

Each format is a module of this package defining ``KIND`` (``"file"`` or
``"dir"``), ``DESCRIPTION`` (one line) and ``write(kb, path) -> None``. The
writer is given a temporary path; :func:`export` renames it over the target
only when the writer succeeded, so a failed export leaves nothing half-written.
Writers must be deterministic: the same knowledge base gives the same bytes.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from ..errors import UsageError
from ..outputs import atomic_dir, atomic_output

if TYPE_CHECKING:
    from ..kb import KnowledgeBase

#: format name -> module (relative to this package) implementing it.
FORMATS: dict[str, str] = {
    "bel": "bel",
    "kgx": "kgx",
    "nanopub": "nanopub",
    "graphml": "graphml",
    "cx2": "cx2",
    "ttl": "ttl",
    "nt": "nt",
    "rdfxml": "rdfxml",
    "jsonld": "jsonld",
    "owl": "owl",
}


def exporter(fmt: str) -> ModuleType:
    """The module writing ``fmt``; a clear error names the formats there are."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}: use one of {', '.join(sorted(FORMATS))}.")
    return importlib.import_module(f"{__name__}.{FORMATS[fmt]}")


def export(kb: KnowledgeBase, fmt: str, out: str | Path | None) -> Path | None:
    """Write ``kb`` as ``fmt`` to ``out`` (a file, or a folder for folder formats).

    With ``out=None`` a file format is written to standard output.
    """
    mod = exporter(fmt)
    if mod.KIND == "dir":
        if out is None:
            raise UsageError(f"format {fmt!r} writes a folder of files: give -o DIR.")
        with atomic_dir(out, "export") as tmp:
            mod.write(kb, tmp)
        return Path(out)
    if out is None:
        import tempfile

        with tempfile.TemporaryDirectory() as d:
            tmp = Path(d) / f"export.{fmt}"
            mod.write(kb, tmp)
            sys.stdout.buffer.write(tmp.read_bytes())
            sys.stdout.flush()
        return None
    with atomic_output(out) as tmp:
        mod.write(kb, tmp)
    return Path(out)
