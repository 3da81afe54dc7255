"""The embedded default: pyoxigraph in memory.

Measured here, pyoxigraph answers the canned queries one to two orders of
magnitude faster than rdflib's SPARQL engine, and loads the ontology in a few
milliseconds. Parameters are joined as a VALUES block at the top of the WHERE
clause, exactly as for rdflib and remote endpoints (pyoxigraph's own
substitutions only reach projected variables), so every store sees one query.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..errors import BackendError, InputError
from ..terms import Term, with_values
from .base import Result, check_read_query, guess_format, literal_value, run_with_timeout
from .xmlguard import check_rdfxml

#: The file ``t2dm-onto prepare`` writes into a prepared store: what it was built from.
PREPARED_MARK = "t2dm-onto-store.json"
#: The entity names a prepared store carries, so that resolving a name needs no index query.
PREPARED_INDEX = "t2dm-onto-entity-index.json"

_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "xml": ox.RdfFormat.RDF_XML,
    "nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG,
}


def _python(term):
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        return literal_value(term.value, term.datatype.value if term.datatype else None)
    return term.value


def _evaluation_error(exc: Exception) -> Exception:
    """The project error for a failure while a query runs: the query's fault (3) or a failed request (4)."""
    if isinstance(exc, OSError):
        return BackendError(f"the query failed while running: {exc}")
    return InputError(f"the query cannot be evaluated: {exc}. Check the query.")


class OxigraphBackend:
    name = "oxigraph"
    index_file: Path | None = None  # entity names saved by `t2dm-onto prepare`
    allow_service = False  # SPARQL SERVICE sends requests to other servers: only on explicit request
    summaries: Path | None = None  # materialised answers saved by `t2dm-onto prepare` (t2dm_onto.summaries)
    data_hash: str | None = None  # the content hash of the files a prepared store was built from

    def __init__(self, files: Sequence[Path] = (), timeout: float | None = None,
                 store: ox.Store | None = None) -> None:
        """Load ``files`` into ``store`` (default: a new in-memory store).

        ``store`` lets the on-disk stores (``prepare``, ``link``) share this loader and query path.
        """
        self.timeout = timeout
        self.store = ox.Store() if store is None else store
        for path in files:
            self.load(Path(path))

    @classmethod
    def open(cls, location: Path, timeout: float | None = None) -> OxigraphBackend:
        """Open a store prepared on disk (``t2dm-onto prepare``) read-only: milliseconds, whatever its size.

        Parsing is the cost that grows with the knowledge base (10 s for 10^5
        claims); a prepared store is parsed once and then only opened.
        """
        if not (location / PREPARED_MARK).is_file():
            raise InputError(f"{location} is not a store prepared by `t2dm-onto prepare` "
                             f"(no {PREPARED_MARK} in it). Run `t2dm-onto prepare {location}` first.")
        try:
            backend = cls(timeout=timeout, store=ox.Store.read_only(str(location)))
        except OSError as exc:
            raise BackendError(f"cannot open the prepared store {location}: {exc}") from exc
        index = location / PREPARED_INDEX
        backend.index_file = index if index.is_file() else None
        try:
            backend.data_hash = json.loads((location / PREPARED_MARK).read_text(encoding="utf-8")).get("data")
        except (OSError, ValueError):
            backend.data_hash = None
        backend.summaries = location / "summaries"
        return backend

    def load(self, path: Path, fmt: str | None = None) -> None:
        """Load one file; ``fmt`` overrides the format guessed from its extension."""
        from ..inputs import check_input_file

        check_input_file(path, "an RDF file to load")
        fmt = fmt or guess_format(path)
        if fmt == "xml":
            check_rdfxml(path)
        if fmt == "json-ld":
            from .rdflib_backend import jsonld_to_ntriples

            data, rdf_format = jsonld_to_ntriples(path), ox.RdfFormat.N_TRIPLES
        elif fmt == "obo":
            from ..obo import to_ntriples

            data, rdf_format = to_ntriples(path).encode("utf-8"), ox.RdfFormat.N_TRIPLES
        else:
            data, rdf_format = None, _FORMATS[fmt]
        try:
            if data is None:
                self.store.bulk_load(path=str(path), format=rdf_format)
            else:
                self.store.bulk_load(data, format=rdf_format)
        except (SyntaxError, ValueError, OSError) as exc:
            raise InputError(f"{path}: cannot load it as {fmt}: {exc}. Check the file's syntax and type.") from exc

    def select(self, query: str, bindings: dict[str, Term | None] | None = None) -> Result:
        check_read_query(query, self.allow_service)
        return run_with_timeout(lambda: self._select(query, bindings), self.timeout)

    def _select(self, query: str, bindings: dict[str, Term | None] | None) -> Result:
        try:
            solutions = self.store.query(with_values(query, bindings or {}))
        except SyntaxError as exc:
            raise InputError(f"SPARQL syntax error: {exc}") from exc
        except OSError as exc:
            raise BackendError(f"the embedded store failed: {exc}") from exc
        if not isinstance(solutions, ox.QuerySolutions):
            # drop the store's answer here, in its own thread: pyoxigraph objects may not cross threads
            del solutions
            raise InputError("only SELECT queries return rows here; run ASK, CONSTRUCT and DESCRIBE with "
                             "`t2dm-onto sparql` (KnowledgeBase.ask / .construct).")
        columns = [v.value for v in solutions.variables]
        failure: Exception | None = None
        try:
            rows = [{c: _python(sol[c]) for c in columns} for sol in solutions]
        except (RuntimeError, OSError) as exc:  # raised while evaluating (an unbound SERVICE name, a failed request)
            failure = _evaluation_error(exc)
        # pyoxigraph's solutions must be freed on this thread: the error raised below must not hold them
        del solutions
        if failure is not None:
            raise failure
        return Result(columns, rows)

    def ask(self, query: str) -> bool:
        check_read_query(query, self.allow_service)
        return run_with_timeout(lambda: self._answer(query, ox.QueryBoolean, "an ASK", bool), self.timeout)

    def construct(self, query: str) -> list[ox.Triple]:
        """The triples of a CONSTRUCT or DESCRIBE query (read out in the query's thread)."""
        check_read_query(query, self.allow_service)
        return run_with_timeout(lambda: self._answer(query, ox.QueryTriples, "a CONSTRUCT or DESCRIBE", list),
                                self.timeout)

    def _answer(self, query: str, kind: type, form: str, read: Callable[[Any], Any]) -> Any:
        try:
            answer = self.store.query(query)
        except SyntaxError as exc:
            raise InputError(f"SPARQL syntax error: {exc}") from exc
        except OSError as exc:
            raise BackendError(f"the embedded store failed: {exc}") from exc
        except RuntimeError as exc:  # raised while evaluating (an unbound SERVICE name, a failed request)
            raise _evaluation_error(exc) from None
        if not isinstance(answer, kind):
            del answer  # in this thread: pyoxigraph objects may not cross threads
            raise InputError(f"this is not {form} query.")
        try:
            return read(answer)
        except (RuntimeError, OSError) as exc:  # CONSTRUCT evaluates lazily, while its triples are read
            failure = _evaluation_error(exc)
        del answer  # freed on this thread before the error leaves it
        raise failure

    def triples(self) -> int:
        return len(self.store)
