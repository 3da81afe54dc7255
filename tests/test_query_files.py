"""Every ``queries/*.rq`` file runs as it is, in engines that know nothing of the toolkit.

Each file carries a ``#@defaults`` VALUES line (written by ``tools/query_defaults.py``)
with what ``t2dm-onto query NAME`` binds for the header's examples; run on its own
in Apache Jena's ``arq`` and in pyoxigraph, over the ontology and its import
module, it must give the tool's rows. The toolkit replaces the line with the bound
parameters, so a bound query is unchanged.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from t2dm_onto.catalog import Catalog
from t2dm_onto.resources import import_file, ontology_file
from t2dm_onto.store.base import Result
from t2dm_onto.store.endpoint import _value
from t2dm_onto.terms import SLOT, Term, with_values

from .servers import jena_classpath, run_jena
from .test_compliance import _normalise

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import query_defaults  # noqa: E402

CATALOG = Catalog(ROOT / "queries")
NAMES = CATALOG.names()


def _rows(data: dict) -> Result:
    """A SPARQL JSON result as the toolkit's rows (the endpoint backend's reading of each cell)."""
    columns = list(data["head"]["vars"])
    return Result(columns, [{c: _value(b.get(c)) for c in columns} for b in data["results"]["bindings"]])


def _tool(kb, name: str) -> Result:
    rows = kb.query(name, **CATALOG.get(name).example_args())
    assert len(rows) > 0, name  # a comparison of two empty answers proves nothing
    return rows


def test_every_file_has_its_default_block_and_derived_files_their_base():
    assert query_defaults.stale() == [], "run: python tools/query_defaults.py"
    for name in NAMES:
        text = CATALOG.get(name).path.read_text(encoding="utf-8")
        assert text.count("#@defaults") == 1, name


@pytest.fixture(scope="module")
def oxigraph_store() -> ox.Store:
    store = ox.Store()
    for path in (ontology_file(), import_file()):
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return store


@pytest.mark.parametrize("name", NAMES)
def test_the_file_runs_as_it_is_in_pyoxigraph(oxigraph_store, kb, name):
    text = CATALOG.get(name).path.read_text(encoding="utf-8")
    data = json.loads(oxigraph_store.query(text).serialize(format=ox.QueryResultsFormat.JSON))
    assert _normalise(_rows(data)) == _normalise(_tool(kb, name))


@pytest.fixture(scope="module")
def arq(tmp_path_factory):
    classpath = jena_classpath(tmp_path_factory.mktemp("jena"))

    def run(path: Path) -> dict:
        proc = run_jena(
            classpath,
            "arq.sparql",
            "--data",
            str(ontology_file()),
            "--data",
            str(import_file()),
            "--query",
            str(path),
            "--results=JSON",
        )
        assert proc.returncode == 0, proc.stderr[-3000:]
        return json.loads(proc.stdout)

    return run


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_the_file_runs_as_it_is_in_jena_arq(arq, kb, name):
    data = arq(CATALOG.get(name).path)
    assert _normalise(_rows(data)) == _normalise(_tool(kb, name))


def test_the_bound_parameters_replace_the_default_line():
    text = CATALOG.get("mediators-increasing").sparql
    bound = with_values(text, {"lang": Term.literal("zh"), "target": Term.iri("https://w3id.org/t2dm-onto/BMD")})
    assert '("zh" <https://w3id.org/t2dm-onto/BMD>)' in bound
    assert "RANKL>" not in bound  # the file's default is gone, not joined with the bound block
    slots = len(SLOT.findall(text))
    assert slots > 1 and bound.count("VALUES (?lang ?target)") == slots  # the top level and each #@parameters group


@pytest.mark.slow
def test_the_readme_command_for_debian_jena(kb):
    """``python tools/jena.py arq …`` as the README gives it, on Debian's jars."""
    import shutil
    import subprocess

    if shutil.which("java") is None:
        pytest.fail(
            "Java is needed for Jena (apt-get install default-jre-headless libapache-jena-java, as .ci/run does)"
        )
    proc = subprocess.run(
        [
            sys.executable,
            "tools/jena.py",
            "arq",
            "--data",
            "ontology/t2dm_op.ttl",
            "--data",
            "ontology/imports/t2dm_op_import.ttl",
            "--query",
            "queries/drug-bone-effects.rq",
            "--results=JSON",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert _normalise(_rows(json.loads(proc.stdout))) == _normalise(_tool(kb, "drug-bone-effects"))
