"""Materialised answers in a prepared store: the same rows as SPARQL, keyed by the data and the query."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from benchmarks.synthetic import generate
from t2dm_onto import KnowledgeBase, children, summaries
from t2dm_onto.catalog import Catalog, internal_names
from t2dm_onto.cli import main
from t2dm_onto.paging import Page
from t2dm_onto.prepare import prepare
from t2dm_onto.resources import import_file, ontology_file
from t2dm_onto.store.disk import PREPARED_MARK
from t2dm_onto.summaries import COMPUTED, FOLDER, summarised, variants

from .checkout import ROOT, checkout_copy, run_cli
from .summary_child import CAP, DOZE, DOZE_SECONDS, SPIN, WAIT
from .test_paging import ordered

#: The queries materialised once, with their defaults (the others once per value of their parameter).
NAMES = [q.name for q in summarised(Catalog()) if variants(q) == [{}]]


def everything(kb, name, lang="en"):
    """The whole answer: every row of a listing, the answer of an aggregate."""
    return kb.query(name, lang=lang, **({"limit": 0} if Catalog().get(name).page_size else {}))


@pytest.fixture(scope="module")
def review(tmp_path_factory):
    """The review prepared twice: with and without materialised answers."""
    base = tmp_path_factory.mktemp("summaries")
    files = [ontology_file(), import_file()]
    mark = prepare(base / "with", files)
    assert set(mark["summaries"].values()) == {"built"}
    prepare(base / "without", files, summaries=False)
    return base / "with", base / "without"


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    base = tmp_path_factory.mktemp("summaries-synthetic")
    kb_file = generate(base / "kb-1000.nt", 1000, seed=7)
    mark = prepare(base / "with", [kb_file])
    assert set(mark["summaries"].values()) == {"built"}
    prepare(base / "without", [kb_file], summaries=False)
    return base / "with", base / "without"


def test_the_whole_graph_queries_are_materialised():
    assert {"claims", "entities", "biomarkers", "bmd-correlates", "pathways", "conflicts",
            "complications-affecting-bone", "drug-bone-effects"} == set(NAMES)
    assert {q.name for q in summarised(Catalog())} == {*NAMES, "claims-by-reference", "claims-by-study-type",
                                                           "claims-in-section"}


@pytest.mark.parametrize("name", ["claims-by-reference", "claims-by-study-type", "claims-in-section"])
def test_a_query_with_few_values_is_materialised_for_each(review, synthetic, name):
    """Every value on the review and the synthetic graph, in both languages on the review.

    Their answers are cut from the claims listing's (summaries._cut), not run per value:
    this compares the cut with each value's own SPARQL.
    """
    param = next(p for p in Catalog().get(name).params if p.required)
    values = variants(Catalog().get(name))
    assert len(values) > 5 and all(set(v) == {param.name} for v in values)
    for stores, langs in ((review, ("en", "zh")), (synthetic, ("en",))):
        with_, without = (KnowledgeBase(location=d) for d in stores)
        for args in values:
            assert (stores[0] / FOLDER / f"{name}.en.{param.name}={args[param.name]}.json").is_file()
            for lang in langs:
                a, b = with_.query(name, lang=lang, limit=0, **args), without.query(name, lang=lang, limit=0, **args)
                assert ordered(a.rows) == ordered(b.rows) and a.total == b.total


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", NAMES)
def test_materialised_answers_are_the_sparql_answers_on_the_review(review, name, lang):
    with_, without = (KnowledgeBase(location=d) for d in review)
    assert without.backend.summaries is not None and not (review[1] / FOLDER).exists()
    assert ordered(everything(with_, name, lang).rows) == ordered(everything(without, name, lang).rows)
    assert with_.query(name, lang=lang).columns == without.query(name, lang=lang).columns


@pytest.mark.parametrize("name", NAMES)
def test_materialised_answers_are_the_sparql_answers_on_a_synthetic_graph(synthetic, name):
    with_, without = (KnowledgeBase(location=d) for d in synthetic)
    a, b = everything(with_, name), everything(without, name)
    assert ordered(a.rows) == ordered(b.rows) and a.columns == b.columns
    if Catalog().get(name).page_size:  # a page read from the summary is the same page cut from SPARQL's answer
        for offset in (0, 255, 300):
            pa, pb = with_.query(name, limit=50, offset=offset), without.query(name, limit=50, offset=offset)
            assert ordered(pa.rows) == ordered(pb.rows) and pa.total == pb.total


def _copy(store: Path, tmp_path: Path) -> Path:
    out = tmp_path / "copy"
    shutil.copytree(store, out)
    return out


def _edit_first_row(store: Path, name: str) -> str:
    """Rewrite the English summary of ``name`` with "EDITED" in its first row's first cell; returns that column.

    An answer with that cell can only have been read from the summary (the data has no such label).
    """
    kb = KnowledgeBase(location=store)
    query = kb.catalog.get(name)
    found = summaries.lookup(store / FOLDER, kb.backend.data_hash, query, "en")
    assert found is not None
    rows = list(found.cells())
    rows[0][0] = "EDITED"
    summaries.write_rows(store / FOLDER, kb.backend.data_hash, query, "en", found.columns, rows)
    return found.columns[0]


def test_a_summary_is_read_and_only_for_its_own_data(review, tmp_path):
    store = _copy(review[0], tmp_path)
    first = _edit_first_row(store, "drug-bone-effects")
    assert KnowledgeBase(location=store).query("drug-bone-effects").rows[0][first] == "EDITED"
    # arguments other than the defaults go to SPARQL
    mark = json.loads((store / PREPARED_MARK).read_text(encoding="utf-8"))
    mark["data"] = "0" * 64  # the store's data no longer matches the summary's
    (store / PREPARED_MARK).write_text(json.dumps(mark), encoding="utf-8")
    assert KnowledgeBase(location=store).query("drug-bone-effects").rows[0][first] != "EDITED"


def test_a_page_reads_the_blocks_it_touches_and_only_those_rows(synthetic):
    """Pages at and across the block boundaries are the slices of the whole answer, for every block size."""
    kb = KnowledgeBase(location=synthetic[0])
    found = summaries.lookup(synthetic[0] / FOLDER, kb.backend.data_hash, kb.catalog.get("claims"), "en")
    assert found is not None and found.rows_file.suffix == "." + summaries.ROWS
    whole = list(found.cells())
    step, total = summaries.STEP, len(whole)
    assert total == found.total > 3 * step and len(found.offsets) == -(-total // step) + 1
    assert found.offsets[-1] == found.rows_file.stat().st_size < len(json.dumps(whole).encode("utf-8")) / 2
    for offset, limit in ((0, 1), (step - 1, 2), (step, step), (step + 1, 3 * step), (0, 1000), (total - 1, 5),
                          (total - step, step), (total, 10), (0, 0)):
        page = found.page(Page(offset, None if limit == 0 else limit))
        want = whole[offset:] if limit == 0 else whole[offset:offset + limit]
        assert [[row[c] for c in found.columns] for row in page.rows] == want, (offset, limit)
        assert page.total == total and page.offset == offset


def test_a_summary_of_another_format_is_not_read(review, tmp_path):
    """An older toolkit's summary (another FORMAT in its header) is ignored: the query runs from SPARQL."""
    store = _copy(review[0], tmp_path)
    first = _edit_first_row(store, "drug-bone-effects")
    head = store / FOLDER / "drug-bone-effects.en.json"
    fields = json.loads(head.read_text(encoding="utf-8"))
    kb = KnowledgeBase(location=store)
    assert kb.query("drug-bone-effects").rows[0][first] == "EDITED"
    head.write_text(json.dumps({**fields, "format": summaries.FORMAT - 1}), encoding="utf-8")
    assert summaries.lookup(store / FOLDER, kb.backend.data_hash, kb.catalog.get("drug-bone-effects"), "en") is None
    assert kb.query("drug-bone-effects").rows[0][first] != "EDITED"


def test_the_summaries_computed_in_python_are_listed_with_what_they_read():
    """Each is a query materialised once with its defaults, made from internal queries that exist."""
    assert set(COMPUTED) == {"complications-affecting-bone"}
    for name, entry in COMPUTED.items():
        assert variants(Catalog().get(name)) == [{}]
        assert entry.reads and set(entry.reads) <= set(internal_names())


def test_a_changed_internal_query_invalidates_the_summary_computed_from_it(review, tmp_path):
    """A checkout whose internal query differs no longer reads the summary made from it; the others still match.

    The store's two summaries carry an edited first row, so an answer shows whether it was read or run.
    """
    store = _copy(review[0], tmp_path)
    computed, other = "complications-affecting-bone", "claims"
    for name in (computed, other):
        _edit_first_row(store, name)
        assert "EDITED" in json.dumps(KnowledgeBase(location=store).query(name).rows, ensure_ascii=False)
    repo = checkout_copy(tmp_path)
    read = repo / "queries" / "internal" / f"{COMPUTED[computed].reads[1]}.rq"
    read.write_text(read.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    answers = {}
    for name in (computed, other):
        proc = run_cli(repo, "query", name, "--store-dir", str(store), "--format", "json")
        assert proc.returncode == 0, proc.stderr
        answers[name] = proc.stdout
    assert "EDITED" not in answers[computed] and "EDITED" in answers[other]
    assert len(json.loads(answers[computed])) == len(KnowledgeBase(location=store).query(computed).rows)


def test_prepare_reuses_matching_summaries_and_rebuilds_when_the_data_changes(tmp_path):
    files = [ontology_file(), import_file()]
    first = prepare(tmp_path / "s", files)
    assert set(first["summaries"].values()) == {"built"}
    again = prepare(tmp_path / "s", files)
    assert set(again["summaries"].values()) == {"reused"} and again["data"] == first["data"]
    extra = tmp_path / "extra.ttl"
    extra.write_text("<https://example.org/x> <https://example.org/p> 1 .\n", encoding="utf-8")
    changed = prepare(tmp_path / "s", [*files, extra])
    assert changed["data"] != first["data"] and set(changed["summaries"].values()) == {"built"}


def test_a_summary_past_its_time_limit_is_left_out_with_a_warning(tmp_path, capsys):
    assert main(["prepare", str(tmp_path / "s"), "--summary-timeout", "0.01"]) == 0
    err = capsys.readouterr().err
    assert "not materialised: claims" in err
    assert not (tmp_path / "s" / FOLDER / "claims.en.json").exists()
    assert KnowledgeBase(location=tmp_path / "s").query("claims").total == KnowledgeBase().query("claims").total


@pytest.fixture(scope="module")
def bare(tmp_path_factory):
    """The review prepared without summaries, to build some by hand."""
    location = tmp_path_factory.mktemp("bare") / "store"
    prepare(location, [ontology_file(), import_file()], summaries=False)
    return location


def _build_with_test_child(bare: Path, tmp_path: Path, monkeypatch, names: list[str], timeout: float,
                           jobs: int) -> tuple[Path, dict[str, str]]:
    """``summaries.build`` of ``names`` only, on a copy of ``bare``, each in a tests/summary_child.py process."""
    location = tmp_path / "store"
    shutil.copytree(bare, location)
    queries = tmp_path / "queries"
    queries.mkdir()
    for name in names:
        shutil.copy(Catalog().get(name).path, queries)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), str(ROOT / "src")]))  # the child imports tests.
    data = json.loads((location / PREPARED_MARK).read_text(encoding="utf-8"))["data"]
    return location, summaries.build(location, data, timeout, catalog=Catalog(queries),
                                     child="tests.summary_child", jobs=jobs)


def test_the_summary_time_limit_counts_cpu_time_not_waiting(bare, tmp_path, monkeypatch):
    """Three children at once under a 2 s limit: one computing without end is stopped at 2 s of CPU time, one
    kept waiting longer than 2 s (asleep) but computing little is still built, and so is an ordinary one."""
    limit = 2.0
    assert limit < DOZE_SECONDS  # longer than the limit in wall-clock time
    location, outcome = _build_with_test_child(bare, tmp_path, monkeypatch, ["biomarkers", DOZE, SPIN], limit, 3)
    assert outcome == {"biomarkers": "built", DOZE: "built", SPIN: f"left out: more than {limit:g} s of CPU time"}
    kb = KnowledgeBase(location=location)
    assert not (location / FOLDER / f"{SPIN}.en.json").exists()
    assert kb.query(SPIN).rows == KnowledgeBase().query(SPIN).rows  # from SPARQL
    for name in ("biomarkers", DOZE):
        for lang in summaries.LANGS:
            assert summaries.lookup(location / FOLDER, kb.backend.data_hash, kb.catalog.get(name), lang) is not None


def test_a_computed_summary_past_its_row_cap_is_left_out_with_the_reason(bare, tmp_path, monkeypatch):
    """The complications rows are built in memory: past complications.MAX_ROWS (lowered in the child) the child
    stops with one line that prepare reports, nothing is written, and the query answers from its SPARQL."""
    name = "complications-affecting-bone"
    location, outcome = _build_with_test_child(bare, tmp_path, monkeypatch, [name, "biomarkers"], 300.0, 2)
    assert outcome == {name: f"left out: more than {CAP:,} rows (the summary is built in memory)",
                       "biomarkers": "built"}
    assert not list((location / FOLDER).glob(f"{name}.*"))
    kb = KnowledgeBase(location=location)
    assert kb.query(name, limit=0).rows == KnowledgeBase().query(name, limit=0).rows
    assert len(kb.query(name, limit=0).rows) > CAP


def test_a_child_that_only_waits_is_stopped_by_the_wall_clock_backstop(bare, tmp_path, monkeypatch):
    """No CPU time passes while a child waits, so the backstop (WALL_FACTOR times the limit) ends it."""
    limit = 0.5
    location, outcome = _build_with_test_child(bare, tmp_path, monkeypatch, [WAIT], limit, 1)
    backstop = children.WALL_FACTOR * limit
    assert outcome[WAIT].startswith(f"left out: still running after {backstop:g} s of wall-clock time (")
    assert not (location / FOLDER / f"{WAIT}.en.json").exists()


def test_prepare_help_says_what_the_summary_time_limit_counts(capsys):
    assert main(["prepare", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "CPU time (user + system)" in text and f"after {children.WALL_FACTOR} times this in wall-clock" in text
