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
from . import schema_outputs
from .curation import Claim, Curation, Entity, has_cjk, load
from .errors import InputError
from .schema import ClaimField, Schema
from .turtle import block, iri, lit, prefixes

VERSION = "2026-11-26"
TITLE_EN = "Ontology of the mechanisms linking type 2 diabetes mellitus and osteoporosis"
TITLE_ZH = "2型糖尿病合并骨质疏松症发病机制本体"
REVIEW_TITLE = "2型糖尿病合并骨质疏松症发病机制"

IMPORT_IRI = ns.BASE + "imports/t2dm_op_import.owl"
IMPORT_PATH = Path("ontology") / "imports" / "t2dm_op_import.ttl"
#: Mapping predicates that also give an oboInOwl:hasDbXref: a database cross-reference
#: is read as "the same thing" by most tools, so broader and narrower terms get none.
XREF_PREDICATES = ("skos:exactMatch", "skos:closeMatch")
KIND_IRIS = {"class": "owl:Class", "object property": "owl:ObjectProperty",
             "annotation property": "owl:AnnotationProperty"}

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
    known = {e.id for e in cur.all_entities} | {r.name for r in cur.schema.relations} | {
        p.name for p in cur.schema.properties}
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


def _class_or_curie(name: str) -> str:
    """A schema's domain or range: ``xsd:integer`` as it is, a bare name as a t2dm: class."""
    return name if ":" in name else t(name)


def _properties(cur: Curation) -> str:
    out = []
    for prop in cur.schema.properties:
        types = [prop.kind] + (["owl:FunctionalProperty"] if prop.functional else [])
        pairs: list[tuple[str, list[str] | str]] = [
            ("a", types),
            ("rdfs:label", [lit(prop.en, "en"), lit(prop.zh, "zh")]),
            ("obo:IAO_0000115", lit(prop.definition, "en")),
        ]
        if prop.domain:
            pairs.append(("rdfs:domain", _class_or_curie(prop.domain)))
        if prop.range:
            pairs.append(("rdfs:range", _class_or_curie(prop.range)))
        pairs.extend(_mapping_pairs(cur, prop.name))
        out.append(block(t(prop.name), pairs))
    for rel in cur.schema.relations:
        pairs = [
            # an annotation property: the shortcut edges are navigation aids, not axioms, so OWL tools
            # (OAK, Protégé, reasoners) do not read them as relationships or restrictions of the class
            ("a", "owl:AnnotationProperty"),
            ("rdfs:label", [lit(rel.en, "en"), lit(rel.zh, "zh")]),
            ("obo:IAO_0000115", lit(rel.definition + " Declared without domain or range on purpose.", "en")),
            ("t2dm:is_causal", lit(rel.causal)),
        ]
        if rel.sign is not None:
            pairs.append(("t2dm:sign_value", lit(rel.sign)))
        pairs.extend(_mapping_pairs(cur, rel.name))
        out.append(block(t(rel.name), pairs))
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


def claim_label(cl: Claim, ents: dict[str, Entity], lang: str, schema: Schema) -> str:
    s, o, rel = ents[cl.subject], ents[cl.object], schema.relation(cl.relation)
    if lang == "zh":
        return f"{s.zh} {rel.zh} {o.zh}" + (f"（{cl.aspect}）" if cl.aspect else "")
    return f"{s.en} {rel.en} {o.en}" + (f" ({cl.aspect})" if cl.aspect else "")


def _field_objects(f: ClaimField, value: object) -> list[str]:
    """The Turtle objects a claim field's value is written as, by its schema datatype."""
    if value is None:
        return []
    writers = {
        "entity": lambda v: [t(v)], "relation": lambda v: [t(v)], "entities": lambda v: [t(x) for x in v],
        "references": lambda v: [iri(ns.REF + str(r)) for r in v],
        "quote": lambda v: [lit(v, "zh")], "statement": lambda v: [lit(v, "en")],
        "evidence": lambda v: [iri(ns.curie_to_iri(v))],
    }
    return writers.get(f.datatype, lambda v: [lit(v)])(value)


def _claims(cur: Curation) -> str:
    ents = {e.id: e for e in cur.all_entities}
    out = []
    for cl in cur.claims:
        pairs: list[tuple[str, list[str] | str]] = [
            ("a", ["owl:NamedIndividual", t("Claim")]),
            ("rdfs:label", [lit(claim_label(cl, ents, lang, cur.schema), lang) for lang in ("en", "zh")]),
        ]
        for f in cur.schema.claim_fields:
            if f.property is None:
                continue
            if f.property == "in_context" and cl.species and cl.species in cur.species:
                # the taxon is derived from the species: written after the literal fields, before the sites
                pairs.append(("t2dm:in_taxon", curie_iri(cur.species[cl.species], cur.curie_map)))
            pairs.append((f"t2dm:{f.property}", _field_objects(f, getattr(cl, f.attribute))))
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
    return _render(load(root))


def _render(cur: Curation) -> str:
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


def _curated_outputs(root: Path) -> dict[Path, str]:
    """The files written from the curation tables alone: the ontology, its import module, and what
    ``curation/schema.yaml`` writes (the shapes' generated regions, CURATION.md's tables, vocabulary.json)."""
    cur = load(root)
    return {root / "ontology" / "t2dm_op.ttl": _render(cur), root / IMPORT_PATH: render_import(cur),
            **schema_outputs.outputs(root, cur.schema, cur.mappings)}


def _chain_queries(root: Path) -> dict[Path, str]:
    """The SPARQL of the chain queries (:func:`t2dm_onto.paths.query_files`).

    paths.py reads the relations' signs from vocabulary.json when imported, so the
    builder asks for these only once that file is the one the schema gives.
    """
    from .paths import query_files

    return query_files(root / "queries")


def build(root: Path, out: Path | None = None) -> Path:
    """Rebuild the generated files; returns the ontology's path.

    The files the curation tables give are written first, vocabulary.json among
    them, so a stale or broken copy of it never decides the chain queries written
    after them (the builder itself never reads it).
    """
    target = out or root / "ontology" / "t2dm_op.ttl"
    for files in (_curated_outputs, _chain_queries):
        for path, text in files(root).items():
            write_atomic(target if path.name == "t2dm_op.ttl" else path, text)
    return target


def stale_outputs(root: Path) -> list[Path]:
    """The generated files (see :func:`build`) that are missing or differ from what the curation tables give.

    When vocabulary.json itself is stale, the chain queries are not compared: they
    would be generated from the stale copy, and the check fails on it anyway.
    """
    curated = _curated_outputs(root)
    stale = [path for path, text in curated.items() if not path.exists() or path.read_text(encoding="utf-8") != text]
    if any(path.name == "vocabulary.json" for path in stale):
        return stale
    return stale + [path for path, text in _chain_queries(root).items()
                    if not path.exists() or path.read_text(encoding="utf-8") != text]


if __name__ == "__main__":  # pragma: no cover
    from .resources import repo_root

    repo = repo_root()
    if repo is None:
        sys.exit("build needs a source checkout with curation/")
    print(build(repo))
