"""The canned queries on OpenLink Virtuoso 7 (Debian virtuoso-opensource), started by the test.

Virtuoso gets its own ini in a temporary folder with both ports (SQL and HTTP)
on 127.0.0.1, the Turtle export is bulk-loaded into the named graph KB_GRAPH,
and every canned query must give the rows of the embedded store: in English
with and without ``--graph`` in the compliance table (tests/test_compliance.py,
where the server fixture, in conftest.py, is shared), in Chinese and on chains
that cross contexts here. Without ``--graph`` Virtuoso's default graph is the
union of all its graphs, its own system graphs included.

Virtuoso writes numbers as ``typed-literal`` in SPARQL JSON; the client reads
them like ``literal``. The server is stopped by PID.
"""

from __future__ import annotations

import json
import urllib.parse

import pytest

from t2dm_onto import KnowledgeBase
from t2dm_onto.catalog import Catalog
from t2dm_onto.namespaces import KB_GRAPH

from .servers import http
from .test_compliance import _normalise

pytestmark = pytest.mark.slow
NAMES = Catalog().names()


@pytest.fixture(scope="module")
def named(virtuoso):
    return KnowledgeBase(endpoint=virtuoso.sparql, graph=KB_GRAPH, timeout=300)


@pytest.fixture(scope="module")
def union(virtuoso):
    return KnowledgeBase(endpoint=virtuoso.sparql, timeout=300)


def _same(remote: KnowledgeBase, kb: KnowledgeBase, name: str, lang: str = "en") -> None:
    args = Catalog().get(name).example_args()
    got = remote.query(name, lang=lang, **args)
    assert len(got) > 0
    assert _normalise(got) == _normalise(kb.query(name, lang=lang, **args))


def test_the_whole_export_is_loaded(named, kb):
    assert named.backend.triples() == kb.backend.triples()


def test_virtuoso_writes_typed_literals_and_they_are_read_as_numbers(virtuoso, named, kb):
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{KB_GRAPH}> {{ ?s ?p ?o }} }}"
    status, _, body = http("GET", f"{virtuoso.sparql}?{urllib.parse.urlencode({'query': query})}",
                           headers={"Accept": "application/sparql-results+json"})
    assert status == 200
    assert json.loads(body)["results"]["bindings"][0]["n"]["type"] == "typed-literal"
    assert named.sparql(query).rows == [{"n": kb.backend.triples()}]


@pytest.mark.parametrize("name", NAMES)
def test_named_graph_gives_the_same_rows_in_chinese(named, kb, name):
    _same(named, kb, name, lang="zh")


CHAIN_CASES = [
    ("causal-paths", {"source": "T2DM", "target": "osteoporosis in type 2 diabetes"}),
    ("mediators-increasing", {"target": "osteoporosis in type 2 diabetes", "transitive": True, "max_hops": 4}),
    ("mediators-decreasing", {"target": "BMD", "transitive": True, "max_hops": 4}),
]


@pytest.mark.parametrize("consistent", [False, True])
@pytest.mark.parametrize(("name", "args"), CHAIN_CASES, ids=[n for n, _ in CHAIN_CASES])
def test_chain_contexts_on_virtuoso(named, kb, name, args, consistent):
    # the context flag, the hop contexts and the consistent_context filter, on chains that cross contexts
    got = named.query(name, consistent_context=consistent, **args)
    expected = kb.query(name, consistent_context=consistent, **args)
    assert len(got) > 0 and _normalise(got) == _normalise(expected)
    assert consistent or "no" in expected.column("context_consistent")
