"""Biolink KGX export: ``nodes.tsv`` and ``edges.tsv``, one edge per claim, for KG-Hub and Biolink tools.

Why these choices:

- **Node ids** follow Biolink's own preference: an entity takes the first of its
  exact matches whose prefix the Biolink class lists in ``id_prefixes`` (and
  that no other entity shares); otherwise it keeps our CURIE (``T2DMOP:...``).
  Our CURIE is always in ``xref``, beside the exact and close matches, so every
  node can be traced back.
- **Predicates.** ``increases``/``decreases`` become ``biolink:affects`` with
  ``qualified_predicate: biolink:causes`` and ``object_direction_qualifier:
  increased|decreased`` (the Biolink 4 pattern), plus ``object_aspect_qualifier``
  where our aspect has a Biolink value and the object is a gene product or
  chemical (the enumeration is for those). Correlations use
  ``biolink:positively|negatively_correlated_with``; ``associated_with`` stays
  unsigned; a reported absence of effect ("no association") is
  ``biolink:affects`` with ``negated: true``. ``original_predicate`` keeps our
  relation so the sign never depends on reading qualifiers.
- **Evidence.** ``supporting_text`` is the verbatim Chinese quote;
  ``description`` the English statement; ``has_evidence`` the ECO code;
  ``publications`` the review itself and the references it cites for the claim,
  named by our own IRIs (``T2DMOP:ref/22``) because the review gives no PMID or
  DOI for them. ``knowledge_level`` is ``knowledge_assertion`` (curator
  inference: ``logical_entailment``; correlations: ``statistical_association``),
  ``agent_type`` ``manual_agent``. No ``primary_knowledge_source`` is written:
  it must be an ``infores:`` id from the Information Resource Registry, and
  t2dm-onto has none yet (we do not invent one).
- What Biolink has no slot for (section, study type, population, sex, species,
  detail, our aspect word) goes in ``t2dm_*`` columns, which KGX carries through.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import InputError
from .model import REVIEW, ExportModel, Node, load_model, own_curie, ref_iri, sign_of

KIND = "dir"
DESCRIPTION = "Biolink KGX TSV folder (nodes.tsv, edges.tsv): one edge per claim with qualifiers and evidence"

BIOLINK_VERSION = "4.4.6"

#: Biolink class for each of our top categories.
CATEGORIES: dict[str, str] = {
    "GeneOrProtein": "biolink:Protein",
    "Hormone": "biolink:ChemicalEntity",
    "ChemicalEntity": "biolink:ChemicalEntity",
    "DrugOrTherapy": "biolink:Drug",
    "BiologicalProcess": "biolink:BiologicalProcess",
    "SignallingPathway": "biolink:Pathway",
    "CellType": "biolink:Cell",
    "AnatomicalEntity": "biolink:AnatomicalEntity",
    "DiseaseOrDisorder": "biolink:Disease",
    "PhenotypicFeature": "biolink:PhenotypicFeature",
    "Measurement": "biolink:ClinicalAttribute",
    "LifestyleOrAnthropometricFactor": "biolink:ClinicalAttribute",
}

#: Prefixes (in Biolink's order of preference) a node of each class may be identified by.
ID_PREFIXES: dict[str, tuple[str, ...]] = {
    "biolink:Protein": ("UniProtKB", "MESH"),
    "biolink:ChemicalEntity": ("CHEBI", "DRUGBANK", "MESH"),
    "biolink:Drug": ("CHEBI", "DRUGBANK", "MESH"),
    "biolink:BiologicalProcess": ("GO",),
    "biolink:Pathway": ("GO",),
    "biolink:Cell": ("CL", "MESH", "UBERON"),
    "biolink:CellLine": ("CLO",),
    "biolink:AnatomicalEntity": ("UBERON", "GO", "CL", "MESH"),
    "biolink:Disease": ("MONDO", "DOID", "EFO", "MESH", "HP"),
    "biolink:PhenotypicFeature": ("HP", "EFO", "MESH"),
    "biolink:ClinicalAttribute": ("EFO", "MESH"),  # Biolink lists none; EFO traits (OBA is not in its prefix map)
}

#: Our aspect -> Biolink GeneOrGeneProductOrChemicalEntityAspectEnum, where one exists.
ASPECTS: dict[str, str] = {
    "expression": "expression",
    "activity": "activity",
    "level": "abundance",
    "secretion": "secretion",
    "synthesis": "synthesis",
}

#: Object classes the aspect enumeration applies to.
MOLECULAR = {"biolink:Protein", "biolink:ChemicalEntity", "biolink:Drug"}

#: Our relation -> (predicate, direction qualifier, negated).
PREDICATES: dict[str, tuple[str, str | None, bool]] = {
    "increases": ("biolink:affects", "increased", False),
    "decreases": ("biolink:affects", "decreased", False),
    "positively_correlated_with": ("biolink:positively_correlated_with", None, False),
    "negatively_correlated_with": ("biolink:negatively_correlated_with", None, False),
    "associated_with": ("biolink:associated_with", None, False),
    "no_association": ("biolink:affects", None, True),
}

NODE_COLUMNS = ["id", "category", "name", "description", "synonym", "xref", "provided_by", "t2dm_label_zh",
                "t2dm_category"]
EDGE_COLUMNS = [
    "id", "subject", "predicate", "object", "qualified_predicate", "object_aspect_qualifier",
    "object_direction_qualifier", "negated", "anatomical_context_qualifier", "knowledge_level", "agent_type",
    "publications", "has_evidence", "supporting_text", "description", "original_subject", "original_predicate",
    "original_object", "t2dm_aspect", "t2dm_section", "t2dm_study_type", "t2dm_population", "t2dm_sex",
    "t2dm_species", "t2dm_detail",
]
PROVIDED_BY = "T2DMOP:t2dm_op.owl"
LIST_SEP = "|"


def category(node: Node) -> str:
    """The Biolink class of a node (a Cellosaurus-mapped cell type is a cell line)."""
    if node.category == "CellType" and any(x.startswith("cellosaurus:") for x in node.exact):
        return "biolink:CellLine"
    return CATEGORIES.get(node.category, "biolink:NamedThing")


def node_id(model: ExportModel, node: Node) -> str:
    """The KGX id of a node: a preferred, unshared exact match, else our CURIE."""
    usable = model.unique_exact.get(node.iri, ())
    for prefix in ID_PREFIXES.get(category(node), ()):
        for curie in usable:
            if curie.split(":", 1)[0] == prefix:
                return curie
    return node.curie


def _cell(value: Any, where: str, multi: bool = False) -> str:
    """One TSV cell; refuses text KGX cannot carry (tabs, line breaks, and ``|`` inside a list item)."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return LIST_SEP.join(_cell(v, where, multi=True) for v in value)
    text = "true" if value is True else "false" if value is False else str(value)
    bad = [c for c in "\t\n\r" if c in text] + ([LIST_SEP] if multi and LIST_SEP in text else [])
    if bad:
        raise InputError(f"{where}: the value {text!r} holds {bad[0]!r}, which KGX TSV cannot carry; "
                         "fix the curated text and rebuild.")
    return text


def node_rows(model: ExportModel) -> list[dict[str, Any]]:
    nodes = {n.iri: n for n in [*model.used, *model.context_nodes]}
    rows = []
    for node in nodes.values():
        xrefs = sorted({node.curie, *node.exact, *node.matches.get("closeMatch", ())} - {node_id(model, node)})
        rows.append({
            "id": node_id(model, node), "category": [category(node)], "name": node.label,
            "description": node.definition, "synonym": list(node.synonyms), "xref": xrefs,
            "provided_by": [PROVIDED_BY], "t2dm_label_zh": node.label_zh, "t2dm_category": node.category,
        })
    return sorted(rows, key=lambda r: r["id"])


def knowledge_level(claim: dict[str, Any]) -> str:
    if claim["evidence"] == "ECO:0000305":
        return "logical_entailment"
    if claim["relation"] in ("positively_correlated_with", "negatively_correlated_with"):
        return "statistical_association"
    return "knowledge_assertion"


def edge_row(model: ExportModel, claim: dict[str, Any]) -> dict[str, Any]:
    subject = model.node(claim["subject"]["iri"])
    obj = model.node(claim["object"]["iri"])
    sign_of(claim["relation"])  # refuses an unknown relation with a clear message
    predicate, direction, negated = PREDICATES[claim["relation"]]
    aspect = claim.get("aspect")
    aspect_qualifier = ASPECTS.get(aspect or "") if category(obj) in MOLECULAR else None
    return {
        "id": own_curie(claim["id"]),
        "subject": node_id(model, subject),
        "predicate": predicate,
        "object": node_id(model, obj),
        "qualified_predicate": "biolink:causes" if direction else None,
        "object_aspect_qualifier": aspect_qualifier if direction else None,
        "object_direction_qualifier": direction,
        "negated": True if negated else None,
        "anatomical_context_qualifier": [node_id(model, model.node(i)) for i in claim["context_entities"]] or None,
        "knowledge_level": knowledge_level(claim),
        "agent_type": "manual_agent",
        "publications": [own_curie(REVIEW), *(own_curie(ref_iri(n)) for n in claim["references"])],
        "has_evidence": [claim["evidence"]],
        "supporting_text": [claim["quote_zh"]],
        "description": claim["statement_en"],
        "original_subject": subject.curie,
        "original_predicate": f"T2DMOP:{claim['relation']}",
        "original_object": obj.curie,
        "t2dm_aspect": aspect,
        "t2dm_section": claim["section"],
        "t2dm_study_type": claim.get("study_type"),
        "t2dm_population": claim.get("population"),
        "t2dm_sex": claim.get("sex"),
        "t2dm_species": claim.get("species"),
        "t2dm_detail": claim.get("detail"),
    }


def _tsv(columns: list[str], rows: list[dict[str, Any]], what: str) -> bytes:
    lines = ["\t".join(columns)]
    for row in rows:
        lines.append("\t".join(_cell(row.get(c), f"{what} {row['id']}, column {c}") for c in columns))
    return ("\n".join(lines) + "\n").encode("utf-8")


def write(kb, path: Path) -> None:
    """Write ``nodes.tsv`` and ``edges.tsv`` into the (fresh, empty) folder ``path``."""
    model = load_model(kb)
    nodes = node_rows(model)
    ids = [n["id"] for n in nodes]
    if len(ids) != len(set(ids)):  # unique_exact makes this impossible; guard the invariant anyway
        raise InputError("two entities got the same KGX id: check mappings/t2dm_op.sssom.tsv for a shared exact match.")
    edges = [edge_row(model, c) for c in model.claims]
    out = Path(path)
    (out / "nodes.tsv").write_bytes(_tsv(NODE_COLUMNS, nodes, "node"))
    (out / "edges.tsv").write_bytes(_tsv(EDGE_COLUMNS, edges, "claim"))
