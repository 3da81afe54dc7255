"""Hostile and faulty input: a clear message, a non-zero exit, no traceback, nothing written.

Covers malformed RDF in every format the tools read, XML entity tricks, huge
literals, SPARQL that would run for ever, endpoints that are slow or answer
garbage, output paths that cannot be written, and property-based fuzzing of
every canned-query parameter (hypothesis).
"""

from __future__ import annotations

import contextlib
import http.server
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from t2dm_onto import KnowledgeBase
from t2dm_onto.catalog import Catalog
from t2dm_onto.errors import BackendError, InputError, T2DMError, UsageError

CATALOG = Catalog()


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "t2dm_onto", *args], capture_output=True, text=True,
                          timeout=timeout)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def assert_clean_failure(proc: subprocess.CompletedProcess, code: int, *needles: str) -> None:
    assert proc.returncode == code, (proc.returncode, proc.stderr)
    assert proc.stderr.startswith("error: "), proc.stderr
    assert proc.stderr.count("\n") <= 3, proc.stderr  # one message, not a dump
    for needle in needles:
        assert needle in proc.stderr, proc.stderr


# -- malformed files ---------------------------------------------------------------------------
BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">
  <rdf:Description rdf:about="http://example.org/x"><rdfs:label>&g;</rdfs:label></rdf:Description>
</rdf:RDF>
"""

XXE = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">
  <rdf:Description rdf:about="http://example.org/x"><rdfs:label>&secret;</rdfs:label></rdf:Description>
</rdf:RDF>
"""

MALFORMED = {
    "truncated.ttl": "@prefix t: <https://w3id.org/t2dm-onto/> .\nt:a t:b ",
    "binary.ttl": b"\xff\xfe\x00\x00\x89PNG\r\n\x1a\n\x00\x00",
    "latin1.ttl": '@prefix t: <https://w3id.org/t2dm-onto/> .\nt:a t:b "caf\xe9" .\n'.encode("latin-1"),
    "utf16.nt": '<http://example.org/a> <http://example.org/b> "c" .\n'.encode("utf-16"),
    "truncated.owl": '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Descr',
    "billion_laughs.owl": BILLION_LAUGHS,
    "truncated.jsonld": '{"@context": {"x": "http://example.org/"}, "@id": "x:a", "x:b": ',
    "remote_context.jsonld": '{"@context": "http://127.0.0.1:9/context.jsonld", "@id": "http://example.org/a"}',
    "not_rdf.xyz": "hello",
}


def _write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_extra_file_is_a_clear_input_error(name, tmp_path):
    bad = _write(tmp_path / name, MALFORMED[name])
    proc = run("query", "entities", "--with", str(bad), timeout=60)
    assert_clean_failure(proc, 3, name)
    assert proc.stdout == ""


@pytest.mark.parametrize("name", sorted(n for n in MALFORMED if not n.endswith(".xyz")))
def test_malformed_file_fails_validation_cleanly(name, tmp_path):
    bad = _write(tmp_path / name, MALFORMED[name])
    proc = run("validate", str(bad), "--no-reasoner", timeout=60)
    assert proc.returncode in (1, 3), proc.stderr
    assert "FAILED" in proc.stdout or proc.stderr.startswith("error: ")


def test_xml_external_entity_is_not_read(tmp_path):
    bad = _write(tmp_path / "xxe.owl", XXE)
    proc = run("sparql", "SELECT ?l WHERE { <http://example.org/x> ?p ?l }", "--with", str(bad), "--format", "json")
    assert "root:" not in proc.stdout + proc.stderr  # /etc/passwd never leaks into an answer


def test_huge_literal_loads_and_answers(tmp_path):
    big = "骨" * 2_000_000  # a 6 MB literal
    path = _write(tmp_path / "big.ttl", f'<http://example.org/a> <http://example.org/b> "{big}" .\n')
    proc = run("sparql", "SELECT (STRLEN(?o) AS ?n) WHERE { <http://example.org/a> ?p ?o }", "--with", str(path),
               "--format", "csv")
    assert proc.returncode == 0 and "2000000" in proc.stdout


# -- queries that run for ever, absurd values ----------------------------------------------------
def test_runaway_sparql_times_out_with_a_clear_message():
    t0 = time.monotonic()
    proc = run("sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", "--timeout", "1")
    assert time.monotonic() - t0 < 30
    assert_clean_failure(proc, 4, "did not finish within 1 s", "--timeout")


def test_runaway_sparql_times_out_in_the_api():
    kb = KnowledgeBase(timeout=0.5)
    with pytest.raises(BackendError, match="did not finish"):
        kb.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    assert kb.query("effects-of", source="metformin").rows  # the store still answers afterwards


@pytest.mark.parametrize("value", ["0", "5", "-1", "99999999999999999999", "4.5", "four", "1e3", " "])
def test_absurd_max_hops_is_a_usage_error(value):
    proc = run("query", "causal-paths", "source=hyperglycaemia", "target=osteoclast", f"max_hops={value}")
    assert_clean_failure(proc, 2, "max_hops")


# -- endpoints that misbehave ------------------------------------------------------------------------
class _Handler(http.server.BaseHTTPRequestHandler):
    mode = "garbage"

    def do_POST(self):
        self.do_GET()

    def do_GET(self):
        if self.mode == "slow":
            time.sleep(5)
        body = {"garbage": b"<html>not json</html>", "wrong-json": b'{"head": {}, "nothing": 1}',
                "500": b"internal error", "slow": b"{}"}[self.mode]
        self.send_response(500 if self.mode == "500" else 200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.mark.parametrize("mode", ["garbage", "wrong-json", "500", "slow"])
def test_misbehaving_endpoint_is_exit_4(mode):
    handler = type(f"H_{mode}", (_Handler,), {"mode": mode})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
        proc = run("query", "drug-bone-effects", "--endpoint", url, "--timeout", "2")
        assert_clean_failure(proc, 4, "endpoint")
    finally:
        server.shutdown()
        server.server_close()


# -- output paths ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("target", ["", "{tmp}", "{tmp}/no/such/dir/out.graphml", "/dev/null", "{tmp}/ok\x00.graphml"])
def test_unwritable_output_paths_are_refused(target, tmp_path):
    path = target.format(tmp=tmp_path)
    if "\x00" in path:  # a NUL cannot cross exec(); check the API directly
        from t2dm_onto.outputs import check_output_path

        with pytest.raises(UsageError):
            check_output_path(path)
        return
    before = sorted(os.listdir(tmp_path))
    proc = run("export", "--format", "graphml", "-o", path)
    assert_clean_failure(proc, 2)
    assert sorted(os.listdir(tmp_path)) == before  # nothing written, not even a temporary file


def test_a_killed_export_leaves_the_previous_file_intact(tmp_path):
    out = tmp_path / "kb.bel"
    out.write_text("previous content\n", encoding="utf-8")
    complete = run("export", "--format", "bel").stdout
    assert complete.count("SET Citation") > 100
    for delay in (0.3, 0.6, 0.9, 1.2, 1.5):
        proc = subprocess.Popen([sys.executable, "-m", "t2dm_onto", "export", "--format", "bel", "-o", str(out)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        text = out.read_text(encoding="utf-8")
        assert text in ("previous content\n", complete), f"half-written file after {delay} s"
        out.write_text("previous content\n", encoding="utf-8")


# -- property-based: every parameter of every canned query ---------------------------------------------
@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase(timeout=20)


PARAMS = [(q.name, p.name) for q in CATALOG for p in q.params]
TEXT = st.one_of(
    st.text(max_size=60),
    st.sampled_from(['"} ; DROP ALL ; #', "> } UNION { ?s ?p ?o } #", "\\u0022", "RANKL\n} LIMIT 1 #", "\x00",
                     "骨质疏松症'\"", "http://evil.example/x>", "HGNC:", "GO:0001503", "1 . ?x ?y ?z", "%00", "…"]),
)


@pytest.mark.parametrize(("query", "param"), PARAMS, ids=[f"{q}.{p}" for q, p in PARAMS])
def test_any_parameter_value_gives_rows_or_a_usage_error(kb, query, param):
    canned = CATALOG.get(query)
    base = {p.name: p.example for p in canned.params if p.required}

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(value=TEXT)
    def check(value: str) -> None:
        try:
            result = kb.query(query, **{**base, param: value})
        except UsageError as err:
            assert str(err) and "\n" not in str(err).strip()
            return
        assert isinstance(result.rows, list)

    check()


@settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=200))
def test_any_sparql_text_gives_rows_or_a_clear_error(text):
    kb = _SHARED_KB
    try:
        kb.sparql(text)
    except (InputError, UsageError, BackendError) as err:
        assert isinstance(err, T2DMError) and str(err)


_SHARED_KB = KnowledgeBase(timeout=10)


@pytest.mark.parametrize("value", ["http://<", "GO:<>", "http://a b"])
def test_malformed_term_iri_is_a_usage_error(kb, value):
    """Found by hypothesis: a term that expands to an invalid IRI raised ValueError."""
    with pytest.raises(UsageError, match=r"not a valid CURIE or IRI|unknown entity"):
        kb.query("claims-under", term=value)
