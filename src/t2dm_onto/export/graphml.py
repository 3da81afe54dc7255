"""GraphML export: entities as nodes, one directed edge per claim, for Cytoscape, Gephi, yEd and networkx.

Why written by hand: the XML is small and regular, and writing it ourselves
keeps the bytes stable (sorted nodes, claims in section order, keys in a fixed
order) without adding networkx as a dependency. GraphML has no list type, so
list attributes (references, context, matches, synonyms) are joined with ``|``;
an item that itself holds ``|`` is refused rather than silently split.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from ..errors import InputError
from .model import ExportModel, load_model
from .network import (
    EDGE_ATTRIBUTES,
    NETWORK_ATTRIBUTES,
    NODE_ATTRIBUTES,
    edge_attributes,
    edge_key,
    given,
    network_attributes,
    node_attributes,
)

KIND = "file"
DESCRIPTION = "GraphML: entity nodes with categories, one directed edge per claim with sign and evidence"

LIST_SEP = "|"
_TYPES = {"string": "string", "integer": "int", "boolean": "boolean"}
# Characters XML 1.0 forbids even when escaped.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def graphml_type(cx2_type: str) -> str:
    """GraphML ``attr.type`` for an attribute type (lists travel as joined strings)."""
    return "string" if cx2_type.startswith("list_of_") else _TYPES[cx2_type]


def _text(value: Any, where: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        items = [str(v) for v in value]
        for item in items:
            if LIST_SEP in item:
                raise InputError(f"{where}: the list item {item!r} holds {LIST_SEP!r}, which GraphML lists "
                                 "are joined with; fix the curated text and rebuild.")
        value = LIST_SEP.join(items)
    text = str(value)
    if _FORBIDDEN.search(text):
        raise InputError(f"{where}: the value {text!r} holds a control character XML cannot carry; "
                         "fix the curated text and rebuild.")
    return escape(text)


def _keys(scope: str, prefix: str, attributes: dict[str, str]) -> list[str]:
    return [f'  <key id="{prefix}_{name}" for="{scope}" attr.name="{name}" attr.type="{graphml_type(kind)}"/>'
            for name, kind in attributes.items()]


def _data(prefix: str, values: dict[str, Any], where: str, indent: str) -> list[str]:
    return [f'{indent}<data key="{prefix}_{name}">{_text(value, f"{where}, attribute {name}")}</data>'
            for name, value in values.items() if given(value)]


def render(model: ExportModel) -> str:
    """The GraphML document as text."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
        *_keys("graph", "g", NETWORK_ATTRIBUTES),
        *_keys("node", "n", NODE_ATTRIBUTES),
        *_keys("edge", "e", EDGE_ATTRIBUTES),
        '  <graph id="t2dm-onto" edgedefault="directed">',
        *_data("g", network_attributes(model), "graph", "    "),
    ]
    for node in model.used:
        lines.append(f"    <node id={quoteattr(node.curie)}>")
        lines += _data("n", node_attributes(model, node), f"node {node.curie}", "      ")
        lines.append("    </node>")
    for claim in model.claims:
        source = model.node(claim["subject"]["iri"]).curie
        target = model.node(claim["object"]["iri"]).curie
        lines.append(f"    <edge id={quoteattr(edge_key(claim))} source={quoteattr(source)} target={quoteattr(target)}>")
        lines += _data("e", edge_attributes(model, claim), f"claim {edge_key(claim)}", "      ")
        lines.append("    </edge>")
    lines += ["  </graph>", "</graphml>"]
    return "\n".join(lines) + "\n"


def write(kb, path: Path) -> None:
    """Write the GraphML document of ``kb`` to ``path`` (UTF-8)."""
    Path(path).write_bytes(render(load_model(kb)).encode("utf-8"))
