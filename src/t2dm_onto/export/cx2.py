"""Cytoscape CX2 export: the claim network as Cytoscape Exchange 2 JSON, for Cytoscape and NDEx.

Why CX2 beside GraphML: it is what Cytoscape and NDEx exchange natively, it has
typed list attributes (references stay a list of integers), and it declares
every attribute's type up front. The document follows the CX2 specification:
a ``CXVersion`` pre-metadata entry, ``metaData`` with element counts,
``attributeDeclarations``, ``networkAttributes``, ``nodes`` (integer ids),
``edges`` (``s``/``t`` pointing at node ids) and a closing ``status``; absent
values are left out instead of written as nulls, as CX2 asks.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .model import ExportModel, load_model
from .network import (
    EDGE_ATTRIBUTES,
    NETWORK_ATTRIBUTES,
    NODE_ATTRIBUTES,
    edge_attributes,
    given,
    network_attributes,
    node_attributes,
)

KIND = "file"
DESCRIPTION = "Cytoscape CX2 JSON: entity nodes with categories, one edge per claim with sign and evidence"


def _present(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if given(v)}


def document(model: ExportModel) -> list[dict[str, Any]]:
    """The CX2 document as a JSON-ready list of aspects."""
    ids = {node.iri: i for i, node in enumerate(model.used)}
    nodes = [{"id": ids[node.iri], "v": _present(node_attributes(model, node))} for node in model.used]
    edges = [
        {"id": i, "s": ids[c["subject"]["iri"]], "t": ids[c["object"]["iri"]], "v": _present(edge_attributes(model, c))}
        for i, c in enumerate(model.claims)
    ]
    declarations = {
        "networkAttributes": {k: {"d": t} for k, t in NETWORK_ATTRIBUTES.items()},
        "nodes": {k: {"d": t} for k, t in NODE_ATTRIBUTES.items()},
        "edges": {k: {"d": t} for k, t in EDGE_ATTRIBUTES.items()},
    }
    return [
        {"CXVersion": "2.0", "hasFragments": False},
        {"metaData": [
            {"name": "attributeDeclarations", "elementCount": 1},
            {"name": "networkAttributes", "elementCount": 1},
            {"name": "nodes", "elementCount": len(nodes)},
            {"name": "edges", "elementCount": len(edges)},
        ]},
        {"attributeDeclarations": [declarations]},
        {"networkAttributes": [_present(network_attributes(model))]},
        {"nodes": nodes},
        {"edges": edges},
        {"status": [{"error": "", "success": True}]},
    ]


def render(model: ExportModel) -> str:
    """The CX2 JSON text (UTF-8 characters kept, one aspect per line block)."""
    return json.dumps(document(model), ensure_ascii=False, indent=1) + "\n"


def write(kb, path: Path) -> None:
    """Write the CX2 document of ``kb`` to ``path``."""
    Path(path).write_bytes(render(load_model(kb)).encode("utf-8"))
