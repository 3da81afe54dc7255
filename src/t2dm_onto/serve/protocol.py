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
  ``format`` parameter overrides ``Accept`` for links a person can click; it may
  be repeated and be a name (``json``, ``turtle``...) or a media type, as
  SPARQLWrapper sends it (its ``output`` and ``results`` copies are ignored);
- a GET with no query is answered with the service description (:mod:`.description`);
- SPARQL Update (``update=``, ``application/sparql-update``, or update text sent
  as a query) is refused with 403: the service is read-only;
- a query too large, nested too deep or using ``SERVICE`` (federation: requests
  from this machine to anywhere) is refused with 400 before any parser sees it
  (:mod:`t2dm_onto.sparql_guard`).

Everything here is a plain function of the request: :func:`parse_request` runs in
the HTTP process, :func:`answer` and :func:`select` in a query worker (:mod:`.worker`).
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import InputError, T2DMError, UsageError
from ..namespaces import PREFIXES
from ..sparql_guard import MAX_NESTING_DEPTH, MAX_QUERY_BYTES, check_query
from ..store.base import Result, refuse_updates

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
#: ``format=`` names -> the media type for (SELECT / ASK, CONSTRUCT / DESCRIBE); SPARQLWrapper's names included.
FORMAT_PARAM: dict[str, tuple[str | None, str | None]] = {
    "json": ("application/sparql-results+json", "application/ld+json"),
    "xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "csv": ("text/csv", None), "tsv": ("text/tab-separated-values", None),
    **dict.fromkeys(("ttl", "turtle", "n3"), (None, "text/turtle")),
    **dict.fromkeys(("nt", "ntriples", "n-triples"), (None, "application/n-triples")),
    **dict.fromkeys(("rdfxml", "rdf+xml", "rdf"), (None, "application/rdf+xml")),
    **dict.fromkeys(("jsonld", "json-ld"), (None, "application/ld+json")),
}
MAX_BODY = 1 << 20  # a query of a megabyte is already absurd
#: Longest message sent back: an error never echoes a large input.
MAX_MESSAGE = 2000


@dataclass
class Response:
    """What the HTTP layer sends back."""

    status: int
    body: bytes
    content_type: str = "text/plain; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


def clip(value: str, limit: int = 80) -> str:
    """``value`` quoted, cut to ``limit`` characters: how a message shows what the client sent."""
    return repr(value if len(value) <= limit else value[:limit] + "...")


def cut(message: str) -> str:
    """``message`` no longer than :data:`MAX_MESSAGE`: the last guard against echoing a large input."""
    return message if len(message) <= MAX_MESSAGE else message[:MAX_MESSAGE] + " ... (cut)"


def text(status: int, message: str, **headers: str) -> Response:
    return Response(status, (cut(message.rstrip("\n")) + "\n").encode("utf-8"), headers=headers)


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
    formats: list[str] = field(default_factory=list)  # every ``format`` value, in order


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


def format_media(value: str, offered: dict[str, str]) -> str | None:
    """The media type of ``offered`` that a ``format`` value asks for, if any.

    A value is a name (``json``, ``turtle``, ``rdf+xml``...) or, as SPARQLWrapper
    sends beside the name, a media type or a comma-separated list of them.
    """
    names = FORMAT_PARAM.get(value.strip().lower())
    if names is not None:
        media = names[0] if offered is RESULT_TYPES else names[1]
        return media if media in offered else None
    for part in value.split(","):
        media = part.split(";")[0].strip().lower()
        if media in offered:
            return media
    return None


def parse_request(method: str, url_query: str, content_type: str | None, body: bytes) -> Request | None:
    """Read a protocol request, or raise :class:`ProtocolError` with the reason.

    ``None`` is a GET with no query at all: the client asks what the service is
    (the SPARQL 1.1 Service Description).
    """
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
                415, f"unsupported Content-Type {clip(content_type or '(none)')}: POST a form "
                     "(application/x-www-form-urlencoded) with query=..., or the query itself as application/sparql-query."))
    if "update" in params or "using-graph-uri" in params or "using-named-graph-uri" in params:
        raise ProtocolError(text(403, read_only))
    query = _one(params, "query")
    if query is None and method == "GET":
        return None
    if query is None or not query.strip():
        raise ProtocolError(text(400, "no query: give the SPARQL text as the 'query' parameter "
                                      "(GET /sparql?query=... or POST). The page at / helps write one."))
    try:
        refuse_updates(query)
    except UsageError:
        raise ProtocolError(text(403, read_only)) from None
    try:  # before any parser: a query nested 10,000 deep crashes it, SERVICE would reach out from here
        check_query(query, max_bytes=MAX_QUERY_BYTES, max_depth=MAX_NESTING_DEPTH, allow_service=False,
                    service_hint="This endpoint never federates: send the inner query to that endpoint yourself.")
    except T2DMError as err:
        raise ProtocolError(text(400, str(err))) from None
    formats = params.get("format", [])
    for value in formats:
        if format_media(value, RESULT_TYPES) is None and format_media(value, GRAPH_TYPES) is None:
            names = ", ".join(FORMAT_PARAM)
            raise ProtocolError(text(400, f"unknown format {clip(value)}: use one of {names}, or a media type."))
    return Request(query, params.get("default-graph-uri", []), params.get("named-graph-uri", []), formats)


def syntax_message(query: str, exc: SyntaxError) -> str:
    """The parser's complaint with the line it points at and a caret: ``error at 3:14: expected ...``."""
    message = str(exc)
    found = re.match(r"error at (\d+):(\d+): (.*)", message, re.DOTALL)
    if not found:
        return f"SPARQL syntax error: {message}"
    line, column, reason = int(found[1]), int(found[2]), " ".join(found[3].split())
    if len(reason) > 160:  # the parser lists every token it would accept, Unicode ranges included
        reason = reason[:max(reason.rfind(",", 0, 160), 40)] + ", ..."
    lines = query.splitlines() or [""]
    shown = lines[min(line, len(lines)) - 1]
    start = max(0, column - 60)
    excerpt = shown[start:start + 120]
    caret = " " * (column - 1 - start) + "^"
    return f"SPARQL syntax error at line {line}, column {column}: {reason}\n  {excerpt}\n  {caret}"


def _dataset(request: Request) -> dict:
    import pyoxigraph as ox

    try:
        if not request.default_graphs and not request.named_graphs:
            return {"use_default_graph_as_union": True}
        return {"default_graph": [ox.NamedNode(g) for g in request.default_graphs],
                "named_graphs": [ox.NamedNode(g) for g in request.named_graphs]}
    except ValueError as exc:
        raise ProtocolError(text(400, f"a graph IRI in default-graph-uri / named-graph-uri is not valid: {exc}")) from None


def _media(request: Request, accept: str | None, graph_result: bool) -> str:
    offered = GRAPH_TYPES if graph_result else RESULT_TYPES
    kind = "CONSTRUCT/DESCRIBE" if graph_result else "SELECT/ASK"
    if request.formats:
        for value in request.formats:
            media = format_media(value, offered)
            if media is not None:
                return media
        raise ProtocolError(text(400, f"format {clip(request.formats[0])} does not suit a {kind} query; "
                                      f"it can answer {', '.join(offered)}."))
    media = negotiate(accept, list(offered))
    if media is None:
        raise ProtocolError(text(406, f"none of the types in Accept ({clip(accept or '')}) can be produced; "
                                      f"this {kind} query can answer {', '.join(offered)}."))
    return media


def answer(store: ox.Store, request: Request, accept: str | None) -> Response:
    """Run ``request`` on ``store`` (the query service's worker) and serialise the result as negotiated."""
    import pyoxigraph as ox

    try:
        try:
            result = store.query(request.query, **_dataset(request))
        except SyntaxError as exc:
            return text(400, syntax_message(request.query, exc))
        except (OSError, ValueError, RuntimeError) as exc:
            return text(500, f"the query failed: {exc}")
        graph_result = isinstance(result, ox.QueryTriples)
        media = _media(request, accept, graph_result)
    except ProtocolError as err:
        return err.response
    try:
        if graph_result:
            fmt = getattr(ox.RdfFormat, GRAPH_TYPES[media])
            kwargs = {"prefixes": PREFIXES} if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else {}
            payload = ox.serialize(list(result), format=fmt, **kwargs)
        else:
            payload = result.serialize(format=getattr(ox.QueryResultsFormat, RESULT_TYPES[media]))
    except (OSError, ValueError, RuntimeError) as exc:
        return text(500, f"the query failed while producing results: {exc}")
    charset = "; charset=utf-8" if media.startswith("text/") or media.endswith(("json", "xml")) else ""
    return Response(200, payload, media + charset, {"Vary": "Accept"})


def select(store: ox.Store, query: str) -> Result:
    """The rows of a SELECT (a canned query with its VALUES block) over the whole store."""
    import pyoxigraph as ox

    from ..store.oxigraph import _python

    try:
        solutions = store.query(query, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise InputError(syntax_message(query, exc)) from None
    if not isinstance(solutions, ox.QuerySolutions):
        raise InputError("only SELECT queries return rows here.")
    columns = [v.value for v in solutions.variables]
    return Result(columns, [{c: _python(sol[c]) for c in columns} for sol in solutions])
