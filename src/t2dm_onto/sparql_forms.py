"""Ad-hoc SPARQL of every query form: SELECT rows, an ASK answer, CONSTRUCT and DESCRIBE triples.

``t2dm-onto sparql`` used to run SELECT only. The form is read from the query's
first keyword after the prologue, so each form goes to the store call that
returns it, and its answer is written in a format that suits it: rows as a
table, JSON, CSV…; a boolean as ``true``/``false`` or SPARQL JSON; triples as
Turtle, N-Triples, RDF/XML or JSON-LD (the export writers, so the same graph
gives the same bytes).
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from .errors import UsageError
from .formats import render

if TYPE_CHECKING:
    from .kb import KnowledgeBase

#: Output formats for triples (the export writers' syntaxes)
RDF_FORMATS = ("ttl", "nt", "rdfxml", "jsonld")
_COMMENT = re.compile(r"(^|\s)#[^\n]*")
_FORM = re.compile(
    r"^\s*(?:(?:PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE
)


def query_form(text: str) -> str:
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``; ``SELECT`` when unclear (the store then says what is wrong)."""
    match = _FORM.match(_COMMENT.sub(r"\1", text))
    return match.group(1).upper() if match else "SELECT"


def answer(kb: KnowledgeBase, text: str, fmt: str) -> str:
    """Run ``text`` on ``kb`` and render its answer in ``fmt`` (a table format or one of :data:`RDF_FORMATS`)."""
    form = query_form(text)
    if form == "ASK":
        value = kb.ask(text)
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": value}) + "\n"
        return ("true" if value else "false") + "\n"
    if form in ("CONSTRUCT", "DESCRIBE"):
        syntax = {"table": "ttl", "markdown": "ttl", "json": "jsonld"}.get(fmt, fmt)
        if syntax not in RDF_FORMATS:
            raise UsageError(
                f"a {form} query returns RDF: use --format {', '.join(RDF_FORMATS)} (or json for JSON-LD)."
            )
        from .export.rdf import canonical, serialize

        return serialize(canonical(kb.construct(text)), syntax).decode("utf-8")
    if fmt in RDF_FORMATS:
        raise UsageError(
            f"--format {fmt} is for CONSTRUCT and DESCRIBE; a SELECT returns rows: use table, json, "
            "csv, tsv or markdown."
        )
    result = kb.sparql(text)
    return render(result.columns, result.rows, fmt)
