"""Write mappings/reference_terms.tsv: the rows of the reference term table for the CURIEs the project ships.

The full table (``../shared/reference/terms.tsv.gz``, about a million terms) does not
travel with a clone; the checks need only the rows of the external terms this
project uses (the SSSOM objects and ``mappings/external_terms.tsv``). Those rows
are copied here byte for byte, header first and in the table's order, so
``tests/test_mappings.py`` and ``tools/verify_mappings.py`` verify every shipped
identifier from a fresh clone. Rerun after changing the mappings;
``tests/test_reference_copies.py`` fails while the copy is stale (when the full
table is at hand) or misses a shipped CURIE (always).

Usage: python tools/trim_reference.py [--terms PATH] [--check]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FULL = ROOT.parent / "shared" / "reference" / "terms.tsv.gz"
TRIMMED = ROOT / "mappings" / "reference_terms.tsv"


def table_key(curie: str) -> str:
    """The project's spelling of a table CURIE (the table spells Cellosaurus ids whole, with CVCL_)."""
    return "cellosaurus:" + curie[len("cellosaurus:CVCL_") :] if curie.startswith("cellosaurus:CVCL_") else curie


def wanted(root: Path = ROOT) -> set[str]:
    """Every external CURIE the mappings ship: SSSOM objects and the external term table's rows and parents."""
    sssom = [
        line
        for line in (root / "mappings" / "t2dm_op.sssom.tsv").read_text(encoding="utf-8").splitlines()
        if not line.startswith("#")
    ]
    out = {row["object_id"] for row in csv.DictReader(sssom, delimiter="\t")}
    external = (root / "mappings" / "external_terms.tsv").read_text(encoding="utf-8").splitlines()
    for row in csv.DictReader(external, delimiter="\t"):
        out.add(row["curie"])
        out.update(p for p in row["parents"].split("|") if p)
    return out


def trimmed_text(full: Path, keep: set[str]) -> str:
    """The header and the rows of ``full`` whose CURIE is in ``keep``, unchanged."""
    with gzip.open(full, "rt", encoding="utf-8", newline="") as fh:
        header = next(fh)
        return header + "".join(line for line in fh if table_key(line.partition("\t")[0]) in keep)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--terms", type=Path, default=FULL, help="the full reference table (terms.tsv.gz)")
    ap.add_argument("--check", action="store_true", help="exit 1 if the shipped copy is stale")
    args = ap.parse_args()
    if not args.terms.is_file():
        print(f"error: the full reference table {args.terms} is not there; give it with --terms PATH.", file=sys.stderr)
        return 2
    text = trimmed_text(args.terms, wanted())
    current = TRIMMED.read_text(encoding="utf-8") if TRIMMED.is_file() else None
    if args.check:
        print("up to date" if current == text else f"stale: {TRIMMED.relative_to(ROOT)} (run tools/trim_reference.py)")
        return 0 if current == text else 1
    TRIMMED.write_text(text, encoding="utf-8", newline="")
    print(f"wrote {TRIMMED.relative_to(ROOT)}: {text.count(chr(10)) - 1} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
