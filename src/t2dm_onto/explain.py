"""Causal chains between two entities, told in plain language.

The ``causal-paths`` canned query spells out each hop count as a SPARQL join,
which stops at four hops. Here the causal edges (increases / decreases) are
read once (:func:`t2dm_onto.viz.model.load_graph`) and searched in Python: a
breadth-first pass from the target marks how far each node is from it, and a
depth-first walk from the source follows only edges that can still arrive in
time, so even eight-hop searches stay fast. A chain never visits a node
twice and ends at the first arrival at the target, as in ``causal-paths``.

The net sign of a chain is the product of its hop signs; each node after the
source is marked ↑ or ↓ by the sign of the chain up to it, so
``hyperglycaemia → osmotic diuresis ↑ → urinary calcium loss ↑ → hypocalcaemia ↑
→ PTH ↑ → osteoclast activity ↑`` reads as the review tells it.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

from .errors import UsageError
from .viz.model import ClaimGraph, Edge, local_name
from .viz.style import display_width as _width

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


def find_chains(graph: ClaimGraph, source: str, target: str, max_hops: int = 4, lang: str = "en") -> Chains:
    """Every causal chain of at most ``max_hops`` hops from ``source`` to ``target`` (IRIs)."""
    if not 1 <= max_hops <= MAX_HOPS:
        raise UsageError(f"--max-hops must be between 1 and {MAX_HOPS}, not {max_hops}.")
    if source == target:
        raise UsageError("source and target are the same entity: give two different entities.")
    out: dict[str, list[Edge]] = {}
    into: dict[str, list[str]] = {}
    for edge in graph.edges.values():
        if edge.causal and edge.subject != edge.object:
            out.setdefault(edge.subject, []).append(edge)
            into.setdefault(edge.object, []).append(edge.subject)
    # hops from each node to the target, up to max_hops
    dist = {target: 0}
    queue = deque([target])
    while queue:
        here = queue.popleft()
        if dist[here] == max_hops:
            continue
        for prev in into.get(here, ()):
            if prev not in dist:
                dist[prev] = dist[here] + 1
                queue.append(prev)
    found: list[Chain] = []
    capped = False
    path: list[Edge] = []
    on_path = {source}

    def walk(node: str) -> None:
        nonlocal capped
        left = max_hops - len(path)
        for edge in sorted(out.get(node, ()), key=lambda e: (local_name(e.object), e.relation)):
            nxt = edge.object
            if nxt in on_path or dist.get(nxt, max_hops + 1) > left - 1:
                continue
            if len(found) >= CAP:
                capped = True
                return
            path.append(edge)
            if nxt == target:
                found.append(Chain(tuple(path)))
            else:
                on_path.add(nxt)
                walk(nxt)
                on_path.discard(nxt)
            path.pop()

    if source in dist:
        walk(source)

    def label(iri: str) -> str:
        return graph.nodes[iri].name(lang) if iri in graph.nodes else local_name(iri)

    found.sort(key=lambda c: (len(c.hops), [label(n) for n in c.nodes], [e.relation for e in c.hops]))
    return Chains(source, target, max_hops, found, capped)


# -- telling ------------------------------------------------------------------------
def chain_line(graph: ClaimGraph, chain: Chain, lang: str = "en") -> str:
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


def tell(graph: ClaimGraph, answer: Chains, *, lang: str = "en", limit: int | None = 20, quotes: bool = True) -> str:
    """The chains as text a person reads: the chain, then each hop's sign, claims, quotes and references."""
    src, tgt = graph.nodes[answer.source].name(lang), graph.nodes[answer.target].name(lang)
    total = len(answer.chains)
    at_least = "至少 " if answer.capped and lang == "zh" else ("at least " if answer.capped else "")
    if not total:
        if lang == "zh":
            return (f"在 {answer.max_hops} 步以内，没有从 {src} 到 {tgt} 的因果链。"
                    f"可增大 --max-hops，或查看反方向：t2dm-onto explain \"{tgt}\" \"{src}\" --lang zh。\n")
        return (f"No causal chain from {src} to {tgt} within {answer.max_hops} hops. "
                f"Try a larger --max-hops, or the other direction: t2dm-onto explain \"{tgt}\" \"{src}\".\n")
    shown = answer.chains if not limit else answer.chains[:limit]
    if lang == "zh":
        head = f"{src} → {tgt}：{at_least}{total} 条因果链（至多 {answer.max_hops} 步），由短到长"
        head += f"，显示前 {len(shown)} 条。" if len(shown) < total else "。"
    else:
        head = (f"{src} → {tgt}: {at_least}{total} causal chain{'s' if total > 1 else ''} "
                f"of at most {answer.max_hops} hops, shortest first")
        head += f"; the first {len(shown)} shown (--limit 0 shows all)." if len(shown) < total else "."
    lines = [head, ""]
    width = len(str(len(shown)))
    for i, chain in enumerate(shown, start=1):
        lines.append(f"{i:>{width}}. {chain_line(graph, chain, lang)}")
        pad = " " * (width + 2)
        for k, edge in enumerate(chain.hops, start=1):
            s, o = graph.nodes[edge.subject].name(lang), graph.nodes[edge.object].name(lang)
            rel = graph.relation_name(edge.relation, lang)
            step = f"第{k}步" if lang == "zh" else f"hop {k}"
            for j, cid in enumerate(edge.claims):
                claim = graph.claims[cid]
                lead = f"{step}  " if j == 0 else " " * (_width(step) + 2)
                lines.append(f"{pad}{lead}{s} {rel} {o}{_aspect(claim.get('aspect'), lang)}"
                             f" — {_refs(claim['references'], lang)} · {cid} · §{claim['section']}")
                indent = pad + " " * (_width(step) + 2)
                if quotes:
                    lines.append(f"{indent}“{claim['quote_zh']}”")
                    if lang != "zh":
                        lines.append(f"{indent}{claim['statement_en']}")
        lines.append("")
    return "\n".join(lines)


def as_json(graph: ClaimGraph, answer: Chains, *, lang: str = "en", limit: int | None = None) -> dict[str, Any]:
    """The chains as data (the ``--format json`` contract)."""
    def node(iri: str) -> dict[str, str]:
        n = graph.nodes[iri]
        return {"iri": iri, "label": n.name(lang)}

    chains = answer.chains if not limit else answer.chains[:limit]
    return {
        "source": node(answer.source), "target": node(answer.target), "max_hops": answer.max_hops,
        "total": len(answer.chains), "capped": answer.capped,
        "chains": [{
            "hops": len(c.hops),
            "net_sign": "+" if c.net_sign > 0 else "-",
            "text": chain_line(graph, c, lang),
            "nodes": [node(n) for n in c.nodes],
            "steps": [{
                "subject": node(e.subject), "relation": e.relation, "object": node(e.object),
                "sign": "+" if (e.sign or 0) > 0 else "-",
                "claims": [{k: graph.claims[cid].get(k) for k in
                            ("section", "references", "aspect", "quote_zh", "statement_en", "evidence")}
                           | {"id": cid} for cid in e.claims],
            } for e in c.hops],
        } for c in chains],
    }
