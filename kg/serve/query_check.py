"""Admission checks on SPARQL query text, run before any evaluation (pure functions).

pyoxigraph has no switch for federation: a ``SERVICE`` clause makes it send HTTP requests
(notes/security.md §2.3). We therefore lex the query the way the SPARQL grammar does — codepoint
escapes first, then comments, strings and IRIs out of the way — and reject it when the keyword
``SERVICE`` appears anywhere. The same pass measures the nesting depth and finds the query form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# Longest-match lexing of the tokens whose content must not be read as keywords.
_SKIP = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r"|<[^<>\"{}|^`\\\x00-\x20]*>"
    r"|#[^\n\r]*",
    re.DOTALL,
)
_PIECE = re.compile(r"[\w?$:\-]+")


class QueryRejected(ValueError):
    """The query is refused before evaluation; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class QueryInfo:
    form: str
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``."""
    depth: int
    """Deepest nesting of brackets of any kind."""
    has_dataset: bool = False
    """The query has ``FROM`` / ``FROM NAMED`` clauses (then they, not the union, define the dataset)."""


def unescape_codepoints(text: str) -> str:
    r"""Apply SPARQL's ``\uXXXX`` / ``\UXXXXXXXX`` escapes, which count before parsing (SPARQL 1.1 §19.2)."""

    def repl(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else match.group(0)

    return _ESCAPE.sub(repl, text)


def strip_opaque(text: str) -> str:
    """The query with comments, strings and IRIs blanked out (same length, newlines kept)."""
    return _SKIP.sub(lambda m: " " * len(m.group(0)), text)


def nesting_depth(code: str) -> int:
    depth = deepest = 0
    for char in code:
        if char in "{([":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "})]":
            depth = max(0, depth - 1)
    return deepest


def bare_words(code: str) -> list[str]:
    """Upper-cased runs of name characters that are neither variables nor prefixed names/blank nodes.

    Keywords can only be among these; variable names and prefixed names consume their letters
    greedily, so ``?service`` or ``ex:service`` never hide a keyword. Dots split runs (``?x.SERVICE``).
    """
    return [p.upper() for p in _PIECE.findall(code) if p[0] not in "?$" and ":" not in p]


def inspect_query(text: str, max_bytes: int, max_nesting: int) -> QueryInfo:
    """Check a query against the limits and the federation ban; raise :class:`QueryRejected`."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise QueryRejected(413, f"query is {size} bytes; the limit is {max_bytes}")
    if not text.strip():
        raise QueryRejected(400, "empty query")
    code = strip_opaque(unescape_codepoints(text))
    depth = nesting_depth(code)
    if depth > max_nesting:
        raise QueryRejected(400, f"query nests {depth} levels deep; the limit is {max_nesting}")
    words = bare_words(code)
    # Substring, not equality: a parser may split "1SERVICE" or "trueSERVICE" into two tokens.
    if any("SERVICE" in w for w in words):
        raise QueryRejected(400, "SERVICE (federated query) is not allowed on this endpoint")
    form = next((w for w in words if w in QUERY_FORMS), None)
    if form is None:
        if any(w in UPDATE_KEYWORDS for w in words):
            raise QueryRejected(403, "this endpoint is read-only: SPARQL Update is not accepted")
        raise QueryRejected(400, "not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE")
    return QueryInfo(form=form, depth=depth, has_dataset="FROM" in words)
