"""Whole-knowledge-base views: every claim as a record, and summary statistics.

Both are built with SPARQL through the backend, so they work on the embedded
store and on a remote endpoint alike.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from .namespaces import BASE, N_REFERENCES

if TYPE_CHECKING:
    from .kb import KnowledgeBase

SEP = "\u001f"
PREFIXES = """PREFIX t2dm: <https://w3id.org/t2dm-onto/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX oboInOwl: <http://www.geneontology.org/formats/oboInOwl#>
"""

ENTITY_QUERY = PREFIXES + f"""
SELECT ?e ?en ?zh ?category
       (GROUP_CONCAT(DISTINCT ?syn; separator="{SEP}") AS ?synonyms)
       (GROUP_CONCAT(DISTINCT ?xref; separator="{SEP}") AS ?xrefs)
WHERE {{
  ?e rdfs:subClassOf* ?category . ?category rdfs:subClassOf t2dm:Entity .
  ?e rdfs:label ?en . FILTER (LANG(?en) = "en")
  ?e rdfs:label ?zh . FILTER (LANG(?zh) = "zh")
  OPTIONAL {{ ?e skos:altLabel ?syn0 }} BIND (COALESCE(STR(?syn0), "") AS ?syn)
  OPTIONAL {{ ?e oboInOwl:hasDbXref ?xref0 }} BIND (COALESCE(STR(?xref0), "") AS ?xref)
}} GROUP BY ?e ?en ?zh ?category
"""

#: The top categories and grouping classes: they organise the entities but are not named by the review.
CATEGORY_QUERY = PREFIXES + "SELECT DISTINCT ?e WHERE { ?e t2dm:is_category true }"

CLAIM_QUERY = PREFIXES + f"""
SELECT ?c ?s ?r ?o ?aspect ?section ?quote ?statement ?eco ?study ?population ?sex ?species ?detail
       (GROUP_CONCAT(DISTINCT ?n; separator=",") AS ?refs)
       (GROUP_CONCAT(DISTINCT ?ctx; separator="{SEP}") AS ?contexts)
WHERE {{
  ?c a t2dm:Claim ; t2dm:has_subject ?s ; t2dm:has_relation ?r ; t2dm:has_object ?o ;
     t2dm:section ?section ; t2dm:quote_zh ?quote ; t2dm:statement_en ?statement ; t2dm:evidence ?eco .
  OPTIONAL {{ ?c t2dm:aspect ?aspect }}
  OPTIONAL {{ ?c t2dm:study_type ?study }}
  OPTIONAL {{ ?c t2dm:population ?population }}
  OPTIONAL {{ ?c t2dm:sex ?sex }}
  OPTIONAL {{ ?c t2dm:species ?species }}
  OPTIONAL {{ ?c t2dm:detail ?detail }}
  OPTIONAL {{ ?c t2dm:cites/t2dm:reference_number ?num }} BIND (COALESCE(STR(?num), "") AS ?n)
  OPTIONAL {{ ?c t2dm:in_context ?ctxi }} BIND (COALESCE(STR(?ctxi), "") AS ?ctx)
}} GROUP BY ?c ?s ?r ?o ?aspect ?section ?quote ?statement ?eco ?study ?population ?sex ?species ?detail
"""


def _split(value: Any) -> list[str]:
    return sorted(v for v in str(value or "").split(SEP) if v)


def entity_records(kb: KnowledgeBase) -> dict[str, dict[str, Any]]:
    """IRI -> {iri, label, label_zh, synonyms, xrefs, category} for every entity."""
    out: dict[str, dict[str, Any]] = {}
    for row in kb.backend.select(ENTITY_QUERY).rows:
        iri = row["e"]
        category = row["category"][len(BASE):]
        if iri not in out:
            out[iri] = {
                "iri": iri, "label": row["en"], "label_zh": row["zh"],
                "synonyms": _split(row["synonyms"]), "xrefs": _split(row["xrefs"]), "category": category,
            }
    return out


def _section_key(section: str) -> tuple[int, ...]:
    return tuple(int(p) for p in section.split("."))


def claims(kb: KnowledgeBase) -> list[dict[str, Any]]:
    ents = entity_records(kb)
    records = []
    for row in kb.backend.select(CLAIM_QUERY).rows:
        ctx_iris = _split(row["contexts"])
        ctx_labels = [ents[i]["label"] if i in ents else i for i in ctx_iris]
        parts = [row[k] for k in ("population", "sex", "species") if row.get(k)]
        parts += ctx_labels
        if row.get("detail"):
            parts.append(row["detail"])
        eco = row["eco"].rsplit("/", 1)[-1].replace("_", ":")
        records.append({
            "id": row["c"],
            "subject": _entity_view(ents, row["s"]),
            "relation": row["r"][len(BASE):],
            "object": _entity_view(ents, row["o"]),
            "aspect": row.get("aspect"),
            "references": sorted(int(n) for n in str(row["refs"] or "").split(",") if n),
            "section": row["section"],
            "quote_zh": row["quote"],
            "statement_en": row["statement"],
            "evidence": eco,
            "study_type": row.get("study"),
            "context": "; ".join(parts) or None,
            "population": row.get("population"),
            "sex": row.get("sex"),
            "species": row.get("species"),
            "context_entities": ctx_iris,
            "detail": row.get("detail"),
        })
    records.sort(key=lambda r: (_section_key(r["section"]), r["id"]))
    return records


def _entity_view(ents: dict[str, dict[str, Any]], iri: str) -> dict[str, Any]:
    rec = ents.get(iri) or {"iri": iri, "label": iri, "label_zh": None, "synonyms": [], "xrefs": []}
    return {k: rec[k] for k in ("iri", "label", "label_zh", "synonyms", "xrefs")}


def stats(kb: KnowledgeBase) -> dict[str, Any]:
    ents = entity_records(kb)
    grouping = {row["e"] for row in kb.backend.select(CATEGORY_QUERY).rows} & set(ents)
    named = [e for iri, e in ents.items() if iri not in grouping]
    records = claims(kb)
    used = Counter(r for c in records for r in c["references"])
    return {
        "triples": kb.backend.triples(),  # all that is loaded: the ontology and its import module
        "entities": len(named),  # the entities the review names (the README's count)
        "categories": len(grouping),  # top categories and grouping classes, counted apart
        "entities_by_category": dict(sorted(Counter(e["category"] for e in named).items())),
        "claims": len(records),
        "claims_by_relation": dict(sorted(Counter(c["relation"] for c in records).items())),
        "claims_by_section": dict(sorted(Counter(c["section"] for c in records).items(),
                                         key=lambda kv: _section_key(kv[0]))),
        "claims_by_evidence": dict(sorted(Counter(c["evidence"] for c in records).items())),
        "claims_by_study_type": dict(sorted(Counter(c["study_type"] or "not stated" for c in records).items())),
        "coverage": sentence_coverage(),
        "references_used": sorted(used),
        "references_unused": [n for n in range(1, N_REFERENCES + 1) if n not in used],
        "claims_per_reference": {str(k): v for k, v in sorted(used.items())},
    }


def sentence_coverage() -> dict[str, Any] | None:
    """The review's sentences with claims and without, by section, from the shipped ledger.

    Read from ``curation/coverage.tsv`` rather than the store: the ledger describes the
    review, which is the same whichever store or endpoint answers. None when it is not shipped.
    """
    from .coverage import ledger_file, read, reasons, summary

    path = ledger_file()
    if not path.is_file():
        return None
    rows = read(path)
    return {"by_section": summary(rows), "reasons": reasons(rows)}
