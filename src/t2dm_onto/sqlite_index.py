"""Opening the SQLite indexes a prepared store keeps beside itself, read-only, once per file version.

The chain index, the claims index and the entity-name index are each an SQLite
file that ``t2dm-onto prepare`` writes and a query only reads. Each is opened the
same way (:func:`open_readonly`): read-only, so a reader can never change the
store it answers from, and shareable between threads, since a server answers
queries from several threads on one open file. The first two are also only worth
using when they were built from the same data and by the same rule as the query
now asks (their ``meta`` table says which); :func:`open_matching` checks that,
and keeps the connection and the header per file, so a query pays for the open
and the header once per process, not once per ask, until the file changes.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Mapping
from pathlib import Path

#: What tells one version of a file from the next: a rewrite in place moves the mtime (and usually the size),
#: a replacement by a new file changes the inode even when the clock has not moved.
Stamp = tuple[int, int, int]

_CACHE: dict[Path, tuple[Stamp, sqlite3.Connection | None, dict[str, str]]] = {}


def open_readonly(path: Path) -> sqlite3.Connection:
    """``path`` opened read-only, usable from any thread (the caller keeps it to itself or only reads)."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)


def _stamp(stat: os.stat_result) -> Stamp:
    return stat.st_mtime_ns, stat.st_size, stat.st_ino


def open_matching(path: Path, expect: Mapping[str, str | None]) -> sqlite3.Connection | None:
    """``path`` opened read-only if its ``meta`` table (key, value) holds every value of ``expect``, else None.

    None too for a missing file or one that is not SQLite or has no ``meta`` table
    (say, an older format): the caller then answers without the index. An expected
    value that is None or empty matches nothing: a store that cannot say which
    data it holds cannot vouch for an index of it. The connection and the header
    are kept per path while the file's stamp (mtime, size, inode) is unchanged;
    a changed file is opened again. The header is compared on every call, so one
    cached file serves callers that expect different values.
    """
    try:
        stamp = _stamp(path.stat())
    except OSError:
        return None
    cached = _CACHE.get(path)
    if cached is None or cached[0] != stamp:
        cached = _CACHE[path] = (stamp, *_read(path))
    _, db, meta = cached
    if db is None or any(not value or meta.get(key) != value for key, value in expect.items()):
        return None
    return db


def _read(path: Path) -> tuple[sqlite3.Connection | None, dict[str, str]]:
    """The open file and its header, or (None, {}) when it is not an index with a ``meta`` table."""
    db = None
    try:
        db = open_readonly(path)
        return db, {str(k): str(v) for k, v in db.execute("SELECT key, value FROM meta")}
    except sqlite3.Error:
        if db is not None:
            db.close()
        return None, {}
