"""Read the curated tables (``curation/*.yaml``, ``mappings/*.sssom.tsv``).

These tables are the single source of truth; :mod:`t2dm_onto.build` writes the
ontology from them. Loading checks what a table alone can tell (ids, vocabularies,
references to unknown entities) so a curator's mistake is reported with its file
and record before any RDF is written.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError
from .schema import ClaimField, Schema, load_schema, read_yaml
from .sssom import Mapping, read_sssom

_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def has_cjk(text: str) -> bool:
    """True when ``text`` holds Chinese characters or full-width punctuation."""
    return bool(_CJK.search(text))


@dataclass(frozen=True)
class Entity:
    id: str
    parents: tuple[str, ...]
    en: str
    zh: str
    definition: str
    alt: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    located_in: tuple[str, ...] = ()
    is_category: bool = False
    related: tuple[str, ...] = ()
    bone: int | None = None  # +1: more is good for bone, -1: bad (classifies drug effects)


@dataclass(frozen=True)
class Claim:
    id: str
    subject: str
    relation: str
    object: str
    section: str
    quote: str
    statement: str
    evidence: str
    refs: tuple[int, ...] = ()
    aspect: str | None = None
    study: str = "not_stated"
    population: str | None = None
    sex: str | None = None
    species: str | None = None
    context: tuple[str, ...] = ()
    detail: str | None = None


@dataclass(frozen=True)
class Reference:
    number: int
    first_author: str | None = None


@dataclass(frozen=True)
class ExternalTerm:
    """An external term the ontology uses, with its official label and verified ``is_a`` parents."""

    curie: str
    label: str
    parents: tuple[str, ...] = ()
    label_source: str = ""
    parent_source: str = ""
    kind: str = "class"  # or "object property" / "annotation property"


@dataclass
class Curation:
    """Everything the builder needs, loaded and cross-checked."""

    categories: list[Entity]
    entities: list[Entity]
    claims: list[Claim]
    references: list[Reference]
    mappings: list[Mapping] = field(default_factory=list)
    curie_map: dict[str, str] = field(default_factory=dict)
    species: dict[str, str] = field(default_factory=dict)  # species as the claims write it -> NCBITaxon CURIE
    external: dict[str, ExternalTerm] = field(default_factory=dict)
    schema: Schema | None = None

    @property
    def all_entities(self) -> list[Entity]:
        return [*self.categories, *self.entities]


def _yaml_list(path: Path) -> list[dict[str, Any]]:
    data = read_yaml(path)
    if data is None:
        return []
    if not isinstance(data, list):
        raise InputError(f"{path}: expected a YAML list of records, got {type(data).__name__}.")
    return data


def _tuple(value: Any) -> tuple:
    if value is None:
        return ()
    if isinstance(value, (list, tuple)):
        return tuple(value)
    return (value,)


ENTITY_KEYS = frozenset({"id", "parent", "en", "zh", "alt", "def", "members", "located_in", "related", "bone"})


def _entity(rec: dict[str, Any], where: str, category: bool) -> Entity:
    for key in ("id", "en", "zh", "def"):
        if not rec.get(key):
            raise InputError(f"{where}: record {rec.get('id', '?')!r} lacks '{key}'. Add it and rebuild.")
    unknown = sorted(set(rec) - ENTITY_KEYS)
    if unknown:
        raise InputError(f"{where}: record {rec['id']!r} has unknown field(s) {', '.join(map(str, unknown))}; "
                         f"the fields are {', '.join(sorted(ENTITY_KEYS))}.")
    # YAML turns unquoted NO/yes/on into booleans and "1,25-..." inside {...} into a number
    # followed by a new key: every name must arrive as a string, or it was mis-read.
    for key in ("en", "zh", "def", "alt"):
        for value in _tuple(rec.get(key)):
            if not isinstance(value, str):
                raise InputError(f"{where}: record {rec['id']!r}: {key} value {value!r} was read by YAML as "
                                 f"{type(value).__name__}, not text. Quote it (e.g. \"NO\") and rebuild.")
    if not _ID.match(str(rec["id"])):
        raise InputError(f"{where}: id {rec['id']!r} is not an ASCII name (letters, digits, _).")
    return Entity(
        id=str(rec["id"]),
        parents=tuple(str(p) for p in _tuple(rec.get("parent"))),
        en=str(rec["en"]),
        zh=str(rec["zh"]),
        definition=str(rec["def"]),
        alt=tuple(str(a) for a in _tuple(rec.get("alt"))),
        members=tuple(str(m) for m in _tuple(rec.get("members"))),
        located_in=tuple(str(m) for m in _tuple(rec.get("located_in"))),
        is_category=category,
        related=tuple(str(m) for m in _tuple(rec.get("related"))),
        bone=int(rec["bone"]) if rec.get("bone") in (1, -1) else None,
    )


#: How a claim field's YAML value becomes a Claim attribute, by the field's schema datatype.
_READERS: dict[str, Any] = {
    "references": lambda v: tuple(sorted(set(_tuple(v)))),
    "entities": lambda v: tuple(str(x) for x in _tuple(v)),
    "quote": lambda v: str(v).strip(),
    "statement": lambda v: str(v).strip(),
}


def _read_field(f: ClaimField, value: Any) -> Any:
    if f.datatype in _READERS:
        return _READERS[f.datatype](value)
    if f.required:
        return str(value)
    return str(value) if value else None


def _claim_problem(f: ClaimField, value: Any, schema: Schema) -> str | None:
    """What is wrong with a present value of a claim field, by the schema; None when it is fine."""
    if f.datatype == "id":
        return None if _ID.match(str(value)) else f"id {value!r} is not an ASCII name"
    if f.datatype == "references":
        n = schema.references
        ok = all(isinstance(r, int) and 1 <= r <= n for r in _tuple(value))
        return None if ok else f"{f.field} {value!r} must be integers within 1..{n}"
    allowed = schema.allowed(f)
    if allowed and value and str(value) not in allowed:
        what = "a section of the review" if f.datatype == "section" else f"one of {', '.join(allowed)}"
        return f"{f.field} {value!r} is not {what}"
    return None


def _claim(rec: dict[str, Any], where: str, schema: Schema) -> Claim:
    cid = rec.get("id", "?")
    # study is required: `not_stated` says the review names no kind of study, so a gap is never silent
    missing = [f.field for f in schema.claim_fields if f.required and not rec.get(f.field)]
    if missing:
        raise InputError(f"{where}: claim {cid!r} lacks {', '.join(missing)}. Add them and rebuild.")
    for f in schema.claim_fields:
        problem = _claim_problem(f, rec.get(f.field), schema)
        if problem:
            raise InputError(f"{where}: claim {cid!r}: {problem}. Fix the record and rebuild.")
    return Claim(**{f.attribute: _read_field(f, rec.get(f.field)) for f in schema.claim_fields})


def _tsv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    return list(csv.DictReader(path.read_text(encoding="utf-8").splitlines(), delimiter="\t"))


def read_external(path: Path) -> dict[str, ExternalTerm]:
    """``mappings/external_terms.tsv`` (written by tools/extract_external_terms.py)."""
    out = {}
    for i, row in enumerate(_tsv(path), start=2):
        curie, label = row.get("curie") or "", row.get("label") or ""
        if ":" not in curie or not label:
            raise InputError(f"{path}: row {i}: needs a CURIE and a label. Rerun tools/extract_external_terms.py.")
        parents = tuple(p for p in (row.get("parents") or "").split("|") if p)
        kind = row.get("kind") or "class"
        if kind not in ("class", "object property", "annotation property"):
            raise InputError(f"{path}: row {i}: kind {kind!r} is not class, object property or annotation property.")
        out[curie] = ExternalTerm(curie, label, parents, row.get("label_source") or "",
                                  row.get("parent_source") or "", kind)
    for term in out.values():
        for p in term.parents:
            if p not in out:
                raise InputError(f"{path}: parent {p} of {term.curie} has no row of its own. "
                                 "Rerun tools/extract_external_terms.py.")
    return out


def load(root: Path) -> Curation:
    """Load and cross-check every curated table under the repository ``root``."""
    cur = root / "curation"
    categories = [_entity(r, str(cur / "categories.yaml"), True) for r in _yaml_list(cur / "categories.yaml")]
    entities = [_entity(r, str(cur / "entities.yaml"), False) for r in _yaml_list(cur / "entities.yaml")]
    schema = load_schema(root)
    claims = [_claim(r, str(f), schema) for f in sorted((cur / "claims").glob("*.yaml")) for r in _yaml_list(f)]
    references = [
        Reference(int(r["n"]), r.get("first_author")) for r in _yaml_list(cur / "references.yaml")
    ]
    sssom = root / "mappings" / "t2dm_op.sssom.tsv"
    curie_map, mappings = read_sssom(sssom) if sssom.exists() else ({}, [])
    species = {r["species"]: r["taxon_id"] for r in _tsv(root / "mappings" / "species.tsv")}
    external = read_external(root / "mappings" / "external_terms.tsv")
    curation = Curation(categories, entities, claims, references, mappings, curie_map, species, external, schema)
    _cross_check(curation)
    return curation


def _cross_check(c: Curation) -> None:
    ids: dict[str, Entity] = {}
    for e in c.all_entities:
        if e.id in ids:
            raise InputError(f"entity id {e.id!r} is defined twice. Merge the two records.")
        ids[e.id] = e
    for e in c.all_entities:
        for ref in (*e.parents, *e.members, *e.located_in, *e.related):
            if ref not in ids:
                raise InputError(f"entity {e.id!r} refers to unknown entity {ref!r}. Define it or fix the id.")
        if not e.parents and e.id != "Entity":
            raise InputError(f"entity {e.id!r} has no parent. Give it a category.")
    seen: set[str] = set()
    for cl in c.claims:
        if cl.id in seen:
            raise InputError(f"claim id {cl.id!r} is used twice. Renumber one of them.")
        seen.add(cl.id)
        for ref in (cl.subject, cl.object, *cl.context):
            if ref not in ids:
                raise InputError(f"claim {cl.id!r} refers to unknown entity {ref!r}. Define it or fix the id.")
    numbers = [r.number for r in c.references]
    n = c.schema.references if c.schema else len(numbers)
    if sorted(numbers) != list(range(1, n + 1)):
        raise InputError(f"references.yaml must list each number 1..{n} exactly once.")
    relations = {r.name for r in c.schema.relations} if c.schema else set()
    for m in c.mappings:
        if m.subject not in ids and m.subject not in relations and not m.subject[:1].islower():
            raise InputError(f"mapping row for unknown entity T2DMOP:{m.subject}. Fix the SSSOM file.")
        if c.external and m.object_id not in c.external:
            raise InputError(f"mapping object {m.object_id} of T2DMOP:{m.subject} is not in "
                             "mappings/external_terms.tsv. Rerun tools/extract_external_terms.py.")
    for cl in c.claims:
        if cl.species and c.species and cl.species not in c.species:
            raise InputError(f"claim {cl.id!r}: species {cl.species!r} has no row in mappings/species.tsv. Add it.")
