"""The interactive map: one self-contained HTML file that makes no network request.

The page is the Graphviz SVG, the claims behind it as JSON, and a small script
of our own (``assets/map.js``: pan, zoom, search, click for claims and quotes).
Nothing is fetched: no CDN, no font, no image; a Content-Security-Policy of
``default-src 'none'`` makes the browser refuse any request the page might
try, so it works offline and leaks nothing about who opens it.
"""

from __future__ import annotations

import html
import json
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .dot import edge_ids, node_id
from .model import MapGraph

if TYPE_CHECKING:
    from .render import Picture

ASSETS = Path(__file__).resolve().parent / "assets"

#: The page's own words, in both languages.
UI: dict[str, dict[str, str]] = {
    "en": {
        "hint": "Click a node or an edge to see the claims behind it, with the review's sentences and references. "
                "Drag to pan, scroll to zoom.",
        "search": "find an entity…", "fit": "fit", "section": "§", "no_refs": "no reference (the review's own statement)",
        "aspect": "aspect", "study": "study", "context": "context", "synonyms": "synonyms", "xrefs": "mappings",
        "edges": "Edges", "claims": "Claims", "found": "found", "zoom_in": "zoom in", "zoom_out": "zoom out",
    },
    "zh": {
        "hint": "点击节点或连线，查看其背后的论断、综述原文与参考文献。拖动以平移，滚轮缩放。",
        "search": "查找实体…", "fit": "全图", "section": "§", "no_refs": "无参考文献（综述自身的论述）",
        "aspect": "方面", "study": "研究类型", "context": "背景", "synonyms": "同义词", "xrefs": "映射",
        "edges": "连线", "claims": "论断", "found": "个匹配", "zoom_in": "放大", "zoom_out": "缩小",
    },
}

CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"


@cache
def asset(name: str) -> str:
    return (ASSETS / name).read_text(encoding="utf-8")


def _claim_view(claim: dict[str, Any]) -> dict[str, Any]:
    keys = ("section", "quote_zh", "statement_en", "references", "evidence", "study_type", "context", "aspect")
    return {k: claim.get(k) for k in keys}


def page_data(parts: list[tuple[str, MapGraph]] | tuple[tuple[str, MapGraph], ...], lang: str = "en") -> dict:
    """The JSON the script reads, keyed by the SVG element ids of every drawn node and edge."""
    nodes: dict[str, dict[str, Any]] = {}
    edges: dict[str, dict[str, Any]] = {}
    claims: dict[str, dict[str, Any]] = {}
    for prefix, graph in parts:
        ids = edge_ids(graph, prefix)
        for node in graph.sorted_nodes():
            nodes[node_id(node, prefix)] = {
                "iri": node.iri, "label": node.label, "label_zh": node.label_zh, "category": node.category,
                "category_label": graph.category_name(node.category, lang),
                "synonyms": list(node.synonyms), "xrefs": list(node.xrefs), "edges": [],
            }
        for edge in graph.sorted_edges():
            eid = ids[edge.key]
            s, o = node_id(graph.nodes[edge.subject], prefix), node_id(graph.nodes[edge.object], prefix)
            edges[eid] = {"s": s, "o": o, "relation": edge.relation,
                          "relation_label": graph.relation_name(edge.relation, lang),
                          "refs": graph.refs(edge), "claims": list(edge.claims)}
            nodes[s]["edges"].append(eid)
            if o != s:
                nodes[o]["edges"].append(eid)
            for cid in edge.claims:
                claims.setdefault(cid, _claim_view(graph.claims[cid]))
    return {"lang": lang, "ui": UI[lang], "nodes": nodes, "edges": edges, "claims": claims}


_PROLOG = re.compile(r"<\?xml.*?\?>|<!DOCTYPE.*?>|<!--.*?-->", re.S)


def inline_svg(svg: str) -> str:
    """Graphviz's SVG without its XML prolog, doctype and comments, ready to sit inside HTML."""
    return _PROLOG.sub("", svg).strip()


def script_json(data: Any) -> str:
    """JSON safe inside ``<script>``: no ``</script>`` or ``<!--`` can end or confuse it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def page(svg: str, picture: Picture) -> str:
    """The whole HTML page for a rendered picture."""
    lang = picture.lang
    ui = UI[lang]
    title = html.escape(picture.title or "t2dm-onto map")
    data = script_json(page_data(picture.parts, lang))
    return f"""<!DOCTYPE html>
<html lang="{'zh-Hans' if lang == 'zh' else 'en'}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="t2dm-onto graph">
<title>{title}</title>
<style>
{asset("map.css")}
</style>
</head>
<body>
<header>
  <h1>{title}</h1>
  <button id="zoom-in" type="button" title="{ui['zoom_in']} (+)">+</button>
  <button id="zoom-out" type="button" title="{ui['zoom_out']} (−)">−</button>
  <button id="zoom-fit" type="button" title="{ui['fit']} (0)">{ui['fit']}</button>
  <input id="search" type="search" placeholder="{ui['search']}" aria-label="{ui['search']}">
  <span id="hits"></span>
</header>
<main>
<div id="view">
{inline_svg(svg)}
</div>
<aside id="info" aria-live="polite"></aside>
</main>
<script type="application/json" id="map-data">{data}</script>
<script>
{asset("map.js")}
</script>
</body>
</html>
"""
