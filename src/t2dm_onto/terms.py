"""A tiny RDF term model used to bind query parameters on every backend.

Parameters become terms (an IRI, or a literal with a datatype or language),
never raw text: the embedded store receives them as native terms, the rdflib and
remote backends as a VALUES block written with N-Triples escaping. Nothing a user
types is ever spliced into query text as syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .turtle import escape

XSD = "http://www.w3.org/2001/XMLSchema#"
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


@dataclass(frozen=True)
class Term:
    """An IRI (``kind == "iri"``) or a literal with an optional datatype or language tag."""

    kind: str
    value: str
    datatype: str | None = None
    lang: str | None = None

    @classmethod
    def iri(cls, value: str) -> Term:
        if _BAD_IRI.search(value) or ":" not in value:
            raise ValueError(f"not a valid absolute IRI: {value!r}")
        return cls("iri", value)

    @classmethod
    def literal(cls, value: str, datatype: str | None = None, lang: str | None = None) -> Term:
        return cls("literal", value, datatype, lang)

    @classmethod
    def integer(cls, value: int) -> Term:
        return cls("literal", str(int(value)), XSD + "integer")

    @classmethod
    def boolean(cls, value: bool) -> Term:
        return cls("literal", "true" if value else "false", XSD + "boolean")

    def n3(self) -> str:
        """N-Triples / SPARQL syntax for this term, with every special character escaped."""
        if self.kind == "iri":
            return f"<{self.value}>"
        text = escape(self.value)
        if self.lang:
            return f'"{text}"@{self.lang}'
        if self.datatype and self.datatype != XSD + "string":
            return f'"{text}"^^<{self.datatype}>'
        return f'"{text}"'


def values_block(bindings: dict[str, Term | None]) -> str:
    """A SPARQL VALUES block binding each variable (``None`` becomes UNDEF)."""
    if not bindings:
        return ""
    names = sorted(bindings)
    cells = " ".join("UNDEF" if bindings[n] is None else bindings[n].n3() for n in names)
    return f"VALUES ({' '.join('?' + n for n in names)}) {{ ({cells}) }}"


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def with_values(query: str, bindings: dict[str, Term | None]) -> str:
    """Insert a VALUES block at the start of the top-level WHERE group.

    Comment lines are skipped when looking for it. The canned queries use their
    parameters only where a top-level join gives the intended answer.
    """
    if not bindings:
        return query
    offset = 0
    for line in query.splitlines(keepends=True):
        if line.lstrip().startswith("#"):
            offset += len(line)
            continue
        match = _WHERE.search(line)
        if match:
            at = offset + match.end()
            return query[:at] + "\n  " + values_block(bindings) + "\n" + query[at:]
        offset += len(line)
    raise ValueError("query has no WHERE clause to bind parameters into")
