"""Apache Jena's command-line tools (Debian libapache-jena-java) against the exports and the shapes.

- ``riot --validate`` accepts every RDF export and counts the same triples.
  Debian's Jena 4.5 reads JSON-LD 1.1 through titanium, which needs a JSON-P
  implementation Debian does not package; the JSON-LD export is therefore read
  with Jena's complete JSON-LD 1.0 reader (``--syntax=JSONLD10``, jsonld-java).
- Jena's SHACL engine agrees with pyshacl on the shipped data and on every
  faulty fixture of tests/test_validate.py. ``shacl validate`` exits 0 even on
  violations, so its report is read: ``sh:conforms`` and each top-level
  ``sh:result``. The core constraints are compared with pyshacl result for
  result; the SHACL-SPARQL constraints, which ``t2dm-onto validate`` runs in bulk
  on Oxigraph (see validate/shacl.py), are compared by focus node.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import rdflib

from t2dm_onto.export import export
from t2dm_onto.resources import data_path, ontology_file
from t2dm_onto.validate.shacl import _run_sparql_checks, graph_to_store, shorten, split_shapes

from .servers import jena_classpath, run_jena
from .test_validate import MUTATIONS

pytestmark = pytest.mark.slow
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
SPARQL_COMPONENT = str(SH.SPARQLConstraintComponent)
CASES = ["shipped data", *sorted(MUTATIONS)]
EXTENSIONS = {"ttl": "ttl", "nt": "nt", "rdfxml": "rdf", "owl": "owl", "jsonld": "jsonld"}


@pytest.fixture(scope="module")
def classpath(tmp_path_factory) -> str:
    return jena_classpath(tmp_path_factory.mktemp("jena"))


@pytest.fixture(scope="module")
def exports(kb, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("exports")
    out = {}
    for fmt, ext in EXTENSIONS.items():
        out[fmt] = folder / f"t2dm_op.{ext}"
        export(kb, fmt, out[fmt])
    return out


def _counts(proc) -> dict[str, int]:
    """Triples per file, from riot --count (which reports on stderr)."""
    return {Path(m.group(1)).name: int(m.group(2).replace(",", ""))
            for m in re.finditer(r"^(\S+) : Triples = ([\d,]+)", proc.stdout + proc.stderr, re.MULTILINE)}


def _clean(proc) -> bool:
    return proc.returncode == 0 and not re.search(r"\b(WARN|ERROR)\b", proc.stderr)


def test_riot_accepts_the_turtle_ntriples_and_rdfxml_exports(classpath, exports, kb):
    files = [exports[f] for f in ("ttl", "nt", "rdfxml", "owl")]
    proc = run_jena(classpath, "riotcmd.riot", "--validate", "--count", *map(str, files))
    assert _clean(proc), proc.stderr[-3000:]
    from t2dm_onto.export.owl import owl_triples

    expected = {f.name: kb.backend.triples() for f in files}
    expected[exports["owl"].name] = len(owl_triples(kb))  # the import module merged, its header dropped
    assert _counts(proc) == expected


def test_riot_accepts_the_jsonld_export(classpath, exports, kb):
    proc = run_jena(classpath, "riotcmd.riot", "--validate", "--count", "--syntax=JSONLD10", str(exports["jsonld"]))
    assert _clean(proc), proc.stderr[-3000:]
    assert _counts(proc) == {exports["jsonld"].name: kb.backend.triples()}


def test_riot_rejects_a_faulty_file(classpath, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text('<http://example.org/a> <http://example.org/b> "x"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
                   '<http://example.org/a> <http://example.org/b> "y"@not-a-valid-language-tag-at-all .\n',
                   encoding="utf-8")
    proc = run_jena(classpath, "riotcmd.riot", "--validate", str(bad))
    assert not _clean(proc)
    assert "XSD integer" in proc.stderr


# -- SHACL ---------------------------------------------------------------------------------
def _case_graph(name: str) -> rdflib.Graph:
    g = rdflib.Graph().parse(ontology_file(), format="turtle")
    if name != "shipped data":
        MUTATIONS[name][0](g)
    return g


def _top_results(report: rdflib.Graph) -> set[tuple]:
    """(focus, path, component, value) of each top-level result; nested sh:detail results are left out."""
    out = set()
    for result in report.objects(None, SH.result):
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        out.add((str(report.value(result, SH.focusNode)),
                 str(path) if isinstance(path, rdflib.URIRef) else ("(path expression)" if path is not None else None),
                 str(report.value(result, SH.sourceConstraintComponent)),
                 None if value is None else str(value)))
    return out


@pytest.fixture(scope="module")
def jena_reports(classpath, tmp_path_factory) -> dict[str, rdflib.Graph]:
    """Jena's report for every case; two JVMs at a time."""
    folder = tmp_path_factory.mktemp("shacl")
    shapes = data_path("shapes", "t2dm_op.shapes.ttl")

    def run(index_name):
        index, name = index_name
        data = folder / f"case{index}.ttl"
        _case_graph(name).serialize(data, format="turtle")
        proc = run_jena(classpath, "shacl.shacl", "validate", "--shapes", str(shapes), "--data", str(data))
        assert proc.returncode == 0, proc.stderr[-3000:]
        return name, rdflib.Graph().parse(data=proc.stdout, format="turtle")

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(run, enumerate(CASES)))


@pytest.fixture(scope="module")
def split():
    shapes = rdflib.Graph().parse(data_path("shapes", "t2dm_op.shapes.ttl"), format="turtle")
    return split_shapes(shapes)


@pytest.mark.parametrize("name", CASES)
def test_jena_shacl_agrees_with_pyshacl(name, jena_reports, split):
    import pyshacl

    core, checks = split
    data = _case_graph(name)
    report = jena_reports[name]
    jena = _top_results(report)
    jena_conforms = next(report.objects(None, SH.conforms)).toPython()

    _, py_report, _ = pyshacl.validate(data, shacl_graph=core, inference="none", advanced=False, allow_warnings=True)
    py_core = _top_results(py_report)
    ours_sparql = {f.node for f in _run_sparql_checks(graph_to_store(data), checks)}

    assert {r for r in jena if r[2] != SPARQL_COMPONENT} == py_core
    assert {shorten(r[0]) for r in jena if r[2] == SPARQL_COMPONENT} == ours_sparql
    assert jena_conforms == (not py_core and not ours_sparql)
    if name == "shipped data" or name == "quote not in the review":  # the last is the quote check's job, not SHACL's
        assert jena_conforms
    else:
        assert not jena_conforms
