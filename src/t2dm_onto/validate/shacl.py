"""Run the project's SHACL shapes and turn the results into findings.

The shapes file is standard SHACL (Core + SPARQL constraints). pyshacl evaluates a
SPARQL constraint once per focus node, which on rdflib costs tens of seconds for
this graph; so the core constraints go to pyshacl and each SPARQL constraint is
run once over the whole graph on Oxigraph, with ``$this`` unbound and joined with
the owning shape's targets. SPARQL treats ``$this`` and ``?this`` as one variable,
so the constraint text is used unchanged and the results are the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import MissingDependencyError
from ..namespaces import PREFIXES
from .report import Finding

if TYPE_CHECKING:
    import pyoxigraph
    import rdflib

SH = "http://www.w3.org/ns/shacl#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def shorten(term: object) -> str:
    text = str(term)
    if text.startswith(SH):
        return "sh:" + text[len(SH):]
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if text.startswith(ns):
            return f"{prefix}:{text[len(ns):]}"
    return text


@dataclass(frozen=True)
class SparqlCheck:
    """A SHACL-SPARQL constraint lifted out of the shapes graph, ready to run in bulk."""

    shape: str
    message: str
    query: str


def _require():
    try:
        import pyshacl
        import rdflib
    except ImportError as exc:
        raise MissingDependencyError(
            "SHACL validation needs pyshacl and rdflib: pip install 't2dm-onto[validate]'"
        ) from exc
    return pyshacl, rdflib


def read_shapes(shapes_file: Path) -> rdflib.Graph:
    """The shapes graph of a Turtle file, read like every RDF file (:mod:`t2dm_onto.rdfio`).

    Needs rdflib only (the bulk engine runs without pyshacl); callers check their own dependencies first.
    """
    from ..rdfio import load_rdflib, rdflib_module

    return load_rdflib(rdflib_module().Graph(), shapes_file, "turtle")


def split_shapes(shapes: rdflib.Graph) -> tuple[rdflib.Graph, list[SparqlCheck]]:
    """Return the shapes without their SPARQL constraints, and those constraints as bulk queries."""
    _, rdflib = _require()
    sh = rdflib.Namespace(SH)
    core = rdflib.Graph()
    for triple in shapes:
        core.add(triple)
    checks = []
    for shape, constraint in list(shapes.subject_objects(sh.sparql)):
        core.remove((shape, sh.sparql, constraint))
        select = str(shapes.value(constraint, sh.select))
        message = str(shapes.value(constraint, sh.message) or "violates a SPARQL constraint")
        prefixes = []
        for decl_owner in shapes.objects(constraint, sh.prefixes):
            for decl in shapes.objects(decl_owner, sh.declare):
                prefixes.append(f"PREFIX {shapes.value(decl, sh.prefix)}: <{shapes.value(decl, sh.namespace)}>")
        targets = []
        for cls in shapes.objects(shape, sh.targetClass):
            targets.append(f"{{ ?this <{RDF_TYPE}> <{cls}> }}")
        for prop in shapes.objects(shape, sh.targetSubjectsOf):
            targets.append(f"{{ SELECT DISTINCT ?this WHERE {{ ?this <{prop}> ?t2dm_any }} }}")
        for prop in shapes.objects(shape, sh.targetObjectsOf):
            targets.append(f"{{ SELECT DISTINCT ?this WHERE {{ ?t2dm_any <{prop}> ?this }} }}")
        nodes = list(shapes.objects(shape, sh.targetNode))
        if nodes:
            targets.append("{ VALUES ?this { " + " ".join(f"<{n}>" for n in nodes) + " } }")
        if not targets:
            continue
        body = select.strip()
        head, _, rest = body.partition("WHERE")
        query = (
            "\n".join(prefixes)
            + "\nSELECT * WHERE {\n  { "
            + "\n    UNION ".join(targets)
            + " }\n  { " + head + " WHERE " + rest + " }\n}"
        )
        checks.append(SparqlCheck(shape=shorten(shape), message=message, query=query))
    return core, checks


def _run_sparql_checks(store: pyoxigraph.Store, checks: list[SparqlCheck]) -> list[Finding]:
    findings = []
    for check in checks:
        solutions = store.query(check.query)
        has_path = "path" in [v.value for v in solutions.variables]
        for sol in solutions:
            node = sol["this"]
            value = sol["value"]
            path = sol["path"] if has_path else None
            findings.append(
                Finding(
                    check="shacl",
                    node=shorten(node.value if hasattr(node, "value") else node),
                    rule=f"{check.shape} (sh:SPARQLConstraintComponent)"
                    + (f" on {shorten(path.value)}" if path is not None else ""),
                    value="" if value is None else shorten(getattr(value, "value", value)),
                    message=check.message,
                )
            )
    return findings


def run_shacl(data: rdflib.Graph, shapes_file: Path, store: pyoxigraph.Store | None = None) -> list[Finding]:
    """Validate ``data`` against the shapes; one finding per SHACL result."""
    pyshacl, rdflib = _require()
    core, checks = split_shapes(read_shapes(shapes_file))
    _conforms, results, _text = pyshacl.validate(
        data, shacl_graph=core, inference="none", advanced=False, allow_warnings=True
    )
    sh = rdflib.Namespace(SH)
    findings = []
    for res in results.subjects(rdflib.RDF.type, sh.ValidationResult):
        focus = results.value(res, sh.focusNode)
        path = results.value(res, sh.resultPath)
        value = results.value(res, sh.value)
        messages = sorted(str(m) for m in results.objects(res, sh.resultMessage))
        severity = results.value(res, sh.resultSeverity)
        component = results.value(res, sh.sourceConstraintComponent)
        rule = shorten(path) if path is not None and not isinstance(path, rdflib.BNode) else ""
        if component is not None:
            rule = f"{rule} ({shorten(component)})" if rule else shorten(component)
        findings.append(
            Finding(
                check="shacl",
                node=shorten(focus),
                rule=rule,
                value="" if value is None else shorten(value),
                message=messages[0] if messages else "violates a shape",
                severity="ERROR" if severity is None or str(severity).endswith("Violation") else "WARN",
            )
        )
    if checks:
        if store is None:
            store = graph_to_store(data)
        findings += _run_sparql_checks(store, checks)
    return findings


def graph_to_store(data: rdflib.Graph) -> pyoxigraph.Store:
    import pyoxigraph

    store = pyoxigraph.Store()
    store.load(data.serialize(format="nt", encoding="utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    return store
