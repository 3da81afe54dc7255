"""The sentence coverage ledger: every sentence of the review has its row, and every row holds.

Run on the repository's own copy of the review (curation/source/), so it passes on a
clean clone with no shared/ folder beside it.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from t2dm_onto import coverage, sentences
from t2dm_onto.curation import load

from .checkout import checkout_copy, run_cli

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "curation" / "source" / "review_t2dm_op_zh.txt"
LEDGER = ROOT / "curation" / "coverage.tsv"


@pytest.fixture(scope="module")
def split() -> list[sentences.Sentence]:
    return sentences.read(SOURCE)


@pytest.fixture(scope="module")
def rows() -> list[coverage.Row]:
    return coverage.read(LEDGER)


@pytest.fixture(scope="module")
def claims():
    return load(ROOT).claims


def test_every_sentence_has_a_row_and_every_row_holds(rows, split, claims):
    assert coverage.check(rows, split, claims) == []
    assert coverage.check_checkout(ROOT) == []


def test_the_in_repo_copy_is_the_shared_review():
    shared = ROOT.parent / "shared" / "source" / "review_t2dm_op_zh.txt"
    if not shared.is_file():
        pytest.skip("no shared/ folder beside the checkout to compare with")
    assert SOURCE.read_bytes() == shared.read_bytes()


def test_split_covers_the_abstract_and_sections_1_to_3(split):
    sections = [s.section for s in split]
    assert sections[0] == "abstract" and sections[-1] == "3"
    assert "abstract_en" not in sections  # the English abstract translates the Chinese one
    assert {"1", "2.1", "2.2.1", "2.4.3", "2.7.2", "2.8.5", "2.9"} <= set(sections)
    # section headings with no text of their own (2, 2.2, 2.4 ...) give no sentence
    assert "2" not in sections and "2.2" not in sections
    # positions run 1..n within each section
    for sec in set(sections):
        assert [s.position for s in split if s.section == sec] == list(range(1, sections.count(sec) + 1))
    # the split loses no character of the sections' text
    body = sentences.strip_ws(SOURCE.read_text(encoding="utf-8"))
    assert all(s.text in body for s in split)


def test_split_ignores_whitespace_and_line_breaks():
    text = "2.1. 高血糖毒性\n高血糖 会抑制成\n骨；同时导致 钙稳态失衡。尾句\n3. 展望\n综上所述。\n"
    out = sentences.split(text)
    assert [(s.section, s.position, s.text) for s in out] == [
        ("2.1", 1, "高血糖会抑制成骨；"),
        ("2.1", 2, "同时导致钙稳态失衡。"),
        ("2.1", 3, "尾句"),
        ("3", 1, "综上所述。"),
    ]
    respaced = text.replace("，", " ， ").replace("\n", "\n  ").replace("抑制", "抑 \n 制")
    assert sentences.split(respaced) == out


def test_headings_need_a_known_section_and_no_sentence_end():
    assert sentences.heading("2.4.3. 瘦素(Leptin, LP) ") == "2.4.3"
    assert sentences.heading(" 摘  要 ") == "abstract"
    assert sentences.heading("4.15 亿糖尿病患者。") is None
    assert sentences.heading("2 型糖尿病肾病：糖代谢异常导致的") is None
    assert sentences.heading("9.9. 不存在的章节") is None


def _problems(rows, split, claims):
    return coverage.check(rows, split, claims)


def test_a_sentence_without_row_fails(rows, split, claims):
    problems = _problems([r for r in rows if r.key != ("2.5", 3)], split, claims)
    assert any("sentence 2.5 #3 has no row" in p for p in problems)
    # and the claims of that sentence are now in no row
    assert any("claim S2_5_09 is in no row" in p for p in problems)


def test_a_row_pointing_at_a_missing_claim_fails(rows, split, claims):
    changed = [dataclasses.replace(r, claims=(*r.claims, "S9_99")) if r.key == ("2.1", 1) else r for r in rows]
    assert any("claim S9_99 does not exist" in p for p in _problems(changed, split, claims))


def test_a_claim_whose_quote_is_not_in_its_row_fails(rows, split, claims):
    moved = []
    for r in rows:
        if r.key == ("2.5", 3):
            r = dataclasses.replace(r, claims=tuple(c for c in r.claims if c != "S2_5_09"))
        if r.key == ("2.5", 4):
            r = dataclasses.replace(r, claims=(*r.claims, "S2_5_09"))
        moved.append(r)
    assert any("claim S2_5_09: its quote lies in none" in p for p in _problems(moved, split, claims))


def test_a_row_needs_claims_or_a_known_reason(rows, split, claims):
    emptied = [dataclasses.replace(r, claims=()) if r.key == ("2.3", 3) else r for r in rows]
    assert any("not neither" in p for p in _problems(emptied, split, claims))
    odd = [dataclasses.replace(r, reason="boring") if r.key == ("3", 1) else r for r in rows]
    assert any("reason 'boring'" in p for p in _problems(odd, split, claims))


def test_a_changed_source_is_noticed(rows, split, claims):
    edited = [dataclasses.replace(s, text=s.text.replace("骨", "骼")) if s.key == ("2.3", 2) else s for s in split]
    assert any("the text is not sentence 2.3 #2" in p for p in _problems(rows, edited, claims))


def test_rows_without_claims_say_why(rows):
    without = [r for r in rows if not r.claims]
    assert without and all(r.reason in coverage.REASONS and r.note for r in without)
    assert all(r.see for r in without if r.reason == "summary")
    # the mechanism sections (2.1 ... 2.9) are read claim by claim: only a definition and the
    # SGLT2 outlook sentences hold none
    body = {(r.section, r.position) for r in without if r.section.startswith("2.")}
    assert body == {("2.2.2", 1), ("2.8.5", 6), ("2.8.5", 7)}


def test_stats_reports_coverage_by_section(kb, split):
    cov = kb.stats()["coverage"]
    assert cov["by_section"]["total"]["sentences"] == len(split)
    assert cov["by_section"]["3"] == {"sentences": 5, "with_claims": 0, "without_claims": 5}
    assert sum(cov["reasons"].values()) == cov["by_section"]["total"]["without_claims"]


def _build_check(repo: Path) -> subprocess.CompletedProcess:
    return run_cli(repo, "build", "--check")


def test_build_check_fails_on_a_ledger_gap(tmp_path):
    repo = checkout_copy(tmp_path)
    assert _build_check(repo).returncode == 0
    ledger = repo / "curation" / "coverage.tsv"
    lines = ledger.read_text(encoding="utf-8").splitlines(keepends=True)
    ledger.write_text("".join(line for line in lines if not line.startswith("2.9\t4\t")), encoding="utf-8")
    proc = _build_check(repo)
    assert proc.returncode == 1
    assert "coverage: sentence 2.9 #4 has no row" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_stats_json_carries_coverage():
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run(
        [sys.executable, "-m", "t2dm_onto", "stats", "--format", "json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    total = json.loads(proc.stdout)["coverage"]["by_section"]["total"]
    assert total["with_claims"] + total["without_claims"] == total["sentences"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("section\tposition\ttext\n", "the header must be"),
        ("\t".join(coverage.COLUMNS) + "\n2.1\tfirst\tS2_1_01\t\t\t\tx\n", "line 2: position 'first'"),
    ],
)
def test_a_malformed_ledger_is_one_clear_error(tmp_path, content, message):
    from t2dm_onto.errors import InputError

    bad = tmp_path / "coverage.tsv"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        coverage.read(bad)
