"""The synthetic knowledge bases the benchmarks use: valid, deterministic, and answering the examples."""

from __future__ import annotations

import pytest

from benchmarks.synthetic import generate
from t2dm_onto import KnowledgeBase
from t2dm_onto.catalog import Catalog
from t2dm_onto.validate import validate


@pytest.fixture(scope="module")
def kb_1000(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("synthetic") / "kb-1000.nt", 1000, seed=7)


def test_generated_kb_validates(kb_1000):
    report = validate(kb_1000, reasoner=False)
    assert report.ok, report.text()
    assert report.steps["shacl"] == "passed"


def test_generated_kb_validates_with_pyshacl_too(kb_1000):
    report = validate(kb_1000, reasoner=False, engine="pyshacl")
    assert report.ok, report.text()


def test_generated_kb_has_the_size_asked_and_the_review_inside(kb_1000):
    kb = KnowledgeBase(ontology=kb_1000)
    n = kb.sparql("PREFIX t2dm: <https://w3id.org/t2dm-onto/> SELECT (COUNT(?c) AS ?n) WHERE { ?c a t2dm:Claim }")
    assert n.rows[0]["n"] == 1000
    review = kb.sparql("PREFIX claim: <https://w3id.org/t2dm-onto/claim/> PREFIX t2dm: <https://w3id.org/t2dm-onto/> "
                       "SELECT ?o WHERE { claim:S2_5_09 t2dm:has_object ?o }")
    assert review.column("o") == ["https://w3id.org/t2dm-onto/RANKL"]


def test_degrees_are_skewed(kb_1000):
    kb = KnowledgeBase(ontology=kb_1000)
    rows = kb.sparql("PREFIX t2dm: <https://w3id.org/t2dm-onto/> SELECT ?e (COUNT(?c) AS ?n) WHERE { "
                     "{ ?c t2dm:has_subject ?e } UNION { ?c t2dm:has_object ?e } } GROUP BY ?e ORDER BY DESC(?n)").rows
    degrees = [r["n"] for r in rows]
    # a few hubs, a long tail: the top entity has many times the median degree
    assert degrees[0] >= 10 * degrees[len(degrees) // 2]


def test_same_seed_same_file_other_seed_other_file(kb_1000, tmp_path):
    again = generate(tmp_path / "again.nt", 1000, seed=7)
    other = generate(tmp_path / "other.nt", 1000, seed=8)
    assert again.read_bytes() == kb_1000.read_bytes()
    assert other.read_bytes() != kb_1000.read_bytes()


@pytest.mark.parametrize("name", Catalog().names())
def test_every_canned_example_answers_on_the_synthetic_kb(kb_1000, name):
    kb = KnowledgeBase(ontology=kb_1000)
    assert len(kb.query(name, **kb.catalog.get(name).example_args())) > 0
