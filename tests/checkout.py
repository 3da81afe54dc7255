"""A throwaway copy of the source checkout, for tests that edit the curated tables and rebuild."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def checkout_copy(tmp_path: Path) -> Path:
    """The parts of the repository the builder reads and writes, copied under ``tmp_path``."""
    repo = tmp_path / "repo"
    for part in ("src", "curation", "ontology", "mappings", "shapes", "queries"):
        shutil.copytree(ROOT / part, repo / part, ignore=shutil.ignore_patterns("__pycache__"))
    return repo


def run_cli(repo: Path, *args: str) -> subprocess.CompletedProcess:
    """``python -m t2dm_onto ARGS`` on the copy's own code and data."""
    env = {**os.environ, "PYTHONPATH": str(repo / "src")}
    return subprocess.run([sys.executable, "-m", "t2dm_onto", *args], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=300)
