"""``t2dm-onto prepare DIR``: parse the knowledge base once into an on-disk store that later commands open.

Every query command parses its files at start: 30 ms for the shipped ontology,
10 s for 10^5 claims, minutes for 10^6 (benchmarks/run.py). A prepared store
(Oxigraph on RocksDB) is opened read-only in milliseconds whatever its size, and
holds its data on disk rather than in memory. Query it with ``--store-dir DIR``.
The store is built in a temporary directory beside DIR and renamed into place
when complete, so a failed run leaves any previous store intact.

The store also carries the materialised answers of the whole-graph queries
(:mod:`t2dm_onto.summaries`), keyed by the content hash of the files, so those
queries read their rows instead of walking the graph.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from .errors import EXIT_OK, InputError

USAGE = """Build an on-disk store of the knowledge base (the shipped ontology, its import module and any --with files);
then `t2dm-onto query ... --store-dir DIR` opens it instead of parsing the files."""


def register(sub) -> None:
    p = sub.add_parser("prepare", help="build an on-disk store for fast starts on large knowledge bases",
                       description=USAGE)
    p.add_argument("directory", type=Path, help="where to put the store (replaced if it exists)")
    p.add_argument("--with", dest="extra", action="append", default=[], metavar="FILE",
                   help="another RDF or OBO file to load beside the knowledge base (repeatable)")
    p.add_argument("--no-ontology", action="store_true",
                   help="load only the --with files (they already contain the ontology)")
    p.add_argument("--no-summaries", action="store_true",
                   help="do not materialise the answers of the whole-graph queries (claims, conflicts, ...)")
    p.add_argument("--summary-timeout", type=float, default=300.0, metavar="SECONDS",
                   help="leave out a query's materialised answer that takes longer than this (default 300)")
    p.set_defaults(run=run)


def prepare(directory: Path, files: list[Path], summaries: bool = True, summary_timeout: float = 300.0) -> dict:
    """Load ``files`` into a new on-disk store at ``directory``; returns what the store's mark file records."""
    import pyoxigraph as ox

    from . import summaries as materialised
    from .inputs import check_input_file
    from .outputs import atomic_dir, refuse_overwriting_inputs
    from .resolve import INDEX_QUERY, EntityIndex
    from .store.base import check_timeout
    from .store.oxigraph import PREPARED_INDEX, PREPARED_MARK, OxigraphBackend

    summary_timeout = check_timeout(summary_timeout, "--summary-timeout")
    refuse_overwriting_inputs(directory, files)
    for path in files:
        check_input_file(path, "an RDF file to load (--with FILE)")
    t0 = time.perf_counter()
    with atomic_dir(directory, "prepare") as tmp:
        # the in-memory backend's loader, so every format (and the RDF/XML guard) is the same
        backend = OxigraphBackend(files, store=ox.Store(str(tmp)))
        store = backend.store
        store.optimize()
        rows = backend.select(INDEX_QUERY).rows
        (tmp / PREPARED_INDEX).write_text(json.dumps(EntityIndex.from_rows(rows).saved(), ensure_ascii=False),
                                          encoding="utf-8")
        mark = {"files": [str(p.resolve()) for p in files], "triples": len(store),
                "data": materialised.data_hash(files)}
        store.flush()
        del store, backend
        (tmp / PREPARED_MARK).write_text(json.dumps(mark, indent=1) + "\n", encoding="utf-8")
        if summaries:
            previous = directory / materialised.FOLDER
            mark["summaries"] = materialised.build(tmp, mark["data"], summary_timeout,
                                                   previous if previous.is_dir() else None)
        mark["seconds"] = round(time.perf_counter() - t0, 2)
        (tmp / PREPARED_MARK).write_text(json.dumps(mark, indent=1) + "\n", encoding="utf-8")
    return mark


def run(args: argparse.Namespace) -> int:
    from .resources import import_file, ontology_file

    files = ([] if args.no_ontology else [ontology_file(), import_file()]) + [Path(f) for f in args.extra]
    if not files:
        raise InputError("nothing to load: --no-ontology needs at least one --with FILE.")
    mark = prepare(args.directory, files, summaries=not args.no_summaries, summary_timeout=args.summary_timeout)
    done = mark.get("summaries", {})
    left = [f"{name} ({why})" for name, why in done.items() if "left out" in why]
    print(f"prepared {args.directory}: {mark['triples']} triples from {len(files)} file(s) in {mark['seconds']} s, "
          f"{len(done) - len(left)} materialised answer(s); query it with --store-dir {args.directory}")
    for item in left:
        print(f"warning: not materialised: {item}; that query runs from SPARQL", file=sys.stderr)
    return EXIT_OK
