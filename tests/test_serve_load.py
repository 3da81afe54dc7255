"""The endpoint under load: concurrent clients on loopback, no error, no update accepted.

Runs ``benchmarks/serve_load.py`` against the real ``t2dm-onto serve`` for a few
seconds. Latency is reported by the benchmark, never asserted here.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _load_benchmark():
    spec = importlib.util.spec_from_file_location("serve_load", ROOT / "benchmarks" / "serve_load.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["serve_load"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_concurrent_clients_get_answers_and_no_update_lands():
    out = _load_benchmark().run(clients=6, seconds=4)
    assert out["errors"] == []
    assert out["updates_accepted"] == 0
    assert set(out["kinds"]) == {"api/query", "sparql GET", "sparql POST", "update (refused)"}
    assert all(k["n"] >= 3 for k in out["kinds"].values())
    assert all(0 < k["p50_ms"] <= k["p99_ms"] for k in out["kinds"].values())
