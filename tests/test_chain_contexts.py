"""Chains say when their hops come from different contexts, and can keep only the consistent ones.

The rule (t2dm_onto.contexts) is checked on its own, then the SPARQL chain queries
(causal-paths, mediators-increasing, mediators-decreasing) are compared with the
Python search (explain) on the review and on a synthetic graph whose claims carry
the review's mix of populations, sexes, species, study types and sites.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest

from benchmarks.synthetic import generate
from t2dm_onto import KnowledgeBase
from t2dm_onto.contexts import ClaimContext, agreement, consistent_claims
from t2dm_onto.explain import as_json, find_chains, tell
from t2dm_onto.namespaces import BASE
from t2dm_onto.viz.model import load_graph

from .test_explain import chain_keys, query_keys
from .viz_helpers import run_cli

T2DM, DOP = BASE + "T2DM", BASE + "DiabeticOsteoporosis"


# -- the rule ---------------------------------------------------------------------
def test_unstated_agrees_with_anything_and_stated_values_must_match():
    women, men = ClaimContext(population="women", sex="female"), ClaimContext(sex="male")
    assert consistent_claims([[women], [ClaimContext()], [ClaimContext(sex="female")]]) == [{0}, {0}, {0}]
    assert consistent_claims([[women], [men]]) == [set(), set()]
    assert consistent_claims([[ClaimContext(study_type="not_stated")], [ClaimContext(study_type="in_vitro")]]) \
        == [{0}, {0}]  # "not_stated" is unstated, not a value


def test_a_population_or_a_human_study_type_means_humans():
    rat = ClaimContext(species="rat", study_type="in_vitro")
    for human in (ClaimContext(population="T2DM patients"), ClaimContext(study_type="meta_analysis"),
                  ClaimContext(species="human")):
        assert consistent_claims([[rat], [human]]) == [set(), set()]
    assert consistent_claims([[rat], [ClaimContext(study_type="in_vitro")]]) == [{0}, {0}]


def test_sites_must_share_one_and_each_hop_keeps_the_claims_of_a_consistent_choice():
    femur = ClaimContext(sites=frozenset({"Femur", "CorticalBone"}))
    spine = ClaimContext(sites=frozenset({"Vertebra", "CancellousBone"}))
    assert consistent_claims([[femur], [ClaimContext(sites=frozenset({"Femur"}))]]) == [{0}, {0}]
    assert consistent_claims([[femur], [spine]]) == [set(), set()]
    # hop 2 has a claim in women and one in men; hop 1 a claim in men and an unstated one
    hops = [[ClaimContext(sex="male"), ClaimContext()], [ClaimContext(sex="female"), ClaimContext(sex="male")]]
    assert consistent_claims(hops) == [{0, 1}, {0, 1}]
    assert consistent_claims([[ClaimContext(sex="male")], hops[1]]) == [{0}, {1}]


def test_agreement_tells_the_same_context_from_a_narrower_one():
    patients = ClaimContext(population="T2DM patients")
    assert agreement([[patients], [patients]]) == "yes"
    assert agreement([[ClaimContext()], [ClaimContext()]]) == "yes"  # nothing stated anywhere
    assert agreement([[patients], [ClaimContext()]]) == "partly"  # hop 2 is general, the chain holds in patients
    assert agreement([[patients], [ClaimContext(population="women")]]) == "no"
    # a hop with a matching claim and an unstated one: the matching choice makes it "yes"
    assert agreement([[patients], [ClaimContext(), patients]]) == "yes"


# -- the review -------------------------------------------------------------------
@pytest.fixture(scope="module")
def graph(kb):
    return load_graph(kb)


def test_a_chain_from_patients_through_a_neuropathy_sentence_is_flagged(kb, graph):
    # T2DM -> hyperglycaemia (T2DM patients) -> ... -> bone loss -> OP in T2DM (T2DM patients with neuropathy)
    rows = kb.query("causal-paths", source="T2DM", target="osteoporosis in type 2 diabetes").rows
    crossing = [r for r in rows if r["context_consistent"] == "no"]
    assert crossing and any("T2DM patients with neuropathy" in r["hop_contexts"] for r in crossing)
    for r in rows:
        assert r["hop_contexts"].count("|") == r["hops"] - 1
    kept = kb.query("causal-paths", source="T2DM", target="osteoporosis in type 2 diabetes",
                    consistent_context=True).rows
    assert kept and len(kept) == len(rows) - len(crossing)
    assert {r["context_consistent"] for r in kept} == {"yes", "partly"}
    assert {r["context_consistent"] for r in rows} == {"yes", "partly", "no"}
    # in Chinese too: the same flags, the site labels in Chinese
    zh = kb.query("causal-paths", source="T2DM", target="osteoporosis in type 2 diabetes", lang="zh").rows
    assert sorted(r["context_consistent"] for r in zh) == sorted(r["context_consistent"] for r in rows)


@pytest.mark.parametrize(("query", "target", "sign"), [
    ("mediators-increasing", "osteoporosis in type 2 diabetes", 1),
    ("mediators-decreasing", "BMD", -1),
    ("mediators-increasing", "bone loss", 1),
])
@pytest.mark.parametrize("consistent", [False, True])
def test_mediator_queries_agree_with_explain(kb, graph, query, target, sign, consistent):
    rows = kb.query(query, target=target, transitive=True, max_hops=4, consistent_context=consistent).rows
    assert rows
    expected: set = set()
    for source in {r["source"] for r in rows}:
        answer = find_chains(graph, source, kb.resolve(target), 4, consistent_context=consistent)
        expected |= {k for k in chain_keys(answer) if k[1] == ("+" if sign > 0 else "-")}
    assert query_keys(rows) == expected


def test_explain_text_and_json_carry_the_flag_and_the_contexts(graph):
    answer = find_chains(graph, T2DM, DOP, 4)
    crossing = [c for c in answer.chains if not c.consistent]
    assert crossing and len(crossing) < len(answer.chains)
    text = tell(graph, answer, quotes=False)
    assert f"{len(crossing)} of them cross contexts" in text
    assert "⚠ contexts differ: hop 1 T2DM patients; hop 2 not stated; hop 3 people with estrogen deficiency; " \
           "hop 4 T2DM patients with neuropathy" in text
    assert "contexts agree where stated: hop 1 T2DM patients; hop 2 not stated" in text
    assert "· S2_1_01 · §2.1 · T2DM patients" in text  # each claim with its own context
    assert "各步情境不一致" in tell(graph, answer, lang="zh", quotes=False)
    data = as_json(graph, answer)
    assert [c["context_consistent"] for c in data["chains"]] == [c.agreement for c in answer.chains]
    flagged = next(c for c in data["chains"] if c["context_consistent"] == "no")
    assert flagged["steps"][0]["contexts"] == ["T2DM patients"] and flagged["steps"][1]["contexts"] == []
    assert flagged["steps"][0]["claims"][0]["population"] == "T2DM patients"
    only = find_chains(graph, T2DM, DOP, 4, consistent_context=True)
    assert len(only.chains) == len(answer.chains) - len(crossing) and all(c.consistent for c in only.chains)
    assert as_json(graph, only)["consistent_context_only"] is True
    none = tell(graph, find_chains(graph, T2DM, DOP, 1, consistent_context=True))
    assert none.startswith("No causal chain with consistent contexts") and "leave out --consistent-context" in none


def test_explain_cli_option():
    every = json.loads(run_cli("explain", "T2DM", "osteoporosis in type 2 diabetes", "--format", "json").stdout)
    proc = run_cli("explain", "T2DM", "osteoporosis in type 2 diabetes", "--format", "json", "--consistent-context")
    assert proc.returncode == 0
    kept = json.loads(proc.stdout)
    assert 0 < kept["total"] < every["total"] and all(c["context_consistent"] != "no" for c in kept["chains"])
    proc = run_cli("explain", "T2DM", "osteoporosis in type 2 diabetes", "--consistent-context", "--no-quotes")
    assert proc.returncode == 0 and "⚠" not in proc.stdout


# -- a synthetic graph: many contexts, several claims per edge --------------------------
@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    kb = KnowledgeBase(ontology=generate(tmp_path_factory.mktemp("synthetic") / "kb-1000.nt", 1000, seed=7))
    return kb, load_graph(kb)


def _pairs_with_crossing_chains(graph, n: int) -> list[tuple[str, str]]:
    """Pairs of hub entities joined by chains of three hops, some of which cross contexts."""
    out_deg, in_deg = Counter(), Counter()
    for e in graph.edges.values():
        if e.causal:
            out_deg[e.subject] += 1
            in_deg[e.object] += 1
    pairs = []
    for s, _ in out_deg.most_common(15):
        for t, _ in in_deg.most_common(15):
            if s != t and any(not c.consistent for c in find_chains(graph, s, t, 3).chains):
                pairs.append((s, t))
    return pairs[:n]


def test_causal_paths_agree_with_explain_on_a_synthetic_graph(synthetic):
    kb, graph = synthetic
    pairs = [(kb.resolve("hyperglycaemia"), kb.resolve("osteoclast")), *_pairs_with_crossing_chains(graph, 5)]
    assert len(pairs) == 6
    levels = Counter()
    for s, t in pairs:
        for consistent in (False, True):
            rows = kb.query("causal-paths", source=s, target=t, max_hops=3, consistent_context=consistent).rows
            answer = find_chains(graph, s, t, 3, consistent_context=consistent)
            assert chain_keys(answer) == query_keys(rows), (s, t, consistent)
            levels.update((consistent, r["context_consistent"]) for r in rows)
    # the comparison saw every level, and the filter removed the crossing chains only
    assert levels[(False, "no")] >= 5 and levels[(False, "yes")] and levels[(False, "partly")]
    assert levels[(True, "no")] == 0
    assert levels[(True, "yes")] + levels[(True, "partly")] == levels[(False, "yes")] + levels[(False, "partly")]
