"""Truth to the source and coverage of the curated claims."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from t2dm_onto.namespaces import RELATIONS

WS = re.compile(r"\s+")


def test_every_quote_is_verbatim_in_the_review(claims, source_text):
    text = WS.sub("", source_text)
    missing = [c["id"] for c in claims if not c["quote_zh"] or WS.sub("", c["quote_zh"]) not in text]
    assert missing == []


def test_many_atomic_claims_across_all_sections(claims):
    assert len(claims) >= 300
    sections = {c["section"] for c in claims}
    for s in ("1", "2.1", "2.2.1", "2.2.2", "2.3", "2.4.1", "2.4.2", "2.4.3", "2.4.4", "2.5", "2.6.1", "2.6.2",
              "2.7.1", "2.7.2", "2.8.1", "2.8.2", "2.8.3", "2.8.4", "2.8.5", "2.9"):
        assert s in sections, s
    assert set(Counter(c["relation"] for c in claims)) == set(RELATIONS)


def _key(c):
    return (c["subject"]["iri"], c["relation"], c["object"]["iri"], c["aspect"], c["population"], c["sex"],
            c["detail"], tuple(c["context_entities"]), c["section"])


def test_no_two_claims_duplicate_each_other(claims):
    dupes = [k for k, n in Counter(_key(c) for c in claims).items() if n > 1]
    assert dupes == []


def test_every_entity_is_used(curation):
    used = set()
    for c in curation.claims:
        used |= {c.subject, c.object, *c.context}
    parents = {p for e in curation.all_entities for p in e.parents}
    structural = {x for e in curation.all_entities for x in (*e.members, *e.located_in, *e.related)}
    unused = [e.id for e in curation.entities
              if e.id not in used | parents | structural and not e.members and not e.located_in]
    assert unused == []


def test_references_are_within_the_review(claims, curation):
    assert sorted(r.number for r in curation.references) == list(range(1, 67))
    assert all(1 <= n <= 66 for c in claims for n in c["references"])
    named = {r.number: r.first_author for r in curation.references if r.first_author}
    assert named[22] == "Almeida" and 55 not in named
    assert named[56] == "Schwartz" and named[61] == "Blau" and named[19] == "肖新怀"


def test_evidence_codes_match_references(claims):
    for c in claims:
        if c["evidence"] == "ECO:0000304":
            assert c["references"], c["id"]
        if c["evidence"] == "ECO:0000303":
            assert not c["references"], c["id"]


def _find(claims, subject=None, obj=None, relation=None):
    return [c for c in claims if (subject is None or c["subject"]["label"] == subject)
            and (obj is None or c["object"]["label"] == obj) and (relation is None or c["relation"] == relation)]


def test_drug_sections_keep_study_types_and_numbers(claims):
    pio = [c for c in _find(claims, subject="pioglitazone") if 55 in c["references"]]
    assert pio and pio[0]["study_type"] == "meta_analysis" and "1.73" in pio[0]["context"] and "22" in pio[0]["context"]
    cana = [c for c in _find(claims, subject="canagliflozin") if 60 in c["references"]]
    assert any("104" in (c["context"] or "") for c in cana)
    met = _find(claims, subject="metformin")
    assert any("low" in (c["context"] or "").lower() and "high" in (c["context"] or "").lower() for c in met)


@pytest.mark.parametrize("needle", ["postmenopausal", "men", "obese", "elderly"])
def test_population_context_is_kept(claims, needle):
    assert any(needle in (c["context"] or "").lower() for c in claims)


def test_the_review_disagreements_are_modelled(claims):
    # SGLT2 inhibitors differ within the class
    assert _find(claims, subject="dapagliflozin", relation="no_association")
    assert any(c["relation"] in ("increases", "positively_correlated_with", "negatively_correlated_with")
               for c in _find(claims, subject="canagliflozin"))
    # sulfonylureas as a class (neutral) vs glimepiride (protective)
    assert _find(claims, subject="sulfonylurea", relation="no_association")
    assert _find(claims, subject="glimepiride")
    # insulin the hormone vs insulin therapy
    assert _find(claims, subject="insulin") and _find(claims, subject="insulin therapy")


def test_hop_by_hop_mechanism_of_hyperglycaemia(claims):
    assert _find(claims, "hyperglycaemia", "osmotic diuresis", "increases")
    assert _find(claims, "parathyroid hormone") or _find(claims, obj="parathyroid hormone")


@pytest.mark.parametrize(("field", "value"), [("alt", [False, "NO 浓度"]), ("zh", 1), ("en", True)])
def test_yaml_coerced_names_are_refused(field, value):
    from t2dm_onto.curation import _entity
    from t2dm_onto.errors import InputError

    rec = {"id": "NitricOxide", "parent": "ChemicalEntity", "en": "nitric oxide", "zh": "一氧化氮",
           "def": "A gaseous signalling molecule.", field: value}
    with pytest.raises(InputError, match="Quote it"):
        _entity(rec, "entities.yaml", category=False)


def test_unknown_entity_field_is_refused():
    from t2dm_onto.curation import _entity
    from t2dm_onto.errors import InputError

    rec = {"id": "X", "en": "x", "zh": "某", "def": "A thing.", "synonym": "y"}
    with pytest.raises(InputError, match="unknown field"):
        _entity(rec, "entities.yaml", category=False)


def test_no_label_or_synonym_is_a_yaml_boolean(curation):
    names = [n for e in curation.all_entities for n in (e.en, e.zh, *e.alt)]
    assert not {"True", "False", "None"} & set(names)


def test_every_claim_has_a_study_type_from_the_one_list(claims, curation):
    from t2dm_onto.namespaces import STUDY_TYPES

    assert all(c["study_type"] in STUDY_TYPES for c in claims)
    assert all(c.study in STUDY_TYPES for c in curation.claims)
    # "not_stated" is explicit, and most of the review names no kind of study
    counts = Counter(c["study_type"] for c in claims)
    assert counts["not_stated"] < len(claims) and counts["human_observational"] >= 20


def test_claims_by_study_type_returns_the_clinical_claims(kb, claims):
    rows = kb.query("claims-by-study-type", study_type="clinical_study").rows
    expected = {c["id"].rsplit("/", 1)[-1] for c in claims if c["study_type"] == "clinical_study"}
    assert {r["claim"] for r in rows} == expected
    assert {"S2_8_1_09", "S2_5_23", "S2_8_1_07"} <= expected


# Where the sentence names the kind of study, its claims say so (ledger rows give each sentence's claims).
NAMED_STUDIES = [
    ("有临床研究报道，磺脲类药物", "clinical_study", None),
    ("一项对22个随机对照试验的meta分析", "meta_analysis", None),
    ("用脂多糖培养MC3T3-E1成骨样细胞", "cell_line", None),
    ("促进高糖环境下大鼠成骨细胞分化", "in_vitro", "rat"),
    ("并在大量临床和动物实验中获得证实", "mixed", None),
    ("当骨髓间充质干细胞暴露于高糖环境中时", "in_vitro", None),
]


@pytest.mark.parametrize(("needle", "study", "species"), NAMED_STUDIES)
def test_study_named_in_the_sentence_is_recorded(needle, study, species, curation, root):
    from t2dm_onto.coverage import read

    rows = [r for r in read(root / "curation" / "coverage.tsv") if needle in r.text]
    assert len(rows) == 1
    by_id = {c.id: c for c in curation.claims}
    quoting = [by_id[cid] for cid in rows[0].claims if needle in WS.sub("", by_id[cid].quote)]
    assert quoting
    for claim in quoting:
        assert claim.study == study, claim.id
        if species:
            assert claim.species == species, claim.id
