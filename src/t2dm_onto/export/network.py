"""Node and edge attribute tables shared by the network formats (GraphML, Cytoscape CX2).

Why one table: Cytoscape users load either file and style by the same columns
(``category`` for nodes; ``interaction`` and ``sign`` for edges), and a test can
read both back against one definition. Each attribute has a type so that CX2
can declare it and GraphML can write its ``<key>``; list values stay lists here
and each format decides how to carry them.
"""

from __future__ import annotations

from typing import Any

from ..namespaces import BASE, RELATIONS, local_name
from .kgx import category as biolink_category
from .model import ExportModel, Node, sign_of

#: Node attribute -> CX2 type. ``name`` is what Cytoscape shows.
NODE_ATTRIBUTES: dict[str, str] = {
    "name": "string",
    "label_zh": "string",
    "iri": "string",
    "curie": "string",
    "category": "string",
    "biolink_category": "string",
    "exact_matches": "list_of_string",
    "xrefs": "list_of_string",
    "synonyms": "list_of_string",
    "definition": "string",
}

#: Edge attribute -> CX2 type. ``interaction`` is Cytoscape's edge-type column.
EDGE_ATTRIBUTES: dict[str, str] = {
    "claim": "string",
    "interaction": "string",
    "sign": "integer",
    "causal": "boolean",
    "aspect": "string",
    "references": "list_of_integer",
    "section": "string",
    "evidence": "string",
    "study_type": "string",
    "population": "string",
    "sex": "string",
    "species": "string",
    "context": "list_of_string",
    "context_labels": "list_of_string",
    "detail": "string",
    "statement_en": "string",
    "quote_zh": "string",
    "citation": "string",
}

NETWORK_ATTRIBUTES: dict[str, str] = {
    "name": "string",
    "description": "string",
    "version": "string",
    "rights": "string",
    "source": "string",
}


def network_attributes(model: ExportModel) -> dict[str, Any]:
    return {
        "name": model.title,
        "description": (f"Every claim of the review {model.review_title} as a signed edge (sign +1, -1, 0 for "
                        "no association, absent when unsigned), with its cited reference numbers and verbatim quote."),
        "version": model.version,
        "rights": model.license or "CC BY 4.0",
        "source": BASE,
    }


def node_attributes(model: ExportModel, node: Node) -> dict[str, Any]:
    """A node's attributes; ``None`` and empty lists mean "not given" and are left out by the writers."""
    return {
        "name": node.label,
        "label_zh": node.label_zh,
        "iri": node.iri,
        "curie": node.curie,
        "category": node.category,
        "biolink_category": biolink_category(node),
        "exact_matches": list(node.exact),
        "xrefs": list(node.xrefs),
        "synonyms": list(node.synonyms),
        "definition": node.definition,
    }


def edge_attributes(model: ExportModel, claim: dict[str, Any]) -> dict[str, Any]:
    """One claim's attributes: sign, relation, evidence and context."""
    return {
        "claim": claim["id"],
        "interaction": claim["relation"],
        "sign": sign_of(claim["relation"]),
        "causal": RELATIONS[claim["relation"]]["causal"],
        "aspect": claim.get("aspect"),
        "references": list(claim["references"]),
        "section": claim["section"],
        "evidence": claim["evidence"],
        "study_type": claim.get("study_type"),
        "population": claim.get("population"),
        "sex": claim.get("sex"),
        "species": claim.get("species"),
        "context": [model.node(i).curie for i in claim["context_entities"]],
        "context_labels": [model.node(i).label for i in claim["context_entities"]],
        "detail": claim.get("detail"),
        "statement_en": claim["statement_en"],
        "quote_zh": claim["quote_zh"],
        "citation": f"{model.review_title} (the review)" + (
            f", citing reference {', '.join(f'[{n}]' for n in claim['references'])}" if claim["references"] else ""),
    }


def given(value: Any) -> bool:
    """Whether a value is written (CX2 and GraphML leave absent values out rather than writing nulls)."""
    return value is not None and value != []


def edge_key(claim: dict[str, Any]) -> str:
    """A short edge id: the claim's local name (``S2_5_09``)."""
    return local_name(claim["id"])
