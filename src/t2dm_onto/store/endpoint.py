"""A remote SPARQL 1.1 endpoint (Fuseki, GraphDB, Virtuoso, Oxigraph server, QLever...).

Queries go over the SPARQL 1.1 Protocol (POST, form-encoded) and results come
back as SPARQL JSON. Virtuoso's ``typed-literal`` type is read like ``literal``.
Errors (down, slow, garbage) become a :class:`BackendError` with the URL.

Stores differ in what the default graph is: Oxigraph and Fuseki query only the
unnamed graph, Virtuoso and GraphDB the union of all graphs. ``graph`` names the
graph the knowledge base was loaded into and is sent as the protocol's
``default-graph-uri`` with every query, so the answer is the same everywhere and
never mixes in other data the store holds.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

from ..errors import BackendError, InputError
from ..terms import Term, with_values
from .base import Result, check_read_query, literal_value


class EndpointBackend:
    name = "endpoint"
    allow_service = False  # the endpoint would federate on our behalf: only on explicit request

    def __init__(self, url: str, timeout: float = 30.0, graph: str | None = None) -> None:
        parsed = urllib.parse.urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise InputError(f"--endpoint {url!r} is not an http(s) URL, e.g. http://127.0.0.1:7878/query")
        if graph is not None and not urllib.parse.urlparse(graph).scheme:
            raise InputError(f"--graph {graph!r} is not an absolute IRI, e.g. https://w3id.org/t2dm-onto/t2dm_op.owl")
        self.url = url
        self.timeout = timeout
        self.graph = graph

    def _post(self, query: str) -> dict:
        payload = self._request(query, "application/sparql-results+json")
        try:
            return json.loads(payload)
        except (ValueError, UnicodeDecodeError) as exc:
            raise BackendError(f"the endpoint {self.url} did not return SPARQL JSON results "
                               f"(got {payload[:80]!r}...).") from exc

    def construct(self, query: str) -> list:
        """The triples of a CONSTRUCT or DESCRIBE query, asked for as N-Triples."""
        import pyoxigraph as ox

        payload = self._request(query, "application/n-triples")
        try:
            return list(ox.parse(payload, format=ox.RdfFormat.N_TRIPLES))
        except (SyntaxError, ValueError) as exc:
            raise BackendError(f"the endpoint {self.url} did not return N-Triples for a CONSTRUCT or DESCRIBE "
                               f"query (got {payload[:80]!r}...).") from exc

    def _request(self, query: str, accept: str) -> bytes:
        check_read_query(query, self.allow_service)
        form = {"query": query}
        if self.graph:
            form["default-graph-uri"] = self.graph
        body = urllib.parse.urlencode(form).encode()
        request = urllib.request.Request(
            self.url, data=body, method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                payload = response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:300].decode("utf-8", "replace").strip()
            if exc.code == 400:
                raise InputError(f"the endpoint {self.url} rejected the query (HTTP 400): {detail}") from exc
            raise BackendError(f"the endpoint {self.url} answered HTTP {exc.code}: {detail}") from exc
        except TimeoutError as exc:
            raise BackendError(f"the endpoint {self.url} did not answer within {self.timeout:g} s. "
                               "Check it is up, or raise --timeout.") from exc
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise BackendError(f"cannot reach the endpoint {self.url}: {reason}. Is the server running?") from exc
        return payload

    def select(self, query: str, bindings: dict[str, Term | None] | None = None) -> Result:
        data = self._post(with_values(query, bindings or {}))
        try:
            columns = list(data["head"]["vars"])
            rows = [
                {c: _value(binding.get(c)) for c in columns} for binding in data["results"]["bindings"]
            ]
        except (KeyError, TypeError, AttributeError) as exc:
            raise BackendError(f"the endpoint {self.url} returned JSON that is not a SELECT result.") from exc
        return Result(columns, rows)

    def ask(self, query: str) -> bool:
        data = self._post(query)
        if isinstance(data, dict) and isinstance(data.get("boolean"), bool):
            return data["boolean"]
        answer = _select_shaped_ask(data)
        if answer is None:
            raise BackendError(f"the endpoint {self.url} returned no boolean for an ASK query.")
        return answer

    def triples(self) -> int:
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows
        return int(rows[0]["n"]) if rows else 0


def _select_shaped_ask(data: object) -> bool | None:
    """Read an ASK answer that came back as a one-cell SELECT result.

    Virtuoso 7 answers ASK over the protocol with a table of one variable
    (``__ask_retval``) holding 1 or 0 instead of the ``boolean`` key the
    SPARQL 1.1 JSON results format prescribes. Anything else returns None.
    """
    try:
        columns = data["head"]["vars"]  # type: ignore[index]
        bindings = data["results"]["bindings"]  # type: ignore[index]
    except (KeyError, TypeError):
        return None
    if len(columns) != 1:
        return None
    if not bindings:
        return False
    value = str(bindings[0].get(columns[0], {}).get("value", "")).strip().lower()
    if value in ("1", "true"):
        return True
    if value in ("0", "false"):
        return False
    return None


def _value(cell: dict | None):
    if cell is None:
        return None
    kind = cell.get("type")
    if kind in ("literal", "typed-literal"):
        return literal_value(cell.get("value", ""), cell.get("datatype"))
    return cell.get("value")
