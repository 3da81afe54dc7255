"""One chain rule (t2dm_onto.paths): the SPARQL of the chain queries is generated from it, and the
SPARQL and the Python search give the same chains, with the same net signs, on every pair of entities.

Rather than one query per pair, the rule's all-pairs form (both ends free) is run once and
compared with the Python enumeration of every chain, on the review and on a synthetic graph;
the canned queries themselves on a sample of pairs and targets.
"""

from __future__ import annotations

import random

import pytest

from benchmarks.synthetic import generate
from t2dm_onto import KnowledgeBase, paths
from t2dm_onto.catalog import Catalog
from t2dm_onto.contexts import agreement, consistent_claims
from t2dm_onto.explain import claim_context, find_chains
from t2dm_onto.terms import Term
from t2dm_onto.viz.model import load_graph

from .checkout import checkout_copy, run_cli
from .test_explain import chain_keys, query_keys


# -- the generated files -------------------------------------------------------------
def test_the_committed_chain_queries_are_the_generators_output(root):
    files = paths.query_files(root / "queries")
    assert {p.stem for p in files} == set(paths.CHAIN_QUERIES)
    for path, text in files.items():
        assert path.read_text(encoding="utf-8") == text, f"{path} is stale: run `t2dm-onto build`"
    # the generator does unroll: one UNION branch per hop count, the slots of the longest chain
    body = paths.sparql("meet", 6)
    assert body.count("UNION") == 5 and "?c6 t2dm:has_object ?target" in body and "?x5" in body
    assert "# 6 hops, source given: 3 hops out of the source meet 3 into the target" in body


@pytest.mark.slow
def test_build_check_catches_a_hand_edited_chain_query_and_build_rewrites_it(tmp_path):
    repo = checkout_copy(tmp_path)
    path = repo / "queries" / "causal-paths.rq"
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace("FILTER (?source != ?x1 && ?source != ?x2 && ?x1 != ?x2)",
                                     "FILTER (?source != ?x1)", 1), encoding="utf-8")
    assert path.read_text(encoding="utf-8") != original
    proc = run_cli(repo, "build", "--check")
    assert proc.returncode == 1 and f"{path} is stale" in proc.stderr, proc.stderr
    assert run_cli(repo, "build").returncode == 0
    assert path.read_text(encoding="utf-8") == original
    assert run_cli(repo, "build", "--check").returncode == 0


# -- SPARQL and Python, every pair ----------------------------------------------------------
def _all_pairs_sparql(kb: KnowledgeBase, max_hops: int, consistent: bool) -> set:
    bindings = {"consistent_context": Term.boolean(consistent), "lang": Term.literal("en"),
                "max_hops": Term.integer(max_hops), "source": None, "target": None,
                "transitive": Term.boolean(True), "want_sign": None}
    rows = kb.backend.select(paths.sparql("all"), bindings).rows
    return {(r["source"], r["target"], *k) for r, k in ((r, next(iter(query_keys([r])))) for r in rows)}


def _all_pairs_python(graph, max_hops: int, consistent: bool) -> set:
    out = paths.adjacency(graph.edges)
    found = set()
    for chain in paths.all_chains(out, max_hops):
        hops = [[claim_context(graph, c) for c in graph.edges[key].claims] for key in chain]
        level = agreement(hops)
        claims = [graph.edges[key].claims for key in chain]
        if consistent:
            if level == "no":
                continue
            claims = [[c for k, c in enumerate(cs) if k in kept] for cs, kept in zip(claims, consistent_claims(hops),
                                                                                      strict=True)]
        found.add((chain[0][0], chain[-1][2], tuple(frozenset(cs) for cs in claims),
                   "+" if paths.sign(chain) > 0 else "-", level))
    return found


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    kb = KnowledgeBase(ontology=generate(tmp_path_factory.mktemp("synthetic") / "kb-1000.nt", 1000, seed=7))
    return kb, load_graph(kb)


@pytest.fixture(scope="module")
def review(kb):
    return kb, load_graph(kb)


@pytest.mark.parametrize("consistent", [False, True])
@pytest.mark.parametrize(("which", "max_hops"), [("review", 4), ("synthetic", 2)])
def test_sparql_and_python_give_the_same_chains_on_every_pair(request, which, max_hops, consistent):
    kb, graph = request.getfixturevalue(which)
    sparql = _all_pairs_sparql(kb, max_hops, consistent)
    python = _all_pairs_python(graph, max_hops, consistent)
    assert sparql == python
    # a comparison of small or one-sided answers would prove little
    assert len(python) > 200 and {k[3] for k in python} == {"+", "-"}
    assert len({(k[0], k[1]) for k in python}) > 100 and max(len(k[2]) for k in python) == max_hops
    if not consistent:
        assert {k[4] for k in python} == {"yes", "partly", "no"}


@pytest.mark.parametrize("which", ["review", "synthetic"])
def test_the_canned_chain_queries_agree_with_the_python_search_on_a_sample_of_pairs(request, which):
    kb, graph = request.getfixturevalue(which)
    out = paths.adjacency(graph.edges)
    chains = sorted(paths.all_chains(out, 3))
    rng = random.Random(16)
    pairs = sorted({(c[0][0], c[-1][2]) for c in rng.sample(chains, 12)})
    for source, target in pairs:
        rows = kb.query("causal-paths", source=source, target=target, max_hops=3).rows
        assert chain_keys(find_chains(graph, source, target, 3)) == query_keys(rows)
        assert rows
    for target in sorted({t for _s, t in pairs})[:4]:
        for name, want in (("mediators-increasing", "+"), ("mediators-decreasing", "-")):
            rows = kb.query(name, target=target, transitive=True, max_hops=3).rows
            expected = set()
            for chain in paths.into(paths.reverse(out), target, 3):
                if ("+" if paths.sign(chain) > 0 else "-") == want:
                    expected.add((chain[0][0], tuple(frozenset(graph.edges[k].claims) for k in chain)))
            assert {(r["source"], next(iter(query_keys([r])))[0]) for r in rows} == expected, (name, target)
    assert Catalog().get("causal-paths").param("max_hops").int_range == (1, paths.SPARQL_HOPS)
