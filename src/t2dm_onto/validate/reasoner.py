"""OWL 2 DL consistency and unsatisfiable classes with HermiT.

HermiT is the jar that owlready2 ships; it is run directly through its command
line (``-c -O``: classify and print the inferred hierarchy), because owlready2's
own wrapper loses unsatisfiable classes that are also declared as individuals
(OWL 2 punning, which every entity here uses). HermiT reads N-Triples, so the
graph is written to a temporary file first. Without Java the step is skipped
with a plain message and the other checks still run.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import MissingDependencyError
from .report import Finding
from .shacl import shorten

_NOTHING = re.compile(r"EquivalentClasses\(\s*<http://www\.w3\.org/2002/07/owl#Nothing>((?:\s*<[^>]+>)+)\s*\)")
_IRI = re.compile(r"<([^>]+)>")


def java_available() -> bool:
    return shutil.which("java") is not None


def hermit_classpath() -> str:
    try:
        import owlready2
    except ImportError as exc:
        raise MissingDependencyError("OWL reasoning needs owlready2 (it ships HermiT): "
                                     "pip install 't2dm-onto[validate]'") from exc
    base = Path(owlready2.__file__).parent / "hermit"
    return f"{base}:{base / 'HermiT.jar'}"


def run_reasoner(ntriples: bytes, timeout: float = 300.0) -> list[Finding]:
    """Reason over the ontology given as N-Triples; findings for inconsistency or unsatisfiable classes."""
    with tempfile.TemporaryDirectory(prefix="t2dm-reason-") as tmp:
        path = Path(tmp) / "ontology.nt"
        path.write_bytes(ntriples)
        cmd = ["java", "-Xmx2000M", "-cp", hermit_classpath(), "org.semanticweb.HermiT.cli.CommandLine",
               "-c", "-O", "-D", "-I", path.as_uri()]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return [Finding("reasoner", "ontology", f"HermiT did not finish within {timeout:g} s.",
                            rule="OWL 2 DL consistency")]
    if proc.returncode != 0:
        if "InconsistentOntologyException" in proc.stderr or "inconsistent" in proc.stderr.lower():
            return [Finding(
                "reasoner", "ontology",
                "The ontology is inconsistent (HermiT): some individual belongs to disjoint classes (for "
                "example a claim typed as a publication) or a functional property has two different values "
                "(a claim with two quotes, sections or statements). Fix the record and rebuild.",
                rule="OWL 2 DL consistency",
            )]
        detail = (proc.stderr.strip().splitlines() or ["no message"])[0][:300]
        return [Finding("reasoner", "ontology", f"HermiT failed: {detail}", rule="OWL 2 DL consistency")]
    unsat: set[str] = set()
    for match in _NOTHING.finditer(proc.stdout):
        unsat.update(_IRI.findall(match.group(1)))
    return [
        Finding(
            "reasoner",
            shorten(iri),
            "This class is unsatisfiable (no instance can exist): it probably sits under two disjoint top "
            "categories. Keep one parent line in curation/entities.yaml.",
            rule="OWL 2 DL satisfiability",
        )
        for iri in sorted(unsat)
    ]
