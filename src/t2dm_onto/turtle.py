"""A tiny, deterministic Turtle writer.

The builder writes Turtle text itself instead of serialising an rdflib graph:
the output is stable byte for byte (same tables, same file), grouped and
commented for people who read the ontology in a diff or an editor.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from .namespaces import PREFIXES

_LOCAL = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_\-]*$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape(text: str) -> str:
    """Escape a string for a Turtle double-quoted literal."""
    return "".join(_ESCAPES.get(ch, ch) for ch in text)


def lit(value: str | int | bool, lang: str | None = None, datatype: str | None = None) -> str:
    """A Turtle literal: ``"x"@en``, ``"x"^^xsd:int``, ``42`` or ``true``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = f'"{escape(value)}"'
    if lang:
        return f"{text}@{lang}"
    if datatype:
        return f"{text}^^{datatype}"
    return text


def iri(full: str) -> str:
    """Shorten an IRI to a prefixed name when a declared prefix fits, else ``<...>``."""
    best = ""
    for prefix, ns in PREFIXES.items():
        if full.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            local = full[len(ns):]
            if _LOCAL.match(local):
                best = prefix
    if best:
        return f"{best}:{full[len(PREFIXES[best]):]}"
    return f"<{full}>"


def block(subject: str, pairs: Sequence[tuple[str, Iterable[str] | str]]) -> str:
    """One subject with its predicate-object pairs; objects keep the given order."""
    lines = [subject]
    items: list[tuple[str, list[str]]] = []
    for pred, objs in pairs:
        values = [objs] if isinstance(objs, str) else list(objs)
        if values:
            items.append((pred, values))
    for i, (pred, values) in enumerate(items):
        end = " ." if i == len(items) - 1 else " ;"
        lines.append(f"    {pred} {', '.join(values)}{end}")
    return "\n".join(lines) + "\n"


def prefixes() -> str:
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())
