"""Graphviz: DOT text for a claim graph and its legend, and the programs that draw it.

A map is laid out in three steps, all with the programs of Debian's
``graphviz`` package: ``dot`` lays out each panel (the map, its legend, or the
sections of the overview) on its own, ``gvpack`` sets the laid-out panels side
by side in a grid, and ``neato -n2`` draws the result keeping every position.
Laying panels out separately keeps the legend from being pulled into the
mechanism and lets the overview give each section its own box.

Every node and edge gets a stable ``id`` (``n_RANKL``, ``e12``), which the SVG
keeps, so the interactive page can attach the claims to what a person clicks.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from itertools import pairwise

from ..errors import BackendError, MissingDependencyError
from .model import Edge, MapGraph, Node
from .style import (
    CATEGORY_ORDER,
    FONTS,
    RELATION_ORDER,
    edge_label,
    edge_style,
    node_style,
    wrap,
)

GRAPHVIZ_HINT = "install Graphviz: `apt-get install graphviz` (Debian/Ubuntu) or `brew install graphviz` (macOS)"
CJK_FONT_HINT = "install a Chinese font: `apt-get install fonts-noto-cjk` (Debian/Ubuntu)"
FORMATS = ("svg", "png", "dot")


def quote(text: str) -> str:
    """A DOT double-quoted string; backslashes are doubled so ``\\N`` and friends stay literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _attrs(attrs: dict[str, str]) -> str:
    return "[" + ", ".join(f"{k}={quote(str(v))}" for k, v in attrs.items() if v is not None) + "]"


def node_id(node: Node, prefix: str = "") -> str:
    return f"{prefix}n_{node.id}"


def edge_ids(graph: MapGraph, prefix: str = "") -> dict[tuple[str, str, str], str]:
    """Stable edge ids, in the order :meth:`MapGraph.sorted_edges` gives."""
    return {e.key: f"{prefix}e{i}" for i, e in enumerate(graph.sorted_edges())}


@dataclass(frozen=True)
class DotOptions:
    """How a map is drawn."""

    lang: str = "en"
    rankdir: str = "LR"
    title: str | None = None  # None: the graph's own title
    prefix: str = ""  # id prefix, so panels of one picture never share ids
    fontsize: float = 11.0


def _node_line(graph: MapGraph, node: Node, opts: DotOptions) -> str:
    font = FONTS[opts.lang]
    attrs = node_style(node.category)
    category = graph.category_name(node.category, opts.lang)
    other = node.label if opts.lang == "zh" else node.label_zh
    attrs.update({
        "id": node_id(node, opts.prefix),
        "label": "\n".join(wrap(node.name(opts.lang))),
        "tooltip": f"{node.name(opts.lang)} / {other} — {category}",
        "fontname": font,
        "fontsize": f"{opts.fontsize:g}",
        "margin": "0.08,0.03",
        "penwidth": "1",
    })
    if node.iri in graph.focus:
        attrs["penwidth"] = "3"
        attrs["fontname"] = font  # bold faces vary between fonts; a thick border is enough
    return f"  {quote(node_id(node, opts.prefix))} {_attrs(attrs)};"


def _edge_line(graph: MapGraph, edge: Edge, eid: str, opts: DotOptions) -> str:
    style = edge_style(edge.relation)
    refs = graph.refs(edge)
    statements = []
    for cid in edge.claims:
        claim = graph.claims[cid]
        cited = f" [{','.join(map(str, claim['references']))}]" if claim["references"] else ""
        text = claim["quote_zh"] if opts.lang == "zh" else claim["statement_en"]
        statements.append(f"{cid} (§{claim['section']}){cited}: {text}")
    attrs = {
        "id": eid,
        "color": style["color"],
        "style": style["style"],
        "arrowhead": style["arrowhead"],
        "dir": style["dir"],
        "penwidth": "1.4",
        "label": edge_label(edge.relation, refs),
        "fontname": FONTS[opts.lang],
        "fontsize": f"{opts.fontsize - 2:g}",
        "fontcolor": style["color"],
        "tooltip": "\n".join(statements),
    }
    s, o = graph.nodes[edge.subject], graph.nodes[edge.object]
    return f"  {quote(node_id(s, opts.prefix))} -> {quote(node_id(o, opts.prefix))} {_attrs(attrs)};"


def to_dot(graph: MapGraph, opts: DotOptions | None = None) -> str:
    """The DOT text of one map (without legend), its title as a frameless cluster label."""
    opts = opts or DotOptions()
    font = FONTS[opts.lang]
    title = graph.title if opts.title is None else opts.title
    lines = [
        f"digraph {quote(opts.prefix + 'map')} {{",
        f"  graph {_attrs({'rankdir': opts.rankdir, 'nodesep': '0.22', 'ranksep': '0.45', 'fontname': font, 'bgcolor': 'white', 'pad': '0.15'})};",
        f"  subgraph {quote('cluster_' + opts.prefix + 'main')} {{",
        f"  graph {_attrs({'label': title, 'labelloc': 't', 'labeljust': 'l', 'fontsize': f'{opts.fontsize + 5:g}', 'fontname': font, 'pencolor': 'transparent', 'margin': '10'})};",
    ]
    lines += [_node_line(graph, n, opts) for n in graph.sorted_nodes()]
    ids = edge_ids(graph, opts.prefix)
    lines += [_edge_line(graph, e, ids[e.key], opts) for e in graph.sorted_edges()]
    lines += ["  }", "}"]
    return "\n".join(lines) + "\n"


def legend_dot(graph: MapGraph, lang: str = "en", prefix: str = "legend_", fontsize: float = 10.0,
               every: bool = False) -> str:
    """A legend for the categories and relations ``graph`` uses (or all of them with ``every``).

    Laid out top to bottom: one sample shape per category, then one row per
    relation with a short drawn edge (a same-rank pair, so the edge is level)
    and its name.
    """
    font = FONTS[lang]
    cats = {n.category for n in graph.nodes.values()}
    rels = {e.relation for e in graph.edges.values()}
    title = "图例" if lang == "zh" else "Legend"
    lines = [
        f"digraph {quote(prefix)} {{",
        f"  graph {_attrs({'rankdir': 'TB', 'nodesep': '0.1', 'ranksep': '0.12', 'fontname': font, 'bgcolor': 'white'})};",
        f"  subgraph {quote('cluster_' + prefix)} {{",
        f"  graph {_attrs({'label': title, 'labelloc': 't', 'fontsize': f'{fontsize + 3:g}', 'fontname': font, 'color': '#bbbbbb', 'style': 'rounded', 'margin': '10'})};",
    ]
    rows: list[str] = []  # the first node of each row, chained by invisible edges
    for cat in CATEGORY_ORDER:
        if not (every or cat in cats) or cat == "Entity":
            continue
        attrs = node_style(cat)
        attrs.update({"id": f"{prefix}{cat}", "label": graph.category_name(cat, lang), "fontname": font,
                      "fontsize": f"{fontsize:g}", "margin": "0.08,0.03", "width": "1.6", "height": "0.32"})
        lines.append(f"  {quote(prefix + cat)} {_attrs(attrs)};")
        rows.append(prefix + cat)
    for rel in RELATION_ORDER:
        if not (every or rel in rels):
            continue
        style = edge_style(rel)
        a, b = f"{prefix}{rel}_a", f"{prefix}{rel}_b"
        mark = style["mark"]
        text = (mark + " " if mark else "") + graph.relation_name(rel, lang)
        lines.append(f"  {quote(a)} [shape=point, width=0.01, height=0.01, style=invis, id={quote(a)}];")
        lines.append(f"  {quote(b)} {_attrs({'id': b, 'shape': 'plaintext', 'label': text, 'fontname': font, 'fontsize': f'{fontsize:g}', 'fontcolor': style['color'], 'height': '0.25'})};")
        lines.append(f"  {quote(a)} -> {quote(b)} {_attrs({'id': f'{prefix}{rel}', 'color': style['color'], 'style': style['style'], 'arrowhead': style['arrowhead'], 'dir': style['dir'], 'penwidth': '1.4', 'minlen': '4'})};")
        lines.append(f"  {{ rank=same; {quote(a)}; {quote(b)}; }}")
        rows.append(a)
    note = "[n] 参考文献编号" if lang == "zh" else "[n] reference numbers"
    lines.append(f"  {quote(prefix + 'refs')} {_attrs({'id': prefix + 'refs', 'shape': 'plaintext', 'label': note, 'fontname': font, 'fontsize': f'{fontsize:g}', 'height': '0.25'})};")
    rows.append(prefix + "refs")
    lines += [f"  {quote(x)} -> {quote(y)} [style=invis, id={quote(f'{prefix}row{i}')}];"
              for i, (x, y) in enumerate(pairwise(rows))]
    lines += ["  }", "}"]
    return "\n".join(lines) + "\n"


# -- running Graphviz ---------------------------------------------------------
def _exe(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise MissingDependencyError(f"Graphviz's `{name}` program is not installed: {GRAPHVIZ_HINT}.")
    return path


def graphviz_available() -> bool:
    return all(shutil.which(p) for p in ("dot", "gvpack", "neato"))


def cjk_font_available() -> bool:
    """Whether fontconfig knows a font covering Chinese (else Graphviz draws empty boxes)."""
    fc = shutil.which("fc-list")
    if fc is None:  # cannot tell; let Graphviz try
        return True
    proc = subprocess.run([fc, ":lang=zh", "family"], capture_output=True, text=True, timeout=60)
    return bool(proc.stdout.strip())


def run(program: str, args: list[str], data: bytes, what: str = "the map") -> bytes:
    """Run a Graphviz program on ``data``; a failure is a :class:`BackendError` quoting its message."""
    try:
        proc = subprocess.run([_exe(program), *args], input=data, capture_output=True, timeout=300)
    except subprocess.TimeoutExpired:
        raise BackendError(f"Graphviz `{program}` took more than 300 s on {what}; draw a smaller piece "
                           "(lower --depth, or one section).") from None
    # gvpack warns on stderr about things it handles; only the exit code counts
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise BackendError(f"Graphviz `{program}` failed on {what}: {' '.join(message[:3]) or 'no message'}.")
    return proc.stdout


_BB = re.compile(rb'\bbb="([\d.]+),([\d.]+),([\d.]+),([\d.]+)"')


def laid_out_size(laid: bytes) -> tuple[float, float]:
    """Width and height in points of a graph ``dot`` has laid out."""
    match = _BB.search(laid)
    if not match:
        return (0.0, 0.0)
    x0, y0, x1, y1 = (float(v) for v in match.groups())
    return (x1 - x0, y1 - y0)


def draw(panels: list[str], fmt: str, *, columns: int | None = None, dpi: int = 96,
         what: str = "the map") -> bytes:
    """Lay out each DOT text with ``dot``, pack them in a grid, and draw as ``fmt`` (svg, png or dot).

    ``columns`` is the grid's width; by default one panel beside a legend goes
    left-right when the panel is taller than wide, else top-bottom.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r} is not one of {FORMATS}")
    laid = [run("dot", [], p.encode("utf-8"), what) for p in panels]
    if len(laid) == 1:
        packed = laid[0]
    else:
        if columns is None:
            width, height = laid_out_size(laid[0])
            columns = 2 if height >= width * 0.6 else 1
        packed = run("gvpack", [f"-array_ti{columns}", "-m", "24"], b"".join(laid), what)
    if fmt == "dot":
        return packed
    args = ["-n2", f"-T{fmt}"]
    if fmt == "png":
        args.append(f"-Gdpi={dpi}")
    return run("neato", args, packed, what)
