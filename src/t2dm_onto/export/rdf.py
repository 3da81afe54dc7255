"""Deterministic RDF serialisations of the knowledge base (Turtle, N-Triples, RDF/XML, JSON-LD).

Byte-for-byte stable output needs two things a plain serialiser does not give:
blank-node labels that do not depend on load order, and a fixed triple order.
The triples are therefore relabelled with W3C RDF Dataset Canonicalization
(RDFC-1.0, a standard, so the labels do not change between pyoxigraph versions)
and sorted by their N-Triples text before pyoxigraph writes them. pyoxigraph's
writers emit triples in the order given, so the same graph always gives the same
bytes, whatever the store or the Python hash seed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError
from ..namespaces import PREFIXES, RDFS, SKOS

if TYPE_CHECKING:
    import pyoxigraph as ox

    from ..kb import KnowledgeBase

#: format name -> (pyoxigraph RdfFormat attribute, writes prefixes)
SYNTAXES: dict[str, tuple[str, bool]] = {
    "ttl": ("TURTLE", True),
    "nt": ("N_TRIPLES", False),
    "rdfxml": ("RDF_XML", True),
    "jsonld": ("JSON_LD", False),
}


def kb_triples(kb: KnowledgeBase) -> list[ox.Triple]:
    """Every triple of the knowledge base, named graphs merged into one (:meth:`KnowledgeBase.dump`).

    The knowledge base is one graph, and files added with ``--with`` are loaded beside it.
    """
    return kb.dump()


#: Label predicates whose English value is written first: tools that ignore language tags
#: (pronto, and OAK through it) take a term's first rdfs:label as its name, and in plain
#: N-Triples order ``"LP 受体"@zh`` sorts before ``"leptin receptor"@en``.
LABEL_PREDICATES = frozenset({RDFS + "label", SKOS + "prefLabel"})


def _order(t: ox.Triple) -> tuple[str, str, int, str]:
    """N-Triples order, except that an entity's English label comes before its other labels."""
    english_label = t.predicate.value in LABEL_PREDICATES and getattr(t.object, "language", None) == "en"
    return (str(t.subject), str(t.predicate), 0 if english_label else 1, str(t.object))


def canonical(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """The triples with RDFC-1.0 blank-node labels, without duplicates, in N-Triples order (English labels first)."""
    import pyoxigraph as ox

    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    unique = {quad.triple for quad in dataset}
    return sorted(unique, key=_order)


# An XML name at the end of an IRI (a loose NCName): RDF/XML can only write a
# predicate as an element named namespace + local name.
_XML_LOCAL_NAME = re.compile(r"[A-Za-z_\u00C0-\uFFFF][\w.\-\u00B7\u00C0-\uFFFF]*$")


def check_rdfxml(triples: Iterable[ox.Triple]) -> None:
    """Refuse predicates RDF/XML cannot express, instead of writing a broken file.

    pyoxigraph writes such a predicate as an element without a local name, which
    every RDF/XML parser rejects.
    """
    for predicate in sorted({t.predicate.value for t in triples}):
        if not _XML_LOCAL_NAME.search(predicate):
            raise InputError(f"the predicate <{predicate}> cannot be written in RDF/XML: its IRI does not end in "
                             "an XML name (a letter or _ followed by letters, digits, _ . -). "
                             "Export as ttl or nt instead, or rename the property.")


def serialize(triples: list[ox.Triple], syntax: str) -> bytes:
    """Write already canonical, sorted triples in ``syntax`` (a key of :data:`SYNTAXES`)."""
    import pyoxigraph as ox

    if syntax == "rdfxml":
        from .rdfxml_writer import rdfxml

        check_rdfxml(triples)
        return rdfxml(triples, PREFIXES)
    attribute, with_prefixes = SYNTAXES[syntax]
    fmt = getattr(ox.RdfFormat, attribute)
    data = ox.serialize(triples, format=fmt, prefixes=PREFIXES) if with_prefixes else ox.serialize(triples, format=fmt)
    if syntax == "jsonld":
        # pyoxigraph writes one long line; indent it (key order kept) so diffs stay readable
        data = (json.dumps(json.loads(data), ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    return data


def write_kb(kb: KnowledgeBase, path: Path, syntax: str) -> None:
    """The writer behind each RDF export module."""
    path.write_bytes(serialize(canonical(kb_triples(kb)), syntax))
