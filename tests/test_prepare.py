"""`t2dm-onto prepare`: an on-disk store that opens without parsing.

That it answers every canned query like the in-memory store is in the compliance
table (tests/test_compliance.py); the store itself is conftest.py's ``prepared_store``.
"""

from __future__ import annotations

import pytest

from t2dm_onto import KnowledgeBase
from t2dm_onto.cli import main
from t2dm_onto.errors import InputError


def test_prepared_store_resolves_names_from_its_saved_index(prepared_store):
    kb = KnowledgeBase(location=prepared_store)
    assert kb.backend.index_file is not None
    assert kb.resolve("核因子κB受体活化因子配体") == "https://w3id.org/t2dm-onto/RANKL"


def test_the_saved_index_is_the_index_built_from_the_rows(kb, prepared_store):
    """prepare saves the built index (no name normalised at start-up); older stores saved the query's rows."""
    import json

    from t2dm_onto.catalog import internal
    from t2dm_onto.resolve import EntityIndex
    from t2dm_onto.store.disk import PREPARED_INDEX

    saved = json.loads((prepared_store / PREPARED_INDEX).read_text(encoding="utf-8"))
    assert isinstance(saved, dict)
    rows = kb.sparql(internal("entity-index")).rows
    built, read, old = EntityIndex.from_rows(rows), EntityIndex.from_saved(saved), EntityIndex.from_saved(rows)
    assert read.by_key == built.by_key == old.by_key and read.labels == built.labels == old.labels


def test_cli_queries_a_prepared_store(prepared_store, capsys):
    assert main(["query", "mediators-increasing", "target=RANKL", "--store-dir", str(prepared_store), "--format", "json"]) == 0
    assert "reactive oxygen species" in capsys.readouterr().out


def test_a_directory_that_is_not_a_prepared_store_is_refused(tmp_path, capsys):
    with pytest.raises(InputError, match="not a store prepared"):
        KnowledgeBase(location=tmp_path)
    assert main(["query", "entities", "--store-dir", str(tmp_path)]) == 3
    assert "t2dm-onto prepare" in capsys.readouterr().err


def test_prepare_refuses_a_missing_file_and_keeps_the_old_store(prepared_store, tmp_path, capsys):
    assert main(["prepare", str(prepared_store), "--with", str(tmp_path / "missing.ttl")]) == 3
    assert "no such file" in capsys.readouterr().err
    assert len(KnowledgeBase(location=prepared_store).query("entities")) > 200
