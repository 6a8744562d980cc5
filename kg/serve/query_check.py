"""Admission checks on SPARQL query text, run before any evaluation (pure functions).

pyoxigraph has no switch for federation: a ``SERVICE`` clause makes it send HTTP requests
(notes/security.md §2.3). We therefore lex the query the way the SPARQL grammar does — codepoint
escapes first, then comments, strings and IRIs out of the way — and reject it when the keyword
``SERVICE`` appears anywhere. The same pass measures the nesting depth and finds the query form.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

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
    limit: int | None = None
    """The outermost ``LIMIT`` (the most solutions the query can return), ``None`` without one."""


def unescape_codepoints(text: str) -> str:
    r"""Apply SPARQL's ``\u`` (4 hex digits) and ``\U`` (8 hex digits) escapes, which count before parsing (SPARQL 1.1 §19.2)."""

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


_TOKEN = re.compile(r"[{(\[]|[})\]]|[\w?$:\-]+")


def outermost_limit(code: str) -> int | None:
    """The ``LIMIT`` outside every bracket in ``code`` (:func:`strip_opaque` applied): the query's
    own, not a subquery's (those sit in braces); ``None`` when there is none."""
    depth, after_limit = 0, False
    for match in _TOKEN.finditer(code):
        token = match.group(0)
        if token in "{([":
            depth += 1
        elif token in "})]":
            depth = max(0, depth - 1)
        elif depth == 0:
            if after_limit:
                return int(token) if token.isascii() and token.isdigit() else None
            after_limit = token.upper() == "LIMIT"
    return None


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
    limit = outermost_limit(code) if "LIMIT" in words else None
    return QueryInfo(form=form, depth=depth, has_dataset="FROM" in words, limit=limit)


# -- syntax error messages -------------------------------------------------------------------------

_SYNTAX_AT = re.compile(r"^error at (\d+):(\d+): (.*)$", re.DOTALL)
# pyoxigraph's own checks, which its parser lists among the "expected" grammar alternatives
_SEMANTIC = {
    "The SELECT contains a variable that is unbound": "the SELECT projects a variable that is not bound "
    "(with GROUP BY, select only grouped variables and aggregates)",
    "IRI parsing failed": "invalid IRI",
}
# a prefix used in a prefixed name (not inside a variable or another name), and a declaration
_PREFIX_USE = re.compile(r"(?<![\w?$:\-.])([^\W\d][\w.\-]*)?:")
_PREFIX_DECLARATION = re.compile(r"(?i)\bPREFIX\s+([^\W\d][\w.\-]*)?:")
# what strip_opaque leaves of an unterminated string or a malformed IRI (to the end of its line)
_BROKEN_OPAQUE = re.compile(r"[\"'][^\n]*|<[^<>\s=][^<>\n]*>?")
MESSAGE_LIMIT = 300


def syntax_message(error: str, query: str, prefixes: Iterable[str] = ()) -> str:
    """pyoxigraph's SyntaxError text → one readable line: where, what went wrong, what may follow.

    The parser lists every grammar alternative, including character classes spanning several lines
    (``['A' ..= 'Z' | …]``) and its own semantic checks (``Prefix not found``); the classes are
    dropped, a semantic check becomes the message (an undeclared prefix is named), and the whole
    is one line of at most :data:`MESSAGE_LIMIT` characters. ``prefixes`` are the predeclared ones:
    a prefix the query uses without declaring it is named (the parser often says only "expected
    OPTIONAL" there).
    """
    flat = " ".join(error.split())
    match = _SYNTAX_AT.match(flat)
    if match is None:
        return _clip(f"query syntax error: {flat}")
    line, column, detail = int(match[1]), int(match[2]), match[3]
    where = f"line {line}, column {column}"
    name = undeclared_prefix(query, prefixes)
    if name is not None:
        return _clip(f"query syntax error at {where}: undeclared prefix '{name}:'; declare it with PREFIX {name}: <namespace>")
    if "Prefix not found" in detail:
        return _clip(f"query syntax error at {where}: undeclared prefix; declare it with PREFIX name: <namespace>")
    for check, meaning in _SEMANTIC.items():
        if check in detail:
            return _clip(f"query syntax error at {where}: {meaning}")
    if detail.startswith("expected "):
        detail = detail[len("expected ") :]
        one_of = detail.startswith("one of ")
        items = _alternatives(detail[len("one of ") :] if one_of else detail)
        kept = [item for item in items if item and not item.startswith(("[", "<unreported>"))]
        if not kept:
            detail = "unexpected input"
        elif len(kept) == 1:
            detail = f"expected {kept[0]}"
        else:
            detail = "expected one of " + ", ".join(kept)
    return _clip(f"query syntax error at {where}: {detail}")


def undeclared_prefix(query: str, prefixes: Iterable[str] = ()) -> str | None:
    """The first prefix the query uses without declaring it (``prefixes`` are predeclared), if any."""
    code = _BROKEN_OPAQUE.sub(" ", strip_opaque(unescape_codepoints(query)))
    declared = set(prefixes) | {m[1] or "" for m in _PREFIX_DECLARATION.finditer(code)}
    for match in _PREFIX_USE.finditer(code):
        name = match[1] or ""
        if name != "_" and name not in declared:
            return name
    return None


def _alternatives(listing: str) -> list[str]:
    """Split ``a, "b", ['x' | ','], [_]`` at the commas outside brackets and quotes."""
    items, depth, quote, start, escaped = [], 0, "", 0, False
    for i, char in enumerate(listing):
        if quote:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "[":
            depth += 1
        elif char == "]":
            depth = max(depth - 1, 0)
        elif char == "," and depth == 0:
            items.append(listing[start:i].strip())
            start = i + 1
    items.append(listing[start:].strip())
    return items


def _clip(message: str) -> str:
    return message if len(message) <= MESSAGE_LIMIT else message[: MESSAGE_LIMIT - 1] + "…"


_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=512)
def normalise(text: str) -> str:
    """The query without its comments, each run of whitespace outside strings and IRIs one space.

    A key for "the same query" that a fresh comment or a re-indentation does not change (clients
    such as the benchmark change a comment to get a fresh evaluation), which strings and IRIs, and
    so the query's meaning, do."""
    out, gap, at = [], [], 0
    for match in _SKIP.finditer(text):
        gap.append(text[at:match.start()])
        token = match.group(0)
        if token.startswith("#"):
            gap.append(" ")
        else:
            out.append(_SPACES.sub(" ", "".join(gap)))
            out.append(token)
            gap = []
        at = match.end()
    gap.append(text[at:])
    out.append(_SPACES.sub(" ", "".join(gap)))
    return "".join(out).strip()
