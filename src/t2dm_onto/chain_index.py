"""The chain queries answered from an adjacency index of a prepared store, by the rule of :mod:`t2dm_onto.paths`.

``mediators-increasing`` and ``mediators-decreasing`` walk back from their target
through every causal claim into it: with ``transitive=true`` on 10^5 claims that
is tens of seconds in SPARQL, though the walk itself is cheap. ``t2dm-onto prepare``
therefore saves, beside the store, the causal claims (subject, relation, object),
each claim's context fields and references, and the labels of the entities and
sites they name (:func:`build`), and :func:`answer` computes those queries' rows
from it with :func:`t2dm_onto.paths.into` instead of SPARQL.

The rows are the SPARQL's, cell for cell, in its order: each of a chain's hops
lists its claims, references and contexts in the order in which the store's
evaluation meets them, which is the store's order of claims, sites and
references (kept in the index as read) walked hop by hop from the target. A
test compares both on the review and a synthetic graph.

The index is used only when it belongs to the same data and the same rule: its
header records the content hash of the files the store was built from (as
:mod:`t2dm_onto.summaries` does) and a hash of the generated chain SPARQL; on a
mismatch, or a store without an index, the query runs from SPARQL.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import paths
from .catalog import CannedQuery
from .contexts import HUMAN_STUDY_TYPES, NOT_STATED
from .store.base import Result
from .terms import Term

XSD = "http://www.w3.org/2001/XMLSchema#"

#: Inside a prepared store.
FILE = "t2dm-onto-chains.json"
FORMAT = 1
#: The queries answered from the index (both walk back from their target).
ROUTED = ("mediators-increasing", "mediators-decreasing")
LANGS = ("en", "zh")
_COLUMNS = ["source_label", "source", "target_label", "target", "hops", "net_sign", "chain",
            "hop_references", "hop_claims", "context_consistent", "hop_contexts"]
_P = "PREFIX t2dm: <https://w3id.org/t2dm-onto/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
_CLAIMS = _P + "SELECT ?c ?s ?r ?o WHERE { ?c t2dm:has_relation ?r ; t2dm:has_subject ?s ; t2dm:has_object ?o }"
_FIELDS = _P + "SELECT ?c ?v WHERE {{ ?c t2dm:has_relation ?r ; t2dm:{field} ?v }}"
_SITES = _P + "SELECT ?c ?site WHERE { ?c t2dm:has_relation ?r ; t2dm:in_context ?site }"
_REFS = _P + "SELECT ?c ?num WHERE { ?c t2dm:has_relation ?r ; t2dm:cites/t2dm:reference_number ?num }"
_LABELS = _P + "SELECT ?x ?l WHERE { ?x rdfs:label ?l FILTER (LANG(?l) = ?lang) }"
_ARROW = {1: " –(+)→ ", -1: " –(−)→ "}


def rule_hash() -> str:
    """What decides the rows besides the data: the generated SPARQL of the routed queries, the format."""
    return hashlib.sha256(json.dumps([FORMAT, paths.sparql("back")]).encode("utf-8")).hexdigest()


# -- building --------------------------------------------------------------------------
def build(location: Path, backend: Any, data: str) -> None:
    """Write the index of the store ``backend`` (open on ``location``) for the data hash ``data``."""
    claims: dict[str, list[Any]] = {}
    for row in backend.select(_CLAIMS).rows:
        relation = row["r"].rsplit("/", 1)[-1]
        if relation in paths.CAUSAL:
            claims[row["c"]] = [row["s"], relation, row["o"], {}, [], []]
    for field in paths.CONTEXT_FIELDS[:-1]:
        for row in backend.select(_FIELDS.format(field=field)).rows:
            if row["c"] in claims:
                claims[row["c"]][3].setdefault(field, []).append(str(row["v"]))
    for row in backend.select(_SITES).rows:
        if row["c"] in claims:
            claims[row["c"]][4].append(row["site"])
    for row in backend.select(_REFS).rows:
        if row["c"] in claims:
            claims[row["c"]][5].append(str(row["num"]))
    named = {iri for c in claims.values() for iri in (c[0], c[2], *c[4])}
    labels = {}
    for lang in LANGS:
        found: dict[str, list[str]] = {}
        for row in backend.select(_LABELS, {"lang": Term.literal(lang)}).rows:
            if row["x"] in named:
                found.setdefault(row["x"], []).append(str(row["l"]))
        labels[lang] = found
    head = {"format": FORMAT, "data": data, "rule": rule_hash()}
    body = {"claims": claims, "labels": labels}
    (location / FILE).write_text(json.dumps(head) + "\n" + json.dumps(body, ensure_ascii=False) + "\n",
                                 encoding="utf-8")


# -- reading ---------------------------------------------------------------------------
@dataclass
class Index:
    """The causal claims of a store, grouped into hops, with what the rows show of them."""

    claims: dict[str, list[Any]]
    labels: dict[str, dict[str, list[str]]]
    hops: dict[paths.Key, list[str]]
    out: dict[str, list[paths.Key]]

    @classmethod
    def of(cls, claims: dict[str, list[Any]], labels: dict[str, dict[str, list[str]]]) -> Index:
        hops: dict[paths.Key, list[str]] = {}
        for iri, (s, r, o, *_rest) in claims.items():
            hops.setdefault((s, r, o), []).append(iri)
        return cls(claims, labels, hops, paths.adjacency(hops))


_CACHE: dict[Path, tuple[float, Index | None]] = {}


def load(location: Path, data: str | None) -> Index | None:
    """The index in ``location`` if it matches ``data`` and the rule; kept in memory while the file is unchanged."""
    path = location / FILE
    try:
        stamp = path.stat().st_mtime
    except OSError:
        return None
    cached = _CACHE.get(path)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    index = None
    with path.open(encoding="utf-8") as fh:
        try:
            head = json.loads(fh.readline())
            if head.get("format") == FORMAT and head.get("data") == data and data and head.get("rule") == rule_hash():
                body = json.loads(fh.readline())
                index = Index.of(body["claims"], body["labels"])
        except ValueError:
            index = None
    _CACHE[path] = (stamp, index)
    return index


def answer(backend: Any, query: CannedQuery, bindings: dict[str, Term | None]) -> Result | None:
    """The rows of a routed chain query from the store's index, or None (then SPARQL answers)."""
    folder = getattr(backend, "summaries", None)
    if query.name not in ROUTED or query.base not in (None, "mediators-increasing") or folder is None:
        return None
    index = load(folder.parent, getattr(backend, "data_hash", None))
    if index is None:
        return None
    return Result(list(_COLUMNS), rows(index, {k: _plain(v) for k, v in bindings.items()}))


def _plain(term: Term | None) -> Any:
    """A bound term as a Python value (booleans and integers are held as their lexical form)."""
    if term is None:
        return None
    if term.datatype == XSD + "boolean":
        return term.value == "true"
    if term.datatype == XSD + "integer":
        return int(term.value)
    return term.value


# -- the rows ------------------------------------------------------------------------------
def rows(index: Index, p: dict[str, Any]) -> list[dict[str, Any]]:
    """What the ``back`` chain SPARQL gives for the bound parameters ``p`` (plain values)."""
    lang, target, want = p["lang"], p["target"], p.get("want_sign")
    most = int(p["max_hops"]) if p.get("transitive") else 1
    out = []
    for chain in paths.into(index.out, target, min(most, paths.SPARQL_HOPS)):
        if p.get("source") is not None and chain[0][0] != p["source"]:
            continue
        if want is not None and paths.sign(chain) != int(want):
            continue
        out.extend(_group(index, chain, lang, bool(p.get("consistent_context"))))
    out.sort(key=lambda r: (r["hops"], r["chain"]))
    return out


def _group(index: Index, chain: paths.Chain, lang: str, only_fitting: bool) -> Iterator[dict[str, Any]]:
    """The grouped row(s) of one chain: one per choice of node labels (one each, as curated)."""
    names = index.labels[lang]
    nodes = [chain[0][0], *(k[2] for k in chain)]
    if any(n not in names for n in nodes):
        return
    walked = list(_rows(index, chain, lang))
    if only_fitting:
        walked = [w for w in walked if w[3]]
    if not walked:
        return
    for choice in _label_choices([names[n] for n in nodes]):
        text = choice[0]
        for key, label in zip(chain, choice[1:], strict=True):
            text += _ARROW[paths.CAUSAL[key[1]]] + label
        yield {"source_label": choice[0], "source": nodes[0], "target_label": choice[-1], "target": nodes[-1],
               "hops": len(chain), "net_sign": "+" if paths.sign(chain) > 0 else "-", "chain": text,
               "hop_references": _joined([[_refs(w[0][h]) for w in walked] for h in range(len(chain))], ",", refs=True),
               "hop_claims": _joined([[w[1][h] for w in walked] for h in range(len(chain))], ","),
               "context_consistent": max(w[4] for w in walked),
               "hop_contexts": _joined([[w[2][h] for w in walked] for h in range(len(chain))], "; ")}


def _label_choices(options: Sequence[list[str]]) -> Iterator[list[str]]:
    if not options:
        yield []
        return
    for first in options[0]:
        for rest in _label_choices(options[1:]):
            yield [first, *rest]


def _refs(num: str | None) -> str:
    return "-" if num is None else num


def _joined(per_hop: list[list[str]], sep: str, refs: bool = False) -> str:
    """Each hop's distinct values in order of first appearance, hops joined by " | " (the SELECT's lists)."""
    parts = []
    for values in per_hop:
        text = sep.join(dict.fromkeys(values))
        if refs:
            text = re.sub(",-$|^-,", "", text).replace(",-,", ",")
        parts.append(text)
    return " | ".join(parts)


def _rows(index: Index, chain: paths.Chain, lang: str) -> Iterator[tuple[list, list, list, bool, str]]:
    """The SPARQL's rows of one chain, in its order: claims hop by hop from the target, then per claim
    one site, then per claim one reference. Each: (refs, claim ids, contexts, fits, agreement word)."""
    n = len(chain)
    per_hop = [index.hops[key] for key in chain]

    def claims(h: int) -> Iterator[list[str]]:  # from the last hop back to the first
        if h < 0:
            yield []
            return
        for c in per_hop[h]:
            for rest in claims(h - 1):
                yield [*rest, c]

    sites_of = {}
    for combo in claims(n - 1):
        options = []
        for c in combo:
            if c not in sites_of:
                named = [s for s in index.claims[c][4] if s in index.labels[lang]]
                sites_of[c] = [(s, label) for s in named for label in index.labels[lang][s]] or [None]
            options.append(sites_of[c])
        for sites in _product(options):
            ctxs = [_context(index.claims[c][3], site) for c, site in zip(combo, sites, strict=True)]
            fits, word = _fits(ctxs, n)
            texts = [ctx[1] for ctx in ctxs]
            for refs in _product([index.claims[c][5] or [None] for c in combo]):
                yield list(refs), [c.rsplit("/claim/", 1)[-1] for c in combo], texts, fits, word


def _product(options: Sequence[Sequence[Any]]) -> Iterator[tuple[Any, ...]]:
    """Nested loops, the first option outermost (SPARQL's OPTIONALs in the order written)."""
    if not options:
        yield ()
        return
    for first in options[0]:
        for rest in _product(options[1:]):
            yield (first, *rest)


def _stated(fields: dict[str, list[str]], name: str) -> str | None:
    values = [v for v in fields.get(name, []) if v != NOT_STATED]
    return values[0] if values else None


def _context(fields: dict[str, list[str]], site: tuple[str, str] | None) -> tuple[dict[str, str | None], str]:
    """One row's context of a claim (its values compared, with its organism) and its text."""
    pop, sex, spe, stu = (_stated(fields, f) for f in paths.CONTEXT_FIELDS[:-1])
    org = spe or ("human" if pop or (stu or "") in HUMAN_STUDY_TYPES else None)
    shown = ", ".join(v for v in (pop, sex, spe, stu, site[1] if site else None) if v)
    return {"pop": pop, "sex": sex, "org": org, "stu": stu, "site": site[0] if site else None}, shown or "-"


def _fits(ctxs: list[tuple[dict[str, str | None], str]], n: int) -> tuple[bool, str]:
    """The row's test: every stated value of each dimension equal (fits), and stated on every hop or none (same)."""
    fits = same = True
    for dim in ("pop", "sex", "org", "stu", "site"):
        stated = [c[0][dim] for c in ctxs if c[0][dim] is not None]
        if stated and any(v != stated[0] for v in stated):
            fits = False
        if stated and len(stated) < n:
            same = False
    return fits, "yes" if fits and same else "partly" if fits else "no"
