"""The code is ruff clean (the configuration is in pyproject.toml)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest


@pytest.mark.skipif(importlib.util.find_spec("ruff") is None, reason="ruff is not installed (it comes with the test extras)")
def test_ruff_clean(root):
    proc = subprocess.run([sys.executable, "-m", "ruff", "check", "src", "tests", "tools"], cwd=root, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout
