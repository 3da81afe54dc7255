"""``t2dm-onto sparql`` answers every query form: SELECT rows, ASK, CONSTRUCT and DESCRIBE in each RDF syntax.

The triples are compared with rdflib's own CONSTRUCT over the shipped files (another
engine), on the embedded store, on rdflib and through a real Oxigraph server; the
RDF output is read back by rdflib in its syntax. No run may print a traceback or the
stray ``RuntimeError ... unsendable`` pyoxigraph gave when its answer crossed a thread.
"""

from __future__ import annotations

import json

import pytest
import rdflib
from rdflib.compare import isomorphic

from t2dm_onto.errors import InputError
from t2dm_onto.resources import import_file, ontology_file
from t2dm_onto.sparql_forms import query_form

from .test_cli import run

P = "PREFIX t2dm: <https://w3id.org/t2dm-onto/>\n"
CONSTRUCT = (
    P + "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "CONSTRUCT { ?x t2dm:increases ?y ; rdfs:label ?l } WHERE { ?x t2dm:increases ?y ; rdfs:label ?l }"
)
DESCRIBE = P + "DESCRIBE t2dm:RANKL"
RDFLIB_SYNTAX = {
    "ttl": "turtle",
    "nt": "nt",
    "rdfxml": "xml",
    "jsonld": "json-ld",
    "json": "json-ld",
    "table": "turtle",
}


@pytest.fixture(scope="module")
def reference() -> rdflib.Graph:
    g = rdflib.Graph()
    for path in (ontology_file(), import_file()):
        g.parse(path, format="turtle")
    return g


def _clean(proc) -> None:
    assert proc.returncode == 0, proc.stderr
    assert "RuntimeError" not in proc.stderr and "unsendable" not in proc.stderr, proc.stderr


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (P + "ASK { t2dm:ROS t2dm:increases t2dm:RANKL }", "true"),
        (P + "# a comment\nASK { t2dm:RANKL t2dm:increases t2dm:ROS }", "false"),
    ],
)
def test_ask(text, expected):
    proc = run("sparql", text)
    _clean(proc)
    assert proc.stdout == expected + "\n"
    as_json = run("sparql", text, "--format", "json")
    _clean(as_json)
    assert json.loads(as_json.stdout) == {"head": {}, "boolean": expected == "true"}


@pytest.mark.parametrize("fmt", sorted(RDFLIB_SYNTAX))
def test_construct_in_every_rdf_format(fmt, reference):
    proc = run("sparql", CONSTRUCT, "--format", fmt)
    _clean(proc)
    got = rdflib.Graph().parse(data=proc.stdout, format=RDFLIB_SYNTAX[fmt])
    expected = reference.query(CONSTRUCT).graph
    assert len(expected) > 100 and isomorphic(got, expected)


@pytest.mark.parametrize("store", [["--store", "oxigraph"], ["--store", "rdflib"], "endpoint"])
def test_construct_and_describe_on_every_store(store, oxigraph, reference):
    where = ["--endpoint", f"{oxigraph}/query"] if store == "endpoint" else store
    proc = run("sparql", CONSTRUCT, "--format", "nt", *where)
    _clean(proc)
    assert isomorphic(rdflib.Graph().parse(data=proc.stdout, format="nt"), reference.query(CONSTRUCT).graph)
    described = run("sparql", DESCRIBE, "--format", "nt", *where)
    _clean(described)
    g = rdflib.Graph().parse(data=described.stdout, format="nt")
    rankl = rdflib.URIRef("https://w3id.org/t2dm-onto/RANKL")
    assert (rankl, rdflib.RDFS.label, rdflib.Literal("RANKL", lang="en")) in g


def test_a_form_and_a_format_that_do_not_fit_are_usage_errors():
    proc = run("sparql", CONSTRUCT, "--format", "csv")
    assert proc.returncode == 2 and proc.stderr.startswith("error:") and "ttl" in proc.stderr
    proc = run("sparql", P + "SELECT * WHERE { ?s t2dm:increases ?o } LIMIT 1", "--format", "ttl")
    assert proc.returncode == 2 and proc.stderr.startswith("error:")
    proc = run("sparql", P + "SELECT ?s WHERE { ?s t2dm:increases t2dm:RANKL }", "--format", "tsv")
    _clean(proc)
    assert "https://w3id.org/t2dm-onto/ROS" in proc.stdout


def test_select_api_refuses_other_forms_cleanly(kb):
    with pytest.raises(InputError, match="ASK, CONSTRUCT and DESCRIBE"):
        kb.sparql(CONSTRUCT)


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("PREFIX a: <http://x/#>  # why\nBASE <http://y/>\n construct {} where {}", "CONSTRUCT"),
        ("# ASK\nSELECT * WHERE {}", "SELECT"),
        ("DESCRIBE <http://x>", "DESCRIBE"),
        ("prefix : <http://x/> ask {}", "ASK"),
    ],
)
def test_query_form(text, form):
    assert query_form(text) == form
