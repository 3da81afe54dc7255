"""Re-check every row of mappings/t2dm_op.sssom.tsv against the reference term table.

For each row: the object CURIE exists in ``terms.tsv.gz``, is not obsolete, and the
``object_label`` equals the table's label exactly. Also checked: the subject is a
curated entity whose ``en`` label equals ``subject_label``; the predicate is one of the
four SKOS match predicates; the justification is semapv:ManualMappingCuration; every
prefix used is declared in the ``curie_map``; no entity maps twice into one prefix.

Usage: python tools/verify_mappings.py [--sssom PATH] [--terms PATH]
Exit status: 0 all rows pass, 1 failures, 2 the reference table is missing (nothing verified).
"""
from __future__ import annotations

import argparse
import csv
import gzip
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SSSOM = ROOT / "mappings" / "t2dm_op.sssom.tsv"
FULL_TERMS = ROOT.parent / "shared" / "reference" / "terms.tsv.gz"
#: the full table beside the checkout, else the shipped rows of it (tools/trim_reference.py)
DEFAULT_TERMS = FULL_TERMS if FULL_TERMS.is_file() else ROOT / "mappings" / "reference_terms.tsv"
PREDICATES = {"skos:exactMatch", "skos:closeMatch", "skos:broadMatch", "skos:narrowMatch"}
JUSTIFICATION = "semapv:ManualMappingCuration"
#: Prefixes the reference table does not hold; tools/extract_external_terms.py checks them in their own releases.
SOURCE_VERIFIED = {"biolink", "NCBITaxon"}
COLUMNS = ["subject_id", "subject_label", "predicate_id", "object_id", "object_label",
           "mapping_justification", "comment"]


def read_sssom(path: Path) -> tuple[dict[str, str], list[str], list[dict[str, str]]]:
    header, body = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        (header if line.startswith("#") else body).append(line)
    curie_map: dict[str, str] = {}
    in_map = False
    for line in header:
        text = line[1:]
        if text.strip().startswith("curie_map:"):
            in_map = True
        elif in_map and text.startswith("  ") and ":" in text:
            key, _, value = text.strip().partition(":")
            curie_map[key.strip()] = value.strip().strip("'\"")
        else:
            in_map = False
    reader = csv.DictReader(body, delimiter="\t")
    return curie_map, list(reader.fieldnames or []), list(reader)


def read_entities() -> dict[str, str]:
    """Entity ids (and the relations and properties that carry mappings) -> English label."""
    cur = ROOT / "curation"
    files = [cur / "categories.yaml", cur / "entities.yaml", *sorted(cur.glob("new_entities_*.yaml"))]
    labels: dict[str, str] = {}
    for f in files:
        for rec in yaml.safe_load(f.read_text(encoding="utf-8")) or []:
            labels[str(rec["id"])] = str(rec["en"])
    sys.path.insert(0, str(ROOT / "src"))
    from t2dm_onto.schema import load_schema

    schema = load_schema(ROOT)
    labels.update({r.name: r.en for r in schema.relations})
    labels.update({p.name: p.en for p in schema.properties})
    return labels


def read_external() -> dict[str, tuple[str, str]]:
    """curie -> (label, label source) from mappings/external_terms.tsv, for prefixes the reference table lacks."""
    path = ROOT / "mappings" / "external_terms.tsv"
    if not path.exists():
        return {}
    rows = csv.DictReader(path.read_text(encoding="utf-8").splitlines(), delimiter="\t")
    return {r["curie"]: (r["label"], r["label_source"]) for r in rows}


def open_table(path: Path):
    """The reference table as text lines: the full one is gzipped, the shipped trimmed copy is not."""
    return gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else path.open(encoding="utf-8")


def read_terms(path: Path, wanted: set[str]) -> dict[str, tuple[str, str]]:
    """curie -> (label, status) for the wanted CURIEs only."""
    found: dict[str, tuple[str, str]] = {}
    with open_table(path) as fh:
        next(fh)  # header: curie, label, synonyms, status, source
        for line in fh:
            curie, _, rest = line.partition("\t")
            if curie.startswith("cellosaurus:CVCL_"):  # the table spells Cellosaurus ids whole
                curie = "cellosaurus:" + curie[len("cellosaurus:CVCL_"):]
            if curie in wanted:
                parts = rest.rstrip("\n").split("\t")
                found[curie] = (parts[0], parts[2] if len(parts) > 2 else "")
    return found


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sssom", type=Path, default=DEFAULT_SSSOM)
    ap.add_argument("--terms", type=Path, default=DEFAULT_TERMS)
    args = ap.parse_args()
    if not args.terms.exists():
        print(f"SKIP: reference table {args.terms} not found; no row was verified.")
        return 2

    curie_map, fields, rows = read_sssom(args.sssom)
    entities = read_entities()
    terms = read_terms(args.terms, {r.get("object_id", "") for r in rows})
    external = read_external()
    source_checked = 0

    failures: list[str] = []
    if fields != COLUMNS:
        failures.append(f"header: columns {fields} != {COLUMNS}")
    for pfx in ("T2DMOP", "skos", "semapv"):
        if pfx not in curie_map:
            failures.append(f"header: prefix {pfx} missing from curie_map")

    seen_rows: set[tuple[str, str, str]] = set()
    per_prefix: dict[tuple[str, str], str] = {}
    by_prefix: Counter[str] = Counter()
    by_pred: Counter[str] = Counter()
    for n, r in enumerate(rows, start=1):
        where = f"row {n} ({r.get('subject_id')} -> {r.get('object_id')})"
        sid, obj = r.get("subject_id", ""), r.get("object_id", "")
        local = sid.split(":", 1)[1] if sid.startswith("T2DMOP:") else None
        if local is None:
            failures.append(f"{where}: subject_id is not a T2DMOP: CURIE")
        elif local not in entities:
            failures.append(f"{where}: subject is not a curated entity")
        elif r.get("subject_label") != entities[local]:
            failures.append(f"{where}: subject_label {r.get('subject_label')!r} != en {entities[local]!r}")
        if r.get("predicate_id") not in PREDICATES:
            failures.append(f"{where}: predicate {r.get('predicate_id')!r} not a SKOS match predicate")
        if r.get("mapping_justification") != JUSTIFICATION:
            failures.append(f"{where}: justification {r.get('mapping_justification')!r}")
        if not (r.get("comment") or "").strip():
            failures.append(f"{where}: empty comment")
        prefix = obj.split(":", 1)[0]
        if prefix not in curie_map:
            failures.append(f"{where}: prefix {prefix!r} not in curie_map")
        key = (sid, prefix)
        if key in per_prefix:
            failures.append(f"{where}: second mapping of {sid} into {prefix} (first: {per_prefix[key]})")
        per_prefix.setdefault(key, obj)
        if (sid, r.get("predicate_id", ""), obj) in seen_rows:
            failures.append(f"{where}: duplicate row")
        seen_rows.add((sid, r.get("predicate_id", ""), obj))
        term = terms.get(obj)
        if term is None and obj in external and obj.split(":", 1)[0] in SOURCE_VERIFIED:
            source_checked += 1  # verified against the source ontology's own file by extract_external_terms.py
            if r.get("object_label") != external[obj][0]:
                failures.append(f"{where}: object_label {r.get('object_label')!r} != source label {external[obj][0]!r}")
        elif term is None:
            failures.append(f"{where}: object not in reference table")
        else:
            label, status = term
            if status.startswith("obsolete") or label.lower().startswith("obsolete"):
                failures.append(f"{where}: object is obsolete ({status})")
            if r.get("object_label") != label:
                failures.append(f"{where}: object_label {r.get('object_label')!r} != reference {label!r}")
        by_prefix[prefix] += 1
        by_pred[r.get("predicate_id", "")] += 1

    mapped = {r["subject_id"].split(":", 1)[1] for r in rows if r.get("subject_id", "").startswith("T2DMOP:")}
    from t2dm_onto.schema import load_schema

    schema = load_schema(ROOT)
    curated = set(entities) - {p.name for p in schema.properties} - {r.name for r in schema.relations}
    print(f"rows: {len(rows)}; entities and categories mapped: {len(mapped & curated)} of {len(curated)} "
          f"(unmapped: {', '.join(sorted(curated - mapped)) or 'none'}); "
          f"relations and properties mapped: {len(mapped - curated)}")
    print("by object prefix: " + ", ".join(f"{k} {v}" for k, v in sorted(by_prefix.items())))
    print("by predicate: " + ", ".join(f"{k} {v}" for k, v in sorted(by_pred.items())))
    print(f"verified in reference table: {sum(1 for r in rows if r.get('object_id') in terms)} of {len(rows)}; "
          f"against the source's own file (prefixes {', '.join(sorted(SOURCE_VERIFIED))}): {source_checked}")
    print(f"failures: {len(failures)}")
    for f in failures:
        print("  FAIL " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
