"""`t2dm-onto serve` defends itself: every query bounded in time and run where it cannot take the server
down, connections that must send their request in time, a Host check, short error bodies, a quiet log.

Real servers over real sockets on 127.0.0.1; hostile clients are raw sockets.
Each test bounds its own count of connections and its time; latencies are
measured by ``benchmarks/serve_defence.py``, not asserted here.
"""

from __future__ import annotations

import os
import select
import signal
import socket
import struct
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from http.client import HTTPConnection
from pathlib import Path

import pytest

from .servers import http, stop
from .test_serve import start_server

#: A three-way cross product of the knowledge base: 1.6 x 10^12 rows, hours of work.
CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
QUICK = "ASK { <https://w3id.org/t2dm-onto/ROS> <https://w3id.org/t2dm-onto/increases> <https://w3id.org/t2dm-onto/RANKL> }"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


class Served:
    def __init__(self, proc, url: str) -> None:
        self.proc, self.url = proc, url
        self.port = urllib.parse.urlsplit(url).port

    def sparql(self, query: str, timeout: float = 60.0, **headers: str):
        return http("GET", f"{self.url}sparql?{urllib.parse.urlencode({'query': query})}",
                    headers={"Accept": "application/sparql-results+json", **headers}, timeout=timeout)

    def workers(self) -> set[int]:
        """PIDs of the server's query workers (children started by multiprocessing's spawn)."""
        found = set()
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == self.proc.pid and b"spawn_main" in cmdline:
                found.add(int(entry.name))
        return found

    def wait_workers(self, count: int, timeout: float = 60.0) -> set[int]:
        wait_until(lambda: len(self.workers()) == count, timeout, f"the server does not have {count} query workers")
        return self.workers()


@pytest.fixture
def serve(request) -> Iterator:
    """A factory: ``serve(*args)`` starts a server with those options; all are stopped at the end."""
    started: list = []

    def start(*args: str, quiet: bool = True) -> Served:
        proc, url = start_server(*args, quiet=quiet)
        started.append(proc)
        return Served(proc, url)

    yield start
    for proc in started:
        stop(proc)


def raw(port: int, data: bytes) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(data)
    return sock


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"


def wait_until(condition, timeout: float, message: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, message
        time.sleep(0.05)


def in_background(call) -> tuple[threading.Thread, dict]:
    """``call()`` started on a thread; its return value lands in the dict under ``reply``."""
    box: dict = {}
    thread = threading.Thread(target=lambda: box.setdefault("reply", call()))
    thread.start()
    return thread, box


def reset(sock: socket.socket) -> None:
    """Close with a TCP reset, as a client that crashes or is killed does."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


# -- the query time limit --------------------------------------------------------------------
def test_a_slow_query_is_cut_with_503_its_worker_killed_and_others_go_on(serve):
    server = serve("--query-timeout", "2", "--workers", "2")
    before = server.wait_workers(2)
    thread, slow = in_background(lambda: server.sparql(CROSS))
    time.sleep(0.5)
    status, _, body = server.sparql(QUICK)
    assert status == 200 and b'"boolean":true' in body
    assert thread.is_alive(), "the quick query should be answered while the slow one still runs"
    thread.join(30)
    status, _, body = slow["reply"]
    assert status == 503
    assert b"did not finish within 2 s" in body and b"--query-timeout" in body
    after = server.wait_workers(2)
    gone = before - after
    assert len(gone) == 1 and not any(Path(f"/proc/{pid}").exists() for pid in gone)  # killed, not left to run
    assert server.sparql(QUICK)[0] == 200


def test_a_client_that_hangs_up_has_its_query_stopped_before_the_limit(serve):
    server = serve("--query-timeout", "120", "--workers", "2")
    before = server.wait_workers(2)
    query = urllib.parse.urlencode({"query": CROSS})
    sock = raw(server.port, f"GET /sparql?{query} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n\r\n".encode())
    time.sleep(1.0)
    sock.close()
    wait_until(lambda: server.workers() & before != before, 20, "the abandoned query is still running")  # << 120 s
    assert server.wait_workers(2) != before
    assert server.sparql(QUICK)[0] == 200


def test_a_dead_worker_is_replaced_and_nobody_notices(serve):
    server = serve("--workers", "2")
    before = server.wait_workers(2)
    victim = min(before)
    os.kill(victim, signal.SIGKILL)
    wait_until(lambda: _state(victim) in ("Z", "gone"), 10, "the worker outlived SIGKILL")  # a zombie until reaped
    statuses = [server.sparql(QUICK)[0] for _ in range(10)]
    assert statuses == [200] * 10
    after = server.wait_workers(2)
    assert victim not in after and len(after) == 2


def test_a_request_queued_behind_a_slow_query_gets_the_fresh_worker(serve):
    server = serve("--query-timeout", "3", "--workers", "1")
    before = server.wait_workers(1)
    thread, slow = in_background(lambda: server.sparql(CROSS))
    time.sleep(1.5)  # queued 1.5 s before the cut: its own 3 s leave time to start the fresh worker
    status, _, body = http("GET", f"{server.url}api/query?query=mediators-increasing&target=RANKL")
    thread.join(30)
    assert slow["reply"][0] == 503
    assert status == 200 and b'"rows"' in body  # the canned query waited for the only worker, within its limit
    assert server.wait_workers(1) != before


def test_workers_do_not_outlive_a_killed_server(serve):
    server = serve("--query-timeout", "120")
    workers = server.wait_workers(2)
    query = urllib.parse.urlencode({"query": CROSS})
    sock = raw(server.port, f"GET /sparql?{query} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n\r\n".encode())
    time.sleep(0.5)  # one worker busy with the runaway query, one idle
    os.kill(server.proc.pid, signal.SIGKILL)
    server.proc.wait(10)
    wait_until(lambda: all(_state(pid) in ("Z", "gone") for pid in workers), 10, "a worker outlived the server")
    sock.close()

# -- connections --------------------------------------------------------------------------
def test_slowloris_connections_are_dropped_and_do_not_block_a_normal_client(serve):
    server = serve("--idle-timeout", "2")
    head = f"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n".encode()
    trickling = [raw(server.port, head) for _ in range(20)]
    silent = [socket.create_connection(("127.0.0.1", server.port), timeout=10) for _ in range(10)]
    open_ = set(trickling + silent)
    started = time.monotonic()
    while open_ and time.monotonic() - started < 12:
        assert server.sparql(QUICK, timeout=10)[0] == 200  # a normal client is served meanwhile
        for sock in list(open_):
            readable, _, _ = select.select([sock], [], [], 0)
            try:
                if readable and sock.recv(4096) == b"":
                    open_.discard(sock)
                elif sock in trickling:
                    sock.sendall(b"X-Slow: 1\r\n")  # a header line every half second: never finishes
            except OSError:
                open_.discard(sock)
        time.sleep(0.5)
    for sock in trickling + silent:
        sock.close()
    assert not open_, f"{len(open_)} of 30 half-sent or idle connections still held after 12 s"


def test_the_host_header_must_name_this_server(serve):
    server = serve()
    cases = {"127.0.0.1:{port}": 200, "localhost:{port}": 200, "127.0.0.1": 200, "LOCALHOST:{port}": 200,
             "rebind.example.com:{port}": 403, "rebind.example.com": 403, "127.0.0.1.evil.example:{port}": 403,
             "127.0.0.1:1{port}": 403}
    for host, status in cases.items():
        conn = HTTPConnection("127.0.0.1", server.port, timeout=10)
        conn.putrequest("GET", "/sparql?query=ASK%7B%7D", skip_host=True)
        conn.putheader("Host", host.format(port=server.port))
        conn.endheaders()
        response = conn.getresponse()
        body = response.read()
        conn.close()
        assert response.status == status, host
        assert (b"Host header" in body) == (status == 403)


def test_error_bodies_never_echo_a_large_input(serve):
    server = serve()
    huge = "x" * 900_000
    cases = [
        http("POST", f"{server.url}sparql", urllib.parse.urlencode({"query": "ASK {}", "format": huge}).encode(), FORM),
        http("POST", f"{server.url}sparql", urllib.parse.urlencode({"query": "ASK {}", "default-graph-uri": huge}).encode(), FORM),
        http("GET", f"{server.url}sparql?query=ASK%7B%7D", headers={"Accept": "image/png;" + "q=1;" * 6000}),
        http("POST", f"{server.url}sparql", huge.encode(), {"Content-Type": "text/" + "y" * 30_000}),
        http("GET", f"{server.url}api/query?" + urllib.parse.urlencode({"query": "entity", "name": "z" * 50_000})),
        http("GET", f"{server.url}api/query?" + urllib.parse.urlencode({"query": "entities", "w" * 50_000: "1"})),
        http("GET", f"{server.url}{'n' * 60_000}"),
    ]
    for status, _, body in cases:
        assert 400 <= status < 500
        assert len(body) < 3000, body[:200]


def test_a_client_that_hangs_up_leaves_no_traceback_in_the_log(serve):
    server = serve(quiet=False)
    port = server.port
    reset(raw(port, b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0"))  # gone mid-request
    construct = urllib.parse.urlencode({"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"})
    for _ in range(3):  # gone while the (1 MB) answer is written
        sock = raw(port, f"GET /sparql?{construct} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/turtle\r\n\r\n".encode())
        sock.recv(100)
        reset(sock)
    query = urllib.parse.urlencode({"query": CROSS})
    sock = raw(port, f"GET /sparql?{query} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
    time.sleep(0.5)
    reset(sock)  # gone while its query runs
    time.sleep(1.0)
    assert server.sparql(QUICK)[0] == 200
    stop(server.proc)
    log = server.proc.stderr.read()
    assert "Traceback" not in log and "Error" not in log.replace("connection closed", "")
    assert '"GET /sparql?query=ASK' in log and " 200 " in log


def test_a_query_that_outgrows_its_memory_costs_a_worker_not_the_server(serve):
    server = serve("--query-timeout", "60", quiet=False)
    before = server.wait_workers(2)
    status, _, body = server.sparql("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?f")
    assert status == 500 and b"outgrew its memory" in body
    assert server.sparql(QUICK)[0] == 200
    assert len(before - server.wait_workers(2)) == 1
    stop(server.proc)
    log = server.proc.stderr.read()
    assert "memory allocation" not in log and "backtrace" not in log


# -- what no query may do ----------------------------------------------------------------------
def test_a_query_nested_10000_deep_is_refused_and_the_server_lives(serve):
    server = serve()
    nested = "SELECT * WHERE { FILTER(" + "(" * 10_000 + "1" + ")" * 10_000 + ") }"
    status, _, body = http("POST", f"{server.url}sparql", urllib.parse.urlencode({"query": nested}).encode(), FORM)
    assert status == 400 and b"nests brackets more than" in body and len(body) < 1000
    status, _, body = http("POST", f"{server.url}sparql", ("ASK {} #" + "x" * 300_000).encode(),
                           {"Content-Type": "application/sparql-query"})
    assert status == 400 and b"bytes, more than" in body and len(body) < 1000
    assert server.proc.poll() is None and server.sparql(QUICK)[0] == 200


def test_service_is_refused_and_nothing_is_contacted(serve):
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    target = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
    server = serve()
    queries = [f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
               f"SELECT * WHERE {{ service silent <{target}> {{ ?s ?p ?o }} }}",
               f"ASK {{ ?s ?p ?o . SERVICE <{target}> {{ ?s ?p ?o }} }}"]
    for query in queries:
        status, _, body = server.sparql(query)
        assert status == 400 and b"SERVICE" in body, query
        assert b"allow-service" not in body and b"never federates" in body, body  # no command-line advice here
    contacted = 0
    deadline = time.monotonic() + 1.0
    while time.monotonic() < deadline:
        try:
            listener.accept()[0].close()
            contacted += 1
        except TimeoutError:
            pass
    listener.close()
    assert contacted == 0


def test_a_query_worker_cannot_reach_the_network_even_past_the_guard():
    """The second wall: SERVICE handed straight to a worker (as if the guard had missed it) connects nowhere."""
    from t2dm_onto.serve.protocol import Request
    from t2dm_onto.serve.worker import QueryPool

    if not sys.platform.startswith("linux") or os.uname().machine not in ("x86_64", "aarch64"):
        pytest.skip("the network sandbox is for Linux on x86-64 and AArch64")
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(1.0)
    port = listener.getsockname()[1]
    pool = QueryPool(b"<http://e.org/s> <http://e.org/p> <http://e.org/o> <http://e.org/g> .\n", workers=1)
    try:
        query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
        response = pool.run("answer", Request(query, [], []), None)
        assert pool.run("answer", Request("ASK { ?s ?p ?o }", [], []), None).body.endswith(b"true}")
    finally:
        pool.close()
    assert response.status == 500 and b"Permission denied" in response.body
    with pytest.raises(TimeoutError):
        listener.accept()
    listener.close()
