"""Generate knowledge bases of the project's schema at any size, for benchmarks.

Usage: python benchmarks/synthetic.py --claims 100000 [--seed 7] -o kb-100000.nt

The output is one N-Triples file holding the whole shipped knowledge base (its
251 entities, 368 claims, 66 references, header and properties) plus synthetic
entities and claims up to ``--claims`` claims in all, as a merge of the review
with many more papers would look:

- entities: one synthetic entity per five claims, spread over the twelve top
  categories in the review's proportions, each a subclass of a real class of
  its category or of an earlier synthetic one (trees a few levels deep, as
  imported ontologies bring), with English and Chinese labels, a synonym, a
  definition; a few are new bone outcomes (``t2dm:bone_polarity``) and new
  pathways with members;
- claims: subject and object drawn from a Zipf law over entity popularity
  (exponent 0.8: a few hubs with thousands of claims, a long tail with one or
  two), the real entities spread evenly through the ranking so that RANKL,
  hyperglycaemia or BMD keep answering the canned queries' examples at every
  size; relations in the review's proportions; section, aspect, study type,
  population, sex, species, detail and context drawn like the review's; zero
  to three references among the review's 66 (the shapes allow no others), with
  the ECO code that matches; a quote copied from a real claim (so the verbatim
  check passes too) and an English statement; the derived shortcut edge.

Everything is drawn from one ``random.Random(seed)``: same seed and size, same
file byte for byte. The file is valid under ``shapes/t2dm_op.shapes.ttl``
(tests/test_synthetic.py validates the 10^3 graph with the shipped validator).
It is written line by line, so 10^6 claims (about 17 million triples, 2.5 GB)
need little memory.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from t2dm_onto.namespaces import ASPECTS, BASE, CLAIM, OBO, OWL, PROV, RDF, RDFS, REF, SECTIONS, SKOS, XSD
from t2dm_onto.outputs import atomic_output
from t2dm_onto.resources import ontology_file
from t2dm_onto.turtle import escape

#: Relations and their share among the review's claims (193, 103, 15, 3, 48, 6 of 368).
RELATION_WEIGHTS = {"increases": 193, "decreases": 103, "positively_correlated_with": 15,
                    "negatively_correlated_with": 3, "associated_with": 48, "no_association": 6}
ZIPF_EXPONENT = 0.8
CLAIMS_PER_ENTITY = 5
POPULATIONS = ("T2DM patients", "postmenopausal women", "elderly T2DM patients", "obese T2DM patients",
               "men with T2DM", "adolescents with T2DM")
STUDY = ("in_vitro", "cell_line", "animal", "human_observational", "clinical_study",
         "randomised_controlled_trial", "meta_analysis")
CATEGORY_ZH = {
    "AnatomicalEntity": "解剖结构", "BiologicalProcess": "生物过程", "CellType": "细胞", "ChemicalEntity": "化学物质",
    "DiseaseOrDisorder": "疾病", "DrugOrTherapy": "药物", "GeneOrProtein": "基因", "Hormone": "激素",
    "LifestyleOrAnthropometricFactor": "生活方式因素", "Measurement": "指标", "PhenotypicFeature": "表型",
    "SignallingPathway": "通路",
}

_ENTITIES_QUERY = """
PREFIX t2dm: <https://w3id.org/t2dm-onto/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?e ?top ?en ?zh (BOUND(?cat) AS ?is_category) WHERE {
  ?e rdfs:subClassOf* ?top . ?top rdfs:subClassOf t2dm:Entity .
  ?e rdfs:label ?en . FILTER (LANG(?en) = "en")
  ?e rdfs:label ?zh . FILTER (LANG(?zh) = "zh")
  OPTIONAL { ?e t2dm:is_category ?cat }
} ORDER BY ?e
"""
_CLAIM_KEYS_QUERY = """
PREFIX t2dm: <https://w3id.org/t2dm-onto/>
SELECT ?s ?r ?o ?sec ?a ?p ?x ?d WHERE {
  ?c t2dm:has_subject ?s ; t2dm:has_relation ?r ; t2dm:has_object ?o ; t2dm:section ?sec .
  OPTIONAL { ?c t2dm:aspect ?a } OPTIONAL { ?c t2dm:population ?p }
  OPTIONAL { ?c t2dm:sex ?x } OPTIONAL { ?c t2dm:detail ?d }
}
"""
_QUOTES_QUERY = """
PREFIX t2dm: <https://w3id.org/t2dm-onto/>
SELECT DISTINCT ?q WHERE { ?c t2dm:quote_zh ?q } ORDER BY ?q
"""


@dataclass
class Entity:
    iri: str
    top: str  # local name of the top category
    en: str
    zh: str
    is_category: bool = False


def _iri(value: str) -> str:
    return f"<{value}>"


def _lit(text: str, lang: str | None = None) -> str:
    return f'"{escape(text)}"@{lang}' if lang else f'"{escape(text)}"'


def _int(value: int) -> str:
    return f'"{value}"^^<{XSD}integer>'


class Generator:
    """Synthetic entities and claims over the real knowledge base, all drawn from one seeded RNG."""

    def __init__(self, claims: int, seed: int = 7, ontology: Path | None = None) -> None:
        self.total_claims = claims
        self.seed = seed
        self.rng = random.Random(seed)
        self.ontology = Path(ontology or ontology_file())
        self.store = ox.Store()
        self.store.bulk_load(path=str(self.ontology), format=ox.RdfFormat.TURTLE)
        self.real = [
            Entity(s["e"].value, s["top"].value[len(BASE):], s["en"].value, s["zh"].value,
                   s["is_category"].value == "true")
            for s in self.store.query(_ENTITIES_QUERY)
        ]
        self.quotes = [str(s["q"]) for s in self.store.query(_QUOTES_QUERY)]
        self.real_claims = sum(1 for _ in self.store.quads_for_pattern(
            None, ox.NamedNode(RDF + "type"), ox.NamedNode(BASE + "Claim"), None))
        self.n_synthetic_claims = max(0, claims - self.real_claims)

    # -- entities -----------------------------------------------------------------
    def _entities(self) -> list[Entity]:
        """Synthetic entities, each with its parent, in creation order."""
        rng = self.rng
        by_top: dict[str, list[Entity]] = {}
        for e in self.real:
            by_top.setdefault(e.top, []).append(e)
        tops = sorted(by_top)
        weights = [len(by_top[t]) for t in tops]
        n = self.n_synthetic_claims // CLAIMS_PER_ENTITY
        self.parents: dict[str, str] = {}
        synthetic: dict[str, list[Entity]] = {t: [] for t in tops}
        out = []
        for i, top in enumerate(rng.choices(tops, weights=weights, k=n)):
            word = top[0].lower() + "".join(f" {c.lower()}" if c.isupper() else c for c in top[1:])
            e = Entity(f"{BASE}SYN_{top}_{i:07d}", top, f"synthetic {word} {i}", f"合成{CATEGORY_ZH[top]}{i}")
            pool = synthetic[top] if synthetic[top] and rng.random() < 0.5 else by_top[top]
            self.parents[e.iri] = rng.choice(pool).iri
            synthetic[top].append(e)
            out.append(e)
        return out

    def _ranking(self, synthetic: list[Entity]) -> list[Entity]:
        """Entities by popularity: synthetic ones shuffled, the real ones spread evenly among them."""
        rng = self.rng
        real = [e for e in self.real if not e.is_category]
        rng.shuffle(real)
        ranked = list(synthetic)
        rng.shuffle(ranked)
        total = len(ranked) + len(real)
        for j, e in enumerate(real):
            ranked.insert(min(len(ranked), int((j + 0.5) * total / len(real))), e)
        return ranked

    def entity_triples(self, synthetic: list[Entity]) -> Iterator[str]:
        rng = self.rng
        genes = [e for e in itertools.chain(self.real, synthetic) if e.top == "GeneOrProtein" and not e.is_category]
        for e in synthetic:
            s = _iri(e.iri)
            yield f"{s} <{RDF}type> <{OWL}Class> ."
            yield f"{s} <{RDF}type> <{OWL}NamedIndividual> ."
            yield f"{s} <{RDFS}subClassOf> {_iri(self.parents[e.iri])} ."
            yield f"{s} <{RDFS}label> {_lit(e.en, 'en')} ."
            yield f"{s} <{RDFS}label> {_lit(e.zh, 'zh')} ."
            yield f"{s} <{SKOS}altLabel> {_lit('SYN' + e.iri.rsplit('_', 1)[1], 'en')} ."
            yield (f"{s} <{OBO}IAO_0000115> "
                   f"{_lit(f'A synthetic {e.top} generated for benchmarks (seed {self.seed}).', 'en')} .")
            if e.top in ("Measurement", "PhenotypicFeature") and rng.random() < 0.05:
                yield f"{s} <{BASE}bone_polarity> {_int(rng.choice((1, -1)))} ."
            if e.top == "SignallingPathway":
                for member in rng.sample(genes, k=min(len(genes), rng.randint(2, 4))):
                    yield f"{s} <{BASE}has_member> {_iri(member.iri)} ."

    # -- claims -------------------------------------------------------------------
    def claim_triples(self, ranked: list[Entity]) -> Iterator[str]:
        rng = self.rng
        cum = list(itertools.accumulate((r + 1) ** -ZIPF_EXPONENT for r in range(len(ranked))))
        total = cum[-1]
        relations = list(RELATION_WEIGHTS)
        rel_cum = list(itertools.accumulate(RELATION_WEIGHTS.values()))
        contexts = [e for e in self.real if e.top in ("CellType", "AnatomicalEntity") and not e.is_category]
        seen = {tuple(None if row[i] is None else row[i].value for i in range(8))
                for row in self.store.query(_CLAIM_KEYS_QUERY)}
        seen = {(k[0], k[1][len(BASE):], *k[2:]) for k in seen}
        ref_order = list(range(1, 67))
        rng.shuffle(ref_order)
        ref_cum = list(itertools.accumulate(1 / (r + 1) for r in range(len(ref_order))))
        labels = {"increases": ("increases", "增加"), "decreases": ("decreases", "降低"),
                  "positively_correlated_with": ("is positively correlated with", "正相关于"),
                  "negatively_correlated_with": ("is negatively correlated with", "负相关于"),
                  "associated_with": ("is associated with", "相关于"),
                  "no_association": ("has no association with", "无关联于")}

        def pick() -> Entity:
            return ranked[bisect.bisect_left(cum, rng.random() * total)]

        for i in range(self.n_synthetic_claims):
            subj = pick()
            obj = pick()
            while obj.iri == subj.iri:
                obj = pick()
            rel = relations[bisect.bisect_left(rel_cum, rng.random() * rel_cum[-1])]
            section = rng.choice(SECTIONS)
            aspect = rng.choice(ASPECTS) if rng.random() < 0.5 else None
            study = rng.choice(STUDY) if rng.random() < 0.4 else "not_stated"  # the shapes require one per claim
            population = rng.choice(POPULATIONS) if rng.random() < 0.2 else None
            sex = rng.choice(("female", "male")) if rng.random() < 0.1 else None
            species = rng.choice(("human", "rat", "mouse")) if rng.random() < 0.15 else None
            detail = f"cohort {rng.randint(1, 999)}" if rng.random() < 0.1 else None
            context = rng.choice(contexts) if contexts and rng.random() < 0.1 else None
            key = (subj.iri, rel, obj.iri, section, aspect, population, sex, detail)
            if key in seen:  # the shapes forbid two identical claims in one section: tell them apart
                detail = f"claim {i}"
                key = (*key[:-1], detail)
            seen.add(key)
            refs = sorted({ref_order[bisect.bisect_left(ref_cum, rng.random() * ref_cum[-1])]
                           for _ in range(rng.choice((0, 1, 1, 2, 3)))})
            c = _iri(f"{CLAIM}SYN_{i:07d}")
            en, zh = labels[rel]
            yield f"{c} <{RDF}type> <{OWL}NamedIndividual> ."
            yield f"{c} <{RDF}type> <{BASE}Claim> ."
            yield f"{c} <{RDFS}label> {_lit(f'{subj.en} {en} {obj.en}', 'en')} ."
            yield f"{c} <{RDFS}label> {_lit(f'{subj.zh} {zh} {obj.zh}', 'zh')} ."
            yield f"{c} <{BASE}has_subject> {_iri(subj.iri)} ."
            yield f"{c} <{BASE}has_relation> <{BASE}{rel}> ."
            yield f"{c} <{BASE}has_object> {_iri(obj.iri)} ."
            yield f"{c} <{BASE}section> {_lit(section)} ."
            yield f"{c} <{BASE}quote_zh> {rng.choice(self.quotes)} ."
            yield f"{c} <{BASE}statement_en> {_lit(f'{subj.en} {en} {obj.en} (synthetic claim {i}).', 'en')} ."
            yield f"{c} <{BASE}evidence> <{OBO}{'ECO_0000304' if refs else 'ECO_0000303'}> ."
            yield f"{c} <{PROV}wasDerivedFrom> <{BASE}review> ."
            for n in refs:
                yield f"{c} <{BASE}cites> <{REF}{n}> ."
            for prop, value in (("aspect", aspect), ("study_type", study), ("population", population),
                                ("sex", sex), ("species", species), ("detail", detail)):
                if value is not None:
                    yield f"{c} <{BASE}{prop}> {_lit(value)} ."
            if context is not None:
                yield f"{c} <{BASE}in_context> {_iri(context.iri)} ."
            yield f"{_iri(subj.iri)} <{BASE}{rel}> {_iri(obj.iri)} ."

    def real_lines(self) -> Iterator[str]:
        """The shipped ontology's triples in file order, blank nodes renamed by first appearance."""
        bnodes: dict[str, str] = {}

        def term(t) -> str:
            if isinstance(t, ox.BlankNode):
                return bnodes.setdefault(t.value, f"_:b{len(bnodes)}")
            return str(t)

        for triple in ox.parse(path=str(self.ontology), format=ox.RdfFormat.TURTLE):
            yield f"{term(triple.subject)} {triple.predicate} {term(triple.object)} ."

    def lines(self) -> Iterator[str]:
        """Every triple of the knowledge base as an N-Triples line (without the newline)."""
        yield from self.real_lines()
        synthetic = self._entities()
        ranked = self._ranking(synthetic)
        yield from self.entity_triples(synthetic)
        yield from self.claim_triples(ranked)


def generate(path: str | Path, claims: int, seed: int = 7) -> Path:
    """Write the knowledge base with ``claims`` claims to ``path`` (N-Triples), atomically."""
    gen = Generator(claims, seed)
    with atomic_output(path) as tmp, open(tmp, "w", encoding="utf-8", buffering=1 << 20) as fh:
        for chunk in _batched(gen.lines(), 10000):
            fh.write("\n".join(chunk))
            fh.write("\n")
    return Path(path)


def _batched(it: Iterator[str], n: int) -> Iterator[list[str]]:
    while True:
        chunk = list(itertools.islice(it, n))
        if not chunk:
            return
        yield chunk


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, required=True, help="claims in all, the review's 368 included")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("-o", "--output", required=True, help="the N-Triples file to write")
    args = ap.parse_args(argv)
    generate(args.output, args.claims, args.seed)
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
