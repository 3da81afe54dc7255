"""One test per engine workaround of docs/engine-workarounds.md, named for the engine it exists for.

The Virtuoso 7 traps are checked statically on every canned query (Virtuoso itself
runs in tests/test_virtuoso.py when installed); each trap check is also shown to
catch its trap, so a clean result means something. The Oxigraph and rdflib
workarounds are checked where they live: in the queries' text, the shapes, and
the rdflib backend's algebra rewrites.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from t2dm_onto.catalog import Catalog, internal, internal_names
from t2dm_onto.store.endpoint import _select_shaped_ask, _value

from .sparql_traps import split, traps

ROOT = Path(__file__).resolve().parents[1]
QUERIES = {q.name: q.sparql for q in Catalog()}
#: the toolkit's own queries (queries/internal/), which run on a remote endpoint too
INTERNAL = {f"internal/{name}": internal(name) for name in internal_names()}
DOC = ROOT / "docs" / "engine-workarounds.md"
XSD_INT = "http://www.w3.org/2001/XMLSchema#integer"

# ---- Virtuoso 7 ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [*sorted(QUERIES), *sorted(INTERNAL)])
def test_virtuoso7_no_canned_query_falls_into_a_known_trap(name):
    query = INTERNAL[name] if name in INTERNAL else QUERIES[name]
    assert traps(query) == {}


#: trap -> (a query that falls into it, the same query written the way the canned queries are)
TRAPS = {
    "exists-in-bind": (
        'SELECT ?s ?cited WHERE { ?s a ?t BIND (EXISTS { ?s <p> ?o } AS ?cited) }',
        'SELECT ?s ?cited WHERE { ?s a ?t OPTIONAL { ?s <p> ?o } BIND (BOUND(?o) AS ?cited) }'),
    "aggregate-in-if": (
        'SELECT (IF(COUNT(?c) > 1, "many", "one") AS ?n) WHERE { ?c a ?t }',
        'SELECT (COUNT(?c) AS ?n) WHERE { ?c a ?t }'),
    "path-from-bind": (
        "SELECT ?x WHERE { ?h a ?t BIND (?h AS ?x) ?x rdfs:subClassOf* ?top }",
        "SELECT ?x WHERE { { ?h a ?t ?h rdfs:subClassOf* ?top } BIND (?h AS ?x) }"),
    "bind-after-grouped-subquery": (
        'SELECT ?d ?w WHERE { { SELECT ?d (COUNT(?c) AS ?n) WHERE { ?c <s> ?d } GROUP BY ?d } BIND ("x" AS ?w) }',
        'SELECT ?d ("x" AS ?w) WHERE { { SELECT ?d (COUNT(?c) AS ?n) WHERE { ?c <s> ?d } GROUP BY ?d } }'),
    "nested-optional": (
        "SELECT * WHERE { ?c a ?t OPTIONAL { ?c <p> ?x OPTIONAL { ?x <q> ?y } } }",
        "SELECT * WHERE { ?c a ?t OPTIONAL { ?c <p> ?x } OPTIONAL { ?c <p> ?x . ?x <q> ?y } }"),
    "sorted-top-over-10000": (
        "SELECT ?c ?p WHERE { { SELECT ?c ?p WHERE { ?c <p> ?p } ORDER BY ?p LIMIT 1000000000 } }",
        "SELECT ?c ?p WHERE { { SELECT ?c ?p WHERE { ?c <p> ?p } ORDER BY ?p } }"),
    "non-ascii-constant": (
        'SELECT (CONCAT(?a, "→", ?b) AS ?chain) WHERE { ?x <a> ?a ; <b> ?b }',
        'SELECT (CONCAT(?a, STRDT("→", xsd:string), ?b) AS ?chain) WHERE { ?x <a> ?a ; <b> ?b }'),
}


@pytest.mark.parametrize("trap", sorted(TRAPS))
def test_virtuoso7_each_trap_check_catches_its_trap(trap):
    bad, good = TRAPS[trap]
    assert set(traps(bad)) == {trap}
    assert traps(good) == {}


def test_virtuoso7_traps_in_comments_and_strings_are_not_findings():
    query = '# BIND (EXISTS { ?s ?p ?o } AS ?x)\nSELECT ?s WHERE { ?s <label> "BIND (EXISTS {" }'
    assert split(query)[0].count("EXISTS") == 0
    assert traps(query) == {}


def test_virtuoso7_typed_literal_cells_are_read_like_literals():
    assert _value({"type": "typed-literal", "value": "42", "datatype": XSD_INT}) == 42
    assert _value({"type": "literal", "value": "42", "datatype": XSD_INT}) == 42


def test_virtuoso7_ask_answered_as_a_one_cell_table_is_read():
    reply = {"head": {"vars": ["__ask_retval"]}, "results": {"bindings": [{"__ask_retval": {"value": "1"}}]}}
    assert _select_shaped_ask(reply) is True
    assert _select_shaped_ask({"head": {"vars": ["a", "b"]}, "results": {"bindings": []}}) is None


def test_virtuoso7_resolver_index_keeps_its_class_path_in_a_subquery():
    """SQ156: Virtuoso cannot compile a property path joined with a UNION in one group."""
    code = split(internal("entity-index"))[0]
    subquery = re.search(r"\{\s*SELECT DISTINCT \?e WHERE \{([^{}]*)\}\s*\}", code)
    assert subquery and "rdfs:subClassOf*" in subquery.group(1)
    assert code.count("rdfs:subClassOf*") == 1


# ---- Oxigraph ---------------------------------------------------------------------------------------------


def test_oxigraph_planner_caps_never_cut_an_answer():
    """A sub-SELECT LIMIT caps Oxigraph's size estimate; it must stay far above any answer (10^9, or 999,999 for
    the pathways, which are classes)."""
    limits = [(name, int(n)) for name, q in QUERIES.items() for n in re.findall(r"\bLIMIT\s+(\d+)", split(q)[0])]
    assert limits, "no query uses the LIMIT cap any more: remove its entry from docs/engine-workarounds.md"
    assert all(n >= 999_999 for _, n in limits), limits


def test_oxigraph_planner_every_parameters_mark_is_inside_a_group():
    """``#@parameters`` repeats the VALUES block where Oxigraph starts a branch; at the top level it would be lost."""
    for name, q in QUERIES.items():
        lines = q.splitlines()
        for i, line in enumerate(lines):
            if line.strip() == "#@parameters":
                before = split("\n".join(lines[:i]))[0]
                assert before.count("{") - before.count("}") >= 2, f"{name}: line {i + 1} is not inside a group"


def test_oxigraph_planner_shortcut_shape_uses_minus():
    """The shortcut-edge shape's anti-join is a MINUS: Oxigraph re-runs a FILTER NOT EXISTS per edge."""
    import rdflib

    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    shapes = rdflib.Graph().parse(ROOT / "shapes" / "t2dm_op.shapes.ttl", format="turtle")
    node = rdflib.URIRef("https://w3id.org/t2dm-onto/shapes/ShortcutEdgeShape")
    select = str(shapes.value(shapes.value(node, sh.sparql), sh.select))
    assert "MINUS {" in select and "NOT EXISTS" not in select


def test_oxigraph_answers_are_read_in_the_query_thread():
    """With a timeout the query runs in a worker thread; pyoxigraph's result objects may not leave it."""
    from t2dm_onto.errors import InputError
    from t2dm_onto.store.oxigraph import OxigraphBackend

    backend = OxigraphBackend(timeout=60)
    backend.load(ROOT / "ontology" / "t2dm_op.ttl")
    assert backend.select("SELECT (COUNT(*) AS ?n) WHERE { ?c a <https://w3id.org/t2dm-onto/Claim> }").rows[0]["n"] > 0
    assert backend.ask("ASK { ?s ?p ?o }") is True
    assert len(backend.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3")) == 3
    with pytest.raises(InputError, match="only SELECT queries"):
        backend.select("ASK { ?s ?p ?o }")


def test_oxigraph_04_json_ld_goes_through_rdflib(tmp_path):
    """pyoxigraph 0.4 (still allowed by pyproject) reads no JSON-LD; the store converts it with rdflib."""
    pytest.importorskip("rdflib")
    from t2dm_onto.store.oxigraph import OxigraphBackend

    floor = re.search(r'"(pyoxigraph[^"]*)"', (ROOT / "pyproject.toml").read_text(encoding="utf-8")).group(1)
    assert floor == "pyoxigraph>=0.4", f"the floor is now {floor}: read JSON-LD natively in rdfio.load_oxigraph and drop this test"
    doc = tmp_path / "one.jsonld"
    doc.write_text('{"@id": "https://example.org/a", "https://example.org/p": "Ω"}', encoding="utf-8")
    backend = OxigraphBackend()
    backend.load(doc)
    assert backend.select('SELECT ?o WHERE { <https://example.org/a> <https://example.org/p> ?o }').rows == [
        {"o": "Ω"}]


# ---- rdflib -----------------------------------------------------------------------------------------------


def _algebra(query: str):
    from rdflib.plugins.sparql import prepareQuery

    return prepareQuery(query).algebra


def test_rdflib_joins_with_a_bgp_on_the_right_are_made_lazy():
    from t2dm_onto.store.rdflib_backend import _lazy_bgp_joins, _walk

    algebra = _algebra(QUERIES["effects-of"])
    before = sum(bool(n.get("lazy")) for n in _walk(algebra) if n.name == "Join")
    _lazy_bgp_joins(algebra)
    assert sum(bool(n.get("lazy")) for n in _walk(algebra) if n.name == "Join") > before


def test_rdflib_lazy_joins_keep_the_rows():
    import rdflib
    from rdflib.plugins.sparql import prepareQuery

    from t2dm_onto.store.rdflib_backend import _lazy_bgp_joins

    g = rdflib.Graph().parse(data="""
        @prefix : <https://example.org/> .
        :c1 :s :a ; :o :b . :c2 :s :a ; :o :c . :a :label "A" . :b :label "B" . :c :label "C"@en .
    """, format="turtle")
    query = ("PREFIX : <https://example.org/> SELECT ?c ?l WHERE { ?c :s :a . "
             "{ ?c :o ?x } UNION { ?c :s ?x } ?x :label ?l } ORDER BY ?c ?l")
    plain = [tuple(row) for row in g.query(prepareQuery(query))]
    rewritten = prepareQuery(query)
    _lazy_bgp_joins(rewritten.algebra)
    assert any(n.get("lazy") for n in _walk_joins(rewritten.algebra)), "the rewrite did not apply"
    assert [tuple(row) for row in g.query(rewritten)] == plain and len(plain) == 4


def _walk_joins(algebra):
    from t2dm_onto.store.rdflib_backend import _walk

    return [n for n in _walk(algebra) if n.name == "Join"]


def test_rdflib_bgps_start_from_the_bound_parameter():
    from rdflib import Variable

    from t2dm_onto.store.rdflib_backend import _plan_bgps, _walk

    query = ("PREFIX t2dm: <https://w3id.org/t2dm-onto/> SELECT * WHERE { "
             "?r t2dm:is_causal true . ?c t2dm:has_relation ?r . ?c t2dm:has_object ?target }")
    algebra = _algebra(query)
    _plan_bgps(algebra, frozenset({"target"}))
    bgp = next(n for n in _walk(algebra) if n.name == "BGP")
    assert bgp.triples[0][2] == Variable("target")


# ---- the document -----------------------------------------------------------------------------------------


def test_every_workaround_test_is_listed_in_the_document():
    """docs/engine-workarounds.md names, for each workaround, the test that guards it."""
    text = DOC.read_text(encoding="utf-8")
    tests = [n for n in globals() if n.startswith("test_") and n != "test_every_workaround_test_is_listed_in_the_document"]
    missing = [n for n in tests if n not in text]
    assert not missing, f"not in {DOC.name}: {missing}"
    assert "docs/engine-workarounds.md" in (ROOT / "README.md").read_text(encoding="utf-8")
