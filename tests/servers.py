"""Start and stop the real servers and tools the interop tests talk to.

Every server listens on 127.0.0.1 on a free port, is started as a child process
and stopped by its PID (terminate, then kill after a timeout). A tool that is not
installed makes its tests skip with the command that installs it; `.ci/run`
installs them all, so CI runs every test.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

APT_HINT = "apt-get install -y virtuoso-opensource libapache-jena-java chromium (as .ci/run does)"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(proc: subprocess.Popen, timeout: float = 20.0) -> None:
    """Stop a child by its PID: SIGTERM, then SIGKILL if it has not exited within ``timeout``."""
    if proc.poll() is not None:
        return
    os.kill(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=timeout)


def wait_for_http(url: str, proc: subprocess.Popen, timeout: float, what: str) -> None:
    """Poll ``url`` until it answers (any HTTP status), failing early if the process died."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except urllib.error.HTTPError:
            return  # it answers, if only to say no
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(f"{what} exited with code {proc.returncode} before answering") from None
            if time.monotonic() > deadline:
                raise RuntimeError(f"{what} did not answer at {url} within {timeout:g} s") from None
            time.sleep(0.25)


def http(method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None,
         timeout: float = 60.0) -> tuple[int, dict[str, str], bytes]:
    """One HTTP exchange; HTTP errors are returned, not raised."""
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


# -- Oxigraph server (PyPI `oxigraph`) -------------------------------------------------
def oxigraph_binary() -> str:
    # the active environment's own server first (the test extra installs it there), then PATH
    found = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if found is None:
        pytest.skip("the Oxigraph server is not installed: pip install oxigraph (a test extra)")
    return found


@contextlib.contextmanager
def oxigraph_server(location: Path) -> Iterator[str]:
    """``oxigraph serve`` (read-write, so the Graph Store Protocol can load it); yields the base URL."""
    port = free_port()
    proc = subprocess.Popen([oxigraph_binary(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(f"{base}/query?query=ASK%7B%7D", proc, 60, "the Oxigraph server")
        yield base
    finally:
        stop(proc)


# -- Virtuoso (Debian virtuoso-opensource) ------------------------------------------------
VIRTUOSO_INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
MaxClientConnections = 8
CheckpointInterval = 0
DirsAllowed = ., {d}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {d}
ServerThreads = 8
MaxClientConnections = 8
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 300
"""


@dataclass
class Virtuoso:
    """A running Virtuoso: its SPARQL URL, its data folder and its SQL port (for isql)."""

    sparql: str
    folder: Path
    sql_port: int

    def isql(self, statements: str, timeout: float = 300) -> str:
        """Run SQL through isql-vt as dba (the password of a fresh database is dba)."""
        proc = subprocess.run(["isql-vt", f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={statements}"],
                              capture_output=True, text=True, timeout=timeout)
        if proc.returncode != 0 or "*** Error" in proc.stdout + proc.stderr:
            raise RuntimeError(f"isql failed: {proc.stdout}\n{proc.stderr}")
        return proc.stdout

    def load(self, path: Path, graph: str) -> None:
        """Bulk-load an RDF file into ``graph`` with Virtuoso's own loader (ld_dir + rdf_loader_run)."""
        shutil.copyfile(path, self.folder / path.name)
        self.isql(f"ld_dir('{self.folder}', '{path.name}', '{graph}'); rdf_loader_run(); checkpoint;")
        out = self.isql("select count(*) from DB.DBA.LOAD_LIST where ll_error is not null;")
        if int(re.findall(r"^\s*(\d+)\s*$", out, re.MULTILINE)[0]):
            raise RuntimeError("Virtuoso's loader failed: "
                               + self.isql("select ll_file, ll_error from DB.DBA.LOAD_LIST where ll_error is not null;"))


def virtuoso_binaries() -> tuple[str, str]:
    server, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if server is None or isql is None:
        pytest.skip(f"Virtuoso is not installed: {APT_HINT}")
    return server, isql


@contextlib.contextmanager
def virtuoso_server(folder: Path) -> Iterator[Virtuoso]:
    """Virtuoso with its own ini in ``folder``, both ports on 127.0.0.1."""
    server, _ = virtuoso_binaries()
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(d=folder, sql_port=sql_port, http_port=http_port), encoding="utf-8")
    log = open(folder / "stdout.log", "wb")  # noqa: SIM115 - closed below, after the process
    proc = subprocess.Popen([server, "+foreground", "+configfile", str(ini)], cwd=folder, stdout=log, stderr=log)
    sparql = f"http://127.0.0.1:{http_port}/sparql"
    try:
        wait_for_http(f"{sparql}?query=ASK%7B%7D", proc, 180, "Virtuoso")
        yield Virtuoso(sparql, folder, sql_port)
    finally:
        stop(proc, timeout=60)
        log.close()


# -- Apache Jena command-line tools (Debian libapache-jena-java) -------------------------
def _jena_tool():
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
    import jena

    return jena


def jena_classpath(scratch: Path) -> str:
    """The class path for Debian's Jena jars (tools/jena.py: the Xerces message bundles copied into ``scratch``)."""
    jena = _jena_tool()
    try:
        return jena.classpath(scratch)
    except jena.JenaMissing as exc:
        pytest.skip(f"{exc}: {APT_HINT}")


def run_jena(classpath: str, main: str, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(_jena_tool().command(classpath, main, *args), capture_output=True, text=True,
                          timeout=timeout)

