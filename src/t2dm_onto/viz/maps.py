"""Which map to draw: the picture for a focus entity, a section, a canned query, the overview or everything.

The ``graph`` command parses its options and hands them here; this module turns
them into one :class:`~t2dm_onto.viz.render.Picture` from the claim graph.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .model import focus_graph, load_graph, query_graph, section_graph
from .overview import overview_picture
from .render import Picture

if TYPE_CHECKING:
    from ..kb import KnowledgeBase


def picture_for(kb: KnowledgeBase, *, focus: str | None = None, query: str | None = None,
                params: dict[str, str] | None = None, section: str | None = None, overview: bool = False,
                depth: int = 1, direction: str = "both", lang: str = "en", rankdir: str = "LR",
                legend: bool = True) -> Picture:
    """The picture of what the arguments select; with none of focus, query, section or overview, every claim."""
    graph = load_graph(kb)
    if overview:
        picture = overview_picture(graph, lang)
        if not legend:
            picture = Picture(picture.parts, lang=picture.lang, columns=picture.columns, fontsize=picture.fontsize,
                              legend=False, title=picture.title)
        return picture
    if focus:
        sub = focus_graph(graph, kb.resolve(focus, "focus"), depth=depth, direction=direction, lang=lang)
    elif section:
        sub = section_graph(graph, section, lang=lang)
    elif query:
        sub = query_graph(kb, graph, query, params or {}, lang=lang)
    else:
        sub = graph.restrict(lambda c: True, title="t2dm-onto")
    return Picture.single(sub, lang=lang, rankdir=rankdir, legend=legend)
