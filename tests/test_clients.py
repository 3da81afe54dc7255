"""Third-party ontology clients nobody here wrote read the exports as their users expect.

- pronto (the OBO/OWL library) loads the ``owl`` and ``rdfxml`` exports: it reads
  only typed elements (``owl:Ontology``, ``owl:Class`` …) and nested restrictions,
  as the OWL API writes them (see ``t2dm_onto/export/rdfxml_writer.py``).
- OAK (``oaklib``, ``runoak``) loads the OWL export with the ``t2dm`` prefix known
  from the file's own namespace declarations, and finds labels, search hits and
  ancestors; on the shipped Turtle and on the export, a class's ancestors are its
  is-a ancestors only: the shortcut edges (``t2dm:ROS t2dm:increases t2dm:RANKL``) are
  annotations, not relationships a tool follows.
- The RDF/XML writer keeps every triple, including blank-node cycles, lists and
  odd literals, whatever reader parses it.
"""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from t2dm_onto.export import export
from t2dm_onto.export.rdf import canonical, serialize
from t2dm_onto.namespaces import BASE
from t2dm_onto.resources import ontology_file

from .conftest import requires_java

pronto = pytest.importorskip("pronto", reason="pronto is in the test extra: pip install '.[test]'")
oaklib = pytest.importorskip("oaklib", reason="oaklib is in the test extra: pip install '.[test]'")

RANKL = BASE + "RANKL"
#: RANKL's is-a ancestors in the ontology (itself included, as OAK lists them)
RANKL_ISA = {"RANKL", "Cytokine", "GeneOrProtein", "Entity"}


@pytest.fixture(scope="module")
def exported(kb, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("clients")
    out = {"owl": folder / "t2dm_op.owl", "rdfxml": folder / "t2dm_op.rdf"}
    for fmt, path in out.items():
        export(kb, fmt, path)
    return out


# -- pronto ------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["owl", "rdfxml"])
def test_pronto_loads_the_export(exported, fmt, kb):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pronto warns once per class that it keeps one of the en/zh labels
        onto = pronto.Ontology(str(exported[fmt]))
    entities = {row["entity"] for row in kb.query("entities").rows}
    assert entities <= {t.id for t in onto.terms()}
    rankl = onto[RANKL]
    assert rankl.name == "RANKL"  # the English label, written first
    assert {t.id.rsplit("/", 1)[-1] for t in rankl.superclasses()} == RANKL_ISA
    assert onto["GO:0001503"].name == "ossification"  # an import-module term, by its oboInOwl:id
    assert onto.metadata.ontology is not None


# -- OAK -----------------------------------------------------------------------------------------
def _runoak(*args: str) -> list[str]:
    runoak = Path(sys.executable).parent / "runoak"
    proc = subprocess.run([str(runoak), *args], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return [line for line in proc.stdout.splitlines() if line.strip()]


def _ids(lines: list[str]) -> set[str]:
    return {line.split("\t")[0] for line in lines[1:]}  # after the header row


def test_runoak_reads_the_owl_export_with_the_t2dm_prefix(exported):
    path = str(exported["owl"])
    # OAK's OWL adapter keeps one of a class's labels, the English or the Chinese one, at random
    info = _runoak("-i", path, "info", "t2dm:RANKL")
    assert info and info[0].split(" ! ")[1] in {"RANKL", "核因子κB受体活化因子配体"}
    labels = _runoak("-i", path, "labels", "t2dm:Osteoporosis")
    assert labels[1:] in (["t2dm:Osteoporosis\tosteoporosis"], ["t2dm:Osteoporosis\t骨质疏松症"])
    assert _ids(_runoak("-i", path, "ancestors", "t2dm:RANKL")) == {f"t2dm:{n}" for n in RANKL_ISA}


def test_oak_ancestors_on_the_turtle_follow_is_a_only():
    """OAK's RDF adapter follows every object-property triple between classes; the shortcut edges are not ones."""
    from oaklib import get_adapter

    adapter = get_adapter(str(ontology_file()))
    ancestors = set(adapter.ancestors(RANKL))
    assert {a.rsplit("/", 1)[-1] for a in ancestors} == RANKL_ISA
    assert BASE + "Osteoporosis" not in ancestors
    # the shortcut edges are still there for queries, as annotations
    assert (BASE + "increases", BASE + "Osteoclast") not in set(adapter.outgoing_relationships(RANKL))
    g = rdflib.Graph().parse(ontology_file(), format="turtle")
    assert (rdflib.URIRef(BASE + "ROS"), rdflib.URIRef(BASE + "increases"), rdflib.URIRef(RANKL)) in g
    assert (rdflib.URIRef(BASE + "increases"), rdflib.RDF.type, rdflib.OWL.AnnotationProperty) in g


# -- the RDF/XML writer on awkward graphs -----------------------------------------------------------
AWKWARD = """
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <http://example.org/other#> .
<http://example.org/A> a owl:Class ; rdfs:label "a & b < c > \\"d\\"\\n\\ttab"@en , "甲"@zh ;
    rdfs:subClassOf [ a owl:Restriction ; owl:onProperty ex:p ; owl:someValuesFrom <http://example.org/B> ] ;
    ex:count 3 ; ex:when "2026-01-01"^^<http://www.w3.org/2001/XMLSchema#date> ;
    ex:items ( <http://example.org/B> [ ex:q "nested" ] ) ; ex:literals ( "x" 1 ) .
_:x ex:next _:y . _:y ex:next _:x .
_:shared ex:v "s" . <http://example.org/B> ex:r _:shared . <http://example.org/C> ex:r _:shared .
[] a owl:AllDisjointClasses ; owl:members ( <http://example.org/A> <http://example.org/B> ) .
"""


def test_the_rdfxml_writer_keeps_every_triple():
    triples = canonical(ox.parse(AWKWARD, format=ox.RdfFormat.TURTLE))
    data = serialize(triples, "rdfxml")
    assert data == serialize(canonical(ox.parse(AWKWARD, format=ox.RdfFormat.TURTLE)), "rdfxml")  # stable
    expected = rdflib.Graph().parse(data=AWKWARD, format="turtle")
    assert isomorphic(rdflib.Graph().parse(data=data, format="xml"), expected)
    back = ox.parse(data, format=ox.RdfFormat.RDF_XML)
    assert isomorphic(
        rdflib.Graph().parse(data=ox.serialize(back, format=ox.RdfFormat.N_TRIPLES), format="nt"), expected
    )
    text = data.decode("utf-8")
    assert '<owl:Class rdf:about="http://example.org/A">' in text
    assert "<owl:Restriction>" in text and 'rdf:parseType="Collection"' in text
    assert 'xmlns:ns1="http://example.org/other#"' in text


# -- Protégé's route: the OWL export in owlready2, classified by HermiT -------------------------------
@requires_java
def test_owlready2_loads_the_owl_export_and_hermit_finds_it_consistent(exported):
    import owlready2

    world = owlready2.World()
    onto = world.get_ontology(exported["owl"].as_uri()).load()
    rankl = world[RANKL]
    assert {c.name for c in rankl.is_a} == {"Cytokine"}
    assert len(list(onto.classes())) > 1000  # ours and the merged import module's
    with onto:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    assert list(world.inconsistent_classes()) == []
