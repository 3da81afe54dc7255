"""The catalog of canned queries: ``queries/*.rq`` files with a ``#+`` header.

Header lines (grlc-style, plain text so no YAML is needed on the query path)::

    #+ name: mediators-increasing
    #+ description: one line saying what the query answers
    #+ base: causal-paths                  (optional: reuse another file's SPARQL)
    #+ param: target | entity | required | RANKL | what the parameter means
    #+ fixed: want_sign = 1                (a variable the entry binds itself)
    #+ page: 1000                          (a listing: ``limit``/``offset`` page its rows, default page size)

A ``param`` line is ``name | type | default | example | description``; the
default is ``required`` or ``UNDEF`` (optional, left unbound) or a value.
Types: ``entity``, ``term`` (an external CURIE or IRI, or an entity), ``bool``, ``int A..B``, ``relation``, ``study_type``,
``section``, ``string``. Every query also takes ``lang`` (``en`` or ``zh``).

A ``page`` line makes the query take ``limit`` (rows per page, 0 for all) and
``offset`` (rows to skip); the toolkit applies them to the answer in the query's
own ORDER BY (:mod:`t2dm_onto.paging`), never in the SPARQL text.

In the query body a comment line ``#@parameters`` marks a group where the
parameters' VALUES block is repeated (see :func:`t2dm_onto.terms.with_values`).

The toolkit's own queries (the claim model's reads, the name index) are plain
``.rq`` files too, in ``queries/internal/``: :func:`internal` reads them, and the
catalog, which lists only the top folder, never offers them as canned queries.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

from .errors import InputError, UsageError
from .resources import data_path

#: The folder of the toolkit's own queries, below the catalog's.
INTERNAL = "internal"
REQUIRED = "required"
UNDEF = "UNDEF"
TYPES = ("entity", "term", "bool", "int", "relation", "study_type", "section", "string")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str
    example: str
    description: str

    @property
    def required(self) -> bool:
        return self.default == REQUIRED

    @property
    def int_range(self) -> tuple[int, int] | None:
        if not self.type.startswith("int"):
            return None
        _, _, span = self.type.partition(" ")
        lo, _, hi = span.partition("..")
        return (int(lo), int(hi)) if lo and hi else None

    @property
    def kind(self) -> str:
        return self.type.split(" ", 1)[0]


@dataclass(frozen=True)
class CannedQuery:
    name: str
    description: str
    path: Path
    sparql: str
    params: tuple[Param, ...] = ()
    fixed: dict[str, str] = field(default_factory=dict)
    base: str | None = None
    page_size: int | None = None  # a listing query's default page (``#+ page:``); None: not paged

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.params) or "none"
        raise UsageError(f"query '{self.name}' has no parameter '{name}' (its parameters: {known}, lang).")

    def example_args(self) -> dict[str, str]:
        return {p.name: p.example for p in self.params if p.required}


def _parse_header(path: Path) -> tuple[dict[str, str], list[Param], dict[str, str], str]:
    meta: dict[str, str] = {}
    params: list[Param] = []
    fixed: dict[str, str] = {}
    text = path.read_text(encoding="utf-8")
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#+"):
            continue
        key, _, value = line[2:].strip().partition(":")
        key, value = key.strip(), value.strip()
        if key == "param":
            cells = [c.strip() for c in value.split("|")]
            if len(cells) != 5 or cells[1].split(" ")[0] not in TYPES:
                raise InputError(f"{path}:{lineno}: a param line is 'name | type | default | example | description' "
                                 f"with a type among {', '.join(TYPES)}.")
            params.append(Param(*cells))
        elif key == "fixed":
            name, _, val = value.partition("=")
            fixed[name.strip()] = val.strip()
        elif key == "page":
            if not value.isdigit() or int(value) < 1:
                raise InputError(f"{path}:{lineno}: a page line gives the default page size, a whole number above 0.")
            meta[key] = value
        elif key in ("name", "description", "base"):
            meta[key] = value
        else:
            raise InputError(f"{path}:{lineno}: unknown header key {key!r}.")
    for required in ("name", "description"):
        if required not in meta:
            raise InputError(f"{path}: the header lacks '#+ {required}:'.")
    return meta, params, fixed, text


class Catalog:
    """All canned queries, read lazily from the ``queries/`` folder."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or data_path("queries")

    @cached_property
    def _queries(self) -> dict[str, CannedQuery]:
        raw = {}
        for path in sorted(self.folder.glob("*.rq")):
            meta, params, fixed, text = _parse_header(path)
            if meta["name"] in raw:
                raise InputError(f"{path}: query name {meta['name']!r} is used twice.")
            raw[meta["name"]] = (meta, params, fixed, text, path)
        out = {}
        for name, (meta, params, fixed, text, path) in raw.items():
            base = meta.get("base")
            if base:
                if base not in raw or raw[base][0].get("base"):
                    raise InputError(f"{path}: base query {base!r} does not exist or is itself derived.")
                text = raw[base][3]
            page = int(meta["page"]) if "page" in meta else None
            out[name] = CannedQuery(name, meta["description"], path, text, tuple(params), fixed, base, page)
        return out

    def names(self) -> list[str]:
        return sorted(self._queries)

    def __iter__(self):
        return iter(self._queries[n] for n in self.names())

    def __len__(self) -> int:
        return len(self._queries)

    def get(self, name: str) -> CannedQuery:
        try:
            return self._queries[name]
        except KeyError:
            close = difflib.get_close_matches(name, self.names(), n=3, cutoff=0.4)
            hint = f" Did you mean: {', '.join(close)}?" if close else ""
            raise UsageError(f"unknown query {name!r}.{hint} `t2dm-onto query --list` shows them all.") from None


def internal_names() -> list[str]:
    """The names of the toolkit's own queries (``queries/internal/*.rq``), sorted."""
    return sorted(p.stem for p in data_path("queries", INTERNAL).glob("*.rq"))


@cache
def internal(name: str) -> str:
    """The text of the toolkit's own query ``queries/internal/NAME.rq`` (read once; not a canned query).

    Kept as files rather than Python strings so that every SPARQL text the toolkit
    runs can be read, linted and run in another engine the same way.
    """
    path = data_path("queries", INTERNAL, f"{name}.rq")
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"internal query {path} is missing: reinstall t2dm-onto.") from None
