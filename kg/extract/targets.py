"""Indicator targets (指标值) → comparator, number and unit.

The raw text stays the fact; the parsed form only makes it comparable. Targets are printed as
``≥95%``, ``≥1000平方米``, ``≤18万元``, ``不晚于 12 月底``, ``=100%``, a bare ``1.00``, or a grading scale
``≥95优95%以上、良85%-95%…`` whose leading threshold is the target. Qualitative text
(``按人社部门审批标准执行``) has no parsed form.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from kg.extract.facts import Target

# Longest spellings first so that ``大于等于`` wins over ``大于``.
_COMPARATORS: tuple[tuple[str, str], ...] = (
    ("大于等于", ">="), ("小于等于", "<="), ("不低于", ">="), ("不少于", ">="), ("不小于", ">="),
    ("至少", ">="), ("不高于", "<="), ("不超过", "<="), ("不多于", "<="), ("不大于", "<="),
    ("不晚于", "<="), ("不早于", ">="), ("最多", "<="),
    (">=", ">="), ("<=", "<="), ("≥", ">="), ("≤", "<="), ("≧", ">="), ("≦", "<="),
    ("大于", ">"), ("高于", ">"), ("超过", ">"), ("小于", "<"), ("低于", "<"),
    (">", ">"), ("<", "<"), ("=", "="), ("等于", "="), ("达到", ">="),
)

# Units a target number may carry, longest first (``万人`` before ``人``, ``月底`` before ``月``).
_UNITS: tuple[str, ...] = tuple(sorted((
    "%", "‰", "人", "万人", "人次", "万人次", "户", "万户", "家", "个", "项", "次", "份", "万份",
    "平方米", "平米", "平", "万元", "元", "亿元", "月", "月底", "月末", "个月", "天", "日", "工作日",
    "年", "小时", "分钟", "摄氏度", "度", "℃", "万/方", "万方", "立方米", "方", "台", "套", "辆", "件",
    "篇", "期", "场", "所", "座", "公里", "千米", "米", "吨", "分", "批", "本", "册", "张", "条", "班",
    "课时", "学时", "床", "张床", "类", "种", "位",
), key=len, reverse=True))

# Trailing words that turn a bare number into a bound: ``95%以上`` is ``>= 95%``.
_SUFFIX_BOUNDS: tuple[tuple[str, str], ...] = (
    ("以上", ">="), ("及以上", ">="), ("以下", "<="), ("及以下", "<="), ("以内", "<="),
)

_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _normalize(raw: str) -> str:
    text = unicodedata.normalize("NFKC", raw)
    return re.sub(r"\s+", "", text).replace(",", "")


def _comparator_at_start(text: str) -> tuple[str | None, str]:
    for word, symbol in _COMPARATORS:
        if text.startswith(word):
            return symbol, text[len(word):]
    return None, text


def _unit_at_start(text: str) -> str | None:
    for unit in _UNITS:
        if text.startswith(unit):
            return unit
    return None


@lru_cache(maxsize=1 << 14)
def parse_target(raw: str | None) -> Target | None:
    """The parsed form of a target, or None when it states no number (qualitative text).

    Memoised (a Target is immutable): the same targets recur in every project of a template.

    A number must open the target (after an optional comparator): a number inside a sentence
    (``保障4个月供暖``) is not a target value.
    """
    if not raw:
        return None
    text = _normalize(raw)
    comparator, rest = _comparator_at_start(text)
    match = _NUMBER.match(rest)
    if match is None:
        return None
    try:
        value = Decimal(match.group())
    except InvalidOperation:  # pragma: no cover - the pattern only matches decimals
        return None
    after = rest[match.end():]
    if after.startswith(("-", "~", "至")) and _NUMBER.match(after[1:].lstrip("%")):
        return None  # a range (85%-95%) is not one bound
    unit = _unit_at_start(after)
    tail = after[len(unit):] if unit else after
    if comparator is None:
        for word, symbol in _SUFFIX_BOUNDS:
            if tail.startswith(word):
                comparator = symbol
                break
    if comparator is None and tail and not _is_grade_or_note(tail):
        return None  # the number opens a sentence (``1名劳务派遣人员``), not a target
    return Target(comparator or "=", value, unit)


def _is_grade_or_note(tail: str) -> bool:
    """Text after the number that grading scales and notes use (``优95%以上、良…``, ``满意比例``)."""
    return tail[0] in "优良中差好" or tail.startswith(("超过", "满意", "左右", "（", "("))
