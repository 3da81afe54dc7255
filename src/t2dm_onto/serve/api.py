"""The page's JSON API: the catalog, entity names, and canned-query runs.

Canned queries run through :meth:`KnowledgeBase.query`, never by pasting
parameters into SPARQL: the page sends names (``target=RANKL``), the knowledge
base resolves them to entities and binds them, exactly as the CLI does. A bad
parameter or an unknown entity is a 400 whose JSON ``error`` is the same message
the CLI prints.

``GET /api/queries``   the canned queries, their parameters and allowed values
``GET /api/entities``  every entity's IRI and English / Chinese labels (for suggestions)
``GET /api/query?query=NAME&lang=en&PARAM=VALUE...`` (or POST the same as JSON)
                       the rows, as JSON (default) or ``format=csv|tsv``
"""

from __future__ import annotations

import json
import time
import urllib.parse
from typing import TYPE_CHECKING, Any

from ..errors import BackendError, MissingDependencyError, T2DMError
from ..formats import render
from ..namespaces import RELATIONS, SECTIONS, STUDY_TYPES
from ..terms import with_values
from .protocol import Response, clip, cut
from .worker import QueryTimeout

if TYPE_CHECKING:
    import socket

    from ..kb import KnowledgeBase
    from .worker import QueryPool

#: Keys of /api/query that are not query parameters.
RESERVED = ("query", "lang", "format")


def json_response(status: int, data: Any) -> Response:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(status, body, "application/json; charset=utf-8", {"Cache-Control": "no-store"})


def error(status: int, message: str) -> Response:
    return json_response(status, {"error": cut(message)})


class Api:
    """JSON endpoints over one :class:`KnowledgeBase`; queries run in ``pool`` (names are resolved here)."""

    def __init__(self, kb: KnowledgeBase, pool: QueryPool) -> None:
        self.kb = kb
        self.pool = pool

    def catalog(self) -> Response:
        choices = {"relation": list(RELATIONS), "study_type": list(STUDY_TYPES), "section": list(SECTIONS)}
        queries = []
        for q in self.kb.catalog:
            params = []
            for p in q.params:
                span = p.int_range
                params.append({
                    "name": p.name, "kind": p.kind, "required": p.required,
                    "default": None if p.required or p.default == "UNDEF" else p.default,
                    "example": p.example, "description": p.description,
                    "min": span[0] if span else None, "max": span[1] if span else None,
                    "choices": choices.get(p.kind),
                })
            queries.append({"name": q.name, "description": q.description, "params": params})
        return json_response(200, {"queries": queries, "langs": ["en", "zh"]})

    def entities(self) -> Response:
        index = self.kb.entities
        rows = [{"iri": iri, "en": labels.get("en", ""), "zh": labels.get("zh", "")}
                for iri, labels in sorted(index.labels.items(), key=lambda kv: kv[1].get("en", kv[0]).lower())]
        return json_response(200, {"entities": rows})

    def run(self, args: dict[str, str], client: socket.socket | None = None) -> Response:
        name = args.get("query", "").strip()
        if not name:
            return error(400, "give the canned query's name as 'query', e.g. /api/query?query=entities")
        lang = args.get("lang") or "en"
        fmt = args.get("format") or "json"
        if fmt not in ("json", "csv", "tsv"):
            return error(400, f"unknown format {clip(fmt)}: use json, csv or tsv.")
        params = {k: v for k, v in args.items() if k not in RESERVED}
        started = time.perf_counter()
        try:
            canned = self.kb.catalog.get(name)
            text = with_values(canned.sparql, self.kb.bindings(canned, params, lang))
            result = self.pool.run("select", text, client=client)
        except QueryTimeout as err:
            return error(503, str(err))
        except (BackendError, MissingDependencyError) as err:
            return error(500, str(err))
        except T2DMError as err:  # usage and input errors: the request is at fault
            return error(400, str(err))
        elapsed = time.perf_counter() - started
        if fmt != "json":
            body = render(result.columns, result.rows, fmt).encode("utf-8")
            media = "text/csv" if fmt == "csv" else "text/tab-separated-values"
            disposition = f'attachment; filename="{name}.{fmt}"'
            return Response(200, body, f"{media}; charset=utf-8", {"Content-Disposition": disposition})
        return json_response(200, {"query": name, "lang": lang, "columns": result.columns, "rows": result.rows,
                                   "count": len(result.rows), "seconds": round(elapsed, 4)})


def single_values(url_query: str) -> dict[str, str] | Response:
    """The URL parameters as single values, or a 400 when one is repeated."""
    params = urllib.parse.parse_qs(url_query, keep_blank_values=True)
    repeated = sorted(k for k, v in params.items() if len(v) > 1)
    if repeated:
        return error(400, f"parameter {clip(repeated[0])} is given more than once.")
    return {k: v[0] for k, v in params.items()}


def json_body(body: bytes) -> dict[str, str] | Response:
    """A POSTed JSON object of string (or boolean / number) values."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return error(400, "the body is not JSON: POST an object such as {\"query\": \"entities\"}.")
    if not isinstance(data, dict):
        return error(400, "POST a JSON object such as {\"query\": \"entity\", \"name\": \"RANKL\"}.")
    out = {}
    for key, value in data.items():
        if isinstance(value, bool):
            out[key] = "true" if value else "false"
        elif isinstance(value, (str, int, float)):
            out[key] = str(value)
        elif value is not None:
            return error(400, f"parameter {clip(key)} must be a string, number or boolean.")
    return out
