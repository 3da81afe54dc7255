"""rdflib as an optional backend: pure Python, slower, but everywhere.

Parameters are joined as a VALUES block at the top of the WHERE clause (the
SPARQL 1.1 semantics a remote endpoint also sees).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..errors import InputError, MissingDependencyError
from ..terms import Term, with_values
from .base import Result, guess_format, literal_value, refuse_updates


def _rdflib():
    try:
        import rdflib
    except ImportError as exc:
        raise MissingDependencyError("the rdflib store needs rdflib: pip install 't2dm-onto[rdflib]'") from exc
    return rdflib


def jsonld_to_ntriples(path: Path) -> bytes:
    rdflib = _rdflib()
    try:
        return rdflib.Graph().parse(path, format="json-ld").serialize(format="nt", encoding="utf-8")
    except Exception as exc:
        raise InputError(f"{path}: cannot read it as JSON-LD: {exc}") from exc


class RdflibBackend:
    name = "rdflib"

    def __init__(self, files: Sequence[Path] = ()) -> None:
        rdflib = _rdflib()
        self.graph = rdflib.Graph()
        for path in files:
            fmt = guess_format(Path(path))
            if fmt == "obo":
                from ..obo import to_ntriples

                self.graph.parse(data=to_ntriples(Path(path)), format="nt")
                continue
            try:
                self.graph.parse(path, format=fmt)
            except Exception as exc:
                raise InputError(f"{path}: cannot load it as {fmt}: {exc}") from exc

    def _run(self, query: str):
        refuse_updates(query)
        try:
            return self.graph.query(query)
        except Exception as exc:  # pyparsing and rdflib raise several types
            raise InputError(f"SPARQL error: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from exc

    def select(self, query: str, bindings: dict[str, Term | None] | None = None) -> Result:
        rdflib = _rdflib()
        result = self._run(with_values(query, bindings or {}))
        if result.type != "SELECT":
            raise InputError("only SELECT queries return rows here.")
        columns = [str(v) for v in result.vars]
        rows = []
        for row in result:
            out = {}
            for c in columns:
                term = row[c]
                if term is None:
                    out[c] = None
                elif isinstance(term, rdflib.Literal):
                    out[c] = literal_value(str(term), str(term.datatype) if term.datatype else None)
                else:
                    out[c] = str(term)
            rows.append(out)
        return Result(columns, rows)

    def ask(self, query: str) -> bool:
        return bool(self._run(query).askAnswer)

    def triples(self) -> int:
        return len(self.graph)
