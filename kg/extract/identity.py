"""Who and when: bureau, region, budget year and amount unit.

Disclosures name their department in a title line (``河北省曲阳县医疗保障局``), in headings
(``巨鹿县医疗保障局 2024 年部门预算信息公开情况说明``), in table captions (``450 巨鹿县医疗保障局``)
or in a labelled cell (``部门（单位）名称 | 竹山县医疗保障局``). Each kind of evidence is a tier;
the strongest tier that names a department wins, and within it the name named most often. The same
tiers find the budget year (``预算年度：2024`` before ``2020年部门预算…`` before ``2022年当年预算``)
and the unit (``单位：万元``, else the unit of the amounts in the text).
"""

from __future__ import annotations

import re
import weakref
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

from kg.extract.document import Document
from kg.extract.layout import Table
from kg.extract.facts import DocumentFacts, Source
from kg.extract.text import clean

# --- names --------------------------------------------------------------------------------------

_NOT_DIVISION = r"[^\s省市县区州盟旗，。、：:；;“”（）()《》\d]"
_DIVISIONS = re.compile(
    rf"^(?P<province>{_NOT_DIVISION}{{2,7}}?(?:省|自治区))?"
    rf"(?P<city>{_NOT_DIVISION}{{2,8}}?(?:市|自治州|地区|盟))?"
    rf"(?P<county>{_NOT_DIVISION}{{1,8}}?(?:自治县|县|区|旗|市))?"
)
_ORG_SUFFIX = (
    r"(?:局|委员会|委|办公室|厅|院|中心|部|站|所|馆|队|会|处|署|社|团|学校|大学|医院|公司|集团|办)"
)
_NAME_BODY = r"[\u4e00-\u9fff（）()]{2,40}?"
_ORG_NAME = re.compile(rf"^{_NAME_BODY}{_ORG_SUFFIX}$")
_LEAD_WORDS = re.compile(r"^(?:现将|关于|根据|按照|我们|附件[:：]?|编制单位[:：]?|单位名称[:：]?)+")
_HEADING_MARK = re.compile(r"^[#\s]+")
_CODE_PREFIX = re.compile(r"^\d{3,}\s+")
# matched at each clause start (``pattern.match(s, start)``), so neither is anchored with ``^``
_YEAR_HEADING = re.compile(
    r"(?P<name>[^\d，。；;：:]{4,60}?)\s*(?P<year>(?:19|20)\d\d)\s*年\s*(?:度\s*)?(?:部门|单位)"
    r"(?:综合)?(?:财政)?预算"
)
_YEAR_BEFORE_NAME = re.compile(
    r"(?:关于)?(?P<year>(?:19|20)\d\d)\s*年\s*(?:度\s*)?(?P<name>[^\d，。；;：:\s]{4,40}?)(?:部门|单位)(?:综合)?(?:财政)?预算"
)
_NAME_LABEL = re.compile(
    r"^(?:部门|单位|预算单位|预算部门|部门\s*[（(]\s*单位\s*[)）]|编制单位|编制部门|填报单位)\s*名?\s*称?\s*[:：]?$"
)
_LABELLED_NAME = re.compile(
    r"(?:部门名称|单位名称|编制单位|编制部门|预算单位|预算部门|公开部门|填报单位|(?<!\S)部门)\s*[:：]\s*"
    r"(?P<name>[\u4e00-\u9fff（）()]{4,40})"
)


@dataclass(frozen=True)
class Evidence:
    """A value found in the document, how strong the finding is (lower is stronger) and where."""

    value: str
    tier: int
    line: int


@dataclass(frozen=True)
class BureauName:
    """A department name split into the region prefix and the name as usually cited."""

    bureau: str
    region: str | None


def split_bureau(name: str) -> BureauName:
    """``河北省曲阳县医疗保障局`` → bureau ``曲阳县医疗保障局``, region ``河北省曲阳县``.

    The bureau keeps its lowest administrative division (``秦皇岛市医疗保障局``); the region is the
    whole division prefix as printed.
    """
    m = _DIVISIONS.match(name)
    if not m or not m.group(0) or m.end() >= len(name):
        return BureauName(name, None)
    lowest = next(g for g in ("county", "city", "province") if m.group(g))
    return BureauName(name[m.start(lowest) :], m.group(0))


# Every department name has a division character (省/市/县/区/州/盟/旗, see ``_DIVISIONS``) and ends
# with an org suffix; cleaning only deletes characters, so text without both cannot be a name.
_DIVISION_CHAR = re.compile(r"[省区市州盟旗县]")
_SUFFIX_CHAR = re.compile(r"[局会委室厅院心部站所馆队处署社团校学司办]")
_SPACE = re.compile(r"\s+")
_SCOPE_NOTE = re.compile(r"[（(]?(?:本级|汇总|部门汇总|单位汇总)[)）]?$")
_CLAUSE_END = re.compile(r"[，。；;：:]")


@lru_cache(maxsize=1 << 14)
def as_org_name(text: str) -> str | None:
    """The text as a department name, when it is one (a division prefix and an org suffix).

    Memoised: identity asks it of every cell and paragraph, and a document repeats its labels.
    """
    if not _DIVISION_CHAR.search(text) or not _SUFFIX_CHAR.search(text):
        return None
    return _org_name(text)


@lru_cache(maxsize=8192)
def _org_name(text: str) -> str | None:
    s = _LEAD_WORDS.sub("", _CODE_PREFIX.sub("", _HEADING_MARK.sub("", clean(text)))).strip()
    s = _SPACE.sub("", s)
    s = _SCOPE_NOTE.sub("", s)
    if not _ORG_NAME.match(s):
        return None
    m = _DIVISIONS.match(s)
    if not m or not m.group(0) or m.end() >= len(s) - 1:
        return None
    return s


def _collect_texts(doc: Document) -> tuple[tuple[int, str, int], ...]:
    """Every paragraph and table cell text that is not plain ASCII, with its position among all
    the document's texts and its first line number, in document order.

    Every name, year and unit pattern needs a Chinese character (部门, 局, 年, 单位 …): the amounts,
    codes and empty cells that make up most of a document cannot match and are left out here.
    """
    found: list[tuple[int, str, int]] = []
    position = 0  # of the text among all texts, ASCII ones included
    for block in doc.blocks:
        if isinstance(block, Table):
            for row in block.rows:
                texts = row.texts
                if not row.joined_text.isascii():  # else none of its texts is kept
                    cells = row.cells
                    found.extend([(position + j, text, cells[j].lines[0])
                                  for j, text in enumerate(texts) if not text.isascii()])
                position += len(texts)
        else:
            text = block.text
            if not text.isascii():
                found.append((position, text, block.line.number))
            position += 1
    return tuple(found)


def _plain(text: str) -> str:
    """Cleaned text without a heading mark."""
    return _HEADING_MARK.sub("", clean(text))


def _bureau_evidence(doc: Document) -> Iterator[Evidence]:
    texts = _texts(doc)
    # tier 0: labelled cells (部门（单位）名称 | X) and labelled text (单位名称：X)
    for block in doc.tables:
        for row in block.rows:
            joined_text = row.joined_text
            if "部" not in joined_text and "单" not in joined_text:
                continue  # every label of _NAME_LABEL names a 部门 or a 单位 (below): most rows end here
            cells = row.texts
            for i in range(len(cells) - 1):
                text = cells[i]
                # every label of _NAME_LABEL names a 部门 or a 单位
                if ("部" in text or "单" in text) and _NAME_LABEL.match(_SPACE.sub("", text)):
                    name = as_org_name(cells[i + 1])
                    if name:
                        yield Evidence(name, 0, row.cells[i + 1].line)
    for _, text, line in texts:
        if ":" in text or "：" in text:
            for m in _LABELLED_NAME.finditer(text):
                name = as_org_name(m.group("name"))
                if name:
                    yield Evidence(name, 0, line)
    # tier 1: headings and sentences naming the department before "YYYY年部门预算"
    # (cleaning only deletes characters: text without 预 has no 预算 once cleaned either)
    for _, text, line in texts:
        if "预" not in text or "年" not in text:  # both name patterns need 年 too
            continue
        s = _plain(text)
        for start in _clause_starts(s):
            m = _YEAR_HEADING.match(s, start) or _YEAR_BEFORE_NAME.match(s, start)
            if m:
                name = as_org_name(m.group("name"))
                if name:
                    yield Evidence(name, 1, line)
                    break
    # tier 2: title lines at the top, captions "450 巨鹿县医疗保障局"
    names = [(i, name, text, line) for i, text, line in texts if (name := as_org_name(text))]
    for i, name, text, line in names:
        if i < 6 or _CODE_PREFIX.match(clean(text)):
            yield Evidence(name, 2, line)
    # tier 3: any cell or paragraph that is exactly a department name
    for _, name, _text, line in names:
        yield Evidence(name, 3, line)


def _clause_starts(s: str) -> Iterator[int]:
    yield 0
    for m in _CLAUSE_END.finditer(s):
        yield m.end()


def strongest(evidence: Iterable[Evidence], key=lambda v: v) -> Evidence | None:  # type: ignore[no-untyped-def]
    """The value of the strongest tier, named most often within it (ties: first named)."""
    found = list(evidence)
    if not found:
        return None
    tier = min(e.tier for e in found)
    best = [e for e in found if e.tier == tier]
    counts = Counter(key(e.value) for e in best)
    top = max(counts.values())
    return next(e for e in best if counts[key(e.value)] == top)


# --- year ---------------------------------------------------------------------------------------

_YEAR_PATTERNS = (
    re.compile(r"预算年度\s*[:：]\s*(?P<year>(?:19|20)\d\d)"),
    re.compile(
        r"(?<![较比与])(?P<year>(?:19|20)\d\d)\s*年\s*(?:度\s*)?[^\d，。；;：:\s]{0,40}?(?:部门|单位)(?:综合)?(?:财政)?预算"
    ),
    re.compile(
        r"(?<![较比与至到])(?P<year>(?:19|20)\d\d)\s*年\s*(?:度\s*)?(?:当年预算|预算数|年度目标|度目标|度绩效目标|"
        r"预算(?:安排|编制|收入|支出|收支))"
    ),
)


def _year_evidence(doc: Document, tier: int) -> Iterator[Evidence]:
    """The years one pattern finds (``tier``: its index in ``_YEAR_PATTERNS``), in document order."""
    pattern = _YEAR_PATTERNS[tier]
    for _, text, line in _texts(doc):
        if "年" not in text:  # every year pattern has 年 (预算年度, YYYY年), which cleaning keeps
            continue
        for m in pattern.finditer(_plain(text)):
            yield Evidence(m.group("year"), tier, line)


def _strongest_tier(doc: Document, evidence: Callable[[Document, int], Iterator[Evidence]], tiers: int) -> Evidence | None:
    """:func:`strongest` over every tier's evidence, reading a tier only while the stronger ones
    found nothing (the strongest tier with evidence decides alone)."""
    for tier in range(tiers):
        found = strongest(evidence(doc, tier))
        if found is not None:
            return found
    return None


def budget_year(doc: Document) -> int | None:
    found = _year(doc)
    return int(found.value) if found else None


# --- unit ---------------------------------------------------------------------------------------

_UNIT_DECLARATION = re.compile(r"(?:金额)?单位\s*[:：]\s*(?P<unit>亿元|万元|千元|元)")
_PROSE_AMOUNT = re.compile(r"\d\s*(?P<unit>亿元|万元|元)")


def _unit_evidence(doc: Document, tier: int) -> Iterator[Evidence]:
    """Tier 0: ``单位：万元`` declarations; tier 1: the units of amounts in paragraphs."""
    if tier == 0:
        for _, text, line in _texts(doc):
            if "单位" in text:
                for m in _UNIT_DECLARATION.finditer(text):
                    yield Evidence(m.group("unit"), 0, line)
        return
    for paragraph in doc.paragraphs:
        if "元" in paragraph.text:
            for m in _PROSE_AMOUNT.finditer(paragraph.text):
                yield Evidence(m.group("unit"), 1, paragraph.line.number)


def document_unit(doc: Document) -> Evidence | None:
    """The unit of the document's amounts: its ``单位：`` declarations, else its prose amounts."""
    return _unit(doc)


# --- reading a document once ----------------------------------------------------------------------
# Prose asks for the year and unit again after extract_identity; each is found once per document.

_T = TypeVar("_T")


def _memo(find: Callable[[Document], _T]) -> Callable[[Document], _T]:
    found: weakref.WeakKeyDictionary[Document, _T] = weakref.WeakKeyDictionary()

    def once(doc: Document) -> _T:
        try:
            return found[doc]
        except KeyError:
            value = found[doc] = find(doc)
            return value

    return once


_texts = _memo(_collect_texts)
_year = _memo(lambda doc: _strongest_tier(doc, _year_evidence, len(_YEAR_PATTERNS)))
_unit = _memo(lambda doc: _strongest_tier(doc, _unit_evidence, 2))


@lru_cache(maxsize=8192)
def _split(name: str) -> BureauName:
    return split_bureau(name)


# --- facts --------------------------------------------------------------------------------------


def extract_identity(doc: Document) -> DocumentFacts:
    """Bureau, region, year and unit, each with the line it was read from."""
    sources: dict[str, Source] = {}
    bureau = region = None
    evidence = list(_bureau_evidence(doc))
    found = strongest(evidence, key=lambda v: _split(v).bureau)
    if found:
        # the longest printed form of the chosen name gives the fullest region
        chosen = _split(found.value).bureau
        forms = [e for e in evidence if _split(e.value).bureau == chosen]
        fullest = max(forms, key=lambda e: (len(e.value), -e.tier))
        bureau = chosen
        region = _split(fullest.value).region
        sources["bureau"] = Source.of(found.line)
        if region:
            sources["region"] = Source.of(fullest.line)
    year = None
    found_year = _year(doc)
    if found_year:
        year = int(found_year.value)
        sources["year"] = Source.of(found_year.line)
    unit = None
    found_unit = _unit(doc)
    if found_unit:
        unit = found_unit.value
        sources["unit"] = Source.of(found_unit.line)
    return DocumentFacts(document=doc.name, bureau=bureau, region=region, year=year, unit=unit, sources=sources)
