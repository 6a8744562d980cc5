"""Decoding document bytes and splitting them into numbered lines.

Line numbers are the provenance of every fact, so nothing here may add or drop a line: decoding
only changes how characters are represented (BOM, CR/LF), never which line a character is on.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from charset_normalizer import from_bytes

from kg.errors import DocumentError

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TRUNCATED = ("unexpected end of data", "incomplete multibyte sequence")  # UTF-8, GB18030 codec reasons


def compact(text: str) -> str:
    """Text without any white space (``收      入`` → ``收入``); ``str.split`` splits on every
    ``str.isspace`` character, as ``re.sub(r"\\s+", "", text)`` does, at a fraction of the cost."""
    return "".join(text.split())


def decode_document(data: bytes, name: str) -> str:
    """Bytes → text: UTF-8 (with or without BOM) first, then GB18030, then charset detection;
    UTF-16 when it starts with its byte order mark.

    Raises :class:`DocumentError` for empty or binary input.
    """
    if not data.strip() or data.strip() == b"\xef\xbb\xbf":
        raise DocumentError(name, "the file is empty; expected the text of a budget disclosure", line=1)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Windows "Unicode" text: UTF-16 with its BOM
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError as exc:
            raise DocumentError(name, "broken UTF-16 text; expected UTF-8, GB18030/GBK or UTF-16 text", line=1) from exc
    nul = data.find(b"\x00", 0, 4096)
    if nul >= 0:
        raise DocumentError(
            name,
            "binary content (NUL bytes); expected a text (.txt/.md) export of the document",
            line=data.count(b"\n", 0, nul) + 1,
        )
    utf8_error: UnicodeDecodeError | None = None
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError as exc:
            if encoding == "utf-8":
                utf8_error = exc
            if exc.end == len(data) and len(data) - exc.start < 4 and exc.reason in _TRUNCATED:
                # valid text cut inside its last character (an interrupted download or copy):
                # drop the partial character; every line keeps its number
                text = data[: exc.start].decode(encoding)
                break
            continue
    else:
        best = from_bytes(data).best()
        if best is None:
            at = utf8_error.start if utf8_error is not None else 0
            raise DocumentError(
                name,
                f"cannot determine the text encoding (byte {at} is not UTF-8); expected UTF-8 or GB18030/GBK text",
                line=data.count(b"\n", 0, at) + 1,
            )
        text = str(best)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    controls = list(_CONTROL.finditer(text[:4096]))
    if len(controls) > 0.05 * min(len(text), 4096):
        raise DocumentError(
            name,
            "binary content (control characters); expected a text export of the document",
            line=text.count("\n", 0, controls[0].start()) + 1,
        )
    return _CONTROL.sub("", text)


@dataclass(frozen=True)
class Line:
    """One line of a document: its 1-based number and its text (without the newline)."""

    number: int
    text: str

    @property
    def stripped(self) -> str:
        return clean(self.text)


_new_object = object.__new__


def split_lines(text: str) -> tuple[Line, ...]:
    """The numbered lines; each ``Line`` is filled in directly (Line has no ``__post_init__``): the
    frozen dataclass ``__init__`` sets each field through ``object.__setattr__``, ~3× slower, and a
    document has a few hundred lines."""
    lines = []
    for number, line_text in enumerate(text.split("\n"), 1):
        line = _new_object(Line)
        fields = line.__dict__
        fields["number"] = number
        fields["text"] = line_text
        lines.append(line)
    return tuple(lines)


_MARKUP = re.compile(r"</?(?:b|strong|i|em|u|span|br)\s*/?>|\[bookmark:[^\]]*\]|\*\*", re.I)


def clean(text: str) -> str:
    """Cell or line text as a reader sees it: markup removed, outer white space trimmed."""
    if "<" in text or "[" in text or "*" in text:  # the only characters markup starts with
        text = _MARKUP.sub("", text)
    return text.strip()  # U+3000 (ideographic space) is white space to str.strip


_NUMBER = re.compile(r"^[-−]?\d[\d,]*(?:\.\d+)?$")
_UNIT_SUFFIX = re.compile(r"(万元|元)$")


@lru_cache(maxsize=1 << 14)
def parse_amount(text: str | None) -> Decimal | None:
    """A printed amount as a Decimal, exactly as printed: ``'2,582.46 '`` → ``Decimal('2582.46')``.

    Full-width digits and spaces inside the number (``2.50 万元`` → ``2.50``) are accepted; a unit
    suffix (万元/元) is dropped. Returns None for blank cells and for text that is not a number.
    """
    if text is None:
        return None
    s = unicodedata.normalize("NFKC", clean(text))
    s = _UNIT_SUFFIX.sub("", s).strip()
    s = s.replace(" ", "").replace("，", ",").replace("−", "-")
    if not s or s in {"-", "--", "—", "——"}:
        return None
    if not _NUMBER.match(s):
        return None
    try:
        return Decimal(s.replace(",", ""))
    except InvalidOperation:
        return None
