"""``claims-under`` on a prepared store is answered from its claims index, with the SPARQL's rows.

The index (t2dm_onto.under_index) is compared with the same query run from SPARQL on the
same store, row for row and cell for cell, with the same ``total``: on the review (with
and without external ontology fragments loaded into the store, so terms are reached
through external classes), in both languages, for an external term, one of our classes,
HP and UBERON terms of the mappings, on the first page, a later page, a page past the end
and the whole answer; and on a synthetic graph. An index of other data or of another
query is not used; the CLI's ``--store-dir`` with ``--links`` gives the SPARQL's rows.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.synthetic import generate
from t2dm_onto import KnowledgeBase, under_index
from t2dm_onto.catalog import CannedQuery
from t2dm_onto.paging import Page
from t2dm_onto.prepare import prepare
from t2dm_onto.resources import import_file, ontology_file

DATA = Path(__file__).resolve().parent / "data"
FRAGMENTS = [DATA / "cl_bone_cells_fragment.obo", DATA / "go_ossification_fragment.obo"]
#: An external term, one of our classes (a category and a deeper one), HP and UBERON terms of the mappings.
TERMS = ["GO:0001503", "DiseaseOrDisorder", "BiologicalProcess", "HP:0002917", "UBERON:0001017", "UBERON:0000160"]
PAGES = [Page(0, 1000), Page(0, None), Page(3, 7), Page(40, 40), Page(10_000, 1000)]


def _compare(kb: KnowledgeBase, terms: list[str], langs=("en", "zh")) -> int:
    """Assert index page == the SPARQL answer's cut for every term, language and page; returns the rows compared."""
    query = kb.catalog.get(under_index.QUERY)
    compared = 0
    for term in terms:
        for lang in langs:
            bindings = kb.bindings(query, {"term": term}, lang)
            want = kb.backend.select(query.sparql, bindings)
            for page in PAGES:
                got = under_index.answer(kb.backend, query, bindings, page)
                assert got is not None, (term, lang)
                assert got.columns == want.columns
                assert got.rows == page.cut(want.rows), (term, lang, page)
                assert (got.total, got.offset) == (len(want.rows), page.offset), (term, lang, page)
            compared += len(want.rows)
    return compared


@pytest.fixture(scope="module")
def review_store(tmp_path_factory) -> Path:
    location = tmp_path_factory.mktemp("prepared") / "review"
    prepare(location, [ontology_file(), import_file()], summaries=False)
    return location


@pytest.fixture(scope="module")
def fragments_store(tmp_path_factory) -> Path:
    location = tmp_path_factory.mktemp("prepared") / "fragments"
    prepare(location, [ontology_file(), import_file(), *FRAGMENTS], summaries=False)
    return location


def test_the_index_gives_the_sparql_rows_on_the_review(review_store):
    kb = KnowledgeBase(location=review_store)
    assert (review_store / under_index.FILE).is_file()
    assert _compare(kb, TERMS) > 500
    # concatenations of several matches are compared too, and they are listed sorted
    query = kb.catalog.get(under_index.QUERY)
    rows = kb.backend.select(query.sparql, kb.bindings(query, {"term": "DiseaseOrDisorder"})).rows
    several = [r["matched_via"].split("; ") for r in rows if "; " in r["matched_via"]]
    assert several and all(m == sorted(m) for m in several)
    # the one hook: KnowledgeBase.query answers from the index, a later page and the total as SPARQL
    page = kb.query(under_index.QUERY, term="DiseaseOrDisorder", limit=20, offset=20)
    assert page.rows == rows[20:40] and page.total == len(rows) > 40


def test_terms_reached_through_loaded_ontologies(fragments_store):
    kb = KnowledgeBase(location=fragments_store)
    # connective tissue cell (CL) and ossification's parents (GO) are only in the fragments
    assert _compare(kb, ["CL:0002320", "CL:0000062", "GO:0001503", "GO:0030154", *TERMS[1:3]]) > 100
    assert kb.query(under_index.QUERY, term="CL:0002320").total > 0


def test_the_cli_with_links_on_a_prepared_store_gives_the_sparql_rows(fragments_store, tmp_path):
    home = tmp_path / "home"
    env = {**os.environ, "T2DM_ONTO_HOME": str(home)}

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "t2dm_onto", *args], capture_output=True, text=True,
                              timeout=180, env=env)

    assert cli("link", str(FRAGMENTS[0])).returncode == 0
    kb = KnowledgeBase(location=fragments_store)
    query = kb.catalog.get(under_index.QUERY)
    for term in ("CL:0002320", "GO:0001503"):
        proc = cli("query", "claims-under", f"term={term}", "--store-dir", str(fragments_store), "--links",
                   "--format", "json", "limit=0")
        assert proc.returncode == 0, proc.stderr
        want = kb.backend.select(query.sparql, kb.bindings(query, {"term": term})).rows
        assert json.loads(proc.stdout) == json.loads(json.dumps(want, ensure_ascii=False))


def test_an_index_of_other_data_or_another_query_is_not_used(tmp_path):
    location = tmp_path / "copy"
    prepare(location, [ontology_file(), import_file()], summaries=False)
    kb = KnowledgeBase(location=location)
    query = kb.catalog.get(under_index.QUERY)
    bindings = kb.bindings(query, {"term": "GO:0001503"})
    assert under_index.answer(kb.backend, query, bindings, Page()) is not None
    other = CannedQuery(query.name, query.description, query.path, query.sparql.replace("ORDER BY ?claim",
                        "ORDER BY DESC(?claim)"), query.params, query.fixed, query.base, query.page_size)
    assert under_index.answer(kb.backend, other, bindings, Page()) is None
    with sqlite3.connect(location / under_index.FILE) as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'data'", ("0" * 64,))
    db.close()
    os.utime(location / under_index.FILE, (1, 1))  # a new stamp: the cached connection is not reused
    assert under_index.answer(kb.backend, query, bindings, Page()) is None
    assert kb.query(under_index.QUERY, term="GO:0001503").rows  # from SPARQL
    (location / under_index.FILE).unlink()
    assert under_index.answer(kb.backend, query, bindings, Page()) is None


def test_the_index_gives_the_sparql_rows_on_a_synthetic_graph(tmp_path):
    data = generate(tmp_path / "kb-1000.nt", 1000, seed=7)
    location = tmp_path / "store"
    prepare(location, [data], summaries=False)
    kb = KnowledgeBase(location=location, timeout=300)
    assert _compare(kb, ["GO:0001503", "DiseaseOrDisorder", "BiologicalProcess", "UBERON:0001017"]) > 1000
