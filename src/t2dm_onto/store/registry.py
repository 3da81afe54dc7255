"""The store backends by name: the one list that ``--store`` and ``KnowledgeBase(store=...)`` read.

A backend is added here, with a line saying what it is, and nowhere else: the
CLI's choices and the error for an unknown name follow. Factories import their
backend only when called, so listing the names stays cheap (the CLI builds its
parser from them at every start) and ``base`` never imports a subclass.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import UsageError
from .base import Backend


@dataclass(frozen=True)
class StoreKind:
    """One embedded store: its name, what it is, and how to open it on files."""

    name: str
    description: str
    factory: Callable[[Sequence[Path], float | None], Backend]


def _oxigraph(files: Sequence[Path], timeout: float | None) -> Backend:
    from .oxigraph import OxigraphBackend

    return OxigraphBackend(files, timeout=timeout)


def _rdflib(files: Sequence[Path], timeout: float | None) -> Backend:
    from .rdflib_backend import RdflibBackend

    return RdflibBackend(files, timeout=timeout)


#: The embedded stores, the default first.
STORES: dict[str, StoreKind] = {kind.name: kind for kind in (
    StoreKind("oxigraph", "pyoxigraph in memory: the default, fast", _oxigraph),
    StoreKind("rdflib", "rdflib in memory: pure Python, slower, everywhere", _rdflib),
)}
DEFAULT = next(iter(STORES))


def store_names() -> tuple[str, ...]:
    """The names ``--store`` accepts, the default first."""
    return tuple(STORES)


def store_kind(name: str) -> StoreKind:
    if name not in STORES:
        choices = ", ".join(repr(n) + (" (default)" if n == DEFAULT else "") for n in STORES)
        raise UsageError(f"unknown store {name!r}: use {choices}, or --endpoint URL.")
    return STORES[name]


def open_backend(
    kind: str = DEFAULT, files: Sequence[Path] = (), endpoint: str | None = None, timeout: float = 30.0,
    graph: str | None = None, location: Path | None = None,
) -> Backend:
    """Open a backend by name; ``endpoint`` (a URL) selects the remote one whatever ``kind`` says.

    ``graph`` (endpoints only) is the named graph holding the knowledge base.
    ``location`` opens a store prepared on disk by ``t2dm-onto prepare`` (Oxigraph only).
    """
    if endpoint:
        from .endpoint import EndpointBackend

        return EndpointBackend(endpoint, timeout=timeout, graph=graph)
    if graph:
        raise UsageError("--graph names the graph on a remote store: use it with --endpoint URL.")
    if location is not None:
        if kind != "oxigraph":
            raise UsageError("a prepared store (--store-dir) is an Oxigraph store: drop --store rdflib.")
        from .disk import open_prepared

        return open_prepared(Path(location), timeout=timeout)
    return store_kind(kind).factory(files, timeout)
