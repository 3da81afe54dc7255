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
#: A comment line that marks another place for the parameters' VALUES block.
PARAMETERS_MARK = re.compile(r"^([ \t]*)#@parameters[ \t]*$", re.MULTILINE)
#: A ``#@defaults`` or ``#@parameters`` comment line with, in a canned file, the VALUES line of the
#: values the file runs with on its own (in Jena's arq, a store's query page…): a slot for the bound block.
SLOT = re.compile(r"^([ \t]*)#@(defaults|parameters)\b[^\n]*(?:\n[ \t]*VALUES\b[^\n]*)?$", re.MULTILINE)


def with_values(query: str, bindings: dict[str, Term | None]) -> str:
    """Insert a VALUES block at the start of the top-level WHERE group, and at each ``#@parameters`` line.

    Comment lines are skipped when looking for the WHERE. The canned queries use their
    parameters only where a top-level join gives the intended answer.

    A query may repeat the block inside a group by a line ``#@parameters`` (a
    comment, so the file stays plain SPARQL). Joining the same one-row block again
    inside a group changes no answer (the top-level join restricts the same
    variables to the same values), but it lets a store's optimiser see the bound
    parameters where the selective patterns are, e.g. in each branch of a UNION or
    inside a sub-SELECT, instead of evaluating the group for every value and
    filtering afterwards. Only groups whose answers are joined with the top level
    (not MINUS, NOT EXISTS or OPTIONAL bodies that test for absence) may carry the mark.

    A canned ``.rq`` file carries its own defaults, so it runs as it is in any SPARQL
    engine: a line ``#@defaults …`` at the start of the top-level WHERE group, and
    after it and after each ``#@parameters`` line a VALUES line binding every
    parameter to its default (a required one to its header's example). Each such
    pair of lines is replaced by the bound block, so a bound query reads as it did
    before files carried defaults (``tools/query_defaults.py`` writes the lines).
    """
    if not bindings:
        return query
    block = values_block(bindings)
    if any(m.group(2) == "defaults" for m in SLOT.finditer(query)):  # a canned file with its own defaults
        return SLOT.sub(lambda m: m.group(1) + block, query)
    offset = 0
    for line in query.splitlines(keepends=True):
        if line.lstrip().startswith("#"):
            offset += len(line)
            continue
        match = _WHERE.search(line)
        if match:
            at = offset + match.end()
            head, tail = query[:at], query[at:]
            tail = PARAMETERS_MARK.sub(lambda m: m.group(1) + block, tail)
            return head + "\n  " + block + "\n" + tail
        offset += len(line)
    raise ValueError("query has no WHERE clause to bind parameters into")
