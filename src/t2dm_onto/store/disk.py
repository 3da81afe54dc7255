"""On-disk Oxigraph stores: built whole or not at all, then opened read-only in milliseconds.

Two commands keep a store on disk: ``t2dm-onto prepare DIR`` (the knowledge base
parsed once, for large ones) and ``t2dm-onto link`` (external ontologies beside
it). Both build the store the same way, here: in a temporary folder beside the
target (:func:`t2dm_onto.outputs.atomic_dir`, which marks the folder as that
command's output and swaps it in only when the block succeeds), loaded through
the in-memory backend's loader, so every file type and the RDF/XML guard are the
same as for ``--with FILE``. What each command records about its store (the
prepared store's mark and entity index here, the link manifest in
:mod:`t2dm_onto.link`) is its own.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from ..errors import BackendError, InputError, T2DMError
from .base import Result
from .oxigraph import OxigraphBackend

#: The file ``t2dm-onto prepare`` writes into a prepared store: what it was built from.
PREPARED_MARK = "t2dm-onto-store.json"
#: The entity names a prepared store carries, so that resolving a name needs no index query.
PREPARED_INDEX = "t2dm-onto-entity-index.sqlite"


class NewStore:
    """A store being built in ``folder`` (see :func:`new_store`); ``backend`` queries it until :meth:`close`."""

    def __init__(self, folder: Path) -> None:
        import pyoxigraph as ox

        self.folder = folder
        self.backend: OxigraphBackend | None = OxigraphBackend(store=ox.Store(str(folder)))

    def fill(self, files: Sequence[Path]) -> list[int]:
        """Load ``files`` in order and optimise the store; the triples each file added."""
        store = self._open().store
        added, before = [], len(store)
        for path in files:
            self._open().load(Path(path))
            added.append(len(store) - before)
            before = len(store)
        store.optimize()
        return added

    def triples(self) -> int:
        return len(self._open().store)

    def select(self, text: str, bindings: dict | None = None) -> Result:
        """A SELECT over the store being built (prepare saves the entity index and the chain index this way)."""
        return self._open().select(text, bindings)

    def close(self, flush: bool = True) -> None:
        """Write the store out and let it go, so that other processes can open the folder."""
        if self.backend is not None and flush:
            self.backend.store.flush()
        self.backend = None  # pyoxigraph closes the store when its last reference goes

    def _open(self) -> OxigraphBackend:
        if self.backend is None:
            raise RuntimeError("the store is closed")  # a programming error, not a user's
        return self.backend


@contextlib.contextmanager
def new_store(path: Path, kind: str, *, unmarked_ok: bool = False) -> Iterator[NewStore]:
    """A new on-disk store that replaces the folder ``path`` only if the block succeeds.

    ``kind`` is the command (``prepare``, ``link``) whose mark the folder gets;
    ``unmarked_ok`` lets an unmarked folder be replaced (the link store, in our own data home).
    """
    from ..outputs import atomic_dir

    with atomic_dir(path, kind, unmarked_ok=unmarked_ok) as tmp:
        built = NewStore(tmp)
        try:
            yield built
        except BaseException:
            built.close(flush=False)
            raise
        built.close()


def open_read_only(folder: Path, timeout: float | None, error: Callable[[OSError], T2DMError]) -> OxigraphBackend:
    """The backend over the on-disk store in ``folder``, opened read-only; ``error`` says why it cannot be."""
    import pyoxigraph as ox

    try:
        return OxigraphBackend(timeout=timeout, store=ox.Store.read_only(str(folder)))
    except OSError as exc:
        raise error(exc) from exc


def open_prepared(location: Path, timeout: float | None = None) -> OxigraphBackend:
    """Open a store prepared on disk (``t2dm-onto prepare``) read-only: milliseconds, whatever its size.

    Parsing is the cost that grows with the knowledge base (10 s for 10^5
    claims); a prepared store is parsed once and then only opened.
    """
    if not (location / PREPARED_MARK).is_file():
        raise InputError(f"{location} is not a store prepared by `t2dm-onto prepare` "
                         f"(no {PREPARED_MARK} in it). Run `t2dm-onto prepare {location}` first.")
    backend = open_read_only(location, timeout,
                             lambda exc: BackendError(f"cannot open the prepared store {location}: {exc}"))
    index = location / PREPARED_INDEX
    backend.index_file = index if index.is_file() else None
    try:
        backend.data_hash = json.loads((location / PREPARED_MARK).read_text(encoding="utf-8")).get("data")
    except (OSError, ValueError):
        backend.data_hash = None
    backend.summaries = location / "summaries"
    return backend
