"""The visual conventions of mechanism diagrams, in one table each.

Edges follow what readers of signalling and pathway figures expect: an arrow
head for *increases*, a flat T-bar for *decreases*, dashed undirected lines for
correlations (green positive, red negative, dark grey unsigned), and a dotted
light-grey line for *no association*. Colour is never the only cue: heads,
dashes and a sign mark (+ − ~ ∅) in front of the reference numbers tell the same.

Node shapes lean on SBGN habits (rounded boxes for gene products, ellipses for
small molecules, hexagons for phenotypes, plain boxes for processes), with one
fill colour per top category so a map can be read at a glance.
"""

from __future__ import annotations

import re
import unicodedata

#: relation -> Graphviz edge attributes and the mark shown before the references.
RELATION_STYLE: dict[str, dict[str, str]] = {
    "increases": {"color": "#1b7837", "style": "solid", "arrowhead": "normal", "dir": "forward", "mark": ""},
    "decreases": {"color": "#b2182b", "style": "solid", "arrowhead": "tee", "dir": "forward", "mark": ""},
    "positively_correlated_with": {"color": "#1b7837", "style": "dashed", "arrowhead": "none", "dir": "none",
                                   "mark": "+"},
    "negatively_correlated_with": {"color": "#b2182b", "style": "dashed", "arrowhead": "none", "dir": "none",
                                   "mark": "−"},
    "associated_with": {"color": "#4d4d4d", "style": "dashed", "arrowhead": "none", "dir": "none", "mark": "~"},
    "no_association": {"color": "#a6a6a6", "style": "dotted", "arrowhead": "none", "dir": "none", "mark": "∅"},
}

#: top category -> Graphviz node attributes.
CATEGORY_STYLE: dict[str, dict[str, str]] = {
    "DrugOrTherapy": {"shape": "cds", "style": "filled", "fillcolor": "#f9cb9c", "color": "#b45f06"},
    "GeneOrProtein": {"shape": "box", "style": "rounded,filled", "fillcolor": "#cfe2f3", "color": "#0b5394"},
    "Hormone": {"shape": "ellipse", "style": "filled", "fillcolor": "#d9ead3", "color": "#38761d"},
    "ChemicalEntity": {"shape": "ellipse", "style": "filled", "fillcolor": "#fff2cc", "color": "#7f6000"},
    "BiologicalProcess": {"shape": "box", "style": "filled", "fillcolor": "#eeeeee", "color": "#444444"},
    "SignallingPathway": {"shape": "box3d", "style": "filled", "fillcolor": "#d0e0e3", "color": "#134f5c"},
    "DiseaseOrDisorder": {"shape": "octagon", "style": "filled", "fillcolor": "#f4cccc", "color": "#990000"},
    "PhenotypicFeature": {"shape": "hexagon", "style": "filled", "fillcolor": "#fce5cd", "color": "#b45f06"},
    "Measurement": {"shape": "parallelogram", "style": "filled", "fillcolor": "#e4d7f5", "color": "#674ea7"},
    "CellType": {"shape": "ellipse", "style": "filled", "fillcolor": "#d0e0e3", "color": "#134f5c",
                 "peripheries": "2"},
    "AnatomicalEntity": {"shape": "tab", "style": "filled", "fillcolor": "#f3f3f3", "color": "#666666"},
    "LifestyleOrAnthropometricFactor": {"shape": "note", "style": "filled", "fillcolor": "#fffbe6",
                                        "color": "#7f6000"},
    "Entity": {"shape": "box", "style": "dashed", "fillcolor": "#ffffff", "color": "#999999"},
}

#: Legend order: how a reader scans a mechanism, from drugs and molecules to outcomes.
CATEGORY_ORDER = tuple(CATEGORY_STYLE)
RELATION_ORDER = tuple(RELATION_STYLE)

#: Font families. Graphviz measures text with the first family fontconfig finds;
#: SVG viewers get the whole list to fall back on.
FONTS = {
    "en": "DejaVu Sans,Arial,Helvetica,sans-serif",
    "zh": "Noto Sans CJK SC,Noto Sans SC,Source Han Sans SC,Microsoft YaHei,PingFang SC,sans-serif",
}

#: Text widths at which node labels wrap (characters; a CJK character counts as two).
WRAP = 22


def node_style(category: str) -> dict[str, str]:
    return dict(CATEGORY_STYLE.get(category, CATEGORY_STYLE["Entity"]))


def edge_style(relation: str) -> dict[str, str]:
    return dict(RELATION_STYLE[relation])


def compress_refs(refs: list[int]) -> str:
    """``[9, 10, 11, 15]`` -> ``9–11,15``: runs of three or more become ranges."""
    out: list[str] = []
    i = 0
    while i < len(refs):
        j = i
        while j + 1 < len(refs) and refs[j + 1] == refs[j] + 1:
            j += 1
        if j - i >= 2:
            out.append(f"{refs[i]}–{refs[j]}")
        else:
            out.extend(str(r) for r in refs[i:j + 1])
        i = j + 1
    return ",".join(out)


def edge_label(relation: str, refs: list[int]) -> str:
    """What an edge says on the map: its sign mark and reference numbers, e.g. ``+ [12]``."""
    mark = RELATION_STYLE[relation]["mark"]
    cited = f"[{compress_refs(refs)}]" if refs else ""
    return " ".join(p for p in (mark, cited) if p)


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal or a label: CJK characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap(text: str, width: int = WRAP) -> list[str]:
    """Break a label into balanced lines of at most about ``width`` columns.

    Latin text breaks at spaces; CJK text (no spaces) between characters,
    never inside a run of Latin letters or digits such as ``RANKL`` or ``IL-6``.
    Lines are balanced (``2型糖尿病合并 / 骨质疏松症``, not a lone ``症``).
    """
    total = display_width(text)
    if total <= width:
        return [text]
    lines_needed = -(-total // width)
    target = -(-total // lines_needed)
    tokens = re.findall(r"[A-Za-z0-9α-ωΑ-Ω.,;:'()/+\-–κβγ]+\s*|\s+|.", text)
    lines: list[str] = []
    line = ""
    for tok in tokens:
        if line.strip() and display_width(line.rstrip()) + display_width(tok.rstrip()) > max(target, 1) + 1:
            lines.append(line.rstrip())
            line = tok.lstrip()
        else:
            line += tok
    if line.strip():
        lines.append(line.rstrip())
    return lines or [text]
