"""The same canned queries through --endpoint against a real Oxigraph server on 127.0.0.1.

The server is PyPI's `oxigraph` command (a test extra); the test loads the shipped
ontology into a store directory, starts `oxigraph serve-read-only` on a free
loopback port, and stops it by PID.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.request

import pytest

from t2dm_onto import KnowledgeBase
from t2dm_onto.catalog import Catalog
from t2dm_onto.resources import import_file, ontology_file

from .test_stores import _normalise

OXIGRAPH = shutil.which("oxigraph")
pytestmark = pytest.mark.skipif(OXIGRAPH is None, reason="the Oxigraph server (pip install oxigraph) is not installed")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    location = tmp_path_factory.mktemp("oxigraph")
    for path in (ontology_file(), import_file()):  # as the README says: the ontology and its import module
        subprocess.run([OXIGRAPH, "load", "--location", str(location), "--file", str(path)],
                       check=True, capture_output=True, timeout=120)
    port = _free_port()
    proc = subprocess.Popen([OXIGRAPH, "serve-read-only", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("the Oxigraph server did not start") from None
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.mark.parametrize("name", Catalog().names())
def test_endpoint_gives_the_same_rows(kb, endpoint, name):
    args = Catalog().get(name).example_args()
    remote = KnowledgeBase(endpoint=endpoint).query(name, **args)
    assert len(remote) > 0
    assert _normalise(remote) == _normalise(kb.query(name, **args))


def test_endpoint_claims_match(claims, endpoint):
    assert KnowledgeBase(endpoint=endpoint).claims() == claims
