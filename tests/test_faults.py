"""Fault injection: `validate` catches every mutation operator, naming each damaged node.

Prints a catch-rate table per operator (run with ``-s`` to see it beside the
test names; it is also in the assertion message when a fault slips through).
"""

from __future__ import annotations

import random
import shutil

import pytest
import rdflib

from t2dm_onto.resources import ontology_file
from t2dm_onto.validate import validate

from .faults import OPERATORS, Operator

SEED = 20261126
HAS_JAVA = shutil.which("java") is not None


@pytest.fixture(scope="module")
def shipped() -> rdflib.Graph:
    return rdflib.Graph().parse(ontology_file(), format="turtle")


@pytest.fixture(scope="module")
def outcomes() -> dict[str, tuple[int, int, str]]:
    return {}


def _mutant(shipped: rdflib.Graph, op: Operator, seed: int) -> tuple[rdflib.Graph, list[str]]:
    g = rdflib.Graph()
    for prefix, ns in shipped.namespaces():
        g.bind(prefix, ns)
    for t in shipped:
        g.add(t)
    expected = op.apply(g, random.Random(seed))
    return g, expected


def test_at_least_twenty_operators():
    assert len(OPERATORS) >= 20
    assert len({op.name for op in OPERATORS}) == len(OPERATORS)


@pytest.mark.parametrize("op", OPERATORS, ids=[op.name for op in OPERATORS])
def test_operator_is_caught(op, shipped, tmp_path, outcomes, source_text):
    if op.reasoner and not HAS_JAVA:
        pytest.skip("needs Java for HermiT")
    g, expected = _mutant(shipped, op, SEED)
    path = tmp_path / "mutant.ttl"
    g.serialize(path, format="turtle")
    report = validate(path, reasoner=op.reasoner)
    named = {f.node for f in report.findings}
    caught = [node for node in expected if node in named]
    outcomes[op.name] = (len(caught), len(expected), ", ".join(sorted(set(expected) - named)))
    assert not report.ok, f"{op.name}: validate passed the mutant"
    assert len(caught) == len(expected), f"{op.name}: missed {set(expected) - named}\n{report.text()}"
    assert all(f.message and f.node for f in report.findings)


def test_print_catch_rate_table(outcomes, capsys):
    if not outcomes:
        pytest.skip("no operator ran in this session")
    lines = [f"{'operator':<36} {'caught':>6} {'of':>3}  rate   missed"]
    for name, (caught, total, missed) in sorted(outcomes.items()):
        lines.append(f"{name:<36} {caught:>6} {total:>3}  {caught / total:5.0%}  {missed}")
    caught = sum(c for c, _, _ in outcomes.values())
    total = sum(t for _, t, _ in outcomes.values())
    lines.append(f"{'all ' + str(len(outcomes)) + ' operators':<36} {caught:>6} {total:>3}  {caught / total:5.0%}")
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    assert caught == total
