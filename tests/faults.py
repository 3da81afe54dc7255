"""Fault injection: mutation operators on the knowledge base graph.

Each operator damages a copy of the shipped ontology at ``TARGETS`` randomly
chosen places (a seeded ``random.Random``) and returns the nodes that
``validate`` must name, as CURIEs. Operators that only an OWL reasoner can see
set ``reasoner=True``. The catch-rate test applies every operator and requires
each damaged node to be reported.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

import rdflib

T = rdflib.Namespace("https://w3id.org/t2dm-onto/")
CLAIM = rdflib.Namespace("https://w3id.org/t2dm-onto/claim/")
REF = rdflib.Namespace("https://w3id.org/t2dm-onto/ref/")
OBO = rdflib.Namespace("http://purl.obolibrary.org/obo/")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
OIO = rdflib.Namespace("http://www.geneontology.org/formats/oboInOwl#")
RDF, RDFS, OWL, XSD = rdflib.RDF, rdflib.RDFS, rdflib.OWL, rdflib.XSD
ONTOLOGY = rdflib.URIRef("https://w3id.org/t2dm-onto/t2dm_op.owl")
TARGETS = 3  # damaged places per operator


def curie(node: rdflib.term.Node) -> str:
    text = str(node)
    for prefix, ns in (("claim", CLAIM), ("ref", REF), ("t2dm", T)):
        if text.startswith(str(ns)):
            return f"{prefix}:{text[len(str(ns)):]}"
    return text


@dataclass(frozen=True)
class Operator:
    name: str
    apply: Callable[[rdflib.Graph, random.Random], list[str]]
    reasoner: bool = False


# -- picking targets ------------------------------------------------------------
def claims(g: rdflib.Graph, where: Callable[[rdflib.URIRef], bool] = lambda c: True) -> list[rdflib.URIRef]:
    return sorted(c for c in g.subjects(RDF.type, T.Claim) if where(c))


def entities(g: rdflib.Graph) -> list[rdflib.URIRef]:
    """Entity classes that are not grouping categories."""
    out = set()
    for c in g.subjects(RDF.type, OWL.Class):
        if isinstance(c, rdflib.URIRef) and str(c).startswith(str(T)) and (c, T.is_category, rdflib.Literal(True)) not in g \
                and (c, RDFS.subClassOf, None) in g and (c, OBO.IAO_0000115, None) in g:
            out.add(c)
    return sorted(out)


def pick(rng: random.Random, pool: list, k: int = TARGETS) -> list:
    assert len(pool) >= k, "not enough targets for this operator"
    return rng.sample(pool, k)


def drop(g: rdflib.Graph, s, p) -> None:
    for o in list(g.objects(s, p)):
        g.remove((s, p, o))


def replace(g: rdflib.Graph, s, p, o) -> None:
    drop(g, s, p)
    g.add((s, p, o))


def on_claims(mutate: Callable[[rdflib.Graph, rdflib.URIRef], None],
              where: Callable[[rdflib.Graph, rdflib.URIRef], bool] = lambda g, c: True):
    def apply(g: rdflib.Graph, rng: random.Random) -> list[str]:
        targets = pick(rng, claims(g, lambda c: where(g, c)))
        for c in targets:
            mutate(g, c)
        return [curie(c) for c in targets]
    return apply


def on_entities(mutate: Callable[[rdflib.Graph, rdflib.URIRef, random.Random], None]):
    def apply(g: rdflib.Graph, rng: random.Random) -> list[str]:
        targets = pick(rng, entities(g))
        for e in targets:
            mutate(g, e, rng)
        return [curie(e) for e in targets]
    return apply


def cites(g, c) -> bool:
    return (c, T.cites, None) in g


def traceable(g, c) -> bool:
    """Cites references under ECO:0000304 (a curator's inference, ECO:0000305, may cite or not)."""
    return cites(g, c) and (c, T.evidence, OBO.ECO_0000304) in g


# -- claim operators -----------------------------------------------------------------
def alter_quote(g, c):
    quote = str(g.value(c, T.quote_zh))
    mid = len(quote) // 2
    replace(g, c, T.quote_zh, rdflib.Literal(quote[:mid] + "不" + quote[mid:], lang="zh"))


def swap_relation(g, c):
    r = g.value(c, T.has_relation)
    swapped = {T.increases: T.decreases, T.decreases: T.increases,
               T.positively_correlated_with: T.negatively_correlated_with,
               T.negatively_correlated_with: T.positively_correlated_with,
               T.associated_with: T.no_association, T.no_association: T.associated_with}[r]
    replace(g, c, T.has_relation, swapped)


def duplicate(g, c):
    copy = rdflib.URIRef(str(c) + "_copy")
    for p, o in list(g.predicate_objects(c)):
        g.add((copy, p, o))


def drop_reference(g, c):
    ref = sorted(g.objects(c, T.cites))[0]
    for t in list(g.triples((ref, None, None))):
        g.remove(t)


def section_as_integer(g, c):
    replace(g, c, T.section, rdflib.Literal(2, datatype=XSD.integer))


def subject_undeclared(g, c):
    replace(g, c, T.has_subject, T["Undeclared_" + str(c).rsplit("/", 1)[-1]])


def object_undeclared(g, c):
    replace(g, c, T.has_object, T["Undeclared_" + str(c).rsplit("/", 1)[-1]])


def subject_literal(g, c):
    replace(g, c, T.has_subject, rdflib.Literal(str(g.value(c, T.has_subject)).rsplit("/", 1)[-1]))


def two_subjects(g, c):
    other = T.IL6 if g.value(c, T.has_subject) != T.IL6 else T.ROS
    g.add((c, T.has_subject, other))


def drop_shortcut(g, c):
    g.remove((g.value(c, T.has_subject), g.value(c, T.has_relation), g.value(c, T.has_object)))


CLAIM_OPERATORS = [
    Operator("drop the quote", on_claims(lambda g, c: drop(g, c, T.quote_zh))),
    Operator("alter the quote", on_claims(alter_quote)),
    Operator("quote tagged @en", on_claims(lambda g, c: replace(g, c, T.quote_zh, rdflib.Literal(str(g.value(c, T.quote_zh)), lang="en")))),
    Operator("drop the English statement", on_claims(lambda g, c: drop(g, c, T.statement_en))),
    Operator("swap the relation", on_claims(swap_relation)),
    Operator("relation outside the set", on_claims(lambda g, c: replace(g, c, T.has_relation, T.inhibits))),
    Operator("subject not declared", on_claims(subject_undeclared)),
    Operator("object not declared", on_claims(object_undeclared)),
    Operator("subject is a literal", on_claims(subject_literal)),
    Operator("two subjects", on_claims(two_subjects)),
    Operator("duplicate the claim", on_claims(duplicate)),
    Operator("drop a cited reference", on_claims(drop_reference, cites)),
    Operator("cite reference 99", on_claims(lambda g, c: g.add((c, T.cites, REF["99"])))),
    Operator("section not in the review", on_claims(lambda g, c: replace(g, c, T.section, rdflib.Literal("4.2")))),
    Operator("section as an integer", on_claims(section_as_integer)),
    Operator("ECO:0000304 without references", on_claims(lambda g, c: drop(g, c, T.cites), traceable)),
    Operator("evidence not an ECO code we use", on_claims(lambda g, c: replace(g, c, T.evidence, OBO.ECO_0000000))),
    Operator("study type outside the set", on_claims(lambda g, c: replace(g, c, T.study_type, rdflib.Literal("anecdote")))),
    Operator("drop the shortcut edge", on_claims(drop_shortcut)),
    Operator("not derived from the review", on_claims(lambda g, c: drop(g, c, PROV.wasDerivedFrom))),
    Operator("drop the claim's type", on_claims(lambda g, c: g.remove((c, RDF.type, T.Claim)))),
]


# -- entity operators ----------------------------------------------------------------------
def second_en_label(g, e, rng):
    g.add((e, RDFS.label, rdflib.Literal(f"another name {rng.randrange(10**6)}", lang="en")))


def drop_zh_label(g, e, rng):
    for o in list(g.objects(e, RDFS.label)):
        if o.language == "zh":
            g.remove((e, RDFS.label, o))


def hierarchy_cycle(g, e, rng):
    child = rdflib.URIRef(str(e) + "_Child")
    g.add((child, RDF.type, OWL.Class))
    g.add((child, RDFS.subClassOf, e))
    g.add((e, RDFS.subClassOf, child))  # e < child < e


def second_category(g, e, rng):
    category = T.DrugOrTherapy if T.GeneOrProtein in set(g.transitive_objects(e, RDFS.subClassOf)) else T.GeneOrProtein
    g.add((e, RDFS.subClassOf, category))


def mistyped_curie(g, e, rng):
    g.add((e, OIO.hasDbXref, rdflib.Literal(rng.choice(["HGNC11926", "GO:", "chebi 6801", ":0001503", "GO:0001503 "]))))


def drop_definition(g, e, rng):
    drop(g, e, OBO.IAO_0000115)


def unsatisfiable(g, e, rng):
    parent = sorted(g.objects(e, RDFS.subClassOf))[0]
    g.add((e, OWL.disjointWith, parent))  # a subclass disjoint with its own parent has no instance


ENTITY_OPERATORS = [
    Operator("second @en label", on_entities(second_en_label)),
    Operator("drop the @zh label", on_entities(drop_zh_label)),
    Operator("class hierarchy cycle", on_entities(hierarchy_cycle)),
    Operator("two disjoint categories", on_entities(second_category)),
    Operator("mistyped CURIE in a xref", on_entities(mistyped_curie)),
    Operator("drop the definition", on_entities(drop_definition)),
    Operator("unsatisfiable class", on_entities(unsatisfiable), reasoner=True),
]


# -- reference, relation and header operators ---------------------------------------------
def refs(g) -> list[rdflib.URIRef]:
    return sorted(g.subjects(RDF.type, T.Reference))


def on_refs(mutate):
    def apply(g, rng):
        targets = pick(rng, [r for r in refs(g) if (None, T.cites, r) in g])
        for r in targets:
            mutate(g, r)
        return [curie(r) for r in targets]
    return apply


def relation_sign(g, rng):
    targets = pick(rng, [T.increases, T.decreases, T.positively_correlated_with, T.negatively_correlated_with])
    for r in targets:
        value = int(g.value(r, T.sign_value))
        replace(g, r, T.sign_value, rdflib.Literal(-value))
    return [curie(r) for r in targets]


def header(p):
    def apply(g, rng):
        drop(g, ONTOLOGY, p)
        return [curie(ONTOLOGY)]
    return apply


OTHER_OPERATORS = [
    Operator("reference number out of range", on_refs(lambda g, r: replace(g, r, T.reference_number, rdflib.Literal(99)))),
    Operator("reference number as a string", on_refs(lambda g, r: replace(g, r, T.reference_number, rdflib.Literal(str(g.value(r, T.reference_number)))))),
    Operator("relation with the wrong sign", relation_sign),
    Operator("drop the versionIRI", header(OWL.versionIRI)),
    Operator("drop the license", header(rdflib.URIRef("http://purl.org/dc/terms/license"))),
]

OPERATORS = CLAIM_OPERATORS + ENTITY_OPERATORS + OTHER_OPERATORS
