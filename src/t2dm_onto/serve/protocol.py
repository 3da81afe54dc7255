"""The SPARQL 1.1 Protocol, read-only, over the knowledge base.

What the W3C protocol asks of a query service and how it is met here:

- ``query`` by GET (URL parameter), by POST form (``application/x-www-form-urlencoded``)
  or by POST body (``application/sparql-query``); exactly one query per request;
- the RDF dataset from ``default-graph-uri`` / ``named-graph-uri``. The knowledge
  base sits in the named graph :data:`~t2dm_onto.namespaces.KB_GRAPH` and, when no
  dataset is given, the default graph is the union of all graphs, so a query
  without ``GRAPH``, one with ``GRAPH <KB_GRAPH>`` and one sent with
  ``default-graph-uri=KB_GRAPH`` (as ``--endpoint URL --graph IRI`` does) all see it;
- results by content negotiation: SELECT and ASK as SPARQL JSON, XML, CSV or
  TSV; CONSTRUCT and DESCRIBE as Turtle, N-Triples, RDF/XML or JSON-LD. A
  ``format`` parameter (``json``, ``csv``...) overrides ``Accept`` for links a
  person can click;
- SPARQL Update (``update=``, ``application/sparql-update``, or update text sent
  as a query) is refused with 403: the service is read-only.

Everything here is a plain function of the request, so it is tested without
sockets as well as over HTTP.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import UsageError
from ..namespaces import PREFIXES
from ..store.base import refuse_updates

if TYPE_CHECKING:
    import pyoxigraph as ox

#: Media types offered for SELECT / ASK results, the server's preference first.
RESULT_TYPES: dict[str, str] = {
    "application/sparql-results+json": "JSON",
    "application/sparql-results+xml": "XML",
    "text/csv": "CSV",
    "text/tab-separated-values": "TSV",
    "application/json": "JSON",
    "application/xml": "XML",
    "text/xml": "XML",
}
#: Media types offered for CONSTRUCT / DESCRIBE results.
GRAPH_TYPES: dict[str, str] = {
    "text/turtle": "TURTLE",
    "application/n-triples": "N_TRIPLES",
    "application/rdf+xml": "RDF_XML",
    "application/ld+json": "JSON_LD",
    "text/plain": "N_TRIPLES",
}
#: ``format=`` shortcuts -> media type.
FORMAT_PARAM: dict[str, str] = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
    "csv": "text/csv", "tsv": "text/tab-separated-values",
    "ttl": "text/turtle", "turtle": "text/turtle", "nt": "application/n-triples",
    "rdfxml": "application/rdf+xml", "jsonld": "application/ld+json",
}
MAX_BODY = 1 << 20  # a query of a megabyte is already absurd


@dataclass
class Response:
    """What the HTTP layer sends back."""

    status: int
    body: bytes
    content_type: str = "text/plain; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


def text(status: int, message: str, **headers: str) -> Response:
    return Response(status, (message.rstrip("\n") + "\n").encode("utf-8"), headers=headers)


def _accept_ranges(accept: str) -> list[tuple[str, float, int]]:
    """``(media range, q, position)`` of each entry of an Accept header."""
    out = []
    for position, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        q = 1.0
        for param in fields[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        out.append((fields[0].lower(), q, position))
    return out


def negotiate(accept: str | None, offered: list[str]) -> str | None:
    """The offered media type the client prefers (q-values, then specificity, then our order).

    No ``Accept`` header means anything goes: the first offered type. ``None``
    means nothing offered is acceptable (HTTP 406).
    """
    if not accept or not accept.strip():
        return offered[0]
    best: tuple[float, int, int, int] | None = None
    chosen = None
    for rank, media in enumerate(offered):
        main = media.split("/")[0]
        for media_range, q, _position in _accept_ranges(accept):
            if media_range == media:
                specificity = 2
            elif media_range == f"{main}/*":
                specificity = 1
            elif media_range == "*/*":
                specificity = 0
            else:
                continue
            if q <= 0:
                continue
            key = (q, specificity, -rank, 0)
            if best is None or key > best:
                best, chosen = key, media
    return chosen


@dataclass
class Request:
    """The protocol-level content of an HTTP request."""

    query: str
    default_graphs: list[str]
    named_graphs: list[str]
    format: str | None


class ProtocolError(Exception):
    """A request the protocol refuses; carries the response to send."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.body.decode("utf-8", "replace"))
        self.response = response


def _one(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name, [])
    if len(values) > 1:
        raise ProtocolError(text(400, f"give the '{name}' parameter once, not {len(values)} times."))
    return values[0] if values else None


def parse_request(method: str, url_query: str, content_type: str | None, body: bytes) -> Request:
    """Read a protocol request, or raise :class:`ProtocolError` with the reason."""
    params = urllib.parse.parse_qs(url_query, keep_blank_values=True)
    media = (content_type or "").split(";")[0].strip().lower()
    read_only = ("this endpoint is read-only: SPARQL Update is refused. Load the export "
                 "(t2dm-onto export --format ttl) into your own store to change it.")
    if method == "POST":
        if media == "application/x-www-form-urlencoded":
            try:
                form = urllib.parse.parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
            except UnicodeDecodeError:
                raise ProtocolError(text(400, "the form body is not UTF-8.")) from None
            for key, values in form.items():
                params.setdefault(key, []).extend(values)
        elif media == "application/sparql-query":
            try:
                params.setdefault("query", []).append(body.decode("utf-8"))
            except UnicodeDecodeError:
                raise ProtocolError(text(400, "the query body is not UTF-8.")) from None
        elif media == "application/sparql-update":
            raise ProtocolError(text(403, read_only))
        else:
            raise ProtocolError(text(
                415, f"unsupported Content-Type {content_type or '(none)'!r}: POST a form "
                     "(application/x-www-form-urlencoded) with query=..., or the query itself as application/sparql-query."))
    if "update" in params or "using-graph-uri" in params or "using-named-graph-uri" in params:
        raise ProtocolError(text(403, read_only))
    query = _one(params, "query")
    if query is None or not query.strip():
        raise ProtocolError(text(400, "no query: give the SPARQL text as the 'query' parameter "
                                      "(GET /sparql?query=... or POST). The page at / helps write one."))
    try:
        refuse_updates(query)
    except UsageError:
        raise ProtocolError(text(403, read_only)) from None
    fmt = _one(params, "format")
    if fmt is not None and fmt not in FORMAT_PARAM:
        raise ProtocolError(text(400, f"unknown format {fmt!r}: use one of {', '.join(FORMAT_PARAM)}."))
    return Request(query, params.get("default-graph-uri", []), params.get("named-graph-uri", []), fmt)


class SparqlService:
    """Answers protocol requests from a pyoxigraph store holding the knowledge base in ``graph``."""

    def __init__(self, store: ox.Store, graph: str) -> None:
        self.store = store
        self.graph = graph

    @classmethod
    def from_triples(cls, triples, graph: str) -> SparqlService:
        import pyoxigraph as ox

        store = ox.Store()
        name = ox.NamedNode(graph)
        store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, name) for t in triples)
        return cls(store, graph)

    def handle(self, method: str, url_query: str, content_type: str | None, body: bytes,
               accept: str | None) -> Response:
        try:
            request = parse_request(method, url_query, content_type, body)
            return self.answer(request, accept)
        except ProtocolError as err:
            return err.response

    def _dataset(self, request: Request) -> dict:
        import pyoxigraph as ox

        try:
            if not request.default_graphs and not request.named_graphs:
                return {"use_default_graph_as_union": True}
            return {"default_graph": [ox.NamedNode(g) for g in request.default_graphs],
                    "named_graphs": [ox.NamedNode(g) for g in request.named_graphs]}
        except ValueError as exc:
            raise ProtocolError(text(400, f"a graph IRI in default-graph-uri / named-graph-uri is not valid: {exc}")) from None

    def answer(self, request: Request, accept: str | None) -> Response:
        import pyoxigraph as ox

        try:
            result = self.store.query(request.query, **self._dataset(request))
        except SyntaxError as exc:
            return text(400, f"SPARQL syntax error: {exc}")
        except (OSError, ValueError, RuntimeError) as exc:
            return text(500, f"the query failed: {exc}")
        graph_result = isinstance(result, ox.QueryTriples)
        offered = GRAPH_TYPES if graph_result else RESULT_TYPES
        if request.format is not None:
            media = FORMAT_PARAM[request.format]
            if media not in offered:
                kind = "CONSTRUCT/DESCRIBE" if graph_result else "SELECT/ASK"
                return text(400, f"format {request.format!r} does not suit a {kind} query.")
        else:
            media = negotiate(accept, list(offered))
            if media is None:
                return text(406, f"none of the types in Accept ({accept}) can be produced; "
                                 f"this query can answer {', '.join(offered)}.")
        try:
            if graph_result:
                fmt = getattr(ox.RdfFormat, offered[media])
                kwargs = {"prefixes": PREFIXES} if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else {}
                payload = ox.serialize(list(result), format=fmt, **kwargs)
            else:
                payload = result.serialize(format=getattr(ox.QueryResultsFormat, offered[media]))
        except (OSError, ValueError, RuntimeError) as exc:
            return text(500, f"the query failed while producing results: {exc}")
        charset = "; charset=utf-8" if media.startswith("text/") or media.endswith(("json", "xml")) else ""
        return Response(200, payload, media + charset, {"Vary": "Accept"})
