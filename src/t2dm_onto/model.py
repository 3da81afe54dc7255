"""The claim model: every entity and every claim of a knowledge base, read once from its store.

Why one model: the claim records (``t2dm-onto claims``), the statistics, the
exchange formats, the maps, the explained chains and the documentation pages
all describe the same entities and claims. Reading them once, here, with the
toolkit's own queries (``queries/internal/*.rq``), means they cannot disagree
and the store is asked once per knowledge base, not once per view.
:attr:`t2dm_onto.kb.KnowledgeBase.model` builds it on first use with
:func:`build`; everything else reads it.

The model is plain data: frozen dataclasses of strings and tuples, in a fixed
order (entities as the store lists them, claims by section then IRI), so every
output written from it is the same for the same store.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .catalog import internal
from .namespaces import N_REFERENCES, local_name, t2dm_name
from .sections import section_key
from .store import Backend

#: Separator of the multi-valued cells of the internal queries (a character no label contains).
SEP = "\u001f"
#: The mapping predicates of ``matches.rq``, strongest first.
MATCH_PREDICATES = ("exactMatch", "closeMatch", "narrowMatch", "broadMatch")


@dataclass(frozen=True)
class Entity:
    """A named thing of the review (a gene, a cell, a disease...) with its names and top category."""

    iri: str
    label: str
    label_zh: str | None
    category: str  # our top category's local name, e.g. "GeneOrProtein"
    synonyms: tuple[str, ...] = ()
    xrefs: tuple[str, ...] = ()

    @property
    def local(self) -> str:
        return local_name(self.iri)

    def view(self) -> dict[str, Any]:
        """The entity as a claim record shows its subject and object."""
        return {"iri": self.iri, "label": self.label, "label_zh": self.label_zh,
                "synonyms": list(self.synonyms), "xrefs": list(self.xrefs)}


@dataclass(frozen=True)
class Claim:
    """One sentence of the review as a signed statement: subject, relation, object, with its evidence."""

    iri: str
    subject: str  # IRI
    relation: str  # relation name, e.g. "increases"
    object: str  # IRI
    section: str
    quote_zh: str
    statement_en: str
    evidence: str  # ECO CURIE, e.g. "ECO:0000304"
    aspect: str | None = None
    references: tuple[int, ...] = ()
    study_type: str | None = None
    population: str | None = None
    sex: str | None = None
    species: str | None = None
    context_entities: tuple[str, ...] = ()  # IRIs of the cells, cell lines, sites it holds in
    detail: str | None = None

    @property
    def local(self) -> str:
        """``S2_5_09``: the id the maps, the pages and the chain search use."""
        return local_name(self.iri)


@dataclass(frozen=True)
class Reference:
    """A reference of the review, by its number there."""

    number: int
    label: str | None = None
    first_author: str | None = None


@dataclass(frozen=True)
class ClaimGraph:
    """Entities, claims and what the views need beside them (labels, definitions, references).

    ``entities`` are the ones with an English and a Chinese label under ``t2dm:Entity``;
    a claim may still name an IRI outside them (each view decides how to show it).
    """

    entities: dict[str, Entity]
    claims: tuple[Claim, ...]
    grouping: frozenset[str] = frozenset()  # IRIs of the top categories and grouping classes
    labels: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # category/relation name -> (en, zh)
    matches: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)  # IRI -> predicate -> IRIs
    definitions: dict[str, tuple[str, ...]] = field(default_factory=dict)  # IRI -> definitions, sorted
    members: dict[str, tuple[str, ...]] = field(default_factory=dict)  # IRI -> members, sorted
    references: dict[int, Reference] = field(default_factory=dict)  # by number, ascending
    header: dict[str, Any] = field(default_factory=dict)  # the ontology's version, title, licence; the review's title

    def entity_view(self, iri: str) -> dict[str, Any]:
        entity = self.entities.get(iri)
        if entity is None:
            return {"iri": iri, "label": iri, "label_zh": None, "synonyms": [], "xrefs": []}
        return entity.view()

    def record(self, claim: Claim) -> dict[str, Any]:
        """One claim as a plain dict: the ``t2dm-onto claims`` contract (keys and their order are public)."""
        labels = [self.entities[i].label if i in self.entities else i for i in claim.context_entities]
        parts = [v for v in (claim.population, claim.sex, claim.species) if v]
        parts += labels
        if claim.detail:
            parts.append(claim.detail)
        return {
            "id": claim.iri,
            "subject": self.entity_view(claim.subject),
            "relation": claim.relation,
            "object": self.entity_view(claim.object),
            "aspect": claim.aspect,
            "references": list(claim.references),
            "section": claim.section,
            "quote_zh": claim.quote_zh,
            "statement_en": claim.statement_en,
            "evidence": claim.evidence,
            "study_type": claim.study_type,
            "context": "; ".join(parts) or None,
            "population": claim.population,
            "sex": claim.sex,
            "species": claim.species,
            "context_entities": list(claim.context_entities),
            "detail": claim.detail,
        }

    def counts(self) -> dict[str, Any]:
        """Entities and claims counted by category, relation, section, evidence, study type and reference."""
        named = [e for iri, e in self.entities.items() if iri not in self.grouping]
        used = Counter(n for c in self.claims for n in c.references)
        return {
            "entities": len(named),  # the entities the review names (the README's count)
            "categories": len(self.grouping & set(self.entities)),  # top categories and grouping classes
            "entities_by_category": dict(sorted(Counter(e.category for e in named).items())),
            "claims": len(self.claims),
            "claims_by_relation": dict(sorted(Counter(c.relation for c in self.claims).items())),
            "claims_by_section": dict(sorted(Counter(c.section for c in self.claims).items(),
                                             key=lambda kv: section_key(kv[0]))),
            "claims_by_evidence": dict(sorted(Counter(c.evidence for c in self.claims).items())),
            "claims_by_study_type": dict(sorted(Counter(c.study_type or "not stated" for c in self.claims).items())),
            "references_used": sorted(used),
            "references_unused": [n for n in range(1, N_REFERENCES + 1) if n not in used],
            "claims_per_reference": {str(k): v for k, v in sorted(used.items())},
        }


def _split(value: Any) -> tuple[str, ...]:
    return tuple(sorted(v for v in str(value or "").split(SEP) if v))


def _entities(backend: Backend) -> dict[str, Entity]:
    out: dict[str, Entity] = {}
    for row in backend.select(internal("entities")).rows:
        if row["e"] not in out:  # an entity under two categories keeps the first the store lists
            out[row["e"]] = Entity(row["e"], row["en"], row["zh"], t2dm_name(row["category"]),
                                   _split(row["synonyms"]), _split(row["xrefs"]))
    return out


def _claim(row: dict[str, Any]) -> Claim:
    return Claim(
        iri=row["c"], subject=row["s"], relation=t2dm_name(row["r"]), object=row["o"],
        section=row["section"], quote_zh=row["quote"], statement_en=row["statement"],
        evidence=local_name(row["eco"]).replace("_", ":"), aspect=row.get("aspect"),
        references=tuple(sorted(int(n) for n in str(row["refs"] or "").split(",") if n)),
        study_type=row.get("study"), population=row.get("population"), sex=row.get("sex"),
        species=row.get("species"), context_entities=_split(row["contexts"]), detail=row.get("detail"),
    )


def _details(backend: Backend) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]], dict[int, str]]:
    definitions: dict[str, list[str]] = {}
    members: dict[str, list[str]] = {}
    authors: dict[int, str] = {}
    for row in backend.select(internal("details")).rows:
        if row["kind"] == "def":
            definitions.setdefault(row["x"], []).append(str(row["value"]))
        elif row["kind"] == "member":
            members.setdefault(row["x"], []).append(row["value"])
        else:
            authors[int(row["x"])] = str(row["value"])
    return ({k: tuple(sorted(v)) for k, v in definitions.items()},
            {k: tuple(sorted(v)) for k, v in members.items()}, authors)


def build(backend: Backend) -> ClaimGraph:
    """Read the whole model from ``backend`` (ten small whole-store queries)."""
    entities = _entities(backend)
    claims = sorted((_claim(row) for row in backend.select(internal("claims")).rows),
                    key=lambda c: (section_key(c.section), c.iri))
    labels = {local_name(r["x"]): (str(r["en"]), r.get("zh")) for r in backend.select(internal("labels")).rows}
    matches: dict[str, dict[str, set[str]]] = {}
    for row in backend.select(internal("matches")).rows:
        matches.setdefault(row["e"], {}).setdefault(local_name(row["p"]).split("#")[-1], set()).add(row["m"])
    definitions, members, authors = _details(backend)
    references = {int(r["n"]): r.get("label") for r in backend.select(internal("references")).rows}
    header = backend.select(internal("header")).rows
    return ClaimGraph(
        entities=entities,
        claims=tuple(claims),
        grouping=frozenset(r["e"] for r in backend.select(internal("categories")).rows),
        labels=labels,
        matches={iri: {p: tuple(sorted(found[p])) for p in MATCH_PREDICATES if found.get(p)}
                 for iri, found in matches.items()},
        definitions=definitions,
        members=members,
        references={n: Reference(n, references.get(n), authors.get(n))
                    for n in sorted(set(references) | set(authors))},
        header=header[0] if header else {},
    )
