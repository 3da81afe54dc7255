"""`validate` passes on the shipped ontology and catches injected faults, naming the node."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib

from t2dm_onto.resources import ontology_file
from t2dm_onto.validate import validate

from .conftest import requires_java

T = rdflib.Namespace("https://w3id.org/t2dm-onto/")
CLAIM = rdflib.Namespace("https://w3id.org/t2dm-onto/claim/")
REF = rdflib.Namespace("https://w3id.org/t2dm-onto/ref/")
RDFS, OWL, RDF = rdflib.RDFS, rdflib.OWL, rdflib.RDF
C = CLAIM["S2_5_09"]  # ROS increases RANKL [22]


@pytest.fixture(scope="module")
def graph() -> rdflib.Graph:
    return rdflib.Graph().parse(ontology_file(), format="turtle")


def test_shipped_ontology_passes():
    report = validate(reasoner=False)
    assert report.ok, report.text()
    assert report.steps["shacl"] == "passed"


@requires_java
def test_shipped_ontology_is_consistent_for_hermit():
    report = validate()
    assert report.ok, report.text()
    assert report.steps["reasoner"].startswith("passed")


def _drop(g, s, p):
    for o in list(g.objects(s, p)):
        g.remove((s, p, o))


def m_no_quote(g):
    _drop(g, C, T.quote_zh)


def m_reference_99(g):
    g.add((C, T.cites, REF["99"]))


def m_reference_number_99(g):
    _drop(g, REF["22"], T.reference_number)
    g.add((REF["22"], T.reference_number, rdflib.Literal(99)))


def m_relation_outside_set(g):
    _drop(g, C, T.has_relation)
    g.add((C, T.has_relation, T.inhibits))


def m_undeclared_object(g):
    _drop(g, C, T.has_object)
    g.add((C, T.has_object, T.NotAnEntity))


def m_missing_zh_label(g):
    for o in list(g.objects(T.RANKL, RDFS.label)):
        if o.language == "zh":
            g.remove((T.RANKL, RDFS.label, o))


def m_two_en_labels(g):
    g.add((T.RANKL, RDFS.label, rdflib.Literal("TNFSF11 protein", lang="en")))


def m_two_disjoint_categories(g):
    g.add((T.Metformin, RDFS.subClassOf, T.GeneOrProtein))


def m_two_subjects(g):
    g.add((C, T.has_subject, T.IL6))


def m_quote_wrong_language(g):
    _drop(g, C, T.quote_zh)
    g.add((C, T.quote_zh, rdflib.Literal("ROS raises RANKL", lang="en")))


def m_section_not_in_review(g):
    _drop(g, C, T.section)
    g.add((C, T.section, rdflib.Literal("4.2")))


def m_eco_without_reference(g):
    _drop(g, C, T.cites)


def m_duplicate_claim(g):
    dup = CLAIM["S2_5_09_copy"]
    for p, o in list(g.predicate_objects(C)):
        g.add((dup, p, o))


def m_missing_shortcut(g):
    g.remove((T.ROS, T.increases, T.RANKL))


def m_no_study_type(g):
    _drop(g, C, T.study_type)  # "not_stated" is the explicit value; absence is a curation gap


def m_study_type_outside_list(g):
    _set_study(g, "case_report")


def _set_study(g, value):
    _drop(g, C, T.study_type)
    g.add((C, T.study_type, rdflib.Literal(value)))


def m_quote_not_in_source(g):
    _drop(g, C, T.quote_zh)
    g.add((C, T.quote_zh, rdflib.Literal("活性氧自由基能降低RANKL的表达水平", lang="zh")))


MUTATIONS = {
    "claim without quote": (m_no_quote, "claim:S2_5_09"),
    "cites reference 99": (m_reference_99, "claim:S2_5_09"),
    "reference numbered 99": (m_reference_number_99, "ref:22"),
    "relation outside the set": (m_relation_outside_set, "claim:S2_5_09"),
    "object not a declared entity": (m_undeclared_object, "claim:S2_5_09"),
    "missing @zh label": (m_missing_zh_label, "t2dm:RANKL"),
    "two @en labels": (m_two_en_labels, "t2dm:RANKL"),
    "entity in two disjoint categories": (m_two_disjoint_categories, "t2dm:Metformin"),
    "claim with two subjects": (m_two_subjects, "claim:S2_5_09"),
    "quote not tagged zh": (m_quote_wrong_language, "claim:S2_5_09"),
    "section not in the review": (m_section_not_in_review, "claim:S2_5_09"),
    "ECO:0000304 without reference": (m_eco_without_reference, "claim:S2_5_09"),
    "duplicate claim": (m_duplicate_claim, "claim:S2_5_09"),
    "shortcut edge missing": (m_missing_shortcut, "claim:S2_5_09"),
    "quote not in the review": (m_quote_not_in_source, "claim:S2_5_09"),
    "claim without study type": (m_no_study_type, "claim:S2_5_09"),
    "study type outside the list": (m_study_type_outside_list, "claim:S2_5_09"),
}


def _write(g: rdflib.Graph, tmp_path: Path) -> Path:
    out = tmp_path / "mutant.ttl"
    g.serialize(out, format="turtle")
    return out


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_validate_catches_fault(name, graph, tmp_path, source_text):
    mutate, node = MUTATIONS[name]
    g = rdflib.Graph()
    for t in graph:
        g.add(t)
    mutate(g)
    report = validate(_write(g, tmp_path), reasoner=False)
    assert not report.ok, name
    assert any(f.node == node for f in report.findings), (name, report.text())
    assert all(f.message for f in report.findings)


@requires_java
def test_reasoner_finds_unsatisfiable_class(graph, tmp_path):
    g = rdflib.Graph()
    for t in graph:
        g.add(t)
    m_two_disjoint_categories(g)
    report = validate(_write(g, tmp_path), reasoner=True)
    reasoner = [f for f in report.findings if f.check == "reasoner"]
    assert any(f.node == "t2dm:Metformin" for f in reasoner), report.text()


@requires_java
def test_reasoner_finds_inconsistency(graph, tmp_path):
    g = rdflib.Graph()
    for t in graph:
        g.add(t)
    # a claim that is also a publication: Claim and Publication are disjoint
    g.add((C, RDF.type, T.Publication))
    report = validate(_write(g, tmp_path), reasoner=True)
    assert any(f.check == "reasoner" and "inconsistent" in f.message for f in report.findings), report.text()


def test_truncated_file_is_a_parse_failure(tmp_path):
    text = ontology_file().read_text(encoding="utf-8")
    bad = tmp_path / "truncated.ttl"
    bad.write_text(text[: len(text) // 2], encoding="utf-8")
    report = validate(bad, reasoner=False)
    assert not report.ok and report.findings[0].check == "parse"
    assert "truncated.ttl" in report.findings[0].node
