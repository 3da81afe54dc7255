"""The copies that let a fresh clone run every check: the review's text and the reference rows.

A clone has no ``../shared``: the quotes are checked against
``curation/source/review_t2dm_op_zh.txt`` and the mapped identifiers against
``mappings/reference_terms.tsv``. Where ``shared/`` is present, each copy must be
what it copies (the review byte for byte; the rows as ``tools/trim_reference.py``
cuts them from the full table today). Without it, the review must still be the
text the claims were curated from (its SHA-256) and the rows must cover every
shipped CURIE. Then a real fresh clone runs the checks that used to skip, and
``validate`` there checks the quotes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import SOURCE

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import trim_reference  # noqa: E402
import verify_mappings  # noqa: E402

SHARED_REVIEW = ROOT.parent / "shared" / "source" / "review_t2dm_op_zh.txt"
#: SHA-256 of shared/source/review_t2dm_op_zh.txt, the text every quote was copied from
REVIEW_SHA256 = "5ce4163a3d55f312b7c944fba975fa7f90d3ffdab9ba4366b7ffc01a76f1eb0b"


def test_the_review_copy_is_the_review():
    data = SOURCE.read_bytes()
    assert hashlib.sha256(data).hexdigest() == REVIEW_SHA256
    if SHARED_REVIEW.is_file():
        assert data == SHARED_REVIEW.read_bytes()


def test_the_reference_rows_are_fresh_and_cover_every_shipped_curie():
    table = trim_reference.TRIMMED
    if trim_reference.FULL.is_file():
        expected = trim_reference.trimmed_text(trim_reference.FULL, trim_reference.wanted())
        assert table.read_text(encoding="utf-8") == expected, "stale: run python tools/trim_reference.py"
    wanted = trim_reference.wanted()
    found = verify_mappings.read_terms(table, wanted)
    missing = {c for c in wanted - set(found) if c.split(":", 1)[0] not in verify_mappings.SOURCE_VERIFIED}
    assert not missing, sorted(missing)
    rows = table.read_text(encoding="utf-8").splitlines()[1:]
    assert len(rows) == len(found)  # no row for a CURIE the project does not ship


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    """A clone of the committed tree with the working copy's files on top, and no shared/ beside it."""
    if shutil.which("git") is None:
        pytest.fail("git is needed to make a fresh clone (apt-get install git)")
    target = tmp_path_factory.mktemp("fresh") / "t2dm-onto"
    files = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    for name in files:
        src = ROOT / name
        if src.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target / name)
    assert not (target.parent / "shared").exists()
    return target


def _env(clone: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(clone / "src")}


@pytest.mark.slow
def test_a_fresh_clone_runs_the_checks_that_need_shared_without_a_skip(clone):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-rs",
            "-p",
            "no:cacheprovider",
            "tests/test_mappings.py",
            "tests/test_reference_copies.py::test_the_review_copy_is_the_review",
            "tests/test_reference_copies.py::test_the_reference_rows_are_fresh_and_cover_every_shipped_curie",
            "tests/test_curation.py",
        ],
        cwd=clone,
        env=_env(clone),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "skipped" not in proc.stdout.lower(), proc.stdout[-3000:]
    assert (
        subprocess.run(
            [sys.executable, "tools/verify_mappings.py"],
            cwd=clone,
            env=_env(clone),
            capture_output=True,
            text=True,
            timeout=300,
        ).returncode
        == 0
    )


def test_validate_in_a_fresh_clone_checks_the_quotes_and_warns_of_a_skipped_check(clone):
    proc = subprocess.run(
        [sys.executable, "-m", "t2dm_onto", "validate", "--no-reasoner"],
        cwd=clone,
        env=_env(clone),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "quotes    passed" in proc.stdout
    assert "WARNING: the reasoner check was skipped (--no-reasoner)" in proc.stdout
    assert "PASSED" not in proc.stdout and proc.stdout.rstrip().splitlines()[-1].startswith("INCOMPLETE:")
    assert proc.stderr.startswith("warning: the reasoner check was skipped")
