"""Queries run in worker processes that the server can kill: a query costs at most one worker, never the server.

Why processes and not threads: pyoxigraph cannot cancel a running query, so a
thread given up on keeps a core busy until the query ends (a three-way cross
product: hours); and some inputs crash the SPARQL engine's interpreter outright
(a 10,000-level nested FILTER overflows the parser's stack). A worker process
that overruns ``timeout`` is killed with SIGKILL and a fresh one started in the
background; one that dies is replaced the same way. The HTTP process only parses
requests and passes bytes along, so no query can take it down.

Each worker holds its own copy of the knowledge base (N-Quads, loaded in
milliseconds), so ``workers`` queries run at once and one slow query leaves the
others free. A request waits for a free worker within the same time limit. A
worker's address space is capped (:func:`memory_limit`): a query that would
materialise a cross product (200 MB/s here) fails alone instead of pushing the
machine into swap or the kernel's OOM killer. A worker may not open Internet
sockets (:mod:`.sandbox`): no query reaches out, whatever it says.

While a worker computes, the client's socket is watched too: a client that
closes its connection (end of file on the socket) has its query killed at once
rather than at the time limit.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import resource
import signal
import socket
import sys
import threading
import time
from multiprocessing.connection import Connection, wait
from typing import Any

from ..errors import BackendError
from .sandbox import deny_network

#: Seconds a new worker may take to start and load the knowledge base.
STARTUP_SECONDS = 120.0


def memory_limit(data: bytes) -> int:
    """Bytes of address space a worker may use: 1 GiB plus 20 times its data (the store and its indexes)."""
    return (1 << 30) + 20 * len(data)


class QueryTimeout(BackendError):
    """The query, or the wait for a free worker, overran the time limit (HTTP 503)."""


class WorkerCrashed(BackendError):
    """The worker died while answering (HTTP 500); it has been replaced."""


class ClientGone(ConnectionError):
    """The client closed its connection before the answer; its query was stopped."""


def _orphan_watch(parent: int) -> None:
    """End the worker, even mid-query, once the server is gone (killed with no chance to stop its workers)."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


def _serve(conn: Connection, data: bytes) -> None:
    """A worker's life: load the data, then answer jobs until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group: the server stops us
    deny_network()  # first, so that every thread of the worker inherits it
    threading.Thread(target=_orphan_watch, args=(os.getppid(),), daemon=True).start()  # pyoxigraph frees the GIL
    limit = memory_limit(data)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    # the engine's own dying words ("memory allocation failed", a Rust backtrace) would litter the
    # server's log; the server reports a worker's death to the client and restarts it
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    import pyoxigraph as ox

    from . import protocol

    store = ox.Store()
    store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
    conn.send("ready")
    jobs = {"answer": protocol.answer, "select": protocol.select}
    while True:
        try:
            kind, args = conn.recv()
            conn.send("started")  # the job is ours now: before this, the server may hand it to another worker
        except (EOFError, OSError):
            return
        try:
            reply: tuple[str, Any] = ("ok", jobs[kind](store, *args))
        except Exception as exc:  # handed to the server, which maps it to a reply
            reply = ("error", exc)
        conn.send(reply)


class _Worker:
    def __init__(self, context: Any, data: bytes) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, data), name="t2dm-query-worker", daemon=True)
        self.process.start()
        child.close()

    def wait_ready(self, timeout: float) -> bool:
        try:
            return self.conn.poll(timeout) and self.conn.recv() == "ready"
        except (EOFError, OSError):
            return False

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class QueryPool:
    """``workers`` query processes over one knowledge base; :meth:`run` bounds every job by ``timeout``."""

    def __init__(self, data: bytes, *, workers: int = 2, timeout: float = 5.0) -> None:
        self.timeout = timeout
        self.size = workers
        self._data = data
        self._context = multiprocessing.get_context("spawn")  # no fork of a threaded server
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        starting = [self._start() for _ in range(workers)]
        for worker in starting:
            if not worker.wait_ready(STARTUP_SECONDS):
                self.close()
                raise BackendError(f"a query worker did not start within {STARTUP_SECONDS:g} s.")
            self._idle.put(worker)

    def _start(self) -> _Worker:
        worker = _Worker(self._context, self._data)
        with self._lock:
            self._all.add(worker)
        return worker

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` and start another in the background; it joins the idle ones when ready."""
        with self._lock:
            self._all.discard(worker)
        worker.kill()
        threading.Thread(target=self._refill, name="t2dm-worker-start", daemon=True).start()

    def _refill(self) -> None:
        while not self._closed:
            worker = self._start()
            if worker.wait_ready(STARTUP_SECONDS):
                if self._closed:
                    worker.kill()
                else:
                    self._idle.put(worker)
                return
            sys.stderr.write("error: a query worker failed to start; trying again\n")
            with self._lock:
                self._all.discard(worker)
            worker.kill()
            time.sleep(1.0)

    def pids(self) -> list[int]:
        with self._lock:
            return sorted(w.process.pid for w in self._all if w.process.pid is not None)

    def run(self, kind: str, *args: Any, client: socket.socket | None = None) -> Any:
        """Run job ``kind`` (``answer`` or ``select``) on a free worker within the time limit.

        A worker found dead before it acknowledged the job (killed while idle, not
        yet noticed) never ran it, so the job goes to another worker; one that dies
        after acknowledging it is the query's doing (:class:`WorkerCrashed`).
        Raises :class:`QueryTimeout`, :class:`WorkerCrashed`, :class:`ClientGone`,
        or the error the job itself raised.
        """
        deadline = time.monotonic() + self.timeout
        for _attempt in range(self.size + 1):
            worker = self._acquire(deadline)
            if self._hand_over(worker, (kind, args), deadline):
                return self._await(worker, deadline, client)
        raise WorkerCrashed("no query worker could take the query; they are being restarted, try again.")

    def _hand_over(self, worker: _Worker, job: tuple[str, tuple[Any, ...]], deadline: float) -> bool:
        """Send ``job`` and wait for the worker's acknowledgement; False (worker replaced) if it was dead."""
        try:
            worker.conn.send(job)
            if not worker.conn.poll(max(deadline - time.monotonic(), 0.0)):
                self._replace(worker)
                raise QueryTimeout(f"the query worker did not take the query within {self.timeout:g} s; "
                                   "it is being restarted, try again.")
            if worker.conn.recv() == "started":
                return True
        except (EOFError, OSError, ValueError):
            pass
        self._replace(worker)
        return False

    def _await(self, worker: _Worker, deadline: float, client: socket.socket | None) -> Any:
        """The answer of the job ``worker`` acknowledged, within ``deadline``, watching ``client`` for a hang-up."""
        watched: list[Any] = [worker.conn] if client is None else [worker.conn, client]
        while True:
            left = deadline - time.monotonic()
            ready = wait(watched, left) if left > 0 else []
            if worker.conn in ready:
                try:
                    status, value = worker.conn.recv()
                except (EOFError, OSError):
                    self._replace(worker)
                    raise WorkerCrashed(f"the query crashed the query engine or outgrew its memory "
                                        f"({memory_limit(self._data) >> 20} MB); its worker process was restarted. "
                                        "Simplify the query or add a LIMIT.") from None
                self._idle.put(worker)
                if status == "error":
                    raise value
                return value
            if not ready:
                self._replace(worker)
                raise QueryTimeout(f"the query did not finish within {self.timeout:g} s and was stopped. Narrow it "
                                   "(a LIMIT, more bound terms), or start the server with a larger --query-timeout.")
            if client is not None and _closed(client):
                self._replace(worker)
                raise ClientGone("the client closed the connection; its query was stopped")
            watched = [worker.conn]  # the client sent more (a pipelined request): stop watching it

    def _acquire(self, deadline: float) -> _Worker:
        while True:
            try:
                worker = self._idle.get(timeout=max(deadline - time.monotonic(), 0.0))
            except queue.Empty:
                raise QueryTimeout(f"the server is busy: all {self.size} query workers stayed busy for "
                                   f"{self.timeout:g} s. Try again shortly.") from None
            if worker.process.is_alive() and not worker.conn.poll(0):  # an idle worker's pipe is silent
                return worker
            self._replace(worker)  # died while idle (killed from outside): start another, take the next

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.kill()


def _closed(client: socket.socket) -> bool:
    """Whether a readable client socket is at end of file (closed by the peer)."""
    try:
        return client.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True
