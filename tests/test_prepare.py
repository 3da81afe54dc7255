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
    """prepare saves the built index (no name normalised at start-up), read back name by name from SQLite."""
    from t2dm_onto.catalog import internal
    from t2dm_onto.errors import UnknownEntityError
    from t2dm_onto.resolve import EntityIndex
    from t2dm_onto.store.disk import PREPARED_INDEX

    built = EntityIndex.from_rows(kb.sparql(internal("entity-index")).rows)
    read = EntityIndex.open(prepared_store / PREPARED_INDEX)
    assert dict(read.by_key) == built.by_key and dict(read.labels) == built.labels
    assert len(read.by_key) == len(built.by_key) > 500
    for name in ("RANKL", "rankl", "核因子κB受体活化因子配体", "T2DMOP:RANKL", "advanced glycation end products"):
        assert read.resolve(name) == built.resolve(name)
    with pytest.raises(UnknownEntityError) as saved_error:
        read.resolve("RANKLL")
    with pytest.raises(UnknownEntityError) as built_error:
        built.resolve("RANKLL")
    assert str(saved_error.value) == str(built_error.value)


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
