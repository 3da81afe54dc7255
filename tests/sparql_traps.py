"""Static checks for the SPARQL patterns Virtuoso 7 mis-compiles (docs/engine-workarounds.md).

Each check reads the query text with comments removed and string literals set
aside, so a trap named in a comment or a quote is not a finding. A finding is one
line: what the trap is and the text that falls into it. The checks are
deliberately syntactic and conservative: each one refuses a written form the
canned queries avoid, not every query Virtuoso would get wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

_TOKENS = re.compile(
    r'(?P<string>"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\')'
    r"|(?P<iri><[^<>\"{}|^`\\\s]*>)"
    r"|(?P<comment>#[^\n]*)"
)
_AGGREGATE = re.compile(r"\b(COUNT|SUM|MIN|MAX|AVG|SAMPLE|GROUP_CONCAT)\s*\(", re.IGNORECASE)


def split(query: str) -> tuple[str, list[tuple[str, str]]]:
    """The code (comments dropped, each string literal replaced by ``""``) and each literal with the code before it."""
    code, literals, last = [], [], 0
    for m in _TOKENS.finditer(query):
        code.append(query[last:m.start()])
        if m.lastgroup == "string":
            literals.append((m.group(), "".join(code)))
            code.append('""')
        elif m.lastgroup == "iri":
            code.append(m.group())
        last = m.end()
    code.append(query[last:])
    return "".join(code), literals


def _balanced(code: str, start: int, open_: str, close: str) -> str:
    """The text between the bracket at ``start`` and its partner."""
    depth = 0
    for i in range(start, len(code)):
        depth += {open_: 1, close: -1}.get(code[i], 0)
        if depth == 0:
            return code[start + 1:i]
    return code[start + 1:]


def _calls(code: str, keyword: str) -> Iterator[str]:
    """The argument text of every ``KEYWORD( ... )`` in ``code``."""
    for m in re.finditer(rf"\b{keyword}\s*\(", code, re.IGNORECASE):
        yield _balanced(code, m.end() - 1, "(", ")")


def _groups(code: str, keyword: str) -> Iterator[tuple[str, int]]:
    """The body of every ``KEYWORD { ... }`` group, and where the group ends."""
    for m in re.finditer(rf"\b{keyword}\s*\{{", code, re.IGNORECASE):
        body = _balanced(code, m.end() - 1, "{", "}")
        yield body, m.end() + len(body) + 1


def exists_in_bind(code: str) -> list[str]:
    return [f"EXISTS inside BIND: BIND({a.strip()[:60]}...)" for a in _calls(code, "BIND")
            if re.search(r"\bEXISTS\b", a, re.IGNORECASE)]


def aggregate_in_if(code: str) -> list[str]:
    return [f"aggregate inside IF: IF({a.strip()[:60]}...)" for a in _calls(code, "IF") if _AGGREGATE.search(a)]


def _enclosing_groups(code: str, pos: int) -> Iterator[str]:
    """The groups around ``pos``, innermost first, each without its nested groups (what is in its own scope)."""
    depth = 0
    for i in range(pos - 1, -1, -1):
        depth += {"}": 1, "{": -1}.get(code[i], 0)
        if depth < 0:
            depth = 0
            yield re.sub(r"\{[^{}]*\}", " ", _strip_nested(_balanced(code, i, "{", "}")))


def _strip_nested(body: str) -> str:
    while re.search(r"\{[^{}]*\}", body):
        body = re.sub(r"\{[^{}]*\}", " ", body)
    return body


#: a property path ending in * or +: a prefixed name, an IRI or a parenthesised path
_TRANSITIVE = r"(\^?[A-Za-z_][\w.-]*:[\w.-]*|<[^<>\s]*>|\([^()]*\))[*+]"


def path_from_bound_variable(code: str) -> list[str]:
    """A transitive path (``*``, ``+``) whose subject is a variable set by BIND in the same or an outer group."""
    found = []
    for m in re.finditer(r"\bBIND\s*\(", code, re.IGNORECASE):
        args = _balanced(code, m.end() - 1, "(", ")")
        for var in re.findall(r"\bAS\s+\?(\w+)", args, re.IGNORECASE):
            for scope in _enclosing_groups(code, m.start()):
                for hit in re.finditer(rf"\?{var}\s+{_TRANSITIVE}(?=\s)", scope):
                    found.append(f"transitive path from the BIND variable ?{var}: {hit.group()}")
    return found


def bind_after_grouped_subquery(code: str) -> list[str]:
    found = []
    for m in re.finditer(r"\{\s*SELECT\b", code, re.IGNORECASE):
        if re.search(r"\b(OPTIONAL|MINUS)\s*$", code[:m.start()], re.IGNORECASE):
            continue  # a subquery under OPTIONAL or MINUS is not joined directly
        body = _balanced(code, m.start(), "{", "}")
        if not re.search(r"\bGROUP\s+BY\b", body, re.IGNORECASE):
            continue
        rest, depth = code[m.start() + len(body) + 2:], 0
        for i, ch in enumerate(rest):
            depth += {"{": 1, "}": -1}.get(ch, 0)
            if depth < 0:
                break
            if depth == 0 and re.match(r"BIND\s*\(", rest[i:i + 6], re.IGNORECASE):
                found.append("BIND after a grouped subquery in the same group")
                break
    return found


def nested_optional(code: str) -> list[str]:
    return [f"OPTIONAL inside OPTIONAL: OPTIONAL {{ {body.strip()[:60]}... }}" for body, _ in _groups(code, "OPTIONAL")
            if re.search(r"\bOPTIONAL\b", body, re.IGNORECASE)]


def unwrapped_non_ascii(literals: list[tuple[str, str]]) -> list[str]:
    return [f"non-ASCII constant {text} not wrapped in STRDT(..., xsd:string)" for text, before in literals
            if not text.isascii() and not re.search(r"\bSTRDT\s*\(\s*$", before, re.IGNORECASE)]


def sorted_top_over_10000(code: str) -> list[str]:
    """Virtuoso 7 sorts at most 10,000 rows for ``ORDER BY ... LIMIT n`` (error SR353); an unbounded sort is fine."""
    return [f"ORDER BY ... LIMIT {m.group(1)}: Virtuoso sorts at most 10,000 rows under a LIMIT"
            for m in re.finditer(r"\bORDER\s+BY\b[^{}]*?\bLIMIT\s+(\d+)", code, re.IGNORECASE) if int(m.group(1)) > 10_000]


#: trap name -> check of the code (comments dropped, literals emptied)
CODE_CHECKS: dict[str, Callable[[str], list[str]]] = {
    "exists-in-bind": exists_in_bind,
    "aggregate-in-if": aggregate_in_if,
    "path-from-bind": path_from_bound_variable,
    "bind-after-grouped-subquery": bind_after_grouped_subquery,
    "nested-optional": nested_optional,
    "sorted-top-over-10000": sorted_top_over_10000,
}


def traps(query: str) -> dict[str, list[str]]:
    """Every trap the query falls into: trap name -> findings (empty lists left out)."""
    code, literals = split(query)
    found = {name: check(code) for name, check in CODE_CHECKS.items()}
    found["non-ascii-constant"] = unwrapped_non_ascii(literals)
    return {name: hits for name, hits in found.items() if hits}
