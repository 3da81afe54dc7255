"""The HTTP server: routes, limits and headers, on the standard library's ThreadingHTTPServer.

The standard library is enough for a local, read-only service and adds no
dependency. Each request is answered on its own thread; pyoxigraph stores are
safe to query from several threads, and the knowledge base's entity index is
built before the server starts, so no request races to build it.
"""

from __future__ import annotations

import socket
import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import TYPE_CHECKING

from ..namespaces import KB_GRAPH
from .api import Api, error, json_body, single_values
from .protocol import MAX_BODY, Response, SparqlService, text

if TYPE_CHECKING:
    from ..kb import KnowledgeBase

#: The page may talk only to this server: inline script and style, fetches to
#: its own origin, nothing else (no fonts, images or scripts from elsewhere).
PAGE_POLICY = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
               "connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


def page_html() -> bytes:
    return resources.files(__package__).joinpath("page.html").read_bytes()


class KnowledgeBaseServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer that knows the knowledge base, its SPARQL service and its API."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], kb: KnowledgeBase, *, quiet: bool = False) -> None:
        from ..export.rdf import kb_triples

        kb.entities  # noqa: B018 - build the name index now, not on the first request
        self.kb = kb
        self.api = Api(kb)
        self.sparql = SparqlService.from_triples(kb_triples(kb), KB_GRAPH)
        self.page = page_html()
        self.quiet = quiet
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        shown = f"[{host}]" if ":" in str(host) else host
        return f"http://{shown}:{port}/"


class Handler(BaseHTTPRequestHandler):
    server: KnowledgeBaseServer
    server_version = "t2dm-onto"
    protocol_version = "HTTP/1.1"

    # -- plumbing -------------------------------------------------------------------
    def log_message(self, format: str, *args) -> None:
        if not self.server.quiet:
            sys.stderr.write(f"{self.address_string()} {format % args}\n")

    def _send(self, response: Response, head_only: bool = False) -> None:
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
            return text(400, f"Content-Length {length!r} is not a number.")
        if size > MAX_BODY:
            return text(413, f"the request body is larger than {MAX_BODY} bytes.")
        return self.rfile.read(size) if size > 0 else b""

    # -- routes ---------------------------------------------------------------------
    def _route(self, method: str) -> Response:
        parsed = urllib.parse.urlsplit(self.path)
        path = parsed.path
        if path == "/sparql":
            body = b""
            if method == "POST":
                got = self._body()
                if isinstance(got, Response):
                    return got
                body = got
            return self.server.sparql.handle(method, parsed.query, self.headers.get("Content-Type"), body,
                                             self.headers.get("Accept"))
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
            return args if isinstance(args, Response) else self.server.api.run(args)
        if path.startswith("/api/"):
            return error(404, f"no such API: {path}. The API has /api/queries, /api/entities and /api/query.")
        if path == "/favicon.ico":
            return Response(204, b"", "image/x-icon")
        return text(404, f"nothing at {path}: the page is at /, the SPARQL endpoint at /sparql.")

    def do_GET(self) -> None:
        self._send(self._route("GET"))

    def do_HEAD(self) -> None:
        self._send(self._route("GET"), head_only=True)

    def do_POST(self) -> None:
        self._send(self._route("POST"))

    def _not_allowed(self) -> None:
        # a body may follow (PUT, DELETE with data): this connection is not reused
        self.close_connection = True
        self._send(text(405, f"{self.command} is not allowed: this service is read-only (GET and POST queries).",
                        Allow="GET, HEAD, POST", Connection="close"))

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _not_allowed


def make_server(kb: KnowledgeBase, host: str = "127.0.0.1", port: int = 8000, *,
                quiet: bool = False) -> KnowledgeBaseServer:
    """A server bound to ``host:port`` (port 0 picks a free one); call ``serve_forever()``."""
    return KnowledgeBaseServer((host, port), kb, quiet=quiet)
