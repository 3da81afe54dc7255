"""Shared fixtures: the repository, the review text, the knowledge base."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: the review's text, shipped in the repository (byte-identical to shared/source/: tests/test_reference_copies.py)
SOURCE = ROOT / "curation" / "source" / "review_t2dm_op_zh.txt"


@pytest.fixture(scope="session", autouse=True)
def _no_user_links(tmp_path_factory):
    """Keep the tests off the user's own `t2dm-onto link` store: each session gets an empty home."""
    os.environ["T2DM_ONTO_HOME"] = str(tmp_path_factory.mktemp("t2dm-home"))


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def source_text() -> str:
    return SOURCE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def kb():
    from t2dm_onto import KnowledgeBase

    return KnowledgeBase()


@pytest.fixture(scope="session")
def claims(kb):
    return kb.claims()


@pytest.fixture(scope="session")
def curation(root):
    from t2dm_onto.curation import load

    return load(root)


requires_java = pytest.mark.skipif(shutil.which("java") is None, reason="Java is not installed, so HermiT cannot run")


@pytest.fixture(scope="session")
def oxigraph(tmp_path_factory, kb):
    """A real Oxigraph server on 127.0.0.1 holding the Turtle export twice: in its default graph and in KB_GRAPH.

    Loaded over the SPARQL 1.1 Graph Store Protocol; stopped by PID at the end of the session.
    """
    from t2dm_onto.export import export
    from t2dm_onto.namespaces import KB_GRAPH

    from .servers import http, oxigraph_server

    folder = tmp_path_factory.mktemp("oxigraph")
    ttl = folder / "t2dm_op.ttl"
    export(kb, "ttl", ttl)
    with oxigraph_server(folder / "store") as base:
        for target in ("default", f"graph={KB_GRAPH}"):
            status, _, body = http("PUT", f"{base}/store?{target}", ttl.read_bytes(), {"Content-Type": "text/turtle"})
            assert status in (200, 201, 204), body
        yield base


@pytest.fixture(scope="session")
def prepared_store(tmp_path_factory) -> Path:
    """A store built by `t2dm-onto prepare` (with its materialised answers), for the tests that open one."""
    from t2dm_onto.cli import main

    out = tmp_path_factory.mktemp("prepared") / "store"
    assert main(["prepare", str(out)]) == 0
    return out


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory, kb):
    """Virtuoso 7 on 127.0.0.1 (its own ini, both ports local), the Turtle export bulk-loaded into KB_GRAPH."""
    from t2dm_onto.export import export
    from t2dm_onto.namespaces import KB_GRAPH

    from .servers import virtuoso_binaries, virtuoso_server

    virtuoso_binaries()  # skip early, with the reason, where it is not installed
    folder = tmp_path_factory.mktemp("virtuoso")
    ttl = tmp_path_factory.mktemp("export") / "t2dm_op.ttl"
    export(kb, "ttl", ttl)
    with virtuoso_server(folder) as server:
        server.load(ttl, KB_GRAPH)
        yield server
