"""``t2dm-onto prepare DIR``: parse the knowledge base once into an on-disk store that later commands open.

Every query command parses its files at start: 30 ms for the shipped ontology,
10 s for 10^5 claims, minutes for 10^6 (benchmarks/run.py). A prepared store
(Oxigraph on RocksDB) is opened read-only in milliseconds whatever its size, and
holds its data on disk rather than in memory. Query it with ``--store-dir DIR``.
The store is built in a temporary directory beside DIR and renamed into place
when complete, so a failed run leaves any previous store intact.
"""

from __future__ import annotations

import argparse
import json
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
    p.set_defaults(run=run)


def prepare(directory: Path, files: list[Path]) -> dict:
    """Load ``files`` into a new on-disk store at ``directory``; returns what the store's mark file records."""
    import pyoxigraph as ox

    from .inputs import check_input_file
    from .outputs import atomic_dir, refuse_overwriting_inputs
    from .resolve import INDEX_QUERY
    from .store.oxigraph import PREPARED_INDEX, PREPARED_MARK, OxigraphBackend

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
        (tmp / PREPARED_INDEX).write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
        mark = {"files": [str(p.resolve()) for p in files], "triples": len(store),
                "seconds": round(time.perf_counter() - t0, 2)}
        store.flush()
        del store, backend
        (tmp / PREPARED_MARK).write_text(json.dumps(mark, indent=1) + "\n", encoding="utf-8")
    return mark


def run(args: argparse.Namespace) -> int:
    from .resources import import_file, ontology_file

    files = ([] if args.no_ontology else [ontology_file(), import_file()]) + [Path(f) for f in args.extra]
    if not files:
        raise InputError("nothing to load: --no-ontology needs at least one --with FILE.")
    mark = prepare(args.directory, files)
    print(f"prepared {args.directory}: {mark['triples']} triples from {len(files)} file(s) in {mark['seconds']} s; "
          f"query it with --store-dir {args.directory}")
    return EXIT_OK
