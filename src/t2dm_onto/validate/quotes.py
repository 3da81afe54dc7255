"""Check that every claim's Chinese quote occurs verbatim in the review (whitespace aside)."""

from __future__ import annotations

import re
from pathlib import Path

from .report import Finding
from .shacl import shorten

_WS = re.compile(r"\s+")


def default_source() -> Path | None:
    """The review text shipped with the data (in a checkout and in the wheel alike), or None if it is gone."""
    from ..resources import review_file

    return review_file() if review_file().is_file() else None


def check_quotes(quotes: dict[str, str], source: Path) -> list[Finding]:
    """``quotes`` maps claim IRI to its quote; a finding for each quote not found in ``source``."""
    from ..inputs import read_text_input

    text = _WS.sub("", read_text_input(source, "the review text (--source)"))
    findings = []
    for claim, quote in sorted(quotes.items()):
        if _WS.sub("", quote) not in text:
            findings.append(
                Finding(
                    "quotes",
                    shorten(claim),
                    "The Chinese quote is not in the review verbatim (whitespace aside): copy it again from the source.",
                    rule="t2dm:quote_zh verbatim",
                    value=quote[:60],
                )
            )
    return findings
