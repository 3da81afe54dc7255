"""IRIs and vocabulary of the ontology, in one place.

Plain strings (no rdflib) so the query path stays light. The controlled
vocabularies come from ``vocabulary.json``, which the builder writes from
``curation/schema.yaml``.
"""

from __future__ import annotations

import json
from pathlib import Path

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

#: The controlled vocabularies, defined in curation/schema.yaml and written by `t2dm-onto build` into
#: vocabulary.json beside this module (plain JSON, so the query path needs no PyYAML and no checkout).
VOCABULARY: dict = json.loads(Path(__file__).with_name("vocabulary.json").read_text(encoding="utf-8"))

#: The six claim relations; each is an owl:AnnotationProperty t2dm:<name> (the shortcut edges are annotations).
#: sign: +1 / -1 for signed relations, 0 for "no association", None when unsigned.
#: causal: whether the relation asserts a direction of effect (used by path queries).
RELATIONS: dict[str, dict] = {
    name: {"sign": r["sign"], "causal": r["causal"]} for name, r in VOCABULARY["relations"].items()
}

ASPECTS: tuple[str, ...] = tuple(VOCABULARY["aspects"])

#: The one controlled list of study types (explained in curation/CURATION.md). Every claim carries one:
#: ``not_stated`` when the review names no kind of study, so "unknown" is told apart from "forgotten";
#: ``mixed`` when it names several.
STUDY_TYPES: dict[str, str] = dict(VOCABULARY["study_types"])

#: ECO codes used for the review-level evidence layer.
EVIDENCE_CODES: dict[str, str] = dict(VOCABULARY["evidence_codes"])

#: Sections of the review that may carry claims (the abstract makes none).
SECTIONS: tuple[str, ...] = tuple(VOCABULARY["sections"])

N_REFERENCES: int = VOCABULARY["references"]


def curie_to_iri(curie: str) -> str:
    """Expand an OBO-style CURIE such as ``ECO:0000304`` to its PURL."""
    prefix, _, local = curie.partition(":")
    return f"{OBO}{prefix}_{local}"
