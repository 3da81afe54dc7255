"""Explained chains: the Python search agrees with the causal-paths query, goes further, and reads well."""

from __future__ import annotations

import json
from itertools import pairwise

import pytest

from t2dm_onto.errors import UsageError
from t2dm_onto.explain import as_json, chain_line, find_chains, tell
from t2dm_onto.namespaces import BASE
from t2dm_onto.viz.model import load_graph

from .viz_helpers import run_cli


@pytest.fixture(scope="module")
def graph(kb):
    return load_graph(kb)


def iri(local: str) -> str:
    return BASE + local


def _hop_sets(chain) -> tuple[frozenset[str], ...]:
    return tuple(frozenset(e.claims) for e in chain.hops)


@pytest.mark.parametrize("source, target", [
    ("hyperglycaemia", "osteoclast"),
    ("ROS", "bone loss"),
    ("T2DM", "osteoporosis"),
    ("hyperglycaemia", "bone loss"),
    ("leptin", "BMD"),  # none within four hops: both must say so
    ("AGEs", "osteoporosis"),
    ("IL-6", "osteoclast differentiation"),
    ("T2DM", "osteoporosis in type 2 diabetes"),  # two of its chains cross contexts
])
@pytest.mark.parametrize("consistent", [False, True])
def test_same_chains_as_the_causal_paths_query(kb, graph, source, target, consistent):
    rows = kb.query("causal-paths", source=source, target=target, max_hops=4, consistent_context=consistent).rows
    answer = find_chains(graph, kb.resolve(source), kb.resolve(target), 4, consistent_context=consistent)
    assert chain_keys(answer) == query_keys(rows)
    assert len(answer.chains) == len(rows)
    assert rows or source == "leptin"


def chain_keys(answer) -> set:
    """Each chain as (claims per hop, net sign, context agreement), as the chain queries give it."""
    return {(_hop_sets(c), "+" if c.net_sign > 0 else "-", c.agreement) for c in answer.chains}


def query_keys(rows) -> set:
    return {(tuple(frozenset(p.strip().split(",")) for p in row["hop_claims"].split("|")), row["net_sign"],
             row["context_consistent"]) for row in rows}


def test_finds_the_six_hop_mechanism_of_section_2_1(graph):
    answer = find_chains(graph, iri("Hyperglycaemia"), iri("Osteoclast"), max_hops=6)
    paths = [[n.rsplit("/", 1)[-1] for n in c.nodes] for c in answer.chains]
    assert ["Hyperglycaemia", "OsmoticDiuresis", "Hypercalciuria", "Hypocalcaemia", "PTH",
            "SecondaryHyperparathyroidism", "Osteoclast"] in paths
    assert [len(c.hops) for c in answer.chains] == sorted(len(c.hops) for c in answer.chains)  # shortest first
    four = find_chains(graph, iri("Hyperglycaemia"), iri("Osteoclast"), max_hops=4)
    assert all(len(c.hops) <= 4 for c in four.chains) and len(four.chains) < len(answer.chains)


def test_chains_are_simple_and_signed(graph):
    answer = find_chains(graph, iri("Hyperglycaemia"), iri("Osteoporosis"), max_hops=8)
    assert answer.chains and not answer.capped
    for chain in answer.chains:
        nodes = chain.nodes
        assert len(set(nodes)) == len(nodes)  # no node twice
        assert nodes[0] == iri("Hyperglycaemia") and nodes[-1] == iri("Osteoporosis")
        assert iri("Osteoporosis") not in nodes[:-1]
        for a, b in pairwise(chain.hops):
            assert a.object == b.subject
        product = 1
        for edge in chain.hops:
            assert edge.relation in ("increases", "decreases")
            product *= 1 if edge.relation == "increases" else -1
        assert chain.net_sign == product


def test_the_chain_reads_as_the_review_tells_it(graph):
    answer = find_chains(graph, iri("Hyperglycaemia"), iri("Osteoclast"), max_hops=6)
    text = [chain_line(graph, c) for c in answer.chains]
    assert ("hyperglycaemia → osmotic diuresis ↑ → urinary calcium loss ↑ → hypocalcaemia ↑ → "
            "parathyroid hormone ↑ → secondary hyperparathyroidism ↑ → osteoclast ↑  (net: increases; 6 hops)") in text
    down = find_chains(graph, iri("Hyperglycaemia"), iri("BoneFormation"), max_hops=1)
    assert chain_line(graph, down.chains[0]) == "hyperglycaemia → bone formation ↓  (net: decreases; 1 hop)"


def test_tell_gives_each_hop_its_sign_quote_and_references(graph, claims):
    answer = find_chains(graph, iri("ROS"), iri("OsteoclastDifferentiation"), max_hops=2)
    text = tell(graph, answer)
    assert text.startswith("reactive oxygen species → osteoclast differentiation: ")
    assert "hop 1  reactive oxygen species increases RANKL (expression) — refs [22] · S2_5_09 · §2.5" in text
    assert "“活性氧自由基(ROS)能提升RANKL的表达水平”" in text
    assert "Reactive oxygen species raise RANKL expression." in text
    zh = tell(graph, answer, lang="zh")
    assert "第1步  活性氧自由基 增加 核因子κB受体活化因子配体（表达） — 参考文献 [22]" in zh
    assert "净效应：增加" in zh
    quiet = tell(graph, answer, quotes=False)
    assert "活性氧自由基(ROS)" not in quiet and "S2_5_09" in quiet


def test_limit_and_no_chain_messages(graph):
    answer = find_chains(graph, iri("Hyperglycaemia"), iri("Osteoporosis"), max_hops=8)
    text = tell(graph, answer, limit=2, quotes=False)
    assert "the first 2 shown" in text and "\n3. " not in text
    none = find_chains(graph, iri("Osteoporosis"), iri("Hyperglycaemia"), max_hops=3)
    assert none.chains == []
    assert tell(graph, none).startswith("No causal chain from osteoporosis to hyperglycaemia within 3 hops.")
    assert "没有从 骨质疏松症 到 高血糖 的因果链" in tell(graph, none, lang="zh")


def test_bad_requests(graph):
    with pytest.raises(UsageError, match="between 1 and 8"):
        find_chains(graph, iri("Hyperglycaemia"), iri("Osteoclast"), max_hops=9)
    with pytest.raises(UsageError, match="the same entity"):
        find_chains(graph, iri("Insulin"), iri("Insulin"))


def test_json_contract(graph):
    data = as_json(graph, find_chains(graph, iri("Hyperglycaemia"), iri("Osteoclast"), max_hops=6))
    assert data["total"] == len(data["chains"]) >= 3
    chain = data["chains"][0]
    assert chain["nodes"][0]["label"] == "hyperglycaemia" and chain["nodes"][-1]["label"] == "osteoclast"
    assert len(chain["steps"]) == chain["hops"]
    claim = chain["steps"][0]["claims"][0]
    assert {"id", "section", "references", "quote_zh", "statement_en", "evidence"} <= set(claim)


def test_cli(tmp_path):
    proc = run_cli("explain", "高血糖", "破骨细胞", "--lang", "zh", "--max-hops", "6")
    assert proc.returncode == 0
    assert "高血糖 → 渗透性利尿 ↑" in proc.stdout and "由短到长" in proc.stdout
    proc = run_cli("explain", "hyperglycaemia", "osteoclast", "--format", "json", "--max-hops", "6")
    assert proc.returncode == 0 and json.loads(proc.stdout)["total"] >= 3
    proc = run_cli("explain", "hyperglycaemia", "osteoclastz")
    assert proc.returncode == 2 and proc.stderr.startswith("error: unknown entity 'osteoclastz' for parameter 'target'")
    proc = run_cli("explain", "hyperglycaemia", "osteoclast", "--max-hops", "12")
    assert proc.returncode == 2 and "between 1 and 8" in proc.stderr
    proc = run_cli("explain", "insulin", "insulin")
    assert proc.returncode == 2 and "the same entity" in proc.stderr
