"""``t2dm-onto docs``: an HTML documentation site of the ontology and its claims.

The folder holds the ontology reference made by pyLODE (:mod:`.ontology_page`),
our own pages listing the claims by section, by entity and by reference
(:mod:`.pages`), and, where Graphviz is installed, a map per section, the
overview map and the interactive map. It is written through
:func:`t2dm_onto.outputs.atomic_dir`: the old folder is replaced only once the
new one is complete.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..kb import KnowledgeBase

def build_site(kb: KnowledgeBase, out: str | Path, *, ontology: bool = True, maps: bool = True,
               ontology_file: Path | None = None) -> dict[str, int]:
    """Write the documentation site to the folder ``out``; returns counts of what was written."""
    from ..outputs import atomic_dir
    from ..resources import ontology_file as shipped_ontology
    from ..viz.dot import graphviz_available
    from ..viz.model import load_graph
    from .pages import Site, all_pages

    graph = load_graph(kb)
    site = Site(graph, has_maps=maps and graphviz_available())
    model = kb.model
    site.definitions = {iri: found[0] for iri, found in model.definitions.items()}
    site.members = {iri: list(found) for iri, found in model.members.items()}
    site.authors = {n: r.first_author for n, r in model.references.items() if r.first_author is not None}
    ontology_page = None
    if ontology:
        from .ontology_page import ontology_html

        pages_of = {iri: f"{Site.entity_page(iri)}" for iri in graph.nodes}
        ontology_page, site.ontology_anchors = ontology_html(ontology_file or shipped_ontology(), pages_of)
        site.has_ontology = True
    counts = {"entities": len(graph.nodes), "claims": len(graph.claims),
              "references": len({n for c in graph.claims.values() for n in c["references"]})}
    files = all_pages(site, counts)
    if ontology_page is not None:
        files["ontology.html"] = ontology_page
    images = _maps(graph) if site.has_maps else {}
    with atomic_dir(out, "docs") as tmp:
        for rel, text in files.items():
            path = tmp / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        for rel, data in images.items():
            (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
            (tmp / rel).write_bytes(data)
    return {"pages": sum(1 for f in files if f.endswith(".html")), "images": len(images), **counts}


def _maps(graph) -> dict[str, bytes]:
    """A map per section, the overview and the interactive overview."""
    from ..viz.model import section_graph
    from ..viz.overview import overview_picture
    from ..viz.render import Picture, render
    from .pages import Site, sections_of

    out: dict[str, bytes] = {}
    for sec in sections_of(Site(graph)):
        picture = Picture.single(section_graph(graph, sec))
        out[f"section/{sec}.svg"] = render(picture, "svg")
    overview = overview_picture(graph)
    out["overview.svg"] = render(overview, "svg")
    out["map.html"] = render(overview, "html")
    return out
