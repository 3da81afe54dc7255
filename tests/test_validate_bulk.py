"""The SHACL shapes compiled to SPARQL (validate/bulk.py) report what pyshacl reports.

Each fault below (those of test_validate.py and more, so that every constraint
component the shapes use is hit at least once) is injected into the shipped
graph; pyshacl (the reference engine, SPARQL constraints on Oxigraph as the
shipped validator runs them) and the compiled queries must find the same
(node, rule, value, severity, message) results. The incremental mode, restricted
to the nodes a change touched, must find that change's faults too.
"""

from __future__ import annotations

import pytest
import rdflib

from t2dm_onto.resources import data_path, ontology_file
from t2dm_onto.validate.bulk import Compiler, UnsupportedShape, run_bulk_shacl
from t2dm_onto.validate.shacl import graph_to_store, run_shacl

from .test_validate import CLAIM, MUTATIONS, OWL, RDF, RDFS, REF, C, T, _drop

SHAPES = data_path("shapes", "t2dm_op.shapes.ttl")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
OBO = rdflib.Namespace("http://purl.obolibrary.org/obo/")
SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
ONTO = rdflib.URIRef("https://w3id.org/t2dm-onto/t2dm_op.owl")


def _set(g, s, p, o):
    _drop(g, s, p)
    g.add((s, p, o))


MORE = {
    "aspect not in the list": lambda g: _set(g, C, T.aspect, rdflib.Literal("mood")),
    "aspect typed as integer": lambda g: _set(g, C, T.aspect, rdflib.Literal(3)),
    "two aspects": lambda g: g.add((C, T.aspect, rdflib.Literal("level"))),
    "statement too short": lambda g: _set(g, C, T.statement_en, rdflib.Literal("ROS", lang="en")),
    "statement without language": lambda g: _set(g, C, T.statement_en, rdflib.Literal("Reactive oxygen species raise RANKL.")),
    "quote is an IRI": lambda g: _set(g, C, T.quote_zh, T.RANKL),
    "relation is a literal": lambda g: _set(g, C, T.has_relation, rdflib.Literal("increases")),
    "cites a non-reference": lambda g: g.add((C, T.cites, T.RANKL)),
    "cites a literal": lambda g: g.add((C, T.cites, rdflib.Literal("22"))),
    "sex not in the list": lambda g: _set(g, C, T.sex, rdflib.Literal("both")),
    "two species": lambda g: (g.add((C, T.species, rdflib.Literal("rat"))), g.add((C, T.species, rdflib.Literal("mouse")))),
    "two study types": lambda g: (g.add((C, T.study_type, rdflib.Literal("animal"))),
                                  g.add((C, T.study_type, rdflib.Literal("in_vitro")))),
    "evidence outside ECO set": lambda g: _set(g, C, T.evidence, OBO.ECO_0000001),
    "no provenance": lambda g: _drop(g, C, PROV.wasDerivedFrom),
    "two zh labels on a claim": lambda g: g.add((C, RDFS.label, rdflib.Literal("另一个标签", lang="zh"))),
    "no en label on a claim": lambda g: [g.remove((C, RDFS.label, o)) for o in list(g.objects(C, RDFS.label))
                                         if o.language == "en"],
    "context not an entity": lambda g: g.add((C, T.in_context, T.NotDeclared)),
    "context a literal": lambda g: g.add((C, T.in_context, rdflib.Literal("bone"))),
    "subject a literal": lambda g: _set(g, C, T.has_subject, rdflib.Literal("ROS")),
    "subject a class outside the hierarchy": lambda g: (g.add((T.Stray, RDF.type, OWL.Class)),
                                                         _set(g, C, T.has_subject, T.Stray)),
    "no subject": lambda g: _drop(g, C, T.has_subject),
    "reference number not an integer": lambda g: _set(g, REF["22"], T.reference_number, rdflib.Literal("22")),
    "reference number zero": lambda g: _set(g, REF["22"], T.reference_number, rdflib.Literal(0)),
    "two first authors": lambda g: g.add((REF["22"], T.first_author, rdflib.Literal("Someone"))),
    "reference without label": lambda g: _drop(g, REF["22"], RDFS.label),
    "definition without language": lambda g: _set(g, T.RANKL, OBO.IAO_0000115, rdflib.Literal("A ligand.")),
    "two definitions": lambda g: g.add((T.RANKL, OBO.IAO_0000115, rdflib.Literal("Another.", lang="en"))),
    "synonym without language": lambda g: g.add((T.RANKL, SKOS.altLabel, rdflib.Literal("TRANCE"))),
    "ontology without version": lambda g: _drop(g, ONTO, OWL.versionIRI),
    "ontology with a literal licence": lambda g: _set(g, ONTO, rdflib.URIRef("http://purl.org/dc/terms/license"),
                                                      rdflib.Literal("CC BY")),
    "shortcut edge without claim": lambda g: g.add((T.ROS, T.decreases, T.RANKL)),
}
# the verbatim-quote fault is the quote checker's, not the shapes'
CASES = {"no fault": lambda g: None, **{k: v[0] for k, v in MUTATIONS.items() if k != "quote not in the review"}, **MORE}


@pytest.fixture(scope="module")
def base() -> rdflib.Graph:
    return rdflib.Graph().parse(ontology_file(), format="turtle")


def _key(findings):
    return sorted({(f.node, f.rule, f.value, f.severity, f.message) for f in findings})


@pytest.mark.parametrize("name", sorted(CASES))
def test_compiled_shapes_find_what_pyshacl_finds(base, name):
    g = rdflib.Graph()
    for t in base:
        g.add(t)
    CASES[name](g)
    reference = _key(run_shacl(g, SHAPES))
    compiled = _key(run_bulk_shacl(graph_to_store(g), SHAPES))
    assert compiled == reference
    if name != "no fault":
        assert reference, f"the fault '{name}' is not caught by the shapes at all"


def test_focus_mode_finds_the_fault_of_the_changed_claim(base):
    g = rdflib.Graph()
    for t in base:
        g.add(t)
    _set(g, C, T.section, rdflib.Literal("4.2"))
    other = CLAIM["S2_5_10"]
    store = graph_to_store(g)
    assert {f.node for f in run_bulk_shacl(store, SHAPES, focus=[str(C)])} == {"claim:S2_5_09"}
    assert run_bulk_shacl(store, SHAPES, focus=[str(other)]) == []
    assert run_bulk_shacl(store, SHAPES, focus=[]) == []


def test_unsupported_construct_is_refused_by_name():
    shapes = rdflib.Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:uniqueLang true ] .
        """, format="turtle")
    with pytest.raises(UnsupportedShape, match="uniqueLang"):
        Compiler(shapes).checks()
