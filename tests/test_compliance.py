"""One table: every canned query, on every backend, gives the rows of the embedded Oxigraph store.

Rows: each canned query with its example arguments, chain queries with the
variants that stress the planners (transitive, four hops, consistent context,
Chinese labels), and one page of each listing query (``limit``/``offset``, with
the whole answer's ``total``). Columns: the backends, each real and opened the
way a user opens it (:class:`~t2dm_onto.kb.KnowledgeBase` ``.open``, ``.prepared``,
``.at``):

- ``rdflib``: the pure-Python store, whose query rewrites (BGP planning, lazy
  joins: ``t2dm_onto.store.rdflib_backend``) this proves leave every answer unchanged;
- ``prepared``: a store built by ``t2dm-onto prepare``, which also answers the
  whole-graph queries from its materialised answers (:mod:`t2dm_onto.summaries`);
- ``oxigraph-server`` and ``oxigraph-server-graph``: a real Oxigraph server over
  the SPARQL 1.1 Protocol, the knowledge base in its default graph and, with
  ``graph=``, in the named graph KB_GRAPH;
- ``virtuoso-graph`` and ``virtuoso-union`` (slow): Virtuoso 7 with ``graph=`` and
  without it, where its default graph is the union of every graph it holds.

``claims()`` and ``stats()`` are compared on every backend too. Engine-specific
checks stay beside their engine (test_endpoint.py, test_virtuoso.py, test_prepare.py).
"""

from __future__ import annotations

import pytest

from t2dm_onto import KnowledgeBase
from t2dm_onto.catalog import Catalog
from t2dm_onto.namespaces import KB_GRAPH

CATALOG = Catalog()
#: Marks a listing case: the page asked for is the middle third of the reference answer (some have 1 row, some 900).
PAGE = "middle third"


def _canon(value):
    """GROUP_CONCAT's order is unspecified in SPARQL: compare concatenated lists as sorted lists."""
    if not isinstance(value, str):
        return str(value)
    hops = value.split(" | ")
    return " | ".join("; ".join(sorted(",".join(sorted(t.strip() for t in x.split(","))) for x in h.split("; "))) for h in hops)


def _normalise(result):
    return result.columns, sorted(tuple((k, _canon(v)) for k, v in sorted(r.items())) for r in result.rows)


CASES = [(name, CATALOG.get(name).example_args(), "en") for name in CATALOG.names()] + [
    ("mediators-increasing", {"target": "RANKL", "transitive": "true"}, "en"),
    ("causal-paths", {"source": "hyperglycaemia", "target": "bone loss"}, "en"),
    ("causal-paths", {"source": "T2DM", "target": "osteoporosis in type 2 diabetes", "consistent_context": "true"}, "zh"),
    ("mediators-increasing", {"target": "osteoporosis in type 2 diabetes", "transitive": "true", "max_hops": "4",
                              "consistent_context": "true"}, "en"),
    ("mediators-decreasing", {"target": "BMD", "transitive": "true", "max_hops": "4"}, "en"),
    ("effects-of", {"source": "hyperglycaemia"}, "zh"),
    ("conflicts", {}, "zh"),
] + [(q.name, {**q.example_args(), "limit": PAGE}, "en") for q in CATALOG if q.page_size]
CASE_IDS = [f"{n}-{i}" for i, (n, _, _) in enumerate(CASES)]

#: backend -> how it is opened (the name of the fixture that opens it), and its marks
BACKENDS = {
    "rdflib": "rdflib_kb",
    "prepared": "prepared_kb",
    "oxigraph-server": "server_kb",
    "oxigraph-server-graph": "server_graph_kb",
    "virtuoso-graph": "virtuoso_graph_kb",
    "virtuoso-union": "virtuoso_union_kb",
}
SLOW = {"virtuoso-graph", "virtuoso-union"}
BACKEND_PARAMS = [pytest.param(name, marks=[pytest.mark.slow] if name in SLOW else [], id=name) for name in BACKENDS]


@pytest.fixture(scope="module")
def rdflib_kb():
    # rdflib needs more than the default 30 s on a loaded 2-core machine for the largest queries
    return KnowledgeBase.open("rdflib", timeout=600)


@pytest.fixture(scope="module")
def prepared_kb(prepared_store):
    return KnowledgeBase.prepared(prepared_store)


@pytest.fixture(scope="module")
def server_kb(oxigraph):
    return KnowledgeBase.at(f"{oxigraph}/query")


@pytest.fixture(scope="module")
def server_graph_kb(oxigraph):
    return KnowledgeBase.at(f"{oxigraph}/query", graph=KB_GRAPH)


@pytest.fixture(scope="module")
def virtuoso_graph_kb(virtuoso):
    return KnowledgeBase.at(virtuoso.sparql, graph=KB_GRAPH, timeout=300)


@pytest.fixture(scope="module")
def virtuoso_union_kb(virtuoso):
    return KnowledgeBase.at(virtuoso.sparql, timeout=300)


@pytest.fixture
def other(request, backend: str) -> KnowledgeBase:
    return request.getfixturevalue(BACKENDS[backend])


def _answer(result):
    """What a backend must reproduce: the rows (lists in them sorted), and for a page its place in the whole."""
    return _normalise(result), result.total, result.offset


@pytest.mark.parametrize(("name", "args", "lang"), CASES, ids=CASE_IDS)
@pytest.mark.parametrize("backend", BACKEND_PARAMS)
def test_same_rows_as_embedded_oxigraph(kb, other, backend, name, args, lang):
    paged = args.get("limit") == PAGE
    if paged:
        whole = kb.query(name, lang=lang, **{**args, "limit": 0})
        args = {**args, "limit": max(1, whole.total // 3), "offset": whole.total // 3}
    expected = kb.query(name, lang=lang, **args)
    assert len(expected) > 0, f"{name}{args}: no rows to compare"
    got = other.query(name, lang=lang, **args)
    assert _answer(got) == _answer(expected)


@pytest.mark.parametrize("backend", BACKEND_PARAMS)
def test_same_claims_and_stats_as_embedded_oxigraph(kb, claims, other, backend):
    assert other.claims() == claims
    stats = other.stats()
    if backend == "virtuoso-union":  # the triple count takes in Virtuoso's own system graphs: why graph= matters
        assert stats.pop("triples") > kb.backend.triples()
        assert stats == {k: v for k, v in kb.stats().items() if k != "triples"}
    else:
        assert stats == kb.stats()


def test_every_canned_query_and_every_listing_is_in_the_table():
    assert {name for name, _, _ in CASES} == set(CATALOG.names())
    paged = {name for name, args, _ in CASES if args.get("limit") == PAGE}
    assert paged == {q.name for q in CATALOG if q.page_size} and paged


def test_every_store_kind_is_in_the_table():
    """A backend added to the registry must be added here too (the embedded Oxigraph is the reference)."""
    from t2dm_onto.store import STORES

    assert set(STORES) - {"oxigraph"} <= set(BACKENDS)
