"""The claim model (t2dm_onto.model): read once per knowledge base, and the same as the store says.

The counts are checked against SPARQL counts written here independently of the
model's own queries, so a model that dropped or doubled a claim or an entity fails.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from t2dm_onto import KnowledgeBase
from t2dm_onto.catalog import Catalog, internal, internal_names
from t2dm_onto.model import Claim, ClaimGraph, Entity

SRC = Path(__file__).resolve().parents[1] / "src" / "t2dm_onto"
PREFIX = "PREFIX t2dm: <https://w3id.org/t2dm-onto/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "


def _count(kb: KnowledgeBase, where: str) -> int:
    return int(kb.sparql(PREFIX + f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {where} }}").rows[0]["n"])


def test_the_model_holds_every_claim_the_store_holds(kb):
    n = _count(kb, "?x a t2dm:Claim")
    assert len(kb.model.claims) == n == 385
    assert len({c.iri for c in kb.model.claims}) == n


def test_the_model_holds_every_named_entity(kb):
    labelled = ('?x rdfs:subClassOf+ t2dm:Entity ; rdfs:label ?en , ?zh '
                'FILTER (LANG(?en) = "en" && LANG(?zh) = "zh")')
    grouping = _count(kb, labelled + " ?x t2dm:is_category true")  # t2dm:Entity itself is a category, not an entity
    assert len(kb.model.entities) == _count(kb, labelled)
    assert kb.stats()["entities"] == _count(kb, labelled + " FILTER NOT EXISTS { ?x t2dm:is_category true }") == 227
    assert kb.stats()["categories"] == grouping


def test_every_claim_carries_its_quote_and_its_ends(kb):
    quotes = {r["c"]: r["q"] for r in kb.sparql(PREFIX + "SELECT ?c ?q WHERE { ?c t2dm:quote_zh ?q }").rows}
    for claim in kb.model.claims:
        assert isinstance(claim, Claim)
        assert claim.quote_zh and claim.quote_zh == quotes[claim.iri]
        assert claim.subject in kb.model.entities and claim.object in kb.model.entities


def test_claims_are_in_section_order(kb):
    keys = [(tuple(int(p) for p in c.section.split(".")), c.iri) for c in kb.model.claims]
    assert keys == sorted(keys)


def test_the_model_is_built_once_per_knowledge_base(kb, monkeypatch):
    import t2dm_onto.kb as kb_module

    calls = []
    real = kb_module.build
    monkeypatch.setattr(kb_module, "build", lambda backend: calls.append(backend) or real(backend))
    fresh = KnowledgeBase()
    first = fresh.model
    fresh.claims()
    fresh.stats()
    from t2dm_onto.export.model import load_model
    from t2dm_onto.viz.model import load_graph

    load_graph(fresh)
    load_model(fresh)
    assert fresh.model is first
    assert len(calls) == 1


def test_the_model_is_frozen(kb):
    import dataclasses

    entity = next(iter(kb.model.entities.values()))
    assert isinstance(entity, Entity) and isinstance(kb.model, ClaimGraph)
    with pytest.raises(dataclasses.FrozenInstanceError):
        entity.label = "changed"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        kb.model.claims = ()  # type: ignore[misc]


def test_claim_records_are_fresh_copies(kb):
    first = kb.claims()
    first[0]["subject"]["label"] = "changed"
    assert kb.claims()[0]["subject"]["label"] != "changed"


def test_views_agree_with_the_model(kb):
    from t2dm_onto.export.model import load_model
    from t2dm_onto.viz.model import load_graph

    graph = load_graph(kb)
    exported = load_model(kb)
    assert list(graph.claims) == [c.local for c in kb.model.claims]
    assert [c["id"] for c in exported.claims] == [c.iri for c in kb.model.claims]
    assert set(exported.nodes) == set(kb.model.entities)


def test_the_same_model_from_rdflib(kb):
    other = KnowledgeBase("rdflib")
    assert other.claims() == kb.claims()
    assert other.stats() == kb.stats()


def test_internal_queries_are_files_the_catalog_does_not_offer():
    names = internal_names()
    assert {"claims", "entities", "entity-index", "mentions"} <= set(names)
    assert all(q.path.parent.name != "internal" for q in Catalog())
    assert len(Catalog()) == len(list(Catalog().folder.glob("*.rq")))
    for name in names:
        assert ("SELECT" in internal(name) or "CONSTRUCT" in internal(name)) and "#+" not in internal(name)


def _modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if p.name != "kb.py" and "store" not in p.relative_to(SRC).parts)


def test_no_module_but_the_api_and_the_store_layer_touches_the_backend():
    offenders = []
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            attr = node.attr if isinstance(node, ast.Attribute) else None
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("getattr", "hasattr", "setattr"):
                arg = node.args[1] if len(node.args) > 1 else None
                attr = arg.value if isinstance(arg, ast.Constant) else None
            if attr == "backend":
                offenders.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert offenders == []


def test_dumping_an_endpoint_that_does_not_answer_says_so():
    """``dump`` asks an endpoint for every triple (tests/test_cli_options.py exports from a real one); a dead one is a clear error."""
    from t2dm_onto.errors import BackendError

    remote = KnowledgeBase(endpoint="http://127.0.0.1:9/sparql", graph="https://w3id.org/t2dm-onto/t2dm_op.owl")
    with pytest.raises(BackendError, match="cannot reach the endpoint"):
        remote.dump()


def test_dump_is_the_same_graph_on_both_embedded_stores(kb):
    from t2dm_onto.export.rdf import canonical

    assert canonical(kb.dump()) == canonical(KnowledgeBase("rdflib").dump())
