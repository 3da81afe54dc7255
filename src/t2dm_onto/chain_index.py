"""The chain queries answered from an adjacency index of a prepared store, by the rule of :mod:`t2dm_onto.paths`.

``mediators-increasing`` and ``mediators-decreasing`` walk back from their target
through every causal claim into it: with ``transitive=true`` on 10^5 claims that
is tens of seconds in SPARQL, though the walk itself is cheap. ``t2dm-onto prepare``
therefore saves, beside the store, the causal claims (subject, relation, object),
each claim's context fields and references, and the labels of the entities and
sites they name (:func:`build`), and :func:`answer` computes those queries' rows
from it with :func:`t2dm_onto.paths.into` instead of SPARQL.

The index is an SQLite file keyed for that walk: one row per hop (subject,
relation, object) under the node it leads into, with its claims inline, and one
row of labels per entity. A query reads the hops into each node it visits and the
labels of the nodes it shows, and keeps them for the next query; it never reads
the whole file: on 10^5 claims the two-hop walk back from RANKL reads 4 % of the
hops (three hops: 46 %), where the JSON file this replaced was parsed whole: the
first answer in a process took 1.7 s, now 60 ms. Direct-claim asks
(``transitive=false``) are routed too: one lookup, 9-14 ms the first time and 0.1 ms
after, against 56-76 ms in SPARQL.

The rows are the SPARQL's, cell for cell, in its order: each of a chain's hops
lists its claims, references and contexts in the order in which the store's
evaluation meets them, which is the store's order of claims, sites and
references (kept in the index as read) walked hop by hop from the target. A
test compares both on the review and a synthetic graph. ``causal-paths`` is not
routed: its halves meet in a join whose order the store does not tie to the
claims' (a hop's claims came out in another order in 10 of 320 review cases),
and it starts from two bound entities anyway.

Both queries are listings (``#+ page: 1000``), and a page is built level by
level (:func:`page`): the rows are ordered by hops first, so the one-hop and
two-hop chains fill the default page of a hub, and the chains of the last level
are only counted, for the answer's ``total``, from a per-node count of the hops
into it saved at ``prepare`` (the ``fan`` table), without being listed. On 10^5
claims the three-hop ask from RANKL has 53,965 rows: listing them all (their
contexts grouped) takes seconds, the first page a few tens of milliseconds.
With ``consistent_context=true`` a chain counts only if one claim per hop can be
chosen whose contexts agree, so the survivors of the last level cannot be
counted from per-node totals. ``prepare`` therefore also saves each hop's context
*signature* (the distinct context tuples its claims offer: 77,628 hops share 2,786
at 10^5) and, per node, the hops into it grouped by signature (the ``sig`` and
``fit`` tables). The walk carries, per chain, the tuples its choices agree on so
far (:class:`Agreement`), and the last level is counted per signature group with a
bit-set test: that ask went from 2.1 s (the whole answer listed and cut) to 50 ms.
A bound ``source`` is paged the same way (only the hops from it are counted).

The index is used only when it belongs to the same data and the same rule: its
``meta`` table records the content hash of the files the store was built from (as
:mod:`t2dm_onto.summaries` does) and a hash of the generated chain SPARQL; on a
mismatch, or a store without an index (or with the older JSON one), the query runs from SPARQL.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import product
from pathlib import Path
from typing import Any

from . import paths, sqlite_index
from .catalog import CannedQuery, internal
from .contexts import HUMAN_STUDY_TYPES, NOT_STATED
from .namespaces import BASE, XSD, local_name
from .paging import Page
from .store.base import Result
from .terms import Term

#: Inside a prepared store.
FILE = "t2dm-onto-chains.sqlite"
FORMAT = 5
#: The queries answered from the index (both walk back from their target).
ROUTED = ("mediators-increasing", "mediators-decreasing")
LANGS = ("en", "zh")
_COLUMNS = ["source_label", "source", "target_label", "target", "hops", "net_sign", "chain",
            "hop_references", "hop_claims", "context_consistent", "hop_contexts"]
_ARROW = {1: " –(+)→ ", -1: " –(−)→ "}
#: A claim as saved: its IRI, context fields, sites and reference numbers.
Claim = list[Any]


@functools.cache
def rule_hash() -> str:
    """What decides the rows besides the data: the generated SPARQL of the routed queries, the format.

    Cached: generating the SPARQL takes milliseconds, and every opened index is checked against it.
    """
    return hashlib.sha256(json.dumps([FORMAT, paths.sparql("back")]).encode("utf-8")).hexdigest()


# -- building --------------------------------------------------------------------------
def build(location: Path, store: Any, data: str) -> None:
    """Write the index of the store being built on ``location`` (anything with ``select``) for the data hash ``data``."""
    claims = _claims(store)
    named = {iri for c in claims.values() for iri in (c[0], c[2], *c[4])}
    labels: dict[str, dict[str, list[str]]] = {}
    for lang in LANGS:
        for row in store.select(internal("labels-in"), {"lang": Term.literal(lang)}).rows:
            if row["x"] in named:
                labels.setdefault(row["x"], {}).setdefault(lang, []).append(str(row["l"]))
    hops: dict[paths.Key, list[Claim]] = {}
    for iri, (s, r, o, fields, sites, refs) in claims.items():
        hops.setdefault((s, r, o), []).append([iri, fields, sites, refs])
    back = paths.reverse(paths.adjacency(hops))
    sigs = {lang: _signatures(hops, labels, lang) for lang in LANGS}
    _write(location / FILE, {"format": str(FORMAT), "data": data, "rule": rule_hash()}, hops, back, labels, sigs)


#: Per language: each hop's signature id, and the signatures (their context tuples) by id.
Signatures = tuple[dict[paths.Key, int], list[list[tuple[str | None, ...]]]]


def _signatures(hops: dict[paths.Key, list[Claim]], labels: dict[str, dict[str, list[str]]], lang: str) -> Signatures:
    """Each hop's signature in ``lang``: the distinct context tuples its claims offer (:func:`_options`).

    Whether a chain's contexts can agree depends on its hops only through these
    tuples, and few hops differ: at 10^5 claims 77,628 hops share 2,786 signatures.
    Ids are given in the hops' sorted order, so a build is the same file every time.
    """
    ids: dict[tuple[tuple[str | None, ...], ...], int] = {}
    of: dict[paths.Key, int] = {}
    for key in sorted(hops):
        tuples: dict[tuple[str | None, ...], None] = {}
        for claim in hops[key]:
            for option, _text in _options(claim[1], claim[2], lambda site: labels.get(site, {}).get(lang, [])):
                tuples[option] = None
        sig = tuple(sorted(tuples, key=_sortable))
        of[key] = ids.setdefault(sig, len(ids))
    return of, [list(sig) for sig in ids]


def _sortable(option: tuple[str | None, ...]) -> tuple[str, ...]:
    return tuple("" if v is None else "\x01" + v for v in option)


def _claims(store: Any) -> dict[str, list[Any]]:
    """Each causal claim (in the store's order) as [subject, relation, object, fields, sites, references]."""
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
    return claims


def _write(path: Path, head: dict[str, str], hops: dict[paths.Key, list[Claim]], back: dict[str, list[paths.Key]],
           labels: dict[str, dict[str, list[str]]], sigs: dict[str, Signatures]) -> None:
    """The SQLite file: the hops into each node keyed by that node (in the walk's order), with their claims
    inline, so a backward walk reads only the nodes it visits; and the labels keyed by entity."""
    sig_columns = "".join(f", sig_{lang} INTEGER NOT NULL" for lang in LANGS)
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID")
        db.execute("CREATE TABLE hop (o TEXT NOT NULL, pos INTEGER NOT NULL, s TEXT NOT NULL, r TEXT NOT NULL,"
                   f" claims TEXT NOT NULL{sig_columns}, PRIMARY KEY (o, pos)) WITHOUT ROWID")
        # the context signatures (see _signatures), and per node the hops into it grouped by signature,
        # weighted as in fan: what counting a level under consistent_context reads instead of the claims
        db.execute("CREATE TABLE sig (lang TEXT NOT NULL, id INTEGER NOT NULL, options TEXT NOT NULL,"
                   " PRIMARY KEY (lang, id)) WITHOUT ROWID")
        db.execute("CREATE TABLE fit (o TEXT NOT NULL, lang TEXT NOT NULL, groups TEXT NOT NULL,"
                   " PRIMARY KEY (o, lang)) WITHOUT ROWID")
        db.execute("CREATE TABLE label (iri TEXT PRIMARY KEY, labels TEXT NOT NULL) WITHOUT ROWID")
        # per node and language: how many rows the hops into it add to a chain, by the hop's sign
        # (each source counts its labels in the language: one row per label, none without)
        db.execute("CREATE TABLE fan (o TEXT NOT NULL, lang TEXT NOT NULL, plus INTEGER NOT NULL,"
                   " minus INTEGER NOT NULL, PRIMARY KEY (o, lang)) WITHOUT ROWID")
        db.execute("CREATE INDEX hop_from ON hop (s)")
        db.executemany("INSERT INTO meta VALUES (?, ?)", head.items())
        db.executemany(f"INSERT INTO hop VALUES (?, ?, ?, ?, ?{', ?' * len(LANGS)})",
                       ((o, pos, key[0], key[1], json.dumps(hops[key], ensure_ascii=False),
                         *(sigs[lang][0][key] for lang in LANGS))
                        for o, keys in back.items() for pos, key in enumerate(keys)))
        db.executemany("INSERT INTO sig VALUES (?, ?, ?)",
                       ((lang, i, json.dumps(options, ensure_ascii=False))
                        for lang in LANGS for i, options in enumerate(sigs[lang][1])))
        db.executemany("INSERT INTO fit VALUES (?, ?, ?)",
                       ((o, lang, json.dumps(_fit(keys, labels, lang, sigs[lang][0])))
                        for o, keys in back.items() for lang in LANGS))
        db.executemany("INSERT INTO label VALUES (?, ?)",
                       ((iri, json.dumps(found, ensure_ascii=False)) for iri, found in labels.items()))
        db.executemany("INSERT INTO fan VALUES (?, ?, ?, ?)",
                       ((o, lang, *_fan(keys, labels, lang)) for o, keys in back.items() for lang in LANGS))
    db.close()


def _fan(keys: list[paths.Key], labels: dict[str, dict[str, list[str]]], lang: str) -> tuple[int, int]:
    """The labels in ``lang`` of the sources of ``keys``, summed over the positive and the negative hops."""
    plus = minus = 0
    for key in keys:
        n = len(labels.get(key[0], {}).get(lang, ()))
        if paths.CAUSAL[key[1]] > 0:
            plus += n
        else:
            minus += n
    return plus, minus


def _fit(keys: list[paths.Key], labels: dict[str, dict[str, list[str]]], lang: str,
         sig_of: dict[paths.Key, int]) -> list[list[int]]:
    """:func:`_fan` per signature: [signature, positive, negative] for the hops ``keys``, by signature."""
    groups: dict[int, list[int]] = {}
    for key in keys:
        group = groups.setdefault(sig_of[key], [sig_of[key], 0, 0])
        group[1 if paths.CAUSAL[key[1]] > 0 else 2] += len(labels.get(key[0], {}).get(lang, ()))
    return [groups[sig] for sig in sorted(groups)]


# -- reading ---------------------------------------------------------------------------
#: The hops into a node with their subjects' labels: the walk shows the subject next (one query per node).
_SIGS = "".join(f", hop.sig_{lang}" for lang in LANGS)
_INTO = (f"SELECT hop.s, hop.r, hop.claims, label.labels{_SIGS} FROM hop LEFT JOIN label ON label.iri = hop.s"
         " WHERE hop.o = ? ORDER BY hop.pos")


class Index:
    """A saved index, read on demand: the hops into a node, a hop's claims and an entity's labels are looked
    up (and kept) as the walk meets them, so a query costs what it visits, not a read of the whole file."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._into: dict[str, list[paths.Key]] = {}
        self._raw: dict[paths.Key, str] = {}
        self._claims: dict[paths.Key, list[str]] = {}
        self._data: dict[str, Claim] = {}
        self._labels: dict[str, dict[str, list[str]]] = {}
        self._unparsed: dict[str, str | None] = {}  # labels read with the hops, parsed when first shown
        self._views: dict[tuple[str, str], tuple[str, list[Option], list[str]]] = {}
        self._fans: dict[str, dict[str, tuple[int, int]]] = {}
        self._outs: dict[str, dict[str, list[tuple[str, dict[str, int]]]]] = {}
        self._sigs: dict[paths.Key, dict[str, int]] = {}
        self._fits: dict[str, dict[str, list[list[int]]]] = {}
        self._agreements: dict[str, Agreement] = {}
        self.back: Mapping[str, list[paths.Key]] = _Back(self)

    def into(self, node: str) -> list[paths.Key]:
        """The hops into ``node``, in the order the index was built in (the walk's)."""
        found = self._into.get(node)
        if found is None:
            found = []
            for s, r, raw, labels, *sigs in self._db.execute(_INTO, (node,)):
                key = (s, r, node)
                found.append(key)
                self._raw[key] = raw
                self._sigs[key] = dict(zip(LANGS, sigs, strict=True))
                if s not in self._labels:
                    self._unparsed[s] = labels
            self._into[node] = found
        return found

    def claims(self, key: paths.Key) -> list[str]:
        """The claims of one hop (its subject, relation and object), in the store's order."""
        found = self._claims.get(key)
        if found is None:
            self.into(key[2])
            saved = json.loads(self._raw[key])
            self._data.update((c[0], c) for c in saved)
            found = self._claims[key] = [c[0] for c in saved]
        return found

    def labels(self, lang: str, iri: str) -> list[str]:
        """The labels of ``iri`` in ``lang`` (none: an entity the rows leave out)."""
        found = self._labels.get(iri)
        if found is None and iri in self._unparsed:
            raw = self._unparsed.pop(iri)
            found = self._labels[iri] = json.loads(raw) if raw else {}
        if found is None:
            row = self._db.execute("SELECT labels FROM label WHERE iri = ?", (iri,)).fetchone()
            found = self._labels[iri] = json.loads(row[0]) if row else {}
        return found.get(lang, [])

    def view(self, lang: str, claim: str) -> tuple[str, list[Option], list[str]]:
        """A claim (of a hop already read) as the rows show it: its local id, its contexts in ``lang``,
        its references ("-" for none)."""
        found = self._views.get((lang, claim))
        if found is None:
            saved = self._data[claim]
            found = (local_name(claim), _options(saved[1], saved[2], lambda site: self.labels(lang, site)),
                     saved[3] or ["-"])
            self._views[(lang, claim)] = found
        return found

    def fans(self, nodes: Iterable[str], lang: str) -> dict[str, tuple[int, int]]:
        """Per node: the hops into it weighted by their sources' labels in ``lang``, (positive, negative).

        Read in batches and kept: counting a level asks for thousands of nodes at once.
        """
        known = self._fans.setdefault(lang, {})
        missing = [n for n in dict.fromkeys(nodes) if n not in known]
        for at in range(0, len(missing), 500):
            batch = missing[at:at + 500]
            known.update((n, (0, 0)) for n in batch)
            marks = ",".join("?" * len(batch))
            for o, plus, minus in self._db.execute(
                    f"SELECT o, plus, minus FROM fan WHERE lang = ? AND o IN ({marks})", (lang, *batch)):
                known[o] = (plus, minus)
        return known

    def outs(self, node: str) -> dict[str, list[tuple[str, dict[str, int]]]]:
        """The hops out of ``node``: per node they lead into, their relations with their signatures by language."""
        found = self._outs.get(node)
        if found is None:
            found = {}
            for o, r, *sigs in self._db.execute(f"SELECT o, r{_SIGS.replace('hop.', '')} FROM hop WHERE s = ?", (node,)):
                found.setdefault(o, []).append((r, dict(zip(LANGS, sigs, strict=True))))
            self._outs[node] = found
        return found

    def sig(self, key: paths.Key, lang: str) -> int:
        """The context signature of one hop in ``lang`` (:func:`_signatures`)."""
        if key not in self._sigs:
            self.into(key[2])
        return self._sigs[key][lang]

    def fits(self, nodes: Iterable[str], lang: str) -> dict[str, list[list[int]]]:
        """Per node: the hops into it grouped by signature, [signature, positive, negative] as :meth:`fans` weighs them."""
        known = self._fits.setdefault(lang, {})
        missing = [n for n in dict.fromkeys(nodes) if n not in known]
        for at in range(0, len(missing), 500):
            batch = missing[at:at + 500]
            known.update((n, []) for n in batch)
            marks = ",".join("?" * len(batch))
            for o, groups in self._db.execute(
                    f"SELECT o, groups FROM fit WHERE lang = ? AND o IN ({marks})", (lang, *batch)):
                known[o] = json.loads(groups)
        return known

    def agreement(self, lang: str) -> Agreement:
        """The signatures of ``lang``, read once, for checking which chains' contexts can agree."""
        found = self._agreements.get(lang)
        if found is None:
            rows = self._db.execute("SELECT id, options FROM sig WHERE lang = ? ORDER BY id", (lang,))
            found = self._agreements[lang] = Agreement([[tuple(o) for o in json.loads(raw)] for _id, raw in rows])
        return found

    def targets(self) -> list[str]:
        """Every node a causal hop leads into."""
        return [row[0] for row in self._db.execute("SELECT DISTINCT o FROM hop ORDER BY o")]


#: The context values a chain's claims have agreed on so far (population, sex, organism, study type, site;
#: None where none of them states one): a chain's contexts can agree while it has at least one state.
State = tuple[str | None, ...]
States = frozenset[State]
OPEN: States = frozenset({(None,) * 5})


class Agreement:
    """Which chains can be given claims whose contexts agree (the ``consistent_context`` rule), by signature.

    A chain fits when one claim per hop, with one of its sites, states no two
    different values for any of the five context fields (:func:`_group`). Walking
    back from the target, the states of a chain are the value tuples its choices so
    far agree on; a hop keeps those of its context tuples that meet a state. Counting
    the last level asks, per group of hops into a node, whether any tuple meets any
    state: that is one AND of two bit sets (the tuples meeting the states, the
    group's tuples), so it costs a few machine words, not a loop over claims.
    """

    def __init__(self, signatures: list[list[State]]) -> None:
        self._signatures = signatures
        ids: dict[State, int] = {}
        for sig in signatures:
            for option in sig:
                ids.setdefault(option, len(ids))
        self._bits = [sum(1 << ids[o] for o in sig) for sig in signatures]
        everything = (1 << len(ids)) - 1
        # per field and value: the tuples that do not contradict that value (unstated, or the same)
        self._open = open_bits = [sum(1 << i for o, i in ids.items() if o[d] is None) for d in range(5)]
        self._meeting: list[dict[str | None, int]] = [{None: everything} for _ in range(5)]
        for option, i in ids.items():
            for d, value in enumerate(option):
                if value is not None:
                    table = self._meeting[d]
                    table[value] = table.get(value, open_bits[d]) | 1 << i
        self._masks: dict[States, int] = {}
        self._steps: dict[tuple[States, int], States] = {}

    def step(self, states: States, sig: int) -> States:
        """The states of a chain with ``states`` after one more hop of signature ``sig`` (empty: cannot agree)."""
        found = self._steps.get((states, sig))
        if found is None:
            merged = set()
            for state in states:
                for option in self._signatures[sig]:
                    joined = _join(state, option)
                    if joined is not None:
                        merged.add(joined)
            found = self._steps[(states, sig)] = frozenset(merged)
        return found

    def meets(self, states: States, sig: int) -> bool:
        """Whether one more hop of signature ``sig`` leaves a chain with ``states`` some agreeing choice."""
        mask = self._masks.get(states)
        if mask is None:
            mask = 0
            for state in states:
                bits = -1
                for d, value in enumerate(state):
                    bits &= self._meeting[d].get(value, self._open[d])
                mask |= bits
            self._masks[states] = mask
        return bool(mask & self._bits[sig])


def _join(state: State, option: State) -> State | None:
    """``state`` with ``option``'s stated values added, or None if they contradict it on some field."""
    out = list(state)
    for d, value in enumerate(option):
        if value is not None:
            if out[d] is None:
                out[d] = value
            elif out[d] != value:
                return None
    return tuple(out)


class _Back(Mapping):
    """:meth:`Index.into` as the mapping :func:`t2dm_onto.paths.into` walks."""

    def __init__(self, index: Index) -> None:
        self._index = index

    def __getitem__(self, node: str) -> list[paths.Key]:
        found = self._index.into(node)
        if not found:
            raise KeyError(node)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._index.targets())

    def __len__(self) -> int:
        return len(self._index.targets())


#: The index over each open file: it keeps what its queries read, so it lives as long as the connection.
_CACHE: dict[Path, tuple[sqlite3.Connection, Index]] = {}


def load(location: Path, data: str | None) -> Index | None:
    """The index in ``location`` if it matches ``data`` and the rule; kept open while the file is unchanged."""
    path = location / FILE
    db = sqlite_index.open_matching(path, {"format": str(FORMAT), "data": data, "rule": rule_hash()})
    if db is None:  # missing, not an index of this format, or of other data or another rule: SPARQL answers
        return None
    cached = _CACHE.get(path)
    if cached is None or cached[0] is not db:
        cached = _CACHE[path] = (db, Index(db))
    return cached[1]


def answer(backend: Any, query: CannedQuery, bindings: dict[str, Term | None],
           want: Page | None = None) -> Result | None:
    """The rows of a routed chain query from the store's index, or None (then SPARQL answers).

    With ``want``, the page of a listing (its ``total`` the whole answer's size); else every row.
    """
    folder = getattr(backend, "summaries", None)
    if query.name not in ROUTED or query.base not in (None, "mediators-increasing") or folder is None:
        return None
    index = load(folder.parent, getattr(backend, "data_hash", None))
    if index is None:
        return None
    p = {k: _plain(v) for k, v in bindings.items()}
    if want is None:
        return Result(list(_COLUMNS), rows(index, p))
    found, total = page(index, p, want)
    return Result(list(_COLUMNS), found, total=total, offset=want.offset)


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
    out = []
    for chain in paths.into(index.back, target, min(most, paths.SPARQL_HOPS)):
        if p.get("source") is not None and chain[0][0] != p["source"]:
            continue
        if want is not None and paths.sign(chain) != int(want):
            continue
        if not _mult(index, lang, _nodes_of(chain)):
            continue
        group = _group(index, lang, chain, only_fitting)
        if group is None:
            continue
        out.extend(_row(chain, choice, text, group) for choice, text in _texts(index, lang, chain))
    out.sort(key=lambda r: (r["hops"], r["chain"]))
    return out


# -- a page, level by level ----------------------------------------------------------------
#: A chain being walked back from the target: the node it starts at, the positions of its hops in
#: each node's list of hops in (the walk's order), its hops from the target back, its nodes, its net sign,
#: and under consistent_context the context states its claims can agree on (:class:`Agreement`; else None).
_Suffix = tuple[str, tuple[int, ...], tuple[paths.Key, ...], frozenset[str], int, States | None]


def _extend(index: Index, suffixes: list[_Suffix], lang: str, agree: Agreement | None) -> list[_Suffix]:
    """Every chain one hop longer than one of ``suffixes``, by a hop into its first node from a node not on it.

    With ``agree``, only the chains whose contexts can still agree (a chain that cannot, cannot by a longer one).
    """
    out: list[_Suffix] = []
    for first, pos, path, nodes, net, states in suffixes:
        for i, key in enumerate(index.into(first)):
            if key[0] in nodes:
                continue
            after = None
            if agree is not None and states is not None:
                after = agree.step(states, index.sig(key, lang))
                if not after:
                    continue
            out.append((key[0], (*pos, i), (*path, key), nodes | {key[0]}, net * paths.CAUSAL[key[1]], after))
    return out


def _mult(index: Index, lang: str, nodes: Iterable[str]) -> int:
    """How many rows a chain through ``nodes`` gives: the product of their label counts in ``lang``."""
    n = 1
    for node in nodes:
        n *= len(index.labels(lang, node))
        if not n:
            return 0
    return n


def _count_next(index: Index, lang: str, suffixes: list[_Suffix], want: int | None, agree: Agreement | None,
                source: str | None) -> int:
    """The rows of the chains one hop longer than ``suffixes`` (net sign ``want``), counted, not listed.

    Per suffix starting at ``b``: the saved count of the hops into ``b`` of the sign that
    gives ``want`` (each weighted by its source's labels), less those whose source is
    already on the chain, times the rows of the suffix itself. With ``agree``, only the
    hops whose signature meets the suffix's states count (the saved counts per signature);
    with ``source``, only the hops from it.
    """
    total = 0
    firsts = [first for first, *_rest in suffixes]
    fans = index.fans(firsts, lang) if agree is None and source is None else {}
    fits = index.fits(firsts, lang) if agree is not None and source is None else {}
    for first, _pos, _path, nodes, net, states in suffixes:
        m = _mult(index, lang, nodes)
        if not m:
            continue
        need = None if want is None else want * net

        def counts(relation: str, sigs: dict[str, int], need: int | None = need, states: States | None = states) -> bool:
            return ((need is None or paths.CAUSAL[relation] == need)
                    and (agree is None or states is None or agree.meets(states, sigs[lang])))

        if source is not None:
            if source not in nodes:
                fit = sum(len(index.labels(lang, source)) for r, sigs in index.outs(source).get(first, ())
                          if counts(r, sigs))
                total += m * fit
            continue
        if agree is None:
            plus, minus = fans[first]
            fit = plus + minus if need is None else plus if need > 0 else minus
        else:
            fit = 0
            for sig, plus, minus in fits[first]:
                if agree.meets(states, sig):  # type: ignore[arg-type]
                    fit += plus + minus if need is None else plus if need > 0 else minus
        for node in nodes - {first}:
            for relation, sigs in index.outs(node).get(first, ()):
                if counts(relation, sigs):
                    fit -= len(index.labels(lang, node))
        total += m * fit
    return total


def page(index: Index, p: dict[str, Any], want: Page) -> tuple[list[dict[str, Any]], int]:
    """The rows of :func:`rows` in ``want`` and their total, listing only the levels the page reaches.

    The rows are ordered by hops, then chain text, then (for equal texts) the walk's
    order: a level's rows are listed only if the page reaches it; past the page, a
    level's rows are counted, the last level's from the one before (:func:`_count_next`).
    ``consistent_context`` prunes the walk to the chains whose contexts can agree
    (:class:`Agreement`); a bound ``source`` keeps the chains that start at it.
    """
    lang, target, source = p["lang"], p["target"], p.get("source")
    sign = None if p.get("want_sign") is None else int(p["want_sign"])
    most = min(int(p["max_hops"]) if p.get("transitive") else 1, paths.SPARQL_HOPS)
    agree = index.agreement(lang) if p.get("consistent_context") else None
    level: list[_Suffix] = [(target, (), (), frozenset({target}), 1, OPEN if agree else None)]
    out: list[dict[str, Any]] = []
    total = 0
    for hops in range(1, most + 1):
        filled = want.stop is not None and total >= want.stop
        if filled and hops == most:
            return out, total + _count_next(index, lang, level, sign, agree, source)
        level = _extend(index, level, lang, agree)
        ends = level if source is None else [s for s in level if s[0] == source]
        if source is not None:  # a chain through the source cannot start at it
            level = [s for s in level if s[0] != source]
        listed: list[tuple[str, tuple[int, ...], int, paths.Chain, tuple[str, ...]]] = []
        for _first, pos, path, _nodes, net, _states in ends:
            if sign is not None and net != sign:
                continue
            chain = tuple(reversed(path))
            if filled:
                total += _mult(index, lang, _nodes_of(chain))
            else:
                listed.extend((text, pos, i, chain, choice) for i, (choice, text) in enumerate(_texts(index, lang, chain)))
        if filled:
            continue
        listed.sort(key=lambda entry: entry[:3])
        lo = max(want.offset - total, 0)
        hi = len(listed) if want.stop is None else max(min(want.stop - total, len(listed)), 0)
        groups: dict[paths.Chain, dict[str, str]] = {}
        for text, _pos, _i, chain, choice in listed[lo:hi]:
            if chain not in groups:
                group = _group(index, lang, chain, agree is not None)
                if group is None:  # the walk kept a chain whose contexts cannot agree: Agreement is wrong
                    raise RuntimeError(f"chain index: no agreeing contexts for a chain the walk kept: {chain}")
                groups[chain] = group
            out.append(_row(chain, choice, text, groups[chain]))
        total += len(listed)
    return out, total


def _nodes_of(chain: paths.Chain) -> list[str]:
    return [chain[0][0], *(k[2] for k in chain)]


def _texts(index: Index, lang: str, chain: paths.Chain) -> list[tuple[tuple[str, ...], str]]:
    """A chain's rows before grouping: one per choice of a label for each node, with its chain text."""
    out = []
    for choice in product(*(index.labels(lang, n) for n in _nodes_of(chain))):
        text = choice[0]
        for key, label in zip(chain, choice[1:], strict=True):
            text += _ARROW[paths.CAUSAL[key[1]]] + label
        out.append((choice, text))
    return out


def _row(chain: paths.Chain, choice: tuple[str, ...], text: str, group: dict[str, str]) -> dict[str, Any]:
    return {"source_label": choice[0], "source": chain[0][0], "target_label": choice[-1], "target": chain[-1][2],
            "hops": len(chain), "net_sign": "+" if paths.sign(chain) > 0 else "-", "chain": text, **group}


#: A claim as one row shows it: its compared values (population, sex, organism, study type, site) and text.
Option = tuple[tuple[str | None, ...], str]


def _group(index: Index, lang: str, chain: paths.Chain, only_fitting: bool) -> dict[str, str] | None:
    """The grouped cells of one chain, from its rows in the SPARQL's order: claims hop by hop from the
    target (the last hop outermost), then one site per claim, then one reference per claim."""
    n = len(chain)
    per_hop = [[index.view(lang, c) for c in index.claims(key)] for key in chain]
    seen_claims: list[dict[str, None]] = [{} for _ in chain]
    seen_refs: list[dict[str, None]] = [{} for _ in chain]
    seen_ctx: list[dict[str, None]] = [{} for _ in chain]
    best = ""
    for reverse in product(*reversed(per_hop)):
        claims = reverse[::-1]
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
                # the SPARQL's one row per reference of each claim: each hop meets its claim's in their order
                seen_refs[h].update(dict.fromkeys(claims[h][2]))
    if not best:
        return None
    hop_refs = [re.sub(",-$|^-,", "", ",".join(r)).replace(",-,", ",") for r in seen_refs]
    return {"hop_references": " | ".join(hop_refs), "hop_claims": " | ".join(",".join(c) for c in seen_claims),
            "context_consistent": best, "hop_contexts": " | ".join("; ".join(c) for c in seen_ctx)}


def _stated(fields: dict[str, list[str]], name: str) -> str | None:
    values = [v for v in fields.get(name, []) if v != NOT_STATED]
    return values[0] if values else None


def _options(fields: dict[str, list[str]], sites: list[str], labels: Callable[[str], list[str]]) -> list[Option]:
    """A claim's rows: one per site with a label in the language (each label), or one without a site."""
    pop, sex, spe, stu = (_stated(fields, f) for f in paths.CONTEXT_FIELDS[:-1])
    org = spe or ("human" if pop or (stu or "") in HUMAN_STUDY_TYPES else None)
    shown_sites = [(s, label) for s in sites for label in labels(s)] or [(None, None)]
    out = []
    for site, label in shown_sites:
        shown = ", ".join(v for v in (pop, sex, spe, stu, label) if v)
        out.append(((pop, sex, org, stu, site), shown or "-"))
    return out
