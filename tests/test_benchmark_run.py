"""benchmarks/run.py on a tiny knowledge base: the output has the documented form (no time is checked)."""

from __future__ import annotations

import json

import pytest

from benchmarks import run


@pytest.fixture(scope="module")
def rows(tmp_path_factory):
    work = tmp_path_factory.mktemp("bench")
    out = work / "rows.json"
    stores = "oxigraph,oxigraph-disk,rdflib" + (",oxigraph-server" if run._oxigraph_cli() else "")
    code = run.main(["--sizes", "400", "--stores", stores, "--repeat", "1", "--budget", "1",
                     "--rdflib-timeout", "5", "--cold-timeout", "60", "--workdir", str(work), "--json", str(out),
                     "--pyshacl-max", "0", "--reasoner-max", "0"])
    assert code == 0
    return json.loads(out.read_text(encoding="utf-8"))


def test_first_row_describes_the_machine(rows):
    machine = rows[0]["machine"]
    assert rows[0]["store"] is None and rows[0]["size"] is None
    assert machine["cores"] >= 1 and machine["pyoxigraph"]
    # the time limits the figures were cut off at, so the report can say them
    assert rows[0]["settings"]["rdflib_timeout_s"] > 0 and rows[0]["settings"]["query_timeout_s"] > 0


def test_one_query_row_per_case_and_store(rows):
    labels = [label for label, _name, _args in run.cases()]
    stores = {r["store"] for r in rows if "query" in r}
    assert {"oxigraph", "oxigraph-disk", "rdflib"} <= stores
    for store in stores:
        got = [r["query"] for r in rows if r.get("store") == store and "query" in r]
        assert got == labels, store
    for r in rows:
        if "query" in r:
            assert set(r) >= {"store", "size", "query", "median_ms", "raw_median_ms", "rows", "runs", "status"}
            assert r["size"] == 400
            assert r["status"] in ("ok", "timeout") or r["status"].startswith("error: ")
            assert (r["median_ms"] is None) == (r["status"] != "ok")


def test_embedded_store_answers_every_case(rows):
    ox = [r for r in rows if r.get("store") == "oxigraph" and "query" in r]
    assert all(r["status"] == "ok" and r["median_ms"] > 0 and r["rows"] > 0 for r in ox), ox
    assert all(r["raw_median_ms"] > 0 for r in ox)


def test_store_rows_carry_load_memory_and_cold_start(rows):
    store_rows = [r for r in rows if "cold_cli_ms" in r]
    assert {r["store"] for r in store_rows} >= {"oxigraph", "rdflib"}
    for r in store_rows:
        assert r["load_ms"] > 0 and r["peak_rss_mb"] > 0 and r["triples"] > 8000
        assert isinstance(r["cold_cli_ms"], float) or r["cold_cli_ms"] in ("timeout", "error")


def test_validation_rows(rows):
    methods = {r["validation"]: r for r in rows if "validation" in r}
    assert {"sparql", "sparql-incremental"} <= set(methods)
    assert methods["sparql"]["status"] == "ok" and methods["sparql"]["findings"] == 0


@pytest.mark.skipif(run._oxigraph_cli() is None, reason="the Oxigraph server (pip install oxigraph) is not installed")
def test_server_rows(rows):
    server = [r for r in rows if r.get("store") == "oxigraph-server" and "query" in r]
    assert server and all(r["status"] == "ok" for r in server)


def test_growth_is_the_log_log_slope():
    from benchmarks.report import growth

    assert growth([(10, 1.0), (100, 10.0), (1000, 100.0)]) == pytest.approx(1.0)
    assert growth([(10, 5.0), (1000, 5.0)]) == pytest.approx(0.0)
    assert growth([(10, 1.0), (100, 100.0)]) == pytest.approx(2.0)
    assert growth([(10, 1.0)]) is None


def test_the_report_gives_every_size_a_table_and_says_why_a_store_was_not_run(rows):
    from benchmarks.report import markdown

    machine = {**rows[0]["machine"], "memory_gb": 1}
    text = markdown(rows[1:], machine, expected=[400, 4000000], notes={("oxigraph-disk", 4000000): "no time"})
    assert "## Queries at 400 claims" in text and "## Queries at 4,000,000 claims" in text
    assert "## Growth with size" in text
    table = text.split("## Queries at 4,000,000 claims")[1].split("## ")[0]
    assert "| not run |" in table and "oxigraph-disk: no time" in table
    # one measured size gives no slope, so no memory estimate; the reason still stands
    assert "not measured in this run" in table


def test_prepared_store_cases_carry_a_fresh_process_first_answer(rows):
    """Every case on the prepared store also has the wall time of a new CLI process answering it."""
    disk = [r for r in rows if r.get("store") == "oxigraph-disk" and "query" in r]
    assert disk and all("cold_ms" in r for r in disk)
    assert all(isinstance(r["cold_ms"], float) and r["cold_ms"] > 0 for r in disk), disk
    # the other stores are timed in-process only
    assert not any("cold_ms" in r for r in rows if r.get("store") == "oxigraph" and "query" in r)


def test_the_report_has_a_first_answer_table_for_the_prepared_store(rows):
    from benchmarks.report import markdown

    text = markdown(rows[1:], rows[0]["machine"])
    table = text.split("## First answer from a fresh process (prepared store, ms)")[1].split("## ")[0]
    lines = [line for line in table.splitlines() if line.startswith("| ") and not line.startswith("| query")]
    assert len(lines) == len(run.cases())
    assert all(line.split("|")[2].strip() not in ("", "–") for line in lines), lines
