"""Materialised answers: the whole-graph queries answered once when a store is prepared, then read.

The queries that take no required parameter (the listings and aggregates:
claims, entities, biomarkers, conflicts, pathways…) visit a share of the whole
graph, so their cost grows with it (seconds at 10^5 claims) while their answer
only changes with the data. ``t2dm-onto prepare`` therefore runs each of them
once per language with its defaults (and the queries whose one required
parameter takes few values, once per value) and writes the rows, in the query's order,
into ``summaries/`` inside the store. A canned query asked with its defaults on
that store reads the rows instead, only a page of them: the rows are kept as
blocks of :data:`STEP` JSON lines, each compressed on its own, and the header's
index of the blocks' byte offsets finds the blocks the page touches, which
alone are read and decompressed. Compressed, because a summary repeats its
labels row after row: ``complications-affecting-bone`` at 10^5 claims was 490 MB
of JSON lines in English and 380 MB in Chinese, 16 and 15 MB in blocks; in
blocks, because a page cannot be found in one compressed stream without
inflating it from its start.

A summary is used only when it belongs to the same data and the same query:
its header records the content hash of the files the store was built from (as
the store's mark does) and a hash of the query's SPARQL, so a store rebuilt
from changed files, or a toolkit whose query changed, answers from SPARQL until
the summary is rebuilt; ``prepare`` reuses a previous store's summaries whose
two hashes still match. Each is computed in its own process (two at once on
two cores), stopped after a limit on its CPU time (the store cannot cancel a
query; :mod:`t2dm_onto.children`), and then left out. A query listed in :data:`COMPUTED` has its rows computed in
Python rather than by its SPARQL, the same rows in the same order
(``complications-affecting-bone``: :mod:`t2dm_onto.complications`).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import children, complications
from .catalog import CannedQuery, Catalog, Param, internal
from .namespaces import SECTIONS, STUDY_TYPES
from .paging import Page
from .store.base import Result

#: Inside a prepared store.
FOLDER = "summaries"
#: Bumped when the files' layout or the rows' conversion changes (2: the rows in compressed blocks).
FORMAT = 2
#: Rows per compressed block. A page of 1000 touches at most five blocks (about a thousand rows more to inflate
#: than it shows, well under a millisecond), while the blocks still compress about as well as the whole file:
#: zlib on blocks of 256 rows made the English 10^5 complications summary 16 MB (1024 rows: 14.5 MB; JSON lines: 493 MB).
STEP = 256
#: zlib's level: its default, nearly the smallest output at a fraction of level 9's time.
LEVEL = 6
#: The rows file's suffix (the header's is ``json``).
ROWS = "rows"
LANGS = ("en", "zh")
#: Child processes answering at once (two cores: prepare at 10^5 claims took 10.4 min one at a time).
JOBS = min(2, os.cpu_count() or 1)


def data_hash(files: list[Path]) -> str:
    """SHA-256 of the files' contents, in order: what the store was built from."""
    digest = hashlib.sha256()
    for path in files:
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
        digest.update(b"\0")
    return digest.hexdigest()


@dataclass(frozen=True)
class Computed:
    """How a summary is computed in Python instead of by its query's SPARQL (the same rows, in the same order).

    Why: a query whose join Oxigraph cannot finish within the time limit at scale
    (``complications-affecting-bone``: 1.9 million rows at 10^5 claims, ~400 s
    per language) but that a few small internal queries and a join in Python
    answer in seconds. Its rows then depend on those internal queries as an
    ordinary summary's depend on its SPARQL, so their text is part of
    :func:`sparql_hash`: a changed internal query invalidates the summary.
    """

    #: The rows' columns, the query's own (tests compare them with its SPARQL's).
    columns: tuple[str, ...]
    #: The internal queries (``queries/internal/NAME.rq``) the rows are made from.
    reads: tuple[str, ...]
    #: Given the store's SELECT (``KnowledgeBase.sparql``), the function giving one language's rows (cells in
    #: :attr:`columns` order); split so that what every language shares (the graph) is read once.
    rows: Callable[[Callable[..., Result]], Callable[[str], Iterable[list[Any]]]]


#: The queries whose summary is computed in Python, by name: each is materialised once, with its defaults.
COMPUTED: dict[str, Computed] = {
    complications.QUERY: Computed(tuple(complications.COLUMNS), complications.INTERNAL, complications.per_language),
}


def sparql_hash(query: CannedQuery) -> str:
    """Hash of what decides a summary's rows besides the data: the SPARQL, the fixed bindings, the format,
    and for a query computed in Python (:data:`COMPUTED`) the text of the internal queries it reads."""
    computed = COMPUTED.get(query.name)
    reads = [internal(name) for name in computed.reads] if computed is not None else []
    key = json.dumps([FORMAT, query.sparql, sorted(query.fixed.items()), *reads], ensure_ascii=False)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _choices(param: Param) -> list[str] | None:
    """Every value a parameter can take, when they are few (a study type, a reference number); else None."""
    if param.kind == "study_type":
        return list(STUDY_TYPES)
    if param.kind == "section":
        return list(SECTIONS)
    span = param.int_range
    if span is not None and span[1] - span[0] < 100:
        return [str(n) for n in range(span[0], span[1] + 1)]
    return None


def variants(query: CannedQuery) -> list[dict[str, str]] | None:
    """The arguments ``query`` is materialised for, or None if it is not.

    A query with no required parameter: once, with its defaults. One whose only
    required parameter takes few values (``claims-by-reference``, ``claims-by-study-type``,
    ``claims-in-section``): once per value, the other parameters at their defaults.
    """
    required = [p for p in query.params if p.required]
    if not required:
        return [{}]
    if len(required) == 1 and (values := _choices(required[0])) is not None:
        return [{required[0].name: v} for v in values]
    return None


def materialised_for(query: CannedQuery, given: dict[str, str]) -> bool:
    """Whether ``given`` (the bound parameters' values as text) is one of the query's :func:`variants`."""
    return given in (variants(query) or [])


def summarised(catalog: Catalog) -> list[CannedQuery]:
    """The queries materialised (see :func:`variants`)."""
    return [q for q in catalog if variants(q) is not None]


def _key(args: dict[str, str]) -> str:
    return "".join(f".{k}={v}" for k, v in sorted(args.items()))


def _file(folder: Path, name: str, lang: str, suffix: str, args: dict[str, str] | None = None) -> Path:
    """``name.lang[.param=value].json`` (the header) or ``….rows`` (the rows, :data:`ROWS`)."""
    return folder / f"{name}.{lang}{_key(args or {})}.{suffix}"


# -- reading ---------------------------------------------------------------------
@dataclass(frozen=True)
class Summary:
    """One materialised answer: its header and where its rows are.

    The rows file is a run of zlib streams, one per block of :data:`STEP` rows (the
    last may be shorter), each the block's rows as JSON lines (a JSON array of
    cells per row). ``offsets[i]`` is where block ``i`` starts and the last offset
    is the file's end, so block ``i`` is the bytes ``offsets[i]:offsets[i + 1]``.
    """

    rows_file: Path
    columns: list[str]
    total: int
    offsets: list[int]

    def _blocks(self, first: int, last: int) -> Iterator[list[bytes]]:
        """The JSON lines of blocks ``first`` to ``last`` (included), read in one go and inflated one by one."""
        start = self.offsets[first]
        with self.rows_file.open("rb") as fh:
            fh.seek(start)
            packed = fh.read(self.offsets[last + 1] - start)
        for block in range(first, last + 1):
            text = zlib.decompress(packed[self.offsets[block] - start:self.offsets[block + 1] - start])
            yield text.split(b"\n")[:-1]  # JSON escapes a newline in a string: each row is one line

    def page(self, page: Page) -> Result:
        """The page's rows, from the blocks it touches only."""
        stop = self.total if page.stop is None else min(page.stop, self.total)
        lines: list[bytes] = []
        if page.offset < stop:
            first = page.offset // STEP
            for block, text in enumerate(self._blocks(first, (stop - 1) // STEP), start=first):
                at = block * STEP
                lines += text[max(page.offset - at, 0):stop - at]
        cells = json.loads(b"[" + b",".join(lines) + b"]")  # one parse: a quarter of the time of one per row
        rows = [dict(zip(self.columns, row, strict=True)) for row in cells]
        return Result(list(self.columns), rows, total=self.total, offset=page.offset)

    def cells(self) -> Iterator[list[Any]]:
        """Every row, in order, as its list of cells in :attr:`columns` order (one block in memory at a time)."""
        for block in range(len(self.offsets) - 1):
            for lines in self._blocks(block, block):
                yield from json.loads(b"[" + b",".join(lines) + b"]")


def lookup(folder: Path | None, data: str | None, query: CannedQuery, lang: str,
           args: dict[str, str] | None = None) -> Summary | None:
    """The summary of ``query`` with ``args`` in ``lang`` in ``folder`` if it matches ``data`` and the query's SPARQL.

    ``args`` are the bound parameters' values as text (``{"ref": "55"}``); none for the defaults.
    A summary of another :data:`FORMAT` (an older toolkit's, say JSON lines
    uncompressed) is not read: the query runs from SPARQL until ``prepare`` rebuilds it.
    """
    if folder is None or data is None:
        return None
    try:
        head = json.loads(_file(folder, query.name, lang, "json", args).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if (not isinstance(head, dict) or head.get("format") != FORMAT or head.get("data") != data
            or head.get("sparql") != sparql_hash(query)):
        return None
    try:
        summary = Summary(_file(folder, query.name, lang, ROWS, args), list(head["columns"]), int(head["total"]),
                          [int(n) for n in head["offsets"]])
    except (KeyError, TypeError, ValueError):
        return None
    return summary if len(summary.offsets) == -(-summary.total // STEP) + 1 else None


# -- building --------------------------------------------------------------------
def write(folder: Path, data: str, query: CannedQuery, lang: str, result: Result,
          args: dict[str, str] | None = None) -> None:
    """Write one answer: its rows in compressed blocks, then the header (last, so a header means complete rows)."""
    write_rows(folder, data, query, lang, result.columns, ([row[c] for c in result.columns] for row in result.rows),
               args)


def write_rows(folder: Path, data: str, query: CannedQuery, lang: str, columns: list[str],
               rows: Iterable[list[Any]], args: dict[str, str] | None = None) -> None:
    """:func:`write` for rows as lists of cells in ``columns`` order (no dict per row: millions of rows at 10^5)."""
    offsets = [0]
    total = 0
    with _file(folder, query.name, lang, ROWS, args).open("wb") as fh:
        block: list[bytes] = []
        for row in rows:
            block.append(json.dumps(row, ensure_ascii=False).encode("utf-8"))
            total += 1
            if len(block) == STEP:
                offsets.append(offsets[-1] + fh.write(zlib.compress(b"\n".join(block) + b"\n", LEVEL)))
                block = []
        if block:
            offsets.append(offsets[-1] + fh.write(zlib.compress(b"\n".join(block) + b"\n", LEVEL)))
    head = {"format": FORMAT, "query": query.name, "lang": lang, "args": args or {}, "data": data,
            "sparql": sparql_hash(query), "columns": list(columns), "total": total, "offsets": offsets}
    _file(folder, query.name, lang, "json", args).write_text(json.dumps(head) + "\n", encoding="utf-8")


# -- per-value answers cut from the claims listing ---------------------------------
#: The source of the per-value answers below: every claim, every filter open (its defaults).
SOURCE = "claims"
#: The queries whose per-value answers are cut from it (see :func:`_cut`).
DERIVED = ("claims-in-section", "claims-by-reference", "claims-by-study-type")


def _claims_with(rows: list[list[Any]], column: int, keep: Any) -> set[Any]:
    """The claims (first column) having some row whose ``column`` satisfies ``keep``."""
    return {row[0] for row in rows if row[column] is not None and keep(row[column])}


def _cut(name: str, columns: list[str], rows: list[list[Any]], value: str) -> list[list[Any]] | None:
    """The rows of ``name`` with its parameter at ``value``, from the rows of :data:`SOURCE`; None if not derivable.

    The three queries share the claims query's columns and rows per claim (one per
    study type); each keeps every row of the claims its filter admits, exactly as
    its SPARQL filter does: the section or a subsection (``claims-in-section``,
    the claims query's own body), a cited reference number (``references`` is
    the comma-separated list of them), a study type among the claim's.
    """
    if name == "claims-in-section":
        at = columns.index("claim_section")
        return [r for r in rows if r[at] == value or str(r[at]).startswith(value + ".")]
    if name == "claims-by-reference":
        keep = _claims_with(rows, columns.index("references"), lambda refs: value in str(refs).split(","))
    elif name == "claims-by-study-type":
        keep = _claims_with(rows, columns.index("study"), lambda study: study == value)
    else:
        return None
    return [r for r in rows if r[0] in keep]


def _derive(folder: Path, data: str, query: CannedQuery, source: CannedQuery) -> bool:
    """Write every variant of ``query`` cut from ``source``'s summaries in ``folder``; True if done.

    One pass over the claims listing replaces a SPARQL query per value and language
    (26 sections, 66 references, 7 study types): the per-value answers cost a
    filter of rows already computed.
    """
    cases = variants(query) or []
    summaries = {lang: lookup(folder, data, source, lang) for lang in LANGS}
    if query.name not in DERIVED or not all(len(args) == 1 for args in cases) or not all(summaries.values()):
        return False
    for lang, summary in summaries.items():
        if summary.columns[0] != "claim":
            return False
        rows = list(summary.cells())
        for args in cases:
            cut = _cut(query.name, summary.columns, rows, next(iter(args.values())))
            write(folder, data, query, lang,
                  Result(list(summary.columns), [dict(zip(summary.columns, r, strict=True)) for r in cut]), args)
    return True


def _reuse(old: Path, new: Path, data: str, query: CannedQuery) -> bool:
    """Copy ``query``'s summaries from a previous store when both still match; True if copied."""
    cases = [(lang, args) for args in variants(query) or [] for lang in LANGS]
    if not all(lookup(old, data, query, lang, args) for lang, args in cases):
        return False
    for lang, args in cases:
        for suffix in ("json", ROWS):
            _file(new, query.name, lang, suffix, args).write_bytes(_file(old, query.name, lang, suffix, args).read_bytes())
    return True


def build(location: Path, data: str, timeout: float, previous: Path | None = None,
          catalog: Catalog | None = None, *, child: str = "t2dm_onto.prepare", jobs: int = JOBS) -> dict[str, str]:
    """Materialise every summarised query into ``location/summaries``; returns each query's outcome.

    ``location`` is a complete prepared store (mark written, no writer open).
    Each query runs in a child process, ``python -m CHILD LOCATION QUERY``, killed
    once it has used ``timeout`` seconds of CPU time (:mod:`t2dm_onto.children` says why), ``jobs`` of them at once; the child module
    (:func:`t2dm_onto.prepare.materialise_one`) sits above the API it needs, so
    this module never imports it. The queries cut from the claims listing
    (:data:`DERIVED`) come after every other, once its summary is written.
    """
    catalog = catalog or Catalog()
    folder = location / FOLDER
    folder.mkdir(exist_ok=True)
    order = sorted(summarised(catalog), key=lambda q: q.name in DERIVED)  # the source first
    outcome: dict[str, str] = {}
    fresh = []
    for query in order:
        if previous is not None and _reuse(previous, folder, data, query):
            outcome[query.name] = "reused"
        else:
            fresh.append(query)
    outcome.update(_children(location, [q for q in fresh if q.name not in DERIVED], timeout, jobs, child))
    rest = []
    for query in (q for q in fresh if q.name in DERIVED):
        if _derive(folder, data, query, catalog.get(SOURCE)):
            outcome[query.name] = "built"
        else:
            rest.append(query)
    outcome.update(_children(location, rest, timeout, jobs, child))
    return {q.name: outcome[q.name] for q in order}


def _children(location: Path, queries: list[CannedQuery], timeout: float, jobs: int, child: str) -> dict[str, str]:
    """Answer ``queries`` in child processes (:func:`t2dm_onto.children.run`), at most ``jobs`` at once, each
    stopped past ``timeout`` s of CPU time; each query's outcome as :func:`build` reports it."""
    ended = children.run({q.name: [sys.executable, "-m", child, str(location), q.name] for q in queries}, timeout, jobs)
    outcome = {}
    for query in queries:
        how = ended[query.name]
        if how.ok:
            outcome[query.name] = "built"
            continue
        done = ([lang for lang in LANGS if _file(location / FOLDER, query.name, lang, "json", variants(query)[0]).is_file()]
                if how.stopped else [])
        outcome[query.name] = (f"built for {', '.join(done)}; " if done else "") + f"left out: {how.reason()}"
    return outcome
