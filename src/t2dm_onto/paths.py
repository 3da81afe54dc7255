"""The chain rule, written once: what one causal hop is, and every chain built from it.

A **hop** is a claim whose relation is causal (``increases`` +1, ``decreases`` -1:
:data:`CAUSAL`, from the vocabulary), from its subject to its object. A **chain**
is a sequence of at most ``max_hops`` hops, each starting where the last ended,
that never visits a node twice (so a claim about an entity and itself is never a
hop of a longer chain); its net sign is the product of its hop signs. Whether a
chain's hops come from one context is :mod:`t2dm_onto.contexts` (on the fields
:data:`CONTEXT_FIELDS`).

From that rule this module

- writes the SPARQL of the canned chain queries (:func:`sparql`): ``causal-paths``
  (both ends given: the halves meet in the middle), ``mediators-increasing`` and
  the ``mediators-decreasing`` that copies it (source open: walked back from the
  target), and an all-pairs form (both ends free) that tests compare with
  :func:`all_chains`. The files stay static ``.rq`` files that other tools run as
  they are; ``t2dm-onto build`` rewrites their SPARQL below the header
  (:func:`query_files`), and ``build --check`` fails when a committed one differs;
- searches chains in Python over an adjacency map (:func:`walk`, :func:`all_chains`),
  used by ``explain`` and by the chain index of a prepared store.

Both walk one slot per hop (``?c1``..``?cN`` claims, ``?x1``.. inner nodes, unused
ones ``t2dm:none``), up to :data:`SPARQL_HOPS`, the bound of the ``max_hops`` parameter.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import combinations
from pathlib import Path

from .contexts import HUMAN_STUDY_TYPES, SCALARS
from .namespaces import BASE, RDFS, RELATIONS, XSD

#: The causal relations and their signs: the only claims a chain is made of.
CAUSAL: dict[str, int] = {name: spec["sign"] for name, spec in RELATIONS.items() if spec["causal"]}
#: What a claim's context is compared on (:mod:`t2dm_onto.contexts`): the scalars, then its sites.
CONTEXT_FIELDS = (*SCALARS, "in_context")
#: The longest chain the SPARQL queries follow (their ``max_hops`` parameter's upper bound).
SPARQL_HOPS = 4
#: The chain queries and how each walks: ``meet`` (both ends bound), ``back`` (source open).
CHAIN_QUERIES: dict[str, str] = {"causal-paths": "meet", "mediators-increasing": "back",
                                 "mediators-decreasing": "back"}
PARAMETERS = "#@parameters"
_DEFAULTS = "#@defaults: the values this file runs with on its own; t2dm-onto replaces the next line with the bound parameters"
_FIELD_VARS = {"population": "pop", "sex": "sex", "species": "spe", "study_type": "stu"}
_ARROWS = 'IF(?g{i} > 0, STRDT(" –(+)→ ", xsd:string), STRDT(" –(−)→ ", xsd:string))'


# -- the one-hop pattern ---------------------------------------------------------
def _node(i: int, hops: int) -> str:
    """The variable of the ``i``-th node of a chain of ``hops`` hops (0 = source)."""
    return "?source" if i == 0 else "?target" if i == hops else f"?x{i}"


def _hop(i: int, hops: int) -> list[str]:
    """Hop ``i``: a causal claim from node ``i-1`` to node ``i``, its relation's sign in ``?g{i}``."""
    return [f"?c{i} t2dm:has_object {_node(i, hops)} ; t2dm:has_relation ?r{i} ; t2dm:has_subject {_node(i - 1, hops)} .",
            f"?r{i} t2dm:is_causal true ; t2dm:sign_value ?g{i} ."]


def _distinct(nodes: Sequence[str]) -> str:
    """No node visited twice."""
    return "FILTER (" + " && ".join(f"{a} != {b}" for a, b in combinations(nodes, 2)) + ")"


def _label(node: str) -> str:
    name = {"?source": "?source_label", "?target": "?target_label"}.get(node, "?l" + node[1:])
    return f"{node} rdfs:label {name} . FILTER (LANG({name}) = ?lang)"


def _params(indent: str, gate: str | None = None) -> list[str]:
    """The bound parameters (a VALUES line after it, written by tools/query_defaults.py), and a gate."""
    return [indent + PARAMETERS] + ([indent + gate] if gate else [])


def _gate(hops: int) -> str:
    return f"FILTER (?transitive && ?max_hops >= {hops})"


def _tail(hops: int, n: int) -> list[str]:
    """The unused slots of a ``hops``-hop branch, its net sign and the wanted-sign filter."""
    out = [f"BIND ({hops} AS ?hops)"]
    out += [f"BIND (t2dm:none AS ?x{j})" for j in range(hops, n)]
    out += [f"BIND (t2dm:none AS ?c{j}) BIND (t2dm:none AS ?r{j})" for j in range(hops + 1, n + 1)]
    net = "*".join(f"?g{i}" for i in range(1, hops + 1))
    return [*out, f"BIND ({net} AS ?net)", "FILTER (!BOUND(?want_sign) || ?net = ?want_sign)"]


def _one_hop(n: int, both_free: bool = False) -> list[str]:
    """The direct claims. A claim from an entity to itself is no chain; the canned queries, with one end
    bound, leave that test out (the review has no such claim, and Jena's filter placement would move
    it into the VALUES table, where the open end is unbound, and drop every row)."""
    distinct = [_distinct(["?source", "?target"])] if both_free else []
    return ["# 1 hop", *_params(""), *_hop(1, 1), *distinct, _label("?source"), _label("?target"), *_tail(1, n)]


def _back(hops: int, n: int) -> list[str]:
    """A ``hops``-hop branch walked back from the target (the source is open)."""
    nodes = [_node(i, hops) for i in range(hops + 1)]
    body = [f"# {hops} hops, source open: walked back from the target", "{", *_params("  ", _gate(hops)), "}"]
    for i in range(hops, 0, -1):
        body += _hop(i, hops)
    return [*body, _distinct(nodes), *map(_label, nodes), *_tail(hops, n)]


def _half(hops: int, first: int, last: int, end: str) -> list[str]:
    """A sub-SELECT walking hops ``first``..``last`` of a ``hops``-hop chain, from ``end`` (source or target)."""
    forward = end == "?source"
    inner = range(first, last + 1) if forward else range(last, first - 1, -1)
    nodes = [_node(i, hops) for i in range(first - 1, last + 1)]
    labelled = nodes if forward else nodes[1:]
    slots = range(first, last + 1)
    named = ["l" + n[1:] for n in labelled if n.startswith("?x")]
    rest = sorted(["consistent_context", "lang", "max_hops", "transitive", end[1:], end[1:] + "_label", *named,
                   *(f"r{i}" for i in slots), *(n[1:] for n in nodes if n.startswith("?x"))])
    head = " ".join(f"?{v}" for v in [*(f"c{i}" for i in slots), *(f"g{i}" for i in slots), *rest])
    lines = [f"{{ SELECT {head} WHERE {{", "    {", *_params("      ", _gate(hops)), "    }"]
    for i in inner:
        lines += ["    " + line for line in _hop(i, hops)]
    lines += ["    " + _distinct(nodes), *("    " + _label(n) for n in labelled)]
    return [*lines, "} LIMIT 1000000000 }"]


def _meet(hops: int, n: int) -> list[str]:
    """A ``hops``-hop branch from a given source to a given target: two halves joined on the middle node."""
    out = hops // 2
    into = hops - out
    lead = f"# {hops} hops, source given: {out} hop{'s' if out > 1 else ''} out of the source meet {into} into the target"
    apart = [_distinct([a, b]) for a in [_node(i, hops) for i in range(out)]
             for b in [_node(i, hops) for i in range(out + 1, hops + 1)]]
    cross = "FILTER (" + " && ".join(f[len("FILTER ("):-1] for f in apart) + ")"
    return [lead, *_half(hops, 1, out, "?source"), *_half(hops, out + 1, hops, "?target"), cross, *_tail(hops, n)]


def _branches(mode: str, n: int) -> list[str]:
    """The UNION of every chain length, 1..n."""
    lines: list[str] = []
    for hops in range(1, n + 1):
        body = _one_hop(n, mode == "all") if hops == 1 else _meet(hops, n) if mode == "meet" else _back(hops, n)
        lines += (["}", "UNION"] if hops > 1 else []) + ["{"] + ["  " + b for b in body]
    return [*lines, "}"]


# -- the rows: chain text, contexts, references, grouped per chain -------------------
def _hop_lists(var: str, sep: str, n: int) -> list[str]:
    """``GROUP_CONCAT`` of each hop's ``var``, hops joined by " | " two to a line, trailing unused hops cut."""
    items = [f'GROUP_CONCAT(DISTINCT ?{var}{i}; separator="{sep}")' for i in range(1, n + 1)]
    if var == "n":
        items = [f'REPLACE(REPLACE({g}, ",-$|^-,", ""), ",-,", ",")' for g in items]
        chunks = [[g] for g in items]
    else:
        chunks = [items[k:k + 2] for k in range(0, n, 2)]
    lines = []
    for k, chunk in enumerate(chunks):
        text = ', " | ", '.join(chunk)
        lines.append(("       (REPLACE(CONCAT(" if k == 0 else '                       " | ", ') + text
                     + (")," if k == len(chunks) - 1 else ","))
    return [*lines, '                "( \\\\| ~)+$", "")']


def _select(n: int) -> list[str]:
    return ["SELECT ?source_label ?source ?target_label ?target ?hops ?net_sign ?chain",
            *_hop_lists("n", ",", n), "         AS ?hop_references)",
            *_hop_lists("k", ",", n), "         AS ?hop_claims)",
            "       (MAX(?fits_word) AS ?context_consistent)",
            *_hop_lists("ctx", "; ", n), "         AS ?hop_contexts)"]


def _chain_text(n: int) -> list[str]:
    lines = ["BIND (CONCAT(?source_label, " + _ARROWS.format(i=1) + ","]
    lines += [f'             IF(?hops >= {i}, CONCAT(?lx{i - 1}, ' + _ARROWS.format(i=i) + '), ""),' for i in range(2, n + 1)]
    return [*lines, "             ?target_label) AS ?chain)", 'BIND (IF(?net > 0, "+", "-") AS ?net_sign)']


def _context(i: int) -> list[str]:
    """Claim ``i``'s stated context (one site per row), its implied organism, and its text."""
    lines = [f'OPTIONAL {{ ?c{i} t2dm:{f} ?{v}{i} FILTER (?{v}{i} != "not_stated") }}' for f, v in _FIELD_VARS.items()]
    human = ", ".join(f'"{t}"' for t in HUMAN_STUDY_TYPES)
    shown = [f'IF(BOUND(?{v}{i}), CONCAT(", ", ?{v}{i}), "")' for v in [*_FIELD_VARS.values(), "sl"]]
    return [
        *lines,
        f"OPTIONAL {{ ?c{i} t2dm:in_context ?site{i} . ?site{i} rdfs:label ?sl{i} FILTER (LANG(?sl{i}) = ?lang) }}",
        f'BIND (COALESCE(?spe{i}, IF(BOUND(?pop{i}) || COALESCE(?stu{i}, "") IN ({human}), "human", ?unbound)) AS ?org{i})',
        f"BIND (SUBSTR(CONCAT({shown[0]}, {shown[1]},",
        f"                    {shown[2]}, {shown[3]},",
        f"                    {shown[4]}), 3) AS ?f{i})",
        f'BIND (IF(?c{i} = t2dm:none, "~", IF(?f{i} = "", "-", ?f{i})) AS ?ctx{i})',
    ]


def _agreement(n: int) -> list[str]:
    """The row's context test: one COALESCE per dimension, every stated value equal to it."""
    dims = ["pop", "sex", "org", "stu", "site"]
    slots = range(1, n + 1)
    lines = [f"BIND (COALESCE({', '.join(f'?{d}{i}' for i in slots)}) AS ?{d})" for d in dims]
    tests = [" && ".join(f"(!BOUND(?{d}{i}) || ?{d}{i} = ?{d})" for i in slots) for d in dims]
    lines.append("BIND (" + tests[0])
    lines += [f"      && {t}" for t in tests[1:-1]] + [f"      && {tests[-1]} AS ?fits)"]
    lines.append("FILTER (!?consistent_context || ?fits)")
    every = [f"BOUND(?{d}1)" + "".join(f" && (?hops < {i} || BOUND(?{d}{i}))" for i in range(2, n + 1)) for d in dims]
    same = [f"(!BOUND(?{d}) || ({e}))" for d, e in zip(dims, every, strict=True)]
    lines.append("BIND (?fits && " + same[0])
    lines += [f"      && {s}" for s in same[1:-1]] + [f"      && {same[-1]} AS ?same)"]
    return [*lines, 'BIND (IF(?same, "yes", IF(?fits, "partly", "no")) AS ?fits_word)']


def _references(i: int) -> list[str]:
    return [f"OPTIONAL {{ ?c{i} t2dm:cites/t2dm:reference_number ?num{i} }}",
            f'BIND (IF(?c{i} = t2dm:none, "~", COALESCE(STR(?num{i}), "-")) AS ?n{i}) '
            f'BIND (IF(?c{i} = t2dm:none, "~", STRAFTER(STR(?c{i}), "/claim/")) AS ?k{i})']


def sparql(mode: str, n: int = SPARQL_HOPS) -> str:
    """The SPARQL of a chain query walking up to ``n`` hops: ``meet``, ``back`` or ``all`` (both ends free).

    ``#@defaults`` and ``#@parameters`` mark where the bound parameters go
    (:func:`t2dm_onto.terms.with_values`; ``tools/query_defaults.py`` writes each file's own values there).
    """
    walk = _branches(mode, n)
    inner = ["  { SELECT * WHERE {", *("      " + w for w in walk), *("      " + c for c in _chain_text(n)),
             "    } LIMIT 1000000000 }"]
    rows = ["  # contexts (see the header): one claim per hop and one site per claim in each row"]
    for i in range(1, n + 1):
        rows += ["  " + c for c in _context(i)]
    rows += ["  " + a for a in _agreement(n)]
    rows.append("  # references, looked up per row of the chains")
    for i in range(1, n + 1):
        rows += ["  " + r for r in _references(i)]
    group = ("GROUP BY ?source_label ?source ?target_label ?target ?hops ?net_sign ?chain "
             + " ".join(f"?r{i}" for i in range(1, n + 1)) + " " + " ".join(f"?x{i}" for i in range(1, n)))
    lines = [f"PREFIX t2dm: <{BASE}>", f"PREFIX rdfs: <{RDFS}>", f"PREFIX xsd: <{XSD}>", "", *_select(n), "WHERE {", "  " + _DEFAULTS,
             *inner, *rows, "}", group, "ORDER BY ?hops ?chain"]
    return "\n".join(line.rstrip() for line in lines) + "\n"


# -- the committed files -----------------------------------------------------------------
_VALUES_SLOT = re.compile(r"^([ \t]*)(#@(?:defaults|parameters)\b[^\n]*)(?:\n[ \t]*(VALUES\b[^\n]*))?$", re.MULTILINE)


def query_file(text: str, mode: str) -> str:
    """A chain query file's text with its SPARQL regenerated: its own header (the lines before ``PREFIX``)
    and its own default VALUES line (``tools/query_defaults.py`` writes it) kept."""
    start = text.find("\nPREFIX ")
    header = text[: start + 1] if start >= 0 else ""
    found = _VALUES_SLOT.search(text)
    line = found.group(3) if found and found.group(3) else None
    body = sparql(mode)
    if line is not None:
        body = _VALUES_SLOT.sub(lambda m: f"{m.group(0)}\n{m.group(1)}{line}", body)
    return header + body


def query_files(folder: Path) -> dict[Path, str]:
    """Each chain query file under ``folder`` with the text it should have (for ``t2dm-onto build``)."""
    out = {}
    for name, mode in CHAIN_QUERIES.items():
        path = folder / f"{name}.rq"
        if path.is_file():
            out[path] = query_file(path.read_text(encoding="utf-8"), mode)
    return out


# -- the same rule in Python ------------------------------------------------------------
#: A hop as the queries group it: (subject, relation, object), all claims with those three.
Key = tuple[str, str, str]
Chain = tuple[Key, ...]


def adjacency(keys: Iterable[Key], order: Callable[[Key], object] | None = None) -> dict[str, list[Key]]:
    """The causal hops out of each node (:data:`CAUSAL` relations, no hop from a node to itself),
    each node's in ``order`` (the walk's, which decides which chains a capped search keeps)."""
    out: dict[str, list[Key]] = {}
    for key in keys:
        if key[1] in CAUSAL and key[0] != key[2]:
            out.setdefault(key[0], []).append(key)
    if order is not None:
        for hops in out.values():
            hops.sort(key=order)
    return out


def sign(chain: Chain) -> int:
    """The net sign: the product of the hop signs."""
    net = 1
    for key in chain:
        net *= CAUSAL[key[1]]
    return net


def hops_from(start: str, neighbours: Callable[[str], Iterable[str]], limit: int) -> dict[str, int]:
    """Each node reachable from ``start`` in at most ``limit`` steps of ``neighbours``, with its distance
    (breadth first). Chains and the maps' neighbourhoods both cut the graph this way."""
    dist = {start: 0}
    queue = deque([start])
    while queue:
        here = queue.popleft()
        if dist[here] == limit:
            continue
        for nxt in neighbours(here):
            if nxt not in dist:
                dist[nxt] = dist[here] + 1
                queue.append(nxt)
    return dist


def _distances(out: Mapping[str, Sequence[Key]], target: str, max_hops: int) -> dict[str, int]:
    """Hops from each node to ``target``, up to ``max_hops`` (a breadth-first pass backwards)."""
    into: dict[str, list[str]] = {}
    for hops in out.values():
        for s, _r, o in hops:
            into.setdefault(o, []).append(s)
    return hops_from(target, lambda node: into.get(node, ()), max_hops)


def walk(out: Mapping[str, Sequence[Key]], source: str, target: str, max_hops: int,
         cap: int | None = None) -> tuple[list[Chain], bool]:
    """Every chain from ``source`` to ``target`` of at most ``max_hops`` hops, and whether ``cap`` cut the search.

    A depth-first walk from the source follows only hops that can still reach the target in
    time (:func:`_distances`), so long searches stay fast; a chain ends at its first arrival.
    """
    dist = _distances(out, target, max_hops)
    found: list[Chain] = []
    path: list[Key] = []
    on_path = {source}
    capped = False

    def step(node: str) -> None:
        nonlocal capped
        left = max_hops - len(path)
        for key in out.get(node, ()):
            nxt = key[2]
            if nxt in on_path or dist.get(nxt, max_hops + 1) > left - 1:
                continue
            if cap is not None and len(found) >= cap:
                capped = True
                return
            path.append(key)
            if nxt == target:
                found.append(tuple(path))
            else:
                on_path.add(nxt)
                step(nxt)
                on_path.discard(nxt)
            path.pop()

    if source != target and source in dist:
        step(source)
    return found, capped


def reverse(out: Mapping[str, Sequence[Key]]) -> dict[str, list[Key]]:
    """The hops into each node, from :func:`adjacency`'s hops out of each."""
    back: dict[str, list[Key]] = {}
    for hops in out.values():
        for key in hops:
            back.setdefault(key[2], []).append(key)
    return back


def into(back: Mapping[str, Sequence[Key]], target: str, max_hops: int) -> Iterator[Chain]:
    """Every chain ending at ``target`` (any source) of at most ``max_hops`` hops, walked back from it
    over ``back`` (:func:`reverse`)."""
    path: list[Key] = []
    on_path = {target}

    def step(node: str) -> Iterator[Chain]:
        for key in back.get(node, ()):
            if key[0] in on_path:
                continue
            path.append(key)
            yield tuple(reversed(path))
            if len(path) < max_hops:
                on_path.add(key[0])
                yield from step(key[0])
                on_path.discard(key[0])
            path.pop()

    yield from step(target)


def all_chains(out: Mapping[str, Sequence[Key]], max_hops: int) -> Iterator[Chain]:
    """Every chain between any two nodes, of at most ``max_hops`` hops."""
    back = reverse(out)
    for target in sorted(back):
        yield from into(back, target, max_hops)
