"""The ontology reference page, made by pyLODE from a prepared copy of the ontology.

pyLODE 3.3.4 (the last release that runs on Python 3.11) reads our ontology
without error, but shown as it is the page misleads in three ways, all from
how we model, so we hand it a copy prepared for reading:

1. Each entity has an ``@en`` and a ``@zh`` ``rdfs:label``; pyLODE prints every
   label of a class run together as one heading (``RANKL核因子κB受体活化因子配体``).
   The copy keeps the English label as the heading and gives the Chinese one,
   the synonyms and the mappings as a note.
2. Definitions are ``IAO:0000115`` (the OBO convention), which pyLODE does not
   show; the copy repeats them as ``skos:definition``, which it does.
3. Entities are punned (each class is also an individual, so claims and the
   derived shortcut edges such as ``t2dm:ROS t2dm:increases t2dm:RANKL`` can
   point at it). pyLODE has no place for individuals or for assertions
   between classes, so it silently drops them; the copy leaves them out on
   purpose, with the claims and references themselves, and each class's note
   links to our own page listing its claims with their quotes.
4. pyLODE links every IRI in our namespace to an anchor on its page, also
   those it has no entry for (the version IRI, the source review), which
   leaves dead links; those links are turned back into plain text.

The schema (classes, properties, hierarchy) is otherwise as built.
"""

from __future__ import annotations

import html
import io
import logging
import re
from contextlib import redirect_stderr
from pathlib import Path
from typing import Any

from ..errors import MissingDependencyError
from ..namespaces import BASE, RELATIONS

PYLODE_HINT = "pip install 't2dm-onto[docs]' (pyLODE 3.3.4)"


def _require_pylode() -> Any:
    try:
        from pylode import OntPub
    except ImportError as exc:
        raise MissingDependencyError(f"the ontology reference page needs pyLODE, which is not installed: "
                                     f"{PYLODE_HINT}, or run `t2dm-onto docs --no-ontology`.") from exc
    return OntPub


def prepared_graph(ontology: Path, entity_pages: dict[str, str]) -> Any:
    """A copy of the ontology arranged for pyLODE (see the module docstring).

    ``entity_pages`` maps an entity IRI to the site-relative page listing its claims.
    """
    from rdflib import DCTERMS, RDF, RDFS, SKOS, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import OWL

    t2dm = Namespace(BASE)
    iao_def = URIRef("http://purl.obolibrary.org/obo/IAO_0000115")
    has_xref = URIRef("http://www.geneontology.org/formats/oboInOwl#hasDbXref")
    src = Graph().parse(ontology)
    individuals = set(src.subjects(RDF.type, t2dm.Claim)) | set(src.subjects(RDF.type, t2dm.Reference)) \
        | set(src.subjects(RDF.type, t2dm.Publication))
    relations = {t2dm[r] for r in RELATIONS}
    out = Graph()
    for prefix, ns in src.namespaces():
        out.bind(prefix, ns)
    for s, p, o in src:
        if s in individuals:
            continue
        if p == RDF.type and o == OWL.NamedIndividual:
            continue
        if p in relations:  # derived class-to-class shortcut edges
            continue
        if p in (RDFS.label, DCTERMS.title) and isinstance(o, Literal) and o.language == "zh":
            continue  # shown in the note (entities) or left out (the ontology's title)
        if p == iao_def:
            out.add((s, SKOS.definition, o))
        out.add((s, p, o))
    described = set(src.subjects(RDF.type, OWL.Class)) | set(src.subjects(RDF.type, OWL.ObjectProperty)) | relations
    for cls in sorted(described - individuals):
        notes = []
        zh = [str(o) for o in src.objects(cls, RDFS.label) if getattr(o, "language", None) == "zh"]
        if zh:
            notes.append("中文：" + "；".join(sorted(zh)))
        syns = sorted(str(o) for o in src.objects(cls, SKOS.altLabel))
        if syns:
            notes.append("Synonyms: " + "; ".join(syns))
        xrefs = sorted(str(o) for o in src.objects(cls, has_xref))
        if xrefs:
            notes.append("Mappings: " + ", ".join(xrefs))
        # markdown is rendered by pyLODE: escape our text, then add the one link we mean
        text = "  \n".join(html.escape(n, quote=False) for n in notes)
        page = entity_pages.get(str(cls))
        if page:
            text += ("  \n" if text else "") + f"[Claims, quotes and references]({page})"
        if text:
            out.add((cls, SKOS.note, Literal(text)))
    return out


def ontology_html(ontology: Path, entity_pages: dict[str, str]) -> tuple[str, dict[str, str]]:
    """The pyLODE page and the fragment id pyLODE gave each IRI (for links into it)."""
    OntPub = _require_pylode()
    graph = prepared_graph(ontology, entity_pages)
    # pyLODE logs its progress on the root logger and prints to stderr; keep the CLI quiet
    quiet = logging.getLogger()
    level = quiet.level
    quiet.setLevel(logging.WARNING)
    try:
        with redirect_stderr(io.StringIO()):
            od = OntPub(ontology=graph, sort_subjects=True)
            page = od.make_html()
    finally:
        quiet.setLevel(level)
    return unlink_missing_anchors(page), dict(od.fids)


_IN_PAGE_LINK = re.compile(r'<a href="#([^"]+)">(.*?)</a>', re.S)


def unlink_missing_anchors(page: str) -> str:
    """Replace ``<a href="#x">text</a>`` by ``text`` where the page has no element with id ``x``."""
    ids = set(re.findall(r'\bid="([^"]+)"', page))
    return _IN_PAGE_LINK.sub(lambda m: m.group(0) if html.unescape(m.group(1)) in ids or m.group(1) in ids
                             else m.group(2), page)
