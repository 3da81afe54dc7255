"""Run every validation layer over one ontology file."""

from __future__ import annotations

import time
from pathlib import Path

from ..errors import InputError, MissingDependencyError
from ..resources import data_path, ontology_file
from ..store.base import guess_format
from ..store.xmlguard import check_rdfxml
from .quotes import check_quotes, default_source
from .reasoner import java_available, run_reasoner
from .report import Finding, Report
from .shacl import run_shacl

CLAIM_TYPE = "https://w3id.org/t2dm-onto/Claim"


def _parse(path: Path, report: Report):
    import rdflib

    try:
        fmt = guess_format(path)
    except InputError:
        fmt = "turtle"  # an unknown extension is read as Turtle; a parse error then says what is wrong
    try:
        if fmt == "xml":
            check_rdfxml(path)
        return rdflib.Graph().parse(path, format=fmt)
    except InputError as exc:
        report.findings.append(Finding("parse", str(path), str(exc), rule=f"{fmt} safety"))
        return None
    except Exception as exc:  # rdflib raises many parser-specific types
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        report.findings.append(
            Finding("parse", str(path), f"The file is not valid {fmt}: {detail[:300]}. Fix the syntax (or "
                    "rebuild it with `t2dm-onto build`) and validate again.", rule=f"{fmt} syntax")
        )
        return None


def local_imports(graph, path: Path) -> tuple[list[Path], list[str]]:
    """Files standing for the ontology's ``owl:imports``, and the imports with no local copy.

    An import ``.../imports/NAME.owl`` is looked for as ``imports/NAME.ttl`` beside the
    ontology file (the layout the builder writes and ``ontology/catalog-v001.xml``
    declares); nothing is fetched from the network.
    """
    import rdflib

    found, missing = [], []
    for iri in sorted(str(o) for o in graph.objects(None, rdflib.OWL.imports)):
        name = iri.rstrip("/").rsplit("/", 1)[-1]
        candidate = path.parent / "imports" / (Path(name).stem + ".ttl")
        (found if candidate.is_file() else missing).append(candidate if candidate.is_file() else iri)
    return found, missing


def validate(
    path: Path | None = None,
    *,
    reasoner: bool = True,
    source: Path | None = None,
    shapes: Path | None = None,
) -> Report:
    """Validate ``path`` (default: the shipped ontology) and return the report.

    Layers: parse, SHACL (project shapes), OWL 2 DL reasoning with HermiT when Java is
    present, and the verbatim check of quotes when the review text can be found.
    """
    try:
        import rdflib
    except ImportError as exc:
        raise MissingDependencyError("validation needs rdflib and pyshacl: pip install 't2dm-onto[validate]'") from exc
    path = Path(path) if path else ontology_file()
    report = Report(source=str(path))
    t0 = time.perf_counter()
    graph = _parse(path, report)
    report.timings["parse"] = time.perf_counter() - t0
    if graph is None:
        report.steps["parse"] = "failed"
        return report
    report.steps["parse"] = f"passed ({len(graph)} triples)"

    t0 = time.perf_counter()
    found = run_shacl(graph, shapes or data_path("shapes", "t2dm_op.shapes.ttl"))
    report.findings += found
    report.steps["shacl"] = "failed" if found else "passed"
    report.timings["shacl"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    imported, missing = local_imports(graph, path)
    merged = graph
    if imported or missing:
        merged = rdflib.Graph()
        for triple in graph:
            if triple[1] != rdflib.OWL.imports:  # resolved here, so HermiT must not fetch them
                merged.add(triple)
        for extra in imported:
            part = _parse(extra, report)
            if part is None:
                report.steps["imports"] = "failed"
                return report
            merged += part
        report.steps["imports"] = (f"{len(imported)} merged for reasoning ({', '.join(p.name for p in imported)})"
                                   + (f"; no local copy of {', '.join(missing)}" if missing else ""))
        report.timings["imports"] = time.perf_counter() - t0

    if not reasoner:
        report.steps["reasoner"] = "skipped: --no-reasoner"
    elif not java_available():
        report.steps["reasoner"] = "skipped: Java not found, so HermiT cannot run (install Java 17 to check OWL consistency)"
    else:
        t0 = time.perf_counter()
        found = run_reasoner(merged.serialize(format="nt", encoding="utf-8"))
        report.findings += found
        report.steps["reasoner"] = "failed" if found else "passed (consistent, no unsatisfiable class)"
        report.timings["reasoner"] = time.perf_counter() - t0

    src = source or default_source()
    if src is None:
        report.steps["quotes"] = "skipped: review text not found (pass --source FILE)"
    else:
        t0 = time.perf_counter()
        quote_pred = rdflib.URIRef("https://w3id.org/t2dm-onto/quote_zh")
        quotes = {str(s): str(o) for s, o in graph.subject_objects(quote_pred)}
        found = check_quotes(quotes, src)
        report.findings += found
        report.steps["quotes"] = "failed" if found else f"passed ({len(quotes)} quotes found verbatim)"
        report.timings["quotes"] = time.perf_counter() - t0
    return report
