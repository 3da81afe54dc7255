"""One preferred label per language, and every tool names an entity by the same English label.

Why pronto once named LeptinReceptor "LP 受体": pronto (and OAK's pronto adapter) ignores
language tags and takes a term's first rdfs:label; the exports sort triples by their
N-Triples text, where ``"LP 受体"@zh`` comes before ``"leptin receptor"@en`` (ASCII capitals
sort before small letters). Fourteen entities were named in Chinese that way. The exports
now write the English label first, and Chinese preferred labels are Chinese names.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
import rdflib

from t2dm_onto.curation import has_cjk
from t2dm_onto.namespaces import BASE
from t2dm_onto.resources import ontology_file

RDFS_LABEL = rdflib.RDFS.label
SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")


@pytest.fixture(scope="module")
def graph() -> rdflib.Graph:
    return rdflib.Graph().parse(ontology_file(), format="turtle")


def _own_labelled(g: rdflib.Graph) -> set[rdflib.URIRef]:
    return {s for s in g.subjects(RDFS_LABEL, None) if isinstance(s, rdflib.URIRef) and str(s).startswith(BASE)}


def test_every_entity_has_exactly_one_label_per_language(graph, curation):
    iris = {rdflib.URIRef(BASE + e.id) for e in curation.all_entities}
    assert iris <= _own_labelled(graph)
    bad = {}
    for s in _own_labelled(graph):
        langs = [o.language for o in graph.objects(s, RDFS_LABEL)]
        expected = ["en"] if "/ref/" in str(s) else ["en", "zh"]  # references are named in English only
        if sorted(map(str, langs)) != expected:
            bad[str(s)] = langs
    assert bad == {}


def test_no_synonym_repeats_a_preferred_label(graph):
    for s in _own_labelled(graph):
        preferred = {(str(o), o.language) for o in graph.objects(s, RDFS_LABEL)}
        alts = {(str(o), o.language) for o in graph.objects(s, SKOS.altLabel)}
        assert not preferred & alts, s


def test_chinese_preferred_labels_are_chinese(curation):
    assert [e.id for e in curation.all_entities if not has_cjk(e.zh)] == []
    leptin_receptor = next(e for e in curation.entities if e.id == "LeptinReceptor")
    assert (
        leptin_receptor.zh == "瘦素受体" and "LP 受体" in leptin_receptor.alt
    )  # the review's own name stays a synonym


@pytest.fixture(scope="module")
def owl_export(kb, tmp_path_factory) -> Path:
    from t2dm_onto.export import export

    out = tmp_path_factory.mktemp("labels") / "t2dm_op.owl"
    export(kb, "owl", out)
    return out


def test_exports_write_the_english_label_first(owl_export):
    import pyoxigraph as ox

    first: dict[str, ox.Literal] = {}
    for t in ox.parse(path=str(owl_export), format=ox.RdfFormat.RDF_XML):
        if t.predicate.value == str(RDFS_LABEL) and t.subject.value.startswith(BASE):
            first.setdefault(t.subject.value, t.object)
    assert first and all(lit.language == "en" for lit in first.values())


def test_pronto_names_every_entity_in_english(owl_export, curation, tmp_path):
    pronto = pytest.importorskip("pronto")
    # pronto reads typed-node RDF/XML only (<owl:Class>), as Protégé and rdflib write it:
    # take the export through rdflib, which keeps the file's triple order
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pretty = tmp_path / "pretty.owl"
        rdflib.Graph().parse(owl_export, format="xml").serialize(pretty, format="pretty-xml")
        ontology = pronto.Ontology(str(pretty), import_depth=0)
    names = {e.id: ontology[BASE + e.id].name for e in curation.all_entities}
    assert {k: v for k, v in names.items() if v != next(e.en for e in curation.all_entities if e.id == k)} == {}
    assert names["LeptinReceptor"] == "leptin receptor"
