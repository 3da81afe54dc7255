"""The review's section headings, for titles of maps and documentation pages.

The Chinese titles are the review's own headings; the English ones are our
translation. Claims carry only the section number (``t2dm:section``), so the
titles are presentation, defined with the section numbers in
``curation/schema.yaml`` and kept here beside the functions that order sections.
"""

from __future__ import annotations

from .vocabulary import VOCABULARY

#: section number -> (English title, Chinese title as the review writes it), from curation/schema.yaml
SECTION_TITLES: dict[str, tuple[str, str]] = {number: (en, zh) for number, (en, zh) in VOCABULARY["sections"].items()}

#: The mechanism sections that get one panel each in the overview map.
MECHANISM_SECTIONS: tuple[str, ...] = ("2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7", "2.8", "2.9")


def section_key(section: str) -> tuple[int, ...]:
    """Sort key: ``2.10`` after ``2.9``, ``2.4.1`` after ``2.4``."""
    return tuple(int(p) for p in section.split("."))


def in_section(claim_section: str, section: str) -> bool:
    """Whether a claim's section is ``section`` or one of its subsections."""
    return claim_section == section or claim_section.startswith(section + ".")


def section_title(section: str, lang: str = "en") -> str:
    """``2.5 Oxidative stress`` (or the Chinese heading); the bare number when unknown."""
    titles = SECTION_TITLES.get(section)
    if not titles:
        return section
    return f"{section} {titles[1] if lang == 'zh' else titles[0]}"
