"""A picture (one or more map panels and a legend) and the files it becomes.

``svg``, ``png`` and ``dot`` come straight from Graphviz (:mod:`.dot`);
``html`` wraps the SVG in the interactive page of :mod:`.html`. Files are
written through :func:`t2dm_onto.outputs.atomic_write`, so a failed render
never leaves half a file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import MissingDependencyError, UsageError
from ..outputs import atomic_write, check_output_path
from .dot import CJK_FONT_HINT, DotOptions, cjk_font_available, draw, legend_dot, to_dot
from .model import MapGraph

FORMATS = ("svg", "png", "html", "dot")
RANKDIRS = ("LR", "TB")


@dataclass(frozen=True)
class Picture:
    """What to draw: panels (id prefix, graph) and how."""

    parts: tuple[tuple[str, MapGraph], ...]
    lang: str = "en"
    rankdir: str = "LR"
    legend: bool = True
    columns: int | None = None
    fontsize: float = 11.0
    legend_fontsize: float = 10.0
    title: str = ""  # of the page; each panel keeps its own title

    @classmethod
    def single(cls, graph: MapGraph, *, lang: str = "en", rankdir: str = "LR", legend: bool = True) -> Picture:
        if rankdir not in RANKDIRS:
            raise UsageError(f"layout direction must be one of {', '.join(RANKDIRS)}, not {rankdir!r}.")
        return cls((("", graph),), lang=lang, rankdir=rankdir, legend=legend, title=graph.title)

    def union(self) -> MapGraph:
        """All panels' nodes and edges in one graph (for the legend)."""
        first = self.parts[0][1]
        nodes, edges, claims = {}, {}, {}
        for _, g in self.parts:
            nodes.update(g.nodes)
            edges.update(g.edges)
            claims.update(g.claims)
        return MapGraph(nodes, edges, claims, first.category_labels, first.relation_labels)

    def dot_texts(self) -> list[str]:
        texts = [to_dot(g, DotOptions(lang=self.lang, rankdir=self.rankdir, prefix=prefix, fontsize=self.fontsize))
                 for prefix, g in self.parts]
        if self.legend:
            texts.append(legend_dot(self.union(), self.lang, fontsize=self.legend_fontsize))
        return texts


def render(picture: Picture, fmt: str, *, dpi: int = 96) -> bytes:
    """The picture as ``fmt`` bytes (svg, png, html, or dot: the Graphviz source of each panel)."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown image format {fmt!r}: use one of {', '.join(FORMATS)}.")
    if picture.lang == "zh" and fmt != "dot" and not cjk_font_available():
        raise MissingDependencyError(f"Chinese labels need a Chinese font for Graphviz: {CJK_FONT_HINT}.")
    texts = picture.dot_texts()
    if fmt == "dot":  # the source, one digraph per panel: `dot | gvpack -array_ti | neato -n2` draws it
        return "\n".join(texts).encode("utf-8")
    if fmt == "html":
        from .html import page

        svg = draw(texts, "svg", columns=picture.columns).decode("utf-8")
        return page(svg, picture).encode("utf-8")
    return draw(texts, fmt, columns=picture.columns, dpi=dpi)


def format_of(path: str | Path | None, fmt: str | None) -> str:
    """The format asked for: ``--format`` if given, else the output file's extension, else DOT."""
    if fmt:
        return fmt
    if path is None:
        return "dot"
    suffix = Path(path).suffix.lower().lstrip(".")
    suffix = {"htm": "html", "gv": "dot"}.get(suffix, suffix)
    if suffix not in FORMATS:
        raise UsageError(f"cannot tell the format of {path}: end the file name with .svg, .png, .html or .dot, "
                         "or give --format.")
    return suffix


def write(picture: Picture, path: str | Path, fmt: str | None = None, *, dpi: int = 96) -> Path:
    """Render ``picture`` to ``path`` atomically; the format comes from the extension unless given."""
    check_output_path(path)  # refuse a bad path before the work, not after
    return atomic_write(path, render(picture, format_of(path, fmt), dpi=dpi))
