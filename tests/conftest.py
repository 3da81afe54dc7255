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
