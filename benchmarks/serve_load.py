"""Load `t2dm-onto serve` with concurrent clients on loopback and report latency.

Starts the real server (``--port 0``), runs ``--clients`` threads for
``--seconds`` seconds, each looping over a mix of requests: canned queries
through ``/api/query``, raw SELECTs through ``/sparql`` (GET and POST), and
update attempts that must be refused. Prints a table of p50/p99 latency per kind
and the counts of errors and of accepted updates (both must be 0).

    python benchmarks/serve_load.py --clients 8 --seconds 20
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

UPDATE = "INSERT DATA { <http://example.org/s> <http://example.org/p> <http://example.org/o> }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
RANKL = ("PREFIX t2dm: <https://w3id.org/t2dm-onto/> "
         "SELECT ?x WHERE { ?x t2dm:increases t2dm:RANKL }")
CANNED = [("mediators-increasing", {"target": "RANKL"}), ("effects-of", {"source": "metformin"}),
          ("drug-bone-effects", {}), ("causal-paths", {"source": "hyperglycaemia", "target": "osteoclast"}),
          ("entity", {"name": "核因子κB受体活化因子配体"})]


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    updates_accepted: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float) -> None:
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds)


def _request(method: str, url: str, data: bytes | None = None, headers: dict[str, str] | None = None):
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def _client(base: str, deadline: float, tally: Tally, seed: int) -> None:
    i = seed
    while time.monotonic() < deadline:
        i += 1
        choice = i % 4
        t0 = time.perf_counter()
        try:
            if choice == 0:
                name, params = CANNED[i % len(CANNED)]
                status, body = _request("GET", f"{base}api/query?" + urllib.parse.urlencode({"query": name, **params}))
                kind, ok = "api/query", status == 200 and "rows" in json.loads(body)
            elif choice == 1:
                status, body = _request("GET", f"{base}sparql?" + urllib.parse.urlencode({"query": RANKL}),
                                        headers={"Accept": "application/sparql-results+json"})
                kind, ok = "sparql GET", status == 200 and json.loads(body)["results"]["bindings"]
            elif choice == 2:
                status, body = _request("POST", f"{base}sparql", urllib.parse.urlencode({"query": COUNT}).encode(),
                                        {"Content-Type": "application/x-www-form-urlencoded",
                                         "Accept": "text/csv"})
                kind, ok = "sparql POST", status == 200 and body.startswith(b"n")
            else:
                status, body = _request("POST", f"{base}sparql", urllib.parse.urlencode({"update": UPDATE}).encode(),
                                        {"Content-Type": "application/x-www-form-urlencoded"})
                kind, ok = "update (refused)", status == 403
                if 200 <= status < 300:
                    with tally.lock:
                        tally.updates_accepted += 1
        except Exception as exc:  # a load test records every failure instead of stopping
            kind, ok, status = "error", False, repr(exc)
        tally.add(kind, time.perf_counter() - t0)
        if not ok:
            with tally.lock:
                tally.errors.append(f"{kind}: {status}")


def start_server(*options: str) -> tuple[subprocess.Popen, str]:
    """``t2dm-onto serve --port 0 --quiet *options``; returns the process and its base URL."""
    proc = subprocess.Popen([sys.executable, "-m", "t2dm_onto", "serve", "--port", "0", "--quiet", *options],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        match = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
        if match:
            return proc, match.group(1)
        if not line and proc.poll() is not None:
            break
    proc.kill()
    raise RuntimeError("t2dm-onto serve did not start")


def run(clients: int, seconds: float, base: str | None = None) -> dict:
    """Run the load and return ``{"requests", "errors", "updates_accepted", "kinds": {kind: {n, p50_ms, p99_ms}}}``."""
    proc = None
    if base is None:
        proc, base = start_server()
    try:
        tally = Tally()
        deadline = time.monotonic() + seconds
        threads = [threading.Thread(target=_client, args=(base, deadline, tally, k * 7)) for k in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
    kinds = {}
    for kind, values in sorted(tally.latencies.items()):
        ordered = sorted(values)
        kinds[kind] = {"n": len(values), "p50_ms": 1000 * statistics.median(ordered),
                       "p99_ms": 1000 * ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]}
    return {"clients": clients, "seconds": seconds, "requests": sum(k["n"] for k in kinds.values()),
            "errors": tally.errors, "updates_accepted": tally.updates_accepted, "kinds": kinds}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--url", help="an already running server (default: start one)")
    args = ap.parse_args()
    out = run(args.clients, args.seconds, args.url)
    print(f"{args.clients} clients for {args.seconds:g} s: {out['requests']} requests "
          f"({out['requests'] / args.seconds:.0f}/s), {len(out['errors'])} errors, "
          f"{out['updates_accepted']} updates accepted")
    print(f"{'kind':<18} {'n':>6} {'p50 ms':>8} {'p99 ms':>8}")
    for kind, k in out["kinds"].items():
        print(f"{kind:<18} {k['n']:>6} {k['p50_ms']:>8.1f} {k['p99_ms']:>8.1f}")
    for err in out["errors"][:10]:
        print("error:", err)


if __name__ == "__main__":
    main()
