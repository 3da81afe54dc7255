"""`t2dm-onto serve` as third-party clients see it: SPARQLWrapper in every return format, the service
description, CORS preflight from a browser's point of view, and syntax errors a person can read.

SPARQLWrapper sends the format three ways at once (``Accept``, and ``format``,
``output`` and ``results`` parameters, some repeated with a media type); each
answer is decoded by SPARQLWrapper itself (or rdflib, for Turtle) and compared
with the same query on the embedded store.
"""

from __future__ import annotations

import csv
import io
import warnings
from collections.abc import Iterator

import pytest
import rdflib

from .servers import http, stop
from .test_serve import start_server

SPARQLWrapper = pytest.importorskip("SPARQLWrapper", reason="pip install SPARQLWrapper (a test extra)")

T2DM = "https://w3id.org/t2dm-onto/"
SELECT = f"SELECT ?x ?y WHERE {{ ?x <{T2DM}increases> ?y }} ORDER BY ?x ?y"
ASK = f"ASK {{ <{T2DM}ROS> <{T2DM}increases> <{T2DM}RANKL> }}"
CONSTRUCT = f"CONSTRUCT {{ ?x <{T2DM}increases> ?y }} WHERE {{ ?x <{T2DM}increases> ?y }}"
DESCRIBE = f"DESCRIBE <{T2DM}RANKL>"
SD = "http://www.w3.org/ns/sparql-service-description#"


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    proc, url = start_server()
    try:
        yield f"{url}sparql"
    finally:
        stop(proc)


def ask_wrapper(endpoint: str, query: str, fmt: str, method: str):
    """SPARQLWrapper's converted answer, and its warnings about a format other than the one asked."""
    from SPARQLWrapper import SPARQLWrapper as Client

    client = Client(endpoint)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setMethod(method)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = client.query()
        converted = result.convert()
    notes = [str(w.message) for w in caught]
    mismatches = [n for n in notes if "returned by the endpoint" in n or "unknown response content type" in n]
    return result.info()["content-type"], converted, mismatches


def expected_pairs(kb) -> list[tuple[str, str]]:
    return [(r["x"], r["y"]) for r in kb.sparql(SELECT).rows]


RESULT_MEDIA = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                "csv": "text/csv", "tsv": "text/tab-separated-values"}


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("fmt", list(RESULT_MEDIA))
def test_sparqlwrapper_select_and_ask_in_every_results_format(endpoint, kb, fmt, method):
    media, rows, mismatches = ask_wrapper(endpoint, SELECT, fmt, method)
    assert mismatches == [] and media.startswith(RESULT_MEDIA[fmt])
    expected = expected_pairs(kb)
    if fmt == "json":
        got = [(b["x"]["value"], b["y"]["value"]) for b in rows["results"]["bindings"]]
    elif fmt == "xml":
        got = [tuple(b.getElementsByTagName("uri")[0].firstChild.data for b in r.getElementsByTagName("binding"))
               for r in rows.getElementsByTagName("result")]
    elif fmt == "csv":
        got = [tuple(r) for r in list(csv.reader(io.StringIO(rows.decode("utf-8"))))[1:]]
    else:
        got = [tuple(c.strip("<>") for c in line.split("\t")) for line in rows.decode("utf-8").splitlines()[1:]]
    assert got == expected and len(got) > 5
    media, answer, mismatches = ask_wrapper(endpoint, ASK, fmt, method)
    assert mismatches == [] and media.startswith(RESULT_MEDIA[fmt])
    if fmt == "json":
        assert answer["boolean"] is True
    elif fmt == "xml":
        assert answer.getElementsByTagName("boolean")[0].firstChild.data == "true"
    else:
        assert answer.strip() == b"true"


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("fmt", ["turtle", "n3", "xml", "rdf", "rdf+xml", "json-ld", "json"])
def test_sparqlwrapper_construct_and_describe_in_every_rdf_format(endpoint, kb, fmt, method):
    media, graph, mismatches = ask_wrapper(endpoint, CONSTRUCT, fmt, method)
    assert mismatches == []
    if isinstance(graph, bytes):  # SPARQLWrapper hands Turtle over as it came: rdflib reads it
        assert media.startswith("text/turtle")
        graph = rdflib.Graph().parse(data=graph, format="turtle")
    assert sorted((str(s), str(o)) for s, _, o in graph) == sorted(expected_pairs(kb))
    media, graph, mismatches = ask_wrapper(endpoint, DESCRIBE, fmt, method)
    assert mismatches == []
    if isinstance(graph, bytes):
        graph = rdflib.Graph().parse(data=graph, format="turtle")
    assert len(graph) == len(kb.backend.construct(DESCRIBE)) > 3


@pytest.mark.parametrize(("accept", "media", "rdflib_format"), [
    ("text/turtle", "text/turtle", "turtle"),
    ("application/n-triples", "application/n-triples", "nt"),
    ("application/rdf+xml", "application/rdf+xml", "xml"),
    ("application/ld+json", "application/ld+json", "json-ld"),
])
def test_construct_by_accept_header(endpoint, kb, accept, media, rdflib_format):
    from urllib.parse import urlencode

    status, headers, body = http("GET", f"{endpoint}?{urlencode({'query': CONSTRUCT})}", headers={"Accept": accept})
    assert status == 200 and headers["Content-Type"].startswith(media)
    graph = rdflib.Graph().parse(data=body, format=rdflib_format)
    assert sorted((str(s), str(o)) for s, _, o in graph) == sorted(expected_pairs(kb))


def test_bare_get_is_the_service_description(endpoint, kb):
    status, headers, body = http("GET", endpoint)
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=body, format="turtle")
    service = rdflib.URIRef(endpoint)
    sd = rdflib.Namespace(SD)
    assert (service, rdflib.RDF.type, sd.Service) in graph
    assert (service, sd.endpoint, service) in graph
    assert (service, sd.supportedLanguage, sd.SPARQL11Query) in graph
    formats = {str(o) for o in graph.objects(service, sd.resultFormat)}
    assert {"http://www.w3.org/ns/formats/SPARQL_Results_JSON", "http://www.w3.org/ns/formats/Turtle",
            "http://www.w3.org/ns/formats/JSON-LD"} <= formats
    sizes = {int(o) for o in graph.objects(None, rdflib.URIRef("http://rdfs.org/ns/void#triples"))}
    assert sizes == {kb.backend.triples()}


def test_cors_preflight_and_cross_origin_reads(endpoint):
    status, headers, body = http("OPTIONS", endpoint, headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type, accept"})
    assert status == 204 and body == b""
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert "content-type" in headers["Access-Control-Allow-Headers"].lower()
    status, headers, _ = http("GET", f"{endpoint}?query=ASK%7B%7D", headers={"Origin": "https://example.org"})
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"
    status, headers, _ = http("GET", f"{endpoint}?query=ASK%7B", headers={"Origin": "https://example.org"})
    assert status == 400 and headers["Access-Control-Allow-Origin"] == "*"  # the browser may read why


def test_syntax_errors_point_at_the_place(endpoint):
    from urllib.parse import urlencode

    query = "PREFIX t2dm: <https://w3id.org/t2dm-onto/>\nSELECT ?x WHERE {\n  ?x t2dm:increases \n}"
    status, _, body = http("GET", f"{endpoint}?{urlencode({'query': query})}")
    message = body.decode("utf-8")
    assert status == 400
    first, excerpt, caret = message.splitlines()
    assert first.startswith("SPARQL syntax error at line 4, column 1:")
    assert excerpt == "  }" and caret == "  ^"
