"""Write each canned query's default block, so every ``queries/*.rq`` runs as it is in any SPARQL engine.

A file's parameters are bound by the toolkit as a VALUES block; on its own (Jena's
``arq --query``, a store's query page) a file binds nothing, and ``?lang`` left
unbound matches no label. So each file carries, at the start of its top-level
WHERE group, a comment line ``#@defaults`` and a VALUES line with the values the
toolkit would bind for ``t2dm-onto query NAME`` with the header's examples for
the required parameters (``lang`` is ``en``), and the same line after each
``#@parameters`` line (a sub-SELECT does not see the top level's bindings). The
toolkit replaces those lines with the bound values (``t2dm_onto.terms.with_values``). A derived query (``#+ base:``)
gets a copy of its base's SPARQL below its own header, with its own defaults.

    python tools/query_defaults.py            # rewrite the files
    python tools/query_defaults.py --check    # exit 1 and list the stale files

Run it after editing a query's header or body; ``tests/test_query_files.py`` fails
while a file is stale.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from t2dm_onto import KnowledgeBase  # noqa: E402
from t2dm_onto.catalog import CannedQuery, Catalog  # noqa: E402
from t2dm_onto.terms import SLOT, values_block  # noqa: E402

MARK = (
    "#@defaults: the values this file runs with on its own; t2dm-onto replaces the next line with the bound parameters"
)
GENERATED = (
    "# The SPARQL below is copied from {base}.rq by tools/query_defaults.py: edit that file, then rerun the tool."
)
_WHERE = re.compile(r"^WHERE\s*\{[ \t]*$", re.MULTILINE)


_SHORT = re.compile(
    r'"(-?\d+)"\^\^<http://www\.w3\.org/2001/XMLSchema#integer>|"(true|false)"\^\^<http://www\.w3\.org/2001/XMLSchema#boolean>'
)


def default_line(kb: KnowledgeBase, query: CannedQuery) -> str:
    """The VALUES line of ``t2dm-onto query NAME`` with the header's examples for the required parameters.

    Integers and booleans are written in SPARQL's short form (``3``, ``true``: the same terms).
    """
    block = values_block(kb.bindings(query, query.example_args()))
    return _SHORT.sub(lambda m: m.group(1) or m.group(2), block)


def with_defaults(body: str, line: str) -> str:
    """``body`` with ``line`` after its ``#@defaults`` line (added after the top-level ``WHERE {`` if absent)
    and after each ``#@parameters`` line: inside a sub-SELECT the parameters are not the top level's."""
    if not any(m.group(2) == "defaults" for m in SLOT.finditer(body)):
        where = _WHERE.search(body)
        if where is None:
            raise SystemExit("a canned query needs its top-level 'WHERE {' alone on a line")
        body = body[: where.end()] + f"\n  {MARK}" + body[where.end() :]

    def slot(m: re.Match) -> str:
        comment = MARK if m.group(2) == "defaults" else "#@parameters"
        return f"{m.group(1)}{comment}\n{m.group(1)}{line}"

    return SLOT.sub(slot, body)


def _header(text: str) -> str:
    lines = text.splitlines(keepends=True)
    return "".join(line for line in lines if line.startswith("#+"))


def expected(kb: KnowledgeBase, catalog: Catalog, query: CannedQuery) -> str:
    """The text ``query``'s file should have."""
    own = query.path.read_text(encoding="utf-8")
    line = default_line(kb, query)
    if query.base is None:
        return with_defaults(own, line)
    base_text = catalog.get(query.base).path.read_text(encoding="utf-8")
    body = "".join(ln for ln in base_text.splitlines(keepends=True) if not ln.startswith("#+"))
    return _header(own) + GENERATED.format(base=query.base) + "\n" + with_defaults(body.lstrip("\n"), line)


def stale(folder: Path | None = None, write: bool = False) -> list[Path]:
    """The query files whose default block (or derived copy) is not what it should be; rewritten if ``write``."""
    catalog = Catalog(folder or ROOT / "queries")
    kb = KnowledgeBase()
    out = []
    for query in catalog:
        text = expected(kb, catalog, query)
        if query.path.read_text(encoding="utf-8") != text:
            out.append(query.path)
            if write:
                query.path.write_text(text, encoding="utf-8")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only report stale files (exit 1 if any)")
    args = parser.parse_args()
    files = stale(write=not args.check)
    for path in files:
        print(f"{'stale' if args.check else 'wrote'}: {path.relative_to(ROOT)}")
    return 1 if args.check and files else 0


if __name__ == "__main__":
    sys.exit(main())
