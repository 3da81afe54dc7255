"""``t2dm-onto link``: keep external ontologies (GO, ChEBI, UBERON...) beside the knowledge base.

Why a persistent store: GO alone is about a million triples and ChEBI several
times that; parsing them again for every ``t2dm-onto query`` would cost seconds to
minutes. ``link`` parses each file once (OWL/RDF-XML, Turtle, N-Triples, JSON-LD or
OBO through :mod:`t2dm_onto.obo`) into an on-disk Oxigraph store together with the
knowledge base and its import module, and records what it loaded in a manifest.
Query commands then open that store read-only, so canned queries such as
``claims-under`` see the external hierarchies at no parsing cost.

The store lives in ``$T2DM_ONTO_HOME/linked`` (default ``~/.local/share/t2dm-onto``,
or ``$XDG_DATA_HOME/t2dm-onto``). It is rebuilt by itself when the knowledge base
changes (a new release of this package) or a linked file changes on disk; a linked
file that has disappeared is an error that says how to unlink it.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .errors import InputError, UsageError

SUFFIXES = (".owl", ".rdf", ".xml", ".ttl", ".nt", ".jsonld", ".obo")
MANIFEST = "manifest.json"
STORE = "store"


def home() -> Path:
    """Where linked ontologies are kept: ``$T2DM_ONTO_HOME``, else the XDG data folder."""
    if os.environ.get("T2DM_ONTO_HOME"):
        return Path(os.environ["T2DM_ONTO_HOME"]).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "t2dm-onto"


def _linked_dir(base: Path | None = None) -> Path:
    return (base or home()) / "linked"


def kb_files() -> list[Path]:
    """The files that make up the knowledge base itself: the ontology and its import module."""
    from .resources import import_file, ontology_file

    return [ontology_file(), import_file()]


def _digest(paths: Sequence[Path]) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.read_bytes())
    return h.hexdigest()


def _stamp(path: Path) -> dict[str, Any]:
    st = path.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns}


def expand(paths: Sequence[str | Path]) -> list[Path]:
    """Files named on the command line; a directory stands for the ontology files directly in it."""
    out: list[Path] = []
    for raw in paths:
        p = Path(raw).expanduser()
        if p.is_dir():
            found = sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in SUFFIXES)
            if not found:
                raise InputError(f"{p}: no ontology file in this folder (looked for {', '.join(SUFFIXES)}).")
            out.extend(found)
        elif p.is_file():
            if p.suffix.lower() not in SUFFIXES:
                raise InputError(f"{p}: unknown ontology file type {p.suffix!r}; use one of {', '.join(SUFFIXES)}.")
            out.append(p)
        else:
            raise InputError(f"{p}: no such file or folder.")
    resolved: list[Path] = []
    for p in out:
        r = p.resolve()
        if r not in resolved:
            resolved.append(r)
    return resolved


def read_manifest(base: Path | None = None) -> dict[str, Any] | None:
    path = _linked_dir(base) / MANIFEST
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: the link manifest is unreadable ({exc}). Run `t2dm-onto link --clear` "
                         "and link the ontologies again.") from exc
    if not isinstance(data, dict) or not isinstance(data.get("files"), list):
        raise InputError(f"{path}: not a link manifest. Run `t2dm-onto link --clear` and link again.")
    return data


def build_store(files: Sequence[Path], base: Path | None = None) -> dict[str, Any]:
    """Load the knowledge base and ``files`` into a fresh on-disk store; write the manifest.

    Whole or nothing: the store is built in a temporary folder beside the old one and
    swapped in only when every file has loaded.
    """
    from .outputs import atomic_write
    from .store.disk import new_store

    folder = _linked_dir(base)
    folder.mkdir(parents=True, exist_ok=True)
    kb = kb_files()
    with new_store(folder / STORE, "link", unmarked_ok=True) as built:  # our data home, not a user path
        added = built.fill([*kb, *files])[len(kb):]
        total = built.triples()
    records = [{"path": str(path), **_stamp(path), "triples_added": n} for path, n in zip(files, added, strict=True)]
    manifest = {"kb_digest": _digest(kb_files()), "files": records, "triples": total}
    atomic_write(folder / MANIFEST, json.dumps(manifest, indent=2) + "\n")
    return manifest


def _stale(manifest: dict[str, Any]) -> str | None:
    """Why the store must be rebuilt, or ``None`` when it is current."""
    if manifest.get("kb_digest") != _digest(kb_files()):
        return "the knowledge base changed since the ontologies were linked"
    for rec in manifest["files"]:
        path = Path(rec["path"])
        if not path.is_file():
            raise InputError(f"linked ontology {path} is gone. Link it again from its new place, or run "
                             f"`t2dm-onto link --remove {path}` (or `--clear`).")
        if _stamp(path) != {"size": rec.get("size"), "mtime_ns": rec.get("mtime_ns")}:
            return f"{path} changed since it was linked"
    return None


def linked_paths(base: Path | None = None) -> list[Path]:
    """The linked files themselves, for stores that load files rather than open the linked store."""
    manifest = read_manifest(base)
    if manifest is None:
        return []
    _stale(manifest)  # raises for a file that has gone
    return [Path(r["path"]) for r in manifest["files"]]


def open_linked(extra: Sequence[Path] = (), base: Path | None = None, timeout: float | None = None):
    """The backend over the linked store, or ``None`` when nothing is linked.

    With ``extra`` files (``--with``) the linked files and the extras are loaded into
    a fresh in-memory store instead, since the on-disk store is opened read-only.
    """
    manifest = read_manifest(base)
    if manifest is None or not manifest["files"]:
        return None
    reason = _stale(manifest)
    if reason:
        sys.stderr.write(f"t2dm-onto: {reason}; reloading the linked ontologies...\n")
        manifest = build_store([Path(r["path"]) for r in manifest["files"]], base)
    from .store.disk import open_read_only
    from .store.oxigraph import OxigraphBackend

    if extra:
        return OxigraphBackend([*kb_files(), *(Path(r["path"]) for r in manifest["files"]), *extra], timeout=timeout)
    folder = _linked_dir(base)
    return open_read_only(folder / STORE, timeout, lambda exc: InputError(
        f"the linked store in {folder} cannot be opened ({exc}). Run `t2dm-onto link --refresh`, or `--clear` "
        "and link again."))


def store_path(base: Path | None = None) -> Path:
    """Where the linked store is (it exists once something is linked)."""
    return _linked_dir(base) / STORE


def unlink_all(base: Path | None = None) -> None:
    """Unlink every ontology: delete the manifest and the store."""
    import shutil

    shutil.rmtree(_linked_dir(base), ignore_errors=True)


def relink(add: Sequence[str | Path] = (), remove: Sequence[str | Path] = (),
           base: Path | None = None) -> dict[str, Any] | None:
    """Link ``add``, unlink ``remove``, and rebuild the store from every file then linked (all of them
    reloaded from disk); returns the new manifest, or ``None`` when nothing is linked any more."""
    manifest = read_manifest(base)
    current = [Path(r["path"]) for r in (manifest or {"files": []})["files"]]
    for raw in remove:
        target = Path(raw).expanduser().resolve()
        if target not in current:
            known = ", ".join(map(str, current)) or "none"
            raise UsageError(f"{raw} is not linked (linked: {known}).")
        current.remove(target)
    for path in expand(add):
        if path not in current:
            current.append(path)
    if not current:
        unlink_all(base)
        return None
    return build_store(current, base)
