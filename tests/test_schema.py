"""curation/schema.yaml is the one definition of the vocabularies and the claim record.

The shapes' controlled lists, CURATION.md's tables and vocabulary.json are written
from it; these tests prove the committed copies agree with it, that the build check
catches a copy that drifts, that a new claim field needs only a schema edit and one
loader line, and that the installed package reads its vocabularies without PyYAML.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from t2dm_onto import namespaces as ns
from t2dm_onto.curation import load
from t2dm_onto.errors import InputError
from t2dm_onto.schema import load_schema
from t2dm_onto.schema_outputs import GUIDE_PATH, SHAPES_PATH, VOCABULARY_PATH, outputs
from t2dm_onto.sections import SECTION_TITLES

from .checkout import checkout_copy, run_cli

ROOT = Path(__file__).resolve().parents[1]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not in {path} exactly once"
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_committed_generated_files_agree_with_the_schema(curation):
    for path, text in outputs(ROOT, curation.schema, curation.mappings).items():
        assert path.read_text(encoding="utf-8") == text, f"{path} is stale: run `t2dm-onto build` and commit it"


def test_shapes_lists_are_the_schemas(curation):
    """The shapes as a graph (what a SHACL engine reads) hold the schema's lists, in its order."""
    import rdflib
    from rdflib.collection import Collection

    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    shapes = rdflib.Namespace("https://w3id.org/t2dm-onto/shapes/")
    g = rdflib.Graph().parse(ROOT / SHAPES_PATH, format="turtle")

    def listed(shape: str) -> list[str]:
        return [str(v).rsplit("/", 1)[-1] for v in Collection(g, g.value(shapes[shape], sh["in"]))]

    schema = curation.schema
    assert listed("claim-relation") == [r.name for r in schema.relations]
    assert listed("claim-aspect") == list(schema.aspects)
    assert listed("claim-section") == [s.number for s in schema.sections]
    assert listed("claim-study") == [s.value for s in schema.study_types]
    assert listed("claim-evidence") == [e.code.replace(":", "_") for e in schema.evidence_codes]
    fields = {f.shape for f in schema.claim_fields if f.shape}
    assert fields <= {str(o).rsplit("/", 1)[-1] for o in g.objects(shapes["ClaimShape"], sh.property)}
    assert int(g.value(next(g.subjects(sh.path, rdflib.URIRef(ns.T2DM + "reference_number"))),
                       sh.maxInclusive)) == schema.references


def test_runtime_vocabularies_come_from_the_schema(curation):
    schema = curation.schema
    assert {r.name: {"sign": r.sign, "causal": r.causal} for r in schema.relations} == ns.RELATIONS
    assert schema.aspects == ns.ASPECTS
    assert {s.value: s.label for s in schema.study_types} == ns.STUDY_TYPES
    assert {e.code: e.label for e in schema.evidence_codes} == ns.EVIDENCE_CODES
    assert tuple(s.number for s in schema.sections) == ns.SECTIONS
    assert ns.N_REFERENCES == schema.references == len(curation.references)
    assert {s.number: (s.en, s.zh) for s in schema.sections} == SECTION_TITLES


def test_queries_run_without_pyyaml():
    """Only the build reads YAML: with PyYAML unimportable a query still answers, from vocabulary.json."""
    code = ("import sys; sys.modules['yaml'] = None\n"
            "from t2dm_onto.cli import main\n"
            "sys.exit(main(['query', 'effects-of', 'source=ROS', '--format', 'json']))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    assert rows and {r["relation"].rsplit("/", 1)[-1] for r in rows} <= set(ns.RELATIONS)


@pytest.mark.slow
def test_build_check_catches_a_drifted_copy(tmp_path):
    repo = checkout_copy(tmp_path)
    _edit(repo / SHAPES_PATH, '"human" "rat" "mouse"', '"human" "rat"')  # a hand edit inside a generated region
    proc = run_cli(repo, "build", "--check")
    assert proc.returncode == 1
    assert f"{repo / SHAPES_PATH} is stale" in proc.stderr
    assert "CURATION.md is stale" not in proc.stderr
    # a schema edit: every generated copy is stale until the build writes it
    _edit(repo / "curation" / "schema.yaml", "aspects: [expression,", "aspects: [uptake, expression,")
    stale = run_cli(repo, "build", "--check").stderr
    assert all(f"{repo / p} is stale" in stale for p in (SHAPES_PATH, GUIDE_PATH, VOCABULARY_PATH)), stale
    assert run_cli(repo, "build").returncode == 0
    assert run_cli(repo, "build", "--check").returncode == 0
    assert 'sh:in ( "uptake" "expression"' in (repo / SHAPES_PATH).read_text(encoding="utf-8")
    assert '"human" "rat" "mouse"' in (repo / SHAPES_PATH).read_text(encoding="utf-8")
    assert "`uptake`" in (repo / GUIDE_PATH).read_text(encoding="utf-8")
    assert json.loads((repo / VOCABULARY_PATH).read_text(encoding="utf-8"))["aspects"][0] == "uptake"


@pytest.mark.slow
def test_a_new_claim_field_is_a_schema_edit_and_one_loader_line(tmp_path):
    """The recipe of CURATION.md, "Adding a claim field", followed to the letter."""
    repo = checkout_copy(tmp_path)
    schema = repo / "curation" / "schema.yaml"
    _edit(schema, "  - name: reference_number\n", '  - {name: age, kind: "owl:DatatypeProperty", en: "age", zh: "年龄", '
          'definition: "The age group the claim holds for."}\n  - name: reference_number\n')
    _edit(schema, "  - field: context\n", '  - {field: age, attribute: age, property: age, datatype: string, '
          'meaning: "the age group the text names", shape: claim-age, shacl: "sh:datatype xsd:string", '
          'message: "At most one age per claim."}\n  - field: context\n')
    _edit(repo / "src" / "t2dm_onto" / "curation.py", "    detail: str | None = None\n",
          "    detail: str | None = None\n    age: str | None = None\n")
    _edit(repo / "curation" / "claims" / "s1_s2_3.yaml", "- {id: S1_01, s:", "- {id: S1_01, age: elderly, s:")
    proc = run_cli(repo, "build")
    assert proc.returncode == 0, proc.stderr
    ttl = (repo / "ontology" / "t2dm_op.ttl").read_text(encoding="utf-8")
    assert 't2dm:age "elderly"' in ttl and "t2dm:age\n    a owl:DatatypeProperty" in ttl
    shapes = (repo / SHAPES_PATH).read_text(encoding="utf-8")
    assert "shapes:claim-age sh:path t2dm:age ; sh:maxCount 1 ; sh:datatype xsd:string" in shapes
    assert "| `age` | `t2dm:age` | no | string | the age group the text names |" in (
        repo / GUIDE_PATH).read_text(encoding="utf-8")
    assert run_cli(repo, "build", "--check").returncode == 0


def test_the_loader_checks_claims_against_the_schema(tmp_path):
    repo = checkout_copy(tmp_path)
    _edit(repo / "curation" / "claims" / "s1_s2_3.yaml", "- {id: S1_01, s:", "- {id: S1_01, sex: females, s:")
    with pytest.raises(InputError, match=r"claim 'S1_01': sex 'females' is not one of female, male"):
        load(repo)


@pytest.mark.parametrize(("old", "new", "message"), [
    ("  - name: decreases\n    sign: -1\n", "  - name: decreases\n    sign: 2\n", "a relation's sign must be 1, -1, 0 or null"),
    ("  - field: detail\n", "  - colour: red\n    field: detail\n", "claim_fields item 15 .*colour"),
    ("references: 66", "references: many", "references must be a positive integer"),
])
def test_a_broken_schema_is_one_clear_error(tmp_path, old, new, message):
    repo = checkout_copy(tmp_path)
    _edit(repo / "curation" / "schema.yaml", old, new)
    with pytest.raises(InputError, match=message):
        load_schema(repo)


def test_a_missing_region_marker_stops_the_build_before_writing(tmp_path):
    repo = checkout_copy(tmp_path)
    _edit(repo / GUIDE_PATH, "<!-- <<< generated: sections -->\n", "")
    before = {p: (repo / p).read_bytes() for p in (SHAPES_PATH, VOCABULARY_PATH, Path("ontology") / "t2dm_op.ttl")}
    proc = run_cli(repo, "build")
    assert proc.returncode == 3, proc.stderr
    assert proc.stderr.startswith("error: ") and "generated region 'sections'" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert all((repo / p).read_bytes() == data for p, data in before.items())


def test_the_build_rewrites_a_broken_vocabulary_file(tmp_path):
    """The builder never reads vocabulary.json, so a stale or broken copy cannot stop it from writing a new one."""
    repo = checkout_copy(tmp_path)
    (repo / VOCABULARY_PATH).write_text("{", encoding="utf-8")
    proc = run_cli(repo, "build")
    assert proc.returncode == 0, proc.stderr
    assert (repo / VOCABULARY_PATH).read_text(encoding="utf-8") == (ROOT / VOCABULARY_PATH).read_text(encoding="utf-8")


@pytest.mark.parametrize("whom", ["human", "non-human"])
def test_queries_name_the_schemas_human_and_non_human_study_types(curation, whom):
    """SPARQL cannot read the schema, so the queries' inline lists of study types are checked against it."""
    from t2dm_onto.catalog import Catalog

    want = [t.value for t in curation.schema.study_types if t.evidence_in == whom]
    lists = [re.findall(r'"(\w+)"', m) for q in Catalog() for m in re.findall(r"\bIN \(([^()]*)\)", q.sparql)]
    lists = [names for names in lists if names and set(names) <= set(ns.STUDY_TYPES) and want[0] in names]
    assert lists, f"no query lists the {whom} study types any more: drop this test"
    assert all(names == want for names in lists), lists


def test_every_per_relation_table_covers_the_schemas_relations(curation):
    """Presentation and exchange formats map each relation their own way; a relation added to the schema
    must get its BEL relation, KGX predicate, map style and CSS class, or this names what lacks it."""
    from t2dm_onto.export import bel, kgx
    from t2dm_onto.viz.style import RELATION_STYLE

    relations = [r.name for r in curation.schema.relations]
    tables = {"export/bel.py RELATIONS": bel.RELATIONS, "export/kgx.py PREDICATES": kgx.PREDICATES,
              "viz/style.py RELATION_STYLE": RELATION_STYLE}
    assert {name: sorted(t) for name, t in tables.items() if sorted(t) != sorted(relations)} == {}
    css = (ROOT / "src" / "t2dm_onto" / "viz" / "assets" / "map.css").read_text(encoding="utf-8")
    assert [r for r in relations if f".rel-{r}" not in css] == []
    assert set(kgx.ASPECTS) <= set(curation.schema.aspects)  # Biolink's aspect qualifier, where one exists
