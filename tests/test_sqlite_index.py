"""The prepared store's SQLite indexes are opened read-only and used only when their header matches.

``t2dm_onto.sqlite_index`` is what the chain index, the claims index and the entity
index open their files with. These tests write real SQLite files and check what
decides whether a query may use one: a missing file, a file that is not SQLite, a
file without a header and a header of another format, data or rule give None (then
SPARQL answers); a matching file gives a connection that reads it and refuses
writes; and a file rewritten after the first open, in place or by replacement, is
opened again, so its new content is what is read.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from t2dm_onto import sqlite_index

EXPECT = {"format": "4", "data": "d" * 64, "rule": "r" * 64}


def _write(path: Path, meta: dict[str, str], content: str = "first") -> Path:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        db.execute("CREATE TABLE content (value TEXT NOT NULL)")
        db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        db.execute("INSERT INTO content VALUES (?)", (content,))
    db.close()
    return path


def _content(db: sqlite3.Connection) -> str:
    return db.execute("SELECT value FROM content").fetchone()[0]


def test_a_missing_file_gives_none(tmp_path):
    assert sqlite_index.open_matching(tmp_path / "absent.sqlite", EXPECT) is None


def test_a_file_that_is_not_sqlite_gives_none(tmp_path):
    path = tmp_path / "index.sqlite"
    path.write_text('{"format": 3, "hops": []}', encoding="utf-8")  # say, an older JSON index
    assert sqlite_index.open_matching(path, EXPECT) is None


def test_a_file_without_a_header_gives_none(tmp_path):
    path = tmp_path / "index.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE hop (o TEXT)")
    db.close()
    assert sqlite_index.open_matching(path, EXPECT) is None


@pytest.mark.parametrize("key", ["format", "data", "rule"])
def test_a_header_that_differs_in_one_value_gives_none(tmp_path, key):
    path = _write(tmp_path / "index.sqlite", {**EXPECT, key: "other"})
    assert sqlite_index.open_matching(path, EXPECT) is None
    assert sqlite_index.open_matching(path, {**EXPECT, key: "other"}) is not None  # the same file, cached


@pytest.mark.parametrize("key", ["format", "data", "rule"])
def test_a_header_without_a_value_gives_none(tmp_path, key):
    path = _write(tmp_path / "index.sqlite", {k: v for k, v in EXPECT.items() if k != key})
    assert sqlite_index.open_matching(path, EXPECT) is None


def test_an_unknown_expected_value_matches_nothing(tmp_path):
    """A store that does not record its data hash cannot vouch for an index, even one with an empty hash."""
    path = _write(tmp_path / "index.sqlite", {**EXPECT, "data": ""})
    assert sqlite_index.open_matching(path, {**EXPECT, "data": None}) is None
    assert sqlite_index.open_matching(path, {**EXPECT, "data": ""}) is None


def test_a_matching_file_is_opened_read_only_and_kept(tmp_path):
    path = _write(tmp_path / "index.sqlite", EXPECT)
    db = sqlite_index.open_matching(path, EXPECT)
    assert db is not None
    assert _content(db) == "first"
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        db.execute("INSERT INTO content VALUES ('x')")
    assert sqlite_index.open_matching(path, EXPECT) is db  # unchanged file: the same connection


def test_a_file_rewritten_in_place_is_opened_again(tmp_path):
    path = _write(tmp_path / "index.sqlite", EXPECT)
    first = sqlite_index.open_matching(path, EXPECT)
    assert first is not None and _content(first) == "first"
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'data'", ("e" * 64,))
        db.execute("UPDATE content SET value = 'second'")
    db.close()
    os.utime(path, (1, 1))  # a new mtime even if the clock has not moved since the first open
    assert sqlite_index.open_matching(path, EXPECT) is None
    again = sqlite_index.open_matching(path, {**EXPECT, "data": "e" * 64})
    assert again is not None and again is not first
    assert _content(again) == "second"


def test_a_file_replaced_by_a_new_one_is_opened_again(tmp_path):
    """``prepare`` builds a new store beside the old and renames it into place: a new inode, whatever the mtime."""
    path = _write(tmp_path / "index.sqlite", EXPECT)
    first = sqlite_index.open_matching(path, EXPECT)
    assert first is not None
    before = path.stat()
    new = _write(tmp_path / "new.sqlite", EXPECT, content="other")
    os.utime(new, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.replace(new, path)
    again = sqlite_index.open_matching(path, EXPECT)
    assert again is not None and again is not first
    assert _content(again) == "other"


def test_open_readonly_refuses_writes_and_a_missing_file(tmp_path):
    path = _write(tmp_path / "index.sqlite", EXPECT)
    db = sqlite_index.open_readonly(path)
    assert _content(db) == "first"
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        db.execute("DELETE FROM content")
    db.close()
    with pytest.raises(sqlite3.OperationalError):
        sqlite_index.open_readonly(tmp_path / "absent.sqlite")
    assert not (tmp_path / "absent.sqlite").exists()
