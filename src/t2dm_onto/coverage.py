"""The sentence coverage ledger: every sentence of the review, and what became of it.

``curation/coverage.tsv`` holds one row per sentence of the Chinese abstract and
sections 1 to 3 (as :mod:`t2dm_onto.sentences` splits them): the claim ids taken
from it, or the reason it holds no claim. It makes "did we read every sentence?"
a checked fact instead of a hope: :func:`check` fails when a sentence has no row,
a row names no sentence or a missing claim, a claim's quote lies in none of its
rows' sentences, or a claim has no row at all. ``t2dm-onto build --check`` and
the tests run it; ``t2dm-onto stats`` reports :func:`summary`.

Plain TSV read with :mod:`csv` (no YAML), so ``stats`` works with the core
package alone.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import InputError
from .sentences import Sentence, strip_ws

COLUMNS = ["section", "position", "claims", "reason", "see", "note", "text"]
#: Why a sentence holds no claim of its own (documented in curation/CURATION.md).
REASONS: dict[str, str] = {
    "background": "general background: names no link between two things the ontology models",
    "definition": "defines or classifies a term",
    "prevalence": "an epidemiological figure (counts, projections)",
    "aim": "the aim or plan of the review",
    "recommendation": "advice for practice or research",
    "knowledge_gap": "says what is not yet known",
    "outlook": "the review's outlook and conclusion",
    "summary": "restates claims recorded from the body (listed in `see`)",
}


@dataclass(frozen=True)
class Row:
    """One ledger row: a sentence and the claims from it, or the reason there are none."""

    section: str
    position: int
    claims: tuple[str, ...]
    reason: str
    see: tuple[str, ...]
    note: str
    text: str
    line: int

    @property
    def key(self) -> tuple[str, int]:
        return (self.section, self.position)


def read(path: Path) -> list[Row]:
    """The ledger's rows; a malformed row is an :class:`InputError` naming its line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read the coverage ledger {path}: {exc.strerror}.") from exc
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    if reader.fieldnames != COLUMNS:
        raise InputError(
            f"{path}: the header must be {' '.join(COLUMNS)} (tab-separated), not {' '.join(reader.fieldnames or [])}."
        )
    rows = []
    for n, rec in enumerate(reader, start=2):
        position = rec.get("position") or ""
        if not position.isdigit():
            raise InputError(f"{path}: line {n}: position {position!r} is not a whole number.")
        rows.append(
            Row(
                section=rec["section"] or "",
                position=int(position),
                claims=tuple((rec["claims"] or "").split()),
                reason=(rec["reason"] or "").strip(),
                see=tuple((rec["see"] or "").split()),
                note=(rec["note"] or "").strip(),
                text=rec["text"] or "",
                line=n,
            )
        )
    return rows


def check(rows: list[Row], sentences: list[Sentence], claims: Iterable) -> list[str]:
    """Every way the ledger disagrees with the source and the claims, one message each (empty: all good).

    ``claims`` are :class:`t2dm_onto.curation.Claim` records (``id``, ``quote``, ``section``).
    """
    problems: list[str] = []
    by_id = {c.id: c for c in claims}
    by_key: dict[tuple[str, int], Row] = {}
    for row in rows:
        where = f"coverage.tsv line {row.line} ({row.section} #{row.position})"
        if row.key in by_key:
            problems.append(f"{where}: a second row for this sentence (first at line {by_key[row.key].line}).")
        by_key.setdefault(row.key, row)
        if bool(row.claims) == bool(row.reason):
            problems.append(f"{where}: give either claim ids or a reason, not {'both' if row.claims else 'neither'}.")
        if row.reason and row.reason not in REASONS:
            problems.append(f"{where}: reason {row.reason!r} is not one of {', '.join(REASONS)}.")
        if row.reason == "summary" and not row.see:
            problems.append(f"{where}: a summary row lists the claims it restates in `see`.")
        for cid in (*row.claims, *row.see):
            if cid not in by_id:
                problems.append(f"{where}: claim {cid} does not exist.")
    source = {s.key: s for s in sentences}
    for key, sentence in source.items():
        row = by_key.get(key)
        if row is None:
            problems.append(f"sentence {key[0]} #{key[1]} has no row in coverage.tsv: {sentence.text[:40]}…")
        elif row.text != sentence.text:
            problems.append(
                f"coverage.tsv line {row.line}: the text is not sentence {key[0]} #{key[1]} of the "
                f"source ({sentence.text[:30]}…); the source or the split changed: regenerate the row."
            )
    for key, row in by_key.items():
        if key not in source:
            problems.append(f"coverage.tsv line {row.line}: the source has no sentence {key[0]} #{key[1]}.")
    listed: dict[str, list[Row]] = {}
    for row in rows:
        for cid in row.claims:
            listed.setdefault(cid, []).append(row)
    for cid, claim in by_id.items():
        where_rows = listed.get(cid)
        if not where_rows:
            problems.append(f"claim {cid} is in no row of coverage.tsv: add its id to the row of its sentence.")
            continue
        quote = strip_ws(claim.quote)
        if not any(quote in r.text for r in where_rows):
            problems.append(
                f"claim {cid}: its quote lies in none of the sentences of its rows "
                f"({', '.join(f'{r.section} #{r.position}' for r in where_rows)})."
            )
        if any(r.section != claim.section for r in where_rows):
            problems.append(f"claim {cid}: section {claim.section} differs from its row's section.")
    return problems


def summary(rows: list[Row]) -> dict[str, dict[str, int]]:
    """Per section (in the review's order), sentences with claims and without; ``total`` last."""
    out: dict[str, dict[str, int]] = {}
    for row in rows:
        counts = out.setdefault(row.section, {"sentences": 0, "with_claims": 0, "without_claims": 0})
        counts["sentences"] += 1
        counts["with_claims" if row.claims else "without_claims"] += 1
    total = {k: sum(v[k] for v in out.values()) for k in ("sentences", "with_claims", "without_claims")}
    return {**out, "total": total}


def reasons(rows: list[Row]) -> dict[str, int]:
    """How many sentences hold no claim, by reason."""
    counts: dict[str, int] = {}
    for row in rows:
        if row.reason:
            counts[row.reason] = counts.get(row.reason, 0) + 1
    return dict(sorted(counts.items()))


def ledger_file() -> Path:
    """The shipped ledger (``curation/coverage.tsv`` in a checkout, ``data/curation/`` in a wheel)."""
    from .resources import data_path

    return data_path("curation", "coverage.tsv")


def check_checkout(root: Path) -> list[str]:
    """:func:`check` for the checkout at ``root``: its ledger, its source copy, its claims."""
    from . import curation, sentences
    from .resources import review_file

    source = review_file(root)
    if not source.is_file():
        return [f"the review text is not at {source}: restore it from git."]
    ledger = root / "curation" / "coverage.tsv"
    if not ledger.is_file():
        return [f"the coverage ledger {ledger} is missing: restore it from git."]
    return check(read(ledger), sentences.read(source), curation.load(root).claims)


def sentence_coverage() -> dict[str, Any] | None:
    """The review's sentences with claims and without, by section, from the shipped ledger (``stats``' coverage).

    Read from ``curation/coverage.tsv`` rather than the store: the ledger describes the
    review, which is the same whichever store or endpoint answers. None when it is not shipped.
    """
    path = ledger_file()
    if not path.is_file():
        return None
    rows = read(path)
    return {"by_section": summary(rows), "reasons": reasons(rows)}
