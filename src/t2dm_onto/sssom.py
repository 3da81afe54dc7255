"""SSSOM TSV reading: the ``curie_map`` of the YAML header and the mapping rows.

Why a module of its own: the prefix expansion in :mod:`t2dm_onto.curies` (bottom
layer, used by every query) needs the curie map, and the curation loader (which
needs the whole builder) must not be imported to get it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError


@dataclass(frozen=True)
class Mapping:
    subject: str  # entity id (local name)
    predicate: str  # CURIE, e.g. skos:exactMatch
    object_id: str  # CURIE
    object_label: str
    justification: str
    comment: str = ""



def read_sssom(path: Path) -> tuple[dict[str, str], list[Mapping]]:
    """Parse an SSSOM TSV: the ``curie_map`` of its YAML header and its rows."""
    curie_map: dict[str, str] = {}
    header: list[str] = []
    body: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        (header if line.startswith("#") else body).append(line)
    in_map = False
    for line in header:
        text = line[1:]
        if text.strip().startswith("curie_map:"):
            in_map = True
            continue
        if in_map and text.startswith("  ") and ":" in text:
            key, _, value = text.strip().partition(":")
            curie_map[key.strip()] = value.strip().strip("'\"")
        elif text.strip():
            in_map = False
    rows = list(csv.DictReader(body, delimiter="\t"))
    mappings = []
    for i, row in enumerate(rows, start=2):
        sid = row.get("subject_id") or ""
        if not sid.startswith("T2DMOP:"):
            raise InputError(f"{path}: row {i}: subject_id {sid!r} is not a T2DMOP: CURIE.")
        mappings.append(
            Mapping(
                subject=sid.split(":", 1)[1],
                predicate=row["predicate_id"],
                object_id=row["object_id"],
                object_label=row.get("object_label") or "",
                justification=row.get("mapping_justification") or "",
                comment=row.get("comment") or "",
            )
        )
    return curie_map, mappings
