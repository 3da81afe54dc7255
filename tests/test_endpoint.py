"""The canned queries through --endpoint against a real Oxigraph server on 127.0.0.1.

The server is PyPI's `oxigraph` command (a test extra), started empty by the
test (the ``oxigraph`` fixture in conftest.py); the Turtle export is loaded over
the SPARQL 1.1 Graph Store Protocol, once into the default graph and once into
the named graph KB_GRAPH; the server is stopped by PID. That every canned query
gives the rows of the embedded store, queried plainly and with --graph, is in
the compliance table (tests/test_compliance.py); here: the loading, --graph and
the endpoint client's own reading of replies.
"""

from __future__ import annotations

import pytest

from t2dm_onto import KnowledgeBase
from t2dm_onto.errors import InputError, UsageError
from t2dm_onto.namespaces import KB_GRAPH

from .servers import http


def test_graph_store_protocol_loaded_both_graphs(oxigraph, kb):
    status, _, body = http("GET", f"{oxigraph}/store?graph={KB_GRAPH}", headers={"Accept": "application/n-triples"})
    assert status == 200
    assert len([line for line in body.decode().splitlines() if line.strip()]) == kb.backend.triples()


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
    # test_compliance.py (claims-under asks) and test_virtuoso.py
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
