"""``t2dm-onto serve``: the CLI shell over :func:`t2dm_onto.serve.app.make_server`."""

from __future__ import annotations

import argparse
import signal
import sys

from ..errors import EXIT_OK, UsageError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve", help="a local read-only SPARQL endpoint (/sparql) and query page (/)",
        description="Serve the knowledge base: the SPARQL 1.1 Protocol at /sparql (GET and POST; JSON, XML, "
                    "CSV or TSV results by content negotiation; updates refused) and a page at / to run the "
                    "canned queries or your own SPARQL. Stop with Ctrl-C.")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1, this machine only; 0.0.0.0 exposes it to the network)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")
    p.add_argument("--with", dest="extra", action="append", default=[], metavar="FILE",
                   help="load another RDF file beside the knowledge base (repeatable)")
    p.add_argument("--quiet", "-q", action="store_true", help="do not log each request")
    p.set_defaults(run=run)


def _stop(_signum, _frame) -> None:
    raise KeyboardInterrupt


def run(args: argparse.Namespace) -> int:
    from ..kb import KnowledgeBase
    from .app import make_server

    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port} is not a port number (0 to 65535).")
    kb = KnowledgeBase(files=args.extra)
    try:
        server = make_server(kb, args.host, args.port, quiet=args.quiet)
    except OSError as exc:
        raise UsageError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}. "
                         "Choose another --port (0 picks a free one) or stop what uses it.") from exc
    signal.signal(signal.SIGTERM, _stop)
    url = server.url
    sys.stderr.write(f"serving the knowledge base at {url} (SPARQL endpoint: {url}sparql); Ctrl-C stops\n")
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        sys.stderr.write("note: listening beyond this machine; anyone who can reach it can query it\n")
    sys.stderr.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    sys.stderr.write("stopped\n")
    return EXIT_OK
