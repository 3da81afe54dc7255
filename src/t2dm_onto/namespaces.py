"""IRIs and vocabulary of the ontology, in one place.

Plain strings (no rdflib) so the query path stays light. The controlled
vocabularies come from :mod:`t2dm_onto.vocabulary` (``vocabulary.json``, which
the builder writes from ``curation/schema.yaml``).
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

#: The controlled vocabularies (RELATIONS, ASPECTS, STUDY_TYPES, ...) live in :mod:`t2dm_onto.vocabulary`,
#: read from the vocabulary.json the builder writes from curation/schema.yaml; they are also importable
#: from here, read on first use, so the builder itself (which writes that file) never depends on it.
_VOCABULARY_NAMES = frozenset({"VOCABULARY", "RELATIONS", "ASPECTS", "STUDY_TYPES", "STUDY_TYPE_EVIDENCE_IN",
                               "EVIDENCE_CODES", "SECTIONS", "N_REFERENCES"})


def __getattr__(name: str):
    if name in _VOCABULARY_NAMES:
        from . import vocabulary

        return getattr(vocabulary, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def local_name(iri: str) -> str:
    """The last segment of an IRI: ``https://w3id.org/t2dm-onto/RANKL`` -> ``RANKL``; claim IRIs -> ``S2_5_09``."""
    return iri.rsplit("/", 1)[-1]


def t2dm_name(iri: str) -> str:
    """An IRI's path below :data:`BASE` (``claim/S2_5_09``, ``RANKL``); any other IRI unchanged.

    Relation and category names are these paths: ``BASE + "increases"`` is the relation ``increases``.
    """
    return iri[len(BASE):] if iri.startswith(BASE) else iri


def curie_to_iri(curie: str) -> str:
    """Expand an OBO-style CURIE such as ``ECO:0000304`` to its PURL."""
    prefix, _, local = curie.partition(":")
    return f"{OBO}{prefix}_{local}"
