"""rdflib as an optional backend: pure Python, slower, but everywhere.

Parameters are joined as a VALUES block at the top of the WHERE clause (the
SPARQL 1.1 semantics a remote endpoint also sees).

rdflib evaluates a join lazily (the right side once per left row, with the left
row's bindings) only when neither side is itself a join; otherwise it evaluates
the right side on its own and pairs the two in a nested loop. A group such as
``?c :has_subject ?s . VALUES ... ?s rdfs:label ?l . FILTER(...)`` therefore
computes every label of every node before joining, which took minutes on the
canned queries. :func:`_lazy_bgp_joins` marks joins whose right side is a basic
graph pattern as lazy: a BGP evaluated with bindings only ever returns rows
compatible with them, so the answer is unchanged (the store tests prove it on
every canned query) and the cost follows the left side.

rdflib also fixes the order of the triple patterns of each BGP when it parses the
query, by counting variables, without knowing which of them the parameters
bind; a chain query anchored on a bound target would start from
``?r t2dm:is_causal true`` and enumerate every chain in the graph.
:func:`_plan_bgps` re-orders each BGP greedily, treating the bound parameters as
constants, so evaluation starts at the parameter and follows shared variables.
Both rewrites change only the order of evaluation, never the answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..errors import InputError, T2DMError
from ..rdfio import load_rdflib
from ..rdfio import rdflib_module as _rdflib
from ..terms import Term, with_values
from .base import Result, check_read_query, literal_value, run_with_timeout


class RdflibBackend:
    name = "rdflib"
    allow_service = False  # rdflib evaluates SERVICE with urllib: only on explicit request

    def __init__(self, files: Sequence[Path] = (), timeout: float | None = None) -> None:
        self.timeout = timeout
        rdflib = _rdflib()
        self.graph = rdflib.Graph()
        for path in files:
            load_rdflib(self.graph, path)  # format, RDF/XML guard, OBO and JSON-LD: t2dm_onto.rdfio

    def _run(self, query: str, bound: frozenset[str] = frozenset()):
        import rdflib.plugins.sparql
        from rdflib.plugins.sparql import prepareQuery

        check_read_query(query, self.allow_service)
        # FROM <iri> would otherwise make rdflib fetch the IRI (a URL, or a local file) and parse it
        rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False
        try:
            prepared = prepareQuery(query)
            _lazy_bgp_joins(prepared.algebra)
            _plan_bgps(prepared.algebra, bound)
            return self.graph.query(prepared)
        except Exception as exc:  # pyparsing and rdflib raise several types
            raise InputError(f"SPARQL error: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from exc

    def select(self, query: str, bindings: dict[str, Term | None] | None = None) -> Result:
        return run_with_timeout(lambda: self._select(query, bindings), self.timeout)

    def _select(self, query: str, bindings: dict[str, Term | None] | None) -> Result:
        bindings = bindings or {}
        bound = frozenset(name for name, term in bindings.items() if term is not None)
        result = self._run(with_values(query, bindings), bound)
        if result.type != "SELECT":
            raise InputError("only SELECT queries return rows here.")
        columns = [str(v) for v in result.vars]
        try:
            return Result(columns, self._rows(result, columns))
        except T2DMError:
            raise
        except Exception as exc:  # rdflib evaluates lazily: errors surface while the rows are read
            raise InputError(f"the query cannot be evaluated: {str(exc)[:300] or type(exc).__name__}. "
                             "Check the query.") from None

    def _rows(self, result, columns: list[str]) -> list[dict]:
        rdflib = _rdflib()
        rows = []
        for row in result:
            out = {}
            for c in columns:
                term = row[c]
                if term is None:
                    out[c] = None
                elif isinstance(term, rdflib.Literal):
                    out[c] = literal_value(str(term), str(term.datatype) if term.datatype else None)
                else:
                    out[c] = str(term)
            rows.append(out)
        return rows

    def ask(self, query: str) -> bool:
        return run_with_timeout(lambda: bool(self._run(query).askAnswer), self.timeout)

    def construct(self, query: str) -> list:
        """The triples of a CONSTRUCT or DESCRIBE query, as pyoxigraph triples (what the writers take)."""
        import pyoxigraph as ox

        def work() -> list:
            result = self._run(query)
            if result.type not in ("CONSTRUCT", "DESCRIBE"):
                raise InputError("this is not a CONSTRUCT or DESCRIBE query.")
            data = result.graph.serialize(format="nt", encoding="utf-8")
            return list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))

        return run_with_timeout(work, self.timeout)

    def triples(self) -> int:
        return len(self.graph)


def _walk(node: object):
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            yield item
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)


def _plan_bgps(algebra: object, bound: frozenset[str]) -> None:
    """Order each BGP's triple patterns greedily from what is bound (see the module docstring)."""
    from rdflib import Literal, Variable

    def weight(term: object, known: set[str]) -> int:
        if isinstance(term, Variable):
            return 2 if str(term) in known else 0
        return 1 if isinstance(term, Literal) else 2  # a literal such as `true` selects little

    for node in _walk(algebra):
        if node.name != "BGP" or len(node.triples) < 2:
            continue
        todo, known, plan = list(node.triples), set(bound), []
        while todo:
            best = max(range(len(todo)),
                       key=lambda i: (weight(todo[i][0], known) + weight(todo[i][2], known), -i))
            triple = todo.pop(best)
            plan.append(triple)
            known.update(str(t) for t in triple if isinstance(t, Variable))
        node["triples"] = plan


def _lazy_bgp_joins(algebra: object) -> None:
    """Mark joins lazy where that cannot change the answer (see the module docstring).

    Safe right sides: a BGP, or a UNION whose every branch is a BGP under BINDs and
    FILTERs that use, of the left side's variables, only those the branch's own BGP
    binds, and that BIND no variable of the left side.
    """
    from rdflib.plugins.sparql.parserutils import CompValue

    for node in _walk(algebra):
        p2 = node.get("p2")
        if node.name != "Join" or node.get("lazy") or not isinstance(p2, CompValue):
            continue
        if p2.name == "BGP" or (p2.name == "Union" and _union_is_safe(node.p1, p2)):
            node["lazy"] = True


def _variables(node: object) -> set[str]:
    from rdflib import Variable
    from rdflib.plugins.sparql.parserutils import CompValue

    out: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, Variable):
            out.add(str(item))
        elif isinstance(item, CompValue):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set, frozenset)):
            stack.extend(item)
    return out


def _union_is_safe(p1: object, union: object) -> bool:
    """True if evaluating ``union`` with ``p1``'s bindings gives exactly the compatible rows."""
    from rdflib import Variable

    outer = _variables(p1)  # every variable p1 mentions: a superset of what it binds
    branches, todo = [], [union]
    while todo:
        item = todo.pop()
        if item.name == "Union":
            todo += [item.p1, item.p2]
        else:
            branches.append(item)
    for node in branches:
        exprs = []
        while node.name in ("Extend", "Filter"):
            if node.name == "Extend" and str(node.var) in outer:
                return False
            exprs.append(node.expr)
            node = node.p
        if node.name != "BGP":
            return False
        bound = {str(v) for triple in node.triples for v in triple if isinstance(v, Variable)}
        if any((_variables(e) & outer) - bound for e in exprs):
            return False
    return True
