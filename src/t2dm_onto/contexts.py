"""Whether the hops of a composed chain come from one context.

A chain of causal claims is composed by us from sentences the review wrote apart,
so its hops may hold for different people or models (a hop from rat osteoblasts, the
next from T2DM patients). Each claim states its context in five dimensions, as the
builder writes them (``t2dm:population``, ``t2dm:sex``, ``t2dm:species``,
``t2dm:study_type``, ``t2dm:in_context``):

- population, sex and study type, compared as written;
- species, as written, or ``human`` when the claim names a population or a human
  study type (:data:`HUMAN_STUDY_TYPES`), so a rat hop and a patient hop differ;
- sites: the cells, cell lines or anatomical sites the claim is about.

A value that is absent, or ``not_stated``, is unstated and agrees with anything.

**Context-consistent**: one claim can be chosen for each hop so that, on each of
population, sex, species and study type, every chosen claim that states a value
states the same one, and the chosen claims that name sites share at least one site.
A one-hop chain is always consistent. Its agreement (:func:`agreement`) is ``yes``
when such a choice states the same on every hop (or nothing anywhere), ``partly``
when some hops state what the others leave unstated (the chain then holds in the
narrower context), ``no`` when no choice is consistent. The chain queries (``causal-paths``,
``mediators-increasing``, ``mediators-decreasing``) apply the same rule in SPARQL,
row by row (a row takes one claim per hop and one site per claim), and a test
compares them with :func:`consistent_claims`.

>>> a = ClaimContext(population="T2DM patients")
>>> b = ClaimContext(species="rat", study_type="in_vitro")
>>> consistent_claims([[a], [b]])
[set(), set()]
>>> consistent_claims([[a, b], [ClaimContext(sex="female")]])
[{0, 1}, {0}]
>>> agreement([[a], [ClaimContext(population="T2DM patients")]]), agreement([[a], [ClaimContext()]])
('yes', 'partly')
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .vocabulary import STUDY_TYPE_EVIDENCE_IN

#: The value a curator writes where the review says nothing: treated as unstated.
NOT_STATED = "not_stated"
#: Study types whose subjects are people: a claim with one of them is about humans.
HUMAN_STUDY_TYPES = tuple(t for t, whom in STUDY_TYPE_EVIDENCE_IN.items() if whom == "human")
SCALARS = ("population", "sex", "species", "study_type")


def _stated(value: Any) -> str | None:
    return None if value in (None, "", NOT_STATED) else str(value)


@dataclass(frozen=True)
class ClaimContext:
    """The stated context of one claim (``None`` where the review does not say)."""

    population: str | None = None
    sex: str | None = None
    species: str | None = None
    study_type: str | None = None
    sites: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        for name in SCALARS:  # "not_stated" and "" mean the review does not say
            object.__setattr__(self, name, _stated(getattr(self, name)))

    @classmethod
    def of(cls, record: Mapping[str, Any]) -> ClaimContext:
        """From a claim record of :meth:`KnowledgeBase.claims`."""
        return cls(*(record.get(name) for name in SCALARS), frozenset(record.get("context_entities") or ()))

    @property
    def organism(self) -> str | None:
        """The species, as stated or implied: a population or a human study type means humans."""
        if self.species:
            return self.species
        return "human" if self.population or self.study_type in HUMAN_STUDY_TYPES else None

    def key(self, dimension: str) -> str | None:
        """The value compared on ``dimension`` (species compares the implied organism)."""
        return self.organism if dimension == "species" else getattr(self, dimension)

    @property
    def stated(self) -> bool:
        return any(getattr(self, d) for d in SCALARS) or bool(self.sites)

    def facets(self, site_label: Callable[[str], str] = str) -> list[str]:
        """What the claim states, for display: population, sex, species, study type, then its sites."""
        return [v for v in (self.population, self.sex, self.species, self.study_type) if v] + \
            sorted(site_label(s) for s in self.sites)


def consistent_choices(hops: Sequence[Sequence[ClaimContext]]) -> Iterator[tuple[int, ...]]:
    """Every context-consistent choice of one claim per hop (claim indices, hop by hop)."""
    chosen: list[int] = []

    def walk(hop: int, fixed: dict[str, str], sites: frozenset[str] | None) -> Iterator[tuple[int, ...]]:
        if hop == len(hops):
            yield tuple(chosen)
            return
        for k, ctx in enumerate(hops[hop]):
            values = dict(fixed)
            if any(values.setdefault(d, v) != v for d in SCALARS if (v := ctx.key(d))):
                continue
            common = sites if not ctx.sites else (ctx.sites if sites is None else sites & ctx.sites)
            if common is not None and not common:
                continue
            chosen.append(k)
            yield from walk(hop + 1, values, common)
            chosen.pop()

    yield from walk(0, {}, None)


def consistent_claims(hops: Sequence[Sequence[ClaimContext]]) -> list[set[int]]:
    """Per hop, the claims (indices) that take part in a context-consistent choice; all empty when none exists."""
    keep: list[set[int]] = [set() for _ in hops]
    for choice in consistent_choices(hops):
        for hop, k in enumerate(choice):
            keep[hop].add(k)
    return keep


def _uniform(chosen: Sequence[ClaimContext]) -> bool:
    """Each dimension stated by every chosen claim or by none."""
    return all(len({ctx.key(d) is None for ctx in chosen}) == 1 for d in SCALARS) and \
        len({not ctx.sites for ctx in chosen}) == 1


def agreement(hops: Sequence[Sequence[ClaimContext]]) -> str:
    """``yes``: a consistent choice states the same context on every hop (or none anywhere);
    ``partly``: consistent, but only some hops state what the others leave unstated; ``no``: none is consistent."""
    best = "no"
    for choice in consistent_choices(hops):
        if _uniform([hops[hop][k] for hop, k in enumerate(choice)]):
            return "yes"
        best = "partly"
    return best
