"""Exchange formats (BEL, KGX, nanopublications, GraphML, CX2): validity, round trips, determinism, bad input.

Every export is read back — with the field's own tool where it installs
(PyBEL, networkx, nanopub-sign, ndex2, the Biolink model) and with a reader of
the format's structure otherwise — and compared claim by claim with
``kb.claims()``: no claim, sign, reference or quote may be lost.
"""

from __future__ import annotations

import importlib.util
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from t2dm_onto.cli import main
from t2dm_onto.export import FORMATS, export
from t2dm_onto.namespaces import RELATIONS

from .exchange_readers import (
    FIELDS,
    canonical,
    read_bel,
    read_cx2,
    read_graphml,
    read_kgx,
    read_nanopubs,
    read_tsv,
)

EXCHANGE = ("bel", "kgx", "nanopub", "graphml", "cx2")
OUT_NAMES = {"bel": "kb.bel", "kgx": "kgx", "nanopub": "kb.trig", "graphml": "kb.graphml", "cx2": "kb.cx2"}


def has(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def needs(module: str, package: str):
    return pytest.mark.skipif(not has(module), reason=f"{package} is not installed: pip install {package} "
                                                       "(it is in the test extra)")


@pytest.fixture(scope="session")
def exports(tmp_path_factory) -> dict[str, Path]:
    """Each exchange format written once through the real CLI."""
    out = tmp_path_factory.mktemp("exchange")
    paths = {}
    for fmt in EXCHANGE:
        paths[fmt] = out / OUT_NAMES[fmt]
        assert main(["export", "--format", fmt, "-o", str(paths[fmt])]) == 0
    return paths


@pytest.fixture(scope="session")
def model(kb):
    from t2dm_onto.export.model import load_model

    return load_model(kb)


@pytest.fixture(scope="session")
def expected(claims) -> dict[str, dict]:
    return {c["id"]: canonical(c) for c in claims}


def assert_round_trip(expected: dict[str, dict], found: dict[str, dict], fmt: str) -> None:
    assert set(found) == set(expected), f"{fmt}: claims missing {sorted(set(expected) - set(found))[:5]}, " \
                                        f"extra {sorted(set(found) - set(expected))[:5]}"
    for claim, want in expected.items():
        got = {k: found[claim][k] for k in FIELDS}
        assert got == want, f"{fmt}: {claim} differs: " + ", ".join(
            f"{k}: {got[k]!r} != {want[k]!r}" for k in FIELDS if got[k] != want[k])


def test_every_exchange_format_is_registered():
    for fmt in EXCHANGE:
        assert fmt in FORMATS
        from t2dm_onto.export import exporter

        mod = exporter(fmt)
        assert mod.KIND in ("file", "dir") and mod.DESCRIPTION and callable(mod.write)


# -- BEL ------------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def bel_terms(model) -> dict[tuple[str, str], str]:
    from t2dm_onto.export.bel import term_reference

    out = {}
    for node in model.nodes.values():
        _, ns, ident, _ = term_reference(model, node)
        assert (ns, ident) not in out, f"two entities share the BEL term {ns}:{ident}"
        out[(ns, ident)] = node.iri
    return out


def test_bel_round_trip_by_grammar(exports, expected, bel_terms, claims, model):
    from t2dm_onto.export.bel import term_reference

    found = read_bel(exports["bel"], bel_terms)
    assert_round_trip(expected, found, "bel")
    for c in claims:
        rec = found[c["id"]]
        assert rec["_citation"] == ("Other", "2型糖尿病合并骨质疏松症发病机制", "https://w3id.org/t2dm-onto/review")
        fn = term_reference(model, model.node(c["object"]["iri"]))[0]
        assert rec["_activity"] == (c["aspect"] == "activity" and fn in ("p", "a")), c["id"]


def test_bel_uses_external_namespaces_and_real_relations(exports):
    text = exports["bel"].read_text(encoding="utf-8")
    for term in ("p(HGNC:11926 ! TNFSF11)", "a(CHEBI:26523 ! ", "bp(GO:", "path(MONDO:0005148 ! "):
        assert term in text
    for rel in ("increases", "decreases", "positiveCorrelation", "negativeCorrelation", "association", "causesNoChange"):
        assert f") {rel} " in text
    citations = {line for line in text.splitlines() if line.startswith("SET Citation")}
    assert citations == {'SET Citation = {"Other", "2型糖尿病合并骨质疏松症发病机制", "https://w3id.org/t2dm-onto/review"}'}


@needs("pybel", "pybel")
def test_bel_parses_with_pybel(exports, expected, bel_terms, claims):
    import pybel

    graph = pybel.from_bel_script(str(exports["bel"]))
    assert graph.warnings == [], graph.warnings[:3]
    assert graph.document["name"] and graph.document["version"] == "20261126"
    by_claim: dict[str, list] = defaultdict(list)
    for u, v, data in graph.edges(data=True):
        claim = "https://w3id.org/t2dm-onto/claim/" + data["annotations"]["Claim"][0]["identifier"]
        by_claim[claim].append((u, v, data))
    # PyBEL keys an edge by its ends, relation, citation and evidence, not by annotations: claims
    # from one sentence that differ only in aspect or cell collapse into one edge. Only those may be missing.
    groups = Counter((c["subject"]["iri"], c["relation"], c["object"]["iri"], c["quote_zh"],
                      c["aspect"] == "activity") for c in claims)
    shared = {c["id"] for c in claims
              if groups[(c["subject"]["iri"], c["relation"], c["object"]["iri"], c["quote_zh"],
                         c["aspect"] == "activity")] > 1}
    missing = set(expected) - set(by_claim)
    assert missing <= shared, sorted(missing - shared)
    assert len(by_claim) == len(expected) - sum(n - 1 for n in groups.values())
    from .exchange_readers import BEL_RELATIONS, bel_unescape

    for claim, edges in by_claim.items():
        want = expected[claim]
        ends = set()
        for u, v, data in edges:
            ends.add((bel_terms[(u.namespace, u.identifier)], bel_terms[(v.namespace, v.identifier)]))
            assert BEL_RELATIONS[data["relation"]] == want["relation"]
            assert bel_unescape(data["evidence"]) == want["quote_zh"]
            assert data["citation"]["identifier"] == "https://w3id.org/t2dm-onto/review"
            refs = tuple(int(a["identifier"]) for a in data["annotations"].get("CitedReference", []))
            assert refs == want["references"]
        pair = (want["subject"], want["object"])
        if RELATIONS[want["relation"]]["causal"] or want["relation"] == "no_association":
            assert ends == {pair}
        else:  # PyBEL stores correlations and associations both ways
            assert pair in ends and ends <= {pair, pair[::-1]}


# -- KGX ------------------------------------------------------------------------------------------

def test_kgx_round_trip(exports, expected, claims):
    found = read_kgx(exports["kgx"])
    assert_round_trip(expected, found, "kgx")
    for c in claims:
        rec = found[c["id"]]
        assert rec["_original"] == (c["subject"]["iri"], f"T2DMOP:{c['relation']}", c["object"]["iri"])
        row = rec["_row"]
        assert row["knowledge_level"] and row["agent_type"] == "manual_agent"
        if c["relation"] in ("increases", "decreases"):
            assert row["qualified_predicate"] == "biolink:causes"


def test_kgx_nodes_use_exact_matches_only(exports, model):
    nodes = read_tsv(exports["kgx"] / "nodes.tsv")
    by_iri = {}
    for row in nodes:
        ours = next(x for x in [row["id"], *row["xref"].split("|")] if x.startswith("T2DMOP:"))
        by_iri["https://w3id.org/t2dm-onto/" + ours.split(":", 1)[1]] = row
    assert by_iri["https://w3id.org/t2dm-onto/RANKL"]["id"] == "UniProtKB:O14788"
    assert by_iri["https://w3id.org/t2dm-onto/T2DM"]["id"] == "MONDO:0005148"
    for iri, row in by_iri.items():
        node = model.nodes[iri]
        assert row["id"] == node.curie or row["id"] in node.exact, (iri, row["id"])
        assert row["category"].startswith("biolink:")


@pytest.fixture(scope="session")
def biolink():
    if not has("biolink_model"):
        pytest.skip("biolink-model is not installed: pip install biolink-model (it is in the test extra)")
    from importlib.resources import files

    import yaml

    schema = yaml.safe_load((files("biolink_model") / "schema" / "biolink_model.yaml").read_text(encoding="utf-8"))
    prefixes = json.loads((files("biolink_model") / "prefixmaps" / "biolink-model-prefix-map.json").read_text())
    return schema, prefixes


def _ancestors(table: dict, name: str) -> list[str]:
    out = []
    while name:
        out.append(name)
        name = (table.get(name) or {}).get("is_a")
    return out


def test_kgx_conforms_to_the_biolink_model(exports, biolink):
    """Schema-level check against the Biolink model's own classes, slots and enumerations."""
    schema, prefixes = biolink
    classes, slots, enums = schema["classes"], schema["slots"], schema["enums"]

    def element(curie: str) -> str:
        assert curie.startswith("biolink:"), curie
        local = curie.split(":", 1)[1]
        return local.replace("_", " ") if local[0].islower() else " ".join(
            w.lower() for w in re.findall(r"[A-Z][a-z]*|[0-9]+", local))

    def enum(name: str) -> set[str]:
        return set(enums[name]["permissible_values"])

    declared = set(prefixes) | {"T2DMOP"}  # our own prefix, declared as any KG-Hub ingest declares its local one
    nodes = read_tsv(exports["kgx"] / "nodes.tsv")
    for row in nodes:
        for cat in row["category"].split("|"):
            cls = classes[element(cat)]
            assert not cls.get("mixin") and not cls.get("abstract"), cat
            assert "named thing" in _ancestors(classes, element(cat)), cat
        assert row["id"].split(":", 1)[0] in declared, row["id"]
    node_slots = {c for c in read_tsv(exports["kgx"] / "nodes.tsv")[0] if not c.startswith("t2dm_")}
    for column in node_slots:
        assert column.replace("_", " ") in slots, column
    edges = read_tsv(exports["kgx"] / "edges.tsv")
    for column in (c for c in edges[0] if not c.startswith("t2dm_")):
        assert column.replace("_", " ") in slots, column
    for row in edges:
        pred = element(row["predicate"])
        assert "related to" in _ancestors(slots, pred), row["predicate"]
        assert not slots[pred].get("deprecated")
        if row["qualified_predicate"]:
            assert "related to" in _ancestors(slots, element(row["qualified_predicate"]))
        if row["object_direction_qualifier"]:
            assert row["object_direction_qualifier"] in enum("DirectionQualifierEnum")
        if row["object_aspect_qualifier"]:
            assert row["object_aspect_qualifier"] in enum("GeneOrGeneProductOrChemicalEntityAspectEnum")
        assert row["knowledge_level"] in enum("KnowledgeLevelEnum")
        assert row["agent_type"] in enum("AgentTypeEnum")
        for column in ("subject", "object"):
            assert row[column].split(":", 1)[0] in declared
        assert row["has_evidence"].startswith("ECO:") and row["supporting_text"]


KGX_VENV = Path(__file__).resolve().parents[1] / ".venv-kgx" / "bin" / "python"


def run_kgx_validate(files: list[Path], prefixes: list[str]) -> tuple[int, dict]:
    """Run tests/kgx_offline.py with the interpreter that has kgx: this one, or the .venv-kgx beside the repo."""
    import os
    import subprocess
    import sys

    python = os.environ.get("T2DM_KGX_PYTHON") or (sys.executable if has("kgx") else str(KGX_VENV))
    if not Path(python).exists() or (python == str(KGX_VENV) and not (KGX_VENV.parent / "kgx").exists()):
        pytest.skip("kgx is not installed: python3 -m venv .venv-kgx && .venv-kgx/bin/pip install kgx "
                    "(.ci/run does this; kgx is kept out of the test extra because of its pinned dependencies)")
    args = [str(f) for f in files] + [a for p in prefixes for a in ("--prefix", p)]
    proc = subprocess.run([python, str(Path(__file__).with_name("kgx_offline.py")), *args],
                          capture_output=True, text=True, timeout=600)
    assert proc.stdout.strip(), proc.stderr[-2000:]
    return proc.returncode, json.loads(proc.stdout.strip().splitlines()[-1])


def test_kgx_validate_passes(exports):
    """The KGX validator itself, offline on the installed biolink-model's schema and prefix map.

    With our local prefix declared it finds nothing; without it, the only findings are the
    nodes that have no exact external identifier and so keep a ``T2DMOP:`` id.
    """
    files = [exports["kgx"] / "nodes.tsv", exports["kgx"] / "edges.tsv"]
    code, report = run_kgx_validate(files, ["T2DMOP"])
    assert code == 0 and report["errors"] == {}, json.dumps(report)[:2000]
    assert report["biolink_version"].startswith("4.")
    code, report = run_kgx_validate(files, [])
    assert code == 1
    messages = [m for kind in report["errors"].values() for m in kind]
    assert messages and all("'T2DMOP'" in m for m in messages), messages[:3]


# -- nanopublications -----------------------------------------------------------------------------

def test_nanopub_round_trip(exports, expected):
    found = read_nanopubs(exports["nanopub"])
    assert_round_trip(expected, found, "nanopub")
    nps = {rec["_np"] for rec in found.values()}
    assert len(nps) == len(expected)  # one nanopublication per claim
    for rec in found.values():
        props = {q.predicate.value.rsplit("/", 1)[-1] for q in rec["_pubinfo"]}
        assert {"created", "license", "creator"} <= props


def test_nanopub_trig_parses_with_rdflib(exports, claims):
    import rdflib

    ds = rdflib.Dataset()
    ds.parse(exports["nanopub"], format="trig")
    kind = rdflib.URIRef("http://www.nanopub.org/nschema#Nanopublication")
    heads = {s for s, _, _, _ in ds.quads((None, rdflib.RDF.type, kind, None))}
    assert len(heads) == len(claims)
    graphs = {str(g.identifier) for g in ds.graphs() if len(g)}
    assert len([g for g in graphs if g.endswith("#assertion")]) == len(claims)


def _split_nanopubs(text: str) -> list[str]:
    """The TriG document cut into one self-contained document per nanopublication."""
    head, _, rest = text.partition("\n\n@prefix this:")
    return [head + "\n\n@prefix this:" + chunk.rstrip("\n") + "\n" for chunk in rest.split("\n@prefix this:")]


@needs("nanopub_sign", "nanopub-sign")
def test_each_nanopub_passes_the_nanopub_checker(exports, claims, capfd):
    import nanopub_sign

    docs = _split_nanopubs(exports["nanopub"].read_text(encoding="utf-8"))
    assert len(docs) == len(claims)
    for doc in docs:
        nanopub_sign.Nanopub(doc).check()  # raises on an invalid nanopublication
    broken = docs[0].split("sub:pubinfo {")[0]  # the checker must refuse one without publication info
    with pytest.raises(Exception, match="pubinfo"):
        nanopub_sign.Nanopub(broken).check()
    capfd.readouterr()


# -- GraphML and CX2 ------------------------------------------------------------------------------

def test_graphml_is_well_formed_xml(exports, claims, model):
    import xml.etree.ElementTree as ET

    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    root = ET.parse(exports["graphml"]).getroot()
    graph = root.find("g:graph", ns)
    assert graph.get("edgedefault") == "directed"
    assert len(graph.findall("g:node", ns)) == len(model.used)
    assert len(graph.findall("g:edge", ns)) == len(claims)
    keys = {k.get("id") for k in root.findall("g:key", ns)}
    for data in root.iter("{http://graphml.graphdrawing.org/xmlns}data"):
        assert data.get("key") in keys


@needs("networkx", "networkx")
def test_graphml_round_trip_with_networkx(exports, expected, claims, model):
    import networkx as nx

    g = nx.read_graphml(exports["graphml"], force_multigraph=True)
    assert g.is_directed() and g.number_of_nodes() == len(model.used) and g.number_of_edges() == len(claims)
    for _, data in g.nodes(data=True):
        assert data["category"] and data["biolink_category"].startswith("biolink:")
    found = read_graphml(exports["graphml"])
    assert_round_trip(expected, found, "graphml")
    for claim, rec in found.items():
        sign = RELATIONS[expected[claim]["relation"]]["sign"]
        assert rec["_sign"] == sign and rec["_causal"] == RELATIONS[expected[claim]["relation"]]["causal"]


CX2_TYPES = {"string": str, "integer": int, "long": int, "double": float, "boolean": bool}


def test_cx2_follows_the_cx2_structure(exports, claims, model):
    """The structure the CX2 specification documents, checked aspect by aspect."""
    doc = json.loads(exports["cx2"].read_text(encoding="utf-8"))
    assert isinstance(doc, list) and doc[0] == {"CXVersion": "2.0", "hasFragments": False}
    assert list(doc[1]) == ["metaData"] and list(doc[-1]) == ["status"]
    assert doc[-1]["status"] == [{"error": "", "success": True}]
    aspects = {}
    for part in doc[2:-1]:
        assert len(part) == 1
        (name, elements), = part.items()
        assert name not in aspects and isinstance(elements, list)
        aspects[name] = elements
    counts = {m["name"]: m["elementCount"] for m in doc[1]["metaData"]}
    assert counts == {name: len(elements) for name, elements in aspects.items()}
    decl = aspects["attributeDeclarations"][0]
    nodes, edges = aspects["nodes"], aspects["edges"]
    assert len(nodes) == len(model.used) and len(edges) == len(claims)
    node_ids = [n["id"] for n in nodes]
    assert len(set(node_ids)) == len(node_ids) and all(isinstance(i, int) for i in node_ids)
    assert len({e["id"] for e in edges}) == len(edges)

    def check(values: dict, declared: dict, where: str) -> None:
        for key, value in values.items():
            assert key in declared, f"{where}: {key} is not declared"
            kind = declared[key]["d"]
            assert value is not None, f"{where}: {key} is null"
            if kind.startswith("list_of_"):
                assert isinstance(value, list) and all(
                    type(v) is CX2_TYPES[kind[len("list_of_"):]] for v in value), (where, key)
            else:
                assert type(value) is CX2_TYPES[kind], (where, key, value)

    for name, values in aspects["networkAttributes"][0].items():
        check({name: values}, decl["networkAttributes"], "network")
    for n in nodes:
        check(n["v"], decl["nodes"], f"node {n['id']}")
    ids = set(node_ids)
    for e in edges:
        assert e["s"] in ids and e["t"] in ids
        check(e["v"], decl["edges"], f"edge {e['id']}")


def test_cx2_round_trip(exports, expected):
    found = read_cx2(exports["cx2"])
    assert_round_trip(expected, found, "cx2")
    for claim, rec in found.items():
        assert rec["_sign"] == RELATIONS[expected[claim]["relation"]]["sign"]


@needs("ndex2", "ndex2")
def test_cx2_loads_in_ndex2(exports, claims, model):
    from ndex2.cx2 import CX2Network

    net = CX2Network()
    net.create_from_raw_cx2(str(exports["cx2"]))
    assert len(net.get_nodes()) == len(model.used) and len(net.get_edges()) == len(claims)
    edge = next(e for e in net.get_edges().values() if e["v"]["claim"].endswith("/S2_5_09"))
    assert edge["v"]["interaction"] == "increases" and edge["v"]["sign"] == 1 and edge["v"]["references"] == [22]


# -- determinism and bad input --------------------------------------------------------------------

def test_exports_are_deterministic(exports, tmp_path):
    """The same knowledge base gives the same bytes, even loaded from its triples in another order."""
    import pyoxigraph as ox

    from t2dm_onto import KnowledgeBase
    from t2dm_onto.resources import ontology_file

    store = ox.Store()
    store.load(path=str(ontology_file()), format=ox.RdfFormat.TURTLE)
    lines = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()).decode("utf-8").splitlines()
    shuffled = tmp_path / "reversed.nt"
    shuffled.write_text("\n".join(sorted(lines, reverse=True)) + "\n", encoding="utf-8")
    other = KnowledgeBase(ontology=shuffled)
    for fmt in EXCHANGE:
        again = tmp_path / OUT_NAMES[fmt]
        export(other, fmt, again)
        if exports[fmt].is_dir():
            names = sorted(p.name for p in exports[fmt].iterdir())
            # the folder's mark (t2dm_onto.outputs.OUTPUT_MARK) lets a later export replace it
            assert names == sorted(p.name for p in again.iterdir()) == [".t2dm-onto-output.json", "edges.tsv",
                                                                         "nodes.tsv"]
            for name in names:
                assert (exports[fmt] / name).read_bytes() == (again / name).read_bytes(), (fmt, name)
        else:
            assert exports[fmt].read_bytes() == again.read_bytes(), fmt


TRICKY_CLAIM = """
@prefix t2dm: <https://w3id.org/t2dm-onto/> .
@prefix claim: <https://w3id.org/t2dm-onto/claim/> .
@prefix obo: <http://purl.obolibrary.org/obo/> .
claim:S9_99 a t2dm:Claim ; t2dm:has_subject t2dm:ROS ; t2dm:has_relation t2dm:decreases ;
  t2dm:has_object t2dm:RANKL ; t2dm:section "2.5" ; t2dm:cites <https://w3id.org/t2dm-onto/ref/22> ;
  t2dm:quote_zh %s@zh ; t2dm:statement_en "A \\"quoted\\" statement with a back\\\\slash."@en ;
  t2dm:evidence obo:ECO_0000304 .
"""


@pytest.mark.parametrize("fmt", ["bel", "kgx", "nanopub", "graphml", "cx2"])
def test_quotes_and_backslashes_survive(fmt, tmp_path, bel_terms):
    """Text that needs escaping in every format comes back unchanged."""
    from t2dm_onto import KnowledgeBase

    extra = tmp_path / "extra.ttl"
    extra.write_text(TRICKY_CLAIM % '"他说\\"骨\\"很好\\\\"', encoding="utf-8")
    kb = KnowledgeBase(files=[extra])
    want = {c["id"]: canonical(c) for c in kb.claims()}
    tricky = "https://w3id.org/t2dm-onto/claim/S9_99"
    assert want[tricky]["quote_zh"] == '他说"骨"很好\\'
    out = tmp_path / OUT_NAMES[fmt]
    export(kb, fmt, out)
    if fmt == "graphml" and not has("networkx"):
        pytest.skip("networkx is not installed: pip install networkx")
    reader = {"bel": lambda p: read_bel(p, bel_terms), "kgx": read_kgx, "nanopub": read_nanopubs,
              "graphml": read_graphml, "cx2": read_cx2}[fmt]
    assert_round_trip(want, reader(out), fmt)


def test_kgx_refuses_text_it_cannot_carry(tmp_path, capsys):
    """A tab in a quote cannot travel in KGX TSV: a clear error, and no folder left behind."""
    extra = tmp_path / "extra.ttl"
    extra.write_text(TRICKY_CLAIM % '"一\\t二"', encoding="utf-8")
    out = tmp_path / "kgx"
    code = main(["export", "--format", "kgx", "-o", str(out), "--with", str(extra)])
    err = capsys.readouterr().err
    assert code == 3 and "error:" in err and "S9_99" in err and "Traceback" not in err
    assert not out.exists() and list(tmp_path.iterdir()) == [extra]


def test_unknown_relation_is_a_clear_error(tmp_path, capsys):
    extra = tmp_path / "extra.ttl"
    extra.write_text(TRICKY_CLAIM.replace("t2dm:decreases", "t2dm:inhibits") % '"一"', encoding="utf-8")
    out = tmp_path / "kb.bel"
    code = main(["export", "--format", "bel", "-o", str(out), "--with", str(extra)])
    err = capsys.readouterr().err
    assert code == 3 and "inhibits" in err and "Traceback" not in err
    assert not out.exists()


def test_export_to_a_missing_folder_is_a_usage_error(tmp_path, capsys):
    code = main(["export", "--format", "bel", "-o", str(tmp_path / "no" / "such" / "kb.bel")])
    assert code == 2 and "does not exist" in capsys.readouterr().err


def test_folder_format_needs_an_output(capsys):
    code = main(["export", "--format", "kgx"])
    assert code == 2 and "-o DIR" in capsys.readouterr().err


def test_file_format_to_stdout(capsysbinary):
    assert main(["export", "--format", "cx2"]) == 0
    doc = json.loads(capsysbinary.readouterr().out.decode("utf-8"))
    assert doc[0]["CXVersion"] == "2.0"
