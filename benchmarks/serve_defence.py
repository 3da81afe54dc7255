"""How `t2dm-onto serve` holds up under hostile load, on loopback: prints a table of times.

- how long a runaway query (a three-way cross product) runs before it is cut with 503;
- the latency of a normal query alone, beside a runaway query, and while
  ``--slowloris`` connections trickle half-sent requests, and how long the
  server takes to drop those connections;
- how long a request queued behind a runaway query waits with one worker, and
  how long a killed query worker takes to be replaced.

    python benchmarks/serve_defence.py --query-timeout 2 --idle-timeout 2 --slowloris 30
"""

from __future__ import annotations

import argparse
import select
import socket
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serve_load import start_server  # a sibling script

CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
QUICK = "ASK { <https://w3id.org/t2dm-onto/ROS> <https://w3id.org/t2dm-onto/increases> <https://w3id.org/t2dm-onto/RANKL> }"


def timed(base: str, query: str) -> tuple[int, float]:
    """(HTTP status, seconds) of one SPARQL GET."""
    started = time.perf_counter()
    url = f"{base}sparql?{urllib.parse.urlencode({'query': query})}"
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as err:
        status = err.code
    return status, time.perf_counter() - started


def latencies(base: str, n: int) -> list[float]:
    out = []
    for _ in range(n):
        status, seconds = timed(base, QUICK)
        if status != 200:
            raise RuntimeError(f"a normal query got HTTP {status}")
        out.append(seconds)
    return out


def beside_runaway(base: str, n: int) -> tuple[float, list[float]]:
    """Seconds until the runaway query's 503, and normal-query latencies measured while it ran."""
    cut: list[tuple[int, float]] = []
    thread = threading.Thread(target=lambda: cut.append(timed(base, CROSS)))
    thread.start()
    time.sleep(0.2)
    normal = latencies(base, n)
    thread.join()
    if cut[0][0] != 503:
        raise RuntimeError(f"the runaway query got HTTP {cut[0][0]}, not 503")
    return cut[0][1], normal


def beside_slowloris(base: str, count: int, n: int, limit: float = 60.0) -> tuple[list[float], float]:
    """Normal-query latencies while ``count`` connections trickle a request head, and seconds until all are dropped."""
    port = urllib.parse.urlsplit(base).port
    head = f"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n".encode()
    held = []
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        sock.sendall(head)
        held.append(sock)
    started = time.monotonic()
    normal: list[float] = []
    open_ = set(held)
    while open_ and time.monotonic() - started < limit:
        if len(normal) < n:
            normal.extend(latencies(base, 1))
        for sock in list(open_):
            try:
                if select.select([sock], [], [], 0)[0] and sock.recv(4096) == b"":
                    open_.discard(sock)
                else:
                    sock.sendall(b"X-Slow: 1\r\n")
            except OSError:
                open_.discard(sock)
        time.sleep(0.05)
    dropped = time.monotonic() - started
    for sock in held:
        sock.close()
    if open_:
        raise RuntimeError(f"{len(open_)} slowloris connections still held after {limit:g} s")
    return normal, dropped


def respawn_seconds(n: int = 5) -> list[float]:
    """Seconds from killing a query worker to its replacement being ready (in this process)."""
    from t2dm_onto import KnowledgeBase
    from t2dm_onto.serve.app import nquads
    from t2dm_onto.serve.worker import QueryPool

    pool = QueryPool(nquads(KnowledgeBase())[0], workers=1)
    try:
        out = []
        for _ in range(n):
            worker = pool._idle.get()
            started = time.perf_counter()
            pool._replace(worker)
            pool._idle.put(pool._idle.get(timeout=120))
            out.append(time.perf_counter() - started)
        return out
    finally:
        pool.close()


def ms(values: list[float]) -> str:
    ordered = sorted(values)
    return (f"p50 {1000 * statistics.median(ordered):7.1f} ms   "
            f"max {1000 * ordered[-1]:7.1f} ms   (n={len(values)})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--query-timeout", type=float, default=2.0)
    ap.add_argument("--idle-timeout", type=float, default=2.0)
    ap.add_argument("--slowloris", type=int, default=30)
    ap.add_argument("-n", type=int, default=50, help="normal queries per measurement")
    args = ap.parse_args()
    options = ["--query-timeout", f"{args.query_timeout:g}", "--idle-timeout", f"{args.idle_timeout:g}"]
    proc, base = start_server(*options)
    try:
        latencies(base, 5)  # warm up
        alone = latencies(base, args.n)
        cut, beside = beside_runaway(base, args.n)
        loris, dropped = beside_slowloris(base, args.slowloris, args.n)
    finally:
        proc.terminate()
        proc.wait(30)
    proc, base = start_server(*options, "--workers", "1")
    try:
        latencies(base, 5)
        thread = threading.Thread(target=timed, args=(base, CROSS))
        thread.start()
        time.sleep(0.2)
        queued = timed(base, QUICK)
        thread.join()
    finally:
        proc.terminate()
        proc.wait(30)
    print(f"t2dm-onto serve {' '.join(options)} (2 workers), {args.slowloris} slowloris connections")
    print(f"{'normal query, alone':<44} {ms(alone)}")
    print(f"{'normal query, beside a runaway query':<44} {ms(beside)}")
    print(f"{f'normal query, {args.slowloris} slowloris held':<44} {ms(loris)}")
    print(f"{'runaway query cut with 503 after':<44} {cut:7.2f} s")
    print(f"{'slowloris connections all dropped after':<44} {dropped:7.2f} s")
    print(f"{'1 worker: request queued behind a runaway':<44} {queued[1]:7.2f} s (HTTP {queued[0]})")
    print(f"{'a killed worker replaced after':<44} {ms(respawn_seconds())}")


if __name__ == "__main__":
    main()
