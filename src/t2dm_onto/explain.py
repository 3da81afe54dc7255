"""Causal chains between two entities, told in plain language.

The ``causal-paths`` canned query spells out each hop count as a SPARQL join,
which stops at four hops. Here the causal edges (increases / decreases) are
read once (:func:`t2dm_onto.viz.model.load_graph`) and searched in Python by
:func:`t2dm_onto.paths.walk`, the rule the chain queries are generated from (a
chain never visits a node twice and ends at the first arrival at the target), so
even eight-hop searches stay fast.

The net sign of a chain is the product of its hop signs; each node after the
source is marked ↑ or ↓ by the sign of the chain up to it, so
``hyperglycaemia → osmotic diuresis ↑ → urinary calcium loss ↑ → hypocalcaemia ↑
→ PTH ↑ → osteoclast activity ↑`` reads as the review tells it.

Each chain says whether its hops come from one context (population, sex, species,
study type, site; :mod:`t2dm_onto.contexts` defines it), and every output shows a
chain that crosses contexts as such; ``consistent_context=True`` keeps only the
others, each hop with just the claims that fit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import paths
from .contexts import ClaimContext, agreement, consistent_claims
from .errors import UsageError
from .namespaces import local_name
from .viz.model import Edge, MapGraph
from .viz.style import display_width as _width

if TYPE_CHECKING:
    from .kb import KnowledgeBase

MAX_HOPS = 8
#: Stop enumerating past this many chains (the answer then says "at least").
CAP = 5000

_ASPECT_ZH = {
    "expression": "表达", "activity": "活性", "level": "水平", "secretion": "分泌", "synthesis": "合成",
    "risk": "风险", "incidence": "发生率", "progression": "进展", "differentiation": "分化",
    "proliferation": "增殖", "function": "功能", "response": "反应",
}


@dataclass(frozen=True)
class Chain:
    """A path of causal edges from the source to the target."""

    hops: tuple[Edge, ...]
    #: ``yes``, ``partly`` or ``no``: whether the hops' contexts agree (:func:`t2dm_onto.contexts.agreement`).
    agreement: str = "yes"

    @property
    def consistent(self) -> bool:
        """One claim per hop can be chosen with agreeing contexts."""
        return self.agreement != "no"

    @property
    def nodes(self) -> list[str]:
        return [self.hops[0].subject, *(e.object for e in self.hops)]

    def signs(self) -> list[int]:
        """The sign of the chain up to each node after the source."""
        out, sign = [], 1
        for edge in self.hops:
            sign *= edge.sign or 0
            out.append(sign)
        return out

    @property
    def net_sign(self) -> int:
        return self.signs()[-1]


@dataclass(frozen=True)
class Chains:
    """The answer: chains shortest first, and whether the search was cut at :data:`CAP`."""

    source: str
    target: str
    max_hops: int
    chains: list[Chain]
    capped: bool = False
    #: Whether the chains crossing contexts were left out (``consistent_context=True``).
    consistent_only: bool = False


def find_chains(graph: MapGraph, source: str, target: str, max_hops: int = 4, lang: str = "en", *,
                consistent_context: bool = False) -> Chains:
    """Every causal chain of at most ``max_hops`` hops from ``source`` to ``target`` (IRIs).

    Each chain is marked consistent or not; with ``consistent_context`` only the
    consistent ones are kept, each hop with the claims that take part in a
    consistent choice (as the chain queries do with ``consistent_context=true``).
    """
    if not 1 <= max_hops <= MAX_HOPS:
        raise UsageError(f"--max-hops must be between 1 and {MAX_HOPS}, not {max_hops}.")
    if source == target:
        raise UsageError("source and target are the same entity: give two different entities.")
    out = paths.adjacency(graph.edges, order=lambda key: (local_name(key[2]), key[1]))
    walked, capped = paths.walk(out, source, target, max_hops, cap=CAP)
    found = [Chain(tuple(graph.edges[key] for key in chain)) for chain in walked]
    found = [marked for chain in found if (marked := _mark(graph, chain, consistent_context))]
    found.sort(key=lambda c: (len(c.hops), [_name(graph, n, lang) for n in c.nodes], [e.relation for e in c.hops]))
    return Chains(source, target, max_hops, found, capped, consistent_context)


def claim_context(graph: MapGraph, cid: str) -> ClaimContext:
    """What claim ``cid`` states of its population, sex, species, study type and sites."""
    return ClaimContext.of(graph.claims[cid])


def _mark(graph: MapGraph, chain: Chain, only_consistent: bool) -> Chain | None:
    """The chain with its consistency flag; restricted to the fitting claims, or None, when only consistent ones count."""
    contexts = [[claim_context(graph, c) for c in e.claims] for e in chain.hops]
    level = agreement(contexts)
    if not only_consistent:
        return Chain(chain.hops, level)
    if level == "no":
        return None
    keep = consistent_claims(contexts)
    hops = tuple(Edge(e.subject, e.relation, e.object, [c for k, c in enumerate(e.claims) if k in kept])
                 for e, kept in zip(chain.hops, keep, strict=True))
    return Chain(hops, level)


def context_text(graph: MapGraph, cid: str, lang: str = "en") -> str:
    """A claim's stated context, e.g. ``T2DM patients, female, osteoblast`` ("" when it states none)."""
    return ", ".join(claim_context(graph, cid).facets(lambda s: _name(graph, s, lang)))


def hop_contexts(graph: MapGraph, edge: Edge, lang: str = "en") -> list[str]:
    """The distinct stated contexts of a hop's claims, in claim order."""
    out: list[str] = []
    for cid in edge.claims:
        text = context_text(graph, cid, lang)
        if text and text not in out:
            out.append(text)
    return out


def _name(graph: MapGraph, iri: str, lang: str) -> str:
    """An entity's label, or its local name when it is not drawn (a site outside every claim's ends)."""
    return graph.nodes[iri].name(lang) if iri in graph.nodes else local_name(iri)


# -- telling ------------------------------------------------------------------------
def chain_line(graph: MapGraph, chain: Chain, lang: str = "en") -> str:
    """``a → b ↑ → c ↓ (net: decreases; 2 hops)``"""
    parts = [graph.nodes[chain.nodes[0]].name(lang)]
    for node, sign in zip(chain.nodes[1:], chain.signs(), strict=True):
        parts.append(f"{graph.nodes[node].name(lang)} {'↑' if sign > 0 else '↓'}")
    net = graph.relation_name("increases" if chain.net_sign > 0 else "decreases", lang)
    n = len(chain.hops)
    if lang == "zh":
        return " → ".join(parts) + f"（净效应：{net}；{n} 步）"
    return " → ".join(parts) + f"  (net: {net}; {n} hop{'s' if n > 1 else ''})"


def _aspect(aspect: str | None, lang: str) -> str:
    if not aspect:
        return ""
    return f"（{_ASPECT_ZH.get(aspect, aspect)}）" if lang == "zh" else f" ({aspect})"


def _refs(refs: list[int], lang: str) -> str:
    if not refs:
        return "无参考文献（综述自身论述）" if lang == "zh" else "no reference (the review's own statement)"
    return ("参考文献 " if lang == "zh" else "refs ") + "[" + ",".join(map(str, refs)) + "]"


def tell(graph: MapGraph, answer: Chains, *, lang: str = "en", limit: int | None = 20, quotes: bool = True) -> str:
    """The chains as text a person reads: the chain, then each hop's sign, claims, quotes and references."""
    src, tgt = graph.nodes[answer.source].name(lang), graph.nodes[answer.target].name(lang)
    total = len(answer.chains)
    at_least = "至少 " if answer.capped and lang == "zh" else ("at least " if answer.capped else "")
    if not total:
        if lang == "zh":
            which = "情境一致的" if answer.consistent_only else ""
            also = "，或去掉 --consistent-context" if answer.consistent_only else ""
            return (f"在 {answer.max_hops} 步以内，没有从 {src} 到 {tgt} 的{which}因果链。"
                    f"可增大 --max-hops{also}，或查看反方向：t2dm-onto explain \"{tgt}\" \"{src}\" --lang zh。\n")
        which = " with consistent contexts" if answer.consistent_only else ""
        also = ", leave out --consistent-context" if answer.consistent_only else ""
        return (f"No causal chain{which} from {src} to {tgt} within {answer.max_hops} hops. "
                f"Try a larger --max-hops{also}, or the other direction: t2dm-onto explain \"{tgt}\" \"{src}\".\n")
    shown = answer.chains if not limit else answer.chains[:limit]
    if lang == "zh":
        head = f"{src} → {tgt}：{at_least}{total} 条因果链（至多 {answer.max_hops} 步），由短到长"
        head += f"，显示前 {len(shown)} 条。" if len(shown) < total else "。"
    else:
        head = (f"{src} → {tgt}: {at_least}{total} causal chain{'s' if total > 1 else ''} "
                f"of at most {answer.max_hops} hops, shortest first")
        head += f"; the first {len(shown)} shown (--limit 0 shows all)." if len(shown) < total else "."
    crossing = sum(not c.consistent for c in answer.chains)
    if crossing and lang == "zh":
        head += f"其中 {crossing} 条跨越不同情境（人群、性别、物种、研究类型或部位，标 ⚠）；--consistent-context 只保留情境一致的链。"
    elif crossing:
        head += (f" {crossing} of them cross contexts (population, sex, species, study type or site; marked ⚠): "
                 "--consistent-context keeps only the others.")
    lines = [head, ""]
    width = len(str(len(shown)))
    for i, chain in enumerate(shown, start=1):
        lines.append(f"{i:>{width}}. {chain_line(graph, chain, lang)}")
        pad = " " * (width + 2)
        if chain.agreement != "yes":
            lines.append(pad + _context_line(graph, chain, lang))
        for k, edge in enumerate(chain.hops, start=1):
            s, o = graph.nodes[edge.subject].name(lang), graph.nodes[edge.object].name(lang)
            rel = graph.relation_name(edge.relation, lang)
            step = f"第{k}步" if lang == "zh" else f"hop {k}"
            for j, cid in enumerate(edge.claims):
                claim = graph.claims[cid]
                lead = f"{step}  " if j == 0 else " " * (_width(step) + 2)
                ctx = context_text(graph, cid, lang)
                lines.append(f"{pad}{lead}{s} {rel} {o}{_aspect(claim.get('aspect'), lang)}"
                             f" — {_refs(claim['references'], lang)} · {cid} · §{claim['section']}"
                             + (f" · {ctx}" if ctx else ""))
                indent = pad + " " * (_width(step) + 2)
                if quotes:
                    lines.append(f"{indent}“{claim['quote_zh']}”")
                    if lang != "zh":
                        lines.append(f"{indent}{claim['statement_en']}")
        lines.append("")
    return "\n".join(lines)


def _context_line(graph: MapGraph, chain: Chain, lang: str) -> str:
    """``⚠ contexts differ: hop 1 rat, in_vitro, osteoblast; hop 2 not stated; hop 3 T2DM patients``,
    or ``contexts agree where stated: ...`` when only some hops state one."""
    parts = []
    for k, edge in enumerate(chain.hops, start=1):
        ctx = " / ".join(hop_contexts(graph, edge, lang)) or ("未说明" if lang == "zh" else "not stated")
        parts.append(f"第{k}步 {ctx}" if lang == "zh" else f"hop {k} {ctx}")
    if lang == "zh":
        lead = "⚠ 各步情境不一致：" if chain.agreement == "no" else "各步情境在已说明处一致："
        return lead + "；".join(parts)
    lead = "⚠ contexts differ: " if chain.agreement == "no" else "contexts agree where stated: "
    return lead + "; ".join(parts)


def as_json(graph: MapGraph, answer: Chains, *, lang: str = "en", limit: int | None = None) -> dict[str, Any]:
    """The chains as data (the ``--format json`` contract)."""
    def node(iri: str) -> dict[str, str]:
        n = graph.nodes[iri]
        return {"iri": iri, "label": n.name(lang)}

    chains = answer.chains if not limit else answer.chains[:limit]
    return {
        "source": node(answer.source), "target": node(answer.target), "max_hops": answer.max_hops,
        "total": len(answer.chains), "capped": answer.capped,
        "consistent_context_only": answer.consistent_only,
        "chains": [{
            "hops": len(c.hops),
            "net_sign": "+" if c.net_sign > 0 else "-",
            "context_consistent": c.agreement,
            "text": chain_line(graph, c, lang),
            "nodes": [node(n) for n in c.nodes],
            "steps": [{
                "subject": node(e.subject), "relation": e.relation, "object": node(e.object),
                "sign": "+" if (e.sign or 0) > 0 else "-",
                "contexts": hop_contexts(graph, e, lang),
                "claims": [{k: graph.claims[cid].get(k) for k in
                            ("section", "references", "aspect", "quote_zh", "statement_en", "evidence",
                             "study_type", "population", "sex", "species")}
                           | {"id": cid, "sites": [node(s) if s in graph.nodes else {"iri": s, "label": local_name(s)}
                                                   for s in graph.claims[cid].get("context_entities") or ()]}
                           for cid in e.claims],
            } for e in c.hops],
        } for c in chains],
    }


def explain(kb: KnowledgeBase, source: str, target: str, max_hops: int = 4, lang: str = "en", *,
            consistent_context: bool = False) -> tuple[MapGraph, Chains]:
    """The chains from the entity ``source`` names to the one ``target`` names, and the claim graph they run in.

    Names are resolved as query parameters are; an entity in no claim is a usage
    error here, since no chain can start or end there.
    """
    from .viz.model import load_graph

    source_iri, target_iri = kb.resolve(source, "source"), kb.resolve(target, "target")
    graph = load_graph(kb)
    for iri, param in ((source_iri, "source"), (target_iri, "target")):
        if iri not in graph.nodes:
            raise UsageError(f"{kb.entities.label(iri, lang)} ({param}) takes part in no claim, "
                             "so no chain can start or end there.")
    answer = find_chains(graph, source_iri, target_iri, max_hops, lang, consistent_context=consistent_context)
    return graph, answer
