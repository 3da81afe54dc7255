"""t2dm-onto: the knowledge base of how type 2 diabetes leads to osteoporosis.

The public entry point is :class:`KnowledgeBase`::

    >>> from t2dm_onto import KnowledgeBase
    >>> kb = KnowledgeBase()
    >>> rows = kb.query("mediators-increasing", target="RANKL")
    >>> sorted({r["mediator"] for r in rows})[:2]
    ['IL-6', 'RANKL']

Heavy dependencies (rdflib, pyshacl, owlready2) are imported only by the
functions that need them, so a query starts fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .version import __version__

__all__ = ["KnowledgeBase", "T2DMError", "__version__"]

if TYPE_CHECKING:
    from .errors import T2DMError
    from .kb import KnowledgeBase


def __getattr__(name: str) -> Any:
    # Lazy attributes keep `import t2dm_onto` cheap (PEP 562).
    if name == "KnowledgeBase":
        from .kb import KnowledgeBase

        return KnowledgeBase
    if name == "T2DMError":
        from .errors import T2DMError

        return T2DMError
    raise AttributeError(name)
