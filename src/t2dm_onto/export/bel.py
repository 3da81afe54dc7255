"""BEL script export: one BEL statement per claim, for PyBEL, INDRA and the BEL tool chain.

Why these choices:

- **Terms.** An entity is written with an external identifier only when the
  ontology maps it with ``skos:exactMatch`` and no other entity shares that
  identifier (``p(HGNC:11926 ! TNFSF11)``); everything else keeps our own
  namespace (``bp(T2DMOP:ERK_NFKB_TNF_IL6_Pathway ! "ERK/NF-kB/TNF/IL-6 pathway")``),
  so no two of our entities merge in a BEL graph and each term can be traced back.
  The BEL function follows the top category (genes and proteins ``p``, chemicals,
  hormones, drugs, cells and tissues ``a``, processes, pathways and measured
  traits ``bp``, diseases and phenotypes ``path``). An ``activity`` aspect on a
  protein or abundance becomes ``act(...)``, the only aspect BEL encodes in the term.
- **Namespaces** are declared ``AS PATTERN`` with each registry's identifier
  pattern, so the script parses offline and PyBEL still checks every identifier.
- **Citation.** The review names its sources by number only: it gives no PMID,
  DOI or title for any of them, and we invent none. The quote in ``SET Evidence``
  is the review's own sentence, so the citation is the review itself (type
  ``Other``, identified by its IRI in this knowledge base), and the numbers of
  the references the review cites for the claim go in the ``CitedReference``
  annotation: ``SET CitedReference = {"22", "23"}``.
- **Everything else** a claim holds (its id, section, ECO code, aspect, study
  type, population, sex, species, cells and sites, details, English statement)
  is an annotation, so the script carries the whole claim.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..namespaces import ASPECTS, BASE, EVIDENCE_CODES, PREFERRED_PREFIX, SECTIONS, STUDY_TYPES, local_name
from .model import REVIEW, ExportModel, Node, load_model

KIND = "file"
DESCRIPTION = "BEL 2.1 script: one statement per claim with citation, evidence and context annotations"

#: BEL function for each top category.
FUNCTIONS: dict[str, str] = {
    "GeneOrProtein": "p",
    "Hormone": "a",
    "ChemicalEntity": "a",
    "DrugOrTherapy": "a",
    "CellType": "a",
    "AnatomicalEntity": "a",
    "BiologicalProcess": "bp",
    "SignallingPathway": "bp",
    "Measurement": "bp",
    "LifestyleOrAnthropometricFactor": "bp",
    "DiseaseOrDisorder": "path",
    "PhenotypicFeature": "path",
}

#: Which external namespace names a term best, per BEL function (first present wins).
PREFERRED_NAMESPACES: dict[str, tuple[str, ...]] = {
    "p": ("HGNC", "FPLX", "UniProtKB", "NCBIGene", "MESH", "CHEBI"),
    "a": ("CHEBI", "DRUGBANK", "CL", "cellosaurus", "UBERON", "MESH", "HGNC", "FPLX"),
    "bp": ("GO", "OBA", "EFO", "MESH", "HP"),
    "path": ("MONDO", "DOID", "HP", "EFO", "MESH"),
}

#: Our relations as BEL relationships.
RELATIONS: dict[str, str] = {
    "increases": "increases",
    "decreases": "decreases",
    "positively_correlated_with": "positiveCorrelation",
    "negatively_correlated_with": "negativeCorrelation",
    "associated_with": "association",
    "no_association": "causesNoChange",
}

#: Identifier patterns of the registries we may name (as the registries document them), written
#: without backslashes because BEL readers keep string escapes as they are.
ID_PATTERNS: dict[str, str] = {
    "HGNC": r"^[0-9]{1,5}$",
    "CHEBI": r"^[0-9]+$",
    "GO": r"^[0-9]{7}$",
    "MONDO": r"^[0-9]{7}$",
    "DOID": r"^[0-9]+$",
    "HP": r"^[0-9]{7}$",
    "EFO": r"^[0-9]{7}$",
    "OBA": r"^(VT)?[0-9]{7}$",
    "CL": r"^[0-9]{7}$",
    "UBERON": r"^[0-9]{7}$",
    "MESH": r"^[CD][0-9]{6,9}$",
    "DRUGBANK": r"^DB[0-9]{5}$",
    "cellosaurus": r"^CVCL_[A-Z0-9]{4}$",
    "FPLX": r"^[A-Za-z0-9][A-Za-z0-9_-]*$",
    "UniProtKB": r"^[A-Z0-9]{6,10}(-[0-9]+)?$",
    "NCBIGene": r"^[0-9]+$",
    PREFERRED_PREFIX: r"^[A-Za-z][A-Za-z0-9_]*$",
}

ANY_ID = "^[^ ]+$"

#: Annotation keys for context entities, by top category.
CONTEXT_KEYS = {"CellType": "Cell", "AnatomicalEntity": "Anatomy"}

_BARE = re.compile(r"^[A-Za-z0-9_]+$")


def quote(text: str) -> str:
    """A BEL string literal: backslashes, quotes and line breaks escaped."""
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "\\r")
               .replace("\n", "\\n").replace("\t", "\\t"))
    return f'"{escaped}"'


def unquote(text: str) -> str:
    """Inverse of :func:`quote` for the inner text (PyBEL keeps escapes as written)."""
    out, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            out.append({"n": "\n", "r": "\r", "t": "\t"}.get(nxt, nxt))
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _word(text: str) -> str:
    return text if _BARE.match(text) else quote(text)


def term_reference(model: ExportModel, node: Node) -> tuple[str, str, str, str]:
    """(function, namespace, identifier, name) writing ``node`` in BEL."""
    fn = FUNCTIONS.get(node.category, "a")
    usable = model.unique_exact.get(node.iri, ())
    for prefix in PREFERRED_NAMESPACES[fn]:
        for curie in usable:
            ns, _, ident = curie.partition(":")
            if ns == prefix:
                name = model.external_labels.get(curie) or node.label
                return fn, ns, ident, name
    return fn, PREFERRED_PREFIX, node.local, node.label


def context_reference(model: ExportModel, node: Node) -> tuple[str, str]:
    """(annotation key, value) for a cell, cell line or site a claim is about."""
    _, ns, ident, _ = term_reference(model, node)
    key = CONTEXT_KEYS.get(node.category, "Context")
    if ns == "cellosaurus":
        key = "CellLine"
    return key, f"{ns}:{ident}"


def bel_version(version: str) -> str:
    """BEL wants semantic versions or YYYYMMDD dates; our versions are ISO dates (2026-11-26)."""
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", version):
        return version.replace("-", "")
    return version


def _term(model: ExportModel, node: Node, activity: bool = False) -> str:
    fn, ns, ident, name = term_reference(model, node)
    text = f"{fn}({ns}:{_word(ident)} ! {_word(name)})"
    return f"act({text})" if activity and fn in ("p", "a") else text


def _annotations(model: ExportModel, claim: dict) -> list[tuple[str, list[str]]]:
    """(key, values) set for one claim, in a fixed order."""
    out: list[tuple[str, list[str]]] = [
        ("Claim", [local_name(claim["id"])]),
        ("Section", [claim["section"]]),
        ("EvidenceCode", [claim["evidence"]]),
    ]
    if claim["references"]:
        out.append(("CitedReference", [str(n) for n in claim["references"]]))
    for key, field in (("Aspect", "aspect"), ("StudyType", "study_type"), ("Population", "population"),
                       ("Sex", "sex"), ("Species", "species")):
        if claim.get(field):
            out.append((key, [claim[field]]))
    contexts: dict[str, list[str]] = {}
    for iri in claim["context_entities"]:
        key, value = context_reference(model, model.node(iri))
        contexts.setdefault(key, []).append(value)
    out.extend((key, sorted(values)) for key, values in sorted(contexts.items()))
    if claim.get("detail"):
        out.append(("Detail", [claim["detail"]]))
    out.append(("Statement", [claim["statement_en"]]))
    return out


def _set(key: str, values: list[str]) -> str:
    if len(values) == 1:
        return f"SET {key} = {quote(values[0])}"
    return f"SET {key} = {{{', '.join(quote(v) for v in values)}}}"


def _definitions(model: ExportModel, namespaces: set[str]) -> list[str]:
    lines = ["#" * 80, "# Namespaces: identifiers as each registry writes them (checked by pattern, offline)", "#" * 80]
    for ns in sorted(namespaces, key=str.lower):
        pattern = ID_PATTERNS.get(ns, ANY_ID)
        lines.append(f"DEFINE NAMESPACE {ns} AS PATTERN {quote(pattern)}")
    lines += ["", "#" * 80, "# Annotations", "#" * 80]
    lists = {
        "Section": SECTIONS,
        "EvidenceCode": tuple(EVIDENCE_CODES),
        "Aspect": ASPECTS,
        "StudyType": tuple(STUDY_TYPES),
    }
    patterns = {
        "Claim": r"^[A-Za-z0-9_]+$", "CitedReference": r"^[1-9][0-9]*$", "Population": ".+", "Sex": ".+",
        "Species": ".+", "Cell": ".+", "CellLine": ".+", "Anatomy": ".+", "Context": ".+", "Detail": ".+",
        "Statement": ".+",
    }
    for key in sorted({*lists, *patterns}):
        if key in lists:
            values = ", ".join(quote(v) for v in lists[key])
            lines.append(f"DEFINE ANNOTATION {key} AS LIST {{{values}}}")
        else:
            lines.append(f"DEFINE ANNOTATION {key} AS PATTERN {quote(patterns[key])}")
    return lines


def render(model: ExportModel) -> str:
    """The whole BEL script as text."""
    namespaces = {term_reference(model, n)[1] for n in model.used}
    namespaces |= {context_reference(model, n)[1].split(":", 1)[0] for n in model.context_nodes}
    lines = [
        f"# {model.title}: BEL script generated by t2dm-onto from the knowledge base, version {model.version}.",
        "# One statement per claim. Citation: the review itself (its quote is the evidence); the numbers of",
        "# the references it cites for a claim are in CitedReference (the review gives no PMID or DOI for them).",
        "",
        f"SET DOCUMENT Name = {quote(model.title)}",
        f"SET DOCUMENT Version = {quote(bel_version(model.version))}",
        f"SET DOCUMENT Description = {quote('Every claim of the review ' + model.review_title + ', one BEL statement each, with its sign, cited reference numbers, verbatim Chinese quote and context.')}",
        f"SET DOCUMENT Authors = {quote('t2dm-onto contributors')}",
        f"SET DOCUMENT Licenses = {quote(model.license or 'CC BY 4.0')}",
        f"SET DOCUMENT ContactInfo = {quote(BASE)}",
        "",
        *_definitions(model, namespaces),
        "",
    ]
    citation = f"SET Citation = {{\"Other\", {quote(model.review_title)}, {quote(REVIEW)}}}"
    group = None
    for claim in model.claims:
        if claim["section"] != group:
            if group is not None:
                lines += ["UNSET STATEMENT_GROUP", ""]
            group = claim["section"]
            lines += ["#" * 80, f"SET STATEMENT_GROUP = {quote('Section ' + group)}", "#" * 80, ""]
        subject = _term(model, model.node(claim["subject"]["iri"]))
        obj = _term(model, model.node(claim["object"]["iri"]), activity=claim.get("aspect") == "activity")
        lines.append(citation)
        lines.append(f"SET Evidence = {quote(claim['quote_zh'])}")
        annotations = _annotations(model, claim)
        lines += [_set(key, values) for key, values in annotations]
        lines.append(f"{subject} {RELATIONS[claim['relation']]} {obj}")
        lines.append(f"UNSET {{{', '.join(key for key, _ in annotations)}}}")
        lines.append("UNSET Evidence")
        lines.append("")
    if group is not None:
        lines.append("UNSET STATEMENT_GROUP")
    return "\n".join(lines) + "\n"


def write(kb, path: Path) -> None:
    """Write the BEL script of ``kb`` to ``path`` (UTF-8, LF line ends)."""
    Path(path).write_bytes(render(load_model(kb)).encode("utf-8"))
