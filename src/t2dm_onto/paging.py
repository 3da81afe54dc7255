"""Pages of a listing query's answer: ``limit`` rows after skipping ``offset``, in the query's own order.

SPARQL 1.1 cannot take LIMIT or OFFSET from a variable, and the toolkit pastes
nothing into query text, so a page is cut from the answer by the toolkit. The
order is the query's ORDER BY as the store returns it; every page of one store
and one knowledge base comes from the same answer, so the pages, concatenated,
are the unpaged answer. The cut is cheap where the answer is materialised
(:mod:`t2dm_onto.summaries`: only the page's rows are read); elsewhere the store
still computes the whole answer, and the page only keeps the output small.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .catalog import CannedQuery
from .errors import UsageError

#: The parameters a listing query (``#+ page:``) takes besides its own.
PAGE_PARAMS = ("limit", "offset")


@dataclass(frozen=True)
class Page:
    """Rows ``offset`` .. ``offset + limit`` of an answer; ``limit`` None for all of them."""

    offset: int = 0
    limit: int | None = None

    @property
    def stop(self) -> int | None:
        return None if self.limit is None else self.offset + self.limit

    def cut(self, rows: list[Any]) -> list[Any]:
        return rows[self.offset:self.stop]


def _whole(query: CannedQuery, name: str, raw: Any, lo: int) -> int:
    try:
        value = int(str(raw).strip())
    except ValueError:
        raise UsageError(f"parameter '{name}' of query '{query.name}' must be a whole number, not {raw!r}.") from None
    if value < lo:
        raise UsageError(f"parameter '{name}' of query '{query.name}' must be {lo} or more, not {value}.")
    return value


def take_page(query: CannedQuery, params: dict[str, Any]) -> Page:
    """Remove ``limit`` and ``offset`` from ``params`` and return the page they ask for.

    A query without a ``#+ page:`` line is not paged and refuses them (as any unknown
    parameter). ``limit=0`` asks for every row; no ``limit`` for the default page.
    """
    if query.page_size is None:
        return Page()
    limit = params.pop("limit", None)
    offset = params.pop("offset", None)
    size = query.page_size if limit in (None, "") else _whole(query, "limit", limit, 0)
    start = 0 if offset in (None, "") else _whole(query, "offset", offset, 0)
    return Page(start, size or None)
