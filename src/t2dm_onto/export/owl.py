"""Export format ``owl``: one self-contained RDF/XML file for Protégé and the OWL API.

The ontology may ``owl:imports`` modules shipped in ``ontology/imports/*.ttl``.
Protégé resolves an import by fetching its IRI, which fails offline and under a
w3id redirect that is not yet live; so their axioms are merged into this file
instead, their ``owl:imports`` statements removed, and their own ontology
headers dropped (one document, one ``owl:Ontology``). Imports that are not
shipped stay as they are: this writer has nothing to merge them with.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError
from ..namespaces import ONTOLOGY_IRI, OWL, RDF
from ..resources import data_path
from .rdf import canonical, kb_triples, serialize

if TYPE_CHECKING:
    import pyoxigraph as ox

    from ..kb import KnowledgeBase

KIND = "file"
DESCRIPTION = "OWL in RDF/XML for Protégé: shipped import modules merged, their owl:imports removed"


def imports_folder() -> Path:
    """Where the shipped import modules live (absent until there are some)."""
    return data_path("ontology", "imports")


def read_modules(folder: Path) -> list[tuple[Path, list[ox.Triple]]]:
    """Each ``*.ttl`` module of ``folder`` (sorted by name) with its triples."""
    import pyoxigraph as ox

    modules = []
    for path in sorted(folder.glob("*.ttl")) if folder.is_dir() else []:
        try:
            modules.append((path, list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))))
        except (SyntaxError, ValueError, OSError) as exc:
            raise InputError(f"{path}: cannot read the import module as Turtle: {exc}") from exc
    return modules


def merge_imports(triples: list[ox.Triple], modules: list[tuple[Path, list[ox.Triple]]]) -> list[ox.Triple]:
    """The ontology's triples with the modules' axioms merged in and their imports resolved."""
    import pyoxigraph as ox

    rdf_type, ontology = ox.NamedNode(RDF + "type"), ox.NamedNode(OWL + "Ontology")
    owl_imports = ox.NamedNode(OWL + "imports")
    main = ox.NamedNode(ONTOLOGY_IRI)
    merged: set[ox.NamedNode | ox.BlankNode] = set()
    for _path, module in modules:
        merged |= {t.subject for t in module if t.predicate == rdf_type and t.object == ontology and t.subject != main}
    # the knowledge base may already hold a module (KnowledgeBase loads the import module):
    # its header goes too, wherever it came from
    out = [t for t in triples if not (t.predicate == owl_imports and t.object in merged) and t.subject not in merged]
    for _path, module in modules:
        # the module's header (its IRI, version, imports) describes a document that no longer exists apart
        out += [t for t in module if t.subject not in merged and not (t.predicate == owl_imports and t.object in merged)]
    return out


def owl_triples(kb: KnowledgeBase, folder: Path | None = None) -> list[ox.Triple]:
    """What the ``owl`` export writes, canonical and sorted."""
    modules = read_modules(imports_folder() if folder is None else folder)
    return canonical(merge_imports(kb_triples(kb), modules))


def write(kb: KnowledgeBase, path: Path) -> None:
    path.write_bytes(serialize(owl_triples(kb), "rdfxml"))
