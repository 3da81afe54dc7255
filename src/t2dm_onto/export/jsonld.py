"""Export format ``jsonld``: JSON-LD, expanded form (no remote context to fetch)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .rdf import write_kb

if TYPE_CHECKING:
    from ..kb import KnowledgeBase

KIND = "file"
DESCRIPTION = "JSON-LD, expanded form (no remote context to fetch)"


def write(kb: KnowledgeBase, path: Path) -> None:
    write_kb(kb, path, "jsonld")
