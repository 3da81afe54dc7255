"""The canned queries through --endpoint against a real Oxigraph server on 127.0.0.1.

The server is PyPI's `oxigraph` command (a test extra), started empty by the
test; the Turtle export is loaded over the SPARQL 1.1 Graph Store Protocol, once
into the default graph and once into the named graph KB_GRAPH; the server is
stopped by PID. Every canned query must give the rows of the embedded store,
queried plainly and with --graph.
"""

from __future__ import annotations

import pytest

from t2dm_onto import KnowledgeBase
from t2dm_onto.catalog import Catalog
from t2dm_onto.errors import InputError, UsageError
from t2dm_onto.export import export
from t2dm_onto.namespaces import KB_GRAPH

from .servers import http, oxigraph_server
from .test_stores import _normalise

NAMES = Catalog().names()


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory, kb):
    folder = tmp_path_factory.mktemp("oxigraph")
    ttl = folder / "t2dm_op.ttl"
    export(kb, "ttl", ttl)
    with oxigraph_server(folder / "store") as base:
        for target in ("default", f"graph={KB_GRAPH}"):
            status, _, body = http("PUT", f"{base}/store?{target}", ttl.read_bytes(), {"Content-Type": "text/turtle"})
            assert status in (200, 201, 204), body
        yield base


def test_graph_store_protocol_loaded_both_graphs(oxigraph, kb):
    status, _, body = http("GET", f"{oxigraph}/store?graph={KB_GRAPH}", headers={"Accept": "application/n-triples"})
    assert status == 200
    assert len([line for line in body.decode().splitlines() if line.strip()]) == kb.backend.triples()


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("graph", [None, KB_GRAPH], ids=["default-graph", "named-graph"])
def test_endpoint_gives_the_same_rows(kb, oxigraph, name, graph):
    args = Catalog().get(name).example_args()
    remote = KnowledgeBase(endpoint=f"{oxigraph}/query", graph=graph).query(name, **args)
    assert len(remote) > 0
    assert _normalise(remote) == _normalise(kb.query(name, **args))


@pytest.mark.parametrize("graph", [None, KB_GRAPH], ids=["default-graph", "named-graph"])
def test_endpoint_claims_and_stats_match(claims, kb, oxigraph, graph):
    remote = KnowledgeBase(endpoint=f"{oxigraph}/query", graph=graph)
    assert remote.claims() == claims
    assert remote.stats() == kb.stats()


def test_unknown_graph_gives_no_rows_not_other_data(oxigraph):
    remote = KnowledgeBase(endpoint=f"{oxigraph}/query", graph="https://example.org/no-such-graph")
    assert remote.backend.triples() == 0


def test_graph_must_be_an_iri():
    with pytest.raises(InputError, match="--graph"):
        KnowledgeBase(endpoint="http://127.0.0.1:1/query", graph="not an iri")


def test_graph_needs_an_endpoint():
    with pytest.raises(UsageError, match="--graph"):
        KnowledgeBase(graph=KB_GRAPH)


@pytest.mark.parametrize(("reply", "answer"), [
    # Virtuoso 7: ASK answered as a one-column table
    ({"head": {"vars": ["__ask_retval"]}, "results": {"bindings": [{"__ask_retval": {"type": "literal", "value": "1"}}]}}, True),
    ({"head": {"vars": ["__ask_retval"]}, "results": {"bindings": [{"__ask_retval": {"type": "literal", "value": "0"}}]}}, False),
    ({"head": {"vars": ["__ask_retval"]}, "results": {"bindings": []}}, False),
    # not an ASK answer at all
    ({"head": {"vars": ["a", "b"]}, "results": {"bindings": []}}, None),
    ({"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", "value": "maybe"}}]}}, None),
    ({"boolean": "true"}, None),
    ([], None),
])
def test_ask_reads_the_virtuoso_reply_and_nothing_else(reply, answer):
    # the standard {"boolean": ...} reply and the Virtuoso one both run for real in
    # test_endpoint_gives_the_same_rows[claims-under] and test_virtuoso.py
    from t2dm_onto.store.endpoint import _select_shaped_ask

    assert _select_shaped_ask(reply) is answer


def test_the_server_is_the_active_environments_own():
    """A fresh venv is not on PATH: the server comes from beside the running interpreter when it is there."""
    import sys
    from pathlib import Path

    from .servers import oxigraph_binary

    own = Path(sys.executable).parent / "oxigraph"
    if own.is_file():
        assert Path(oxigraph_binary()) == own
    else:
        assert Path(oxigraph_binary()).name == "oxigraph"
