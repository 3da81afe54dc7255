"""Expand CURIEs of the external ontologies to IRIs, with the prefixes of the SSSOM file.

The ``curie_map`` of ``mappings/t2dm_op.sssom.tsv`` is the one list of prefixes the
project uses, so a user's ``GO:0001503`` or ``HGNC:11926`` expands exactly as the
ontology writes it. A prefix missing there but shaped like an OBO Foundry one
(letters, then a colon) expands to its OBO PURL, which is how GO, CL, UBERON and the
other OBO ontologies name their terms.
"""

from __future__ import annotations

import re
from functools import cache

from .namespaces import BASE, OBO, PREFERRED_PREFIX

_OBO_CURIE = re.compile(r"^([A-Za-z][A-Za-z0-9]*):([A-Za-z0-9_]+)$")


@cache
def curie_map() -> dict[str, str]:
    """Prefix -> namespace, from the SSSOM header (case-sensitive keys as written there)."""
    from .resources import data_path
    from .sssom import read_sssom

    path = data_path("mappings", "t2dm_op.sssom.tsv")
    prefixes = read_sssom(path)[0] if path.is_file() else {}
    prefixes.setdefault(PREFERRED_PREFIX, BASE)
    return prefixes


def expand(text: str) -> str | None:
    """The IRI ``text`` names when it is an IRI or a CURIE; ``None`` when it is neither."""
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    if text.startswith(("http://", "https://")):
        return text
    prefix, sep, local = text.partition(":")
    if not sep or not local or " " in text:
        return None
    by_lower = {k.lower(): v for k, v in curie_map().items()}
    if prefix.lower() in by_lower:
        return by_lower[prefix.lower()] + local
    if _OBO_CURIE.match(text):
        return f"{OBO}{prefix}_{local}"
    return None
