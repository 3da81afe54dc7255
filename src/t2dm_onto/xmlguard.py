"""Refuse RDF/XML whose DTD could explode or reach outside the file.

RDF/XML written by Protégé and the OWL API declares entities for namespaces
(``<!ENTITY owl "http://www.w3.org/2002/07/owl#">``), so entities as such must
be allowed. Two kinds are not: an entity whose value refers to other entities
(nesting is what lets a 1 kB file expand to gigabytes, the "billion laughs";
measured here, Oxigraph expanded such a file to an 805 MB literal and 2.4 GB of
memory) and an external entity (``SYSTEM``/``PUBLIC``), which would read a local
file or the network into the data. Only the document's prolog is read.
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import InputError

_PROLOG_BYTES = 1 << 20
_ENTITY = re.compile(r"<!ENTITY\s+(%\s*)?([^\s]+)\s+(SYSTEM|PUBLIC|\"([^\"]*)\"|'([^']*)')", re.S)
MAX_ENTITY_VALUE = 4096


def check_rdfxml(path: Path) -> None:
    """Raise :class:`InputError` if the DTD of ``path`` declares a nested, parameter or external entity."""
    with open(path, "rb") as fh:
        head = fh.read(_PROLOG_BYTES).decode("utf-8", errors="replace")
    start = head.find("<!DOCTYPE")
    if start < 0:
        return
    end = head.find("]>", start)
    subset = head[start:] if end < 0 else head[start:end]
    for match in _ENTITY.finditer(subset):
        parameter, name, kind, dq, sq = match.groups()
        value = dq if dq is not None else sq
        problem = None
        if parameter:
            problem = "is a parameter entity"
        elif kind in ("SYSTEM", "PUBLIC"):
            problem = "is an external entity (it would read another file or the network)"
        elif value is not None and ("&" in value or "%" in value):
            problem = "refers to other entities (nested entities can expand without bound)"
        elif value is not None and len(value) > MAX_ENTITY_VALUE:
            problem = f"is longer than {MAX_ENTITY_VALUE} characters"
        if problem:
            raise InputError(f"{path}: the RDF/XML declares entity {name!r}, which {problem}. Refused for safety: "
                             "replace the entity references with their text, or save the file as Turtle.")
