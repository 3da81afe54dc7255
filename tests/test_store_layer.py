"""The store layer's structure: backends by name from one registry, file reading in rdfio, named constructors.

What the stores answer is tests/test_compliance.py; here, that the pieces are
wired the way the layering says (docstring of :mod:`t2dm_onto.store.registry`).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from t2dm_onto import KnowledgeBase
from t2dm_onto.cli import build_parser
from t2dm_onto.errors import InputError, UsageError
from t2dm_onto.store import STORES
from t2dm_onto.store.registry import StoreKind

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "t2dm_onto"


def _imports(path: Path) -> set[str]:
    """The package modules ``path`` imports, anywhere in it, as dotted names relative to the package."""
    here = path.relative_to(PACKAGE).with_suffix("").parts[:-1]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = list(here[: len(here) - node.level + 1])
            module = [*base, *(node.module.split(".") if node.module else [])]
            names = [[*module, alias.name] for alias in node.names] if not node.module else [module]
            out.update(".".join(n) for n in names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("t2dm_onto."):
            out.add(node.module.removeprefix("t2dm_onto."))
    return out


def test_base_imports_no_backend():
    assert not {"store.oxigraph", "store.rdflib_backend", "store.endpoint", "store.registry"} & _imports(
        PACKAGE / "store" / "base.py")


def test_oxigraph_does_not_import_rdflib_backend():
    assert "store.rdflib_backend" not in _imports(PACKAGE / "store" / "oxigraph.py")


def test_rdfio_is_at_the_bottom():
    assert _imports(PACKAGE / "rdfio.py") <= {"errors", "inputs", "obo", "xmlguard"}


@pytest.mark.parametrize("module", ["store/oxigraph.py", "store/rdflib_backend.py", "validate/runner.py"])
def test_rdf_files_are_read_through_rdfio(module):
    """No other guard or format table: the readers go through rdfio (and the XML guard only there)."""
    found = _imports(PACKAGE / module)
    assert "rdfio" in found or any(name.startswith("rdfio.") for name in found)
    assert "xmlguard" not in found and "obo" not in found


def test_a_registered_store_is_a_store_choice_and_opens(monkeypatch):
    from t2dm_onto.store.rdflib_backend import RdflibBackend

    opened = []

    def factory(files, timeout):
        opened.append(list(files))
        return RdflibBackend(files, timeout=timeout)

    monkeypatch.setitem(STORES, "mine", StoreKind("mine", "rdflib under another name", factory))
    args = build_parser().parse_args(["query", "entities", "--store", "mine"])
    assert args.store == "mine"
    kb = KnowledgeBase.open("mine", imports=False)
    assert opened and len(kb.query("entities")) > 200


def test_an_unknown_store_says_which_there_are():
    with pytest.raises(UsageError, match="use 'oxigraph' \\(default\\), 'rdflib', or --endpoint URL"):
        KnowledgeBase.open("nope")
    with pytest.raises(SystemExit):
        build_parser().parse_args(["query", "entities", "--store", "nope"])


def test_named_constructors_open_what_the_keywords_open(kb, prepared_store, oxigraph):
    assert KnowledgeBase.open().backend.triples() == kb.backend.triples()
    assert KnowledgeBase.open("rdflib").backend.name == "rdflib"
    prepared = KnowledgeBase.prepared(prepared_store)
    assert prepared.backend.index_file is not None
    assert prepared.backend.triples() == KnowledgeBase(location=prepared_store).backend.triples()
    remote = KnowledgeBase.at(f"{oxigraph}/query", graph="https://example.org/no-such-graph")
    assert remote.backend.name == "endpoint" and remote.backend.triples() == 0
    assert KnowledgeBase.at(f"{oxigraph}/query").backend.triples() == kb.backend.triples()


def test_named_constructors_check_what_they_are_given(tmp_path):
    with pytest.raises(InputError, match="not an http"):
        KnowledgeBase.at("ftp://example.org/sparql")
    with pytest.raises(InputError, match="not a store prepared"):
        KnowledgeBase.prepared(tmp_path)
    with pytest.raises(UsageError, match="timeout"):
        KnowledgeBase.open(timeout=0)
