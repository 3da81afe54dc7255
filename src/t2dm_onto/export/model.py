"""The knowledge base as one graph for the exchange formats: entity nodes, claim edges.

Why a shared model: BEL, KGX, nanopublications, GraphML and CX2 all need the
same things that the claim records alone do not give — each entity's external
identifiers *by mapping predicate* (only an exact match may stand in for our
node), its top category, and the sign of each relation — and they must agree,
so that a claim exported to two formats names the same nodes. Everything is
read from the store at run time (the ontology's ``skos:*Match`` links, written
from ``mappings/t2dm_op.sssom.tsv``); only the CURIE prefixes and the external
terms' labels come from the shipped SSSOM file itself, because RDF keeps IRIs.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..namespaces import BASE, CLAIM, PREFERRED_PREFIX, REF, RELATIONS

if TYPE_CHECKING:
    from ..kb import KnowledgeBase

#: The mapping predicates we read, strongest first.
MATCH_PREDICATES = ("exactMatch", "closeMatch", "narrowMatch", "broadMatch")

_PREFIXES = """PREFIX t2dm: <https://w3id.org/t2dm-onto/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX obo: <http://purl.obolibrary.org/obo/>
"""

MATCH_QUERY = _PREFIXES + """
SELECT ?e ?p ?m WHERE {
  VALUES ?p { skos:exactMatch skos:closeMatch skos:narrowMatch skos:broadMatch }
  ?e rdfs:subClassOf+ t2dm:Entity ; ?p ?m .
}
"""

DEFINITION_QUERY = _PREFIXES + """
SELECT ?e ?def WHERE { ?e rdfs:subClassOf+ t2dm:Entity ; obo:IAO_0000115 ?def . }
"""

HEADER_QUERY = _PREFIXES + """
SELECT ?version ?title ?review_title ?license WHERE {
  BIND (<https://w3id.org/t2dm-onto/t2dm_op.owl> AS ?o)  # the main ontology, not the import module
  ?o a owl:Ontology .
  OPTIONAL { ?o owl:versionInfo ?version }
  OPTIONAL { ?o dcterms:title ?title FILTER (LANG(?title) = "en") }
  OPTIONAL { ?o dcterms:license ?license }
  OPTIONAL { t2dm:review dcterms:title ?review_title }
}
"""

REFERENCE_QUERY = _PREFIXES + """
SELECT ?r ?n ?label WHERE { ?r a t2dm:Reference ; t2dm:reference_number ?n . OPTIONAL { ?r rdfs:label ?label } }
"""

#: The IRI of the review itself, the document every claim's quote comes from.
REVIEW = BASE + "review"


def local_name(iri: str) -> str:
    """``https://w3id.org/t2dm-onto/RANKL`` -> ``RANKL``; claim IRIs -> ``S2_5_09``."""
    return iri.rsplit("/", 1)[-1]


def own_curie(iri: str) -> str:
    """Our CURIE for an entity, claim or reference IRI: ``T2DMOP:RANKL``, ``T2DMOP:claim/S2_5_09``."""
    if not iri.startswith(BASE):
        raise InputError(f"{iri} is not a t2dm-onto IRI (expected it to start with {BASE}).")
    return f"{PREFERRED_PREFIX}:{iri[len(BASE):]}"


def sign_of(relation: str) -> int | None:
    """+1, -1, 0 (no association) or None (unsigned association) for a relation name."""
    if relation not in RELATIONS:
        raise InputError(f"claim relation {relation!r} is not one of {', '.join(RELATIONS)}: "
                         "the store holds a claim this version of t2dm-onto cannot export.")
    return RELATIONS[relation]["sign"]


def ref_iri(number: int) -> str:
    return f"{REF}{number}"


def claim_iri(local: str) -> str:
    return f"{CLAIM}{local}"


class CurieConverter:
    """Compress IRIs to CURIEs with the SSSOM file's ``curie_map`` (longest namespace wins)."""

    def __init__(self, curie_map: dict[str, str]) -> None:
        self._by_length = sorted(curie_map.items(), key=lambda kv: (-len(kv[1]), kv[0]))

    def compress(self, iri: str) -> str | None:
        for prefix, ns in self._by_length:
            if iri.startswith(ns) and len(iri) > len(ns):
                return f"{prefix}:{iri[len(ns):]}"
        return None


def _sssom() -> tuple[dict[str, str], dict[str, str]]:
    """The shipped mapping set's ``curie_map`` and each external CURIE's label."""
    from ..curation import read_sssom
    from ..resources import data_path

    path = data_path("mappings", "t2dm_op.sssom.tsv")
    if not path.is_file():
        return {}, {}
    curie_map, mappings = read_sssom(path)
    labels = {m.object_id: m.object_label for m in sorted(mappings, key=lambda m: (m.object_id, m.object_label))
              if m.object_label}
    return curie_map, labels


@dataclass(frozen=True)
class Node:
    """One entity with what every exchange format needs of it."""

    iri: str
    label: str
    label_zh: str | None
    category: str  # our top category, e.g. "GeneOrProtein"
    synonyms: tuple[str, ...] = ()
    xrefs: tuple[str, ...] = ()  # every mapped CURIE, whatever the predicate
    matches: dict[str, tuple[str, ...]] = field(default_factory=dict)  # predicate -> CURIEs
    definition: str | None = None

    @property
    def local(self) -> str:
        return local_name(self.iri)

    @property
    def curie(self) -> str:
        return own_curie(self.iri)

    @property
    def exact(self) -> tuple[str, ...]:
        return self.matches.get("exactMatch", ())


@dataclass
class ExportModel:
    """Nodes and claims, read once from a knowledge base; every format writes from this."""

    nodes: dict[str, Node]  # IRI -> node, every entity
    claims: list[dict[str, Any]]  # kb.claims() records, in their order (section, id)
    version: str
    title: str
    review_title: str
    license: str | None
    external_labels: dict[str, str] = field(default_factory=dict)
    reference_labels: dict[int, str] = field(default_factory=dict)  # number -> "reference [15] ... (Asano et al.)"

    @cached_property
    def used(self) -> list[Node]:
        """Entities that are the subject or object of a claim, sorted by IRI."""
        iris = {c[end]["iri"] for c in self.claims for end in ("subject", "object")}
        return [self.nodes[i] for i in sorted(iris)]

    @cached_property
    def context_nodes(self) -> list[Node]:
        """Entities named as a claim's cell, cell line or site, sorted by IRI."""
        iris = {i for c in self.claims for i in c["context_entities"]}
        return [self.nodes[i] for i in sorted(iris)]

    @cached_property
    def unique_exact(self) -> dict[str, tuple[str, ...]]:
        """IRI -> its exact-match CURIEs that no other entity also claims as exact.

        An external identifier may replace our node only when it names that node
        alone; otherwise two of our entities would merge in the other tool.
        """
        count = Counter(x for n in self.nodes.values() for x in set(n.exact))
        return {iri: tuple(x for x in n.exact if count[x] == 1) for iri, n in self.nodes.items()}

    def node(self, iri: str) -> Node:
        try:
            return self.nodes[iri]
        except KeyError:
            raise InputError(f"a claim names {iri}, which is not an entity of the knowledge base "
                             "(no rdfs:label @en/@zh under t2dm:Entity): fix the curation and rebuild.") from None


def load_model(kb: KnowledgeBase) -> ExportModel:
    """Read nodes, mappings and claims from ``kb``'s store."""
    from ..views import entity_records

    curie_map, labels = _sssom()
    conv = CurieConverter(curie_map)
    matches: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in kb.backend.select(MATCH_QUERY).rows:
        curie = conv.compress(row["m"])
        if curie is not None:  # an IRI outside every known namespace cannot be named as a CURIE
            matches[row["e"]][local_name(row["p"]).split("#")[-1]].add(curie)
    definitions: dict[str, str] = {}
    for row in sorted(kb.backend.select(DEFINITION_QUERY).rows, key=lambda r: (r["e"], r["def"])):
        definitions.setdefault(row["e"], row["def"])
    nodes = {}
    for iri, rec in sorted(entity_records(kb).items()):
        found = matches.get(iri, {})
        nodes[iri] = Node(
            iri=iri, label=rec["label"], label_zh=rec["label_zh"], category=rec["category"],
            synonyms=tuple(rec["synonyms"]), xrefs=tuple(sorted(rec["xrefs"])),
            matches={p: tuple(sorted(found[p])) for p in MATCH_PREDICATES if found.get(p)},
            definition=definitions.get(iri),
        )
    references = {int(r["n"]): r.get("label") or f"reference [{r['n']}] of the review"
                  for r in kb.backend.select(REFERENCE_QUERY).rows}
    header = kb.backend.select(HEADER_QUERY).rows
    head = header[0] if header else {}
    model = ExportModel(
        nodes=nodes, claims=kb.claims(), version=str(head.get("version") or "unversioned"),
        title=head.get("title") or "t2dm-onto", review_title=head.get("review_title") or "the source review",
        license=head.get("license"), external_labels=labels, reference_labels=dict(sorted(references.items())),
    )
    for c in model.claims:  # fail early and clearly on a claim whose ends are not entities
        model.node(c["subject"]["iri"])
        model.node(c["object"]["iri"])
        sign_of(c["relation"])
    if not model.claims:
        raise InputError("the knowledge base holds no claims: nothing to export. "
                         "Check the ontology file (t2dm:Claim nodes with subject, relation, object, quote).")
    return model
