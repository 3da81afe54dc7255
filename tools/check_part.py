"""Quick check of one curated claims file while drafting (the real checks live in the test suite).

Usage: python tools/check_part.py curation/claims/FILE.yaml [more.yaml ...]
"""
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT.parent / "shared" / "source" / "review_t2dm_op_zh.txt"
RELS = {"increases", "decreases", "positively_correlated_with", "negatively_correlated_with",
        "associated_with", "no_association"}
ASPECTS = {"expression", "activity", "level", "secretion", "synthesis", "risk", "incidence",
           "progression", "differentiation", "proliferation", "function", "response"}
STUDY = {"in_vitro", "cell_line", "animal", "human_observational", "clinical_study",
         "randomised_controlled_trial", "meta_analysis"}
ECO = {"ECO:0000304", "ECO:0000303", "ECO:0000305"}
src = re.sub(r"\s+", "", SRC.read_text(encoding="utf-8"))
ids = set()
for f in [ROOT / "curation/categories.yaml", ROOT / "curation/entities.yaml", *sorted((ROOT / "curation").glob("new_entities_*.yaml"))]:
    for e in yaml.safe_load(f.read_text(encoding="utf-8")) or []:
        ids.add(e["id"])
bad = 0
seen = set()
for path in sys.argv[1:]:
    for c in yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []:
        errs = []
        if c["id"] in seen:
            errs.append("duplicate id")
        seen.add(c["id"])
        for k in ("s", "o"):
            if c.get(k) not in ids:
                errs.append(f"unknown entity {k}={c.get(k)}")
        for e in c.get("context") or []:
            if e not in ids:
                errs.append(f"unknown context entity {e}")
        if c.get("rel") not in RELS:
            errs.append(f"bad rel {c.get('rel')}")
        if c.get("aspect") and c["aspect"] not in ASPECTS:
            errs.append(f"bad aspect {c['aspect']}")
        if c.get("study") and c["study"] not in STUDY:
            errs.append(f"bad study {c['study']}")
        if c.get("eco") not in ECO:
            errs.append(f"bad eco {c.get('eco')}")
        q = re.sub(r"\s+", "", c.get("quote") or "")
        if not q or q not in src:
            errs.append("quote not verbatim in source")
        if not c.get("en"):
            errs.append("no English statement")
        if any(not (1 <= r <= 66) for r in c.get("refs") or []):
            errs.append("ref out of range")
        if errs:
            bad += 1
            print(c["id"], "; ".join(errs))
print(f"{len(seen)} claims checked, {bad} with problems")
sys.exit(1 if bad else 0)
