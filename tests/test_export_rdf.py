"""RDF exports: each parses back to the source graph, the bytes are stable, a failure writes nothing,
and the ``owl`` export merges shipped import modules into one file the OWL API loads offline."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic

from t2dm_onto import KnowledgeBase
from t2dm_onto.errors import InputError
from t2dm_onto.export import FORMATS, export
from t2dm_onto.export.owl import imports_folder, owl_triples
from t2dm_onto.export.rdf import serialize
from t2dm_onto.namespaces import ONTOLOGY_IRI
from t2dm_onto.resources import import_file, ontology_file

from .conftest import requires_java

RDF_FORMATS = ["ttl", "nt", "rdfxml", "jsonld", "owl"]
RDFLIB_SYNTAX = {"ttl": "turtle", "nt": "nt", "rdfxml": "xml", "jsonld": "json-ld", "owl": "xml"}
OWL = rdflib.OWL


def _graph(path: Path, syntax: str) -> rdflib.Graph:
    return rdflib.Graph().parse(path, format=syntax)


@pytest.fixture(scope="module")
def source() -> rdflib.Graph:
    """The knowledge base as rdflib reads the shipped Turtle (the ontology and its import
    module, as `KnowledgeBase()` loads them): an independent reference."""
    g = _graph(ontology_file(), "turtle")
    for t in _graph(import_file(), "turtle"):
        g.add(t)
    return g


def _expected_owl(source: rdflib.Graph, folder: Path) -> rdflib.Graph:
    """What the owl export should hold, computed with rdflib: the source plus each module, imports resolved."""
    g = rdflib.Graph()
    for t in source:
        g.add(t)
    modules = [_graph(p, "turtle") for p in sorted(folder.glob("*.ttl"))] if folder.is_dir() else []
    for m in modules:
        for t in m:
            g.add(t)
    main = rdflib.URIRef(ONTOLOGY_IRI)
    for m in modules:
        for iri in m.subjects(rdflib.RDF.type, OWL.Ontology):
            if iri != main:
                g.remove((None, OWL.imports, iri))
                g.remove((iri, None, None))
    return g


def test_every_rdf_format_is_registered():
    assert set(RDF_FORMATS) <= set(FORMATS)


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_export_parses_back_to_the_source_graph(kb, source, tmp_path, fmt):
    out = tmp_path / f"kb.{fmt}"
    export(kb, fmt, out)
    back = _graph(out, RDFLIB_SYNTAX[fmt])
    expected = _expected_owl(source, imports_folder()) if fmt == "owl" else source
    assert len(back) == len(expected)
    assert isomorphic(back, expected)


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_export_bytes_are_the_same_in_two_processes(tmp_path, fmt):
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"{seed}.{fmt}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run([sys.executable, "-m", "t2dm_onto", "export", "--format", fmt, "-o", str(out)],
                              capture_output=True, text=True, env=env, timeout=120)
        assert proc.returncode == 0, proc.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    assert len(outs[0]) > 100_000


def test_export_from_the_rdflib_store_gives_the_same_bytes(kb, tmp_path):
    a, b = tmp_path / "oxigraph.nt", tmp_path / "rdflib.nt"
    export(kb, "nt", a)
    export(KnowledgeBase("rdflib"), "nt", b)
    assert a.read_bytes() == b.read_bytes()


def test_export_to_stdout_matches_the_file(tmp_path):
    out = tmp_path / "kb.nt"
    subprocess.run([sys.executable, "-m", "t2dm_onto", "export", "-f", "nt", "-o", str(out)], check=True,
                   capture_output=True, timeout=120)
    proc = subprocess.run([sys.executable, "-m", "t2dm_onto", "export", "-f", "nt"], capture_output=True, timeout=120)
    assert proc.returncode == 0
    assert proc.stdout == out.read_bytes()


def test_blank_nodes_do_not_depend_on_load_order(tmp_path):
    """The same graph loaded from Turtle and from reversed N-Triples gives the same bytes."""
    nt = tmp_path / "reversed.nt"
    lines = rdflib.Graph().parse(ontology_file(), format="turtle").serialize(format="nt").splitlines()
    nt.write_text("\n".join(reversed([line for line in lines if line.strip()])) + "\n", encoding="utf-8")
    a, b = tmp_path / "a.ttl", tmp_path / "b.ttl"
    export(KnowledgeBase(imports=False), "ttl", a)
    export(KnowledgeBase(ontology=nt), "ttl", b)
    assert a.read_bytes() == b.read_bytes()


def test_failed_export_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    bad = tmp_path / "bad.nt"
    bad.write_text('<http://example.org/s> <http://example.org/1> "x" .\n', encoding="utf-8")
    out = tmp_path / "out" / "kb.rdf"
    out.parent.mkdir()
    out.write_text("previous export\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "t2dm_onto", "export", "-f", "rdfxml", "--with", str(bad),
                           "-o", str(out)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3
    assert proc.stderr.startswith("error: ") and "http://example.org/1" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert out.read_text(encoding="utf-8") == "previous export\n"
    assert sorted(p.name for p in out.parent.iterdir()) == ["kb.rdf"]
    fresh = tmp_path / "out" / "new.rdf"
    assert subprocess.run([sys.executable, "-m", "t2dm_onto", "export", "-f", "rdfxml", "--with", str(bad),
                           "-o", str(fresh)], capture_output=True, timeout=120).returncode == 3
    assert not fresh.exists()


def test_rdfxml_refuses_a_predicate_it_cannot_write(tmp_path):
    import pyoxigraph as ox

    t = ox.Triple(ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p/"), ox.Literal("x"))
    with pytest.raises(InputError, match="cannot be written in RDF/XML"):
        serialize([t], "rdfxml")
    assert b"example.org/p/" in serialize([t], "ttl")


# -- owl: merged import modules ---------------------------------------------------------------
MODULE_IRI = "https://w3id.org/t2dm-onto/imports/test_module.owl"
MODULE = f"""\
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix t2dm: <https://w3id.org/t2dm-onto/> .
<{MODULE_IRI}> a owl:Ontology ; rdfs:comment "a test import module" .
<http://purl.obolibrary.org/obo/GO_0099999> a owl:Class ; rdfs:label "a test class from the module"@en ;
    rdfs:subClassOf t2dm:BiologicalProcess .
"""
IMPORTS = f"""\
<{ONTOLOGY_IRI}> <http://www.w3.org/2002/07/owl#imports> <{MODULE_IRI}> .
<{ONTOLOGY_IRI}> <http://www.w3.org/2002/07/owl#imports> <https://example.org/not-shipped.owl> .
"""


@pytest.fixture
def with_module(tmp_path) -> tuple[KnowledgeBase, Path]:
    folder = tmp_path / "imports"
    folder.mkdir()
    (folder / "test_module.ttl").write_text(MODULE, encoding="utf-8")
    extra = tmp_path / "imports.nt"
    extra.write_text(IMPORTS, encoding="utf-8")
    return KnowledgeBase(files=[extra], imports=False), folder  # only the test module is merged


def test_owl_merges_shipped_modules_and_resolves_their_imports(with_module, source):
    kb, folder = with_module
    g = rdflib.Graph().parse(data=serialize(owl_triples(kb, folder), "rdfxml"), format="xml")
    main, module = rdflib.URIRef(ONTOLOGY_IRI), rdflib.URIRef(MODULE_IRI)
    go = rdflib.URIRef("http://purl.obolibrary.org/obo/GO_0099999")
    assert (go, rdflib.RDFS.subClassOf, rdflib.URIRef("https://w3id.org/t2dm-onto/BiologicalProcess")) in g
    assert (main, OWL.imports, module) not in g
    assert (main, OWL.imports, rdflib.URIRef("https://example.org/not-shipped.owl")) in g  # nothing to merge it with
    assert set(g.subjects(rdflib.RDF.type, OWL.Ontology)) == {main}
    main_only = _graph(ontology_file(), "turtle")
    assert len(g) == len(main_only) + 3 + 1  # the module's three axioms, the unresolved import


def test_owl_without_modules_is_the_knowledge_base(kb, source, tmp_path):
    g = rdflib.Graph().parse(data=serialize(owl_triples(kb, tmp_path / "none"), "rdfxml"), format="xml")
    assert isomorphic(g, source)


@requires_java
def test_owl_export_loads_offline_in_the_owl_api(with_module, tmp_path):
    """HermiT reads the file through the OWL API (Protégé's parser) and classifies the merged module's class."""
    from t2dm_onto.validate.reasoner import hermit_classpath

    _kb, folder = with_module
    shutil.copy(import_file(), folder / import_file().name)  # the ontology imports it too: merge it, fetch nothing
    # only the shipped module is imported here: an unresolvable import would send the OWL API to the network
    kb2 = KnowledgeBase(files=[_only_module_import(tmp_path)], imports=False)
    out = tmp_path / "kb.owl"
    out.write_bytes(serialize(owl_triples(kb2, folder), "rdfxml"))
    proc = subprocess.run(["java", "-Xmx2000M", "-cp", hermit_classpath(), "org.semanticweb.HermiT.cli.CommandLine",
                           "-c", "-O", "-D", "-I", out.as_uri()], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "<http://purl.obolibrary.org/obo/GO_0099999> <https://w3id.org/t2dm-onto/BiologicalProcess>" in proc.stdout


def _only_module_import(tmp_path: Path) -> Path:
    extra = tmp_path / "module-import.nt"
    extra.write_text(f"<{ONTOLOGY_IRI}> <http://www.w3.org/2002/07/owl#imports> <{MODULE_IRI}> .\n", encoding="utf-8")
    return extra
