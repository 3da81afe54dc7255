"""The overview map: one panel per mechanism section (2.1–2.9) and a legend.

Each section is laid out on its own, so an entity that several sections
discuss (insulin, BMD, osteoclasts…) appears once in each panel, in the
company the section gives it; the panels are then set in a grid in reading
order. The committed ``docs/overview.{svg,png}`` are made by
``t2dm-onto graph --overview -o docs/overview.svg`` (and ``.png``).
"""

from __future__ import annotations

from ..sections import MECHANISM_SECTIONS
from .model import MapGraph, section_graph
from .render import Picture

#: panels per row: three keeps the picture about as wide as it is tall.
COLUMNS = 3


def panel_prefix(section: str) -> str:
    """Id prefix of a section's panel: ``s2_5_`` (so ``s2_5_n_RANKL``)."""
    return "s" + section.replace(".", "_") + "_"


def overview_picture(graph: MapGraph, lang: str = "en") -> Picture:
    """Panels for sections 2.1–2.9 in reading order, with a legend of every category and relation they use."""
    parts = tuple((panel_prefix(s), section_graph(graph, s, lang=lang)) for s in MECHANISM_SECTIONS)
    title = "2型糖尿病合并骨质疏松症的发病机制" if lang == "zh" else "How type 2 diabetes leads to osteoporosis"
    return Picture(parts, lang=lang, columns=COLUMNS, fontsize=12, legend_fontsize=14, title=title)
