"""The controlled vocabularies at run time, from ``vocabulary.json`` beside this module.

``t2dm-onto build`` writes that file from ``curation/schema.yaml`` (the one
definition); reading JSON here keeps the query path free of PyYAML and of the
checkout, so an installed wheel has its vocabularies too. :mod:`t2dm_onto.namespaces`
re-exports these names for the modules that import them from there.
"""

from __future__ import annotations

import json
from pathlib import Path

from .errors import InputError

_PATH = Path(__file__).with_name("vocabulary.json")


def _read() -> dict:
    try:
        return json.loads(_PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"{_PATH}: cannot read the vocabularies ({exc}). In a checkout run `t2dm-onto build`; "
                         "otherwise reinstall the package.") from exc


#: Everything vocabulary.json holds.
VOCABULARY: dict = _read()

#: The six claim relations; each is an owl:AnnotationProperty t2dm:<name> (the shortcut edges are annotations).
#: sign: +1 / -1 for signed relations, 0 for "no association", None when unsigned.
#: causal: whether the relation asserts a direction of effect (used by path queries).
RELATIONS: dict[str, dict] = {
    name: {"sign": r["sign"], "causal": r["causal"]} for name, r in VOCABULARY["relations"].items()
}

ASPECTS: tuple[str, ...] = tuple(VOCABULARY["aspects"])

#: The one controlled list of study types (explained in curation/CURATION.md). Every claim carries one:
#: ``not_stated`` when the review names no kind of study, so "unknown" is told apart from "forgotten";
#: ``mixed`` when it names several.
STUDY_TYPES: dict[str, str] = dict(VOCABULARY["study_types"])
#: study type -> whom its evidence is about: human, non-human, both or not stated.
STUDY_TYPE_EVIDENCE_IN: dict[str, str] = dict(VOCABULARY["study_type_evidence_in"])

#: ECO codes used for the review-level evidence layer.
EVIDENCE_CODES: dict[str, str] = dict(VOCABULARY["evidence_codes"])

#: Sections of the review that may carry claims (the abstract makes none).
SECTIONS: tuple[str, ...] = tuple(VOCABULARY["sections"])

N_REFERENCES: int = VOCABULARY["references"]
