"""Read OBO 1.4 flat files (GO, HP, DOID, ECO... as their projects publish them) into N-Triples.

Why a converter of our own instead of pronto or fastobo: the queries that reach into
an external ontology need only its classes, labels, synonyms, obsolescence and the
``is_a`` / ``relationship`` links, and the OBO-to-OWL mapping of those few tags is
short and fixed (https://owlcollab.github.io/oboformat/doc/obo-syntax.html, section 5).
A hundred lines with no dependency keep ``t2dm-onto link`` installable with the core
package alone, and the output is the same triples ROBOT writes for these tags.

Mapped: ``[Term]`` and ``[Typedef]`` stanzas; ``id``, ``name``, ``def``, ``synonym``
(scope kept), ``is_a``, ``relationship`` (an OWL existential restriction, with the
Typedef's ``xref`` such as BFO:0000050 for part_of as the property), ``xref``,
``alt_id``, ``namespace``, ``is_obsolete``, ``replaced_by``, ``consider``, ``comment``,
and the header's ``ontology`` tag. Left out, because no query here reads them:
``intersection_of`` / ``union_of`` logical definitions, ``disjoint_from``, ``[Instance]``
stanzas, and trailing qualifier blocks ``{...}``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from .errors import InputError

OBO = "http://purl.obolibrary.org/obo/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
OIO = "http://www.geneontology.org/formats/oboInOwl#"
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
SYNONYM_SCOPES = {"EXACT": "hasExactSynonym", "BROAD": "hasBroadSynonym", "NARROW": "hasNarrowSynonym",
                  "RELATED": "hasRelatedSynonym"}
_QUOTED = re.compile(r'^"((?:[^"\\]|\\.)*)"\s*(.*)$')
_ESC = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"}


def curie_to_iri(curie: str, ontology: str = "") -> str:
    """The OBO PURL of an identifier: ``GO:0001503`` -> ``obo:GO_0001503``; a bare name
    such as ``part_of`` becomes ``obo:<ontology>#part_of`` as the OBO spec says."""
    if curie.startswith(("http://", "https://")):
        return curie
    prefix, sep, local = curie.partition(":")
    if not sep:
        return f"{OBO}{ontology or 'unknown'}#{curie}"
    return f"{OBO}{prefix}_{local}"


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text)


def _value(raw: str) -> str:
    """A tag's value without its trailing ``! comment`` and ``{qualifiers}``."""
    out, quoted, escaped = [], False, False
    for ch in raw:
        if escaped:
            out.append(ch)
            escaped = False
            continue
        if ch == "\\":
            escaped = True
            out.append(ch)
            continue
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch == "!":
            break
        out.append(ch)
    text = "".join(out).strip()
    if not text.startswith('"') and text.endswith("}") and "{" in text:
        text = text[: text.rindex("{")].strip()
    return text


def _iri(value: str) -> str:
    return f"<{value}>"


def _literal(text: str, datatype: str | None = None) -> str:
    body = "".join(_ESC.get(ch, ch) for ch in text)
    return f'"{body}"^^<{datatype}>' if datatype else f'"{body}"'


def stanzas(text: str, where: str) -> Iterator[tuple[str, list[tuple[str, str, int]]]]:
    """(kind, [(tag, value, line number)]) per stanza; the header comes first with kind ``header``."""
    kind, tags = "header", []
    for lineno, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("!"):
            continue
        if line.startswith("[") and line.endswith("]"):
            yield kind, tags
            kind, tags = line[1:-1], []
            continue
        tag, sep, value = line.partition(":")
        if not sep:
            raise InputError(f"{where}:{lineno}: not an OBO 'tag: value' line: {line[:80]!r}. Is this an OBO file?")
        tags.append((tag.strip(), _value(value), lineno))
    yield kind, tags


def to_ntriples(path: Path) -> str:
    """The OBO file at ``path`` as N-Triples text."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read it as an OBO text file ({exc}).") from exc
    parsed = list(stanzas(text, str(path)))
    header = dict((t, v) for t, v, _ in parsed[0][1])
    if "format-version" not in header and not any(k in ("Term", "Typedef") for k, _ in parsed[1:]):
        raise InputError(f"{path}: no OBO header (format-version) and no [Term] stanza: not an OBO file.")
    ontology = header.get("ontology", "")
    # a Typedef's xref (e.g. part_of -> BFO:0000050) is the property its OWL form uses
    props: dict[str, str] = {}
    for kind, tags in parsed[1:]:
        if kind == "Typedef":
            tid = next((v for t, v, _ in tags if t == "id"), "")
            xref = next((v.split()[0] for t, v, _ in tags if t == "xref" and ":" in v), "")
            if tid:
                props[tid] = curie_to_iri(xref or tid, ontology)
    lines: list[str] = []
    if ontology:
        lines.append(f"{_iri(OBO + ontology + '.owl')} {_iri(RDF_TYPE)} {_iri(OWL + 'Ontology')} .")
    blank = 0
    for kind, tags in parsed[1:]:
        if kind not in ("Term", "Typedef"):
            continue
        ids = [v for t, v, _ in tags if t == "id"]
        if len(ids) != 1:
            line = tags[0][2] if tags else 0
            raise InputError(f"{path}:{line}: a [{kind}] stanza needs exactly one id.")
        subject = _iri(props.get(ids[0], curie_to_iri(ids[0], ontology)) if kind == "Typedef"
                       else curie_to_iri(ids[0], ontology))
        owl_type = "Class" if kind == "Term" else "ObjectProperty"
        lines.append(f"{subject} {_iri(RDF_TYPE)} {_iri(OWL + owl_type)} .")
        lines.append(f"{subject} {_iri(OIO + 'id')} {_literal(ids[0])} .")
        for tag, value, lineno in tags:
            def add(pred: str, obj: str, subject: str = subject) -> None:
                lines.append(f"{subject} {_iri(pred)} {obj} .")

            if tag == "name":
                add(RDFS + "label", _literal(_unescape(value)))
            elif tag in ("def", "synonym"):
                m = _QUOTED.match(value)
                if not m:
                    raise InputError(f"{path}:{lineno}: {tag} needs a quoted text.")
                if tag == "def":
                    add(OBO + "IAO_0000115", _literal(_unescape(m.group(1))))
                else:
                    scope = (m.group(2).split() or ["RELATED"])[0]
                    add(OIO + SYNONYM_SCOPES.get(scope, "hasRelatedSynonym"), _literal(_unescape(m.group(1))))
            elif tag == "comment":
                add(RDFS + "comment", _literal(_unescape(value)))
            elif tag == "is_a":
                link = "subClassOf" if kind == "Term" else "subPropertyOf"
                add(RDFS + link, _iri(props.get(value.split()[0], curie_to_iri(value.split()[0], ontology))
                                      if kind == "Typedef" else curie_to_iri(value.split()[0], ontology)))
            elif tag == "relationship" and kind == "Term":
                parts = value.split()
                if len(parts) < 2:
                    raise InputError(f"{path}:{lineno}: relationship needs a relation and a target.")
                blank += 1
                node = f"_:r{blank}"
                add(RDFS + "subClassOf", node)
                lines.append(f"{node} {_iri(RDF_TYPE)} {_iri(OWL + 'Restriction')} .")
                lines.append(f"{node} {_iri(OWL + 'onProperty')} {_iri(props.get(parts[0], curie_to_iri(parts[0], ontology)))} .")
                lines.append(f"{node} {_iri(OWL + 'someValuesFrom')} {_iri(curie_to_iri(parts[1], ontology))} .")
            elif tag == "xref":
                add(OIO + "hasDbXref", _literal(value.split()[0] if value else value))
            elif tag == "alt_id":
                add(OIO + "hasAlternativeId", _literal(value))
            elif tag == "namespace":
                add(OIO + "hasOBONamespace", _literal(value))
            elif tag == "is_obsolete" and value == "true":
                add(OWL + "deprecated", _literal("true", XSD_BOOLEAN))
            elif tag == "replaced_by":
                add(OBO + "IAO_0100001", _iri(curie_to_iri(value, ontology)))
            elif tag == "consider":
                add(OIO + "consider", _literal(value))
    return "\n".join(lines) + "\n"
