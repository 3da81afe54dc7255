"""RDF/XML as the OWL API and Protégé write it: typed node elements, nested blank nodes, collections.

pyoxigraph writes every subject as ``rdf:Description`` with ``rdf:type`` as a
property. That is valid RDF/XML, but element-based readers do not see it:
pronto looks for an ``owl:Ontology`` element and ``owl:Class`` elements, and
reads a restriction only when it is nested in its ``rdfs:subClassOf``. This
writer gives each subject the element of its OWL type (``owl:Class``,
``owl:ObjectProperty``, ``owl:NamedIndividual`` …; the ontology first, then
properties, classes, individuals, axioms, as the OWL API orders them), nests
each blank node used once as an object inside the property that uses it,
writes well-formed RDF lists as ``rdf:parseType="Collection"``, and labels
only the blank nodes used more than once (``rdf:nodeID``). The triples are the
same as pyoxigraph's: tests parse the file back and compare.

The input is canonical and sorted (:func:`t2dm_onto.export.rdf.canonical`), so
the same graph always gives the same bytes.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..namespaces import OWL, RDF, RDFS

if TYPE_CHECKING:
    import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
LANG_STRING = RDF + "langString"

#: Element types in the OWL API's order of sections; a subject is written under the first of its types here.
ELEMENT_TYPES = (
    OWL + "Ontology",
    OWL + "AnnotationProperty",
    RDFS + "Datatype",
    OWL + "ObjectProperty",
    OWL + "DatatypeProperty",
    OWL + "Class",
    OWL + "NamedIndividual",
    OWL + "AllDisjointClasses",
    OWL + "AllDifferent",
    OWL + "Axiom",
    OWL + "Restriction",
)
_RANK = {iri: i for i, iri in enumerate(ELEMENT_TYPES)}
_NAME = re.compile(r"[A-Za-z_\u00C0-\uFFFF][\w.\-\u00B7\u00C0-\uFFFF]*$")
_ATTR_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}
_TEXT_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}


def _english_first(pair: tuple[str, object]) -> tuple:
    """Property order within a subject: by predicate, an English literal before the others.

    Readers that keep one label (pronto takes the first ``rdfs:label``) then keep the English one.
    """
    predicate, obj = pair
    return predicate, getattr(obj, "language", None) != "en"


def _escape(text: str, table: dict[str, str]) -> str:
    return "".join(table.get(ch, ch) for ch in text)


class _Names:
    """QNames for IRIs: the given prefixes, then ``ns1``, ``ns2`` … for other namespaces (in sorted order)."""

    def __init__(self, prefixes: dict[str, str], iris: Iterable[str]) -> None:
        self.by_namespace = {ns: p for p, ns in sorted(prefixes.items())}
        self.declared = dict(sorted(prefixes.items()))
        extra = sorted({self._split(i)[0] for i in iris} - set(self.by_namespace))
        for n, ns in enumerate(extra, start=1):
            self.by_namespace[ns] = f"ns{n}"
            self.declared[f"ns{n}"] = ns

    @staticmethod
    def _split(iri: str) -> tuple[str, str]:
        match = _NAME.search(iri)
        if match is None:  # check_rdfxml refuses such predicates before we get here
            raise ValueError(f"no XML local name at the end of <{iri}>")
        return iri[: match.start()], match.group(0)

    def qname(self, iri: str) -> str:
        namespace, local = self._split(iri)
        return f"{self.by_namespace[namespace]}:{local}"


def rdfxml(triples: list[ox.Triple], prefixes: dict[str, str]) -> bytes:
    """The triples (canonical, sorted) as OWL-API-style RDF/XML."""
    import pyoxigraph as ox

    props: dict[object, list[tuple[str, object]]] = defaultdict(list)
    uses: Counter = Counter()
    for t in triples:
        props[t.subject].append((t.predicate.value, t.object))
        if isinstance(t.object, ox.BlankNode):
            uses[t.object] += 1

    def element_type(subject) -> str | None:
        types = [o.value for p, o in props[subject] if p == RDF + "type" and isinstance(o, ox.NamedNode)]
        ranked = sorted((t for t in types if t in _RANK), key=_RANK.__getitem__)
        return ranked[0] if ranked else None

    # blank nodes used once are nested where they are used; a cycle of such nodes gets node IDs
    inline = {b for b, n in uses.items() if n == 1 and b in props}
    roots = [s for s in props if not (isinstance(s, ox.BlankNode) and s in inline)]
    reached: set = set()

    def reach(node) -> None:
        for _p, o in props.get(node, ()):
            if o in inline and o not in reached:
                reached.add(o)
                reach(o)

    for r in roots:
        reach(r)
    while inline - reached:  # an unreachable cycle: label its first node and start from it
        first = min(inline - reached, key=str)
        inline.discard(first)
        roots.append(first)
        reach(first)

    def is_list(node) -> bool:
        """A well-formed list of IRIs or nested blank nodes, every cell used once."""
        while node != ox.NamedNode(RDF + "nil"):
            if node not in inline:
                return False
            cell = props[node]
            preds = sorted(p for p, _ in cell)
            if preds != [RDF + "first", RDF + "rest"]:
                return False
            item = next(o for p, o in cell if p == RDF + "first")
            if isinstance(item, ox.Literal) or (isinstance(item, ox.BlankNode) and item not in inline):
                return False
            node = next(o for p, o in cell if p == RDF + "rest")
        return True

    names = _Names(
        prefixes, [p for cell in props.values() for p, _ in cell] + [t for s in props if (t := element_type(s))]
    )
    lines: list[str] = []

    def node_element(subject, depth: int) -> None:
        pad = "\t" * depth
        kind = element_type(subject)
        tag = names.qname(kind) if kind else "rdf:Description"
        if isinstance(subject, ox.NamedNode):
            attr = f' rdf:about="{_escape(subject.value, _ATTR_ESCAPES)}"'
        elif subject in inline:
            attr = ""
        else:
            attr = f' rdf:nodeID="{subject.value}"'
        body = [(p, o) for p, o in props.get(subject, ()) if not (p == RDF + "type" and kind and o.value == kind)]
        body.sort(key=_english_first)
        if not body:
            lines.append(f"{pad}<{tag}{attr}/>")
            return
        lines.append(f"{pad}<{tag}{attr}>")
        for p, o in body:
            property_element(names.qname(p), o, depth + 1)
        lines.append(f"{pad}</{tag}>")

    def property_element(tag: str, obj, depth: int) -> None:
        pad = "\t" * depth
        if isinstance(obj, ox.NamedNode):
            lines.append(f'{pad}<{tag} rdf:resource="{_escape(obj.value, _ATTR_ESCAPES)}"/>')
        elif isinstance(obj, ox.BlankNode) and is_list(obj):
            lines.append(f'{pad}<{tag} rdf:parseType="Collection">')
            node = obj
            while node != ox.NamedNode(RDF + "nil"):
                item = next(o for p, o in props[node] if p == RDF + "first")
                if isinstance(item, ox.NamedNode):
                    lines.append(f'{pad}\t<rdf:Description rdf:about="{_escape(item.value, _ATTR_ESCAPES)}"/>')
                else:
                    node_element(item, depth + 1)
                node = next(o for p, o in props[node] if p == RDF + "rest")
            lines.append(f"{pad}</{tag}>")
        elif isinstance(obj, ox.BlankNode) and obj in inline:
            lines.append(f"{pad}<{tag}>")
            node_element(obj, depth + 1)
            lines.append(f"{pad}</{tag}>")
        elif isinstance(obj, ox.BlankNode):
            lines.append(f'{pad}<{tag} rdf:nodeID="{obj.value}"/>')
        else:
            attr = ""
            if obj.language:
                attr = f' xml:lang="{obj.language}"'
            elif obj.datatype.value not in (XSD_STRING, LANG_STRING):
                attr = f' rdf:datatype="{_escape(obj.datatype.value, _ATTR_ESCAPES)}"'
            lines.append(f"{pad}<{tag}{attr}>{_escape(obj.value, _TEXT_ESCAPES)}</{tag}>")

    def order(subject) -> tuple:
        kind = element_type(subject)
        return (_RANK.get(kind, len(_RANK)), isinstance(subject, ox.BlankNode), str(subject))

    for subject in sorted(roots, key=order):
        node_element(subject, 1)
    xmlns = " ".join(f'xmlns:{p}="{_escape(ns, _ATTR_ESCAPES)}"' for p, ns in names.declared.items())
    head = f'<?xml version="1.0" encoding="UTF-8"?>\n<rdf:RDF {xmlns}>\n'
    return (head + "\n".join(lines) + "\n</rdf:RDF>\n").encode("utf-8")
