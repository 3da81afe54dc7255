"""The rows of ``complications-affecting-bone`` computed in Python, for a prepared store's summary.

The query lists every path of one to three causal claims from a complication to a
bone outcome: at 10^5 claims that is about 1.9 million rows, which Oxigraph
takes about 400 s per language to join, label and sort, past ``prepare``'s
default time limit for a summary. The join itself is cheap: :func:`rows` reads
the claims, the relations' signs, the polarities and the labels with four small
internal queries (seconds at 10^5) and builds the same rows, in the same order.

The SPARQL stays the definition; this follows it clause by clause (each step
names the clause it mirrors), including its corners: a claim with several
subjects or objects, a label missing in the language (the row is dropped for a
complication or outcome, ``(direct)`` or an unbound chain label for a mediator),
an effect left unbound when a sign or polarity is not a number. Its ORDER BY is
total (its last keys ``?claims ?complication`` separate any rows that differ),
and its text columns compare as text (the labels all of one language, ``?via_label``
and the others simple literals), so the order is the one every engine gives, and
Python's order of strings (by code point) is Oxigraph's.
tests/test_complications.py compares these rows with the SPARQL answer on the
review (both languages) and on synthetic graphs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from .catalog import internal
from .namespaces import BASE
from .store.base import Result
from .terms import Term

#: The canned query these rows answer.
QUERY = "complications-affecting-bone"
COLUMNS = ["complication_label", "complication", "via_label", "outcome_label", "effect", "claims"]
#: The internal queries read (their text is part of the summary's key: summaries.COMPUTED, summaries.sparql_hash).
INTERNAL = ("complication-sources", "complication-claims", "complication-terms", "labels-in")
#: What the SPARQL binds ?via and ?via2 to on a path with fewer mediators.
NONE = BASE + "none"
#: The most rows :func:`rows` builds before giving up. They are sorted in memory, at about 500 bytes each
#: (1.9 million rows at 10^5 synthetic claims); the answer grows with the square of the claims there, so at
#: 10^6 it would be about 2*10^8 rows, past any machine's memory. Past the cap the summary is left out
#: (``prepare`` says so) and the query runs from its SPARQL, a page at a time per the store.
MAX_ROWS = 5_000_000
_ARROW = " → "


@dataclass
class Graph:
    """What the rows are made of: the complications, the claims out of each node, signs, polarities."""

    complications: list[str]
    out: dict[str, list[tuple[str, str, str]]]  # subject -> (claim, relation, object), one per matching triple
    signs: dict[str, list[Any]]  # relation -> its t2dm:sign_value values
    causal: set[str]  # relations with t2dm:is_causal true
    polarity: dict[str, list[Any]]  # bone outcome -> its t2dm:bone_polarity values


#: How the rows are read: ``KnowledgeBase.sparql`` (a query's text and its bindings to a Result).
Select = Callable[..., Result]


def read(select: Select) -> Graph:
    """The graph the internal queries read through ``select`` (``KnowledgeBase.sparql``)."""
    complications = [row["complication"] for row in select(internal("complication-sources")).rows]
    out: dict[str, list[tuple[str, str, str]]] = {}
    for row in select(internal("complication-claims")).rows:
        out.setdefault(row["s"], []).append((row["c"], row["r"], row["o"]))
    signs: dict[str, list[Any]] = {}
    causal: set[str] = set()
    polarity: dict[str, list[Any]] = {}
    for row in select(internal("complication-terms")).rows:
        if row["sign"] is not None:
            signs.setdefault(row["x"], []).append(row["sign"])
        elif row["polarity"] is not None:
            polarity.setdefault(row["x"], []).append(row["polarity"])
        else:
            causal.add(row["x"])
    return Graph(complications, out, signs, causal, polarity)


def labels(select: Select, lang: str) -> dict[str, list[str]]:
    """Each node's labels in ``lang`` (``LANG(?l) = ?lang``, as the query's label joins filter)."""
    found: dict[str, list[str]] = {}
    for row in select(internal("labels-in"), {"lang": Term.literal(lang)}).rows:
        found.setdefault(row["x"], []).append(row["l"])
    return found


def per_language(select: Select) -> Callable[[str], list[list[Any]]]:
    """The function giving the rows in a language, the graph read once through ``select`` for all of them."""
    graph = read(select)
    return lambda lang: rows(graph, labels(select, lang))


# -- the three branches of the UNION: (complication, via, via2, outcome, ?e, ?claims, ?mediators) --------
Path = tuple[str, str, str, str, Any, str, int]


def _claim_id(iri: str) -> str:
    """``STRAFTER(STR(?c), "/claim/")``: the text after the first "/claim/", or "" without one."""
    return iri.partition("/claim/")[2]


def _times(*factors: Any) -> Any:
    """``?g1 * ... * ?p``: None (unbound) if a factor is unbound or not a number, as SPARQL's type error."""
    product = 1
    for f in factors:
        if f is None or isinstance(f, bool) or not isinstance(f, int | float):
            return None
        product *= f
    return product


def _causal_out(g: Graph, node: str, into_bone: bool) -> Iterator[tuple[str, Any, str]]:
    """``?c t2dm:has_subject node ; t2dm:has_relation ?r ; t2dm:has_object ?o . ?r t2dm:is_causal true ;
    t2dm:sign_value ?g``, the object a bone outcome or (``FILTER NOT EXISTS``) not one: (claim, ?g, ?o)."""
    for claim, relation, obj in g.out.get(node, ()):
        if relation in g.causal and (obj in g.polarity) == into_bone:
            for sign in g.signs.get(relation, ()):
                yield claim, sign, obj


def paths(g: Graph) -> Iterator[Path]:
    """Every solution of the UNION, before the labels are joined."""
    into_bone: dict[str, list[tuple[str, Any, str]]] = {}
    onward: dict[str, list[tuple[str, Any, str]]] = {}
    for k in g.complications:
        # direct: any relation, its sign OPTIONAL
        for claim, relation, outcome in g.out.get(k, ()):
            for p in g.polarity.get(outcome, ()):
                for sign in g.signs.get(relation) or [None]:
                    yield k, NONE, NONE, outcome, _times(sign, p), _claim_id(claim), 0
        for c1, g1, via in _causal_out(g, k, into_bone=False):
            if via not in into_bone:
                into_bone[via] = list(_causal_out(g, via, into_bone=True))
                onward[via] = list(_causal_out(g, via, into_bone=False))
            first = _claim_id(c1)
            # one mediator
            for c2, g2, outcome in into_bone[via]:
                for p in g.polarity[outcome]:
                    yield k, via, NONE, outcome, _times(g1, g2, p), f"{first} | {_claim_id(c2)}", 1
            # two mediators: FILTER (?via != ?via2 && ?via != ?complication && ?via2 != ?complication
            # && ?via2 != ?outcome)
            if via == k:
                continue
            for c2, g2, via2 in onward[via]:
                if via2 in (via, k):
                    continue
                if via2 not in into_bone:
                    into_bone[via2] = list(_causal_out(g, via2, into_bone=True))
                    onward[via2] = list(_causal_out(g, via2, into_bone=False))
                second = f"{first} | {_claim_id(c2)} | "
                for c3, g3, outcome in into_bone[via2]:
                    if outcome == via2:
                        continue
                    for p in g.polarity[outcome]:
                        yield k, via, via2, outcome, _times(g1, g2, g3, p), second + _claim_id(c3), 2


# -- the labels, the two BINDs, the order --------------------------------------------------------------------
def _effect(e: Any) -> str:
    if e is None:
        return "associated"
    return "protective" if e > 0 else "harmful" if e < 0 else "no effect"


def _text_key(text: str | None) -> tuple[int, str]:
    """The ORDER BY key of a simple literal or nothing: unbound first, then by text (code points)."""
    return (0, "") if text is None else (1, text)


def rows(g: Graph, names: dict[str, list[str]], most: int | None = None) -> list[list[Any]]:
    """The query's rows (cells in :data:`COLUMNS` order) and its order, for labels ``names`` of one language.

    Raises OverflowError (the child of ``prepare`` reports it as the reason the summary is left out) once more
    than ``most`` (default :data:`MAX_ROWS`) rows have been made, before they fill the memory.
    """
    most = MAX_ROWS if most is None else most
    keyed = []
    effects: dict[Any, str] = {}
    for k, via, via2, outcome, e, claims, mediators in paths(g):
        k_labels, o_labels = names.get(k), names.get(outcome)
        if not k_labels or not o_labels:
            continue
        effect = effects.get(e) or effects.setdefault(e, _effect(e))
        vias = names.get(via) or [None]
        vias2 = names.get(via2) or [None]
        for vl in vias:
            for vl2 in vias2:
                if mediators == 2:  # IF(?mediators = 2, CONCAT(?vl, " → ", ?vl2), ...): unbound if either is
                    via_key = _text_key(None if vl is None or vl2 is None else vl + _ARROW + vl2)
                else:  # STR(COALESCE(?vl, "(direct)"))
                    via_key = _text_key("(direct)" if vl is None else vl)
                for kl in k_labels:
                    for ol in o_labels:
                        keyed.append((kl, effect, via_key, ol, claims, k))
        if len(keyed) > most:
            raise OverflowError(f"more than {most:,} rows (the summary is built in memory)")
    keyed.sort()
    return [[kl, k, via_key[1] if via_key[0] else None, ol, effect, claims]
            for kl, effect, via_key, ol, claims, k in keyed]
