"""Chain queries on a prepared store are answered from its adjacency index, with the SPARQL's rows.

The index (t2dm_onto.chain_index) is compared cell for cell and row for row with the same
query run from SPARQL on the same store: on the review for every target of a causal claim,
in both languages, with and without consistent_context, up to four hops; and on a
synthetic graph for a sample of targets. An index of other data is not used.
"""

from __future__ import annotations

import os
import random
import sqlite3

import pytest

from benchmarks.synthetic import generate
from t2dm_onto import KnowledgeBase, chain_index
from t2dm_onto.paging import Page
from t2dm_onto.prepare import prepare
from t2dm_onto.resources import import_file, ontology_file


def _compare(kb: KnowledgeBase, targets: list[str], max_hops: int, langs=("en", "zh")) -> int:
    """Assert index rows == SPARQL rows for each case; returns the number of rows compared."""
    compared = 0
    for target in targets:
        for name in chain_index.ROUTED:
            query = kb.catalog.get(name)
            for lang in langs:
                for transitive, consistent in ((False, False), (True, False), (True, True)):
                    args = {"target": target, "transitive": transitive, "max_hops": max_hops,
                            "consistent_context": consistent}
                    bindings = kb.bindings(query, args, lang)
                    want = kb.backend.select(query.sparql, bindings)
                    got = chain_index.answer(kb.backend, query, bindings)
                    assert got is not None
                    assert (got.columns, got.rows) == (want.columns, want.rows), (name, target, lang, transitive,
                                                                                  consistent)
                    compared += len(want.rows)
    return compared


@pytest.fixture(scope="module")
def review_store(tmp_path_factory):
    location = tmp_path_factory.mktemp("prepared") / "review"
    prepare(location, [ontology_file(), import_file()], summaries=False)
    return location


def test_the_index_gives_the_sparql_rows_on_the_review(review_store):
    kb = KnowledgeBase(location=review_store)
    index = chain_index.load(review_store, kb.backend.data_hash)
    assert index is not None
    targets = index.targets()
    assert len(targets) > 100
    assert _compare(kb, targets, 4) > 1000
    # the one hook: KnowledgeBase.query answers from the index, and the same rows as SPARQL
    rows = kb.query("mediators-decreasing", target="BMD", transitive=True).rows
    query = kb.catalog.get("mediators-decreasing")
    assert rows == kb.backend.select(query.sparql, kb.bindings(query, {"target": "BMD", "transitive": True})).rows


def test_an_index_of_other_data_is_not_used(review_store, tmp_path):
    location = tmp_path / "copy"
    prepare(location, [ontology_file(), import_file()], summaries=False)
    path = location / chain_index.FILE
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'data'", ("0" * 64,))
    db.close()
    kb = KnowledgeBase(location=location)
    query = kb.catalog.get("mediators-increasing")
    bindings = kb.bindings(query, {"target": "RANKL", "transitive": True})
    assert chain_index.answer(kb.backend, query, bindings) is None
    assert kb.query("mediators-increasing", target="RANKL", transitive=True).rows  # from SPARQL
    path.unlink()
    assert chain_index.answer(kb.backend, query, bindings) is None


@pytest.mark.slow
def test_the_index_gives_the_sparql_rows_on_a_synthetic_graph(tmp_path):
    data = generate(tmp_path / "kb-3000.nt", 3000, seed=7)
    location = tmp_path / "store"
    prepare(location, [data], summaries=False)
    kb = KnowledgeBase(location=location, timeout=300)
    index = chain_index.load(location, kb.backend.data_hash)
    targets = index.targets()
    sample = random.Random(17).sample(targets, 12)
    assert _compare(kb, sample, 3, langs=("en",)) > 1000


def test_an_index_of_another_rule_is_not_used(tmp_path):
    location = tmp_path / "copy"
    prepare(location, [ontology_file(), import_file()], summaries=False)
    kb = KnowledgeBase(location=location)
    query = kb.catalog.get("mediators-decreasing")
    bindings = kb.bindings(query, {"target": "BMD", "transitive": True})
    assert chain_index.answer(kb.backend, query, bindings) is not None
    with sqlite3.connect(location / chain_index.FILE) as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'rule'", ("0" * 64,))
    db.close()
    os.utime(location / chain_index.FILE, (1, 1))  # a new stamp: the clock may not have moved since the first open
    assert chain_index.answer(kb.backend, query, bindings) is None


def _pages(n: int) -> list[Page]:
    """Pages that start before, inside and past each level: the whole answer, the default, small ones."""
    return [Page(), Page(0, 1000), Page(0, 1), Page(0, 3), Page(2, 5), Page(max(n - 1, 0), 3), Page(n + 5, 10)]


def _compare_pages(index, targets: list[str], hops: tuple[int, ...], langs=("en", "zh"),
                   consistent=(False, True)) -> int:
    """Assert a page built level by level == the same slice of the whole answer, total included.

    Each ask is also made with its source bound: to the first row's source, to the
    last row's, and to an entity with no chain into the target.
    """
    checked = 0
    for target in targets:
        for want_sign in (1, -1):
            for lang in langs:
                for transitive, max_hops in [(False, 3), *((True, h) for h in hops)]:
                    for fitting in consistent:
                        p = {"lang": lang, "target": target, "want_sign": want_sign, "transitive": transitive,
                             "max_hops": max_hops, "consistent_context": fitting, "source": None}
                        whole = chain_index.rows(index, p)
                        sources = {whole[0]["source"], whole[-1]["source"], target} if whole else {target}
                        for source in (None, *sorted(sources)):
                            ask = {**p, "source": source}
                            answer = whole if source is None else chain_index.rows(index, ask)
                            for page in _pages(len(answer)):
                                got = chain_index.page(index, ask, page)
                                assert got == (page.cut(answer), len(answer)), (ask, page)
                                checked += 1
    return checked


def test_a_page_is_the_slice_of_the_whole_answer_on_the_review(review_store):
    """Every target, both signs and languages, one to four hops: rows and total as if listed whole."""
    kb = KnowledgeBase(location=review_store)
    index = chain_index.load(review_store, kb.backend.data_hash)
    assert _compare_pages(index, index.targets(), (1, 2, 3, 4)) > 5000


def test_a_page_on_a_synthetic_graph_counts_the_last_level_without_listing_it(tmp_path):
    """Hubs of a 3,000-claim graph: the default page is filled before the last level, which is only counted."""
    data = tmp_path / "kb.nt"
    generate(data, 3000, 7)
    location = tmp_path / "store"
    prepare(location, [data], summaries=False)
    kb = KnowledgeBase(location=location)
    index = chain_index.load(location, kb.backend.data_hash)
    hubs = sorted(index.targets(), key=lambda t: -len(index.into(t)))[:3]
    assert _compare_pages(index, hubs, (3,), langs=("en",)) > 0
    p = {"lang": "en", "target": hubs[0], "want_sign": 1, "transitive": True, "max_hops": 3,
         "consistent_context": False, "source": None}
    rows, total = chain_index.page(index, p, Page(0, 10))
    assert len(rows) == 10 and total > 10 * len(rows)
    # consistent_context prunes: its total is counted from the chains whose contexts can agree
    fitting, fitting_total = chain_index.page(index, {**p, "consistent_context": True}, Page(0, 10))
    assert len(fitting) == 10 and 10 * len(fitting) < fitting_total < total


def test_the_toolkit_pages_a_chain_ask_as_the_sparql_answer(review_store):
    """KnowledgeBase.query on the prepared store (from the index) against the page cut from its SPARQL answer.

    (The in-memory store's SPARQL may list a hop's claims in another order: Oxigraph's plan differs.)
    """
    kb = KnowledgeBase(location=review_store)
    query = kb.catalog.get("mediators-decreasing")
    whole = kb.backend.select(query.sparql, kb.bindings(query, {"target": "BMD", "transitive": True})).rows
    for args, page in (({"limit": 4, "offset": 3}, Page(3, 4)), ({"limit": 0}, Page()), ({}, Page(0, 1000))):
        got = kb.query("mediators-decreasing", target="BMD", transitive=True, **args)
        assert (got.rows, got.total, got.offset) == (page.cut(whole), len(whole), page.offset), args
    assert len(whole) > 7  # so the first page is a true slice


def test_the_agreement_bit_sets_decide_as_a_check_of_every_pair():
    """Agreement.meets and .step against a plain check of every (state, tuple) pair, on random context tuples.

    Few values per field, many unstated: the cases the walk meets (agreeing, open, contradicting on one field).
    """
    rng = random.Random(5)

    def tuple_() -> tuple:
        return tuple(rng.choice([None, None, "a", "b", "c"]) for _ in range(5))

    signatures = [sorted({tuple_() for _ in range(rng.randint(1, 4))}, key=chain_index._sortable) for _ in range(60)]
    agree = chain_index.Agreement(signatures)
    states = chain_index.OPEN
    seen = {True: 0, False: 0}
    for step in range(400):
        sig = rng.randrange(len(signatures))
        pairs = [chain_index._join(s, o) for s in states for o in signatures[sig]]
        meets = agree.meets(states, sig)
        assert meets == any(p is not None for p in pairs), (states, signatures[sig])
        assert agree.step(states, sig) == frozenset(p for p in pairs if p is not None)
        seen[meets] += 1
        following = agree.step(states, sig)
        states = following if following and step % 7 else chain_index.OPEN  # walk on, restart now and then
    assert min(seen.values()) > 40  # both outcomes, often
