"""Write every canned query's JSON answer, as the CLI prints it, into one folder per run.

Why: a refactor must not change what users get. Run this before and after the
change and compare the folders byte for byte (``diff -r``). Each query runs with
its defaults, with its example arguments, and with every bool parameter switched
on, in English and Chinese, on Oxigraph and rdflib.

    python tools/answer_snapshot.py OUTDIR [--stores oxigraph,rdflib]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def cases(catalog) -> list[tuple[str, dict[str, str]]]:
    """(query, arguments) pairs: defaults, examples, and examples with each bool flag on."""
    out: list[tuple[str, dict[str, str]]] = []
    for q in catalog:
        base = q.example_args()
        out.append((q.name, dict(base)))
        full = {p.name: p.example for p in q.params}
        if full != base:
            out.append((q.name, full))
        for p in q.params:
            if p.kind == "bool":
                out.append((q.name, {**full, p.name: "true"}))
    seen: set[str] = set()
    unique = []
    for name, args in out:
        key = name + repr(sorted(args.items()))
        if key not in seen:
            seen.add(key)
            unique.append((name, args))
    return unique


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--stores", default="oxigraph,rdflib")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    from t2dm_onto.catalog import Catalog

    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    args.outdir.mkdir(parents=True, exist_ok=True)
    n = 0
    for i, (name, params) in enumerate(cases(Catalog())):
        for store in args.stores.split(","):
            for lang in ("en", "zh"):
                cmd = [sys.executable, "-m", "t2dm_onto", "query", name, "-f", "json", "--lang", lang,
                       "--store", store, "--no-links", *(f"{k}={v}" for k, v in sorted(params.items()))]
                done = subprocess.run(cmd, capture_output=True, env=env, cwd=ROOT, timeout=300)
                stem = f"{i:03d}-{name}-{store}-{lang}"
                (args.outdir / f"{stem}.json").write_bytes(done.stdout)
                (args.outdir / f"{stem}.args").write_text(" ".join(cmd[3:]) + f"\nexit {done.returncode}\n"
                                                          + done.stderr.decode("utf-8", "replace"))
                n += 1
    print(f"{n} answers written to {args.outdir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
