"""Nanopublication export: one nanopublication per claim, all in one TriG file.

Why this shape: a nanopublication is the smallest publishable unit of a claim
with its provenance, which is exactly what one claim node is. Each holds

- an **assertion** graph: the claim node as in the ontology (subject, relation,
  object, aspect, context, English statement) and the derived shortcut triple
  (``t2dm:ROS t2dm:increases t2dm:RANKL``) for consumers that read plain triples;
- a **provenance** graph about the assertion: derived from the review, the
  review's verbatim Chinese sentence, the section, the ECO code, the study type,
  and the references the review cites for it (by number; the review gives no
  PMID or DOI, so none is written);
- a **publication info** graph: licence, creator, the ontology release it comes
  from, and its date (the release date, so the same knowledge base gives the
  same bytes).

The IRIs are plain (``https://w3id.org/t2dm-onto/np/S2_5_09``), not trusty URIs,
and nothing is signed: signing is the publisher's act with their own key
(``np sign`` / nanopub-java), after which a nanopub server accepts them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..namespaces import BASE, OBO, PREFIXES, local_name
from ..turtle import block, iri, lit
from .model import REVIEW, ExportModel, load_model, ref_iri

KIND = "file"
DESCRIPTION = "nanopublications in TriG: one per claim, with assertion, provenance and publication-info graphs"

NP_BASE = BASE + "np/"
NP = "http://www.nanopub.org/nschema#"
EXTRA_PREFIXES = {"np": NP, "pav": "http://purl.org/pav/"}


def np_iri(claim_id: str) -> str:
    """The nanopublication IRI of a claim IRI."""
    return NP_BASE + local_name(claim_id)


def _date(version: str) -> str:
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", version):
        return lit(version, datatype="xsd:date")
    return lit(version)


def _claim_label(claim: dict[str, Any]) -> str:
    text = f"{claim['subject']['label']} {claim['relation'].replace('_', ' ')} {claim['object']['label']}"
    return text + (f" ({claim['aspect']})" if claim.get("aspect") else "")


def _assertion(claim: dict[str, Any]) -> str:
    relation = "t2dm:" + claim["relation"]
    pairs: list[tuple[str, list[str] | str]] = [
        ("a", "t2dm:Claim"),
        ("t2dm:has_subject", iri(claim["subject"]["iri"])),
        ("t2dm:has_relation", relation),
        ("t2dm:has_object", iri(claim["object"]["iri"])),
    ]
    if claim.get("aspect"):
        pairs.append(("t2dm:aspect", lit(claim["aspect"])))
    for field in ("population", "sex", "species"):
        if claim.get(field):
            pairs.append((f"t2dm:{field}", lit(claim[field])))
    if claim["context_entities"]:
        pairs.append(("t2dm:in_context", [iri(i) for i in claim["context_entities"]]))
    if claim.get("detail"):
        pairs.append(("t2dm:detail", lit(claim["detail"])))
    pairs.append(("t2dm:statement_en", lit(claim["statement_en"], "en")))
    shortcut = f"{iri(claim['subject']['iri'])} {relation} {iri(claim['object']['iri'])} .\n"
    return block(iri(claim["id"]), pairs) + shortcut


def _provenance(model: ExportModel, claim: dict[str, Any]) -> str:
    pairs: list[tuple[str, list[str] | str]] = [
        ("prov:wasDerivedFrom", iri(REVIEW)),
        ("t2dm:quote_zh", lit(claim["quote_zh"], "zh")),
        ("t2dm:section", lit(claim["section"])),
        ("t2dm:evidence", iri(OBO + claim["evidence"].replace(":", "_"))),
    ]
    if claim.get("study_type"):
        pairs.append(("t2dm:study_type", lit(claim["study_type"])))
    if claim["references"]:
        pairs.append(("t2dm:cites", [iri(ref_iri(n)) for n in claim["references"]]))
    out = [block("sub:assertion", pairs)]
    for n in claim["references"]:
        label = model.reference_labels.get(n, f"reference [{n}] of the review")
        out.append(block(iri(ref_iri(n)), [("a", "t2dm:Reference"), ("rdfs:label", lit(label, "en")),
                                           ("t2dm:reference_number", lit(n))]))
    out.append(block(iri(REVIEW), [("a", "t2dm:Publication"), ("dcterms:title", lit(model.review_title, "zh"))]))
    return "".join(out)


def _pubinfo(model: ExportModel, claim: dict[str, Any]) -> str:
    pairs: list[tuple[str, list[str] | str]] = [
        ("rdfs:label", lit(_claim_label(claim), "en")),
        ("dcterms:created", _date(model.version)),
        ("dcterms:creator", lit("t2dm-onto contributors")),
        ("prov:wasDerivedFrom", iri(BASE + "t2dm_op.owl")),
        ("pav:version", lit(model.version)),
    ]
    if model.license:
        pairs.insert(2, ("dcterms:license", f"<{model.license}>"))
    return block("this:", pairs)


def _indent(text: str) -> str:
    return "".join(f"    {line}\n" if line else "\n" for line in text.rstrip("\n").split("\n"))


def nanopublication(model: ExportModel, claim: dict[str, Any]) -> str:
    """The TriG text of one claim's nanopublication (with its own ``this:`` and ``sub:`` prefixes)."""
    this = np_iri(claim["id"])
    head = block("this:", [("a", "np:Nanopublication"), ("np:hasAssertion", "sub:assertion"),
                           ("np:hasProvenance", "sub:provenance"), ("np:hasPublicationInfo", "sub:pubinfo")])
    parts = [
        f"@prefix this: <{this}> .\n@prefix sub: <{this}#> .\n\n",
        "sub:Head {\n", _indent(head), "}\n\n",
        "sub:assertion {\n", _indent(_assertion(claim)), "}\n\n",
        "sub:provenance {\n", _indent(_provenance(model, claim)), "}\n\n",
        "sub:pubinfo {\n", _indent(_pubinfo(model, claim)), "}\n",
    ]
    return "".join(parts)


def render(model: ExportModel) -> str:
    """The whole TriG document."""
    prefixes = {**PREFIXES, **EXTRA_PREFIXES}
    header = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in prefixes.items())
    intro = (f"# {model.title}: one nanopublication per claim, generated by t2dm-onto from release {model.version}.\n"
             "# Unsigned, without trusty URIs: sign them with your own key before publishing.\n")
    return intro + header + "\n" + "\n".join(nanopublication(model, c) for c in model.claims)


def write(kb, path: Path) -> None:
    """Write every claim's nanopublication to ``path`` as TriG (UTF-8)."""
    Path(path).write_bytes(render(load_model(kb)).encode("utf-8"))
