"""Readers that turn each exchange export back into claim records, for the round-trip tests.

Each reader returns ``{claim IRI: record}`` with the fields of :func:`canonical`,
so a test can compare an export with ``kb.claims()`` field by field. They are
written from the formats' own structure (a BEL grammar, KGX columns, nanopub
graphs, GraphML keys, CX2 aspects), not from the writers' code.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

FIELDS = ("subject", "relation", "object", "aspect", "references", "section", "quote_zh", "statement_en",
          "evidence", "study_type", "population", "sex", "species", "context_entities", "detail")
T2DM = "https://w3id.org/t2dm-onto/"


def canonical(claim: dict[str, Any]) -> dict[str, Any]:
    """The comparable form of a ``kb.claims()`` record."""
    return {
        "subject": claim["subject"]["iri"], "relation": claim["relation"], "object": claim["object"]["iri"],
        "aspect": claim.get("aspect"), "references": tuple(claim["references"]), "section": claim["section"],
        "quote_zh": claim["quote_zh"], "statement_en": claim["statement_en"], "evidence": claim["evidence"],
        "study_type": claim.get("study_type"), "population": claim.get("population"), "sex": claim.get("sex"),
        "species": claim.get("species"), "context_entities": tuple(sorted(claim["context_entities"])),
        "detail": claim.get("detail"),
    }


def curie_to_iri(curie: str) -> str:
    """``T2DMOP:RANKL`` -> our IRI (the only CURIEs the readers need to expand)."""
    prefix, _, local = curie.partition(":")
    assert prefix == "T2DMOP", curie
    return T2DM + local


# -- BEL ------------------------------------------------------------------------------------------

BEL_RELATIONS = {"increases": "increases", "decreases": "decreases",
                 "positiveCorrelation": "positively_correlated_with",
                 "negativeCorrelation": "negatively_correlated_with",
                 "association": "associated_with", "causesNoChange": "no_association"}
_STRING = r'"(?:[^"\\]|\\.)*"'
_SET = re.compile(rf"^SET (?P<key>[A-Za-z_]+) = (?P<value>{_STRING}|\{{.*\}})$")
_UNSET = re.compile(r"^UNSET (?P<keys>[A-Za-z_]+|\{[A-Za-z_, ]+\})$")
_DEFINE = re.compile(rf"^DEFINE (NAMESPACE|ANNOTATION) [A-Za-z0-9_.]+ AS (PATTERN {_STRING}|LIST \{{.*\}})$")
_TERM = re.compile(
    rf"^(?:(?P<act>act)\()?(?P<fn>p|a|bp|path)\((?P<ns>[A-Za-z0-9_.]+):(?P<id>{_STRING}|[A-Za-z0-9_]+) ! "
    rf"(?P<name>{_STRING}|[A-Za-z0-9_]+)\)(?(act)\))$")


def bel_unescape(text: str) -> str:
    """The inner text of a BEL string literal with its escapes resolved."""
    if text.startswith('"'):
        text = text[1:-1]
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "r": "\r", "t": "\t"}.get(m.group(1), m.group(1)), text)


def bel_strings(text: str) -> list[str]:
    return [bel_unescape(s) for s in re.findall(_STRING, text)]


def split_statement(line: str) -> tuple[str, str, str]:
    """Split ``term relation term`` outside quotes and parentheses."""
    depth, in_string, i = 0, False, 0
    while i < len(line):
        ch = line[i]
        if in_string:
            if ch == "\\":
                i += 1
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                subject, rest = line[: i + 1], line[i + 1:]
                relation, _, obj = rest.strip().partition(" ")
                return subject, relation, obj
        i += 1
    raise AssertionError(f"not a BEL statement: {line}")


def parse_term(term: str) -> dict[str, Any]:
    m = _TERM.match(term)
    assert m, f"term outside the BEL grammar we write: {term}"
    return {"fn": m["fn"], "ns": m["ns"], "id": bel_unescape(m["id"]), "name": bel_unescape(m["name"]),
            "activity": bool(m["act"])}


def read_bel(path: Path, term_to_iri: dict[tuple[str, str], str]) -> dict[str, dict[str, Any]]:
    """Every statement of a BEL script as a claim record (a grammar-level reader of the subset we write).

    ``term_to_iri`` maps (namespace, identifier) to our entity IRI; context
    annotation values (``NS:ID``) are mapped the same way.
    """
    out: dict[str, dict[str, Any]] = {}
    annotations: dict[str, list[str]] = {}
    citation = evidence = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#") or _DEFINE.match(line):
            continue
        if m := _SET.match(line):
            key, values = m["key"], bel_strings(m["value"])
            if key == "Citation":
                citation, annotations, evidence = values, {}, None
            elif key == "Evidence":
                evidence = values[0]
            elif key not in ("DOCUMENT", "STATEMENT_GROUP"):
                annotations[key] = values
            continue
        if line.startswith("SET DOCUMENT ") or line.startswith("SET STATEMENT_GROUP "):
            continue
        if m := _UNSET.match(line):
            for key in re.findall(r"[A-Za-z_]+", m["keys"]):
                if key == "Evidence":
                    evidence = None
                annotations.pop(key, None)
            continue
        subject, relation, obj = split_statement(line)
        assert relation in BEL_RELATIONS, f"line {number}: unknown relation {relation}"
        assert citation is not None and evidence is not None, f"line {number}: statement without citation/evidence"
        s, o = parse_term(subject), parse_term(obj)
        ctx = [term_to_iri[tuple(v.split(":", 1))] for key in ("Cell", "CellLine", "Anatomy", "Context")
               for v in annotations.get(key, [])]
        one = {key: values[0] for key, values in annotations.items()}
        claim = T2DM + "claim/" + one["Claim"]
        out[claim] = {
            "subject": term_to_iri[(s["ns"], s["id"])], "relation": BEL_RELATIONS[relation],
            "object": term_to_iri[(o["ns"], o["id"])], "aspect": one.get("Aspect"),
            "references": tuple(int(n) for n in annotations.get("CitedReference", [])), "section": one["Section"],
            "quote_zh": evidence, "statement_en": one["Statement"], "evidence": one["EvidenceCode"],
            "study_type": one.get("StudyType"), "population": one.get("Population"), "sex": one.get("Sex"),
            "species": one.get("Species"), "context_entities": tuple(sorted(ctx)), "detail": one.get("Detail"),
            "_citation": tuple(citation), "_activity": o["activity"], "_line": number,
        }
    return out


# -- KGX ------------------------------------------------------------------------------------------

KGX_RELATIONS = {
    ("biolink:affects", "increased", ""): "increases",
    ("biolink:affects", "decreased", ""): "decreases",
    ("biolink:positively_correlated_with", "", ""): "positively_correlated_with",
    ("biolink:negatively_correlated_with", "", ""): "negatively_correlated_with",
    ("biolink:associated_with", "", ""): "associated_with",
    ("biolink:affects", "", "true"): "no_association",
}


def read_tsv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def kgx_node_iris(nodes: list[dict[str, str]]) -> dict[str, str]:
    """KGX node id -> our entity IRI, through the ``T2DMOP:`` CURIE in id or xref."""
    out = {}
    for row in nodes:
        ours = [x for x in [row["id"], *row["xref"].split("|")] if x.startswith("T2DMOP:")]
        assert len(ours) == 1, row
        out[row["id"]] = curie_to_iri(ours[0])
    return out


def read_kgx(folder: Path) -> dict[str, dict[str, Any]]:
    """edges.tsv as claim records; the sign is read from predicate, direction and negation."""
    nodes = kgx_node_iris(read_tsv(folder / "nodes.tsv"))
    out = {}
    for row in read_tsv(folder / "edges.tsv"):
        relation = KGX_RELATIONS[(row["predicate"], row["object_direction_qualifier"], row["negated"])]
        pubs = row["publications"].split("|")
        assert pubs[0] == "T2DMOP:review", row["id"]
        opt = {key: value or None for key, value in row.items()}
        out[curie_to_iri(row["id"])] = {
            "subject": nodes[row["subject"]], "relation": relation, "object": nodes[row["object"]],
            "aspect": opt["t2dm_aspect"], "references": tuple(int(p.split("/")[-1]) for p in pubs[1:]),
            "section": row["t2dm_section"], "quote_zh": row["supporting_text"], "statement_en": row["description"],
            "evidence": row["has_evidence"], "study_type": opt["t2dm_study_type"],
            "population": opt["t2dm_population"], "sex": opt["t2dm_sex"], "species": opt["t2dm_species"],
            "context_entities": tuple(sorted(nodes[x] for x in row["anatomical_context_qualifier"].split("|") if x)),
            "detail": opt["t2dm_detail"],
            "_original": (curie_to_iri(row["original_subject"]), row["original_predicate"],
                          curie_to_iri(row["original_object"])),
            "_row": row,
        }
    return out


# -- nanopublications -----------------------------------------------------------------------------

NP = "http://www.nanopub.org/nschema#"
PROV = "http://www.w3.org/ns/prov#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def values(quads: list, subject: Any, prop: str) -> list:
    """Objects of ``subject t2dm:prop ?o`` among ``quads``, sorted."""
    return sorted(q.object for q in quads if q.subject == subject and q.predicate.value == T2DM + prop)


def one(quads: list, subject: Any, prop: str) -> str | None:
    """The single value of ``subject t2dm:prop``, or None; more than one is an error."""
    found = values(quads, subject, prop)
    assert len(found) <= 1, (subject, prop, found)
    return found[0].value if found else None


def read_nanopubs(path: Path) -> dict[str, dict[str, Any]]:
    """Every nanopublication of a TriG file, read with pyoxigraph, as a claim record."""
    import pyoxigraph as ox

    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TRIG)

    def graph(name: ox.NamedNode) -> list[ox.Quad]:
        return list(store.quads_for_pattern(None, None, None, name))

    out = {}
    for head in store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), ox.NamedNode(NP + "Nanopublication"), None):
        this = head.subject
        parts = {}
        for key in ("hasAssertion", "hasProvenance", "hasPublicationInfo"):
            found = list(store.quads_for_pattern(this, ox.NamedNode(NP + key), None, head.graph_name))
            assert len(found) == 1, (this, key)
            parts[key] = found[0].object
            assert graph(parts[key]), f"{this}: empty {key} graph"
        assertion = graph(parts["hasAssertion"])
        claims = [q.subject for q in assertion if q.predicate.value == RDF_TYPE and q.object.value == T2DM + "Claim"]
        assert len(claims) == 1, this
        claim = claims[0]

        prov = graph(parts["hasProvenance"])
        target = parts["hasAssertion"]
        assert any(q.subject == target and q.predicate.value == PROV + "wasDerivedFrom" for q in prov), this
        relation = one(assertion, claim, "has_relation")[len(T2DM):]
        subject, obj = one(assertion, claim, "has_subject"), one(assertion, claim, "has_object")
        shortcut = [q for q in assertion if q.subject.value == subject and q.predicate.value == T2DM + relation]
        assert [q.object.value for q in shortcut] == [obj], this
        eco = one(prov, target, "evidence")
        out[claim.value] = {
            "subject": subject, "relation": relation, "object": obj,
            "aspect": one(assertion, claim, "aspect"),
            "references": tuple(sorted(int(x.value.rsplit("/", 1)[-1]) for x in values(prov, target, "cites"))),
            "section": one(prov, target, "section"), "quote_zh": one(prov, target, "quote_zh"),
            "statement_en": one(assertion, claim, "statement_en"),
            "evidence": eco.rsplit("/", 1)[-1].replace("_", ":"), "study_type": one(prov, target, "study_type"),
            "population": one(assertion, claim, "population"), "sex": one(assertion, claim, "sex"),
            "species": one(assertion, claim, "species"),
            "context_entities": tuple(sorted(x.value for x in values(assertion, claim, "in_context"))),
            "detail": one(assertion, claim, "detail"),
            "_np": this.value, "_pubinfo": graph(parts["hasPublicationInfo"]),
        }
    return out


# -- GraphML and CX2 ------------------------------------------------------------------------------

def _network_record(v: dict[str, Any], subject: str, obj: str, lists: bool) -> dict[str, Any]:
    def listed(key: str) -> list[Any]:
        value = v.get(key)
        if value in (None, "", []):
            return []
        return value if lists else str(value).split("|")

    return {
        "subject": subject, "relation": v["interaction"], "object": obj, "aspect": v.get("aspect"),
        "references": tuple(int(n) for n in listed("references")), "section": v["section"],
        "quote_zh": v["quote_zh"], "statement_en": v["statement_en"], "evidence": v["evidence"],
        "study_type": v.get("study_type"), "population": v.get("population"), "sex": v.get("sex"),
        "species": v.get("species"), "context_entities": tuple(sorted(curie_to_iri(c) for c in listed("context"))),
        "detail": v.get("detail"), "_sign": v.get("sign"), "_causal": v.get("causal"),
    }


def read_graphml(path: Path) -> dict[str, dict[str, Any]]:
    """The claim edges of a GraphML file, read with networkx."""
    import networkx as nx

    g = nx.read_graphml(path, force_multigraph=True)
    iris = {n: d["iri"] for n, d in g.nodes(data=True)}
    return {d["claim"]: _network_record(d, iris[u], iris[v], lists=False) for u, v, d in g.edges(data=True)}


def read_cx2(path: Path) -> dict[str, dict[str, Any]]:
    """The claim edges of a CX2 file, read as plain JSON."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    aspects = {k: v for part in doc for k, v in part.items()}
    iris = {n["id"]: n["v"]["iri"] for n in aspects["nodes"]}
    return {e["v"]["claim"]: _network_record(e["v"], iris[e["s"]], iris[e["t"]], lists=True) for e in aspects["edges"]}
