"""Export format ``rdfxml``: RDF/XML, as it stands in the knowledge base (no import merging)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .rdf import write_kb

if TYPE_CHECKING:
    from ..kb import KnowledgeBase

KIND = "file"
DESCRIPTION = "RDF/XML, as it stands in the knowledge base (no import merging)"


def write(kb: KnowledgeBase, path: Path) -> None:
    write_kb(kb, path, "rdfxml")
