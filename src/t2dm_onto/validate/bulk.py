"""SHACL compiled to SPARQL and run in bulk on Oxigraph: the validator for large graphs.

pyshacl walks every focus node in Python over an rdflib graph: about 9 s for the
shipped 20 000-triple graph and hours for a million claims. Every constraint the
project's shapes use is a test that SPARQL can state for all focus nodes at once
(``sh:minCount`` as a grouped count, ``sh:datatype`` as a filter, ``sh:node`` as
``NOT EXISTS`` tests of the nested shape, ...), so each one becomes one query
over the whole store. The findings are the ones pyshacl reports, the same focus
node, path, constraint component and value (tests/test_validate_bulk.py checks
it on the shipped graph and on every fault the validation tests inject).

``focus`` restricts every target to a set of nodes (the claims and entities
changed since the last validated version); the queries then start from those
nodes, so validating a change costs what the change touches, not what the
graph holds. Checks that relate a node to others (duplicates, one top category)
still look at the whole graph around the focus nodes.

A shape construct outside the compiled set raises :class:`UnsupportedShape`
naming it, so the caller can fall back to pyshacl rather than skip a rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError, MissingDependencyError
from ..namespaces import RDF, RDFS
from .report import Finding
from .shacl import SH, read_shapes, shorten, split_shapes

if TYPE_CHECKING:
    import pyoxigraph
    import rdflib

_VALUE_COMPONENTS = ("datatype", "in", "languageIn", "minLength", "maxLength", "nodeKind", "class", "node",
                     "minInclusive", "maxInclusive", "minExclusive", "maxExclusive", "pattern")
_KNOWN = {*_VALUE_COMPONENTS, "path", "minCount", "maxCount", "hasValue", "message", "qualifiedValueShape",
          "qualifiedMinCount", "qualifiedMaxCount", "severity", "name", "description", "order", "group",
          "deactivated"}


class UnsupportedShape(InputError):
    """The shapes use a construct this compiler does not translate."""


@dataclass(frozen=True)
class Output:
    """How one constraint shows in a check's rows: a boolean column (or every row) and the finding it makes."""

    flag: str | None
    rule: str
    message: str
    severity: str = "ERROR"
    with_value: bool = True
    nested: object = None  # the node shape of an sh:node constraint, for pyshacl's nested results


@dataclass(frozen=True)
class Check:
    """One query finding violations of one or more constraints.

    ``build(focus)`` returns the SPARQL: ``focus`` is ``None`` for the whole graph
    or a list of IRIs the focus nodes are restricted to.
    """

    build: object
    outputs: tuple[Output, ...]


def _require():
    try:
        import pyoxigraph
        import rdflib
    except ImportError as exc:
        raise MissingDependencyError("validation needs rdflib and pyoxigraph: pip install 't2dm-onto[validate]'") from exc
    return pyoxigraph, rdflib


def _n3(term: rdflib.term.Node) -> str:
    """SPARQL syntax for a shapes-graph term."""
    _, rdflib = _require()
    if isinstance(term, rdflib.URIRef):
        return f"<{term}>"
    if isinstance(term, rdflib.Literal):
        return term.n3()
    raise UnsupportedShape(f"a blank node ({term}) where the compiler needs an IRI or literal")


class Compiler:
    """Translate the shapes graph into :class:`Check` queries."""

    def __init__(self, shapes: rdflib.Graph) -> None:
        _, rdflib = _require()
        self.g = shapes
        self.rdflib = rdflib
        self.sh = rdflib.Namespace(SH)

    # -- helpers ---------------------------------------------------------------------
    def _list(self, node) -> list:
        return list(self.rdflib.collection.Collection(self.g, node))

    def _one(self, node, prop):
        return self.g.value(node, self.sh[prop])

    def _path(self, path) -> str:
        """A SPARQL property path for a SHACL path."""
        rdflib, sh = self.rdflib, self.sh
        if isinstance(path, rdflib.URIRef):
            return f"<{path}>"
        if (path, sh.oneOrMorePath, None) in self.g:
            return f"({self._path(self.g.value(path, sh.oneOrMorePath))})+"
        if (path, sh.zeroOrMorePath, None) in self.g:
            return f"({self._path(self.g.value(path, sh.zeroOrMorePath))})*"
        if (path, sh.zeroOrOnePath, None) in self.g:
            return f"({self._path(self.g.value(path, sh.zeroOrOnePath))})?"
        if (path, sh.inversePath, None) in self.g:
            return f"^({self._path(self.g.value(path, sh.inversePath))})"
        if (path, sh.alternativePath, None) in self.g:
            return "(" + "|".join(self._path(p) for p in self._list(self.g.value(path, sh.alternativePath))) + ")"
        if (path, self.rdflib.RDF.first, None) in self.g:
            return "(" + "/".join(self._path(p) for p in self._list(path)) + ")"
        raise UnsupportedShape(f"the SHACL path {path}")

    def _rule_path(self, path) -> str:
        return shorten(path) if isinstance(path, self.rdflib.URIRef) else ""

    def _target_forms(self, shape) -> list[tuple[str, str]]:
        """Each target declaration of ``shape`` as (a group enumerating ``?this``, a test of a bound ``?this``)."""
        sh, out = self.sh, []
        for cls in self.g.objects(shape, sh.targetClass):
            pattern = f"?this <{RDF}type>/<{RDFS}subClassOf>* {_n3(cls)}"
            out.append((f"{{ {pattern} }}", f"EXISTS {{ {pattern} }}"))
        for prop in self.g.objects(shape, sh.targetSubjectsOf):
            pattern = f"?this {_n3(prop)} ?t_any"
            out.append((f"{{ SELECT DISTINCT ?this WHERE {{ {pattern} }} }}", f"EXISTS {{ {pattern} }}"))
        for prop in self.g.objects(shape, sh.targetObjectsOf):
            pattern = f"?t_any {_n3(prop)} ?this"
            out.append((f"{{ SELECT DISTINCT ?this WHERE {{ {pattern} }} }}", f"EXISTS {{ {pattern} }}"))
        nodes = [_n3(n) for n in self.g.objects(shape, sh.targetNode)]
        if nodes:
            out.append(("{ VALUES ?this { " + " ".join(nodes) + " } }", "?this IN (" + ", ".join(nodes) + ")"))
        return out

    def _targets(self, shape) -> list[str]:
        return [group for group, _test in self._target_forms(shape)]

    def _severity(self, shape) -> str:
        sev = self._one(shape, "severity")
        return "ERROR" if sev is None or str(sev).endswith("Violation") else "WARN"

    def _message(self, shape, default: str) -> str:
        msgs = sorted(str(m) for m in self.g.objects(shape, self.sh.message))
        return msgs[0] if msgs else default

    # -- conditions on a value ----------------------------------------------------------
    def value_violation(self, shape, var: str = "?value") -> list[tuple[str, str]]:
        """(component, SPARQL condition true when ``var`` violates it) for each value constraint of ``shape``."""
        sh, g = self.sh, self.g
        out = []
        for comp in _VALUE_COMPONENTS:
            for arg in g.objects(shape, sh[comp]):
                out.append((comp, self._condition(comp, arg, var)))
        return out

    def _condition(self, comp: str, arg, v: str) -> str:
        if comp == "datatype":
            return f"!(isLiteral({v}) && DATATYPE({v}) = {_n3(arg)})"
        if comp == "in":
            items = self._list(arg)
            return "!(" + (" || ".join(f"sameTerm({v}, {_n3(i)})" for i in items) or "false") + ")"
        if comp == "languageIn":
            tags = [str(t) for t in self._list(arg)]
            return f"!(isLiteral({v}) && (" + (" || ".join(f'langMatches(LANG({v}), "{t}")' for t in tags)
                                                 or "false") + "))"
        if comp == "minLength":
            return f"(isBlank({v}) || STRLEN(STR({v})) < {int(arg)})"
        if comp == "maxLength":
            return f"(isBlank({v}) || STRLEN(STR({v})) > {int(arg)})"
        if comp == "nodeKind":
            kinds = {"IRI": f"isIRI({v})", "BlankNode": f"isBlank({v})", "Literal": f"isLiteral({v})",
                     "BlankNodeOrIRI": f"(isBlank({v}) || isIRI({v}))",
                     "BlankNodeOrLiteral": f"(isBlank({v}) || isLiteral({v}))",
                     "IRIOrLiteral": f"(isIRI({v}) || isLiteral({v}))"}
            name = str(arg)[len(SH):]
            if name not in kinds:
                raise UnsupportedShape(f"sh:nodeKind {arg}")
            return f"!{kinds[name]}"
        if comp == "class":
            return f"NOT EXISTS {{ {v} <{RDF}type>/<{RDFS}subClassOf>* {_n3(arg)} }}"
        if comp in ("minInclusive", "maxInclusive", "minExclusive", "maxExclusive"):
            op = {"minInclusive": ">=", "maxInclusive": "<=", "minExclusive": ">", "maxExclusive": "<"}[comp]
            return f"!COALESCE({v} {op} {_n3(arg)}, false)"
        if comp == "pattern":
            return f"(isBlank({v}) || !REGEX(STR({v}), {_n3(arg)}))"
        if comp == "node":
            return "(" + self._nonconforming(arg, v) + ")"
        raise UnsupportedShape(f"sh:{comp}")

    def _nonconforming(self, shape, v: str) -> str:
        """A condition true when node ``v`` does not conform to the node shape ``shape``."""
        sh, g = self.sh, self.g
        for p, _o in g.predicate_objects(shape):
            local = str(p)[len(SH):] if str(p).startswith(SH) else None
            if local and local not in _KNOWN | {"property", "targetClass", "targetNode", "targetSubjectsOf",
                                                "targetObjectsOf", "closed", "ignoredProperties"}:
                raise UnsupportedShape(f"sh:{local} in a nested shape ({shorten(shape)})")
            if local in ("closed",):
                raise UnsupportedShape("sh:closed")
        parts = [c for _comp, c in self.value_violation(shape, v)]
        for prop in g.objects(shape, sh.property):
            path = self._path(self._one(prop, "path"))
            for comp, cond in self.value_violation(prop, "?n_v"):
                del comp
                parts.append(f"EXISTS {{ {v} {path} ?n_v FILTER ({cond}) }}")
            for value in g.objects(prop, sh.hasValue):
                parts.append(f"NOT EXISTS {{ {v} {path} {_n3(value)} }}")
            lo, hi = self._one(prop, "minCount"), self._one(prop, "maxCount")
            if lo is not None and int(lo) > 0:
                parts.append(f"NOT EXISTS {{ {v} {path} ?n_any }}" if int(lo) == 1 else
                             f"NOT EXISTS {{ SELECT {v} WHERE {{ {v} {path} ?n_c }} GROUP BY {v} "
                             f"HAVING (COUNT(DISTINCT ?n_c) >= {int(lo)}) }}")
            if hi is not None:
                raise UnsupportedShape("sh:maxCount inside a nested shape")
            if self._one(prop, "qualifiedValueShape") is not None:
                raise UnsupportedShape("a qualified value shape inside a nested shape")
        return " || ".join(parts) or "false"

    # -- the checks -------------------------------------------------------------------
    def _target_test(self, shape) -> str:
        """A boolean SPARQL expression true when ``?this`` is a focus node of ``shape``."""
        return " || ".join(test for _group, test in self._target_forms(shape))

    def _rule(self, comp: str, rule_path: str = "") -> str:
        name = f"sh:{comp[0].upper()}{comp[1:]}ConstraintComponent"
        return f"{rule_path} ({name})" if rule_path else name

    def checks(self) -> list[Check]:
        """Every node shape with targets, as few queries as its constraints allow.

        Per node shape, one query walks the focus nodes for the tests that need
        every focus node (minimum counts, sh:hasValue, constraints on the node
        itself); per property shape, one query tests the values (walking the
        distinct values of the property, each tested once), one groups the values
        for sh:maxCount and one for sh:qualifiedMaxCount.
        """
        sh, g = self.sh, self.g
        out = []
        shapes = set(g.subjects(self.rdflib.RDF.type, sh.NodeShape))
        shapes |= {s for p in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf")
                   for s in g.subjects(sh[p], None)}
        for shape in sorted(shapes, key=str):
            if (shape, sh.deactivated, self.rdflib.Literal(True)) in g:
                continue
            targets = self._targets(shape)
            if not targets:
                continue
            out += self.shape_checks(shape, "{ " + "\n    UNION ".join(targets) + " }", self._target_test(shape))
        return out

    def shape_checks(self, shape, target: str, test: str) -> list[Check]:
        """The checks of one node shape whose focus nodes ``target`` enumerates and ``test`` recognises."""
        sh, g = self.sh, self.g
        out: list[Check] = []
        # tests on every focus node: one walk over the targets
        flags: list[tuple[str, Output]] = []
        sev = self._severity(shape)
        for comp, cond in self.value_violation(shape, "?this"):
            flags.append((cond, Output(None, self._rule(comp), self._message(shape, f"violates sh:{comp}"), sev,
                                       True, self._one(shape, comp) if comp == "node" else None)))
        for prop in g.objects(shape, sh.property):
            self._check_known(prop)
            raw_path = self._one(prop, "path")
            path, rule_path = self._path(raw_path), self._rule_path(raw_path)
            msg, psev = self._message(prop, "violates a property shape"), self._severity(prop)
            lo = self._one(prop, "minCount")
            if lo is not None and int(lo) > 0:
                cond = (f"NOT EXISTS {{ ?this {path} ?m_v }}" if int(lo) == 1 else
                        f"NOT EXISTS {{ SELECT ?this WHERE {{ ?this {path} ?m_v }} GROUP BY ?this "
                        f"HAVING (COUNT(DISTINCT ?m_v) >= {int(lo)}) }}")
                flags.append((cond, Output(None, self._rule("minCount", rule_path), msg, psev, False)))
            for value in g.objects(prop, sh.hasValue):
                flags.append((f"NOT EXISTS {{ ?this {path} {_n3(value)} }}",
                              Output(None, self._rule("hasValue", rule_path), msg, psev, False)))
            qshape, qlo = self._one(prop, "qualifiedValueShape"), self._one(prop, "qualifiedMinCount")
            if qshape is not None and qlo is not None and int(qlo) > 0:
                conforms = f"!({self._nonconforming(qshape, '?q_v')})"
                cond = (f"NOT EXISTS {{ ?this {path} ?q_v FILTER ({conforms}) }}" if int(qlo) == 1 else
                        f"NOT EXISTS {{ SELECT ?this WHERE {{ ?this {path} ?q_v FILTER ({conforms}) }} "
                        f"GROUP BY ?this HAVING (COUNT(DISTINCT ?q_v) >= {int(qlo)}) }}")
                flags.append((cond, Output(None, self._rule("qualifiedMinCount", rule_path), msg, psev, False)))
            out += self._property_checks(prop, path, rule_path, msg, psev, test)
        if flags:
            any_ = " || ".join(f"?f{i}" for i in range(len(flags)))
            binds = " ".join(f"BIND ({cond} AS ?f{i})" for i, (cond, _o) in enumerate(flags))

            def build(focus, target=target, binds=binds, any_=any_):
                head = "" if focus is None else _values(focus)
                return f"SELECT DISTINCT * WHERE {{ {head} {target} {binds} FILTER ({any_}) BIND (?this AS ?value) }}"

            out.append(Check(build, tuple(Output(f"f{i}", o.rule, o.message, o.severity, o.with_value, o.nested)
                                          for i, (_c, o) in enumerate(flags))))
        return out

    def _check_known(self, prop) -> None:
        for p in self.g.predicates(prop, None):
            local = str(p)[len(SH):] if str(p).startswith(SH) else None
            if local and local not in _KNOWN:
                raise UnsupportedShape(f"sh:{local} on property shape {shorten(prop)}")

    def _property_checks(self, prop, path: str, rule_path: str, msg: str, sev: str, test: str) -> list[Check]:
        out = []
        conds = self.value_violation(prop, "?value")
        if conds:
            binds = " ".join(f"BIND ({cond} AS ?f{i})" for i, (_comp, cond) in enumerate(conds))
            any_ = " || ".join(f"?f{i}" for i in range(len(conds)))
            simple = path.startswith("<")

            def build(focus, binds=binds, any_=any_, path=path, simple=simple):
                if focus is None and simple:
                    # each distinct value is tested once, then the failing ones are traced back to focus nodes
                    return (f"SELECT DISTINCT * WHERE {{ {{ SELECT * WHERE {{ "
                            f"{{ SELECT DISTINCT ?value WHERE {{ ?v_s {path} ?value }} }} {binds} FILTER ({any_}) }} }} "
                            f"?this {path} ?value FILTER ({test}) }}")
                head = "" if focus is None else _values(focus)
                return f"SELECT DISTINCT * WHERE {{ {head} ?this {path} ?value FILTER ({test}) {binds} FILTER ({any_}) }}"

            out.append(Check(build, tuple(
                Output(f"f{i}", self._rule(comp, rule_path), msg, sev, True,
                       self._one(prop, comp) if comp == "node" else None)
                for i, (comp, _cond) in enumerate(conds))))
        hi = self._one(prop, "maxCount")
        if hi is not None:
            out.append(Check(self._grouped(path, "", int(hi), test),
                             (Output(None, self._rule("maxCount", rule_path), msg, sev, False),)))
        qshape, qhi = self._one(prop, "qualifiedValueShape"), self._one(prop, "qualifiedMaxCount")
        if qshape is not None and qhi is not None:
            conforms = f"FILTER (!({self._nonconforming(qshape, '?g_v')}))"
            out.append(Check(self._grouped(path, conforms, int(qhi), test),
                             (Output(None, self._rule("qualifiedMaxCount", rule_path), msg, sev, False),)))
        return out

    @staticmethod
    def _grouped(path: str, value_filter: str, bound: int, test: str):
        def build(focus):
            head = "" if focus is None else _values(focus)
            return (f"SELECT ?this WHERE {{ {{ SELECT ?this WHERE {{ {head} ?this {path} ?g_v {value_filter} }} "
                    f"GROUP BY ?this HAVING (COUNT(DISTINCT ?g_v) > {bound}) }} FILTER ({test}) }}")
        return build

    def nested_checks(self, shape) -> list[Check]:
        """The checks of a node shape used by sh:node, run on the values that failed it."""
        return self.shape_checks(shape, "{ }", "true")


def _values(focus: Sequence) -> str:
    """A VALUES block for ?this: IRIs given as strings, or pyoxigraph terms (literals too) as they are."""
    return "VALUES ?this { " + " ".join(f"<{t}>" if isinstance(t, str) else str(t) for t in focus) + " }"


def compile_shapes(shapes_file: Path) -> tuple[list[Check], list]:
    """The core constraints as :class:`Check` queries and the SPARQL constraints, from a shapes file."""
    _require()
    core, sparql_checks = split_shapes(read_shapes(shapes_file))
    return Compiler(core).checks(), sparql_checks


def run_bulk_shacl(
    store: pyoxigraph.Store, shapes_file: Path, focus: Iterable[str] | None = None
) -> list[Finding]:
    """Validate the data in ``store`` against the shapes; one finding per SHACL result.

    ``focus`` (IRIs) limits the check to those focus nodes.
    """
    _require()
    core, sparql_checks = split_shapes(read_shapes(shapes_file))
    compiler = Compiler(core)
    nodes = sorted(set(focus)) if focus is not None else None
    findings: list[Finding] = []
    if nodes == []:
        return findings
    failed_nested: dict = {}
    for check in compiler.checks():
        findings += _run(store, check, nodes, failed_nested)
    # pyshacl also reports, for each value that fails an sh:node shape, that shape's own results
    done: dict = {}
    while failed_nested:
        shape, values = failed_nested.popitem()
        fresh = sorted(values - done.setdefault(shape, set()), key=str)
        done[shape].update(fresh)
        if fresh:
            for check in compiler.nested_checks(shape):
                findings += _run(store, check, fresh, failed_nested)
    for sc in sparql_checks:
        query = sc.query if nodes is None else _with_focus_sparql(sc.query, nodes)
        solutions = store.query(query)
        has_path = "path" in [v.value for v in solutions.variables]
        for sol in solutions:
            value, path = sol["value"], (sol["path"] if has_path else None)
            findings.append(Finding(
                check="shacl", node=shorten(sol["this"].value),
                rule=f"{sc.shape} (sh:SPARQLConstraintComponent)" + (f" on {shorten(path.value)}" if path else ""),
                value="" if value is None else shorten(getattr(value, "value", value)), message=sc.message,
            ))
    return findings


def _run(store: pyoxigraph.Store, check: Check, focus: list | None, failed_nested: dict) -> list[Finding]:
    out = []
    for sol in store.query(check.build(focus)):
        for o in check.outputs:
            if o.flag is not None:
                flag = sol[o.flag]
                if flag is None or flag.value != "true":
                    continue
            value = sol["value"] if o.with_value else None
            out.append(Finding(
                check="shacl", node=shorten(sol["this"].value), rule=o.rule,
                value="" if value is None else shorten(getattr(value, "value", value)),
                message=o.message, severity=o.severity,
            ))
            if o.nested is not None and sol["value"] is not None:
                failed_nested.setdefault(o.nested, set()).add(sol["value"])
    return out


def _with_focus_sparql(query: str, focus: Sequence[str]) -> str:
    at = query.index("SELECT * WHERE {") + len("SELECT * WHERE {")
    block = " VALUES ?this { " + " ".join(f"<{iri}>" for iri in focus) + " } "
    return query[:at] + block + query[at:]


def changed_claims_focus(store: pyoxigraph.Store, changed: int = 100) -> set[str]:
    """The ``changed`` last claims (by IRI) with their subjects and objects: a stand-in for an edit.

    Used by the benchmarks to time validating a change; a curation workflow would
    pass the claims and entities its edit touched.
    """
    rows = store.query(
        "PREFIX t2dm: <https://w3id.org/t2dm-onto/> SELECT ?c ?s ?o WHERE { ?c a t2dm:Claim ; "
        f"t2dm:has_subject ?s ; t2dm:has_object ?o }} ORDER BY DESC(STR(?c)) LIMIT {int(changed)}")
    focus: set[str] = set()
    for row in rows:
        focus.update((row["c"].value, row["s"].value, row["o"].value))
    return focus
