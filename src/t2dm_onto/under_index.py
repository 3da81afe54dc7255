"""``claims-under`` answered from a claims index of a prepared store: a page in milliseconds, not seconds.

Where the time went (10^5 claims, the example ``term=GO:0001503``, 5,046 claims):
the walk itself is cheap, but the SPARQL walks up from each of the 20,000 entities
under ``t2dm:Entity`` to test whether it lies under the term (1.3 s), then reads
every reached claim's cells, labels and statement from disk and sorts them
(0.5-1 s), all before a page can be cut; reading a label from the on-disk store
costs about 0.1 ms, so even the few hundred labels of the match texts add tens
of milliseconds. ``t2dm-onto prepare`` therefore saves, beside the store, an
SQLite file (:func:`build`) with every claim's cells of that query (its rows per
language, each with its rank in the query's order), which claims name which
entity, every label, and the set of classes under ``t2dm:Entity``. A query
(:func:`answer`) then runs only the walk in SPARQL (``queries/internal/under-matches.rq``:
walking down from the term, no labels, milliseconds), builds the match texts
with the saved labels, and takes the claims, their rows and their order from
the index: only the page's rows are read. Measured on 10^5 claims (load 8-9 on
2 cores): the first page of ``term=GO:0001503`` in 20 ms, a page at offset 3000
in 48 ms (the SPARQL: 4 s), a fresh process's first answer in 0.17 s; the index
takes 55 s to build and 99 MB.

The rows are the SPARQL's, cell for cell, in its order. ``claims-under.rq``
concatenates ``matched_via`` from a sub-SELECT ordered by the match text (so
Oxigraph lists them sorted; here: ``sorted``) and orders its rows by every cell,
so no two rows tie; the rank saved per row is that order without ``matched_via``
(equal cells, equal rank: one row of the answer, as the query's GROUP BY makes
it), and ``matched_via`` is the sorted union of the match texts of the claims
behind it. The walk (which classes lie under the term, through the matches and
subclass paths) runs in SPARQL on the store itself; the index supplies what
depends on the data alone: the classes under ``t2dm:Entity``, labels, claims
and rows. Tests (tests/test_under_index.py) compare both on the review, with and
without external ontology fragments in the store, and on a synthetic graph.

Used only when it belongs to the same data and the same query: its header records
the content hash of the files the store was built from (as :mod:`t2dm_onto.summaries`
does) and a hash of the query's SPARQL and of the internal queries above; on a
mismatch, on a store without the file, or when the data hold cells the index
cannot group and order as SPARQL does (sections, statements or aspects of more
than one kind of literal: :func:`_one_kind`), the query runs from SPARQL. A
prepared store holds exactly the files it was built from (``--store-dir`` loads
no linked ontology beside it, even with ``--links``), so what the index saves is
what the store holds; only the prepared backend (``summaries`` and ``data_hash``
set by :func:`t2dm_onto.store.disk.open_prepared`) is answered from it.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any

from . import sqlite_index
from .catalog import CannedQuery, internal
from .paging import Page
from .store.base import Result
from .terms import Term

#: Inside a prepared store.
FILE = "t2dm-onto-under.sqlite"
FORMAT = 2
#: The query answered from the index.
QUERY = "claims-under"
LANGS = ("en", "zh")
#: The internal queries the index is built and read with.
INTERNAL = ("under-matches", "under-classes", "under-claims", "under-aspects", "labels-in")
COLUMNS = ["claim", "subject_label", "relation_name", "object_label", "aspect", "claim_section", "matched_via",
           "statement"]
#: The cells of :data:`COLUMNS` in the query's ORDER BY (``matched_via`` is one per claim: left out of the rank).
_ORDER = ["claim", "subject_label", "relation_name", "object_label", "aspect", "claim_section", "statement"]


def rule_hash(query: CannedQuery) -> str:
    """What decides the rows besides the data: the query's SPARQL, the internal queries, the format."""
    key = json.dumps([FORMAT, query.sparql, [internal(n) for n in INTERNAL]], ensure_ascii=False)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


# -- building --------------------------------------------------------------------------
def _key(cells: tuple[Any, ...]) -> tuple[tuple[int, str], ...]:
    """SPARQL's ascending order of the cells: unbound first, then strings by code point (as Oxigraph and Python)."""
    return tuple((0, "") if v is None else (1, v) for v in cells)


def _rows(store: Any) -> dict[str, Any] | None:
    """Per language, every claim's distinct rows (claim number, cells in :data:`_ORDER`); also the claims'
    subjects and objects and every label; None if not indexable."""
    claims = store.select(internal("under-claims")).rows
    aspect_rows = store.select(internal("under-aspects")).rows
    if not (_one_kind(claims) and _one_kind(aspect_rows, "http://www.w3.org/2001/XMLSchema#string@")):
        return None
    aspects: dict[str, list[Any]] = {}
    for row in aspect_rows:
        aspects.setdefault(row["c"], []).append(row["aspect"])
    number: dict[str, int] = {}
    out: dict[str, Any] = {"labels": []}
    for lang in LANGS:
        labels: dict[str, list[str]] = {}
        for row in store.select(internal("labels-in"), {"lang": Term.literal(lang)}).rows:
            labels.setdefault(row["x"], []).append(row["l"])
            out["labels"].append((lang, row["x"], row["l"]))
        seen: set[tuple[int, tuple[Any, ...]]] = set()
        for row in claims:
            n = number.setdefault(row["c"], len(number))
            for subject_label in labels.get(row["subject"], ()):
                for object_label in labels.get(row["object"], ()):
                    for aspect in aspects.get(row["c"]) or [None]:
                        seen.add((n, (row["claim"], subject_label, row["relation_name"], object_label, aspect,
                                      row["claim_section"], row["statement"])))
        out[lang] = list(seen)
    if any(not isinstance(v, str) for lang in LANGS for _n, cells in out[lang] for v in cells if v is not None):
        return None
    out["claims"] = [(number[row["c"]], (row["subject"], row["object"])) for row in claims]
    return out


def _one_kind(rows: list[dict[str, Any]], kind: str | None = None) -> bool:
    """Whether every literal of a column is of one kind (datatype and language; ``kind`` if given).

    The index groups and orders rows by their cells' text; SPARQL by their terms,
    which differ for ``"x"`` and ``"x"@en``. With one kind per column they agree.
    The aspect must be a plain string: the query orders by ``?aspect`` itself, not
    ``STR(?aspect)``, since rdflib cannot order by an expression that is unbound.
    """
    kinds = {row["kinds"] for row in rows}
    return len(kinds) <= 1 and None not in kinds and (kind is None or kinds <= {kind})


def build(location: Path, store: Any, data: str, query: CannedQuery) -> bool:
    """Write the index of the store being built on ``location`` (anything with ``select``); False if not indexable."""
    rows = _rows(store)
    path = location / FILE
    if rows is None:
        return False
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        db.execute("CREATE TABLE classes (iri TEXT PRIMARY KEY) WITHOUT ROWID")
        db.execute("CREATE TABLE reach (lang TEXT, entity TEXT, ranks TEXT NOT NULL, PRIMARY KEY (lang, entity)) "
                   "WITHOUT ROWID")
        db.execute("CREATE TABLE cells (lang TEXT, rank INTEGER, cells TEXT NOT NULL, PRIMARY KEY (lang, rank)) "
                   "WITHOUT ROWID")
        db.execute("CREATE TABLE labels (lang TEXT NOT NULL, node TEXT NOT NULL, label TEXT NOT NULL)")
        db.executemany("INSERT INTO labels VALUES (?, ?, ?)", rows["labels"])
        db.executemany("INSERT OR IGNORE INTO classes VALUES (?)",
                       ((r["hit"],) for r in store.select(internal("under-classes")).rows))
        for lang in LANGS:
            ranked = _ranked(rows[lang])
            db.executemany("INSERT OR IGNORE INTO cells VALUES (?, ?, ?)",
                           ((lang, rank, json.dumps(cells, ensure_ascii=False)) for _n, rank, cells in ranked))
            db.executemany("INSERT INTO reach VALUES (?, ?, ?)", _reach(lang, ranked, rows["claims"]))
        db.execute("CREATE INDEX labels_node ON labels (lang, node)")
        db.executemany("INSERT INTO meta VALUES (?, ?)",
                       [("format", str(FORMAT)), ("data", data), ("rule", rule_hash(query))])
    db.close()
    return True


def _ranked(rows: list[tuple[int, tuple[Any, ...]]]) -> list[tuple[int, int, tuple[Any, ...]]]:
    """The rows (claim number, dense rank in the query's order, cells): equal cells, equal rank."""
    out = []
    rank, last = -1, None
    for n, cells in sorted(rows, key=lambda r: _key(r[1])):
        if cells != last:
            rank, last = rank + 1, cells
        out.append((n, rank, cells))
    return out


def _reach(lang: str, ranked: list[tuple[int, int, tuple[Any, ...]]], claims: list[tuple[int, tuple[str, str]]]):
    """Per entity, the ranks of the rows of every claim that names it (as subject or object), as JSON."""
    ranks: dict[int, list[int]] = {}
    for n, rank, _cells in ranked:
        ranks.setdefault(n, []).append(rank)
    per_entity: dict[str, set[int]] = {}
    for n, pair in claims:
        for entity in pair:
            per_entity.setdefault(entity, set()).update(ranks.get(n, ()))
    for entity in sorted(per_entity):
        yield lang, entity, json.dumps(sorted(per_entity[entity]))


# -- reading ---------------------------------------------------------------------------
def _open(path: Path, data: str | None, query: CannedQuery) -> sqlite3.Connection | None:
    """The index at ``path`` if it matches ``data`` and the query; the connection is kept while the file is unchanged."""
    return sqlite_index.open_matching(path, {"format": str(FORMAT), "data": data, "rule": rule_hash(query)})


def _many(db: sqlite3.Connection, sql: str, head: tuple[Any, ...], values: list[Any]) -> list[tuple[Any, ...]]:
    """``sql`` with its last parameter a JSON list of ``values`` (read with ``json_each``)."""
    return db.execute(sql, (*head, json.dumps(values))).fetchall()


def answer(backend: Any, query: CannedQuery, bindings: dict[str, Term | None], page: Page) -> Result | None:
    """The page of ``claims-under`` from the store's index, or None (then SPARQL answers)."""
    folder = getattr(backend, "summaries", None)
    if query.name != QUERY or folder is None or bindings.get("term") is None:
        return None
    db = _open(folder.parent / FILE, getattr(backend, "data_hash", None), query)
    if db is None:
        return None
    lang = bindings["lang"].value
    matches = _matches(db, lang, backend.select(internal("under-matches"), {"term": bindings["term"]}).rows)
    if matches is None:
        return None
    groups: dict[int, set[str]] = {}  # rank -> the match texts of the claims behind it
    for entity, ranks in _many(db, "SELECT entity, ranks FROM reach WHERE lang = ? AND entity IN "
                               "(SELECT value FROM json_each(?))", (lang,), list(matches)):
        found = matches[entity]
        for rank in json.loads(ranks):
            if rank in groups:
                groups[rank].update(found)
            else:
                groups[rank] = set(found)
    order = sorted(groups)
    ranks = page.cut(order)
    cells = dict(_many(db, "SELECT rank, cells FROM cells WHERE lang = ? AND rank IN (SELECT value FROM json_each(?))",
                       (lang,), ranks))
    rows = []
    for rank in ranks:
        row = dict(zip(_ORDER, json.loads(cells[rank]), strict=True))
        row["matched_via"] = "; ".join(sorted(groups[rank]))
        rows.append({c: row[c] for c in COLUMNS})
    return Result(list(COLUMNS), rows, total=len(order), offset=page.offset)


def _matches(db: sqlite3.Connection, lang: str, rows: list[dict[str, Any]]) -> dict[str, set[str]] | None:
    """Each reached entity's match texts in ``lang``: "entity label[ < hit label]" and the walk's ``?ext``.

    Every first-branch row counts, and the second branch's where the hit is under
    ``t2dm:Entity``; an entity or hit without a label in ``lang`` gives none, as the
    query's label patterns. None (then SPARQL answers) if some ``?ext`` is unbound.
    """
    candidates = sorted({r["hit"] for r in rows if r["branch"] != 1})
    ours = {iri for (iri,) in _many(db, "SELECT iri FROM classes WHERE iri IN (SELECT value FROM json_each(?))",
                                    (), candidates)}
    kept = [r for r in rows if r["branch"] == 1 or r["hit"] in ours]
    if any(r["ext"] is None for r in kept):
        return None
    labels: dict[str, list[str]] = {}
    for node, label in _many(db, "SELECT node, label FROM labels WHERE lang = ? AND node IN "
                             "(SELECT value FROM json_each(?))", (lang,),
                             sorted({r[k] for r in kept for k in ("hit", "entity")})):
        labels.setdefault(node, []).append(label)
    out: dict[str, set[str]] = {}
    for r in kept:
        entity, hit = r["entity"], r["hit"]
        for hit_label in labels.get(hit, ()):
            via = f" < {hit_label}" if hit != entity else ""
            for entity_label in labels.get(entity, ()):
                out.setdefault(entity, set()).add(entity_label + via + r["ext"])
    return out
