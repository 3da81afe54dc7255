"""What the builder writes from ``curation/schema.yaml`` besides the ontology.

- ``shapes/t2dm_op.shapes.ttl``: the claim property shapes (counts, controlled
  ``sh:in`` lists, messages), the relation lists of the shortcut-edge shape, the
  sign shapes' targets and the reference number range, in generated regions;
- ``curation/CURATION.md``: the vocabulary tables, in generated regions;
- ``src/t2dm_onto/vocabulary.json``: the vocabularies the installed package needs
  at run time (parameter checks, labels, section titles), read with :mod:`json`,
  so queries need neither PyYAML nor a checkout.

Each is a pure function of the schema (and, for the relation table, the SSSOM
mappings, the one place external IDs are written), so ``t2dm-onto build --check``
can compare the committed files with what the schema says.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from . import namespaces as ns
from .curation import Mapping
from .regions import fill
from .schema import ClaimField, Schema
from .turtle import escape, iri, lit

SHAPES_PATH = Path("shapes") / "t2dm_op.shapes.ttl"
GUIDE_PATH = Path("curation") / "CURATION.md"
VOCABULARY_PATH = Path("src") / "t2dm_onto" / "vocabulary.json"


def vocabulary_json(schema: Schema) -> str:
    """The run-time vocabularies, as ``vocabulary.json`` holds them."""
    data = {
        "references": schema.references,
        "relations": {r.name: {"sign": r.sign, "causal": r.causal, "en": r.en, "zh": r.zh} for r in schema.relations},
        "aspects": list(schema.aspects),
        "sections": {s.number: [s.en, s.zh] for s in schema.sections},
        "study_types": {s.value: s.label for s in schema.study_types},
        "study_type_evidence_in": {s.value: s.evidence_in for s in schema.study_types},
        "evidence_codes": {e.code: e.label for e in schema.evidence_codes},
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


# ---- shapes ---------------------------------------------------------------------------------------------


def _sh_value(schema: Schema, f: ClaimField, value: str) -> str:
    if f.datatype == "relation":
        return iri(ns.T2DM + value)
    if f.datatype == "evidence":
        return iri(ns.curie_to_iri(value))
    return lit(value)


def _message(schema: Schema, text: str) -> str:
    relations = ", ".join(r.name for r in schema.relations)
    return f'"{escape(text.format(references=schema.references, relations=relations))}"@en'


def _field_shape(schema: Schema, f: ClaimField) -> str:
    parts = [f"shapes:{f.shape} sh:path t2dm:{f.property}"]
    if f.required:
        parts.append("sh:minCount 1")
    if not f.list:
        parts.append("sh:maxCount 1")
    if f.shacl:
        parts.append(f.shacl)
    allowed = schema.allowed(f)
    if allowed:
        parts.append("sh:in ( " + " ".join(_sh_value(schema, f, v) for v in allowed) + " )")
    return " ; ".join(parts) + " ;\n    sh:message " + _message(schema, f.message) + " .\n"


def _claim_fields_region(schema: Schema) -> str:
    shaped = [f for f in schema.claim_fields if f.shape]
    names = [f"shapes:{f.shape}" for f in shaped]
    lines = " ,\n        ".join(" , ".join(names[i:i + 5]) for i in range(0, len(names), 5))
    return f"shapes:ClaimShape sh:property {lines} .\n" + "".join(_field_shape(schema, f) for f in shaped)


def _relation_list(schema: Schema, sep: str) -> str:
    return sep.join(iri(ns.T2DM + r.name) for r in schema.relations)


def _shortcut_region(schema: Schema) -> str:
    return f'''shapes:ShortcutEdgeShape a sh:NodeShape ;
    rdfs:comment "Shortcut edges exist only where a claim supports them."@en ;
    sh:targetSubjectsOf {_relation_list(schema, ", ")} ;
    sh:sparql [ a sh:SPARQLConstraint ;
        sh:message "A shortcut edge has no claim behind it: remove it or add the claim to the tables, then rebuild."@en ;
        sh:prefixes shapes: ;
        sh:select """
            SELECT $this ?path ?value WHERE {{
                $this ?path ?value .
                FILTER (?path IN ( {_relation_list(schema, ", ")} ))
                MINUS {{ ?c t2dm:has_subject $this ; t2dm:has_relation ?path ; t2dm:has_object ?value }}
            }}""" ] .
'''


def _signs_region(schema: Schema) -> str:
    out = []
    for shape, sign in (("IncreasesSign", 1), ("DecreasesSign", -1)):
        nodes = " , ".join(iri(ns.T2DM + r.name) for r in schema.relations if r.sign == sign)
        out.append(f"shapes:{shape} sh:targetNode {nodes} .\n")
    return "".join(out)


def _references_region(schema: Schema) -> str:
    n = schema.references
    return (f"shapes:ReferenceShape sh:property [ sh:path t2dm:reference_number ; sh:minCount 1 ; sh:maxCount 1 ; "
            f"sh:datatype xsd:integer ;\n                  sh:minInclusive 1 ; sh:maxInclusive {n} ;\n"
            f'                  sh:message "A reference needs exactly one number within 1..{n}: the review cites '
            'no other."@en ] .\n')


def shape_regions(schema: Schema) -> dict[str, str]:
    return {
        "claim-fields": _claim_fields_region(schema),
        "shortcut-edges": _shortcut_region(schema),
        "relation-signs": _signs_region(schema),
        "reference-numbers": _references_region(schema),
    }


# ---- CURATION.md ----------------------------------------------------------------------------------------


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _codes(values: tuple[str, ...] | list[str]) -> str:
    return ", ".join(f"`{v}`" for v in values)


def _field_meaning(schema: Schema, f: ClaimField) -> str:
    if f.datatype == "evidence":
        return f.meaning + ": " + "; ".join(f"`{e.code}` when {e.when}" for e in schema.evidence_codes)
    if f.datatype in ("section", "study_type"):
        return f.meaning
    allowed = schema.allowed(f)
    return f.meaning + (f": {_codes(allowed)}" if allowed else "")


def _fields_table(schema: Schema) -> str:
    rows = [[f"`{f.field}`", f"`t2dm:{f.property}`" if f.property else "the node's IRI",
             "**yes**" if f.required else "no", f.datatype + (" (several)" if f.list else ""),
             _field_meaning(schema, f)] for f in schema.claim_fields]
    return _table(["field", "written as", "required", "datatype", "meaning"], rows)


def _relations_table(schema: Schema, mappings: list[Mapping]) -> str:
    by_subject: dict[str, list[str]] = defaultdict(list)
    for m in mappings:
        by_subject[m.subject].append(f"{m.predicate} {m.object_id}")
    rows = [[f"`{r.name}`", {1: "+1", -1: "−1", 0: "0", None: "none"}[r.sign], "yes" if r.causal else "no",
             r.en, r.zh, "; ".join(by_subject[r.name]) or "none", r.definition] for r in schema.relations]
    return _table(["relation", "sign", "causal", "en", "zh", "mappings (from the SSSOM file)", "meaning"], rows)


def curation_regions(schema: Schema, mappings: list[Mapping]) -> dict[str, str]:
    return {
        "claim-fields": _fields_table(schema),
        "relations": _relations_table(schema, mappings),
        "study-types": _table(["value", "label", "evidence in", "when"],
                              [[f"`{s.value}`", s.label, s.evidence_in, s.rule] for s in schema.study_types]),
        "evidence-codes": _table(["code", "label", "when"],
                                 [[f"`{e.code}`", e.label, e.when] for e in schema.evidence_codes]),
        "sections": _table(["section", "heading (the review's)", "English"],
                           [[f"`{s.number}`", s.zh, s.en] for s in schema.sections]),
    }


def outputs(root: Path, schema: Schema, mappings: list[Mapping]) -> dict[Path, str]:
    """The files the schema writes (path under ``root``) with their text."""
    shapes, guide = root / SHAPES_PATH, root / GUIDE_PATH
    return {
        shapes: fill(shapes, shapes.read_text(encoding="utf-8"), shape_regions(schema)),
        guide: fill(guide, guide.read_text(encoding="utf-8"), curation_regions(schema, mappings)),
        root / VOCABULARY_PATH: vocabulary_json(schema),
    }
