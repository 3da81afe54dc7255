"""``t2dm-onto prepare DIR``: parse the knowledge base once into an on-disk store that later commands open.

Every query command parses its files at start: 30 ms for the shipped ontology,
10 s for 10^5 claims, minutes for 10^6 (benchmarks/run.py). A prepared store
(Oxigraph on RocksDB) is opened read-only in milliseconds whatever its size, and
holds its data on disk rather than in memory. Query it with ``--store-dir DIR``; the command itself is :mod:`t2dm_onto.cli.prepare`.
The store is built in a temporary directory beside DIR and renamed into place
when complete, so a failed run leaves any previous store intact.

The store also carries the materialised answers of the whole-graph queries
(:mod:`t2dm_onto.summaries`), keyed by the content hash of the files, so those
queries read their rows instead of walking the graph.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def prepare(directory: Path, files: list[Path], summaries: bool = True, summary_timeout: float = 300.0,
            summary_jobs: int | None = None) -> dict:
    """Load ``files`` into a new on-disk store at ``directory``; returns what the store's mark file records.

    ``summary_jobs``: how many materialised answers are computed at once (default :data:`t2dm_onto.summaries.JOBS`);
    ``summary_timeout``: the seconds of CPU time each one's child process may use (``t2dm_onto.children`` says why
    CPU time, and about the wall-clock backstop).
    """
    from . import chain_index, under_index
    from . import summaries as materialised
    from .catalog import Catalog, internal
    from .inputs import check_input_file
    from .outputs import refuse_overwriting_inputs
    from .resolve import EntityIndex
    from .store.base import check_timeout
    from .store.disk import PREPARED_INDEX, PREPARED_MARK, new_store

    summary_timeout = check_timeout(summary_timeout, "--summary-timeout")
    refuse_overwriting_inputs(directory, files)
    for path in files:
        check_input_file(path, "an RDF file to load (--with FILE)")
    t0 = time.perf_counter()
    with new_store(directory, "prepare") as built:
        tmp = built.folder
        built.fill(files)
        rows = built.select(internal("entity-index")).rows
        EntityIndex.from_rows(rows).write(tmp / PREPARED_INDEX)
        mark = {"files": [str(p.resolve()) for p in files], "triples": built.triples(),
                "data": materialised.data_hash(files)}
        chain_index.build(tmp, built, mark["data"])
        under_index.build(tmp, built, mark["data"], Catalog().get(under_index.QUERY))
        built.close()  # the summaries are answered by child processes that open the store themselves
        (tmp / PREPARED_MARK).write_text(json.dumps(mark, indent=1) + "\n", encoding="utf-8")
        if summaries:
            previous = directory / materialised.FOLDER
            mark["summaries"] = materialised.build(tmp, mark["data"], summary_timeout,
                                                   previous if previous.is_dir() else None,
                                                   jobs=summary_jobs or materialised.JOBS)
        mark["seconds"] = round(time.perf_counter() - t0, 2)
        (tmp / PREPARED_MARK).write_text(json.dumps(mark, indent=1) + "\n", encoding="utf-8")
    return mark


def materialise_one(location: Path, name: str) -> None:
    """In the child process of :func:`t2dm_onto.summaries.build`: answer one query in each language, write its summaries."""
    from .kb import KnowledgeBase
    from .store.base import MAX_TIMEOUT
    from .store.disk import PREPARED_MARK
    from .summaries import COMPUTED, FOLDER, LANGS, variants, write, write_rows

    kb = KnowledgeBase(location=location, timeout=MAX_TIMEOUT)  # the parent kills this process at its own limit
    data = json.loads((location / PREPARED_MARK).read_text(encoding="utf-8"))["data"]
    query = kb.catalog.get(name)
    computed = COMPUTED.get(name)
    if computed is not None:  # rows joined in Python rather than by the query's SPARQL (its defaults only)
        rows_in = computed.rows(kb.sparql)
        for lang in LANGS:
            write_rows(location / FOLDER, data, query, lang, list(computed.columns), rows_in(lang))
        return
    for args in variants(query) or []:
        for lang in LANGS:
            result = kb.sparql(query.sparql, kb.bindings(query, args, lang))
            write(location / FOLDER, data, query, lang, result, args)


def main(argv: list[str]) -> int:
    """``python -m t2dm_onto.prepare LOCATION QUERY``: :func:`materialise_one` as a child process.

    An answer too large to materialise (OverflowError) ends it with one line on
    stderr, which ``prepare`` reports as the reason the summary is left out.
    """
    try:
        materialise_one(Path(argv[0]), argv[1])
    except OverflowError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
