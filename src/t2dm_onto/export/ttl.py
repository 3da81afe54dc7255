"""Export format ``ttl``: Turtle, with the project's prefixes."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .rdf import write_kb

if TYPE_CHECKING:
    from ..kb import KnowledgeBase

KIND = "file"
DESCRIPTION = "Turtle, with the project's prefixes"


def write(kb: KnowledgeBase, path: Path) -> None:
    write_kb(kb, path, "ttl")
