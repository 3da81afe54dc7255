"""The embedded default: pyoxigraph in memory.

Measured here, pyoxigraph answers the canned queries one to two orders of
magnitude faster than rdflib's SPARQL engine, and loads the ontology in a few
milliseconds. Parameters are joined as a VALUES block at the top of the WHERE
clause, exactly as for rdflib and remote endpoints (pyoxigraph's own
substitutions only reach projected variables), so every store sees one query.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..errors import BackendError, InputError
from ..rdfio import load_oxigraph
from ..terms import Term, with_values
from .base import Result, check_read_query, literal_value, run_with_timeout


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

        ``store`` lets the on-disk stores (:mod:`t2dm_onto.store.disk`) share this loader and query path.
        """
        self.timeout = timeout
        self.store = ox.Store() if store is None else store
        for path in files:
            self.load(Path(path))

    def load(self, path: Path, fmt: str | None = None) -> None:
        """Load one file; ``fmt`` overrides the format guessed from its extension (see :mod:`t2dm_onto.rdfio`)."""
        load_oxigraph(self.store, path, fmt)

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
