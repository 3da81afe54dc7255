"""Measure how the toolkit's cost grows with the knowledge base: load, memory, queries, validation, cold CLI.

Usage:
  python benchmarks/run.py --sizes 1000,100000 [--stores oxigraph,rdflib,oxigraph-server]
                           [--repeat 5] [--rdflib-timeout 30] [--json FILE] [--workdir DIR]

For each size (claims in all; ``review`` is the shipped knowledge base, 368
claims) the knowledge base is generated once by ``benchmarks/synthetic.py``
(cached in --workdir) and, for each store, loaded in a fresh worker process
that reports:

- ``load_ms``: parsing and loading the file, plus building the entity index;
- ``peak_rss_mb``: the peak resident memory of the process holding the data
  (the worker for embedded stores, the server for ``oxigraph-server``);
- per canned query (the catalogue's example arguments, plus the transitive
  variants of the mediator queries): ``median_ms`` of --repeat runs through the
  toolkit (``KnowledgeBase.query``: name resolution, binding, query, rows as
  Python values), ``raw_median_ms`` of the same SPARQL text straight on the
  store (embedded Oxigraph only: ``Store.query`` and every solution's terms;
  not for an answer read from a prepared store's materialised answers,
  ``answered_from: summary``, or its chain index, ``chain-index``), ``rows``
  (a listing's page) and ``total`` (its whole answer), and ``status`` (``ok``,
  ``timeout`` or ``error: ...``); ``--queries`` measures only the cases named;
- ``cold_ms`` (``oxigraph-disk`` only): per case, a new ``t2dm-onto query ...
  --store-dir`` process from start to exit, median of --cold-runs (the first
  answer a user waits for at a terminal);
- ``cold_cli_ms``: a new ``t2dm-onto query mediators-increasing target=RANKL``
  process, median of three, the file given with ``--with`` (or ``--endpoint``).

Per size, the validation figures: SHACL with the shipped validator (pyshacl for
SHACL Core, SPARQL constraints on Oxigraph), SHACL compiled to SPARQL on
Oxigraph (``t2dm-onto validate --engine sparql``), the same for only the claims
changed since a validated base, and HermiT where the graph is small enough
(--reasoner-max).

Stores: ``oxigraph`` (embedded, the default), ``rdflib`` (each query cut off
after --rdflib-timeout seconds and reported as ``timeout``), ``oxigraph-server``
(PyPI's ``oxigraph serve-read-only`` started on 127.0.0.1 by this script and
stopped by PID when done).

JSON (--json): a list of rows, each with ``store`` and ``size``. Query rows
carry ``query``, ``median_ms`` (null unless ``status`` is ``ok``), ``raw_median_ms``,
``rows``, ``runs`` and ``status``; store rows carry ``load_ms``,
``peak_rss_mb``, ``triples`` and ``cold_cli_ms``; validation rows carry
``validation`` (the method), ``validate_ms``, ``findings`` and ``status``. The
first row describes the machine (``store`` and ``size`` null, ``machine``).
No time is asserted anywhere: this script only measures.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
STORES = ("oxigraph", "oxigraph-disk", "rdflib", "oxigraph-server")
REVIEW_CLAIMS = 368
#: Extra cases beyond each query's example: the chain variants the targets name.
VARIANTS: dict[str, tuple[str, dict[str, Any]]] = {
    "mediators-increasing transitive": ("mediators-increasing", {"transitive": True}),
    "mediators-decreasing transitive": ("mediators-decreasing", {"transitive": True}),
    "mediators-decreasing transitive consistent_context": ("mediators-decreasing",
                                                           {"transitive": True, "consistent_context": True}),
}
COLD_CLI = ["query", "mediators-increasing", "target=RANKL"]


class QueryTimeout(BaseException):
    """Raised by SIGALRM; a BaseException so that no ``except Exception`` in a store swallows it."""


def _alarm(*_args) -> None:
    raise QueryTimeout


# -- the cases ------------------------------------------------------------------
def cases() -> list[tuple[str, str, dict[str, Any]]]:
    """(label, canned query, arguments) for every measured query."""
    from t2dm_onto.catalog import Catalog

    out = []
    catalog = Catalog()
    for q in catalog:
        out.append((q.name, q.name, q.example_args()))
    for label, (name, extra) in VARIANTS.items():
        out.append((label, name, {**catalog.get(name).example_args(), **extra}))
    return out


def parse_sizes(text: str) -> list[int]:
    sizes = []
    for item in text.split(","):
        item = item.strip().lower().replace("_", "")
        if not item:
            continue
        if item == "review":
            sizes.append(REVIEW_CLAIMS)
        elif item.isdigit() and int(item) > 0:
            sizes.append(int(item))
        else:
            raise SystemExit(f"error: --sizes takes claim counts such as 1000,100000 or 'review', not {item!r}.")
    return sizes


def data_file(size: int, seed: int, workdir: Path) -> Path:
    """The generated knowledge base of ``size`` claims, made once and cached."""
    path = workdir / f"kb-{size}-seed{seed}.nt"
    if not path.exists():
        sys.path.insert(0, str(HERE))
        from synthetic import generate

        t0 = time.perf_counter()
        generate(path, size, seed)
        print(f"# generated {path.name} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return path


# -- worker: one store, one file, in its own process -------------------------------
def _timed_runs(fn, repeat: int, budget_s: float) -> tuple[list[float], Any]:
    """Run ``fn`` up to ``repeat`` times (one at least), stopping once ``budget_s`` is spent."""
    times, result, spent = [], None, 0.0
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        dt = time.perf_counter() - t0
        times.append(dt * 1000)
        spent += dt
        if spent > budget_s:
            break
    return times, result


def _raw(store, text: str) -> int:
    n = 0
    for solution in store.query(text):
        tuple(solution)
        n += 1
    return n


def _materialised(kb, canned, args: dict[str, Any]) -> bool:
    """Whether the toolkit read this answer from the store's materialised answers (no SPARQL ran to time raw)."""
    from t2dm_onto import summaries

    bindings = kb.bindings(canned, {k: v for k, v in args.items() if k not in ("limit", "offset")})
    given = {k: bindings[k].value for k, v in args.items() if k in bindings and v not in (None, "") and bindings[k]}
    folder = getattr(kb.backend, "summaries", None)
    return (folder is not None and summaries.materialised_for(canned, given)
            and summaries.lookup(folder, kb.backend.data_hash, canned, "en", given) is not None)


def _from_chain_index(kb, canned, args: dict[str, Any]) -> bool:
    """Whether the toolkit answered from a prepared store's chain index (no SPARQL ran to time raw)."""
    from t2dm_onto import chain_index

    return chain_index.answer(kb.backend, canned, kb.bindings(canned, args)) is not None


def _emit(event: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


def worker(spec: dict[str, Any]) -> None:
    """Load ``spec['file']`` into ``spec['store']`` and time every case, printing one JSON line per event.

    Lines: ``{"event": "loaded", ...}``, one ``{"event": "query", ...}`` per case (in
    :func:`cases` order, skipping ``spec['skip']``), then ``{"event": "done", ...}``.
    A line per query lets the parent keep what finished when it has to stop a query.
    """
    from t2dm_onto import KnowledgeBase
    from t2dm_onto.terms import with_values

    store, timeout = spec["store"], spec["timeout"]
    # loading (the entity index's query included) has its own limit, the parent's --load-timeout:
    # rdflib spends more than a query's cut-off on it at 10^5 claims
    loading = spec.get("load_timeout", 3600.0)
    t0 = time.perf_counter()
    if store == "oxigraph-server":
        kb = KnowledgeBase(endpoint=spec["endpoint"], timeout=loading)
    elif store == "oxigraph-disk":
        kb = KnowledgeBase(location=spec["location"], timeout=loading)
    else:
        kb = KnowledgeBase(store, ontology=spec["file"], timeout=loading)
    _ = kb.entities
    kb.backend.timeout = timeout  # then each query's own cut-off
    _emit({"event": "loaded", "load_ms": (time.perf_counter() - t0) * 1000, "triples": kb.backend.triples()})
    signal.signal(signal.SIGALRM, _alarm)
    skip = set(spec.get("skip", ()))
    for label, name, args in cases():
        if label in skip:
            continue
        row: dict[str, Any] = {"event": "query", "query": label, "median_ms": None, "raw_median_ms": None,
                               "rows": None, "runs": 0}
        try:
            signal.alarm(int(timeout) if store != "oxigraph-server" else 0)
            times, result = _timed_runs(lambda n=name, a=args: kb.query(n, **a), spec["repeat"], spec["budget"])
            signal.alarm(0)
            row.update(median_ms=statistics.median(times), rows=len(result), runs=len(times), status="ok",
                       total=result.total)
            canned = kb.catalog.get(name)
            row["answered_from"] = "summary" if _materialised(kb, canned, args) else "sparql"
            if row["answered_from"] == "sparql" and _from_chain_index(kb, canned, args):
                row["answered_from"] = "chain-index"
            if store in ("oxigraph", "oxigraph-disk") and row["answered_from"] == "sparql":
                text = with_values(canned.sparql, kb.bindings(canned, args))
                raw, _n = _timed_runs(lambda t=text: _raw(kb.backend.store, t), spec["repeat"], spec["budget"])
                row["raw_median_ms"] = statistics.median(raw)
        except QueryTimeout:
            row["status"] = "timeout"
        except Exception as exc:  # the backend wraps timeouts and failures in its own errors
            text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            row["status"] = "timeout" if "did not answer" in text or "timed out" in text else f"error: {text[:200]}"
        finally:
            signal.alarm(0)
        _emit(row)
    _emit({"event": "done", "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})


def _pump(proc: subprocess.Popen, lines) -> None:
    """Copy a worker's output lines to a queue, then ``None`` when it ends."""
    for line in proc.stdout:
        lines.put(line)
    lines.put(None)


def run_worker(spec: dict[str, Any], load_timeout: float, query_timeout: float) -> dict[str, Any]:
    """Run :func:`worker` in fresh interpreters; a query silent for ``query_timeout`` s is stopped.

    A store busy inside one query (building a hash join, say) cannot be interrupted
    from Python, so the worker is killed, the query reported as ``timeout`` and a
    new worker started for the remaining cases. Peak memory is the highest of the
    workers'.
    """
    import queue
    import threading

    out: dict[str, Any] = {"queries": [], "peak_rss_mb": None}
    done: set[str] = set(spec.get("skip", ()))  # --queries leaves the others out
    labels = [label for label, _n, _a in cases()]
    while len(done) < len(labels):
        cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", json.dumps({**spec, "skip": sorted(done)})]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        lines: queue.Queue = queue.Queue()
        threading.Thread(target=_pump, args=(proc, lines), daemon=True).start()
        wait, loaded = load_timeout, False
        try:
            while True:
                try:
                    line = lines.get(timeout=wait)
                except queue.Empty:
                    pending = next(label for label in labels if label not in done)
                    if not loaded:
                        out["error"] = f"loading did not finish within {load_timeout:g} s"
                        return out
                    out["queries"].append({"query": pending, "median_ms": None, "raw_median_ms": None, "rows": None,
                                           "runs": 0, "status": "timeout"})
                    done.add(pending)
                    break
                if line is None:  # the worker ended
                    if len(done) < len(labels):
                        err = (proc.stderr.read().strip().splitlines() or ["no message"])[-1][:300]
                        out["error"] = f"the worker stopped: {err}"
                        return out
                    break
                event = json.loads(line)
                kind = event.pop("event")
                if kind == "loaded":
                    loaded, wait = True, query_timeout
                    out.setdefault("load_ms", event["load_ms"])
                    out.setdefault("triples", event["triples"])
                elif kind == "query":
                    out["queries"].append(event)
                    done.add(event["query"])
                elif kind == "done":
                    out["peak_rss_mb"] = max(out["peak_rss_mb"] or 0, event["peak_rss_mb"])
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
    out["queries"].sort(key=lambda q: labels.index(q["query"]))
    return out


# -- the Oxigraph server -----------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _oxigraph_cli() -> str | None:
    here = Path(sys.executable).parent / "oxigraph"
    return str(here) if here.exists() else shutil.which("oxigraph")


@contextlib.contextmanager
def oxigraph_server(path: Path, workdir: Path) -> Iterator[tuple[str, float, subprocess.Popen]]:
    """Load ``path`` into a fresh on-disk store, serve it read-only on 127.0.0.1, stop it by PID after."""
    cli = _oxigraph_cli()
    if cli is None:
        raise RuntimeError("the Oxigraph server is not installed: pip install oxigraph")
    location = Path(tempfile.mkdtemp(prefix="oxigraph-", dir=workdir))
    try:
        t0 = time.perf_counter()
        subprocess.run([cli, "load", "--location", str(location), "--file", str(path)],
                       check=True, capture_output=True)
        load_ms = (time.perf_counter() - t0) * 1000
        port = _free_port()
        proc = subprocess.Popen([cli, "serve-read-only", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}/query"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=2).read()
                    break
                except OSError:
                    if time.monotonic() > deadline or proc.poll() is not None:
                        raise RuntimeError("the Oxigraph server did not start") from None
                    time.sleep(0.2)
            yield url, load_ms, proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    finally:
        shutil.rmtree(location, ignore_errors=True)


def _peak_rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


# -- cold CLI ------------------------------------------------------------------------
def cold_cli(extra: list[str], runs: int = 3, timeout: float = 120.0) -> float | str:
    """Median wall time of a new ``t2dm-onto`` process answering one query, or ``"timeout"``/``"error"``."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        try:
            proc = subprocess.run([sys.executable, "-m", "t2dm_onto", *COLD_CLI, *extra],
                                  capture_output=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return "timeout"
        if proc.returncode != 0:
            return "error"
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def cli_args(args: dict[str, Any]) -> list[str]:
    """A case's arguments as the CLI takes them (``key=value``, booleans as true/false)."""
    return [f"{k}={str(v).lower() if isinstance(v, bool) else v}" for k, v in args.items()]


def cold_cases(location: Path, runs: int, timeout: float, skip: set[str]) -> dict[str, float | str]:
    """Per case: the median wall time of a new ``t2dm-onto query ... --store-dir`` process, start to exit.

    This is what a user at a terminal waits for the first answer: the interpreter, the
    imports, opening the prepared store, the query (or its materialised answer or the
    chain index, read from disk) and printing the page. ``"timeout"`` or ``"error"``
    when a run does not finish in ``timeout`` seconds or fails.
    """
    out: dict[str, float | str] = {}
    for label, name, args in cases():
        if label in skip:
            continue
        cmd = [sys.executable, "-m", "t2dm_onto", "query", name, *cli_args(args), "--store-dir", str(location),
               "-f", "json", "--timeout", str(int(timeout))]
        times: list[float] = []
        for _ in range(runs):
            t0 = time.perf_counter()
            try:
                proc = subprocess.run(cmd, capture_output=True, timeout=timeout + 30)
            except subprocess.TimeoutExpired:
                out[label] = "timeout"
                break
            if proc.returncode != 0:
                text = proc.stderr.decode("utf-8", "replace")
                out[label] = "timeout" if "did not finish" in text else "error"
                break
            times.append((time.perf_counter() - t0) * 1000)
        else:
            out[label] = statistics.median(times)
    return out


# -- validation ----------------------------------------------------------------------
def validation_rows(size: int, path: Path, args: argparse.Namespace) -> list[dict[str, Any]]:
    """Time each validation method on ``path`` in a worker process (each with a wall-clock cut-off)."""
    rows = []
    methods = ["sparql", "sparql-incremental"]
    if size <= args.pyshacl_max:
        methods.append("pyshacl")
    if size <= args.reasoner_max:
        methods.append("hermit")
    location, _ms = prepared_store(path, Path(args.workdir), args.summary_timeout)
    for method in methods:
        spec = {"validate": method, "file": str(path), "location": str(location)}
        cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", json.dumps(spec)]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=args.validate_timeout)
            result = json.loads(proc.stdout) if proc.returncode == 0 else {
                "status": "error: " + (proc.stderr.strip().splitlines() or ["?"])[-1][:200]}
        except subprocess.TimeoutExpired:
            result = {"status": "timeout"}
        rows.append({"store": "oxigraph" if method.startswith("sparql") else method, "size": size,
                     "validation": method, **result})
    return rows


def validation_worker(spec: dict[str, Any]) -> dict[str, Any]:
    """One validation method on one file; the figures of :func:`validation_rows`."""
    from t2dm_onto.resources import data_path

    path = Path(spec["file"])
    shapes = data_path("shapes", "t2dm_op.shapes.ttl")
    method = spec["validate"]
    if method in ("sparql", "sparql-incremental"):
        import pyoxigraph as ox

        from t2dm_onto.validate.bulk import changed_claims_focus, run_bulk_shacl

        # the prepared on-disk store: a 10^6-claim graph does not fit in memory twice over
        t0 = time.perf_counter()
        store = ox.Store.read_only(spec["location"])
        load_ms = (time.perf_counter() - t0) * 1000
        if method == "sparql":
            t0 = time.perf_counter()
            findings = run_bulk_shacl(store, shapes)
        else:
            focus = changed_claims_focus(store, changed=100)
            t0 = time.perf_counter()
            findings = run_bulk_shacl(store, shapes, focus)
        ms = (time.perf_counter() - t0) * 1000
        return {"validate_ms": ms, "load_ms": load_ms, "findings": len(findings), "status": "ok"}
    import rdflib

    t0 = time.perf_counter()
    graph = rdflib.Graph().parse(path, format="nt" if path.suffix == ".nt" else "turtle")
    load_ms = (time.perf_counter() - t0) * 1000
    if method == "pyshacl":
        from t2dm_onto.validate.shacl import run_shacl

        t0 = time.perf_counter()
        findings = run_shacl(graph, shapes)
    else:
        from t2dm_onto.validate.reasoner import java_available, run_reasoner

        if not java_available():
            return {"status": "skipped: no Java"}
        # as `t2dm-onto validate` does: an import with no local copy is dropped, never fetched
        graph.remove((None, rdflib.OWL.imports, None))
        t0 = time.perf_counter()
        findings = run_reasoner(graph.serialize(format="nt", encoding="utf-8"), timeout=3600)
    ms = (time.perf_counter() - t0) * 1000
    return {"validate_ms": ms, "load_ms": load_ms, "findings": len(findings), "status": "ok"}


def prepared_store(path: Path, workdir: Path, summary_timeout: float = 120.0) -> tuple[Path, float | None]:
    """The on-disk store of ``path`` (``t2dm-onto prepare``, with its materialised answers), built once per file.

    Returns (location, build ms). A cached store from before materialised answers, or whose materialised
    answers or chain index are of another format than this toolkit reads (they would be ignored and the
    queries timed on SPARQL), is rebuilt.
    """
    from t2dm_onto.prepare import prepare
    from t2dm_onto.store.disk import PREPARED_MARK

    location = workdir / f"{path.stem}.store"
    if (location / PREPARED_MARK).is_file():
        mark = json.loads((location / PREPARED_MARK).read_text(encoding="utf-8"))
        if "summaries" in mark and _summaries_readable(location) and _chains_readable(location, mark.get("data")):
            return location, mark["seconds"] * 1000
    t0 = time.perf_counter()
    prepare(location, [path], summary_timeout=summary_timeout)
    return location, (time.perf_counter() - t0) * 1000


def _summaries_readable(location: Path) -> bool:
    """Whether every materialised answer in a cached store is of the format this toolkit reads."""
    from t2dm_onto import summaries

    for head in (location / summaries.FOLDER).glob("*.json"):
        try:
            if json.loads(head.read_text(encoding="utf-8")).get("format") != summaries.FORMAT:
                return False
        except (OSError, ValueError, AttributeError):
            return False
    return True


def _chains_readable(location: Path, data: str | None) -> bool:
    """Whether a cached store's chain index is one this toolkit reads (its format, rule and data)."""
    from t2dm_onto import chain_index

    return chain_index.load(location, data) is not None


# -- the run ---------------------------------------------------------------------------
def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = None
    with contextlib.suppress(OSError, ValueError, IndexError):
        mem = round(int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024, 1)
    import pyoxigraph

    versions = {"python": platform.python_version(), "pyoxigraph": pyoxigraph.__version__}
    with contextlib.suppress(ImportError):
        import rdflib

        versions["rdflib"] = rdflib.__version__
    with contextlib.suppress(ImportError):
        import pyshacl

        versions["pyshacl"] = pyshacl.__version__
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": mem, "os": platform.platform(), **versions,
            "load_average": os.getloadavg()[0]}


def measure(args: argparse.Namespace) -> list[dict[str, Any]]:
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, Any]] = [{"store": None, "size": None, "machine": machine(),
                                   "settings": {"rdflib_timeout_s": args.rdflib_timeout,
                                                "query_timeout_s": args.query_timeout,
                                                "repeat": args.repeat, "seed": args.seed}}]
    for size in args.sizes:
        path = data_file(size, args.seed, workdir)
        for store in args.stores:
            spec = {"store": store, "file": str(path), "repeat": args.repeat, "budget": args.budget,
                    "load_timeout": args.load_timeout,
                    "timeout": args.rdflib_timeout if store == "rdflib" else args.query_timeout,
                    "skip": [label for label, _n, _a in cases() if args.queries and label not in args.queries]}
            peak = None
            if store == "oxigraph-server":
                try:
                    with oxigraph_server(path, workdir) as (url, server_load_ms, proc):
                        spec["endpoint"] = url
                        result = run_worker(spec, args.load_timeout, 2 * (args.query_timeout + args.budget))
                        cold = cold_cli(["--endpoint", url, "--timeout", str(int(args.cold_timeout))],
                                        runs=3 if size <= 10000 else 1, timeout=args.cold_timeout)
                        peak = _peak_rss_mb(proc.pid)
                        result["load_ms"] = server_load_ms + result.get("load_ms", 0)
                except (RuntimeError, subprocess.CalledProcessError) as exc:
                    result, cold = {"error": str(exc)}, "error"
            elif store == "oxigraph-disk":
                location, prepare_ms = prepared_store(path, workdir, args.summary_timeout)
                spec["location"] = str(location)
                result = run_worker(spec, args.load_timeout, 2 * (args.query_timeout + args.budget))
                result["prepare_ms"] = prepare_ms
                cold = cold_cli(["--store-dir", str(location)], timeout=args.cold_timeout)
                firsts = cold_cases(location, args.cold_runs, args.cold_timeout, set(spec["skip"]))
                for q in result.get("queries", []):
                    q["cold_ms"] = firsts.get(q["query"])
                peak = result.get("peak_rss_mb")
            else:
                timeout = args.rdflib_timeout if store == "rdflib" else args.query_timeout
                result = run_worker(spec, args.load_timeout, 2 * (timeout + args.budget))
                extra = [] if size == REVIEW_CLAIMS else ["--with", str(path)]
                cold = cold_cli(extra + (["--store", "rdflib"] if store == "rdflib" else [])
                                + ["--timeout", str(int(args.cold_timeout))],
                                runs=3 if size <= 10000 else 1, timeout=args.cold_timeout)
                peak = result.get("peak_rss_mb")
            rows.append({"store": store, "size": size, "load_ms": result.get("load_ms"), "peak_rss_mb": peak,
                         "triples": result.get("triples"), "cold_cli_ms": cold, "prepare_ms": result.get("prepare_ms"),
                         "status": result.get("error", "ok")})
            for q in result.get("queries", []):
                rows.append({"store": store, "size": size, **q})
            if "error" in result:
                measured = {q["query"] for q in result.get("queries", [])}
                for label, _name, _args in cases():
                    if label not in measured and label not in spec["skip"]:
                        rows.append({"store": store, "size": size, "query": label, "median_ms": None,
                                     "raw_median_ms": None, "rows": None, "runs": 0,
                                     "status": "error: " + result["error"]})
            print_store(rows, store, size)
            save(rows, args.json)
        if not args.no_validate:
            vrows = validation_rows(size, path, args)
            rows += vrows
            save(rows, args.json)
            for v in vrows:
                ms = v.get("validate_ms")
                shown = v.get("status") if ms is None else f"{ms:.0f} ms, {v.get('findings')} finding(s)"
                print(f"validate {v['validation']:<20} size {size:>8}: {shown}")
    return rows


def save(rows: list[dict[str, Any]], path: str | None) -> None:
    """Write the rows so far (after each store and size), so that a long run that is stopped keeps its results."""
    if path:
        from t2dm_onto.outputs import atomic_write

        atomic_write(path, json.dumps(rows, indent=1, ensure_ascii=False) + "\n")


def _fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "-"
    if isinstance(value, int):
        return f"{value}{unit}"
    if isinstance(value, float):
        return f"{value:.1f}{unit}" if value < 100 else f"{value:.0f}{unit}"
    return str(value)


def print_store(rows: list[dict[str, Any]], store: str, size: int) -> None:
    head = next(r for r in rows if r.get("store") == store and r.get("size") == size and "load_ms" in r)
    print(f"\n## {store}, {size} claims: {head['triples']} triples, load {_fmt(head['load_ms'], ' ms')}, "
          f"peak RSS {_fmt(head['peak_rss_mb'], ' MB')}, cold CLI {_fmt(head['cold_cli_ms'], ' ms')}"
          + ("" if head["status"] == "ok" else f" ({head['status']})"))
    print(f"{'query':<34} {'rows':>7} {'median ms':>10} {'raw ms':>8}  status")
    for r in rows:
        if r.get("store") == store and r.get("size") == size and "query" in r:
            print(f"{r['query']:<34} {_fmt(r['rows']):>7} {_fmt(r['median_ms']):>10} {_fmt(r['raw_median_ms']):>8}  "
                  f"{r['status']}")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=parse_sizes, default=parse_sizes("review,1000"),
                    help="claim counts, comma-separated ('review' = the shipped 368)")
    ap.add_argument("--stores", default="oxigraph", help=f"comma-separated among {', '.join(STORES)}")
    ap.add_argument("--repeat", type=int, default=5, help="runs per query; the median is reported")
    ap.add_argument("--budget", type=float, default=10.0, help="stop repeating a query after this many seconds")
    ap.add_argument("--rdflib-timeout", type=float, default=30.0, help="seconds before an rdflib query is cut off")
    ap.add_argument("--query-timeout", type=float, default=300.0, help="the same for the other stores")
    ap.add_argument("--load-timeout", type=float, default=3600.0, help="wall-clock limit of loading one store")
    ap.add_argument("--cold-timeout", type=float, default=600.0, help="wall-clock limit of one cold CLI run")
    ap.add_argument("--cold-runs", type=int, default=3,
                    help="oxigraph-disk: fresh processes per case for its first-answer time (median)")
    ap.add_argument("--no-validate", action="store_true", help="skip the validation figures")
    ap.add_argument("--pyshacl-max", type=int, default=10000, help="largest size validated with pyshacl")
    ap.add_argument("--reasoner-max", type=int, default=10000, help="largest size given to HermiT")
    ap.add_argument("--validate-timeout", type=float, default=1800.0, help="wall-clock limit of one validation")
    ap.add_argument("--summary-timeout", type=float, default=120.0,
                    help="oxigraph-disk: leave out a materialised answer that takes longer (prepare --summary-timeout)")
    ap.add_argument("--queries", type=lambda t: [q.strip() for q in t.split(",") if q.strip()], default=[],
                    help="measure only these cases (comma-separated labels, e.g. 'causal-paths,"
                         "mediators-increasing transitive'); default all")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "t2dm-onto-bench"),
                    help="where generated knowledge bases are cached")
    ap.add_argument("--json", help="write the rows as JSON to this file")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        spec = json.loads(args.worker)
        if "validate" in spec:
            sys.stdout.write(json.dumps(validation_worker(spec)))
        else:
            worker(spec)
        return 0
    args.stores = [s.strip() for s in args.stores.split(",") if s.strip()]
    unknown = [s for s in args.stores if s not in STORES]
    if unknown:
        ap.error(f"unknown store(s) {', '.join(unknown)}: choose among {', '.join(STORES)}")
    info = machine()
    print(f"# {info['cpu']}, {info['cores']} cores, {info['memory_gb']} GB; Python {info['python']}, "
          f"pyoxigraph {info['pyoxigraph']}; load average {info['load_average']:.1f}")
    measure(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
