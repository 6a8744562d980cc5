"""Enumerators that open list items and headings: （一）, (1), 一、, 1., 1、, ①.

Duties, goals and section headings are all found by their enumerators; an item belongs to a list
when it has the same *style* as the list's first item and the next ordinal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

_ENUMERATOR = re.compile(
    r"^\s*(?:"
    r"[（(]\s*(?P<paren_cn>[一二三四五六七八九十百廿零〇]+)\s*[)）]"
    r"|[（(]\s*(?P<paren_num>\d{1,3})\s*[)）]"
    r"|(?P<cn>[一二三四五六七八九十百廿]+)\s*[、.．]"
    r"|(?P<num>\d{1,3})\s*(?:[、．]|\.(?!\d)|\s+(?=\D))"
    r"|(?P<circled>[①-⑳])"
    r"|第(?P<part>[一二三四五六七八九十]+)(?:部分|章|节)"
    r")\s*"
)


def chinese_numeral(text: str) -> int | None:
    """``十六`` → 16, ``廿一`` → 21, ``二十四`` → 24; None when it is not a numeral."""
    text = text.replace("廿", "二十")
    if not text or any(ch not in _CN_DIGITS and ch not in "十百" for ch in text):
        return None
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _CN_DIGITS[ch]
    return total + current


@dataclass(frozen=True)
class Enumerator:
    """The enumerator opening a text: its style, ordinal and where the item text begins."""

    style: str
    ordinal: int
    end: int


@lru_cache(maxsize=4096)
def enumerator(text: str) -> Enumerator | None:
    """The enumerator opening ``text``, if any (cached: passages, headings and lists ask again)."""
    m = _ENUMERATOR.match(text)
    if not m:
        return None
    style = next(name for name, value in m.groupdict().items() if value is not None)
    value = m.group(style)
    if style in ("paren_num", "num"):
        ordinal: int | None = int(value)
    elif style == "circled":
        ordinal = ord(value) - ord("①") + 1
    else:
        ordinal = chinese_numeral(value)
    if ordinal is None:
        return None
    return Enumerator(style, ordinal, m.end())


def strip_enumerator(text: str) -> str:
    found = enumerator(text)
    return text[found.end :].strip() if found else text.strip()
