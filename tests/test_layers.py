"""Imports run one way through the package's layers, and no two modules import each other.

Why: a reader (or a refactor) can take the package layer by layer only if a
lower layer never reaches up. The layers, top to bottom, are those of the
README's "Layout" section; every module must be placed in one, so a new module
fails here until somebody decides where it belongs. Imports inside functions
count (they are the usual way a cycle hides); imports under ``TYPE_CHECKING``
do not, since they never run.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

# top to bottom; a module may import its own layer or any layer below it
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("entry", ("__init__", "__main__")),
    ("cli", ("cli",)),
    ("presentation", ("views", "viz", "docs_site", "explain", "export", "serve", "validate", "build",
                      "schema_outputs", "sparql_forms", "query_help", "prepare")),
    ("api", ("kb",)),
    ("model", ("model", "paths", "catalog", "resolve", "contexts", "paging", "summaries", "complications",
               "chain_index", "under_index",
               "coverage", "curation", "schema", "link")),
    ("store", ("store",)),
    ("base", ("rdfio", "vocabulary", "namespaces", "errors", "terms", "turtle", "curies", "resources",
              "inputs", "outputs", "formats", "obo", "regions", "sparql_guard", "sections", "sentences", "sssom", "xmlguard",
              "sqlite_index", "children", "version")),
]


def _package(root: Path) -> Path:
    return root / "src" / "t2dm_onto"


def _modules(root: Path) -> dict[str, Path]:
    """Module name relative to the package (``store.oxigraph``) -> its file."""
    pkg = _package(root)
    out = {}
    for path in sorted(pkg.rglob("*.py")):
        parts = list(path.relative_to(pkg).with_suffix("").parts)
        if parts[-1] == "__init__" and len(parts) > 1:
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _rank(module: str) -> int:
    head = module.split(".")[0]
    for i, (_, names) in enumerate(LAYERS):
        if head in names:
            return i
    raise AssertionError(f"module {module!r} is in no layer: add it to LAYERS in tests/test_layers.py "
                         "and to the README's Layout section")


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for inner in node.body:
                skip.update(id(n) for n in ast.walk(inner))
    return skip


def _imports(module: str, path: Path, known: set[str]) -> set[str]:
    """The package modules ``module`` imports (resolved to the longest known name)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_checking_nodes(tree)
    is_pkg = path.name == "__init__.py"
    here = module.split(".") if is_pkg else module.split(".")[:-1]
    if module == "__init__":
        here = []
    targets: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        names: list[str] = []
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - (node.level - 1)] if node.level > 1 else list(here)
                stem = base + (node.module.split(".") if node.module else [])
            elif node.module and node.module.split(".")[0] == "t2dm_onto":
                stem = node.module.split(".")[1:]
            else:
                continue
            names = [".".join([*stem, a.name]) for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name.split(".", 1)[1] for a in node.names if a.name.startswith("t2dm_onto.")]
        for name in names:
            parts = name.split(".") if name else []
            while parts and ".".join(parts) not in known:
                parts.pop()
            target = ".".join(parts) if parts else "__init__"  # `from . import __version__`: the package itself
            if target != module:
                targets.add(target)
    return targets


@pytest.fixture(scope="module")
def graph(root) -> dict[str, set[str]]:
    mods = _modules(root)
    known = set(mods) | {"__init__"}
    mods = {("__init__" if name == "__init__" else name): p for name, p in mods.items()}
    return {name: _imports(name, path, known) for name, path in mods.items()}


def test_every_module_is_in_a_layer(graph):
    for module in graph:
        _rank(module)


def test_imports_only_go_down(graph):
    upward = [f"{m} ({LAYERS[_rank(m)][0]}) imports {t} ({LAYERS[_rank(t)][0]})"
              for m, targets in sorted(graph.items()) for t in sorted(targets) if _rank(t) < _rank(m)]
    assert not upward, "imports that go up a layer:\n" + "\n".join(upward)


def test_no_import_cycle(graph):
    """Tarjan's strongly connected components: any component of two or more modules is a cycle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                cycles.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    assert not cycles, "import cycles: " + "; ".join(" <-> ".join(c) for c in cycles)


def test_the_checker_sees_a_cycle_and_an_upward_import(tmp_path):
    """The checks above are only worth something if they can fail."""
    pkg = tmp_path / "src" / "t2dm_onto"
    (pkg / "store").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "kb.py").write_text("from .store import base\n")
    (pkg / "store" / "__init__.py").write_text("")
    (pkg / "store" / "base.py").write_text("def f():\n    from ..kb import KnowledgeBase\n")
    mods = _modules(tmp_path)
    known = set(mods)
    g = {name: _imports(name, path, known) for name, path in mods.items()}
    assert g["store.base"] == {"kb"}
    assert "store.base" in g["kb"] or "store" in g["kb"]
    assert _rank("store.base") > _rank("kb")


def _layout_block(root: Path) -> str:
    text = (root / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]
    return section.split("```", 2)[1]


def test_the_readme_layout_names_every_module_and_nothing_else(root):
    """The README's Layout section is the map of the tree: each module is in it, and it names no module that is gone."""
    block = _layout_block(root)
    pkg = _package(root)
    top = {p.name for p in pkg.iterdir() if p.suffix == ".py" or (p.is_dir() and (p / "__init__.py").exists())}
    top |= {f"cli/{p.name}" for p in (pkg / "cli").glob("*.py") if p.name != "__init__.py"}
    missing = sorted(name for name in top if (name if name.endswith(".py") else name + "/") not in block
                     and not (name.startswith("cli/") and name.removeprefix("cli/").removesuffix(".py") in block))
    assert not missing, f"modules the README's Layout does not name: {missing}"
    named = set(re.findall(r"\b([a-z_]+\.py)\b", block))
    gone = sorted(n for n in named if not any(p.name == n for p in pkg.rglob(n)))
    assert not gone, f"the README's Layout names modules that do not exist: {gone}"
