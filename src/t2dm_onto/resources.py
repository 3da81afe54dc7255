"""Locate the data files (ontology, shapes, queries, mappings).

In an installed wheel they live in ``t2dm_onto/data/``; in a source checkout
(editable install, or running the tests) they are the top-level folders of the
repository. Looking in both places keeps one copy of each file in git.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_KINDS = ("ontology", "shapes", "queries", "mappings", "curation")


@cache
def data_root() -> Path:
    """Folder holding ``ontology/``, ``shapes/``, ``queries/``, ``mappings/`` (and the ledger under ``curation/``)."""
    packaged = _PACKAGE_DIR / "data"
    if (packaged / "ontology").is_dir():
        return packaged
    repo = _PACKAGE_DIR.parent.parent
    if (repo / "ontology").is_dir():
        return repo
    raise FileNotFoundError(
        "t2dm-onto data files not found: neither the package's data/ folder nor a source checkout. "
        "Reinstall the package with `pip install .` from the repository."
    )


def data_path(kind: str, *parts: str) -> Path:
    """Path of a shipped data file, e.g. ``data_path("ontology", "t2dm_op.ttl")``."""
    if kind not in _KINDS:
        raise ValueError(f"unknown data kind {kind!r}; expected one of {_KINDS}")
    return data_root().joinpath(kind, *parts)


def ontology_file() -> Path:
    """The main ontology in Turtle."""
    return data_path("ontology", "t2dm_op.ttl")


def import_file() -> Path:
    """The import module: the external terms the ontology uses, with labels and parents.

    The ontology ``owl:imports`` it by IRI; this is the local copy that IRI stands for
    (``ontology/catalog-v001.xml`` says the same to Protégé and ROBOT).
    """
    return data_path("ontology", "imports", "t2dm_op_import.ttl")


#: Where the review's text lies below a checkout (or the wheel's data folder).
REVIEW_PATH = Path("curation", "source", "review_t2dm_op_zh.txt")


def review_file(root: Path | None = None) -> Path:
    """The review's text the claims' quotes are checked against: a byte-identical copy shipped with the data.

    In a checkout it is ``curation/source/review_t2dm_op_zh.txt``; the wheel carries it
    under ``t2dm_onto/data/curation/source/`` (so ``validate`` checks quotes when installed).
    ``root`` names another checkout (the tests check copies of the tree).
    """
    return (data_root() if root is None else root) / REVIEW_PATH


def repo_root() -> Path | None:
    """The source checkout, when running from one (needed only by the builder)."""
    repo = _PACKAGE_DIR.parent.parent
    return repo if (repo / "curation").is_dir() else None
