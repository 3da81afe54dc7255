"""Our own documentation pages: claims by section, by entity and by reference.

Plain static HTML, one shared stylesheet, no script and nothing fetched from
elsewhere, so the folder can be opened from disk or served by any web server.
Every claim shows the review's sentence (verbatim Chinese), our English
statement, its references, section, evidence code and study context, and
links both ends to their entity pages.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..namespaces import EVIDENCE_CODES, STUDY_TYPES, local_name
from ..sections import SECTION_TITLES, section_key
from ..viz.model import MapGraph
from ..viz.style import CATEGORY_ORDER

STYLE = """
body { font: 15px/1.5 "DejaVu Sans", Arial, Helvetica, "Noto Sans CJK SC", "Microsoft YaHei", sans-serif;
       color: #222; max-width: 68em; margin: 0 auto; padding: 0 1.2em 3em; }
nav { border-bottom: 1px solid #ddd; padding: 0.6em 0; margin-bottom: 1em; }
nav a { margin-right: 1.1em; }
a { color: #0b5394; text-decoration: none; } a:hover { text-decoration: underline; }
h1 { font-size: 1.6em; margin: 0.4em 0; } h2 { font-size: 1.25em; margin-top: 1.6em; }
.zh, [lang=zh] { font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; }
.muted { color: #666; } .small { font-size: 0.88em; }
table { border-collapse: collapse; } td, th { padding: 0.25em 0.8em 0.25em 0; text-align: left; vertical-align: top; }
th { border-bottom: 1px solid #ccc; }
ol.claims, ul.claims { padding-left: 1.3em; } .claims > li { margin: 0 0 1em; }
.claim-line { font-weight: 600; } .claim-meta { color: #555; font-size: 0.88em; }
blockquote { margin: 0.3em 0; padding: 0.2em 0.7em; border-left: 3px solid #c9d6e3; background: #f4f7fa; }
.statement { margin: 0.2em 0; }
.rel-increases, .rel-positively_correlated_with { color: #1b7837; }
.rel-decreases, .rel-negatively_correlated_with { color: #b2182b; }
.rel-associated_with { color: #4d4d4d; } .rel-no_association { color: #8a8a8a; }
figure { margin: 1em 0; overflow-x: auto; } figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
.cid { font-family: "DejaVu Sans Mono", monospace; }
"""


def esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


@dataclass
class Site:
    """What the pages need: the graph, definitions, references, and where pyLODE anchored each IRI."""

    graph: MapGraph
    definitions: dict[str, str] = field(default_factory=dict)  # entity IRI -> definition
    members: dict[str, list[str]] = field(default_factory=dict)  # entity IRI -> member IRIs
    authors: dict[int, str] = field(default_factory=dict)  # reference number -> first author
    ontology_anchors: dict[str, str] = field(default_factory=dict)  # IRI -> fragment id in ontology.html
    has_ontology: bool = False
    has_maps: bool = False
    title: str = "t2dm-onto"

    # -- addresses ----------------------------------------------------------------
    @staticmethod
    def entity_page(iri: str) -> str:
        return f"entity/{local_name(iri)}.html"

    @staticmethod
    def section_page(section: str) -> str:
        return f"section/{section}.html"

    def entity_link(self, iri: str, up: str = "") -> str:
        node = self.graph.nodes.get(iri)
        if node is None:
            return esc(local_name(iri))
        zh = f' <span class="zh muted" lang="zh">{esc(node.label_zh)}</span>' if node.label_zh != node.label else ""
        return f'<a href="{up}{self.entity_page(iri)}">{esc(node.label)}</a>{zh}'

    def ref_links(self, refs: Iterable[int], up: str = "") -> str:
        refs = list(refs)
        if not refs:
            return '<span class="muted">no reference (the review\'s own statement)</span>'
        return "[" + ", ".join(f'<a href="{up}references.html#ref-{n}">{n}</a>' for n in refs) + "]"

    # -- pieces -------------------------------------------------------------------------
    def page(self, title: str, body: str, up: str = "") -> str:
        links = [("index.html", "Home"), ("sections.html", "Claims by section"), ("entities.html", "Entities"),
                 ("references.html", "References")]
        if self.has_ontology:
            links.insert(1, ("ontology.html", "Ontology reference"))
        if self.has_maps:
            links.append(("map.html", "Interactive map"))
        nav = " ".join(f'<a href="{up}{href}">{esc(text)}</a>' for href, text in links)
        return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
                f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
                f"<title>{esc(title)} — {esc(self.title)}</title>\n"
                f'<link rel="stylesheet" href="{up}style.css">\n</head>\n<body>\n<nav>{nav}</nav>\n'
                f"{body}\n</body>\n</html>\n")

    def claim_item(self, cid: str, up: str = "", show: str = "both") -> str:
        """One claim as a list item; ``show`` is ``both``, ``subject`` or ``object`` (which end to name)."""
        c = self.graph.claims[cid]
        g = self.graph
        rel = c["relation"]
        s, o = c["subject"]["iri"], c["object"]["iri"]
        aspect = f' <span class="muted">({esc(c["aspect"])})</span>' if c.get("aspect") else ""
        line = (f'{self.entity_link(s, up) if show != "object" else ""} '
                f'<span class="rel-{esc(rel)}">{esc(g.relation_name(rel))}</span> '
                f'{self.entity_link(o, up) if show != "subject" else ""}{aspect}')
        meta = [self.ref_links(c["references"], up),
                f'<a href="{up}{self.section_page(c["section"])}#{esc(cid)}">§{esc(c["section"])}</a>',
                f'<span class="cid">{esc(cid)}</span>',
                f'<abbr title="{esc(EVIDENCE_CODES.get(c["evidence"], ""))}">{esc(c["evidence"])}</abbr>']
        if c.get("study_type"):
            meta.append(esc(STUDY_TYPES.get(c["study_type"], c["study_type"])))
        if c.get("context"):
            meta.append(esc(c["context"]))
        return (f'<li id="{esc(cid)}"><div class="claim-line">{line}</div>'
                f'<div class="claim-meta">{" · ".join(meta)}</div>'
                f'<blockquote lang="zh">{esc(c["quote_zh"])}</blockquote>'
                f'<p class="statement">{esc(c["statement_en"])}</p></li>')


def _claims_by(site: Site) -> tuple[dict[str, list[str]], dict[str, list[str]], dict[int, list[str]]]:
    as_subject: dict[str, list[str]] = defaultdict(list)
    as_object: dict[str, list[str]] = defaultdict(list)
    by_ref: dict[int, list[str]] = defaultdict(list)
    for cid, c in site.graph.claims.items():
        as_subject[c["subject"]["iri"]].append(cid)
        as_object[c["object"]["iri"]].append(cid)
        for n in c["references"]:
            by_ref[n].append(cid)
    return as_subject, as_object, by_ref


def sections_of(site: Site) -> list[str]:
    """Sections that hold claims, in reading order."""
    return sorted({c["section"] for c in site.graph.claims.values()}, key=section_key)


def index_page(site: Site, counts: dict[str, int]) -> str:
    g = site.graph
    items = []
    if site.has_ontology:
        items.append('<li><a href="ontology.html">Ontology reference</a> — every class and property, '
                     "with definitions, Chinese labels, synonyms and mappings (made with pyLODE)</li>")
    items += [
        f'<li><a href="sections.html">Claims by section</a> — the {counts["claims"]} claims in the order the review makes them</li>',
        f'<li><a href="entities.html">Entities</a> — the {counts["entities"]} entities by category, each with its claims</li>',
        '<li><a href="references.html">References</a> — the claims resting on each of the review\'s references</li>',
    ]
    figure = ""
    if site.has_maps:
        items.append('<li><a href="map.html">Interactive map</a> — pan, zoom and click for the claims behind a node or an edge</li>')
        figure = ('<figure><a href="overview.svg"><img src="overview.svg" alt="Overview map: one panel per mechanism '
                  'section 2.1–2.9"></a><figcaption class="small muted">One panel per mechanism section. Arrow: increases; '
                  "T-bar: decreases; dashed: correlation; grey dotted: no association; [n]: references.</figcaption></figure>")
    body = (f"<h1>{esc(site.title)}</h1>\n"
            '<p>The knowledge base of <b>how type 2 diabetes leads to osteoporosis</b>, built from one Chinese review '
            '(<span lang="zh">2型糖尿病合并骨质疏松症发病机制</span>): its entities and every causal or correlational claim it makes, '
            "each with the review's sentence, references, section and evidence.</p>\n"
            f'<p class="muted">{counts["entities"]} entities · {counts["claims"]} claims · '
            f'{counts["references"]} references cited · {len(g.edges)} distinct signed links</p>\n'
            f'<ul>{"".join(items)}</ul>\n{figure}')
    return site.page("Home", body)


def sections_index(site: Site) -> str:
    counts = defaultdict(int)
    for c in site.graph.claims.values():
        counts[c["section"]] += 1
    rows = []
    for sec in sections_of(site):
        en, zh = SECTION_TITLES.get(sec, (sec, ""))
        rows.append(f'<tr><td><a href="{site.section_page(sec)}">{esc(sec)}</a></td><td>{esc(en)}</td>'
                    f'<td lang="zh">{esc(zh)}</td><td>{counts[sec]}</td></tr>')
    body = ("<h1>Claims by section</h1>\n<table><tr><th>section</th><th>title</th><th>标题</th><th>claims</th></tr>"
            + "".join(rows) + "</table>")
    return site.page("Claims by section", body)


def section_page(site: Site, section: str) -> str:
    en, zh = SECTION_TITLES.get(section, (section, ""))
    ids = [cid for cid, c in site.graph.claims.items() if c["section"] == section]
    figure = ""
    if site.has_maps:
        figure = (f'<figure><a href="{esc(section)}.svg"><img src="{esc(section)}.svg" alt="Map of section {esc(section)}">'
                  "</a></figure>")
    body = (f'<h1>{esc(section)} {esc(en)} <span class="zh muted" lang="zh">{esc(zh)}</span></h1>\n'
            f'<p class="muted">{len(ids)} claims.</p>\n{figure}\n'
            f'<ol class="claims">{"".join(site.claim_item(cid, "../") for cid in ids)}</ol>')
    return site.page(f"Section {section}", body, up="../")


def entities_index(site: Site, as_subject: dict[str, list[str]], as_object: dict[str, list[str]]) -> str:
    g = site.graph
    by_cat: dict[str, list[str]] = defaultdict(list)
    for iri, node in g.nodes.items():
        by_cat[node.category].append(iri)
    parts = ["<h1>Entities</h1>"]
    order = [c for c in CATEGORY_ORDER if c in by_cat] + sorted(set(by_cat) - set(CATEGORY_ORDER))
    for cat in order:
        iris = sorted(by_cat[cat], key=lambda i: g.nodes[i].label.casefold())
        parts.append(f'<h2 id="{esc(cat)}">{esc(g.category_name(cat))} '
                     f'<span class="zh muted" lang="zh">{esc(g.category_name(cat, "zh"))}</span></h2>')
        rows = "".join(
            f'<tr><td>{site.entity_link(i)}</td><td class="muted small">'
            f'{len(as_subject.get(i, [])) + len(as_object.get(i, []))} claims</td></tr>' for i in iris)
        parts.append(f"<table>{rows}</table>")
    return site.page("Entities", "\n".join(parts))


def entity_page(site: Site, iri: str, as_subject: list[str], as_object: list[str]) -> str:
    g = site.graph
    node = g.nodes[iri]
    facts = [f"<tr><th>category</th><td>{esc(g.category_name(node.category))} "
             f'<span class="zh muted" lang="zh">{esc(g.category_name(node.category, "zh"))}</span></td></tr>',
             f'<tr><th>IRI</th><td class="small">{esc(iri)}</td></tr>']
    if iri in site.definitions:
        facts.insert(0, f"<tr><th>definition</th><td>{esc(site.definitions[iri])}</td></tr>")
    if node.synonyms:
        facts.append(f"<tr><th>synonyms</th><td>{esc('; '.join(node.synonyms))}</td></tr>")
    if node.xrefs:
        facts.append(f"<tr><th>mappings</th><td>{esc(', '.join(node.xrefs))}</td></tr>")
    if site.members.get(iri):
        facts.append("<tr><th>members</th><td>" + ", ".join(site.entity_link(m, "../") for m in site.members[iri])
                     + "</td></tr>")
    anchor = site.ontology_anchors.get(iri)
    if site.has_ontology and anchor:
        facts.append(f'<tr><th>ontology</th><td><a href="../ontology.html#{esc(anchor)}">in the ontology reference</a></td></tr>')
    body = [f'<h1>{esc(node.label)} <span class="zh muted" lang="zh">{esc(node.label_zh)}</span></h1>',
            f"<table>{''.join(facts)}</table>"]
    if as_subject:
        body.append(f"<h2>What {esc(node.label)} affects ({len(as_subject)})</h2>")
        body.append(f'<ul class="claims">{"".join(site.claim_item(c, "../") for c in as_subject)}</ul>')
    if as_object:
        body.append(f"<h2>What affects {esc(node.label)} ({len(as_object)})</h2>")
        body.append(f'<ul class="claims">{"".join(site.claim_item(c, "../") for c in as_object)}</ul>')
    if not (as_subject or as_object):
        body.append('<p class="muted">No claim names this entity directly.</p>')
    return site.page(node.label, "\n".join(body), up="../")


def references_page(site: Site, by_ref: dict[int, list[str]]) -> str:
    parts = ["<h1>References</h1>",
             "<p class=\"muted\">The review's references are known here by their number and, where the review "
             "names one, their first author; the claims citing each are listed with the review's sentence.</p>"]
    for n in sorted(set(by_ref) | set(site.authors)):
        author = f" — {esc(site.authors[n])}" if n in site.authors else ""
        ids = by_ref.get(n, [])
        parts.append(f'<h2 id="ref-{n}">[{n}]{author} <span class="muted small">({len(ids)} claims)</span></h2>')
        if ids:
            parts.append(f'<ul class="claims">{"".join(site.claim_item(c) for c in ids)}</ul>')
    return site.page("References", "\n".join(parts))


def all_pages(site: Site, counts: dict[str, int]) -> dict[str, str]:
    """Relative path -> HTML for every page of our own."""
    as_subject, as_object, by_ref = _claims_by(site)
    pages = {
        "index.html": index_page(site, counts),
        "sections.html": sections_index(site),
        "entities.html": entities_index(site, as_subject, as_object),
        "references.html": references_page(site, by_ref),
        "style.css": STYLE.lstrip(),
    }
    for sec in sections_of(site):
        pages[site.section_page(sec)] = section_page(site, sec)
    for iri in site.graph.nodes:
        pages[site.entity_page(iri)] = entity_page(site, iri, as_subject.get(iri, []), as_object.get(iri, []))
    return pages
