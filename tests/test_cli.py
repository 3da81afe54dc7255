"""The command line: right answers, clear errors, documented exit codes, never a traceback."""

from __future__ import annotations

import csv
import io
import json
import socket
import subprocess
import sys

import pytest


def run(*args: str, timeout: float = 120):
    proc = subprocess.run([sys.executable, "-m", "t2dm_onto", *args], capture_output=True, text=True, timeout=timeout)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def test_main_job():
    proc = run("query", "mediators-increasing", "target=RANKL")
    assert proc.returncode == 0
    assert "reactive oxygen species" in proc.stdout and "interleukin 6" in proc.stdout


def test_parameters_may_follow_options():
    """`query NAME -f json key=value` gives what `query NAME key=value -f json` gives; a stray option is still refused."""
    before = run("query", "mediators-increasing", "target=RANKL", "--lang", "zh", "-f", "json")
    after = run("query", "mediators-increasing", "--lang", "zh", "-f", "json", "target=RANKL")
    assert before.returncode == after.returncode == 0 and before.stdout == after.stdout and "活性氧" in after.stdout
    paged = run("query", "conflicts", "-f", "json", "limit=2")
    assert paged.returncode == 0 and len(json.loads(paged.stdout)) == 2
    for stray in (["--bogus"], ["-x"], ["notaparam"]):
        proc = run("query", "conflicts", "-f", "json", *stray)
        assert proc.returncode == 2 and "unrecognized arguments" in proc.stderr and not proc.stdout
    proc = run("stats", "-f", "json", "limit=2")  # only commands with key=value parameters take them
    assert proc.returncode == 2 and "unrecognized arguments: limit=2" in proc.stderr


def test_list():
    proc = run("query", "--list")
    assert proc.returncode == 0 and "causal-paths" in proc.stdout and "drug-bone-effects" in proc.stdout


@pytest.mark.parametrize("fmt", ["json", "csv", "tsv", "markdown", "table"])
def test_formats(fmt):
    proc = run("query", "drug-bone-effects", "--format", fmt)
    assert proc.returncode == 0
    out = proc.stdout
    if fmt == "json":
        rows = json.loads(out)
        assert {"drug_label", "effect", "references"} <= set(rows[0])
    elif fmt in ("csv", "tsv"):
        rows = list(csv.DictReader(io.StringIO(out), delimiter="," if fmt == "csv" else "\t"))
        assert any(r["drug_label"] == "metformin" and r["effect"] == "protective" for r in rows)
    elif fmt == "markdown":
        assert out.startswith("| drug_label |")
    else:
        assert "metformin" in out and "protective" in out


def test_chinese_labels():
    proc = run("query", "mediators-increasing", "target=核因子κB受体活化因子配体", "--lang", "zh")
    assert proc.returncode == 0 and "活性氧自由基" in proc.stdout


def test_claims_json_contract():
    proc = run("claims", "--format", "json")
    claims = json.loads(proc.stdout)
    assert len(claims) >= 300
    c = claims[0]
    for key in ("id", "subject", "object", "relation", "references", "section", "quote_zh", "statement_en",
                "evidence", "study_type", "context"):
        assert key in c, key
    for key in ("iri", "label", "label_zh", "synonyms", "xrefs"):
        assert key in c["subject"], key
    assert c["relation"] in {"increases", "decreases", "positively_correlated_with", "negatively_correlated_with",
                             "associated_with", "no_association"}
    assert all(isinstance(n, int) for n in c["references"])


def test_claims_tsv_and_stats():
    assert run("claims", "--format", "tsv").stdout.startswith("id\tsubject\t")
    stats = json.loads(run("stats", "--format", "json").stdout)
    assert stats["claims"] >= 300 and stats["entities"] >= 200
    assert set(stats["references_used"]) | set(stats["references_unused"]) == set(range(1, 67))
    assert run("stats").returncode == 0


@pytest.mark.parametrize(("args", "code", "needle"), [
    (["query", "no-such-query"], 2, "unknown query"),
    (["query", "mediators-increasing"], 2, "needs parameter 'target'"),
    (["query", "mediators-increasing", "target=RANKL", "colour=red"], 2, "no parameter 'colour'"),
    (["query", "mediators-increasing", "target=nothing-like-this"], 2, "unknown entity"),
    (["query", "mediators-increasing", "RANKL"], 2, "key=value"),
    (["query", "causal-paths", "source=ROS", "target=RANKL", "max_hops=1000"], 2, "between 1 and 4"),
    (["query", "mediators-increasing", "target=RANKL", "transitive=maybe"], 2, "true or false"),
    (["sparql", "SELECT WHERE {"], 3, "SPARQL"),
    (["sparql", "INSERT DATA { <x:a> <x:b> <x:c> }"], 2, "read-only"),
    (["validate", "/no/such/file.ttl"], 3, "no such file"),
    (["nonsense"], 2, ""),
])
def test_errors_are_clear(args, code, needle):
    proc = run(*args)
    assert proc.returncode == code, proc.stderr
    assert needle in proc.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_endpoint_down_is_exit_4():
    port = _free_port()  # nothing listens there
    proc = run("query", "drug-bone-effects", "--endpoint", f"http://127.0.0.1:{port}/sparql", "--timeout", "3")
    assert proc.returncode == 4 and "cannot reach the endpoint" in proc.stderr


def test_validate_exit_codes(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix t: <https://w3id.org/t2dm-onto/> .\nt:a t:b ", encoding="utf-8")
    proc = run("validate", str(bad), "--no-reasoner")
    assert proc.returncode == 1 and "parse" in proc.stdout
    assert run("validate", "--no-reasoner").returncode == 0


def test_build_check(root):
    proc = run("build", "--check")
    assert proc.returncode in (0, 2)  # 2 when run from an installed wheel without curation/
    if proc.returncode == 0:
        assert "up to date" in proc.stdout
