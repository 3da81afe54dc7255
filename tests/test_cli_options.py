"""One store-option convention: every command that opens the knowledge base takes the same options.

``--store rdflib``, ``--store-dir DIR`` (a store made by the real ``prepare``
command) and ``--endpoint URL`` (a real Oxigraph server on 127.0.0.1, loaded
over the Graph Store Protocol with the Turtle export, once in the default graph
and once in the named graph the ``--graph`` option names) must each give the
bytes the default store gives, for query, sparql, claims, stats, export, graph,
explain, docs and serve; a bad option is one ``error:`` line (or argparse's
usage message) and exit 2.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from t2dm_onto.cli import main
from t2dm_onto.namespaces import KB_GRAPH
from t2dm_onto.store.registry import store_names

from .servers import stop
from .test_serve import COUNT, get, start_server

DATA = Path(__file__).parent / "data"
CLAIM_IRIS = """PREFIX t2dm: <https://w3id.org/t2dm-onto/>
SELECT ?claim ?relation WHERE { ?claim a t2dm:Claim ; t2dm:relation ?relation } ORDER BY ?claim"""

#: A command line per command whose whole answer goes to standard output.
STDOUT_COMMANDS: dict[str, list[str]] = {
    "query": ["query", "mediators-increasing", "target=RANKL", "transitive=true", "--format", "json"],
    "sparql": ["sparql", CLAIM_IRIS, "--format", "json"],
    "claims": ["claims"],
    "stats": ["stats", "--format", "json"],
    "export": ["export", "-f", "ttl"],
    "graph": ["graph", "--focus", "RANKL", "--depth", "2", "-f", "dot"],
    "explain": ["explain", "hyperglycaemia", "osteoclast", "--format", "json"],
}
#: Every command that opens the knowledge base, with the rest of a command line that would run.
OPENING_COMMANDS: dict[str, list[str]] = {**STDOUT_COMMANDS, "docs": ["docs", "-o", "{out}", "--no-maps"],
                                          "serve": ["serve", "--port", "0"]}
STORES = ["rdflib", "store-dir", "endpoint", "endpoint-graph"]


@pytest.fixture(scope="module")
def prepared(prepared_store) -> Path:
    """The session's store made by `t2dm-onto prepare` (conftest)."""
    return prepared_store


@pytest.fixture(scope="module")
def endpoint(oxigraph) -> str:
    """The session's Oxigraph server (conftest): the Turtle export in the default graph and in the named graph KB_GRAPH."""
    return f"{oxigraph}/query"


@pytest.fixture(scope="module")
def store_args(prepared, endpoint) -> dict[str, list[str]]:
    return {"rdflib": ["--store", "rdflib"], "store-dir": ["--store-dir", str(prepared)],
            "endpoint": ["--endpoint", endpoint], "endpoint-graph": ["--endpoint", endpoint, "--graph", KB_GRAPH]}


def run(argv: list[str], capsysbinary) -> bytes:
    capsysbinary.readouterr()
    code = main(argv)
    out, err = capsysbinary.readouterr()
    assert code == 0, err.decode()
    assert out, f"{argv} wrote nothing"
    return out


@pytest.fixture(scope="module")
def default_outputs() -> dict[str, bytes]:
    return {}


@pytest.mark.parametrize("store", STORES)
@pytest.mark.parametrize("command", list(STDOUT_COMMANDS))
def test_every_store_gives_the_default_output(command, store, store_args, default_outputs, capsysbinary):
    argv = STDOUT_COMMANDS[command]
    if command not in default_outputs:
        default_outputs[command] = run(argv, capsysbinary)
    assert run([*argv, *store_args[store]], capsysbinary) == default_outputs[command]


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_docs_on_every_store_writes_the_same_pages(tmp_path, store_args, capsys):
    base = tmp_path / "default"
    assert main(["docs", "-o", str(base), "--no-maps", "--no-ontology"]) == 0
    expected = tree(base)
    assert any(name.startswith("entity/") for name in expected)
    for store, args in store_args.items():
        out = tmp_path / store
        assert main(["docs", "-o", str(out), "--no-maps", "--no-ontology", *args]) == 0, capsys.readouterr().err
        assert tree(out) == expected, store


def served(*args: str) -> tuple[bytes, dict]:
    """A real ``serve`` process on ``args``: its triple count over /sparql and one canned query from /api/query
    (without the time it took)."""
    proc, url = start_server("--workers", "1", *args)
    try:
        status, _, count = get(url, "sparql", "text/csv", query=COUNT)
        assert status == 200, count
        status, _, answer = get(url, "api/query", query="mediators-increasing", target="RANKL")
        assert status == 200, answer
        data = json.loads(answer)
        data.pop("seconds")
        return count, data
    finally:
        stop(proc)


def test_serve_on_every_store_answers_the_same(store_args):
    count, answer = served()
    assert int(count.split()[1]) > 10_000 and answer["count"] > 0 and answer["rows"]
    for store, args in store_args.items():
        assert served(*args) == (count, answer), store


def test_links_are_one_switch_with_a_default_per_command(tmp_path, monkeypatch, capsysbinary):
    """``--links``/``--no-links`` is the same switch on every command; query uses links by default, export not."""
    monkeypatch.setenv("T2DM_ONTO_HOME", str(tmp_path / "home"))
    plain = run(["export", "-f", "nt"], capsysbinary)
    assert b"GO_0036072" not in plain  # direct ossification: only in the GO fragment
    asked = ["sparql", "-f", "tsv", "SELECT (COUNT(*) AS ?n) WHERE { <http://purl.obolibrary.org/obo/GO_0036072> ?p ?o }"]
    unlinked = run(asked, capsysbinary)
    run(["link", str(DATA / "go_ossification_fragment.obo")], capsysbinary)
    assert run(["export", "-f", "nt"], capsysbinary) == plain  # export leaves links out unless asked
    assert b"GO_0036072" in run(["export", "-f", "nt", "--links"], capsysbinary)
    assert run(["export", "-f", "nt", "--links", "--no-links"], capsysbinary) == plain  # the last one wins
    assert run(asked, capsysbinary) != unlinked  # a question uses them by default
    assert run([*asked, "--no-links"], capsysbinary) == unlinked


def argv_for(command: str, tmp_path: Path) -> list[str]:
    return [word.replace("{out}", str(tmp_path / "out")) for word in OPENING_COMMANDS[command]]


@pytest.mark.parametrize("command", list(OPENING_COMMANDS))
def test_every_opening_command_takes_the_store_options(command, capsys):
    """argparse knows every option on every command (a missing one is "unrecognized arguments")."""
    assert main([command, "--help"]) == 0
    usage = capsys.readouterr().out
    for option in ("--store", "--endpoint", "--graph", "--store-dir", "--with", "--timeout"):
        assert f"[{option} " in usage or f"[{option}]" in usage, (command, option)
    assert "[--links | --no-links]" in usage, command
    assert "{" + ",".join(store_names()) + "}" in usage


BAD_OPTIONS = [
    (["--store", "nosuch"], "invalid choice: 'nosuch'"),
    (["--timeout", "0"], "error: timeout (--timeout) must be a number of seconds above 0"),
    (["--timeout", "soon"], "invalid float value: 'soon'"),
    (["--graph", KB_GRAPH], "error: --graph names the graph on a remote store: use it with --endpoint URL."),
    (["--store-dir", "{prepared}", "--endpoint", "http://127.0.0.1:1/query"],
     "error: a prepared store already holds its files"),
]


@pytest.mark.parametrize(("bad", "message"), BAD_OPTIONS, ids=["store", "timeout", "timeout-word", "graph", "both"])
@pytest.mark.parametrize("command", list(OPENING_COMMANDS))
def test_a_bad_store_option_is_a_usage_error(command, bad, message, tmp_path, prepared, capsys):
    bad = [word.replace("{prepared}", str(prepared)) for word in bad]
    code = main([*argv_for(command, tmp_path), *bad])
    err = capsys.readouterr().err
    assert code == 2, err
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()  # nothing written, not even an empty folder


@pytest.mark.parametrize("command", list(OPENING_COMMANDS))
def test_a_folder_that_is_no_prepared_store_is_an_input_error(command, tmp_path, capsys):
    code = main([*argv_for(command, tmp_path), "--store-dir", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 3 and "is not a store prepared by `t2dm-onto prepare`" in err, err


def test_the_options_module_is_the_one_place_that_opens_the_knowledge_base(root):
    cli = root / "src" / "t2dm_onto" / "cli"
    openers = sorted(p.name for p in cli.glob("*.py") if "KnowledgeBase(" in p.read_text(encoding="utf-8"))
    assert openers == ["options.py"]
    assert os.path.exists(cli / "__init__.py") and not (cli.parent / "cli.py").exists()


def imported_modules(path: Path, package: list[str]) -> set[str]:
    """The absolute names of the modules a file of ``package`` imports (relative imports resolved)."""
    import ast

    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            names |= {module} | {f"{module}.{alias.name}" for alias in node.names}
    return names


def test_nothing_below_the_cli_imports_it(root):
    """The CLI is the top layer: the API, presentation, export and serve modules never import it."""
    src = root / "src"
    upward = {}
    for path in (src / "t2dm_onto").rglob("*.py"):
        parts = list(path.relative_to(src).with_suffix("").parts)
        if parts[:2] == ["t2dm_onto", "cli"] or parts == ["t2dm_onto", "__main__"]:
            continue
        package = parts[:-1]  # a module and a package's __init__ both import relative to their package
        found = {m for m in imported_modules(path, package) if m == "t2dm_onto.cli" or m.startswith("t2dm_onto.cli.")}
        if found:
            upward[str(path.relative_to(src))] = sorted(found)
    assert upward == {}
