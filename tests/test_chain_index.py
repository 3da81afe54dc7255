"""Chain queries on a prepared store are answered from its adjacency index, with the SPARQL's rows.

The index (t2dm_onto.chain_index) is compared cell for cell and row for row with the same
query run from SPARQL on the same store: on the review for every target of a causal claim,
in both languages, with and without consistent_context, up to four hops; and on a
synthetic graph for a sample of targets. An index of other data is not used.
"""

from __future__ import annotations

import random
import sqlite3

import pytest

from benchmarks.synthetic import generate
from t2dm_onto import KnowledgeBase, chain_index
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
    chain_index._CACHE.clear()  # the file's mtime may not have moved within the clock's resolution
    assert chain_index.answer(kb.backend, query, bindings) is None
