"""IRIs and vocabulary of the ontology, in one place.

Plain strings (no rdflib) so the query path stays light.
"""

from __future__ import annotations

BASE = "https://w3id.org/t2dm-onto/"
T2DM = BASE
CLAIM = BASE + "claim/"
REF = BASE + "ref/"
ONTOLOGY_IRI = BASE + "t2dm_op.owl"
#: The named graph to load the knowledge base into on a triple store (the
#: ontology's own IRI, as is usual for OWL ontologies); ``--graph`` takes it.
KB_GRAPH = ONTOLOGY_IRI
PREFERRED_PREFIX = "T2DMOP"

OBO = "http://purl.obolibrary.org/obo/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
VANN = "http://purl.org/vocab/vann/"
OIO = "http://www.geneontology.org/formats/oboInOwl#"
BIOLINK = "https://w3id.org/biolink/vocab/"
FOAF = "http://xmlns.com/foaf/0.1/"

#: Prefixes written into Turtle and prepended to SPARQL.
PREFIXES: dict[str, str] = {
    "t2dm": T2DM,
    "claim": CLAIM,
    "ref": REF,
    "obo": OBO,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "prov": PROV,
    "vann": VANN,
    "oboInOwl": OIO,
    "biolink": BIOLINK,
    "foaf": FOAF,
}

#: The six claim relations; each is an owl:AnnotationProperty t2dm:<name> (the shortcut edges are annotations).
#: sign: +1 / -1 for signed relations, 0 for "no association", None when unsigned.
#: causal: whether the relation asserts a direction of effect (used by path queries).
RELATIONS: dict[str, dict] = {
    "increases": {"sign": 1, "causal": True},
    "decreases": {"sign": -1, "causal": True},
    "positively_correlated_with": {"sign": 1, "causal": False},
    "negatively_correlated_with": {"sign": -1, "causal": False},
    "associated_with": {"sign": None, "causal": False},
    "no_association": {"sign": 0, "causal": False},
}

ASPECTS = (
    "expression", "activity", "level", "secretion", "synthesis", "risk", "incidence",
    "progression", "differentiation", "proliferation", "function", "response",
)

#: The one controlled list of study types (mirrored by shapes/t2dm_op.shapes.ttl, explained in
#: curation/CURATION.md). Every claim carries one: ``not_stated`` when the review names no kind
#: of study, so "unknown" is told apart from "forgotten"; ``mixed`` when it names several.
STUDY_TYPES: dict[str, str] = {
    "in_vitro": "in vitro study",
    "cell_line": "cell line study",
    "animal": "animal study",
    "human_observational": "human observational study",
    "clinical_study": "clinical study",
    "randomised_controlled_trial": "randomised controlled trial",
    "meta_analysis": "meta-analysis",
    "mixed": "several kinds of study (named in the claim's detail)",
    "not_stated": "study type not stated by the review",
}

#: ECO codes used for the review-level evidence layer.
EVIDENCE_CODES: dict[str, str] = {
    "ECO:0000304": "author statement supported by traceable reference used in manual assertion",
    "ECO:0000303": "author statement without traceable support used in manual assertion",
    "ECO:0000305": "curator inference used in manual assertion",
}

#: Sections of the review that may carry claims (the abstract and section 3 make none).
SECTIONS = (
    "1", "2", "2.1", "2.2", "2.2.1", "2.2.2", "2.3", "2.4", "2.4.1", "2.4.2", "2.4.3", "2.4.4",
    "2.5", "2.6", "2.6.1", "2.6.2", "2.7", "2.7.1", "2.7.2", "2.8", "2.8.1", "2.8.2", "2.8.3",
    "2.8.4", "2.8.5", "2.9", "3",
)

N_REFERENCES = 66


def curie_to_iri(curie: str) -> str:
    """Expand an OBO-style CURIE such as ``ECO:0000304`` to its PURL."""
    prefix, _, local = curie.partition(":")
    return f"{OBO}{prefix}_{local}"
