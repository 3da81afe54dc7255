"""The backend interface and the result shape they share (the backends by name: :mod:`.registry`)."""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from ..errors import BackendError, UsageError
from ..terms import Term

T_ = TypeVar("T_")

XSD = "http://www.w3.org/2001/XMLSchema#"
_INTS = {XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
                           "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong")}
_FLOATS = {XSD + t for t in ("decimal", "double", "float")}
_UPDATE = re.compile(
    r"^\s*(?:(?:PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b",
    re.IGNORECASE,
)


def literal_value(lexical: str, datatype: str | None) -> Any:
    """Python value of a literal: ints, floats and booleans typed; everything else as text."""
    try:
        if datatype in _INTS:
            return int(lexical)
        if datatype in _FLOATS:
            value = float(lexical)
            return int(value) if datatype == XSD + "decimal" and value.is_integer() else value
        if datatype == XSD + "boolean":
            return lexical.strip() in ("true", "1")
    except ValueError:
        return lexical
    return lexical


def strip_comments(query: str) -> str:
    return "\n".join(line for line in query.splitlines() if not line.lstrip().startswith("#"))


def refuse_updates(query: str) -> None:
    """Raise a clear error for SPARQL Update: every backend here is read-only."""
    if _UPDATE.match(strip_comments(query)):
        raise UsageError(
            "SPARQL updates (INSERT, DELETE, LOAD, CLEAR, DROP, ...) are refused: the knowledge base is "
            "read-only. Edit the curated tables and rebuild, or load the export into your own store."
        )


def check_read_query(query: str, allow_service: bool = False) -> None:
    """What every backend checks before its engine sees the text: size, depth, SERVICE, then no updates."""
    from ..sparql_guard import check_query

    check_query(query, allow_service=allow_service)
    refuse_updates(query)


@dataclass
class Result:
    """Rows of a SELECT: ``columns`` in projection order, ``rows`` as dicts (``None`` when unbound).

    ``total`` is the size of the whole answer when ``rows`` is one page of it
    (:mod:`t2dm_onto.paging`), and ``offset`` where the page starts.
    """

    columns: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)
    total: int | None = None
    offset: int = 0

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self):
        return iter(self.rows)

    def __getitem__(self, index: int) -> dict[str, Any]:
        return self.rows[index]

    def to_dataframe(self):
        """The rows as a pandas DataFrame (needs pandas)."""
        try:
            import pandas as pd
        except ImportError as exc:
            from ..errors import MissingDependencyError

            raise MissingDependencyError("to_dataframe() needs pandas: pip install pandas") from exc
        return pd.DataFrame(self.rows, columns=self.columns)

    def column(self, name: str) -> list[Any]:
        return [row.get(name) for row in self.rows]


#: Longest query time limit accepted (about 11.6 days; larger values overflow the thread timers).
MAX_TIMEOUT = 1_000_000.0


def check_timeout(value: object, option: str = "--timeout") -> float:
    """``value`` as seconds if it is a finite number in (0, MAX_TIMEOUT], else a :class:`UsageError`.

    0 and negative values used to mean "no limit" without saying so, and nan or
    inf ended in a traceback from the thread timer.
    """
    try:
        seconds = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        seconds = math.nan
    if not 0 < seconds <= MAX_TIMEOUT:  # false for nan too
        raise UsageError(f"timeout ({option}) must be a number of seconds above 0 and at most {MAX_TIMEOUT:,.0f}, "
                         f"not {value!r}; e.g. {option} 30.")
    return seconds


def run_with_timeout(work: Callable[[], T_], timeout: float | None, what: str = "the query") -> T_:
    """Run ``work`` and return its result, or raise :class:`BackendError` after ``timeout`` seconds.

    The embedded stores have no way to cancel a query, and a runaway query (a
    cartesian product typed by hand) would otherwise hold the command for ever.
    ``work`` runs in a daemon thread (pyoxigraph releases the GIL while it
    evaluates); on timeout the caller gets a clear error at once, and the
    abandoned evaluation ends with the process.
    """
    if timeout is None or timeout <= 0:
        return work()
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = work()
        except BaseException as exc:  # handed to the caller's thread below
            box["error"] = exc

    thread = threading.Thread(target=target, name="t2dm-query", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise BackendError(f"{what} did not finish within {timeout:g} s. Narrow it (a LIMIT, more bound "
                           "terms) or allow more time with --timeout SECONDS.")
    if "error" in box:
        raise box["error"]
    return box["value"]


class Backend(Protocol):
    """What every store offers: read-only SELECT with bound parameters, ASK, CONSTRUCT and DESCRIBE."""

    name: str
    allow_service: bool  # let SPARQL SERVICE through the guard (off unless asked for)

    def select(self, query: str, bindings: dict[str, Term | None] | None = None) -> Result: ...

    def ask(self, query: str) -> bool: ...

    def construct(self, query: str) -> list: ...

    def triples(self) -> int: ...
