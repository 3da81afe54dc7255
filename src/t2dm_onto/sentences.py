"""Split the review's text into numbered sentences, deterministically.

Why a splitter of our own: the sentence coverage ledger (``curation/coverage.tsv``)
names each sentence by its section and position, so the split must give the same
sentences from the same text on every machine, and must not depend on how the PDF
extraction broke lines. The rules, in full:

- All whitespace is removed first (the extraction breaks lines mid-word, and claim
  quotes are matched whitespace-insensitively too).
- A line of its own whose first token is a section number of the review
  (``2.4.3.``, ``1.``) followed by a title, with no sentence end in it, is a
  heading: the text after it belongs to that section. ``摘要`` opens the Chinese
  abstract (section ``abstract``); ``Abstract`` opens the English one, which is a
  translation of the Chinese abstract and is not split (no claim quotes English
  text; its content is covered by the Chinese abstract's rows).
- A sentence ends after ``。``, ``！``, ``？`` or ``；`` (full-width). The semicolon
  counts as an end because the review uses it between independent assertions
  (e.g. 2.7.1 "…导致骨量减少；在晚期，会造成…"). A closing bracket or quotation
  mark right after the end character stays with the sentence. Text after the last
  end character of a section is a sentence of its own.

>>> [(s.section, s.position, s.text) for s in split("1. 引言\\n甲。乙；丙\\n")]
[('1', 1, '甲。'), ('1', 2, '乙；'), ('1', 3, '丙')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .sections import SECTION_TITLES

ABSTRACT = "abstract"
#: Sections whose text is not split, with the reason (documented in curation/CURATION.md).
SKIPPED = {"abstract_en": "the English abstract translates the Chinese one; claims quote only Chinese text"}
ENDS = "。！？；"
_CLOSERS = "）)」』”’】]"
_WS = re.compile(r"\s+")
_HEADING = re.compile(r"^(\d+(?:\.\d+)*)\.\s*(\S.*)$")
_SENTENCE = re.compile(rf"[^{ENDS}]*[{ENDS}][{re.escape(_CLOSERS)}]*|[^{ENDS}]+$")


@dataclass(frozen=True)
class Sentence:
    """One sentence of the review: its section, its 1-based position there, its text without whitespace."""

    section: str
    position: int
    text: str

    @property
    def key(self) -> tuple[str, int]:
        return (self.section, self.position)


def strip_ws(text: str) -> str:
    """``text`` without any whitespace, the form quotes and sentences are compared in."""
    return _WS.sub("", text)


def heading(line: str) -> str | None:
    """The section a heading line opens (``"2.4.3"``, ``"abstract"``), or None for a text line."""
    bare = strip_ws(line)
    if bare == "摘要":
        return ABSTRACT
    if bare == "Abstract":
        return "abstract_en"
    match = _HEADING.match(line.strip())
    if match and match.group(1) in SECTION_TITLES and not any(ch in bare for ch in ENDS):
        return match.group(1)
    return None


def split(text: str) -> list[Sentence]:
    """Every sentence of the review text, in order; text before the first heading is ignored."""
    bodies: dict[str, list[str]] = {}
    order: list[str] = []
    current: str | None = None
    for line in text.splitlines():
        section = heading(line)
        if section is not None:
            current = section
            if section not in bodies:
                bodies[section] = []
                order.append(section)
            continue
        if current is not None:
            bodies[current].append(strip_ws(line))
    out: list[Sentence] = []
    for section in order:
        if section in SKIPPED:
            continue
        body = "".join(bodies[section])
        pieces = [m.group(0) for m in _SENTENCE.finditer(body) if m.group(0)]
        out += [Sentence(section, i, piece) for i, piece in enumerate(pieces, start=1)]
    return out


def read(path: Path) -> list[Sentence]:
    """The sentences of the review file at ``path``."""
    return split(path.read_text(encoding="utf-8"))
