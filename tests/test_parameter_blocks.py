"""`#@parameters` lines repeat the parameters' VALUES block inside a group, without changing any answer."""

from __future__ import annotations

from t2dm_onto.terms import Term, values_block, with_values

QUERY = """# a comment WHERE {
PREFIX t: <https://example.org/>
SELECT ?x WHERE {
  {
    #@parameters
    ?x t:p ?target
  } UNION {
      #@parameters
    ?target t:p ?x
  }
}
"""
BINDINGS = {"target": Term.iri("https://example.org/a"), "lang": Term.literal("en"), "source": None}


def test_block_at_the_top_and_at_each_mark():
    text = with_values(QUERY, BINDINGS)
    block = values_block(BINDINGS)
    assert text.count(block) == 3
    assert "#@parameters" not in text
    assert text.index(block) > text.index("SELECT ?x WHERE {")  # the comment's WHERE { is skipped
    assert "      " + block in text  # the mark's indentation is kept


def test_without_bindings_the_query_is_untouched():
    assert with_values(QUERY, {}) == QUERY


def test_a_mark_in_prose_is_not_a_mark():
    text = with_values("SELECT * WHERE {\n  # see #@parameters below\n  ?s ?p ?o }", BINDINGS)
    assert text.count("VALUES") == 1


def test_repeated_block_gives_the_same_rows():
    import pyoxigraph as ox

    store = ox.Store()
    store.load(b"<https://example.org/b> <https://example.org/p> <https://example.org/a> .\n"
               b"<https://example.org/a> <https://example.org/p> <https://example.org/c> .\n"
               b"<https://example.org/d> <https://example.org/p> <https://example.org/e> .\n",
               format=ox.RdfFormat.N_TRIPLES)
    marked = {s["x"].value for s in store.query(with_values(QUERY, BINDINGS))}
    plain = {s["x"].value for s in store.query(with_values(QUERY.replace("#@parameters", "#"), BINDINGS))}
    assert marked == plain == {"https://example.org/b", "https://example.org/c"}
