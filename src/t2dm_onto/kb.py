"""The Python API: :class:`KnowledgeBase` answers canned queries, ad-hoc SPARQL, claims and stats.

The CLI is a thin shell over this class. Nothing heavy is imported here: the
default store is pyoxigraph; rdflib is imported only when asked for.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

from .catalog import REQUIRED, UNDEF, CannedQuery, Catalog, Param, internal
from .errors import UsageError
from .model import ClaimGraph, build
from .namespaces import BASE, RELATIONS, SECTIONS, STUDY_TYPES
from .resolve import EntityIndex
from .resources import import_file, ontology_file
from .store import Backend, Result, open_backend
from .store.base import check_timeout
from .terms import Term

LANGS = ("en", "zh")
_TRUE = {"true", "yes", "1", "on"}
_FALSE = {"false", "no", "0", "off"}
_INTEGER = re.compile(r"[+-]?[0-9]{1,18}")


def _embedded(store: str, files: list[Path], ontology: str | Path | None, imports: bool, linked: bool,
              timeout: float, graph: str | None) -> Backend:
    """The backend of :meth:`KnowledgeBase.open`: the ontology, its import module and ``files`` in ``store``.

    With ``linked``, the default Oxigraph set-up opens the linked on-disk store
    (:mod:`t2dm_onto.link`); any other set-up loads the linked files with the rest.
    """
    if linked:
        from .link import linked_paths, open_linked

        if store == "oxigraph" and ontology is None and imports:
            backend = open_linked(files, timeout=timeout)
            if backend is not None:
                return backend
        else:
            files = [*linked_paths(), *files]
    paths = [Path(ontology) if ontology else ontology_file()]
    if imports and ontology is None:
        paths.append(import_file())
    return open_backend(store, [*paths, *files], timeout=timeout, graph=graph)


class KnowledgeBase:
    """The knowledge base on a store, opened one of three ways.

    >>> kb = KnowledgeBase.open()                  # embedded Oxigraph with the shipped ontology
    >>> kb.query("mediators-increasing", target="RANKL").column("source_label")[:1]
    ['IL-6']

    - :meth:`open` parses the shipped ontology (and ``files``) into an embedded store,
      ``"oxigraph"`` (default) or ``"rdflib"`` (:mod:`t2dm_onto.store.registry`);
    - :meth:`at` runs everything against a remote SPARQL 1.1 endpoint;
    - :meth:`prepared` opens a store built on disk by ``t2dm-onto prepare`` (large knowledge bases).

    ``KnowledgeBase(...)`` takes the union of their arguments and picks the way from
    them (``location`` for a prepared store, else ``endpoint``, else embedded), as it
    always has; the three constructors call it. Every query text passes
    :func:`t2dm_onto.sparql_guard.check_query` first (size, nesting, no ``SERVICE``);
    ``allow_service=True`` lets federated queries through.
    """

    def __init__(
        self,
        store: str = "oxigraph",
        *,
        endpoint: str | None = None,
        files: Sequence[str | Path] = (),
        ontology: str | Path | None = None,
        timeout: float = 30.0,
        catalog: Catalog | None = None,
        graph: str | None = None,
        imports: bool = True,
        linked: bool = False,
        location: str | Path | None = None,
        allow_service: bool = False,
    ) -> None:
        timeout = check_timeout(timeout)
        self.catalog = catalog or Catalog()
        self.allow_service = allow_service
        if location is not None:
            if files or ontology or endpoint:
                raise UsageError("a prepared store already holds its files: give a store directory, "
                                 "or files, or an endpoint, not both.")
            backend = open_backend(store, (), timeout=timeout, graph=graph, location=Path(location))
        elif endpoint:
            backend = open_backend(store, (), endpoint=endpoint, timeout=timeout, graph=graph)
        else:
            backend = _embedded(store, [Path(f) for f in files], ontology, imports, linked, timeout, graph)
        self.backend: Backend = backend
        self.backend.allow_service = allow_service

    @classmethod
    def open(
        cls, store: str = "oxigraph", *, files: Sequence[str | Path] = (), ontology: str | Path | None = None,
        imports: bool = True, linked: bool = False, timeout: float = 30.0, catalog: Catalog | None = None,
        allow_service: bool = False,
    ) -> KnowledgeBase:
        """An embedded store (``store``: a name from :data:`t2dm_onto.store.STORES`) with the knowledge base.

        ``files`` adds RDF or OBO files (for example external ontologies) beside the
        ontology; ``ontology`` replaces the shipped one. The import module (external
        terms with labels and parents) is loaded with the shipped ontology unless
        ``imports=False``. ``linked=True`` adds the ontologies registered with
        ``t2dm-onto link`` (the CLI's query commands do this by default).
        """
        return cls(store, files=files, ontology=ontology, imports=imports, linked=linked, timeout=timeout,
                   catalog=catalog, allow_service=allow_service)

    @classmethod
    def at(
        cls, endpoint: str, graph: str | None = None, *, timeout: float = 30.0, catalog: Catalog | None = None,
        allow_service: bool = False,
    ) -> KnowledgeBase:
        """The knowledge base loaded into a remote SPARQL 1.1 endpoint (its query URL).

        ``graph`` names the graph there that holds it, sent as ``default-graph-uri``
        (needed on stores whose default graph is the union of all graphs, such as Virtuoso).
        """
        return cls(endpoint=endpoint, graph=graph, timeout=timeout, catalog=catalog, allow_service=allow_service)

    @classmethod
    def prepared(
        cls, directory: str | Path, *, timeout: float = 30.0, catalog: Catalog | None = None,
        allow_service: bool = False,
    ) -> KnowledgeBase:
        """A store prepared on disk by ``t2dm-onto prepare DIR``: opened in milliseconds, nothing parsed."""
        return cls(location=directory, timeout=timeout, catalog=catalog, allow_service=allow_service)

    # -- entities ---------------------------------------------------------------
    @cached_property
    def entities(self) -> EntityIndex:
        """Every entity's names, for resolving parameters.

        A prepared store carries them (the index query costs 1.3 s on 10^5 claims).
        """
        saved = getattr(self.backend, "index_file", None)
        if saved is not None:
            return EntityIndex.open(saved)
        return EntityIndex.from_rows(self.backend.select(internal("entity-index")).rows)

    def resolve(self, name: str, param: str = "entity") -> str:
        """The IRI of the entity ``name`` names (label, synonym, CURIE or IRI, en or zh)."""
        return self.entities.resolve(name, param)

    def resolve_term(self, name: str, param: str = "term") -> str:
        """The IRI of any term: an external CURIE (``GO:0001503``) or IRI as given, else one of our entities.

        A CURIE or IRI that no loaded graph mentions is an error rather than an empty
        answer, since it usually means the ontology defining it is not linked.
        """
        from .curies import expand

        iri = expand(name)
        if iri is None:
            return self.resolve(name, param)
        try:
            node = Term.iri(iri)
        except ValueError:
            raise UsageError(f"parameter '{param}': {name!r} is not a valid CURIE or IRI; give e.g. GO:0001503, "
                             "a full IRI, or one of our entities' names.") from None
        if not self.backend.select(internal("mentions"), {"term": node}).rows:
            raise UsageError(
                f"parameter '{param}': {name} is in neither the knowledge base, its import module nor a linked "
                "ontology. Link the ontology that defines it (`t2dm-onto link FILE`) or pass it with --with FILE.")
        return iri

    # -- queries ----------------------------------------------------------------
    def bindings(self, query: CannedQuery, args: dict[str, Any], lang: str = "en") -> dict[str, Term | None]:
        """Turn user arguments into bound terms, checking names, types and ranges."""
        if lang not in LANGS:
            raise UsageError(f"unknown language {lang!r}: use 'en' or 'zh'.")
        for key in args:
            query.param(key)  # raises for unknown parameters
        out: dict[str, Term | None] = {"lang": Term.literal(lang)}
        for p in query.params:
            raw = args.get(p.name)
            if raw is None or (isinstance(raw, str) and raw == "" and not p.required):
                if p.required:
                    raise UsageError(f"query '{query.name}' needs parameter '{p.name}' ({p.description}), "
                                     f"e.g. {p.name}={p.example}")
                raw = None if p.default in (UNDEF, REQUIRED) else p.default
            out[p.name] = None if raw is None else self._term(query, p, raw)
        for name, raw in query.fixed.items():
            out[name] = None if raw == UNDEF else self._fixed_term(raw)
        return out

    def _fixed_term(self, raw: str) -> Term:
        if raw in ("true", "false"):
            return Term.boolean(raw == "true")
        if raw.lstrip("-").isdigit():
            return Term.integer(int(raw))
        return Term.literal(raw)

    def _term(self, query: CannedQuery, p: Param, raw: Any) -> Term:
        where = f"parameter '{p.name}' of query '{query.name}'"
        text = str(raw).strip()
        kind = p.kind
        if kind == "entity":
            return Term.iri(self.resolve(text, p.name))
        if kind == "term":
            return Term.iri(self.resolve_term(text, p.name))
        if kind == "bool":
            if isinstance(raw, bool):
                return Term.boolean(raw)
            if text.lower() in _TRUE | _FALSE:
                return Term.boolean(text.lower() in _TRUE)
            raise UsageError(f"{where} must be true or false, not {text!r}.")
        if kind == "int":
            # ASCII digits only: int() also takes "٣" and "1_0", which no SPARQL store reads back the same
            if isinstance(raw, bool) or not (isinstance(raw, int) or _INTEGER.fullmatch(text)):
                raise UsageError(f"{where} must be a whole number of at most 18 digits 0-9, not {text[:40]!r}.")
            value = int(text)
            span = p.int_range
            if span and not span[0] <= value <= span[1]:
                raise UsageError(f"{where} must be between {span[0]} and {span[1]}, not {value}.")
            return Term.integer(value)
        if kind == "relation":
            name = text.replace(" ", "_").lower()
            if name not in RELATIONS:
                raise UsageError(f"{where} must be one of {', '.join(RELATIONS)}, not {text!r}.")
            return Term.iri(BASE + name)
        if kind == "study_type":
            if text not in STUDY_TYPES:
                raise UsageError(f"{where} must be one of {', '.join(STUDY_TYPES)}, not {text!r}.")
            return Term.literal(text)
        if kind == "section":
            if text not in SECTIONS:
                raise UsageError(f"{where} must be a section of the review ({', '.join(SECTIONS)}), not {text!r}.")
            return Term.literal(text)
        return Term.literal(text)

    def query(self, query_name: str, /, *, lang: str = "en", **params: Any) -> Result:
        """Run the canned query ``query_name`` with ``params`` (names as in its header).

        A listing query (``#+ page:``) also takes ``limit`` and ``offset`` and returns
        that page, with ``total`` the size of the whole answer. Asked with its defaults
        on a prepared store, a query is read from its materialised answer when the
        store has one for this data and this query (:mod:`t2dm_onto.summaries`).
        """
        from .paging import take_page

        canned = self.catalog.get(query_name)
        params = dict(params)
        page = take_page(canned, params)
        bindings = self.bindings(canned, params, lang)
        folder = getattr(self.backend, "summaries", None)
        if folder is not None:  # a prepared store: its indexes and materialised answers come first
            # paths.py and the index code: not on the default store's path
            from . import chain_index, summaries, under_index

            if (chains := chain_index.answer(self.backend, canned, bindings, page)) is not None:
                return chains
            if (under := under_index.answer(self.backend, canned, bindings, page)) is not None:
                return under
            given = {k: bindings[k].value for k, v in params.items() if v not in (None, "") and bindings[k]}
            stored = (summaries.lookup(folder, getattr(self.backend, "data_hash", None), canned, lang, given)
                      if summaries.materialised_for(canned, given) else None)
            if stored is not None:
                result = stored.page(page)
                return result if canned.page_size else Result(result.columns, result.rows)
        result = self.backend.select(canned.sparql, bindings)
        if canned.page_size is None:
            return result
        return Result(result.columns, page.cut(result.rows), total=len(result.rows), offset=page.offset)

    def sparql(self, text: str, bindings: dict[str, Term | None] | None = None) -> Result:
        """Run a read-only SELECT query, ``bindings`` joined as a VALUES block; updates are refused.

        Unlike :meth:`query` this always asks the store, never a materialised answer
        (:mod:`t2dm_onto.summaries` builds those with it).
        """
        return self.backend.select(text, bindings)

    def ask(self, text: str) -> bool:
        """Run a read-only ASK query."""
        return self.backend.ask(text)

    def construct(self, text: str) -> list:
        """Run a read-only CONSTRUCT or DESCRIBE query: its triples (pyoxigraph ``Triple`` objects)."""
        return self.backend.construct(text)

    def triple_count(self) -> int:
        """How many triples are loaded: the ontology, its import module and any added files."""
        return self.backend.triples()

    def dump(self) -> list:
        """Every loaded triple (pyoxigraph ``Triple`` objects), named graphs merged into one.

        A remote endpoint is asked for every triple of the graph the knowledge base is
        in (its default graph, or ``graph``); its blank nodes come back under the
        endpoint's own labels, which the exports' canonical relabelling makes irrelevant.
        """
        import pyoxigraph as ox

        store = getattr(self.backend, "store", None)
        if isinstance(store, ox.Store):
            return [quad.triple for quad in store]
        graph = getattr(self.backend, "graph", None)
        if hasattr(graph, "serialize"):  # rdflib: hand the triples over as N-Triples
            data = graph.serialize(format="nt", encoding="utf-8")
            return list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
        return self.construct(internal("all-triples"))

    # -- whole-KB views -----------------------------------------------------------
    @cached_property
    def model(self) -> ClaimGraph:
        """Every entity and claim, read from the store once (:mod:`t2dm_onto.model`); every view reads this."""
        return build(self.backend)

    def claims(self) -> list[dict[str, Any]]:
        """Every claim as a plain dict (the ``t2dm-onto claims`` contract), by section then IRI."""
        return [self.model.record(c) for c in self.model.claims]

    def stats(self) -> dict[str, Any]:
        """Counts of entities, claims, relations, sections and references, and the review's sentence coverage."""
        from .coverage import sentence_coverage

        counts = self.model.counts()
        head = {k: counts.pop(k) for k in ("entities", "categories", "entities_by_category", "claims",
                                           "claims_by_relation", "claims_by_section", "claims_by_evidence",
                                           "claims_by_study_type")}
        # triples: all that is loaded (the ontology and its import module); coverage: read from the shipped ledger
        return {"triples": self.triple_count(), **head, "coverage": sentence_coverage(), **counts}
