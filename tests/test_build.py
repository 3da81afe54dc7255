"""The builder is deterministic and the committed ontology is its current output."""

from __future__ import annotations

import pyoxigraph as ox
import rdflib

from t2dm_onto.build import render
from t2dm_onto.resources import ontology_file


def test_committed_ontology_is_fresh(root):
    committed = (root / "ontology" / "t2dm_op.ttl").read_text(encoding="utf-8")
    assert committed == render(root), "ontology/t2dm_op.ttl is stale: run `t2dm-onto build` and commit it"


def test_build_is_deterministic(root):
    assert render(root) == render(root)


def test_ontology_parses_in_rdflib_and_oxigraph():
    g = rdflib.Graph().parse(ontology_file(), format="turtle")
    store = ox.Store()
    store.load(path=str(ontology_file()), format=ox.RdfFormat.TURTLE)
    assert len(g) == len(store) > 5000


def test_header_has_fair_metadata():
    g = rdflib.Graph().parse(ontology_file(), format="turtle")
    onto = rdflib.URIRef("https://w3id.org/t2dm-onto/t2dm_op.owl")
    dct = rdflib.Namespace("http://purl.org/dc/terms/")
    assert (onto, rdflib.RDF.type, rdflib.OWL.Ontology) in g
    assert str(g.value(onto, dct.license)) == "https://creativecommons.org/licenses/by/4.0/"
    assert g.value(onto, rdflib.OWL.versionIRI) is not None
    assert g.value(onto, rdflib.OWL.versionInfo) is not None
    for p in (dct.title, dct.description, dct.creator, dct.created, dct.source):
        assert g.value(onto, p) is not None, p
    vann = rdflib.Namespace("http://purl.org/vocab/vann/")
    assert str(g.value(onto, vann.preferredNamespacePrefix)) == "T2DMOP"


def test_every_annotation_property_used_is_declared():
    """OWL 2 DL: each predicate is declared as an annotation, object or datatype property."""
    g = rdflib.Graph().parse(ontology_file(), format="turtle")
    builtin = {str(rdflib.RDF.type), str(rdflib.RDFS.subClassOf), str(rdflib.RDFS.label), str(rdflib.RDFS.comment),
               str(rdflib.RDFS.domain), str(rdflib.RDFS.range), str(rdflib.OWL.members), str(rdflib.OWL.versionIRI),
               str(rdflib.OWL.versionInfo), str(rdflib.OWL.imports), str(rdflib.RDF.first), str(rdflib.RDF.rest)}
    declared = {str(s) for kind in (rdflib.OWL.AnnotationProperty, rdflib.OWL.ObjectProperty, rdflib.OWL.DatatypeProperty)
                for s in g.subjects(rdflib.RDF.type, kind)}
    used = {str(p) for p in g.predicates()}
    assert used - builtin - declared == set()
