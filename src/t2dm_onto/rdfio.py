"""Reading RDF files, for every store and for ``validate``: one place for the rules a file must pass.

A file is read as the type its name says (:func:`guess_format`); RDF/XML passes
the DTD guard first (:mod:`t2dm_onto.xmlguard`), OBO is converted by
:mod:`t2dm_onto.obo`, and JSON-LD is refused when its context is a reference,
since rdflib would fetch it (a request to any server the file names). The
engines then differ only in the last call: :func:`load_oxigraph` bulk-loads into
a pyoxigraph store, :func:`load_rdflib` parses into an rdflib graph.

pyoxigraph 0.4 (still allowed by pyproject.toml) reads no JSON-LD, so JSON-LD
reaches Oxigraph as N-Triples converted by rdflib, whose reader also enforces
the no-remote-context rule the same way for both stores.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import InputError, MissingDependencyError
from .inputs import check_input_file, read_text_input
from .obo import to_ntriples
from .xmlguard import check_rdfxml

#: File name endings and the format each stands for (rdflib's format names; ``obo`` is ours).
SUFFIXES = {".ttl": "turtle", ".nt": "nt", ".owl": "xml", ".rdf": "xml", ".xml": "xml",
            ".jsonld": "json-ld", ".nq": "nquads", ".trig": "trig", ".obo": "obo"}
#: Formats converted to N-Triples before an engine sees them.
CONVERTED = ("json-ld", "obo")
#: Largest JSON-LD file read (it is parsed whole in memory, as JSON first).
MAX_JSONLD_BYTES = 1024 * 1024 * 1024


class RdfSyntaxError(InputError):
    """The parser rejected the file; ``detail`` is the parser's own first line (for validate's findings)."""

    def __init__(self, message: str, detail: str) -> None:
        super().__init__(message)
        self.detail = detail


def guess_format(path: Path, default: str | None = None) -> str:
    """Short format name from a file extension; ``default`` (if given) for an unknown one, else an error."""
    suffix = Path(path).suffix.lower()
    if suffix in SUFFIXES:
        return SUFFIXES[suffix]
    if default is not None:
        return default
    raise InputError(f"{path}: unknown RDF file type {suffix!r}; use .ttl, .nt, .owl/.rdf (RDF/XML), .jsonld "
                     "or .obo.")


@dataclass(frozen=True)
class RdfFile:
    """A file checked for reading: a regular file, its format known, RDF/XML past the DTD guard."""

    path: Path
    format: str

    def ntriples(self) -> bytes | None:
        """The file as N-Triples for the formats converted first (JSON-LD, OBO); ``None`` for the others."""
        if self.format == "obo":
            return to_ntriples(self.path).encode("utf-8")
        if self.format == "json-ld":
            return parse_jsonld(self.path).serialize(format="nt", encoding="utf-8")
        return None


def open_rdf(path: str | Path, fmt: str | None = None, what: str = "an RDF file to load") -> RdfFile:
    """``path`` checked for reading as ``fmt`` (default: guessed from its name); raises :class:`InputError`."""
    path = Path(path)
    check_input_file(path, what)
    fmt = fmt or guess_format(path)
    if fmt == "xml":
        check_rdfxml(path)
    return RdfFile(path, fmt)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


# -- Oxigraph -------------------------------------------------------------------------


def load_oxigraph(store: Any, path: str | Path, fmt: str | None = None) -> None:
    """Bulk-load one file into the pyoxigraph ``store``; ``fmt`` overrides the format guessed from its name."""
    import pyoxigraph as ox

    formats = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "xml": ox.RdfFormat.RDF_XML,
               "nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}
    source = open_rdf(path, fmt)
    data = source.ntriples()
    try:
        if data is None:
            store.bulk_load(path=str(source.path), format=formats[source.format])
        else:
            store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES)
    except (SyntaxError, ValueError, OSError) as exc:
        raise RdfSyntaxError(f"{source.path}: cannot load it as {source.format}: {exc}. Check the file's syntax "
                             "and type.", _first_line(exc)) from exc


# -- rdflib ---------------------------------------------------------------------------


def rdflib_module():
    """rdflib, or a clear error naming the extra that installs it."""
    try:
        import rdflib
    except ImportError as exc:
        raise MissingDependencyError("the rdflib store needs rdflib: pip install 't2dm-onto[rdflib]'") from exc
    return rdflib


def load_rdflib(graph: Any, path: str | Path, fmt: str | None = None) -> Any:
    """Parse one file into the rdflib ``graph`` and return it; ``fmt`` overrides the guessed format."""
    source = open_rdf(path, fmt)
    if source.format == "obo":
        return graph.parse(data=to_ntriples(source.path), format="nt")
    if source.format == "json-ld":
        return parse_jsonld(source.path, graph)
    try:
        return graph.parse(source.path, format=source.format)
    except Exception as exc:  # rdflib's parsers raise many types
        raise RdfSyntaxError(f"{source.path}: cannot load it as {source.format}: {exc}", _first_line(exc)) from exc


def _remote_context(doc: object) -> str | None:
    """The first ``@context`` / ``@import`` that names a document to fetch (rdflib would fetch it), if any."""
    stack = [doc]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key in ("@context", "@import"):
                value = item.get(key)
                for ref in value if isinstance(value, list) else [value]:
                    if isinstance(ref, str):
                        return ref
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None


def parse_jsonld(path: Path, graph: Any = None) -> Any:
    """Parse a JSON-LD file into ``graph`` (default: a new rdflib Graph) without fetching anything.

    rdflib fetches every ``@context`` given by reference (a URL, or a file path)
    while parsing; a remote context is a request to any server the file names.
    Such files are refused: their context has to be inline.
    """
    rdflib = rdflib_module()
    text = read_text_input(path, "a JSON-LD file", MAX_JSONLD_BYTES)
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise InputError(f"{path}: cannot read it as JSON-LD: not valid JSON ({str(exc)[:200]}).") from None
    remote = _remote_context(doc)
    if remote is not None:
        raise InputError(f"{path}: its JSON-LD context {remote[:200]!r} is a reference, and nothing is fetched "
                         "(no network, no other files): put the context inline in the file and load it again.")
    graph = rdflib.Graph() if graph is None else graph
    try:
        return graph.parse(data=text, format="json-ld", publicID=Path(path).resolve().as_uri())
    except Exception as exc:
        raise InputError(f"{path}: cannot read it as JSON-LD: {str(exc)[:300]}") from exc
