"""``t2dm-onto serve``: the CLI shell over :func:`t2dm_onto.serve.app.make_server`."""

from __future__ import annotations

import argparse
import math
import signal
import sys

from ..errors import EXIT_OK, UsageError
from .options import open_kb, store_options


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve", help="a local read-only SPARQL endpoint (/sparql) and query page (/)",
        description="Serve the knowledge base: the SPARQL 1.1 Protocol at /sparql (GET and POST; JSON, XML, "
                    "CSV or TSV results, Turtle, N-Triples, RDF/XML or JSON-LD graphs, by content negotiation or "
                    "format=; a service description on a bare GET; updates and SERVICE refused; every query "
                    "bounded by --query-timeout) and a page at / to run the canned queries or your own SPARQL. "
                    "Stop with Ctrl-C.")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1, this machine only; 0.0.0.0 exposes it to the network)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")
    p.add_argument("--query-timeout", type=_seconds, default=5.0, metavar="SECONDS",
                   help="a query still running after this is stopped and answered with 503 (default 5)")
    p.add_argument("--idle-timeout", type=_seconds, default=10.0, metavar="SECONDS",
                   help="a request must arrive within this, and an idle connection is closed after it (default 10)")
    p.add_argument("--workers", type=_workers, default=2,
                   help="query worker processes, each with its own copy of the data: queries run at once (default 2)")
    p.add_argument("--quiet", "-q", action="store_true", help="do not log each request")
    store_options(p, links=False)
    p.set_defaults(run=run)


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and 0 < seconds <= 3600):
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds between 0 and 3600 (e.g. 5 or 0.5)")
    return seconds


def _workers(value: str) -> int:
    if not (value.isascii() and value.isdigit() and 1 <= int(value) <= 64):
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of workers from 1 to 64")
    return int(value)


def _stop(_signum, _frame) -> None:
    raise KeyboardInterrupt


def run(args: argparse.Namespace) -> int:
    from ..serve.app import make_server

    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port} is not a port number (0 to 65535).")
    kb = open_kb(args)
    try:
        server = make_server(kb, args.host, args.port, quiet=args.quiet, query_timeout=args.query_timeout,
                             idle_timeout=args.idle_timeout, workers=args.workers)
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
