"""The counts agree and say what they count; ``query NAME --help`` is that query's own help.

``stats`` counts everything loaded (the ontology and its import module) and the
entities the review names, with the categories apart; ``validate`` counts the
triples of the file it checks; the README's entity count is the ``stats`` one.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from t2dm_onto.catalog import Catalog
from t2dm_onto.namespaces import RELATIONS, STUDY_TYPES
from t2dm_onto.resources import import_file, ontology_file

from .test_cli import run

ROOT = Path(__file__).resolve().parents[1]
CATALOG = Catalog()


def _triples(path: Path) -> set:
    return set(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))


def test_stats_says_what_it_counts_and_agrees_with_validate_and_the_readme(kb):
    stats = json.loads(run("stats", "--format", "json").stdout)
    ontology, module = _triples(ontology_file()), _triples(import_file())
    assert stats["triples"] == len(ontology | module)
    assert stats["entities"] == len(kb.query("entities").rows)  # the review's entities, no category among them
    assert stats["categories"] == len(
        kb.sparql(
            "SELECT ?c WHERE { ?c <https://w3id.org/t2dm-onto/is_category> true"
            " FILTER (?c != <https://w3id.org/t2dm-onto/Entity>) }"
        ).rows
    )
    assert sum(stats["entities_by_category"].values()) == stats["entities"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"of the {stats['entities']} entities" in readme

    text = run("stats").stdout
    assert f"triples: {stats['triples']} (all loaded: the ontology and its import module" in text
    assert f"entities: {stats['entities']} (named by the review; the {stats['categories']} categories" in text

    report = run("validate", "--no-reasoner").stdout
    parsed = re.search(r"parse\s+passed \((\d+) triples in this file, imports apart\)", report)
    assert parsed and int(parsed.group(1)) == len(ontology)


@pytest.mark.parametrize("name", CATALOG.names())
def test_query_help_lists_the_parameters_with_types_defaults_and_allowed_values(name):
    query = CATALOG.get(name)
    proc = run("query", name, "--help")
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    assert text.startswith(f"usage: t2dm-onto query {name}") and query.description in text
    for p in query.params:
        line = next(ln for ln in text.splitlines() if ln.strip().startswith(p.name + " "))
        assert p.type in line and f"e.g. {p.name}={p.example}" in line
        assert ("required" in line) == p.required
        if p.default not in ("required", "UNDEF"):
            assert f"default {p.default}" in line
    if any(p.kind == "relation" for p in query.params):
        assert all(r in text for r in RELATIONS)
    if any(p.kind == "study_type" for p in query.params):
        assert all(s in text for s in STUDY_TYPES)
    if any(p.int_range for p in query.params):
        lo, hi = next(p.int_range for p in query.params if p.int_range)
        assert f"a whole number from {lo} to {hi}" in text
    assert "lang" in text


def test_query_help_without_a_name_is_the_command_help_and_an_unknown_name_an_error():
    assert "--store-dir" in run("query", "--help").stdout
    proc = run("query", "no-such-query", "--help")
    assert proc.returncode == 2 and proc.stderr.startswith("error: unknown query")
