"""The SPARQL guard: size, nesting depth and SERVICE decided before any parser runs.

Each refused case is one the engines really mishandle (a segfault in Oxigraph's
parser, a request sent by rdflib or Oxigraph); each accepted case is a query the
project or its users really write. Property tests: the guard raises nothing but
the project's errors on any text, and its time grows linearly with the input.
"""

from __future__ import annotations

import contextlib
import http.server
import subprocess
import sys
import threading
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from t2dm_onto.catalog import Catalog
from t2dm_onto.errors import InputError, T2DMError, UsageError
from t2dm_onto.sparql_guard import MAX_NESTING_DEPTH, MAX_OPERATORS, MAX_QUERY_BYTES, check_query

URL = "<http://127.0.0.1:9/sparql>"

#: Ways to write SERVICE; each but the variable one makes Oxigraph or rdflib send a request (test below).
SERVICE_SPELLINGS = {
    "plain": f"SELECT * WHERE {{ SERVICE {URL} {{ ?s ?p ?o }} }}",
    "silent": f"SELECT * WHERE {{ SERVICE SILENT {URL} {{ ?s ?p ?o }} }}",
    "lower case": f"select * where {{ service {URL} {{ ?s ?p ?o }} }}",
    "variable endpoint": "SELECT * WHERE { VALUES ?e { <http://127.0.0.1:9/> } SERVICE ?e { ?s ?p ?o } }",
    "no space before the prefixed endpoint": "PREFIX : <http://127.0.0.1:9/> SELECT * WHERE { SERVICE:x { ?s ?p ?o } }",
    "glued to SILENT": f"SELECT * WHERE {{ SERVICESILENT{URL} {{ ?s ?p ?o }} }}",
    "glued to a number": f"SELECT * WHERE {{ ?s ?p 1SERVICE {URL} {{ ?s ?p ?o }} }}",
    "glued to true": f"SELECT * WHERE {{ ?s ?p trueSERVICE {URL} {{ ?s ?p ?o }} }}",
    "unicode escape": f"SELECT * WHERE {{ \\u0053ERVICE {URL} {{ ?s ?p ?o }} }}",
    "long escape": f"SELECT * WHERE {{ \\U00000053ERVICE {URL} {{ ?s ?p ?o }} }}",
    "long s (rdflib upper-cases it)": f"SELECT * WHERE {{ ſervice {URL} {{ ?s ?p ?o }} }}",
    "dotless i": f"SELECT * WHERE {{ servıce {URL} {{ ?s ?p ?o }} }}",
    "after a comment": f"SELECT * WHERE {{ # hidden?\nSERVICE {URL} {{ ?s ?p ?o }} }}",
    "after a string": f"SELECT * WHERE {{ ?s ?p 'x'SERVICE {URL} {{ ?s ?p ?o }} }}",
    "after an IRI": f"SELECT * WHERE {{ ?s ?p <http://x>SERVICE {URL} {{ ?s ?p ?o }} }}",
    "after a dot": f"SELECT * WHERE {{ ?s ?p ?o.SERVICE {URL} {{ ?s ?p ?o }} }}",
    "escape closing a string early": f"SELECT * WHERE {{ ?s ?p '\\u0027 . SERVICE {URL} {{ ?s ?p ?o }} }}",
    "in a subquery": f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE {URL} {{ ?s ?p ?o }} }} }} }}",
    "in EXISTS": f"SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE {URL} {{ ?s ?p ?o }} }} }}",
}

#: Texts the guard must pass: SERVICE only as a name, in a string, IRI, comment or variable.
HARMLESS = {
    "variable": "SELECT ?service WHERE { ?service ?p ?o }",
    "dollar variable": "SELECT $service WHERE { $service ?p ?o }",
    "local name": "PREFIX ex: <http://e/> SELECT * WHERE { ?s ex:service ?o . ?s ex:a.service ?o . ?s ex:SERVICE ?o }",
    "string": "SELECT * WHERE { ?s ?p 'SERVICE <x> {}' . ?s ?p \"\"\"SERVICE\n<x>\"\"\" }",
    "comment": "SELECT * WHERE { ?s ?p ?o } # SERVICE <x> {}",
    "IRI": "SELECT * WHERE { ?s <http://www.w3.org/ns/sparql-service-description#endpoint> ?o }",
    "language tag": "SELECT * WHERE { ?s ?p 'x'@en-service }",
    "less than": "SELECT * WHERE { ?a ?b ?c FILTER(?a<?b && ?b>?c && ?a < <http://x#y>) }",
    "hash IRI after a term": "SELECT * WHERE { ?a <http://www.w3.org/2002/07/owl#sameAs> ?c FILTER(?a != <http://x#y>) }",
    "VALUES rows of hash IRIs": "SELECT * WHERE { VALUES (?p ?q) { (<http://www.w3.org/2000/01/rdf-schema#label> "
    "<http://www.w3.org/2002/07/owl#sameAs>) (UNDEF <http://x#y>) } ?s ?p ?o }",
    "escaped parentheses in a name": "PREFIX e: <http://e/> SELECT * WHERE { ?s e:a\\(\\(\\( ?o }",
    "long string with quotes": "SELECT * WHERE { ?s ?p '''it's ''quoted''''' }",
    "brackets in strings": "SELECT * WHERE { ?s ?p '((((((((((' }".replace("((((((((((", "(" * 500),
}


@pytest.mark.parametrize("text", SERVICE_SPELLINGS.values(), ids=SERVICE_SPELLINGS.keys())
def test_service_refused_however_spelled(text):
    with pytest.raises(UsageError, match=r"SERVICE .* is refused"):
        check_query(text)
    check_query(text, allow_service=True)  # the explicit opt-in lets it through


@pytest.fixture(scope="module")
def recorder():
    """A local HTTP server on 127.0.0.1 that records each request it gets."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(500)
            self.end_headers()

        do_POST = do_GET

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", hits
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("name", [n for n in SERVICE_SPELLINGS if n != "variable endpoint"])
def test_each_refused_spelling_really_federates_on_an_engine(name, recorder):
    """Unguarded, the spelling makes Oxigraph or rdflib call the recorder: the refusals are not paranoia."""
    import pyoxigraph
    import rdflib

    url, hits = recorder
    text = SERVICE_SPELLINGS[name].replace("http://127.0.0.1:9/sparql", url).replace("http://127.0.0.1:9/", url)
    data = '<http://x/s> <http://x/p> 1, true, "x", <http://x>, "" .'  # so the patterns before SERVICE match
    store = pyoxigraph.Store()
    store.load(data.encode(), format=pyoxigraph.RdfFormat.TURTLE)
    graph = rdflib.Graph().parse(data=data, format="turtle")
    before = len(hits)
    for run in (lambda: list(store.query(text)), lambda: list(graph.query(text))):
        with contextlib.suppress(Exception):
            run()
    assert len(hits) > before


@pytest.mark.parametrize("text", HARMLESS.values(), ids=HARMLESS.keys())
def test_harmless_text_passes(text):
    check_query(text)


def test_every_canned_query_passes():
    for query in Catalog():
        check_query(query.sparql)


def test_every_canned_query_with_bound_parameters_passes():
    """As rdflib sees them: parameters joined as a VALUES block, hash IRIs and awkward literals included."""
    from t2dm_onto.terms import Term, with_values

    for query in Catalog():
        names = [p.name for p in query.params] + ["x", "y"]
        values = [Term.iri("http://www.w3.org/2002/07/owl#Thing"), Term.literal("it's (\"quoted\") # SERVICE <x>")]
        bindings = {name: values[i % 2] for i, name in enumerate(names)}
        check_query(with_values(query.sparql, bindings))


def test_depth_limit_is_exact_and_placed():
    def nested(depth: int) -> str:
        return "SELECT * WHERE { FILTER(" + "(" * (depth - 2) + "1" + ")" * (depth - 2) + ") }"

    check_query(nested(MAX_NESTING_DEPTH))
    with pytest.raises(InputError, match=f"more than {MAX_NESTING_DEPTH} deep .*line 1, column") as err:
        check_query(nested(MAX_NESTING_DEPTH + 1))
    assert len(str(err.value)) < 300
    with pytest.raises(InputError, match="more than 2 deep"):
        check_query("SELECT * { [ ?p ( 1 ) ] }", max_depth=2)


def test_operator_chains_are_bounded():
    def chain(op: str, n: int) -> str:
        return "SELECT ?s WHERE { ?s ?p ?o" + op * n + " }"

    check_query(chain(" UNION { ?s ?p ?o }", MAX_OPERATORS))
    with pytest.raises(InputError, match=f"more than {MAX_OPERATORS} operators"):
        check_query(chain(" UNION { ?s ?p ?o }", MAX_OPERATORS + 1))
    with pytest.raises(InputError, match="operators"):
        check_query("SELECT * WHERE { BIND(1" + "+1" * (MAX_OPERATORS + 1) + " AS ?x) }")
    with pytest.raises(InputError, match="operators"):
        check_query("SELECT * WHERE { FILTER(" + "!" * (MAX_OPERATORS + 1) + "true) }")


#: Queries at the guard's limits, and the same well past them (where Oxigraph's parser segfaults).
AT_LIMIT = {
    "brackets": "SELECT * WHERE {{ FILTER({}1{}) }}".format("(" * (MAX_NESTING_DEPTH - 2), ")" * (MAX_NESTING_DEPTH - 2)),
    "plus": "SELECT * WHERE { BIND(1" + "+1" * (MAX_OPERATORS - 2) + " AS ?x) }",
    "union": "SELECT ?s WHERE { {?s ?p ?o}" + " UNION {?s ?p ?o}" * MAX_OPERATORS + " }",
    "not": "SELECT ?s WHERE { FILTER(" + "!" * MAX_OPERATORS + "true) }",
}
PAST_LIMIT = {
    "brackets": "SELECT * WHERE {{ FILTER({}1{}) }}".format("(" * 10_000, ")" * 10_000),
    "plus": "SELECT * WHERE { BIND(1" + "+1" * 10_000 + " AS ?x) }",
}
_RUN_ON_OXIGRAPH = "import sys, pyoxigraph\ntry:\n list(pyoxigraph.Store().query(sys.stdin.read()))\nexcept Exception:\n pass"


def _oxigraph_exit(text: str) -> int:
    return subprocess.run([sys.executable, "-c", _RUN_ON_OXIGRAPH], input=text, text=True, capture_output=True,
                          timeout=120).returncode


@pytest.mark.parametrize("name", AT_LIMIT)
def test_what_the_guard_passes_does_not_crash_oxigraph(name):
    check_query(AT_LIMIT[name])
    assert _oxigraph_exit(AT_LIMIT[name]) == 0


@pytest.mark.parametrize("name", PAST_LIMIT)
def test_what_the_guard_refuses_does_crash_oxigraph(name):
    """The limits guard a real failure: unguarded, these kill the process (SIGSEGV)."""
    with pytest.raises(InputError):
        check_query(PAST_LIMIT[name])
    assert _oxigraph_exit(PAST_LIMIT[name]) < 0


def test_brackets_inside_strings_iris_comments_do_not_count():
    check_query("SELECT * WHERE { ?s ?p '" + "(" * 1000 + "' } # " + "{" * 1000, max_depth=2)
    check_query("SELECT * WHERE { ?s <http://x/" + "(" * 1000 + "> ?o }", max_depth=2)


def test_size_cap_counts_utf8_bytes_and_does_not_echo():
    text = "# " + "骨" * (MAX_QUERY_BYTES // 3)  # fewer characters than the cap, more bytes
    assert len(text) < MAX_QUERY_BYTES
    with pytest.raises(InputError, match="bytes, more than") as err:
        check_query(text)
    assert "骨" not in str(err.value)
    check_query("SELECT * {}", max_bytes=11)
    with pytest.raises(InputError):
        check_query("SELECT * {}", max_bytes=10)


def test_ambiguous_less_than_is_refused_not_guessed():
    # Oxigraph reads `<?x#>` as "less than ?x" plus a comment, so SERVICE runs; read as an IRI
    # followed by a long string it would hide the SERVICE. The guard refuses to guess.
    text = f"SELECT * WHERE {{ ?a ?b ?c FILTER(?a<?x#>'''\n) SERVICE {URL} {{}} #'''\n}}"
    with pytest.raises(InputError, match="ambiguous '<' at line 1"):
        check_query(text, allow_service=False)


def test_hash_iri_after_a_term_in_parentheses_outside_values_is_ambiguous():
    with pytest.raises(InputError, match="ambiguous"):
        check_query("SELECT * WHERE { ?s <p> (<a#1> <a#2>) }")  # an RDF collection: rare, and refused
    with pytest.raises(InputError, match="ambiguous"):
        check_query("SELECT * WHERE { VALUES (?a) { (<x#1>) } FILTER((?a <http://x#y>)) }")


def test_unterminated_string_and_bad_unicode():
    with pytest.raises(InputError, match="never closed"):
        check_query("SELECT * WHERE { ?s ?p 'abc }")
    with pytest.raises(InputError, match="surrogate"):
        check_query("SELECT * WHERE { ?s ?p '\udcff' }")
    with pytest.raises(InputError, match="must be a string"):
        check_query(b"SELECT *")  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("(){}[]<>'\"#?$:.\\u0053ERVICEservice \n@_-1aæ")) | st.characters(),
               max_size=400))
def test_any_text_gives_a_project_error_or_passes(text):
    with contextlib.suppress(T2DMError):
        check_query(text, max_depth=8)


def _seconds(text: str) -> float:
    start = time.perf_counter()
    with contextlib.suppress(T2DMError):
        check_query(text, max_bytes=10**8, max_depth=10**8)
    return time.perf_counter() - start


@pytest.mark.parametrize("unit", ["(", "<", "'", "a", "'''a", "<a", "ex:a.", "a.", "é.", "\\u0028", "?x"])
def test_linear_on_long_repetitive_input(unit):
    """Ten times the input costs about ten times the time, not a hundred (generous bound: 40)."""
    small, large = unit * 5_000, unit * 50_000
    base = min(_seconds(small) for _ in range(3))
    assert min(_seconds(large) for _ in range(3)) < 40 * max(base, 1e-4)


@settings(max_examples=30, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("({[<'\"#a:.\\ ")), min_size=1, max_size=6))
def test_linear_on_deep_random_input(unit):
    small, large = unit * 2_000, unit * 20_000
    base = min(_seconds(small) for _ in range(2))
    assert min(_seconds(large) for _ in range(2)) < 40 * max(base, 1e-4)
