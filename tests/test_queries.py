"""Every canned query runs, and answers what the review says."""

from __future__ import annotations

import pytest

from t2dm_onto.catalog import Catalog
from t2dm_onto.errors import T2DMError, UnknownEntityError, UsageError

CATALOG = Catalog()


def test_catalog_has_the_contract_queries():
    names = set(CATALOG.names())
    for q in ("mediators-increasing", "mediators-decreasing", "effects-of", "causal-paths", "drug-bone-effects",
              "complications-affecting-bone", "bmd-correlates", "claims-by-reference", "claims-by-study-type",
              "claims-in-section", "conflicts", "pathways", "biomarkers", "entity"):
        assert q in names, q


@pytest.mark.parametrize("name", CATALOG.names())
def test_every_query_runs_with_its_example(kb, name):
    q = CATALOG.get(name)
    rows = kb.query(name, **q.example_args())
    assert len(rows) > 0, name
    assert all(isinstance(c, str) for c in rows.columns)


@pytest.mark.parametrize("name", CATALOG.names())
def test_every_query_runs_in_chinese(kb, name):
    rows = kb.query(name, lang="zh", **CATALOG.get(name).example_args())
    assert len(rows) > 0


def test_ros_and_il6_increase_rankl(kb):
    rows = kb.query("mediators-increasing", target="RANKL")
    assert {"reactive oxygen species", "interleukin 6"} <= set(rows.column("source_label"))
    assert all(r["hops"] == 1 and r["net_sign"] == "+" for r in rows)
    ros = next(r for r in rows if r["source_label"] == "reactive oxygen species")
    assert ros["hop_references"] == "22"


def test_transitive_mediators_carry_the_chain(kb):
    rows = kb.query("mediators-increasing", target="RANKL", transitive=True)
    chains = rows.column("chain")
    assert any(c == "tumour necrosis factor alpha –(+)→ interleukin 6 –(+)→ RANKL" for c in chains)
    assert all(r["net_sign"] == "+" for r in rows)
    assert max(rows.column("hops")) > 1


def test_sign_algebra_plus_then_minus_is_minus(kb):
    rows = kb.query("mediators-decreasing", target="osteoblast differentiation", transitive=True, max_hops=2)
    two_hop = [r for r in rows if r["hops"] == 2]
    assert two_hop and all(r["net_sign"] == "-" for r in two_hop)
    assert all(("–(−)→" in r["chain"]) for r in two_hop)  # an odd number of decreasing hops


def test_causal_paths_list_each_hop(kb):
    rows = kb.query("causal-paths", source="hyperglycaemia", target="bone loss", max_hops=4)
    assert rows and all(r["hops"] <= 4 for r in rows)
    for r in rows:
        assert r["hop_references"].count("|") == r["hops"] - 1
        assert r["hop_claims"].count("|") == r["hops"] - 1
    short = kb.query("causal-paths", source="hyperglycaemia", target="bone loss", max_hops=2)
    assert max(short.column("hops")) <= 2 < max(rows.column("hops"))


def test_metformin_is_bone_protective_and_sglt2_mixed(kb):
    effects = {r["drug_label"]: r for r in kb.query("drug-bone-effects")}
    assert effects["metformin"]["effect"] == "protective"
    assert effects["pioglitazone"]["effect"] == "harmful"
    assert "55" in effects["pioglitazone"]["references"].split(",")
    assert "meta_analysis" in effects["pioglitazone"]["study_types"]
    assert effects["canagliflozin"]["effect"] == "harmful"
    assert effects["dapagliflozin"]["effect"] == "neutral"
    assert effects["SGLT2 inhibitor"]["effect"] == "mixed"
    assert "oral antidiabetic drug" not in effects  # a grouping class, not a drug the review names


def test_pioglitazone_fracture_risk_rests_on_55(kb):
    rows = kb.query("claims-by-reference", ref=55)
    assert [r["subject_label"] for r in rows] == ["pioglitazone"]
    assert rows[0]["study"] == "meta_analysis"


def test_claims_by_study_type_and_section(kb):
    assert all(r["study"] == "cell_line" for r in kb.query("claims-by-study-type", study_type="cell_line"))
    rows = kb.query("claims-in-section", section="2.8")
    assert rows and all(r["claim_section"].startswith("2.8.") for r in rows)


@pytest.mark.parametrize(("name", "param", "values"), [
    ("claims-by-reference", "ref", [str(n) for n in range(1, 67)]),
    ("claims-by-study-type", "study_type", ["in_vitro", "cell_line", "animal", "human_observational", "clinical_study",
                                            "randomised_controlled_trial", "meta_analysis"]),
])
def test_dedicated_claim_queries_match_the_general_one(kb, name, param, values):
    # they have their own bodies for speed; the general claims query with the same filter is the reference
    answered = 0
    for value in values:
        rows = kb.query(name, **{param: value})
        assert rows.columns == kb.query("claims").columns
        assert sorted(map(str, rows.rows)) == sorted(map(str, kb.query("claims", **{param: value}).rows)), value
        answered += bool(rows.rows)
    assert answered >= 2


def test_bmd_correlates_include_leptin_and_igf1(kb):
    rows = kb.query("bmd-correlates")
    pos = {r["factor_label"] for r in rows if r["relation"] == "positively_correlated_with"}
    assert {"leptin", "insulin-like growth factor 1"} <= pos


def test_biomarkers_in_t2dm(kb):
    rows = kb.query("biomarkers")
    found = {(r["marker_label"], r["direction"], r["condition_label"]) for r in rows}
    assert ("insulin-like growth factor 1", "lowered", "type 2 diabetes mellitus") in found
    assert ("neutrophil-lymphocyte ratio", "raised", "type 2 diabetes mellitus") in found


def test_conflicts_flag_the_review_disagreements(kb):
    rows = kb.query("conflicts")
    pairs = {(r["subject_a_label"], r["subject_b_label"]) for r in rows}
    flat = {frozenset(p) for p in pairs}
    assert frozenset({"insulin", "insulin therapy"}) in flat
    assert any("canagliflozin" in p and ("dapagliflozin" in p or "empagliflozin" in p) for p in flat)
    assert {r["contexts_differ"] for r in rows} <= {"yes", "no"}


def test_complications_affecting_bone(kb):
    rows = kb.query("complications-affecting-bone")
    names = set(rows.column("complication_label"))
    assert {"renal insufficiency", "non-alcoholic fatty liver disease", "diabetic nephropathy",
            "diabetic neuropathy"} <= names
    assert all(r["effect"] in ("harmful", "protective", "associated", "no effect") for r in rows)
    # section 2.7.1: nephropathy -> secondary hyperparathyroidism -> osteoclast -> bone loss, three hops
    nephro = [r for r in rows if r["complication_label"] == "diabetic nephropathy" and r["outcome_label"] == "bone loss"]
    assert any(r["via_label"] == "secondary hyperparathyroidism → osteoclast" and r["effect"] == "harmful"
               and r["claims"].count("|") == 2 for r in nephro)
    # every row names its path once: no row repeats
    assert len({tuple(sorted(r.items())) for r in rows}) == len(rows)


def test_pathways_have_members(kb):
    rows = {r["pathway_label"]: r for r in kb.query("pathways")}
    members = rows["ERK/NF-kB/TNF/IL-6 pathway"]["members"]
    assert "interleukin 6" in members and "extracellular signal-regulated kinase" in members


def test_entity_whole(kb):
    rows = kb.query("entity", name="RANKL")
    fields = {r["field"] for r in rows}
    assert {"label", "synonym", "definition", "parent", "claim in"} <= fields


@pytest.mark.parametrize("name", ["RANKL", "rankl", "TNFSF11", "核因子κB受体活化因子配体", "t2dm:RANKL",
                                  "https://w3id.org/t2dm-onto/RANKL", "<https://w3id.org/t2dm-onto/RANKL>", " Rankl "])
def test_resolution_accepts_labels_synonyms_curies_iris(kb, name):
    assert kb.resolve(name) == "https://w3id.org/t2dm-onto/RANKL"


def test_resolution_by_xref(kb):
    xrefs = [x for x in kb.claims()[0]["subject"]["xrefs"]] or ["HGNC:11926"]
    rankl = kb.entities
    hgnc = [n for n in rankl.names if n.startswith("HGNC:")]
    assert hgnc, "no HGNC xref shipped"
    assert kb.resolve("HGNC:11926") == "https://w3id.org/t2dm-onto/RANKL"
    assert xrefs


def test_unknown_entity_suggests(kb):
    with pytest.raises(UnknownEntityError) as err:
        kb.query("mediators-increasing", target="rnkl")
    assert "RANKL" in err.value.suggestions


@pytest.mark.parametrize("bad", [
    '" } ; DROP ALL ; #', "RANKL> } UNION { ?s ?p ?o", "x' OR '1'='1", "\\u0022 FILTER(true)", "}}}}", "\n#",
])
def test_injection_in_every_parameter_is_refused(kb, bad):
    for q in CATALOG:
        for p in q.params:
            args = q.example_args()
            args[p.name] = bad
            with pytest.raises(T2DMError):
                kb.query(q.name, **args)


def test_unknown_query_and_parameter(kb):
    with pytest.raises(UsageError, match="Did you mean"):
        kb.query("mediators-increase", target="RANKL")
    with pytest.raises(UsageError, match="no parameter"):
        kb.query("mediators-increasing", target="RANKL", colour="red")
    with pytest.raises(UsageError, match="needs parameter"):
        kb.query("mediators-increasing")
    with pytest.raises(UsageError, match="between 1 and 4"):
        kb.query("causal-paths", source="ROS", target="RANKL", max_hops=99)


def test_sparql_updates_are_refused(kb):
    with pytest.raises(UsageError, match="read-only"):
        kb.sparql("PREFIX t: <x:> INSERT DATA { t:a t:b t:c }")
    with pytest.raises(UsageError, match="read-only"):
        kb.sparql("# comment\nDELETE WHERE { ?s ?p ?o }")
