"""The claim graph as drawn: entities as nodes, claims merged into signed edges.

Every picture, every explained chain and the documentation pages start from
one :class:`MapGraph` made by :func:`load_graph` from the knowledge base's
claim model (:attr:`KnowledgeBase.model <t2dm_onto.kb.KnowledgeBase.model>`,
read from the store once). Cutting a piece out of it (around a focus entity, for a section, for
the claims a canned query returns) is then plain Python, which is fast and
has no hop limit, unlike a SPARQL path query whose hops are spelt out.

One edge stands for every claim with the same (subject, relation, object):
the picture shows one arrow, the click on it shows all the sentences behind it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import UsageError
from ..namespaces import CLAIM, RELATIONS, local_name
from ..paths import hops_from
from ..sections import SECTION_TITLES, in_section

if TYPE_CHECKING:
    from ..kb import KnowledgeBase

DIRECTIONS = ("up", "down", "both")
_EN_DIRECTION = {"up": "upstream of", "down": "downstream of", "both": "around"}
_ZH_DIRECTION = {"up": "上游", "down": "下游", "both": "周边"}

_CLAIM_ID = re.compile(r"S\d+(?:_\d+)*_\d+")


@dataclass(frozen=True)
class Node:
    """An entity as drawn: its labels and top category."""

    iri: str
    label: str
    label_zh: str
    category: str
    synonyms: tuple[str, ...] = ()
    xrefs: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return local_name(self.iri)

    def name(self, lang: str = "en") -> str:
        return (self.label_zh or self.label) if lang == "zh" else self.label


@dataclass
class Edge:
    """Every claim with one (subject, relation, object), as one drawn edge."""

    subject: str
    relation: str
    object: str
    claims: list[str] = field(default_factory=list)  # claim local ids, in section order

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.subject, self.relation, self.object)

    @property
    def sign(self) -> int | None:
        return RELATIONS[self.relation]["sign"]

    @property
    def causal(self) -> bool:
        return RELATIONS[self.relation]["causal"]


@dataclass
class MapGraph:
    """Nodes, edges and the claims behind them, plus the labels a legend needs.

    The drawn view of :class:`t2dm_onto.model.ClaimGraph` (built from it by
    :func:`load_graph`): claims with the same ends and relation merged into one edge.
    """

    nodes: dict[str, Node]
    edges: dict[tuple[str, str, str], Edge]
    claims: dict[str, dict[str, Any]]  # local id -> the claim record of KnowledgeBase.claims()
    category_labels: dict[str, tuple[str, str]]  # category local name -> (en, zh)
    relation_labels: dict[str, tuple[str, str]]  # relation name -> (en, zh)
    focus: frozenset[str] = frozenset()  # IRIs drawn highlighted
    title: str = ""

    # -- reading --------------------------------------------------------------
    def refs(self, edge: Edge) -> list[int]:
        """Reference numbers cited by any claim of ``edge``, ascending."""
        return sorted({n for c in edge.claims for n in self.claims[c]["references"]})

    def category_name(self, category: str, lang: str = "en") -> str:
        en, zh = self.category_labels.get(category, (category, category))
        return zh if lang == "zh" else en

    def relation_name(self, relation: str, lang: str = "en") -> str:
        en, zh = self.relation_labels.get(relation, (relation.replace("_", " "), relation))
        return zh if lang == "zh" else en

    def sorted_nodes(self) -> list[Node]:
        return sorted(self.nodes.values(), key=lambda n: n.id)

    def sorted_edges(self) -> list[Edge]:
        return sorted(self.edges.values(), key=lambda e: (local_name(e.subject), e.relation, local_name(e.object)))

    def neighbours(self, iri: str) -> list[Edge]:
        return [e for e in self.edges.values() if iri in (e.subject, e.object)]

    # -- cutting --------------------------------------------------------------
    def restrict(self, keep: Callable[[dict[str, Any]], bool], *, title: str = "",
                 focus: Iterable[str] = ()) -> MapGraph:
        """The graph of the claims ``keep`` accepts (edges re-merged, bare nodes dropped)."""
        edges: dict[tuple[str, str, str], Edge] = {}
        for edge in self.edges.values():
            kept = [c for c in edge.claims if keep(self.claims[c])]
            if kept:
                edges[edge.key] = Edge(edge.subject, edge.relation, edge.object, kept)
        used = {iri for e in edges.values() for iri in (e.subject, e.object)} | set(focus)
        return MapGraph({i: n for i, n in self.nodes.items() if i in used}, edges,
                          {k: v for k, v in self.claims.items() if any(k in e.claims for e in edges.values())},
                          self.category_labels, self.relation_labels, frozenset(focus), title)

    def induced(self, iris: Iterable[str], *, title: str = "", focus: Iterable[str] = ()) -> MapGraph:
        """The nodes ``iris`` and every edge between two of them."""
        keep = set(iris)
        edges = {k: e for k, e in self.edges.items() if e.subject in keep and e.object in keep}
        claim_ids = {c for e in edges.values() for c in e.claims}
        return MapGraph({i: n for i, n in self.nodes.items() if i in keep}, edges,
                          {k: v for k, v in self.claims.items() if k in claim_ids},
                          self.category_labels, self.relation_labels, frozenset(focus), title)


def load_graph(kb: KnowledgeBase) -> MapGraph:
    """The whole knowledge base as a :class:`MapGraph`, from its claim model."""
    model = kb.model
    labels = {name: (en, zh or en) for name, (en, zh) in model.labels.items()}
    nodes = {
        iri: Node(iri, e.label, e.label_zh or e.label, e.category, e.synonyms, e.xrefs)
        for iri, e in model.entities.items()
    }
    claims: dict[str, dict[str, Any]] = {}
    edges: dict[tuple[str, str, str], Edge] = {}
    for claim in model.claims:  # already in section order
        record = model.record(claim)
        claims[claim.local] = record
        for iri, view in ((claim.subject, record["subject"]), (claim.object, record["object"])):
            if iri not in nodes:  # an entity outside the category tree still gets drawn
                nodes[iri] = Node(iri, view["label"], view.get("label_zh") or view["label"], "Entity")
        key = (claim.subject, claim.relation, claim.object)
        edges.setdefault(key, Edge(*key)).claims.append(claim.local)
    categories = {k: v for k, v in labels.items() if k not in RELATIONS}
    relations = {k: v for k, v in labels.items() if k in RELATIONS}
    return MapGraph(nodes, edges, claims, categories, relations)


# -- selections -----------------------------------------------------------------
def focus_graph(graph: MapGraph, iri: str, *, depth: int = 1, direction: str = "both",
                lang: str = "en") -> MapGraph:
    """Everything within ``depth`` edges of ``iri``.

    ``down`` follows causal edges from subject to object (what the focus
    affects), ``up`` against them (what affects the focus), ``both`` either way.
    Correlations and associations have no direction, so every mode follows them.
    The result holds every edge between the nodes reached, except, for ``up`` and
    ``down``, causal edges that point back toward the focus.
    """
    if direction not in DIRECTIONS:
        raise UsageError(f"direction must be one of {', '.join(DIRECTIONS)}, not {direction!r}.")
    if depth < 1:
        raise UsageError(f"depth must be 1 or more, not {depth}.")
    if iri not in graph.nodes:
        raise UsageError(f"{iri} takes part in no claim, so there is nothing to draw around it.")
    out: dict[str, list[str]] = {}
    back: dict[str, list[str]] = {}
    for e in graph.edges.values():
        forward = direction in ("down", "both") or not e.causal
        backward = direction in ("up", "both") or not e.causal
        if forward:
            out.setdefault(e.subject, []).append(e.object)
        if backward:
            back.setdefault(e.object, []).append(e.subject)
    seen = hops_from(iri, lambda here: (*out.get(here, ()), *back.get(here, ())), depth)
    if len(seen) == 1:
        which = {"up": "upstream ", "down": "downstream ", "both": ""}[direction]
        raise UsageError(f"{graph.nodes[iri].name(lang)} has no {which}edges to draw; try --direction both.")
    name = graph.nodes[iri].name(lang)
    if lang == "zh":
        title = f"{name}的{_ZH_DIRECTION[direction]}（{depth}步以内）"
    else:
        title = f"{_EN_DIRECTION[direction]} {name} (within {depth} step{'s' if depth > 1 else ''})"
    sub = graph.induced(seen, title=title, focus=[iri])
    if direction != "both":
        # a causal edge pointing back toward the focus is not up- or downstream of it
        def away(e: Edge) -> bool:
            near, far = (e.subject, e.object) if direction == "down" else (e.object, e.subject)
            return not e.causal or seen[near] <= seen[far]

        sub.edges = {k: e for k, e in sub.edges.items() if away(e)}
        sub.claims = {c: v for c, v in sub.claims.items() if any(c in e.claims for e in sub.edges.values())}
    return sub


def section_graph(graph: MapGraph, section: str, *, lang: str = "en") -> MapGraph:
    """The claims made in ``section`` and its subsections."""
    from ..sections import section_title

    if section not in SECTION_TITLES:
        raise UsageError(f"unknown section {section!r}: use one of {', '.join(SECTION_TITLES)}.")
    sub = graph.restrict(lambda c: in_section(c["section"], section), title=section_title(section, lang))
    if not sub.edges:
        raise UsageError(f"section {section} makes no claims, so there is nothing to draw.")
    return sub


def claim_ids_in(rows: Iterable[dict[str, Any]], known: Iterable[str]) -> list[str]:
    """Claim ids found in the claim columns of query rows (``claim``, ``claims``, ``hop_claims``…)."""
    known = set(known)
    found: list[str] = []
    for row in rows:
        for column, value in row.items():
            if "claim" not in column or value is None:
                continue
            for cid in _CLAIM_ID.findall(str(value).replace(CLAIM, "")):
                if cid in known and cid not in found:
                    found.append(cid)
    return found


def query_graph(kb: KnowledgeBase, graph: MapGraph, name: str, params: dict[str, str], *,
                lang: str = "en") -> MapGraph:
    """The claims a canned query returns (from its claim columns)."""
    result = kb.query(name, lang=lang, **params)
    ids = set(claim_ids_in(result.rows, graph.claims))
    if not ids:
        if not result.rows:
            raise UsageError(f"query '{name}' returned no rows for {params or 'its defaults'}, so there is nothing to draw.")
        raise UsageError(f"query '{name}' returns no claims to draw (its columns: {', '.join(result.columns)}). "
                         "Use a query that lists claims, e.g. causal-paths, effects-of, claims, drug-bone-effects.")
    shown = " ".join(f"{k}={v}" for k, v in params.items())
    focus = [kb.resolve(v, k) for k, v in params.items() if _is_entity_param(kb, name, k)]
    return graph.restrict(lambda c: local_name(c["id"]) in ids, title=f"{name} {shown}".strip(), focus=focus)


def _is_entity_param(kb: KnowledgeBase, name: str, key: str) -> bool:
    try:
        return kb.catalog.get(name).param(key).kind == "entity"
    except UsageError:
        return False
