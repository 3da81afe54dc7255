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

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..model import MATCH_PREDICATES
from ..namespaces import BASE, CLAIM, PREFERRED_PREFIX, REF, RELATIONS, local_name, t2dm_name

if TYPE_CHECKING:
    from ..kb import KnowledgeBase

#: The IRI of the review itself, the document every claim's quote comes from.
REVIEW = BASE + "review"


def own_curie(iri: str) -> str:
    """Our CURIE for an entity, claim or reference IRI: ``T2DMOP:RANKL``, ``T2DMOP:claim/S2_5_09``."""
    if not iri.startswith(BASE):
        raise InputError(f"{iri} is not a t2dm-onto IRI (expected it to start with {BASE}).")
    return f"{PREFERRED_PREFIX}:{t2dm_name(iri)}"


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
    from ..resources import data_path
    from ..sssom import read_sssom

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


def _matches(found: dict[str, tuple[str, ...]], conv: CurieConverter) -> dict[str, tuple[str, ...]]:
    """Predicate -> the CURIEs of its matches; an IRI outside every known namespace cannot be named as one."""
    curies = {p: sorted({c for c in map(conv.compress, found.get(p, ())) if c is not None}) for p in MATCH_PREDICATES}
    return {p: tuple(v) for p, v in curies.items() if v}


def load_model(kb: KnowledgeBase) -> ExportModel:
    """Nodes, mappings and claims from ``kb``'s claim model."""
    curie_map, labels = _sssom()
    conv = CurieConverter(curie_map)
    graph = kb.model
    nodes = {}
    for iri, e in sorted(graph.entities.items()):
        definitions = graph.definitions.get(iri, ())
        nodes[iri] = Node(
            iri=iri, label=e.label, label_zh=e.label_zh, category=e.category, synonyms=e.synonyms,
            xrefs=tuple(sorted(e.xrefs)), matches=_matches(graph.matches.get(iri, {}), conv),
            definition=definitions[0] if definitions else None,
        )
    references = {n: r.label or f"reference [{n}] of the review" for n, r in graph.references.items()}
    head = graph.header
    model = ExportModel(
        nodes=nodes, claims=kb.claims(), version=str(head.get("version") or "unversioned"),
        title=head.get("title") or "t2dm-onto", review_title=head.get("review_title") or "the source review",
        license=head.get("license"), external_labels=labels, reference_labels=references,
    )
    for c in model.claims:  # fail early and clearly on a claim whose ends are not entities
        model.node(c["subject"]["iri"])
        model.node(c["object"]["iri"])
        sign_of(c["relation"])
    if not model.claims:
        raise InputError("the knowledge base holds no claims: nothing to export. "
                         "Check the ontology file (t2dm:Claim nodes with subject, relation, object, quote).")
    return model
