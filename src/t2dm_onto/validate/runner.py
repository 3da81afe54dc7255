"""Run every validation layer over one ontology file."""

from __future__ import annotations

import time
from pathlib import Path

from ..catalog import internal
from ..errors import InputError, MissingDependencyError, UsageError
from ..namespaces import BASE
from ..rdfio import RdfSyntaxError, guess_format, load_rdflib, rdflib_module
from ..resources import data_path, ontology_file
from .quotes import check_quotes, default_source
from .reasoner import java_available, run_reasoner
from .report import Finding, Report
from .shacl import run_shacl

CLAIM_TYPE = BASE + "Claim"
QUOTE = BASE + "quote_zh"


def _parse(path: Path, report: Report):
    """Parse ``path`` into an rdflib graph (:mod:`t2dm_onto.rdfio`), or record a parse finding and return ``None``."""
    fmt = guess_format(path, default="turtle")  # an unknown extension is read as Turtle; a parse error says why
    try:
        return load_rdflib(rdflib_module().Graph(), path, fmt)
    except RdfSyntaxError as exc:
        report.findings.append(
            Finding("parse", str(path), f"The file is not valid {fmt}: {exc.detail[:300]}. Fix the syntax (or "
                    "rebuild it with `t2dm-onto build`) and validate again.", rule=f"{fmt} syntax")
        )
        return None
    except InputError as exc:
        report.findings.append(Finding("parse", str(path), str(exc), rule=f"{fmt} safety"))
        return None


ENGINES = ("sparql", "pyshacl")


def _load_store(path: Path, report: Report):
    """Parse ``path`` into an in-memory Oxigraph store, or record a parse finding and return ``None``."""
    from ..store.oxigraph import OxigraphBackend

    fmt = guess_format(path, default="turtle")  # an unknown extension is read as Turtle; a parse error says why
    backend = OxigraphBackend()
    try:
        backend.load(path, fmt)  # the query path's loader: same formats, same RDF/XML guard
    except InputError as exc:
        if exc.__cause__ is None:  # refused before parsing (not a file, remote JSON-LD context): say so as is
            report.findings.append(Finding("parse", str(path), str(exc), rule=f"{fmt} safety"))
            return None
        cause = exc.__cause__ or exc
        detail = str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__
        report.findings.append(
            Finding("parse", str(path), f"The file is not valid {fmt}: {detail[:300]}. Fix the syntax (or rebuild "
                    "it with `t2dm-onto build`) and validate again.", rule=f"{fmt} syntax")
        )
        return None
    return backend.store


def local_imports(imports: list[str], path: Path) -> tuple[list[Path], list[str]]:
    """Files standing for the ontology's ``owl:imports`` IRIs, and the imports with no local copy.

    An import ``.../imports/NAME.owl`` is looked for as ``imports/NAME.ttl`` beside the
    ontology file (the layout the builder writes and ``ontology/catalog-v001.xml``
    declares); nothing is fetched from the network.
    """
    found, missing = [], []
    for iri in sorted(imports):
        name = iri.rstrip("/").rsplit("/", 1)[-1]
        candidate = path.parent / "imports" / (Path(name).stem + ".ttl")
        (found if candidate.is_file() else missing).append(candidate if candidate.is_file() else iri)
    return found, missing


def _with_imports(ntriples: bytes, imports: list[str], path: Path, report: Report) -> bytes | None:
    """The graph HermiT should see: ``ntriples`` with its local imports merged in.

    The ``owl:imports`` triples are dropped once resolved, so HermiT never fetches
    them. Returns None (with a finding) when an import file does not parse.
    """
    if not imports:
        return ntriples
    import rdflib

    t0 = time.perf_counter()
    imported, missing = local_imports(imports, path)
    merged = rdflib.Graph()
    merged.parse(data=ntriples, format="nt")
    merged.remove((None, rdflib.OWL.imports, None))
    for extra in imported:
        part = _parse(extra, report)
        if part is None:
            report.steps["imports"] = "failed"
            return None
        merged += part
    report.steps["imports"] = (f"{len(imported)} merged for reasoning ({', '.join(p.name for p in imported)})"
                               + (f"; no local copy of {', '.join(missing)}" if missing else ""))
    report.timings["imports"] = time.perf_counter() - t0
    return merged.serialize(format="nt", encoding="utf-8")


def _parse_step(report: Report, load, path: Path):
    """Run ``load(path, report)`` (either engine's parser) as the report's timed parse step; None when it failed."""
    t0 = time.perf_counter()
    data = load(path, report)
    report.timings["parse"] = time.perf_counter() - t0
    report.steps["parse"] = "failed" if data is None else f"passed ({len(data)} triples in this file, imports apart)"
    return data


def validate(
    path: Path | None = None,
    *,
    reasoner: bool = True,
    source: Path | None = None,
    shapes: Path | None = None,
    engine: str = "sparql",
) -> Report:
    """Validate ``path`` (default: the shipped ontology) and return the report.

    Layers: parse, SHACL (project shapes), OWL 2 DL reasoning with HermiT when Java is
    present, and the verbatim check of quotes when the review text can be found.

    ``engine`` picks the SHACL engine: ``"sparql"`` (default) compiles the shapes to
    SPARQL and runs them in bulk on Oxigraph (validate/bulk.py; 0.3 s for the shipped
    graph, about a minute for 10^5 claims); ``"pyshacl"`` runs SHACL Core in pyshacl
    (the reference implementation; 9 s for the shipped graph, hours at 10^5 claims).
    Both report the same findings (tests/test_validate_bulk.py).
    """
    if engine not in ENGINES:
        raise UsageError(f"unknown SHACL engine {engine!r}: use one of {', '.join(ENGINES)}.")
    path = Path(path) if path else ontology_file()
    shapes = shapes or data_path("shapes", "t2dm_op.shapes.ttl")
    if engine == "pyshacl":
        return _validate_pyshacl(path, reasoner, source, shapes)
    report = Report(source=str(path))
    store = _parse_step(report, _load_store, path)
    if store is None:
        return report

    from .bulk import run_bulk_shacl

    t0 = time.perf_counter()
    try:
        found = run_bulk_shacl(store, shapes)
    except ImportError as exc:
        raise MissingDependencyError("validation needs rdflib to read the shapes: pip install 't2dm-onto[validate]'") from exc
    report.findings += found
    report.steps["shacl"] = "failed" if found else "passed"
    report.timings["shacl"] = time.perf_counter() - t0

    def ntriples() -> bytes:
        import pyoxigraph

        return store.dump(format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.DefaultGraph())

    def quotes() -> dict[str, str]:
        rows = store.query(internal("quotes"))
        return {row["c"].value: row["q"].value for row in rows}

    imports = [row["o"].value for row in store.query(internal("imports"))]
    _reason_and_quotes(report, reasoner, source, ntriples, quotes, imports, path)
    return report


def _reason_and_quotes(report: Report, reasoner: bool, source: Path | None, ntriples, quotes,
                       imports: list[str], path: Path) -> None:
    """The engine-independent layers: OWL reasoning (imports merged) and the verbatim quotes."""
    if not reasoner:
        report.steps["reasoner"] = "skipped: --no-reasoner"
    elif not java_available():
        report.steps["reasoner"] = "skipped: Java not found, so HermiT cannot run (install Java 17 to check OWL consistency)"
    else:
        merged = _with_imports(ntriples(), imports, path, report)
        if merged is None:
            return
        t0 = time.perf_counter()
        found = run_reasoner(merged)
        report.findings += found
        report.steps["reasoner"] = "failed" if found else "passed (consistent, no unsatisfiable class)"
        report.timings["reasoner"] = time.perf_counter() - t0

    src = source or default_source()
    if src is None:
        report.steps["quotes"] = "skipped: review text not found (pass --source FILE)"
    else:
        t0 = time.perf_counter()
        found_quotes = quotes()
        found = check_quotes(found_quotes, src)
        report.findings += found
        report.steps["quotes"] = "failed" if found else f"passed ({len(found_quotes)} quotes found verbatim)"
        report.timings["quotes"] = time.perf_counter() - t0


def _validate_pyshacl(path: Path, reasoner: bool, source: Path | None, shapes: Path) -> Report:
    """The reference path: rdflib parses, pyshacl checks SHACL Core, SPARQL constraints run on Oxigraph."""
    try:
        import rdflib
    except ImportError as exc:
        raise MissingDependencyError("validation needs rdflib and pyshacl: pip install 't2dm-onto[validate]'") from exc
    report = Report(source=str(path))
    graph = _parse_step(report, _parse, path)
    if graph is None:
        return report

    t0 = time.perf_counter()
    found = run_shacl(graph, shapes)
    report.findings += found
    report.steps["shacl"] = "failed" if found else "passed"
    report.timings["shacl"] = time.perf_counter() - t0

    quote_pred = rdflib.URIRef(QUOTE)
    imports = [str(o) for o in graph.objects(None, rdflib.OWL.imports)]
    _reason_and_quotes(report, reasoner, source, lambda: graph.serialize(format="nt", encoding="utf-8"),
                       lambda: {str(s): str(o) for s, o in graph.subject_objects(quote_pred)}, imports, path)
    return report
