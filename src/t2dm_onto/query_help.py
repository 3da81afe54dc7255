"""``t2dm-onto query NAME --help``: one canned query's parameters, their types, defaults and allowed values.

The generic help of the ``query`` command cannot say what ``max_hops`` may be or
which relations exist; each query's ``#+ param`` header can, so the help is
written from the header, in the terms the parameter checks of
:meth:`t2dm_onto.kb.KnowledgeBase.bindings` use.
"""

from __future__ import annotations

from .catalog import REQUIRED, UNDEF, CannedQuery, Param
from .namespaces import RELATIONS, SECTIONS, STUDY_TYPES


def allowed(p: Param) -> str:
    """What values the parameter takes, in words."""
    kind = p.kind
    if kind == "entity":
        return "an entity: English or Chinese label, synonym, CURIE or IRI (`t2dm-onto query entities` lists them)"
    if kind == "term":
        return "an external CURIE or IRI (e.g. GO:0001503), or one of our entities"
    if kind == "bool":
        return "true or false"
    if kind == "int":
        span = p.int_range
        return f"a whole number from {span[0]} to {span[1]}" if span else "a whole number"
    if kind == "relation":
        return "one of " + ", ".join(RELATIONS)
    if kind == "study_type":
        return "one of " + ", ".join(STUDY_TYPES)
    if kind == "section":
        return "a section of the review: " + ", ".join(SECTIONS)
    return "any text"


def default(p: Param) -> str:
    if p.default == REQUIRED:
        return "required"
    if p.default == UNDEF:
        return "optional, no default (not filtered)"
    return f"default {p.default}"


def query_help(query: CannedQuery) -> str:
    """The help text for one canned query."""
    usage = " ".join(
        [
            f"t2dm-onto query {query.name}",
            *(f"{p.name}={p.example}" if p.required else f"[{p.name}=…]" for p in query.params),
            *(["[limit=…] [offset=…]"] if query.page_size else []),
            "[--lang en|zh] [--format table|json|csv|tsv|markdown] [store options]",
        ]
    )
    lines = [f"usage: {usage}", "", query.description, "", "parameters:"]
    width = max([len(p.name) for p in query.params] + [6 if query.page_size else 4])
    for p in query.params:
        lines.append(f"  {p.name:<{width}}  {p.type}, {default(p)}; e.g. {p.name}={p.example}")
        lines.append(f"  {'':<{width}}  {p.description}")
        lines.append(f"  {'':<{width}}  allowed: {allowed(p)}")
    lines.append(f"  {'lang':<{width}}  en or zh, default en (or --lang); the language of the labels")
    if query.page_size:
        lines.append(f"  {'limit':<{width}}  rows per page, default {query.page_size}; limit=0 for every row")
        lines.append(f"  {'offset':<{width}}  rows to skip, default 0; pages follow the query's ORDER BY")
    lines += [
        "",
        f"SPARQL: {query.path.name}"
        + (f" (the SPARQL of {query.base}.rq)" if query.base else "")
        + "; it runs as it is in any SPARQL engine with the defaults above.",
        "Store and output options: `t2dm-onto query --help`.",
    ]
    return "\n".join(lines) + "\n"
