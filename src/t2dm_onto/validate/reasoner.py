"""OWL 2 DL consistency and unsatisfiable classes with HermiT (through owlready2).

owlready2 reads N-Triples or RDF/XML, not Turtle, so the graph is first written
as N-Triples to a temporary file. HermiT needs Java; without it the step is
skipped with a plain message and the other checks still run.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from ..errors import MissingDependencyError
from .report import Finding
from .shacl import shorten


def java_available() -> bool:
    return shutil.which("java") is not None


def run_reasoner(ntriples: bytes) -> list[Finding]:
    """Reason over the ontology given as N-Triples bytes; findings for inconsistency or unsatisfiable classes."""
    try:
        import owlready2
    except ImportError as exc:
        raise MissingDependencyError(
            "OWL reasoning needs owlready2: pip install 't2dm-onto[validate]'"
        ) from exc
    with tempfile.TemporaryDirectory(prefix="t2dm-reason-") as tmp:
        path = Path(tmp) / "ontology.nt"
        path.write_bytes(ntriples)
        world = owlready2.World()
        try:
            world.get_ontology(path.as_uri()).load()
        except Exception as exc:
            return [Finding("reasoner", "ontology", f"owlready2 could not read the ontology: {exc}")]
        try:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            return [
                Finding(
                    "reasoner",
                    "ontology",
                    "The ontology is inconsistent (HermiT): some individual must belong to disjoint classes "
                    "or a functional property has two different values. Look for a claim with two quotes, "
                    "sections or statements, or an individual typed in disjoint classes.",
                    rule="OWL 2 DL consistency",
                )
            ]
        except Exception as exc:  # Java crashed, jar missing, ...
            return [Finding("reasoner", "ontology", f"HermiT failed to run: {exc}".strip(), severity="ERROR")]
        unsat = sorted({shorten(c.iri) for c in world.inconsistent_classes() if c.iri != "http://www.w3.org/2002/07/owl#Nothing"})
    return [
        Finding(
            "reasoner",
            iri,
            "This class is unsatisfiable (no instance can exist): it probably sits under two disjoint top "
            "categories. Keep one parent line in curation/entities.yaml.",
            rule="OWL 2 DL satisfiability",
        )
        for iri in unsat
    ]
