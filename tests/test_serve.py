"""`t2dm-onto serve` over real HTTP: the SPARQL 1.1 Protocol, the JSON API and the page.

The server is the real command, started as a child process on a free port
(``--port 0``; it prints the URL it chose) and stopped by PID.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import time
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from t2dm_onto import KnowledgeBase
from t2dm_onto.catalog import Catalog
from t2dm_onto.namespaces import KB_GRAPH
from t2dm_onto.serve.protocol import negotiate

from .servers import http, stop
from .test_compliance import _normalise

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
LABELS = """PREFIX t2dm: <https://w3id.org/t2dm-onto/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?x ?label WHERE { ?x t2dm:increases t2dm:RANKL ; rdfs:label ?label } ORDER BY ?x ?label"""
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
SRX = "{http://www.w3.org/2005/sparql-results#}"


def start_server(*args: str, quiet: bool = True) -> tuple[subprocess.Popen, str]:
    """``t2dm-onto serve`` on a free port; its stderr stays a pipe (the log, when not ``quiet``)."""
    proc = subprocess.Popen([sys.executable, "-m", "t2dm_onto", "serve", "--port", "0", *(["--quiet"] if quiet else []),
                             *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    line = ""
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        match = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
        if match:
            return proc, match.group(1)
        if not line and proc.poll() is not None:
            break
    stop(proc)
    raise RuntimeError(f"t2dm-onto serve did not start: {line}")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    proc, url = start_server()
    try:
        yield url
    finally:
        stop(proc, timeout=20)
        assert proc.returncode is not None


def get(url: str, path: str, accept: str | None = None, **params: str):
    query = f"?{urllib.parse.urlencode(params)}" if params else ""
    return http("GET", f"{url}{path}{query}", headers={"Accept": accept} if accept else {})


def sparql_json(body: bytes) -> list[dict]:
    return json.loads(body)["results"]["bindings"]


# -- the protocol ---------------------------------------------------------------------------
def test_get_select_as_json(server, kb):
    status, headers, body = get(server, "sparql", "application/sparql-results+json", query=COUNT)
    assert status == 200
    assert headers["Content-Type"].startswith("application/sparql-results+json")
    assert int(sparql_json(body)[0]["n"]["value"]) == kb.backend.triples()


def test_post_form_and_post_query_body_give_the_same_rows(server, kb):
    expected = [(r["x"], r["label"]) for r in kb.sparql(LABELS).rows]
    status, _, body = http("POST", f"{server}sparql", urllib.parse.urlencode({"query": LABELS}).encode(),
                           {**FORM, "Accept": "application/sparql-results+json"})
    assert status == 200
    assert [(b["x"]["value"], b["label"]["value"]) for b in sparql_json(body)] == expected
    status, _, body2 = http("POST", f"{server}sparql", LABELS.encode(),
                            {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
    assert status == 200 and body2 == body


def test_results_as_xml_csv_and_tsv_by_content_negotiation(server, kb):
    expected = [(r["x"], r["label"]) for r in kb.sparql(LABELS).rows]
    status, headers, body = get(server, "sparql", "application/sparql-results+xml", query=LABELS)
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+xml")
    results = ET.fromstring(body).find(f"{SRX}results")
    xml_rows = [tuple(b.find(f"{SRX}binding[@name='{n}']")[0].text for n in ("x", "label"))
                for b in results.findall(f"{SRX}result")]
    assert xml_rows == expected
    status, headers, body = get(server, "sparql", "text/csv", query=LABELS)
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
    assert rows[0] == ["x", "label"] and [tuple(r) for r in rows[1:]] == expected
    status, headers, body = get(server, "sparql", "text/tab-separated-values", query=LABELS)
    assert status == 200 and headers["Content-Type"].startswith("text/tab-separated-values")
    lines = body.decode("utf-8").splitlines()
    assert lines[0] == "?x\t?label" and len(lines) == len(expected) + 1
    assert f"<{expected[0][0]}>" in lines[1]


def test_format_parameter_overrides_accept(server):
    status, headers, body = get(server, "sparql", "application/sparql-results+json", query=LABELS, format="csv")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    assert body.startswith(b"x,label")


def test_ask_and_construct(server, kb):
    status, _, body = get(server, "sparql", "application/sparql-results+json",
                          query="ASK { <https://w3id.org/t2dm-onto/ROS> <https://w3id.org/t2dm-onto/increases> "
                                "<https://w3id.org/t2dm-onto/RANKL> }")
    assert status == 200 and json.loads(body) == {"head": {}, "boolean": True}
    status, _, body = get(server, "sparql", "application/sparql-results+xml", query="ASK { ?s <http://example.org/none> ?o }")
    assert status == 200 and ET.fromstring(body).find(f"{SRX}boolean").text == "false"
    status, headers, body = get(server, "sparql", "text/turtle", query="CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    assert len(list(ox.parse(body, format=ox.RdfFormat.TURTLE))) == kb.backend.triples()


def test_dataset_the_named_graph_and_the_union(server, kb):
    n = kb.backend.triples()
    for params in ({}, {"default-graph-uri": KB_GRAPH}):
        status, _, body = get(server, "sparql", None, query=COUNT, **params)
        assert status == 200 and int(sparql_json(body)[0]["n"]["value"]) == n
    status, _, body = get(server, "sparql", None, query=f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{KB_GRAPH}> {{ ?s ?p ?o }} }}")
    assert int(sparql_json(body)[0]["n"]["value"]) == n
    status, _, body = get(server, "sparql", None, query=COUNT, **{"default-graph-uri": "https://example.org/other"})
    assert status == 200 and int(sparql_json(body)[0]["n"]["value"]) == 0


@pytest.mark.parametrize("request_kind", ["form update", "sparql-update body", "update as query", "update by GET"])
def test_updates_are_refused(server, request_kind):
    update = "INSERT DATA { <http://example.org/s> <http://example.org/p> <http://example.org/o> }"
    if request_kind == "form update":
        status, _, body = http("POST", f"{server}sparql", urllib.parse.urlencode({"update": update}).encode(), FORM)
    elif request_kind == "sparql-update body":
        status, _, body = http("POST", f"{server}sparql", update.encode(), {"Content-Type": "application/sparql-update"})
    elif request_kind == "update as query":
        status, _, body = http("POST", f"{server}sparql", urllib.parse.urlencode({"query": update}).encode(), FORM)
    else:
        status, _, body = get(server, "sparql", None, update=update)
    assert status == 403
    assert b"read-only" in body
    status, _, body = get(server, "sparql", None, query="ASK { <http://example.org/s> ?p ?o }")
    assert json.loads(body)["boolean"] is False


@pytest.mark.parametrize(("method", "path", "headers", "body", "status", "words"), [
    ("GET", "sparql?query=", {}, None, 400, b"no query"),
    ("GET", "sparql?query=SELEC%20*", {}, None, 400, b"SPARQL syntax error"),
    ("GET", "sparql?query=ASK%7B%7D&query=ASK%7B%7D", {}, None, 400, b"once"),
    ("GET", "sparql?query=ASK%7B%7D", {"Accept": "image/png"}, None, 406, b"application/sparql-results+json"),
    ("GET", "sparql?query=ASK%7B%7D&format=png", {}, None, 400, b"unknown format"),
    ("POST", "sparql", {"Content-Type": "text/plain"}, b"ASK {}", 415, b"Content-Type"),
    ("PUT", "sparql", {"Content-Type": "text/turtle"}, b"<a:b> <a:c> <a:d> .", 405, b"read-only"),
    ("DELETE", "sparql", {}, None, 405, b"read-only"),
    ("GET", "nowhere", {}, None, 404, b"/sparql"),
])
def test_bad_requests_get_a_4xx_with_a_reason(server, method, path, headers, body, status, words):
    got_status, _, got_body = http(method, f"{server}{path}", body, headers)
    assert got_status == status
    assert words in got_body


def test_every_canned_query_through_our_endpoint_gives_the_embedded_rows(server, kb, claims):
    remote = KnowledgeBase(endpoint=f"{server}sparql")
    for name in Catalog().names():
        args = Catalog().get(name).example_args()
        assert _normalise(remote.query(name, **args)) == _normalise(kb.query(name, **args)), name
    assert remote.claims() == claims
    assert KnowledgeBase(endpoint=f"{server}sparql", graph=KB_GRAPH).stats() == kb.stats()


# -- the JSON API ---------------------------------------------------------------------------
def test_api_lists_the_catalog(server):
    status, _, body = get(server, "api/queries")
    data = json.loads(body)
    assert status == 200
    assert [q["name"] for q in data["queries"]] == Catalog().names()
    target = next(p for q in data["queries"] if q["name"] == "mediators-increasing" for p in q["params"]
                  if p["name"] == "target")
    assert target["kind"] == "entity" and target["required"] is True


def test_api_entities_have_both_labels(server):
    data = json.loads(get(server, "api/entities")[2])
    rankl = next(e for e in data["entities"] if e["iri"] == "https://w3id.org/t2dm-onto/RANKL")
    assert rankl["en"] == "RANKL" and rankl["zh"]


def test_api_runs_canned_queries_with_names_resolved(server, kb):
    status, _, body = get(server, "api/query", query="mediators-increasing", target="核因子κB受体活化因子配体",
                          transitive="true", max_hops="3", lang="zh")
    assert status == 200
    data = json.loads(body)
    expected = kb.query("mediators-increasing", target="RANKL", transitive=True, max_hops=3, lang="zh")
    assert data["columns"] == expected.columns and data["rows"] == expected.rows and data["count"] > 0
    status, _, body2 = http("POST", f"{server}api/query", json.dumps(
        {"query": "mediators-increasing", "target": "RANKL", "transitive": True, "max_hops": 3, "lang": "zh"}).encode(),
        {"Content-Type": "application/json"})
    assert status == 200 and json.loads(body2)["rows"] == data["rows"]


def test_api_csv_download(server, kb):
    status, headers, body = get(server, "api/query", query="drug-bone-effects", format="csv")
    assert status == 200 and "attachment" in headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8"))))
    assert len(rows) == len(kb.query("drug-bone-effects"))


@pytest.mark.parametrize(("params", "words"), [
    ({"query": "mediators-increasing", "target": "RANKLX"}, "unknown entity 'RANKLX' for parameter 'target'"),
    ({"query": "mediators-increasing"}, "needs parameter 'target'"),
    ({"query": "causal-paths", "source": "ROS", "target": "RANKL", "max_hops": "9"}, "between 1 and 4"),
    ({"query": "no-such-query"}, "unknown query"),
    ({"query": "entities", "colour": "red"}, "has no parameter 'colour'"),
    ({}, "give the canned query's name"),
])
def test_api_bad_parameters_are_400_with_the_message(server, params, words):
    status, headers, body = get(server, "api/query", **params)
    assert status == 400
    assert headers["Content-Type"].startswith("application/json")
    assert words in json.loads(body)["error"]


# -- the page -------------------------------------------------------------------------------
def test_page_is_self_contained(server):
    status, headers, body = get(server, "")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    page = body.decode("utf-8")
    # no stylesheet, script, image or font from anywhere else
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "@import" not in page and "url(" not in page


# -- the command ----------------------------------------------------------------------------
def test_busy_port_is_a_clear_error(server):
    port = urllib.parse.urlsplit(server).port
    proc = subprocess.run([sys.executable, "-m", "t2dm_onto", "serve", "--port", str(port)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: cannot listen on 127.0.0.1:") and "Traceback" not in proc.stderr


def test_content_negotiation_rules():
    offered = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv"]
    assert negotiate(None, offered) == offered[0]
    assert negotiate("text/csv", offered) == "text/csv"
    assert negotiate("text/*;q=0.5, application/sparql-results+xml", offered) == offered[1]
    assert negotiate("application/*;q=0.2, text/csv;q=0.9", offered) == "text/csv"
    assert negotiate("*/*", offered) == offered[0]
    assert negotiate("text/csv;q=0, image/png", offered) is None
