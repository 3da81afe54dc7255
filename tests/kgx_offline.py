"""Run the KGX validator without a network.

kgx (through bmt) fetches the Biolink schema, its predicate map and a JSON-LD
prefix context from GitHub when it is imported. The machines this project runs
on reach package registries only, so point them at the files of the installed
``biolink-model`` package instead: its schema YAML and its prefix map, which are
the same release. The predicate map only rewrites non-canonical predicates and
is not shipped in that package, so it is left empty; validation does not read it.

kgx pins half an ecosystem (sphinx, tox, neo4j, duckdb, pyarrow ...), so it lives
in its own virtual environment (``.venv-kgx``, made by ``.ci/run``) and this file
also runs as a script there: ``.venv-kgx/bin/python tests/kgx_offline.py nodes.tsv
edges.tsv --prefix T2DMOP`` prints the ERROR-level findings as JSON and exits 1
when there are any. It imports nothing from t2dm_onto.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from importlib.resources import files
from pathlib import Path
from typing import Any

_READY = False


def _offline() -> None:
    global _READY
    if _READY:
        return
    import bmt.toolkit as tk

    schema = files("biolink_model") / "schema" / "biolink_model.yaml"
    prefix_map = files("biolink_model") / "prefixmaps" / "biolink-model-prefix-map.json"
    defaults = list(tk.Toolkit.__init__.__defaults__)
    defaults[0] = str(schema)
    defaults[1] = {"predicate mappings": []}
    tk.Toolkit.__init__.__defaults__ = tuple(defaults)

    import kgx.config as kc

    kc.get_config()
    kc.jsonld_context_map["biolink"] = json.loads(prefix_map.read_text(encoding="utf-8"))
    _READY = True


def validate(paths: Iterable[Path], extra_prefixes: Iterable[str] = ()) -> dict[str, Any]:
    """KGX's own validation of TSV files; returns its ERROR-level findings (empty when valid).

    ``extra_prefixes`` are added to Biolink's prefix map, as a KG declares its own local prefix.
    """
    _offline()
    from kgx.transformer import Transformer
    from kgx.validator import Validator

    Validator.set_biolink_model(None)
    validator = Validator()
    validator.prefixes |= set(extra_prefixes)
    Transformer(stream=True).transform(
        input_args={"filename": [str(p) for p in paths], "format": "tsv"},
        output_args={"format": "null"},
        inspector=validator,
    )
    return validator.get_errors("ERROR")


def biolink_version() -> str:
    _offline()
    from kgx.validator import Validator

    return str(Validator().get_validation_model_version())


def main(argv: list[str]) -> int:
    import argparse
    import contextlib
    import io
    import sys

    parser = argparse.ArgumentParser(description="kgx validate, offline")
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--prefix", action="append", default=[], help="a local CURIE prefix to accept")
    args = parser.parse_args(argv)
    with contextlib.redirect_stdout(io.StringIO()):  # kgx logs to stdout; keep stdout for the JSON answer
        errors = validate(args.files, args.prefix)
        version = biolink_version()
    sys.stdout.write(json.dumps({"biolink_version": version, "errors": errors}) + "\n")
    return 1 if errors else 0


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
