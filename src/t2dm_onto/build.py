"""Write ``ontology/t2dm_op.ttl`` from the curated tables.

Deterministic: the same tables give the same bytes (records are written in table
order, values in sorted order), so a test can rebuild and compare with the
committed file. Run ``t2dm-onto build`` (or ``python -m t2dm_onto.build``) after
editing anything under ``curation/`` or ``mappings/``.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from . import namespaces as ns
from .curation import Claim, Curation, Entity, has_cjk, load
from .errors import InputError
from .turtle import block, iri, lit, prefixes

VERSION = "2026-11-26"
TITLE_EN = "Ontology of the mechanisms linking type 2 diabetes mellitus and osteoporosis"
TITLE_ZH = "2型糖尿病合并骨质疏松症发病机制本体"
REVIEW_TITLE = "2型糖尿病合并骨质疏松症发病机制"

REL_LABELS = {
    "increases": ("increases", "增加", "The subject raises the amount, activity, or risk of the object."),
    "decreases": ("decreases", "降低", "The subject lowers the amount, activity, or risk of the object."),
    "positively_correlated_with": (
        "positively correlated with", "正相关", "The two vary together in the same direction.",
    ),
    "negatively_correlated_with": (
        "negatively correlated with", "负相关", "The two vary together in opposite directions.",
    ),
    "associated_with": (
        "associated with", "相关", "The two are linked, with no direction or sign stated.",
    ),
    "no_association": (
        "no association with", "无关联",
        "A study looked for a link or an effect and reported none (a neutral finding).",
    ),
}

IMPORT_IRI = ns.BASE + "imports/t2dm_op_import.owl"
IMPORT_PATH = Path("ontology") / "imports" / "t2dm_op_import.ttl"
#: Mapping predicates that also give an oboInOwl:hasDbXref: a database cross-reference
#: is read as "the same thing" by most tools, so broader and narrower terms get none.
XREF_PREDICATES = ("skos:exactMatch", "skos:closeMatch")
KIND_IRIS = {"class": "owl:Class", "object property": "owl:ObjectProperty",
             "annotation property": "owl:AnnotationProperty"}

# own annotation / datatype / object properties: (kind, en label, zh label, definition)
PROPERTIES: dict[str, tuple[str, str, str, str]] = {
    "has_subject": ("owl:ObjectProperty", "has subject", "主体", "The entity a claim is about: the cause or first correlate."),
    "has_object": ("owl:ObjectProperty", "has object", "客体", "The entity a claim says is affected or correlated."),
    "in_context": ("owl:ObjectProperty", "in context", "情境", "A cell, cell line or anatomical site the claim is about."),
    "cites": ("owl:ObjectProperty", "cites", "引用", "A reference of the review cited for the claim."),
    "has_member": ("owl:ObjectProperty", "has member", "成员", "A part of a composite node such as a pathway or a ratio."),
    "located_in": ("owl:ObjectProperty", "located in", "位于", "Where the review places an entity."),
    "has_relation": ("owl:AnnotationProperty", "has relation", "关系", "Which of the six claim relations the claim asserts."),
    "evidence": ("owl:AnnotationProperty", "evidence", "证据", "The ECO code of the review-level evidence for the claim."),
    "sign_value": ("owl:AnnotationProperty", "sign value", "符号", "+1, -1 or 0: the sign a relation contributes to a chain; absent when unsigned."),
    "is_causal": ("owl:AnnotationProperty", "is causal", "因果", "Whether a relation asserts a direction of effect."),
    "is_category": ("owl:AnnotationProperty", "is category", "是分类", "True for the top categories and grouping classes, which organise entities but are not named as such by the review."),
    "bone_polarity": ("owl:AnnotationProperty", "bone polarity", "对骨的意义", "+1 when more of the entity is good for bone, -1 when bad."),
    "aspect": ("owl:DatatypeProperty", "aspect", "方面", "What of the object changes: expression, activity, level, secretion, risk..."),
    "section": ("owl:DatatypeProperty", "section", "章节", "The section of the review that makes the claim."),
    "quote_zh": ("owl:DatatypeProperty", "quote", "原文", "The review's sentence or clause, verbatim in Chinese."),
    "statement_en": ("owl:DatatypeProperty", "statement", "英文陈述", "The claim stated in English by the curators."),
    "study_type": ("owl:DatatypeProperty", "study type", "研究类型", "The kind of primary study the review reports."),
    "population": ("owl:DatatypeProperty", "population", "人群", "The population the claim holds for."),
    "sex": ("owl:DatatypeProperty", "sex", "性别", "The sex the claim holds for."),
    "species": ("owl:DatatypeProperty", "species", "物种", "The species of the primary study."),
    "in_taxon": ("owl:AnnotationProperty", "in taxon", "分类单元", "The NCBI Taxonomy class of the species the claim's study used, as far as the review names it."),
    "detail": ("owl:DatatypeProperty", "detail", "细节", "Numbers, doses and durations the review gives."),
    "reference_number": ("owl:DatatypeProperty", "reference number", "参考文献编号", "The number of a reference in the review's list."),
    "first_author": ("owl:DatatypeProperty", "first author", "第一作者", "The first author as the review names them."),
}
FUNCTIONAL = {"has_subject", "has_object", "section", "quote_zh", "statement_en", "reference_number"}
OTHER_ANNOTATIONS = [
    "skos:altLabel", "skos:related", "skos:exactMatch", "skos:closeMatch", "skos:broadMatch", "skos:narrowMatch",
    "obo:IAO_0000115", "oboInOwl:hasDbXref", "dcterms:title", "dcterms:description", "dcterms:license",
    "dcterms:creator", "dcterms:created", "dcterms:source", "dcterms:bibliographicCitation",
    "vann:preferredNamespacePrefix", "vann:preferredNamespaceUri", "prov:wasDerivedFrom", "foaf:homepage",
]

T2 = ns.T2DM


def t(local: str) -> str:
    return iri(T2 + local)


def c(cl: Claim) -> str:
    return iri(ns.CLAIM + cl.id)


def curie_iri(curie: str, curie_map: dict[str, str]) -> str:
    prefix, _, local = curie.partition(":")
    if prefix == "biolink":
        return iri(ns.BIOLINK + local)
    if prefix in curie_map:
        return iri(curie_map[prefix] + local)
    return iri(ns.curie_to_iri(curie))


def _mapping_pairs(cur: Curation, subject: str) -> list[tuple[str, list[str]]]:
    """The SKOS match triples of ``subject``, one pair per predicate, objects sorted."""
    by_pred: dict[str, list[str]] = defaultdict(list)
    for m in cur.mappings:
        if m.subject == subject:
            by_pred[m.predicate].append(curie_iri(m.object_id, cur.curie_map))
    return [(p, sorted(v)) for p, v in sorted(by_pred.items())]


def _check_mapping_subjects(cur: Curation) -> None:
    known = {e.id for e in cur.all_entities} | set(REL_LABELS) | set(PROPERTIES)
    for m in cur.mappings:
        if m.subject not in known:
            raise InputError(f"mappings/t2dm_op.sssom.tsv: subject T2DMOP:{m.subject} is neither an entity nor a "
                             "property of the ontology. Fix the subject_id.")


def _labels(e: Entity) -> list[tuple[str, list[str]]]:
    alts = sorted({a for a in e.alt if a not in (e.en, e.zh)})
    return [
        ("rdfs:label", [lit(e.en, "en"), lit(e.zh, "zh")]),
        ("skos:altLabel", [lit(a, "zh" if has_cjk(a) else "en") for a in alts]),
        ("obo:IAO_0000115", lit(e.definition, "en")),
    ]


def _header() -> str:
    return block(
        f"<{ns.ONTOLOGY_IRI}>",
        [
            ("a", "owl:Ontology"),
            ("owl:imports", f"<{IMPORT_IRI}>"),
            ("owl:versionIRI", f"<{T2}releases/{VERSION}/t2dm_op.owl>"),
            ("owl:versionInfo", lit(VERSION)),
            ("dcterms:title", [lit(TITLE_EN, "en"), lit(TITLE_ZH, "zh")]),
            ("dcterms:description", lit(
                "Every entity named by the Chinese review '2型糖尿病合并骨质疏松症发病机制' (sections 1 to 3, "
                "references [1]-[66]) and every causal or correlational claim it makes, one node per atomic "
                "claim (W3C n-ary relation pattern) with its sign, aspect, section, cited references, the "
                "verbatim Chinese sentence, an English statement, an ECO evidence code, and the study type "
                "and context where the review gives them.", "en")),
            ("dcterms:license", "<https://creativecommons.org/licenses/by/4.0/>"),
            ("dcterms:creator", lit("t2dm-onto contributors")),
            ("dcterms:created", lit(VERSION)),
            ("dcterms:source", t("review")),
            ("vann:preferredNamespacePrefix", lit(ns.PREFERRED_PREFIX)),
            ("vann:preferredNamespaceUri", lit(T2)),
            ("foaf:homepage", f"<{T2}>"),
            ("rdfs:comment", lit(
                "Entities are OWL classes under pairwise disjoint top categories; each is also declared an "
                "individual (OWL 2 punning) so that claims and the derived shortcut edges can point at it. "
                "The shortcut edges (e.g. t2dm:ROS t2dm:increases t2dm:RANKL) are generated from the claim "
                "nodes and carry no evidence of their own; the six relations are annotation properties, so "
                "these edges are annotations of the classes, not relationships or restrictions.", "en")),
        ],
    )


def _properties(cur: Curation) -> str:
    out = []
    for name, (kind, en, zh, definition) in PROPERTIES.items():
        types = [kind] + (["owl:FunctionalProperty"] if name in FUNCTIONAL else [])
        pairs: list[tuple[str, list[str] | str]] = [
            ("a", types),
            ("rdfs:label", [lit(en, "en"), lit(zh, "zh")]),
            ("obo:IAO_0000115", lit(definition, "en")),
        ]
        if name in ("has_subject", "has_object", "cites", "in_context"):
            pairs.append(("rdfs:domain", t("Claim")))
        if name == "cites":
            pairs.append(("rdfs:range", t("Reference")))
        if name in ("reference_number",):
            pairs.append(("rdfs:range", "xsd:integer"))
        pairs.extend(_mapping_pairs(cur, name))
        out.append(block(t(name), pairs))
    for rel, (en, zh, definition) in REL_LABELS.items():
        info = ns.RELATIONS[rel]
        pairs = [
            # an annotation property: the shortcut edges are navigation aids, not axioms, so OWL tools
            # (OAK, Protégé, reasoners) do not read them as relationships or restrictions of the class
            ("a", "owl:AnnotationProperty"),
            ("rdfs:label", [lit(en, "en"), lit(zh, "zh")]),
            ("obo:IAO_0000115", lit(definition + " Declared without domain or range on purpose.", "en")),
            ("t2dm:is_causal", lit(info["causal"])),
        ]
        if info["sign"] is not None:
            pairs.append(("t2dm:sign_value", lit(info["sign"])))
        pairs.extend(_mapping_pairs(cur, rel))
        out.append(block(t(rel), pairs))
    out.append("".join(f"{a} a owl:AnnotationProperty .\n" for a in OTHER_ANNOTATIONS))
    return "\n".join(out)


def _support_classes() -> str:
    classes = {
        "Claim": ("claim", "论断", "One atomic statement of the review: a subject, a relation and an object, with its evidence."),
        "Reference": ("cited reference", "参考文献", "A work in the review's reference list, known by its number."),
        "Publication": ("publication", "出版物", "A published document."),
    }
    out = []
    for local, (en, zh, definition) in classes.items():
        pairs = [("a", "owl:Class"), ("rdfs:label", [lit(en, "en"), lit(zh, "zh")]),
                 ("obo:IAO_0000115", lit(definition, "en"))]
        if local == "Reference":
            pairs.append(("rdfs:subClassOf", t("Publication")))
        out.append(block(t(local), pairs))
    out.append(block("[]", [("a", "owl:AllDisjointClasses"),
                            ("owl:members", f"( {t('Claim')} {t('Publication')} {t('Entity')} )")]))
    out.append(block(t("review"), [
        ("a", ["owl:NamedIndividual", t("Publication")]),
        ("rdfs:label", [lit("the source review", "en"), lit(REVIEW_TITLE, "zh")]),
        ("dcterms:title", lit(REVIEW_TITLE, "zh")),
        ("rdfs:comment", lit("A Chinese-language review of the pathogenesis of osteoporosis in type 2 "
                             "diabetes; its text is the source of every claim.", "en")),
    ]))
    return "\n".join(out)


def _entities(cur: Curation) -> str:
    xrefs: dict[str, set[str]] = defaultdict(set)
    for m in cur.mappings:
        if m.predicate in XREF_PREDICATES:
            xrefs[m.subject].add(m.object_id)
    tops = [e.id for e in cur.categories if e.parents == ("Entity",)]
    out = []
    for e in cur.all_entities:
        pairs: list[tuple[str, list[str] | str]] = [
            ("a", ["owl:Class", "owl:NamedIndividual"]),
            ("rdfs:subClassOf", [t(p) for p in e.parents]),
            *_labels(e),
        ]
        if e.members:
            pairs.append(("t2dm:has_member", [t(m) for m in e.members]))
        if e.related:
            pairs.append(("skos:related", [t(m) for m in e.related]))
        if e.located_in:
            pairs.append(("t2dm:located_in", [t(m) for m in e.located_in]))
        if e.is_category:
            pairs.append(("t2dm:is_category", lit(True)))
        if e.bone is not None:
            pairs.append(("t2dm:bone_polarity", lit(e.bone)))
        pairs.extend(_mapping_pairs(cur, e.id))
        if xrefs.get(e.id):
            pairs.append(("oboInOwl:hasDbXref", [lit(o) for o in sorted(xrefs[e.id])]))
        out.append(block(t(e.id), pairs))
    members = " ".join(t(x) for x in tops)
    out.append(block("[]", [("a", "owl:AllDisjointClasses"), ("owl:members", f"( {members} )")]))
    return "\n".join(out)


def _references(cur: Curation) -> str:
    out = []
    for r in sorted(cur.references, key=lambda r: r.number):
        label = f"reference [{r.number}] of the review"
        if r.first_author:
            label += f" ({r.first_author} et al.)"
        pairs: list[tuple[str, list[str] | str]] = [
            ("a", ["owl:NamedIndividual", t("Reference")]),
            ("rdfs:label", lit(label, "en")),
            ("t2dm:reference_number", lit(r.number)),
        ]
        if r.first_author:
            pairs.append(("t2dm:first_author", lit(r.first_author)))
        out.append(block(iri(ns.REF + str(r.number)), pairs))
    return "\n".join(out)


def claim_label(cl: Claim, ents: dict[str, Entity], lang: str) -> str:
    s, o = ents[cl.subject], ents[cl.object]
    if lang == "zh":
        return f"{s.zh} {REL_LABELS[cl.relation][1]} {o.zh}" + (f"（{cl.aspect}）" if cl.aspect else "")
    return f"{s.en} {REL_LABELS[cl.relation][0]} {o.en}" + (f" ({cl.aspect})" if cl.aspect else "")


def _claims(cur: Curation) -> str:
    ents = {e.id: e for e in cur.all_entities}
    out = []
    for cl in cur.claims:
        pairs: list[tuple[str, list[str] | str]] = [
            ("a", ["owl:NamedIndividual", t("Claim")]),
            ("rdfs:label", [lit(claim_label(cl, ents, "en"), "en"), lit(claim_label(cl, ents, "zh"), "zh")]),
            ("t2dm:has_subject", t(cl.subject)),
            ("t2dm:has_relation", t(cl.relation)),
            ("t2dm:has_object", t(cl.object)),
        ]
        if cl.aspect:
            pairs.append(("t2dm:aspect", lit(cl.aspect)))
        pairs += [
            ("t2dm:section", lit(cl.section)),
            ("t2dm:cites", [iri(ns.REF + str(r)) for r in cl.refs]),
            ("t2dm:quote_zh", lit(cl.quote, "zh")),
            ("t2dm:statement_en", lit(cl.statement, "en")),
            ("t2dm:evidence", iri(ns.curie_to_iri(cl.evidence))),
        ]
        for key in ("study", "population", "sex", "species", "detail"):
            value = getattr(cl, key)
            if value:
                pairs.append(("t2dm:study_type" if key == "study" else f"t2dm:{key}", lit(value)))
        if cl.species and cl.species in cur.species:
            pairs.append(("t2dm:in_taxon", curie_iri(cur.species[cl.species], cur.curie_map)))
        if cl.context:
            pairs.append(("t2dm:in_context", [t(x) for x in cl.context]))
        pairs.append(("prov:wasDerivedFrom", t("review")))
        out.append(block(c(cl), pairs))
    return "\n".join(out)


def _shortcuts(cur: Curation) -> str:
    edges = sorted({(cl.subject, cl.relation, cl.object) for cl in cur.claims})
    return "".join(f"{t(s)} {t(r)} {t(o)} .\n" for s, r, o in edges)


def render_import(cur: Curation) -> str:
    """The import module: every external term used, with its official label and verified parents.

    Written from ``mappings/external_terms.tsv`` (labels copied from the reference
    table, parents from the source ontologies' own releases), so a user without GO or
    ChEBI still sees each term named and placed, and a user with them gets a join.
    """
    header = block(f"<{IMPORT_IRI}>", [
        ("a", "owl:Ontology"),
        ("owl:versionIRI", f"<{T2}releases/{VERSION}/imports/t2dm_op_import.owl>"),
        ("owl:versionInfo", lit(VERSION)),
        ("dcterms:title", lit("External terms used by the t2dm-onto ontology", "en")),
        ("dcterms:description", lit(
            "Every term of another ontology or vocabulary that t2dm-onto maps to or uses (GO, ChEBI, HGNC, "
            "CL, UBERON, MONDO, DOID, HP, OBA, EFO, MeSH, DrugBank, ECO, RO, Biolink, NCBITaxon...), with its "
            "official label and, where a source release confirmed an is_a link, its parents up to the root. "
            "Generated by `t2dm-onto build` from mappings/external_terms.tsv; do not edit by hand.", "en")),
        ("dcterms:license", "<https://creativecommons.org/licenses/by/4.0/>"),
        ("dcterms:source", f"<{ns.ONTOLOGY_IRI}>"),
    ])
    out = [header, "oboInOwl:id a owl:AnnotationProperty .\n"]
    for curie in sorted(cur.external, key=lambda c: (c.split(":", 1)[0].lower(), c)):
        term = cur.external[curie]
        kind = KIND_IRIS[term.kind]
        pairs: list[tuple[str, list[str] | str]] = [("a", kind), ("rdfs:label", lit(term.label))]
        if term.parents:
            link = "rdfs:subClassOf" if term.kind == "class" else "rdfs:subPropertyOf"
            pairs.append((link, [curie_iri(p, cur.curie_map) for p in term.parents]))
        pairs.append(("oboInOwl:id", lit(curie)))
        out.append(block(curie_iri(curie, cur.curie_map), pairs))
    return "".join([
        "# t2dm-onto import module. GENERATED by `t2dm-onto build` from mappings/: do not edit by hand.\n",
        prefixes(), "\n", "\n".join(out),
    ])


def render(root: Path) -> str:
    """The ontology as Turtle text, built from the tables under ``root``."""
    cur = load(root)
    _check_mapping_subjects(cur)
    sections = [
        ("# t2dm-onto ontology. GENERATED by `t2dm-onto build` from curation/ and mappings/: do not edit by hand.\n", ""),
        (prefixes(), ""),
        (_header(), "Ontology header"),
        (_properties(cur), "Properties"),
        (_support_classes(), "Claim, reference and publication classes"),
        (_entities(cur), "Categories and entities"),
        (_references(cur), "References of the review"),
        (_claims(cur), "Claims (one node per atomic claim)"),
        (_shortcuts(cur), "Shortcut edges derived from the claims"),
    ]
    parts = []
    for text, title in sections:
        if title:
            parts.append(f"\n#### {title} ####\n\n")
        parts.append(text)
    return "".join(parts)


def write_atomic(path: Path, text: str) -> None:
    """Write through a temporary file and rename, so a failed run leaves the old file intact."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def outputs(root: Path) -> dict[Path, str]:
    """Every generated file (path under ``root``) with its text: the ontology and its import module."""
    return {root / "ontology" / "t2dm_op.ttl": render(root), root / IMPORT_PATH: render_import(load(root))}


def build(root: Path, out: Path | None = None) -> Path:
    """Rebuild the ontology file and its import module; returns the ontology's path."""
    files = outputs(root)
    target = out or root / "ontology" / "t2dm_op.ttl"
    for path, text in files.items():
        write_atomic(target if path.name == "t2dm_op.ttl" else path, text)
    return target


if __name__ == "__main__":  # pragma: no cover
    from .resources import repo_root

    repo = repo_root()
    if repo is None:
        sys.exit("build needs a source checkout with curation/")
    print(build(repo))
