"""Category and economic lines that a document without budget tables states in sentences.

Some disclosures print no tables and enumerate the money by class in prose instead
(``按支出功能分类主要用于以下方面：（一）社会保障和就业支出21.07万元…``, ``其中：工资福利支出266.7万元，
较2019年…；商品和服务支出30.11万元…``). A class name counts only where a clause starts with it and an
amount follows at once, so that ``维持日常行政运行的商品和服务支出29.99万元`` (a purpose inside a sentence)
and definitions (``社会保障和就业支出：指…``) give nothing. Lines read here are used only when the
document has no table lines of the same kind: a table is more precise than a sentence. Classes
enumerated after ``项目支出…万元，主要为`` (or 基本支出) share out only that part of the spending: their
table is titled ``narrative（项目支出）`` (``narrative（基本支出）``), as in the gold facts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from kg.extract.document import Document
from kg.extract.facts import CategoryLine, EconomicLine, Source
from kg.extract.text import parse_amount

NARRATIVE = "narrative"

FUNCTION_CLASSES = (
    "一般公共服务支出", "外交支出", "国防支出", "公共安全支出", "教育支出", "科学技术支出",
    "文化旅游体育与传媒支出", "文化体育与传媒支出", "社会保障和就业支出", "社会保险基金支出",
    "卫生健康支出", "医疗卫生与计划生育支出", "医疗卫生支出", "节能环保支出", "城乡社区支出",
    "农林水支出", "交通运输支出", "资源勘探工业信息等支出", "资源勘探信息等支出", "商业服务业等支出",
    "金融支出", "援助其他地区支出", "自然资源海洋气象等支出", "国土海洋气象等支出", "住房保障支出",
    "粮油物资储备支出", "国有资本经营预算支出", "灾害防治及应急管理支出", "预备费", "其他支出",
    "转移性支出", "债务还本支出", "债务付息支出", "债务发行费用支出",
)
ECONOMIC_CLASSES = (
    "工资福利支出", "商品和服务支出", "对个人和家庭的补助支出", "对个人和家庭的补助",
    "债务利息及费用支出", "资本性支出（基本建设）", "资本性支出", "对企业补助（基本建设）", "对企业补助",
    "对社会保障基金补助", "其他支出",
)
_AMBIGUOUS = {"其他支出"}

_NAMES = sorted(set(FUNCTION_CLASSES) | set(ECONOMIC_CLASSES), key=len, reverse=True)
_MENTION = re.compile(
    r"(?:^|(?<=[，。；：、,;:（）()．\s])|(?<=\d\.)|(?<=其中)|(?<=主要为)|(?<=主要是)|(?<=包括)|(?<=[一二三四五六七八九十]、))"
    r"(?P<name>" + "|".join(re.escape(n) for n in _NAMES) + r")"
    r"(?:为|是)?\s*(?P<amount>\d[\d,，]*(?:\.\d+)?)\s*(?P<unit>万元|元)?"
)
_SENTENCE_END = re.compile(r"[。\n]")
# "项目支出2458.93万元，主要为……": the classes enumerated next share out that part of the spending only
_PART = re.compile(
    r"(?P<part>项目支出|基本支出)(?:为|是)?\s*\d[\d,，]*(?:\.\d+)?\s*(?:万元|元)?\s*[，,：:]?\s*"
    r"(?:主要为|主要是|主要用于|包括|其中)[：:]?"
)


@dataclass(frozen=True)
class Mention:
    """A class name followed by its amount at the start of a clause."""

    name: str
    amount: Decimal
    sentence: int
    line: int
    unit: str | None
    part: str | None = None
    """``项目支出`` or ``基本支出`` when the clause enumerates that part of the spending, not all of it."""


def _mentions(doc: Document) -> Iterator[Mention]:
    sentence = 0
    for paragraph in doc.paragraphs:
        text = paragraph.text
        starts = [0] + [m.end() for m in _SENTENCE_END.finditer(text)]
        for m in _MENTION.finditer(text):
            value = parse_amount(m.group("amount"))
            if value is None:
                continue
            index = sum(1 for s in starts if s <= m.start())
            before = text[max(s for s in starts if s <= m.start()) : m.start()]
            yield Mention(m.group("name"), value, sentence + index, paragraph.line.number, m.group("unit"), _part(before))
        sentence += len(starts) + 1


def _part(before: str) -> str | None:
    """The part of the spending (项目支出/基本支出) whose enumeration ``before`` ends in, if any."""
    last = None
    for last in _PART.finditer(before):
        pass
    if last is None or re.search(r"[；;]", before[last.end() :]):
        return None
    return last.group("part")


def narrative_lines(doc: Document) -> tuple[list[CategoryLine], list[EconomicLine]]:
    """Category (function class) and economic (economic class) lines stated in sentences."""
    mentions = list(_mentions(doc))
    kinds_by_sentence: dict[int, set[str]] = {}
    for m in mentions:
        if m.name in _AMBIGUOUS:
            continue
        kind = "function" if m.name in FUNCTION_CLASSES else "economic"
        kinds_by_sentence.setdefault(m.sentence, set()).add(kind)
    categories: list[CategoryLine] = []
    economic: list[EconomicLine] = []
    for m in mentions:
        if m.name in _AMBIGUOUS:
            kinds = kinds_by_sentence.get(m.sentence, set())
            if len(kinds) != 1:
                continue
            kind = next(iter(kinds))
        else:
            kind = "function" if m.name in FUNCTION_CLASSES else "economic"
        source = Source.of(m.line)
        table = f"{NARRATIVE}（{m.part}）" if m.part else NARRATIVE  # the gold's title for such lines
        if kind == "function":
            categories.append(CategoryLine(table, m.name, m.amount, "expenditure", source, m.unit))
        else:
            economic.append(EconomicLine(table, "", m.name, m.amount, None, None, source, m.unit))
    return categories, economic
