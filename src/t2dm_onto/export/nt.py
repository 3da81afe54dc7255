"""Export format ``nt``: N-Triples, one triple a line, sorted (canonical blank nodes)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .rdf import write_kb

if TYPE_CHECKING:
    from ..kb import KnowledgeBase

KIND = "file"
DESCRIPTION = "N-Triples, one triple a line, sorted (canonical blank nodes)"


def write(kb: KnowledgeBase, path: Path) -> None:
    write_kb(kb, path, "nt")
