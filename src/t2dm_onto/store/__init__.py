"""Backends that answer SPARQL: the embedded Oxigraph store (default), rdflib, or a remote endpoint.

All of them take the same query text and parameter bindings and return the same
:class:`~t2dm_onto.store.base.Result`, so a canned query gives the same rows
wherever it runs (tests/test_compliance.py). The embedded stores are listed by
name in :mod:`.registry`; :mod:`.disk` builds and opens the on-disk ones
(``prepare``, ``link``); the files they load are read by :mod:`t2dm_onto.rdfio`.
"""

from .base import Backend, Result
from .registry import STORES, open_backend, store_names

__all__ = ["STORES", "Backend", "Result", "open_backend", "store_names"]
