"""The HTTP server: routes, limits and headers, on the standard library's ThreadingHTTPServer.

The standard library is enough for a local, read-only service and adds no
dependency. Each connection is served on its own thread, which only parses the
request and sends the answer; every query runs in a worker process
(:mod:`.worker`) bounded by ``query_timeout``, so no query can stall or crash
the server. The server also defends its connections:

- each request (its head and body) must arrive within ``idle_timeout`` seconds
  of the connection being ready for it, however slowly it trickles in: a
  client holding half-sent requests (slowloris) loses them, and an idle
  keep-alive connection is closed after the same time;
- the ``Host`` header must name the address the server is bound to (when bound
  to one address), so a web page cannot reach it by DNS rebinding;
- ``/sparql`` allows cross-origin reads (CORS, with ``OPTIONS`` preflight): the
  data is public and the service read-only, so browser clients on any origin
  may query it; the page and its API stay same-origin;
- a client that goes away costs one line in the log, never a traceback.
"""

from __future__ import annotations

import io
import ipaddress
import re
import socket
import sys
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import TYPE_CHECKING

from ..errors import BackendError
from ..namespaces import KB_GRAPH
from .api import Api, error, json_body, single_values
from .description import service_description
from .protocol import MAX_BODY, ProtocolError, Response, clip, parse_request, text
from .worker import QueryPool, QueryTimeout

if TYPE_CHECKING:
    from ..kb import KnowledgeBase

#: The page may talk only to this server: inline script and style, fetches to
#: its own origin, nothing else (no fonts, images or scripts from elsewhere).
PAGE_POLICY = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
               "connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
#: Sent with every /sparql answer, and with the answer to a preflight.
CORS = {"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "Content-Type, Content-Length"}
PREFLIGHT = {**CORS, "Access-Control-Allow-Methods": "GET, POST, OPTIONS", "Access-Control-Max-Age": "600"}
_HEADER_NAMES = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]+(\s*,\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*$")
_HOST = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$")
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "[::1]"}


def page_html() -> bytes:
    return resources.files(__package__).joinpath("page.html").read_bytes()


def nquads(kb: KnowledgeBase) -> tuple[bytes, int]:
    """The knowledge base as N-Quads in the named graph :data:`KB_GRAPH`, and its triple count (for the workers)."""
    import pyoxigraph as ox

    from ..export.rdf import kb_triples

    name = ox.NamedNode(KB_GRAPH)
    quads = [ox.Quad(t.subject, t.predicate, t.object, name) for t in kb_triples(kb)]
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS), len(quads)


def allowed_hosts(host: str, port: int) -> set[str] | None:
    """The ``Host`` header values this server answers to; ``None`` when bound to every address (any name)."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is not None and address.is_unspecified:
        return None
    shown = f"[{host}]" if ":" in host else host
    names = {shown.lower()} | (LOOPBACK_NAMES if host == "localhost" or (address and address.is_loopback) else set())
    return names | {f"{name}:{port}" for name in names}


class KnowledgeBaseServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer that knows the knowledge base, its query workers and its API."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], kb: KnowledgeBase, *, quiet: bool = False,
                 query_timeout: float = 5.0, idle_timeout: float = 10.0, workers: int = 2) -> None:
        kb.entities  # noqa: B018 - build the name index now, not on the first request
        self.kb = kb
        self.quiet = quiet
        self.idle_timeout = idle_timeout
        self.page = page_html()
        data, self.triples = nquads(kb)
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, Handler)
        self.hosts = allowed_hosts(address[0], self.server_address[1])
        try:
            self.pool = QueryPool(data, workers=workers, timeout=query_timeout)
        except BaseException:
            self.server_close()
            raise
        self.api = Api(kb, self.pool)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        shown = f"[{host}]" if ":" in str(host) else host
        return f"http://{shown}:{port}/"

    def server_close(self) -> None:
        super().server_close()
        pool = getattr(self, "pool", None)
        if pool is not None:
            pool.close()

    def handle_error(self, request, client_address) -> None:
        """A client that hung up or timed out is one log line; anything else keeps its traceback."""
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            if not self.quiet:
                sys.stderr.write(f"{client_address[0]} connection closed: {exc}\n")
            return
        super().handle_error(request, client_address)


class _DeadlineReader(io.RawIOBase):
    """Socket reads that all end by one deadline, so a request trickled byte by byte still times out."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.deadline: float | None = None
        self.received = 0  # bytes since the deadline was set: 0 means an idle connection, not a slow request

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.deadline is not None:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("the request did not arrive in time")
            self.sock.settimeout(left)
        got = self.sock.recv_into(buffer)
        self.received += got
        return got


class Handler(BaseHTTPRequestHandler):
    server: KnowledgeBaseServer
    server_version = "t2dm-onto"
    protocol_version = "HTTP/1.1"

    # -- plumbing -------------------------------------------------------------------
    def setup(self) -> None:
        super().setup()
        self._reader = _DeadlineReader(self.connection)
        self.rfile = io.BufferedReader(self._reader)

    def handle_one_request(self) -> None:
        self._reader.deadline = time.monotonic() + self.server.idle_timeout
        self._reader.received = 0
        super().handle_one_request()

    def log_message(self, format: str, *args) -> None:
        if not self.server.quiet:
            sys.stderr.write(f"{self.address_string()} {format % args}\n")

    def log_error(self, format: str, *args) -> None:
        if format.startswith("Request timed out") and not self._reader.received:
            return  # an idle keep-alive connection closed on time: nothing to report
        self.log_message(format, *args)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        # the standard library's messages quote the request line (up to 64 KB): never echo that much
        super().send_error(code, None if message is None else clip(message, 200)[1:-1], explain)

    def _send(self, response: Response, head_only: bool = False) -> None:
        self._reader.deadline = None
        self.connection.settimeout(self.server.idle_timeout)  # a client that stops reading the answer times out
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        for key, value in response.headers.items():
            self.send_header(key, value)
        self.end_headers()
        if not head_only:
            self.wfile.write(response.body)

    def _body(self) -> bytes | Response:
        length = self.headers.get("Content-Length")
        if length is None:
            return text(411, "a POST needs a Content-Length header.")
        try:
            size = int(length)
        except ValueError:
            return text(400, f"Content-Length {clip(length)} is not a number.")
        if size > MAX_BODY:
            self.close_connection = True  # the body is not read: the connection cannot carry another request
            return text(413, f"the request body is larger than {MAX_BODY} bytes.", Connection="close")
        return self.rfile.read(size) if size > 0 else b""

    def _host_refused(self) -> Response | None:
        host = self.headers.get("Host")
        allowed = self.server.hosts
        if allowed is None or host is None or host.strip().lower() in allowed:
            return None
        return text(403, f"the Host header {clip(host)} does not name this server ({self.server.url}); "
                         "use that address (a page reaching this server through another name is refused).")

    # -- routes ---------------------------------------------------------------------
    def _sparql(self, method: str, url_query: str) -> Response:
        body = b""
        if method == "POST":
            got = self._body()
            if isinstance(got, Response):
                return got
            body = got
        try:
            request = parse_request(method, url_query, self.headers.get("Content-Type"), body)
        except ProtocolError as err:
            return err.response
        if request is None:
            host = self.headers.get("Host", "")
            base = f"http://{host}/" if _HOST.match(host) else self.server.url
            return Response(200, service_description(f"{base}sparql", KB_GRAPH, self.server.triples),
                            "text/turtle; charset=utf-8")
        try:
            return self.server.pool.run("answer", request, self.headers.get("Accept"), client=self.connection)
        except QueryTimeout as err:
            return text(503, str(err), **{"Retry-After": "5"})
        except BackendError as err:
            return text(500, str(err))

    def _route(self, method: str) -> Response:
        refused = self._host_refused()
        if refused is not None:
            return refused
        parsed = urllib.parse.urlsplit(self.path)
        path = parsed.path
        if path == "/sparql":
            response = self._sparql(method, parsed.query)
            response.headers.update(CORS)
            return response
        if path in ("/", "/index.html"):
            if method != "GET":
                return text(405, "the page is read with GET.", Allow="GET, HEAD")
            return Response(200, self.server.page, "text/html; charset=utf-8",
                            {"Content-Security-Policy": PAGE_POLICY, "Cache-Control": "no-store"})
        if path == "/api/queries" and method == "GET":
            return self.server.api.catalog()
        if path == "/api/entities" and method == "GET":
            return self.server.api.entities()
        if path == "/api/query":
            if method == "POST":
                got = self._body()
                if isinstance(got, Response):
                    return got
                args = json_body(got)
            else:
                args = single_values(parsed.query)
            return args if isinstance(args, Response) else self.server.api.run(args, client=self.connection)
        if path.startswith("/api/"):
            return error(404, f"no such API: {path[:80]}. The API has /api/queries, /api/entities and /api/query.")
        if path == "/favicon.ico":
            return Response(204, b"", "image/x-icon")
        return text(404, f"nothing at {path[:80]}: the page is at /, the SPARQL endpoint at /sparql.")

    def do_GET(self) -> None:
        self._send(self._route("GET"))

    def do_HEAD(self) -> None:
        self._send(self._route("GET"), head_only=True)

    def do_POST(self) -> None:
        self._send(self._route("POST"))

    def do_OPTIONS(self) -> None:
        """CORS preflight for /sparql; everything else is read-only and same-origin."""
        refused = self._host_refused()
        if refused is None and urllib.parse.urlsplit(self.path).path == "/sparql":
            asked = self.headers.get("Access-Control-Request-Headers", "")
            headers = {**PREFLIGHT, "Allow": "GET, HEAD, POST, OPTIONS",
                       "Access-Control-Allow-Headers": asked if _HEADER_NAMES.match(asked) else "Accept, Content-Type"}
            self._send(Response(204, b"", "text/plain; charset=utf-8", headers))
            return
        self._send(refused or text(405, "OPTIONS is answered for /sparql only.", Allow="GET, HEAD, POST"))

    def _not_allowed(self) -> None:
        # a body may follow (PUT, DELETE with data): this connection is not reused
        self.close_connection = True
        self._send(text(405, f"{self.command} is not allowed: this service is read-only (GET and POST queries).",
                        Allow="GET, HEAD, POST", Connection="close"))

    do_PUT = do_DELETE = do_PATCH = _not_allowed


def make_server(kb: KnowledgeBase, host: str = "127.0.0.1", port: int = 8000, *, quiet: bool = False,
                query_timeout: float = 5.0, idle_timeout: float = 10.0, workers: int = 2) -> KnowledgeBaseServer:
    """A server bound to ``host:port`` (port 0 picks a free one); call ``serve_forever()``, then ``server_close()``."""
    return KnowledgeBaseServer((host, port), kb, quiet=quiet, query_timeout=query_timeout,
                               idle_timeout=idle_timeout, workers=workers)
