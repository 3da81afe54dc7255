"""The links to external ontologies: SSSOM file, import module, and the ontology built from them.

Each external identifier must be well formed for its prefix (bioregistry's pattern),
present and not obsolete in the reference table the project verifies against, and
carry that table's label. The full table lives in the project's shared/ folder; a
fresh clone uses the repository's copy of its rows for the shipped CURIEs
(``mappings/reference_terms.tsv``, written by ``tools/trim_reference.py``), so no check skips.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest
import rdflib
import yaml

from t2dm_onto.build import IMPORT_IRI, XREF_PREDICATES, render_import
from t2dm_onto.curation import load, read_sssom
from t2dm_onto.resources import import_file, ontology_file

ROOT = Path(__file__).resolve().parents[1]
SSSOM = ROOT / "mappings" / "t2dm_op.sssom.tsv"
EXTERNAL = ROOT / "mappings" / "external_terms.tsv"
FULL_TERMS = ROOT.parent / "shared" / "reference" / "terms.tsv.gz"
#: the full reference table where the checkout sits beside shared/, else its rows for the shipped CURIEs
TERMS = FULL_TERMS if FULL_TERMS.is_file() else ROOT / "mappings" / "reference_terms.tsv"
COLUMNS = ["subject_id", "subject_label", "predicate_id", "object_id", "object_label", "mapping_justification", "comment"]
PREDICATES = {"skos:exactMatch", "skos:closeMatch", "skos:broadMatch", "skos:narrowMatch"}
#: Prefixes whose terms the reference table holds from the ontology's own release (see its README).
TABLE_PREFIXES = {"GO", "CHEBI", "MONDO", "EFO", "CL", "UBERON", "HGNC", "NCBIGene", "UniProtKB", "HP", "DOID",
                  "MESH", "DRUGBANK", "FPLX", "OBA", "ECO", "RO", "BFO", "IAO", "cellosaurus"}
#: Prefixes the table lacks: tools/extract_external_terms.py verifies them in their own releases.
SOURCE_PREFIXES = {"NCBITaxon": "NCBITaxon-ontology", "biolink": "biolink_model.yaml"}


def _rows() -> list[dict[str, str]]:
    body = [line for line in SSSOM.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(body, delimiter="\t"))


def _header() -> dict:
    text = "\n".join(line[1:] for line in SSSOM.read_text(encoding="utf-8").splitlines() if line.startswith("#"))
    return yaml.safe_load(text)


def _external() -> list[dict[str, str]]:
    return list(csv.DictReader(EXTERNAL.read_text(encoding="utf-8").splitlines(), delimiter="\t"))


@pytest.fixture(scope="module")
def reference() -> dict[str, tuple[str, str]]:
    """curie -> (label, status) for every CURIE the project ships."""
    wanted = {r["curie"] for r in _external()} | {r["object_id"] for r in _rows()}
    return _verify_tool().read_terms(TERMS, wanted)


def _verify_tool():
    """tools/verify_mappings.py, the curators' checker, whose table reader the tests share."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("verify_mappings", ROOT / "tools" / "verify_mappings.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def merged() -> rdflib.Graph:
    g = rdflib.Graph().parse(ontology_file(), format="turtle")
    g.parse(import_file(), format="turtle")
    return g


# -- the SSSOM file ---------------------------------------------------------------


def test_header_is_valid_yaml_with_required_keys():
    header = _header()
    assert {"curie_map", "mapping_set_id", "license"} <= set(header)
    assert header["license"].startswith("https://creativecommons.org/")
    for prefix in {r["object_id"].split(":", 1)[0] for r in _rows()} | {"T2DMOP", "skos", "semapv"}:
        assert prefix in header["curie_map"], prefix
    # the builder's reader and YAML agree on every prefix
    assert read_sssom(SSSOM)[0] == header["curie_map"]


def test_columns_predicates_and_justifications():
    body = [line for line in SSSOM.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    assert body[0].split("\t") == COLUMNS
    for r in _rows():
        where = f"{r['subject_id']} -> {r['object_id']}"
        assert r["predicate_id"] in PREDICATES, where
        assert r["mapping_justification"].strip() == "semapv:ManualMappingCuration", where
        assert r["comment"].strip(), where
        assert r["subject_label"].strip() and r["object_label"].strip(), where


def test_no_subject_maps_twice_into_one_ontology():
    seen = Counter((r["subject_id"], r["object_id"].split(":", 1)[0]) for r in _rows())
    twice = sorted(k for k, n in seen.items() if n > 1)
    assert not twice, f"mapped two ways into the same ontology: {twice}"


def test_subject_labels_are_the_curated_labels(curation):
    labels = {e.id: e.en for e in curation.all_entities}
    for r in _rows():
        local = r["subject_id"].split(":", 1)[1]
        if local in labels:
            assert r["subject_label"] == labels[local], r["subject_id"]


def test_at_least_95_percent_of_entities_are_mapped(curation):
    mapped = {m.subject for m in curation.mappings}
    entities = [e.id for e in curation.entities]
    share = sum(1 for e in entities if e in mapped) / len(entities)
    assert share >= 0.95, f"only {share:.1%} of entities are mapped"


def test_curies_match_their_prefix_pattern():
    bioregistry = pytest.importorskip("bioregistry", reason="bioregistry not installed: pip install -e '.[test]'")
    curies = {r["object_id"] for r in _rows()} | {r["curie"] for r in _external()}
    for curie in sorted(curies):
        prefix, _, local = curie.partition(":")
        norm = bioregistry.normalize_prefix(prefix)
        assert norm is not None, f"{curie}: prefix unknown to bioregistry"
        pattern = bioregistry.get_pattern(norm)
        if pattern:
            assert re.fullmatch(pattern, local), f"{curie}: local id does not match {pattern}"
    for r in _rows():
        assert re.fullmatch(r"T2DMOP:[A-Za-z][A-Za-z0-9_]*", r["subject_id"]), r["subject_id"]


def test_object_labels_are_the_reference_labels(reference):
    for r in _rows():
        prefix = r["object_id"].split(":", 1)[0]
        if prefix in SOURCE_PREFIXES:
            continue
        assert r["object_id"] in reference, f"{r['object_id']} is not in the reference table"
        label, status = reference[r["object_id"]]
        assert r["object_label"] == label, r["object_id"]
        assert not status.startswith("obsolete"), f"{r['object_id']} is obsolete"


def test_sssom_validate_passes():
    beside = Path(sys.executable).parent / "sssom"  # the venv's own, else one on PATH
    exe = str(beside) if beside.exists() else shutil.which("sssom")
    if exe is None:
        pytest.skip("the sssom command is not installed: pip install -e '.[test]'")
    proc = subprocess.run([exe, "validate", str(SSSOM)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]


# -- the external term table and the import module ---------------------------------


def test_every_shipped_external_term_is_verified_and_current(reference):
    for row in _external():
        curie, prefix = row["curie"], row["curie"].split(":", 1)[0]
        if prefix in TABLE_PREFIXES:
            assert curie in reference, f"{curie} is not in the reference table"
            label, status = reference[curie]
            assert row["label"] == label, curie
            assert not status.startswith("obsolete") and not label.lower().startswith("obsolete"), curie
        else:
            assert prefix in SOURCE_PREFIXES, f"{curie}: prefix {prefix} is verified nowhere"
            assert SOURCE_PREFIXES[prefix] in row["label_source"], curie
        if row["parents"]:
            assert row["parent_source"], f"{curie} has parents but no source for them"


def test_external_table_is_closed_and_covers_every_use(curation):
    rows = {r["curie"]: r for r in _external()}
    for r in rows.values():
        for p in filter(None, r["parents"].split("|")):
            assert p in rows, f"parent {p} of {r['curie']} has no row"
    used = {m.object_id for m in curation.mappings} | set(curation.species.values())
    assert used <= set(rows)


def test_import_module_is_fresh(root):
    committed = (root / "ontology" / "imports" / "t2dm_op_import.ttl").read_text(encoding="utf-8")
    assert committed == render_import(load(root)), "the import module is stale: run `t2dm-onto build`"


def test_ontology_imports_the_module_and_every_foreign_iri_is_declared_and_labelled(merged):
    onto = rdflib.URIRef("https://w3id.org/t2dm-onto/t2dm_op.owl")
    assert (onto, rdflib.OWL.imports, rdflib.URIRef(IMPORT_IRI)) in merged
    standard = ("http://www.w3.org/", "http://purl.org/dc/", "http://purl.org/vocab/vann/",
                "http://xmlns.com/foaf/", "http://www.geneontology.org/formats/oboInOwl#")
    documents = {rdflib.OWL.imports, rdflib.OWL.versionIRI, rdflib.DCTERMS.license, rdflib.FOAF.homepage,
                 rdflib.DCTERMS.source}
    used = set()
    for s, p, o in merged:
        for node in (s, p) if p in documents else (s, p, o):
            if isinstance(node, rdflib.URIRef) and not str(node).startswith("https://w3id.org/t2dm-onto/"):
                used.add(node)
    missing = sorted(str(n) for n in used if not str(n).startswith(standard)
                     and (merged.value(n, rdflib.RDF.type) is None or merged.value(n, rdflib.RDFS.label) is None))
    assert not missing, f"used but not declared and labelled: {missing[:10]}"


def test_import_module_hierarchy_reaches_roots(merged):
    go = rdflib.Namespace("http://purl.obolibrary.org/obo/")
    ancestors = set(merged.transitive_objects(go.GO_0001649, rdflib.RDFS.subClassOf))  # osteoblast differentiation
    assert go.GO_0030154 in ancestors and go.GO_0008150 in ancestors  # cell differentiation, biological_process
    assert str(merged.value(go.GO_0008150, rdflib.RDFS.label)) == "biological_process"


# -- the same mappings in the ontology and in `claims` -------------------------------


def test_ontology_carries_exactly_the_sssom_mappings(merged, curation):
    skos = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
    expected = set()
    for m in curation.mappings:
        obj = curation.curie_map[m.object_id.split(":", 1)[0]] + m.object_id.split(":", 1)[1]
        expected.add((f"https://w3id.org/t2dm-onto/{m.subject}", m.predicate.split(":")[1], obj))
    found = set()
    for pred in ("exactMatch", "closeMatch", "broadMatch", "narrowMatch"):
        for s, o in merged.subject_objects(skos[pred]):
            found.add((str(s), pred, str(o)))
    assert found == expected


def test_xrefs_are_the_exact_and_close_matches(claims, curation):
    want: dict[str, set[str]] = defaultdict(set)
    for m in curation.mappings:
        if m.predicate in XREF_PREDICATES:
            want[f"https://w3id.org/t2dm-onto/{m.subject}"].add(m.object_id)
    seen = 0
    for c in claims:
        for side in ("subject", "object"):
            ent = c[side]
            assert set(ent["xrefs"]) == want.get(ent["iri"], set()), ent["iri"]
            seen += bool(ent["xrefs"])
    assert seen > 100


def test_rat_studies_point_at_the_rattus_taxon(merged):
    t2dm = rdflib.Namespace("https://w3id.org/t2dm-onto/")
    taxa = {str(o) for c, o in merged.subject_objects(t2dm.in_taxon)}
    rat_claims = set(merged.subjects(t2dm.species, rdflib.Literal("rat")))
    assert taxa == {"http://purl.obolibrary.org/obo/NCBITaxon_10114"}
    assert rat_claims and all((c, t2dm.in_taxon, None) in merged for c in rat_claims)


def test_unmapped_entities_are_listed_with_a_reason(root, curation):
    mapped = {m.subject for m in curation.mappings}
    unmapped = {e.id for e in curation.all_entities if e.id not in mapped}
    text = (root / "mappings" / "UNMAPPED.md").read_text(encoding="utf-8")
    listed = {line.split("|")[1].strip() for line in text.splitlines()
              if line.startswith("| ") and not line.startswith(("| entity", "| ---"))}
    assert listed == unmapped
    for line in text.splitlines():
        if line.startswith("| ") and line.split("|")[1].strip() in unmapped:
            assert len(line.split("|")[3].strip()) > 20, line  # a reason, not a placeholder
