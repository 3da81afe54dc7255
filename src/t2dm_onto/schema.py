"""Read ``curation/schema.yaml``: the controlled vocabularies and the claim record, as data.

The schema is the one definition of the relations, aspects, sections, study types,
evidence codes, the ontology's own properties and the fields of a claim. The
loader (:mod:`t2dm_onto.curation`) checks records against it, the builder writes
the ontology's property declarations from it, and :mod:`t2dm_onto.schema_outputs`
writes the shapes' controlled lists, the tables of ``CURATION.md`` and the
``vocabulary.json`` the installed package reads at run time. Only the build reads
this file, so only the build needs PyYAML.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .errors import InputError

SCHEMA_PATH = Path("curation") / "schema.yaml"
#: How a claim field is read and written; see the comment above ``claim_fields`` in schema.yaml.
DATATYPES = ("id", "entity", "entities", "relation", "aspect", "section", "references", "quote", "statement",
             "evidence", "study_type", "string")


#: Whom a study type's evidence is about.
EVIDENCE_IN = ("human", "non-human", "both", "not stated")


@dataclass(frozen=True)
class Relation:
    name: str
    sign: int | None
    causal: bool
    en: str
    zh: str
    definition: str


@dataclass(frozen=True)
class Section:
    number: str
    en: str
    zh: str


@dataclass(frozen=True)
class StudyType:
    value: str
    label: str
    evidence_in: str  # human, non-human, both, not stated
    rule: str


@dataclass(frozen=True)
class EvidenceCode:
    code: str
    label: str
    when: str


@dataclass(frozen=True)
class Property:
    """One of the ontology's own properties, as ``ontology/t2dm_op.ttl`` declares it."""

    name: str
    kind: str
    en: str
    zh: str
    definition: str
    functional: bool = False
    domain: str | None = None
    range: str | None = None


@dataclass(frozen=True)
class ClaimField:
    """One key of a claim record: how the loader reads it, the builder writes it and the shapes check it."""

    field: str
    attribute: str
    datatype: str
    meaning: str
    property: str | None = None
    required: bool = False
    list: bool = False
    values: tuple[str, ...] = ()
    shape: str | None = None
    shacl: str = ""
    message: str = ""


@dataclass(frozen=True)
class Schema:
    references: int
    relations: tuple[Relation, ...]
    aspects: tuple[str, ...]
    sections: tuple[Section, ...]
    study_types: tuple[StudyType, ...]
    evidence_codes: tuple[EvidenceCode, ...]
    properties: tuple[Property, ...]
    claim_fields: tuple[ClaimField, ...]

    def relation(self, name: str) -> Relation:
        return next(r for r in self.relations if r.name == name)

    def vocabulary(self, datatype: str) -> tuple[str, ...] | None:
        """The controlled values of a claim datatype, or None when it has no list."""
        lists = {
            "relation": tuple(r.name for r in self.relations),
            "aspect": self.aspects,
            "section": tuple(s.number for s in self.sections),
            "evidence": tuple(e.code for e in self.evidence_codes),
            "study_type": tuple(s.value for s in self.study_types),
        }
        return lists.get(datatype)

    def allowed(self, f: ClaimField) -> tuple[str, ...] | None:
        """The values a claim field may take: its datatype's list or its own ``values``."""
        return self.vocabulary(f.datatype) or f.values or None


def _records(data: dict[str, Any], key: str, cls: type, where: Path) -> tuple:
    items = data.get(key)
    if not isinstance(items, list) or not items:
        raise InputError(f"{where}: '{key}' must be a non-empty list. Fix the schema and rebuild.")
    out = []
    for i, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise InputError(f"{where}: {key} item {i} is not a mapping of fields. Fix the schema and rebuild.")
        try:
            out.append(cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in item.items()}))
        except TypeError as exc:
            raise InputError(f"{where}: {key} item {i} ({item.get('name') or item.get('field') or '?'}): {exc}. "
                             "Fix the schema and rebuild.") from exc
    return tuple(out)


def _check(s: Schema, where: Path) -> None:
    fields = [f.field for f in s.claim_fields]
    checks = [
        (isinstance(s.references, int) and s.references > 0, "references must be a positive integer"),
        (len(set(fields)) == len(fields), "claim_fields repeats a field"),
        (all(f.datatype in DATATYPES for f in s.claim_fields), f"a claim field's datatype is not one of {DATATYPES}"),
        (all(not f.property or f.property in {p.name for p in s.properties} for f in s.claim_fields),
         "a claim field names a property that 'properties' does not declare"),
        (all(isinstance(r.sign, int | None) and r.sign in (1, -1, 0, None) for r in s.relations),
         "a relation's sign must be 1, -1, 0 or null"),
        (all(isinstance(x.number, str) for x in s.sections), "section numbers must be quoted strings"),
        (all(t.evidence_in in EVIDENCE_IN for t in s.study_types), f"a study type's evidence_in is not one of {EVIDENCE_IN}"),
    ]
    for ok, message in checks:
        if not ok:
            raise InputError(f"{where}: {message}. Fix the schema and rebuild.")


def read_yaml(path: Path) -> Any:
    """A YAML file's data; a clear :class:`InputError` when PyYAML is missing or the syntax is broken."""
    try:
        import yaml
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise InputError("building needs PyYAML: pip install 't2dm-onto[build]'") from exc
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: not valid YAML ({exc}). Fix the syntax and rebuild.") from exc


@cache
def _load(path: Path, mtime: float) -> Schema:
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a YAML mapping (references, relations, aspects, ...).")
    schema = Schema(
        references=data.get("references"),
        relations=_records(data, "relations", Relation, path),
        aspects=tuple(data.get("aspects") or ()),
        sections=_records(data, "sections", Section, path),
        study_types=_records(data, "study_types", StudyType, path),
        evidence_codes=_records(data, "evidence_codes", EvidenceCode, path),
        properties=_records(data, "properties", Property, path),
        claim_fields=_records(data, "claim_fields", ClaimField, path),
    )
    _check(schema, path)
    return schema


def load_schema(root: Path) -> Schema:
    """The schema of the checkout at ``root`` (read once per version of the file)."""
    path = root / SCHEMA_PATH
    if not path.is_file():
        raise InputError(f"{path}: the schema is missing. Restore curation/schema.yaml from git.")
    return _load(path, path.stat().st_mtime)
