"""Checks on SPARQL text made before any parser sees it: size, bracket depth, federation.

Why before the parser: a query nesting brackets 10,000 deep overflows the stack of
Oxigraph's parser (the process dies with a segfault, no exception to catch) and
rdflib's recursive parser; a ``SERVICE`` clause makes both engines send HTTP
requests from this machine to any address the query names. Both are decided here
by a small scanner that runs in linear time over at most ``max_bytes`` of text.

The scanner must tokenize the way the parsers do, or a query could hide a bracket
or a ``SERVICE`` from it (inside what it takes for a string, IRI or comment):

- ``\\uXXXX`` / ``\\UXXXXXXXX`` escapes are decoded first, as SPARQL requires and
  both engines do (``\\u0053ERVICE`` is ``SERVICE``);
- strings (all four quote styles), IRIs ``<...>``, ``#`` comments, variables,
  language tags and prefixed names (with their ``\\``-escapes) are skipped;
- ``SERVICE`` is searched case-insensitively (Unicode upper case, as rdflib
  compares: ``ſervice`` counts) inside every bare word and prefix, since
  Oxigraph's grammar needs no word boundary (``1SERVICE<x>{}`` and
  ``SERVICESILENT<x>{}`` federate);
- ``<`` is an IRI or "less than" depending on the grammar; where it could be
  either (inside parentheses, right after a term) and the two readings would
  tokenize the rest differently (the would-be IRI holds a quote, ``#`` or a
  bracket), the query is refused as ambiguous instead of guessed.
"""

from __future__ import annotations

import re

from .errors import InputError, UsageError

#: Largest SPARQL text accepted, in bytes of UTF-8 (the canned queries are < 8 KB).
MAX_QUERY_BYTES = 256 * 1024
#: Deepest nesting of ( [ { accepted (the canned queries reach 9; Oxigraph's parser segfaults at about 4,600).
MAX_NESTING_DEPTH = 64
#: Most operators (+ - * / ! || && = != < > <= >=) and UNION / OPTIONAL / MINUS in one text: each
#: nests the parsers' recursion (Oxigraph segfaults at about 7,000 ``+``, 6,300 ``UNION``, 9,000 ``!``).
MAX_OPERATORS = 1000

_UESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

_PN_CHAR = r"[\w\-\u00b7\u0300-\u036f\u203f\u2040]"
_LOCAL_ESC = r"\\[_~.\-!$&'()*+,;=/?#@%]|%[0-9A-Fa-f]{2}"
_LOCAL = rf"(?:[\w:]|{_LOCAL_ESC})(?:(?:{_PN_CHAR}|[.:]|{_LOCAL_ESC})*(?:{_PN_CHAR}|:|{_LOCAL_ESC}))?"
_PREFIX = rf"[^\W\d_](?:(?:{_PN_CHAR}|\.)*{_PN_CHAR})?"

_TOKEN = re.compile(
    rf"""
    (?P<space>[ \t\r\n]+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<string>'\''(?:[^'\\]|\\.|'(?!''))*'\''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\r\n]|\\.)*'|"(?:[^"\\\r\n]|\\.)*")
  | (?P<quote>['"])
  | (?P<iri><[^<>"{{}}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f\u2040]+)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<pname>_?:(?:{_LOCAL})?)
  | (?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)
  | (?P<word>[^\W\d]\w*)
  | (?P<open>[(\[{{])
  | (?P<close>[)\]}}])
  | (?P<operator>\|\||&&|!=|<=|>=|[-+*/!=<>])
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
#: A name with a prefix (``ex:a``): tried apart, at most once per run of name characters (see _scan).
_PREFIXED = re.compile(rf"{_PREFIX}:(?:{_LOCAL})?")
_NAME_RUN = re.compile(rf"(?:{_PN_CHAR}|\.)*")
#: Keywords that, like binary operators, nest the parsers' recursion one level per use.
_CHAINING = frozenset({"UNION", "OPTIONAL", "MINUS"})
#: Stack entries for the brackets of ``VALUES (?a ?b) { (<x> <y>) }``: variables, data block, row.
_VALUES_VARS, _VALUES_DATA, _VALUES_ROW = "(vars", "{values", "(row"
#: Tokens after which ``<`` may be the "less than" operator.
_OPERANDS = frozenset({"var", "pname", "number", "word", "string", "iri", "lang", "close"})
_DIVERGENT = re.compile(r"['#()\[\]]")


#: What a command-line user can do instead of a refused SERVICE.
SERVICE_HINT = "Query that endpoint directly (--endpoint URL); the command line's `sparql --allow-service` permits it."


def check_query(
    text: str,
    *,
    max_bytes: int = MAX_QUERY_BYTES,
    max_depth: int = MAX_NESTING_DEPTH,
    allow_service: bool = False,
    max_operators: int = MAX_OPERATORS,
    service_hint: str = SERVICE_HINT,
) -> None:
    """Refuse SPARQL text that is too large, nests or chains too deep, or federates (``SERVICE``).

    ``service_hint`` ends the SERVICE refusal with what the caller's user can do
    instead (the default names the command line's opt-in; a server has none).

    Raises :class:`InputError` (exit 3) for size, depth, undecodable or ambiguous
    text and :class:`UsageError` (exit 2) for a refused ``SERVICE``; returns
    ``None`` when the text may be handed to a parser. Messages give the place
    (line and column) and never repeat the text itself.
    """
    if not isinstance(text, str):
        raise InputError(f"SPARQL text must be a string, not {type(text).__name__}.")
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError as exc:
        raise InputError(f"SPARQL text is not valid Unicode (an unpaired surrogate at character {exc.start + 1}): "
                         "give UTF-8 text.") from None
    if size > max_bytes:
        raise InputError(f"SPARQL text is {size:,} bytes, more than the {max_bytes:,} accepted: "
                         "send a shorter query (bind long value lists from a file on the store instead).")
    _Scanner(_decode_escapes(text), max_depth, max_operators, allow_service, service_hint).run()


def _decode_escapes(text: str) -> str:
    """``\\u`` and ``\\U`` escapes decoded, as the SPARQL grammar applies them before parsing."""

    def one(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else m.group(0)

    return _UESCAPE.sub(one, text) if "\\" in text else text


class _Scanner:
    """One pass over the tokens, keeping the open brackets, the operator count and the last token's kind."""

    def __init__(self, text: str, max_depth: int, max_operators: int, allow_service: bool, service_hint: str) -> None:
        self.text, self.max_depth, self.max_operators, self.allow_service = text, max_depth, max_operators, allow_service
        self.service_hint = service_hint
        self.stack: list[str] = []
        self.operators = 0
        self.previous = ""  # kind of the last significant token
        self.values = ""  # after VALUES: "keyword", then "vars" once its variables are read

    def where(self, pos: int) -> str:
        line = self.text.count("\n", 0, pos) + 1
        return f"line {line}, column {pos - (self.text.rfind(chr(10), 0, pos) + 1) + 1}"

    def run(self) -> None:
        text, pos, end = self.text, 0, len(self.text)
        no_prefix_before = 0  # inside a run of name characters already known to hold no prefix
        while pos < end:
            if pos >= no_prefix_before and text[pos].isalpha():
                m = _PREFIXED.match(text, pos)
                if m:
                    self.token("pname", m.group(), pos)
                    pos = m.end()
                    continue
                # No prefix starts anywhere in this run either: it would end where this one did.
                no_prefix_before = _NAME_RUN.match(text, pos).end()
            m = _TOKEN.match(text, pos)
            assert m is not None  # `other` matches any character
            self.token(m.lastgroup or "other", m.group(), pos)
            pos = m.end()

    def token(self, kind: str, value: str, pos: int) -> None:
        if kind in ("space", "comment"):
            return
        if kind == "quote":
            raise InputError(f"SPARQL text has a string opened at {self.where(pos)} and never closed: "
                             "close the quote (a short string cannot span lines).")
        if kind == "open":
            self.stack.append(self.opener(value))
            if len(self.stack) > self.max_depth:
                raise InputError(f"SPARQL text nests brackets more than {self.max_depth} deep (at {self.where(pos)}): "
                                 "flatten the query; deeper nesting can crash the parser.")
        elif kind == "close":
            if self.stack and self.stack.pop() == _VALUES_VARS:
                self.values = "vars"
        elif kind == "iri":
            if self.stack and self.stack[-1] == "(" and self.previous in _OPERANDS \
                    and _DIVERGENT.search(value, 1, len(value) - 1):
                raise InputError(f"SPARQL text has an ambiguous '<' at {self.where(pos)}: after a term inside "
                                 "parentheses it could be 'less than' or the start of an IRI. Put a space after '<' "
                                 "for 'less than', or write the IRI as a prefixed name (PREFIX).")
        elif kind == "operator" or (kind == "word" and value.upper() in _CHAINING):
            self.operators += 1
            if self.operators > self.max_operators:
                raise InputError(f"SPARQL text chains more than {self.max_operators} operators and UNION / OPTIONAL "
                                 f"/ MINUS (at {self.where(pos)}): split the query; longer chains can crash the parser.")
        if kind in ("word", "pname") and not self.allow_service:
            head = value if kind == "word" else value.partition(":")[0]
            if "SERVICE" in head.upper():
                raise UsageError(f"SPARQL SERVICE (a federated query) at {self.where(pos)} is refused: it would "
                                 f"send requests from this machine to another server. {self.service_hint}")
        self.previous = kind
        if kind == "word" and value.upper() == "VALUES":
            self.values = "keyword"
        elif self.values == "keyword" and kind == "var":
            self.values = "vars"
        elif not (self.values == "keyword" and (kind == "open" or self.stack[-1:] == [_VALUES_VARS])) \
                and not (self.values == "vars" and kind == "close"):
            self.values = ""

    def opener(self, bracket: str) -> str:
        """What the stack records for an opening bracket: VALUES data and its rows are told apart.

        Inside a VALUES row ``( ... )`` only terms may stand, so there ``<`` always
        starts an IRI and the ambiguity check does not apply.
        """
        if bracket == "(" and self.values == "keyword":
            return _VALUES_VARS
        if bracket == "{" and self.values == "vars":
            self.values = ""
            return _VALUES_DATA
        if bracket == "(" and self.stack[-1:] == [_VALUES_DATA]:
            return _VALUES_ROW
        return bracket
