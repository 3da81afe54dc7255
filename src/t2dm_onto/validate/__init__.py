"""Validation: SHACL shapes, OWL 2 DL reasoning (HermiT) and verbatim-quote checks.

:func:`validate` runs the three layers and returns a :class:`Report` whose
findings name the node, the rule and what to do.
"""

from .report import Finding, Report
from .runner import validate

__all__ = ["Finding", "Report", "validate"]
