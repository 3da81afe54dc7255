"""complications-affecting-bone computed in Python (t2dm_onto.complications) gives the SPARQL's rows, in its order.

A prepared store's summary of the query is built by that code rather than by
the SPARQL (1.9 million rows at 10^5 claims, ~400 s per language in Oxigraph):
here both are compared cell for cell and row for row on the review in both
languages, on synthetic graphs of 10^3 and 10^4 claims, and on the review with
a few added claims that reach the SPARQL's corners (labels missing in a
language, two labels, a non-numeric polarity, a self-loop, a claim with two
objects, a claim IRI without "/claim/", equal labels).
"""

from __future__ import annotations

import re

import pytest

from benchmarks.synthetic import generate
from t2dm_onto import KnowledgeBase, complications
from t2dm_onto.catalog import internal
from t2dm_onto.resources import import_file
from t2dm_onto.summaries import COMPUTED

CORNERS = """
@prefix t2dm: <https://w3id.org/t2dm-onto/> .
@prefix claim: <https://w3id.org/t2dm-onto/claim/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
t2dm:XComp rdfs:subClassOf t2dm:DiseaseOrDisorder ;
    rdfs:label "x complication"@en, "x complication bis"@en, "x并发症"@zh .
t2dm:XTwin rdfs:subClassOf t2dm:DiseaseOrDisorder ; rdfs:label "x complication"@en, "x孪生"@zh .
t2dm:XMed1 rdfs:label "x mediator"@en .
t2dm:XMed2 rdfs:comment "no label" .
t2dm:XMed3 rdfs:label "(direct)"@en, "(direct)"@zh .
t2dm:XOut rdfs:label "x outcome"@en, "x结局"@zh ; t2dm:bone_polarity "down", -1 .
claim:X1 t2dm:has_subject t2dm:T2DM ; t2dm:has_relation t2dm:increases ; t2dm:has_object t2dm:XComp .
claim:X1b t2dm:has_subject t2dm:T2DM ; t2dm:has_relation t2dm:increases ; t2dm:has_object t2dm:XTwin .
claim:X2 t2dm:has_subject t2dm:XComp ; t2dm:has_relation t2dm:increases ; t2dm:has_object t2dm:XMed1, t2dm:XOut .
claim:X3 t2dm:has_subject t2dm:XMed1 ; t2dm:has_relation t2dm:decreases ; t2dm:has_object t2dm:XMed2 .
claim:X4 t2dm:has_subject t2dm:XMed2 ; t2dm:has_relation t2dm:increases ; t2dm:has_object t2dm:BoneLoss .
claim:X5 t2dm:has_subject t2dm:XMed1 ; t2dm:has_relation t2dm:increases ; t2dm:has_object t2dm:BoneLoss, t2dm:XOut .
claim:X6 t2dm:has_subject t2dm:XComp ; t2dm:has_relation t2dm:associated_with ; t2dm:has_object t2dm:XOut .
claim:X7 t2dm:has_subject t2dm:XComp ; t2dm:has_relation t2dm:increases ; t2dm:has_object t2dm:XComp .
claim:X9 t2dm:has_subject t2dm:XTwin ; t2dm:has_relation t2dm:increases ; t2dm:has_object t2dm:BoneLoss .
claim:Z1 t2dm:has_subject t2dm:XTwin ; t2dm:has_relation t2dm:increases ; t2dm:has_object t2dm:XMed3 .
claim:Z2 t2dm:has_subject t2dm:XMed3 ; t2dm:has_relation t2dm:increases ; t2dm:has_object t2dm:BoneLoss .
<https://example.org/odd> t2dm:has_subject t2dm:XComp ; t2dm:has_relation t2dm:no_association ;
    t2dm:has_object t2dm:XOut .
"""


def _compare(kb: KnowledgeBase, langs=("en", "zh")) -> int:
    """Assert the Python rows == the SPARQL rows in each language; returns the number of rows compared."""
    query = kb.catalog.get(complications.QUERY)
    entry = COMPUTED[complications.QUERY]  # what prepare runs for the summary
    rows_in = entry.rows(kb.sparql)
    compared = 0
    for lang in langs:
        want = kb.backend.select(query.sparql, kb.bindings(query, {}, lang))
        got = list(rows_in(lang))
        assert want.columns == complications.COLUMNS == list(entry.columns)
        assert got == [[row[c] for c in want.columns] for row in want.rows], lang
        compared += len(got)
    return compared


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_the_complications_are_the_query_s_own_sub_select():
    """The internal query is the canned query's sub-SELECT word for word, so the two cannot drift apart."""
    sub = _flat("SELECT DISTINCT" + internal("complication-sources").split("SELECT DISTINCT", 1)[1])
    assert _flat(KnowledgeBase().catalog.get(complications.QUERY).sparql).count(sub) == 3


def test_the_rows_are_the_sparql_rows_on_the_review():
    assert _compare(KnowledgeBase.open(files=[import_file()])) > 30


def test_the_rows_are_the_sparql_rows_in_the_corners(tmp_path):
    extra = tmp_path / "corners.ttl"
    extra.write_text(CORNERS, encoding="utf-8")
    kb = KnowledgeBase.open(files=[import_file(), extra])
    assert _compare(kb) > 30
    en = [r for r in kb.query(complications.QUERY, limit=0).rows if r["complication_label"] == "x complication"]
    zh = kb.query(complications.QUERY, lang="zh", limit=0).rows
    assert {r["complication"] for r in en} == {"https://w3id.org/t2dm-onto/XComp", "https://w3id.org/t2dm-onto/XTwin"}
    assert {"x mediator", "(direct)"} <= {r["via_label"] for r in en}  # a mediator without a label
    assert None in {r["via_label"] for r in zh}  # two mediators, one without a zh label: CONCAT is unbound
    assert "" in {r["claims"] for r in en} and "associated" in {r["effect"] for r in en}


def test_the_rows_are_the_sparql_rows_on_a_synthetic_graph(tmp_path):
    data = generate(tmp_path / "kb-1000.nt", 1000, seed=7)
    assert _compare(KnowledgeBase.open(files=[data])) > 100


@pytest.mark.slow
def test_the_rows_are_the_sparql_rows_on_a_larger_synthetic_graph(tmp_path):
    data = generate(tmp_path / "kb-10000.nt", 10000, seed=7)
    assert _compare(KnowledgeBase.open(files=[data], timeout=300)) > 10000


def test_the_order_is_total():
    """The ORDER BY ends with the keys that separate any two different rows: no engine-dependent ties."""
    query = KnowledgeBase().catalog.get(complications.QUERY)
    keys = re.search(r"ORDER BY (.*)", query.sparql).group(1).split()
    assert {k.lstrip("?") for k in keys} == set(complications.COLUMNS)
