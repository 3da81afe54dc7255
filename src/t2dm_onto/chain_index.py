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
test compares both on the review and a synthetic graph. ``causal-paths`` is not
routed: its halves meet in a join whose order the store does not tie to the
claims' (a hop's claims came out in another order in 10 of 320 review cases),
and it starts from two bound entities anyway. Nor are direct-claim asks
(``transitive=false``) until the index is in memory: SPARQL answers them in
milliseconds, while reading the index of 10^5 claims takes seconds.

The index is used only when it belongs to the same data and the same rule: its
header records the content hash of the files the store was built from (as
:mod:`t2dm_onto.summaries` does) and a hash of the generated chain SPARQL; on a
mismatch, or a store without an index, the query runs from SPARQL.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from itertools import product
from pathlib import Path
from typing import Any

from . import paths
from .catalog import CannedQuery, internal
from .contexts import HUMAN_STUDY_TYPES, NOT_STATED
from .namespaces import BASE, XSD, local_name
from .store.base import Result
from .terms import Term

#: Inside a prepared store.
FILE = "t2dm-onto-chains.json"
FORMAT = 1
#: The queries answered from the index (both walk back from their target).
ROUTED = ("mediators-increasing", "mediators-decreasing")
LANGS = ("en", "zh")
_COLUMNS = ["source_label", "source", "target_label", "target", "hops", "net_sign", "chain",
            "hop_references", "hop_claims", "context_consistent", "hop_contexts"]
_ARROW = {1: " –(+)→ ", -1: " –(−)→ "}


def rule_hash() -> str:
    """What decides the rows besides the data: the generated SPARQL of the routed queries, the format."""
    return hashlib.sha256(json.dumps([FORMAT, paths.sparql("back")]).encode("utf-8")).hexdigest()


# -- building --------------------------------------------------------------------------
def build(location: Path, store: Any, data: str) -> None:
    """Write the index of the store being built on ``location`` (anything with ``select``) for the data hash ``data``."""
    claims: dict[str, list[Any]] = {}
    for row in store.select(internal("chain-claims")).rows:
        relation = local_name(row["r"])
        if relation in paths.CAUSAL:
            claims[row["c"]] = [row["s"], relation, row["o"], {}, [], []]
    for name in paths.CONTEXT_FIELDS[:-1]:
        for row in store.select(internal("chain-field"), {"field": Term.iri(BASE + name)}).rows:
            if row["c"] in claims:
                claims[row["c"]][3].setdefault(name, []).append(str(row["v"]))
    for row in store.select(internal("chain-sites")).rows:
        if row["c"] in claims:
            claims[row["c"]][4].append(row["site"])
    for row in store.select(internal("chain-references")).rows:
        if row["c"] in claims:
            claims[row["c"]][5].append(str(row["num"]))
    named = {iri for c in claims.values() for iri in (c[0], c[2], *c[4])}
    labels = {}
    for lang in LANGS:
        found: dict[str, list[str]] = {}
        for row in store.select(internal("labels-in"), {"lang": Term.literal(lang)}).rows:
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
    back: dict[str, list[paths.Key]]
    _views: dict[str, dict[str, tuple[str, list[Option], list[str]]]] = field(default_factory=dict)

    @classmethod
    def of(cls, claims: dict[str, list[Any]], labels: dict[str, dict[str, list[str]]]) -> Index:
        hops: dict[paths.Key, list[str]] = {}
        for iri, (s, r, o, *_rest) in claims.items():
            hops.setdefault((s, r, o), []).append(iri)
        return cls(claims, labels, hops, paths.reverse(paths.adjacency(hops)))

    def view(self, lang: str) -> dict[str, tuple[str, list[Option], list[str]]]:
        """Per claim: its local id, its rows' contexts in ``lang`` and its references ("-" for none)."""
        if lang not in self._views:
            self._views[lang] = {iri: (local_name(iri), _options(c, self.labels[lang]), c[5] or ["-"])
                                 for iri, c in self.claims.items()}
        return self._views[lang]


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
    if not _plain(bindings.get("transitive")) and folder.parent / FILE not in _CACHE:
        return None  # direct claims only: SPARQL answers in milliseconds, reading the index takes seconds at 10^5
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
    only_fitting = bool(p.get("consistent_context"))
    names = index.labels[lang]
    view = index.view(lang)
    out = []
    for chain in paths.into(index.back, target, min(most, paths.SPARQL_HOPS)):
        if p.get("source") is not None and chain[0][0] != p["source"]:
            continue
        net = paths.sign(chain)
        if want is not None and net != int(want):
            continue
        nodes = [chain[0][0], *(k[2] for k in chain)]
        if any(n not in names for n in nodes):
            continue
        group = _group(index, view, chain, only_fitting)
        if group is None:
            continue
        for choice in product(*(names[n] for n in nodes)):
            text = choice[0]
            for key, label in zip(chain, choice[1:], strict=True):
                text += _ARROW[paths.CAUSAL[key[1]]] + label
            out.append({"source_label": choice[0], "source": nodes[0], "target_label": choice[-1],
                        "target": nodes[-1], "hops": len(chain), "net_sign": "+" if net > 0 else "-",
                        "chain": text, **group})
    out.sort(key=lambda r: (r["hops"], r["chain"]))
    return out


#: A claim as one row shows it: its compared values (population, sex, organism, study type, site) and text.
Option = tuple[tuple[str | None, ...], str]


def _group(index: Index, view: dict[str, tuple[str, list[Option], list[str]]], chain: paths.Chain,
           only_fitting: bool) -> dict[str, str] | None:
    """The grouped cells of one chain, from its rows in the SPARQL's order: claims hop by hop from the
    target (the last hop outermost), then one site per claim, then one reference per claim."""
    n = len(chain)
    per_hop = [index.hops[key] for key in chain]
    seen_claims: list[dict[str, None]] = [{} for _ in chain]
    seen_refs: list[dict[str, None]] = [{} for _ in chain]
    seen_ctx: list[dict[str, None]] = [{} for _ in chain]
    best = ""
    for reverse in product(*reversed(per_hop)):
        combo = reverse[::-1]
        claims = [view[c] for c in combo]
        for options in product(*(c[1] for c in claims)):
            fits, same = True, True
            for dim in range(5):
                stated = [o[0][dim] for o in options if o[0][dim] is not None]
                if stated:
                    if len(stated) < n:
                        same = False
                    if stated.count(stated[0]) != len(stated):
                        fits = same = False
                        break
            if only_fitting and not fits:
                continue
            word = "yes" if same else "partly" if fits else "no"
            best = max(best, word)
            for h in range(n):
                seen_claims[h][claims[h][0]] = None
                seen_ctx[h][options[h][1]] = None
            for refs in product(*(c[2] for c in claims)):
                for h in range(n):
                    seen_refs[h][refs[h]] = None
    if not best:
        return None
    hop_refs = [re.sub(",-$|^-,", "", ",".join(r)).replace(",-,", ",") for r in seen_refs]
    return {"hop_references": " | ".join(hop_refs), "hop_claims": " | ".join(",".join(c) for c in seen_claims),
            "context_consistent": best, "hop_contexts": " | ".join("; ".join(c) for c in seen_ctx)}


def _stated(fields: dict[str, list[str]], name: str) -> str | None:
    values = [v for v in fields.get(name, []) if v != NOT_STATED]
    return values[0] if values else None


def _options(claim: list[Any], labels: dict[str, list[str]]) -> list[Option]:
    """The claim's rows: one per site with a label in the language (each label), or one without a site."""
    fields = claim[3]
    pop, sex, spe, stu = (_stated(fields, f) for f in paths.CONTEXT_FIELDS[:-1])
    org = spe or ("human" if pop or (stu or "") in HUMAN_STUDY_TYPES else None)
    sites = [(s, label) for s in claim[4] for label in labels.get(s, ())] or [(None, None)]
    out = []
    for site, label in sites:
        shown = ", ".join(v for v in (pop, sex, spe, stu, label) if v)
        out.append(((pop, sex, org, stu, site), shown or "-"))
    return out
