"""Figures stated in sentences, classified by the words before them.

``2020年我单位收入预算总额为481.28万元，较2019年273.08万元增加了207.92万元，增长率为76.13%`` gives

* ``revenue_total`` 481.28 万元 (the label 收入预算总额 names a total),
* ``revenue_total.previous`` 273.08 (较2019年: the value of an earlier year),
* ``revenue_total.increase`` 207.92 (增加: a change; its subject is inherited from the sentence),
* ``revenue_total.growth_rate`` 76.13 %.

Values are kept exactly as printed with their printed unit; the direction of a change lives in the
key (``increase``/``decrease``), never in the sign. Labels that name no known total become
``function_category``, ``economic_category``, ``revenue_item``, ``project_amount`` or ``amount``
with the label as ``subject``, so that a validator can still compare them with the tables.

Keys are ``BASE`` or ``BASE.SUFFIX``:

* BASE: ``budget_total`` (收支, both sides), ``revenue_total``, ``expenditure_total``, ``basic``,
  ``project``, ``personnel``, ``public_operating``, ``carryover``, ``operating_costs``,
  ``three_public.{total,abroad,reception,car_total,car_purchase,car_operation}``, and the
  subject-carrying ``function_category``, ``economic_category``, ``revenue_item``,
  ``project_amount``, ``amount``; ``rate`` and ``share`` for percents of nothing named;
* SUFFIX: ``previous`` (an earlier year's value), ``increase``/``decrease``/``change`` (amounts,
  ``change`` when printed 增长/下降), ``growth_rate``/``decline_rate``/``change_rate`` and
  ``share``/``rate`` (percents).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from kg.extract.facts import Source, Statement
from kg.extract.text import compact as _compact

# full-width digits and signs → ASCII, one character for one so that offsets stay valid
_WIDTH = str.maketrans("０１２３４５６７８９．，％", "0123456789.,%")

_FIGURE = re.compile(
    r"(?<![\d.A-Za-z])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*"
    r"(?P<unit>亿元|万元|千元|元(?!/)|万(?=[元和及与、，,。；;）)\s]|$)|%)?"
)
_UNIT_NAMES = {"万": "万元"}
_UNIT_FACTORS = {"元": 1, "千元": 1000, "万元": 10000, "亿元": 100000000}
_SENTENCE_END = re.compile(r"[。；;！!？?]")
_LABEL_DELIMITER = re.compile(r"[，,：:=＝×*+＋]")
_DIGIT = re.compile(r"\d")


def convert_amount(value: Decimal, unit: str | None, to_unit: str | None) -> Decimal | None:
    """An amount in another money unit, exactly (万元 → 元 multiplies by 10000)."""
    if unit == to_unit or to_unit is None:
        return value
    if unit not in _UNIT_FACTORS or to_unit not in _UNIT_FACTORS:
        return None
    return value * Decimal(_UNIT_FACTORS[unit]) / Decimal(_UNIT_FACTORS[to_unit])


@dataclass(frozen=True)
class Passage:
    """Text joined from one or more paragraphs, with the line on which each part starts."""

    text: str
    starts: tuple[tuple[int, int], ...]
    """``(offset, line)`` of each joined paragraph."""
    heading: str = ""
    """The nearest heading above the passage: the section it belongs to."""

    @classmethod
    def of(cls, parts: Sequence[tuple[str, int]], heading: str = "") -> Passage:
        starts, offset = [], 0
        for text, line in parts:
            starts.append((offset, line))
            offset += len(text)
        return cls("".join(text for text, _ in parts), tuple(starts), heading)

    def line_at(self, offset: int) -> int:
        line = self.starts[0][1]
        for start, number in self.starts:
            if start > offset:
                break
            line = number
        return line


# --- label vocabulary -----------------------------------------------------------------------------

_PREFIX = r"(?:部门|本部门|本单位|财政拨款|一般公共预算(?:财政拨款)?)?"
_SUFFIX = r"(?:财政拨款)?(?:支出)?(?:预算(?:数|安排)?)?(?:总额|合计)?"

BASE_TERMS: tuple[tuple[str, str], ...] = (
    ("operating_costs", r"机关运行(?:经)?费(?:用)?"),
    ("three_public.car_total", r"公务用车购置及运(?:行维护|行|维)(?:经)?费"),
    ("three_public.car_purchase", r"(?:公务用车|车辆)购置?(?:经)?费"),
    ("three_public.car_operation", r"(?:公务用车|公务车)?运(?:行维护|行|维)(?:经)?费"),
    ("three_public.abroad", r"(?:因公)?出国[（(]境[)）](?:经)?费(?:用)?"),
    ("three_public.reception", r"公务接待(?:经)?费(?:用)?"),
    ("three_public.total", r"[“\"‘”]?三公[”\"’“]?经费"),
    ("budget_total", r"(?:预算)?收支(?:总)?(?:预算)?(?:安排|总额|总计|规模)?"),
    ("revenue_total", r"(?:本年)?(?:预算)?收入(?:预算)?(?:总额|总计|合计)?|收入总预算"),
    ("expenditure_total", r"(?:本年)?(?:预算)?支出(?:预算)?(?:总额|总计|合计)?|支出总预算"),
    ("basic", r"基本支出"),
    ("project", r"项目支出"),
    ("personnel", r"人员经费|人员支出"),
    ("public_operating", r"(?:日常)?公用经费|(?:日常)?公用支出"),
    ("carryover", r"上年结转(?:结余)?(?:资金|收入)?|上年结余(?:结转)?(?:资金|收入)?"),
)
_TOTAL_PREFIX = r"(?:部门|本部门|本单位)?"
_BASE_FULL = tuple(
    (key, re.compile(rf"^{_TOTAL_PREFIX if key.endswith('_total') else _PREFIX}(?:{term}){_SUFFIX}$"))
    for key, term in BASE_TERMS
)
# in running text only specific terms name a total: a bare 支出/收入 is part of other names
_BASE_SEARCH = tuple(
    (key, re.compile(term)) for key, term in BASE_TERMS if key not in ("budget_total", "revenue_total", "expenditure_total")
) + (("budget_total", re.compile(r"收支")),)

FUNCTION_CATEGORIES = (
    "一般公共服务支出", "外交支出", "国防支出", "公共安全支出", "教育支出", "科学技术支出",
    "文化旅游体育与传媒支出", "文化体育与传媒支出", "社会保障和就业支出", "社会保险基金支出", "卫生健康支出",
    "医疗卫生与计划生育支出", "医疗卫生支出", "节能环保支出", "城乡社区支出", "农林水支出", "交通运输支出",
    "资源勘探工业信息等支出", "资源勘探信息等支出", "商业服务业等支出", "金融支出", "援助其他地区支出",
    "自然资源海洋气象等支出", "国土海洋气象等支出", "住房保障支出", "粮油物资储备支出", "国有资本经营预算支出",
    "灾害防治及应急管理支出", "预备费", "其他支出", "转移性支出", "债务还本支出", "债务付息支出",
    "债务发行费用支出", "抗疫特别国债安排的支出",
)
_ECONOMIC = re.compile(
    r"^(?:工资福利支出|商品和服务支出|对个人和家庭的?补助(?:支出)?|资本性支出(?:[（(]基本建设[)）])?|"
    r"对企业补助(?:[（(]基本建设[)）])?|对社会保障基金补助|债务利息及费用支出)$"
)
_REVENUE_ITEM = re.compile(r"(?:收入|拨款)$")
_PROJECT_LIKE = re.compile(r"(?:经费|资金|费用|补助|补贴|费)$")

_INCREASE = r"(?:增加|增长|上升|提高|新增|增)"
_DECREASE = r"(?:减少|下降|降低|核减|压减|节约|减)"
# patterns of the classification below, compiled once (a module-level re call looks its pattern up
# in re's cache every time: ~45,000 times per 100 documents)
_FOUR_DIGITS = re.compile(r"\d{4}$")
_AMOUNT_NOUN_END = re.compile(r"(?:支出|收入|经费|资金|费)\s*$")
_CHANGE_FILLER_END = re.compile(r"(?:了|为|达到?|幅度|约)+$")
_BOTH_DIRECTIONS = re.compile(rf"{_INCREASE}\s*[/／或、]\s*{_DECREASE}|{_DECREASE}\s*[/／或、]\s*{_INCREASE}")
_GROWTH = re.compile(r"增长率|增幅|增长|增加|上升|提高")
_DECLINE = re.compile(r"下降率|降幅|核减率|减少率|下降|减少|降低|核减|压减")
_INCREASE_END = re.compile(rf"{_INCREASE}$")
_DECREASE_END = re.compile(rf"{_DECREASE}$")
_RATE_WORDS = re.compile(r"增长率|增幅|下降率|降幅|核减率|减少率|变动率")
_CHANGE_WORDS_END = re.compile(rf"(?:{_INCREASE}|{_DECREASE}|[/／或、了为达到幅度约])+$")
_CHANGE_WORDS_START = re.compile(rf"^(?:{_INCREASE}|{_DECREASE})+")
_CHANGE_START = re.compile(rf"^(?:{_INCREASE}|{_DECREASE})")
_INCREASE_START = re.compile(_INCREASE)
_LABEL_PUNCTUATION = re.compile(r"[，,：:]")
_COMPARED = re.compile(r"^(?:较|比)")
_SHARE_WORDS = re.compile(r"占|比重|比例")
_SHARE_ONLY = re.compile(r"(?:占|比重|比例|为|达到?|约)*")


_PREVIOUS = re.compile(r"^(?:较|比|与|同比)?(?:上年|去年|上一年度?|\d{4}年度?)(?:的)?(?:预算数?|决算数?|同期)?(?:相比)?(?:的)?$")

_LEADING = re.compile(
    r"^(?:[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．]|[、，,（(）)和及与并且即]|其中|另外|此外|"
    r"主要(?:为|是|用于|包括)|分别为|包括|用于|(?:我|本)(?:部门|单位|局)|\d{4}年度?|全年|当年|年度|"
    r"[一二三四五六七八九十]+是|安排|共计|共)"
)
_VERB_PREFIX = re.compile(r"^.*(?:包含了?|包括|主要为|主要是|主要用于|其中[:：]?|主要项目(?:为|是|有)|具体为|分别为|分别是)")
_TRAILING = re.compile(r"(?:为|是|达到?|共计|共|约|安排|下达|的|了|后)$")
_COMPARISON = re.compile(r"(?:较|比|与|同比)(?:上年|去年|上一年度?|\d{4}年度?)?(?:的)?(?:预算数?|决算数?|同期)?(?:相比)?")
_TRAILING_BUDGET = re.compile(r"(?:预算数?|预算安排|安排)$")


def _strip_label(label: str) -> list[str]:
    """The label and its successively stripped forms, least stripped first."""
    s = _compact(label)
    s = _VERB_PREFIX.sub("", s)
    while True:
        stripped = _LEADING.sub("", s, count=1)
        if stripped == s:
            break
        s = stripped
    forms = []
    while True:
        stripped = _TRAILING.sub("", s)
        if stripped == s:
            break
        s = stripped
    forms.append(s)
    while (shorter := _TRAILING_BUDGET.sub("", s)) != s:
        s = shorter
        forms.append(s)
        while (t := _TRAILING.sub("", s)) != s:
            s = t
            forms.append(s)
    return forms


def _full_base(forms: Sequence[str]) -> str | None:
    for form in forms:
        for key, pattern in _BASE_FULL:
            if pattern.match(form):
                return key
    return None


def _search_base(label: str) -> str | None:
    """The key whose term occurs in the label, the longest occurrence winning (项目支出 over 支出)."""
    compact = _compact(label)
    best: tuple[int, str] | None = None
    for key, pattern in _BASE_SEARCH:
        for m in pattern.finditer(compact):
            if best is None or len(m.group(0)) > best[0]:
                best = (len(m.group(0)), key)
    return best[1] if best else None


@dataclass(frozen=True)
class Figure:
    value: Decimal
    unit: str | None
    start: int
    end: int
    label: str
    label_start: int


def _figures(text: str, start: int, end: int) -> list[Figure]:
    """Figures with a money unit or %, plus list items ``支出167.88、…0万元`` that borrow the unit."""
    if not _DIGIT.search(text, start, end):
        return []  # every figure has a digit (``_WIDTH`` maps digits to digits and nothing else to one)
    segment = text[start:end].translate(_WIDTH)
    raw = []
    for m in _FIGURE.finditer(segment):
        after = segment[m.end() : m.end() + 1]
        unit = m.group("unit")
        if unit is None and after not in ("、", "，", ",", "和"):
            continue
        if unit is None and _FOUR_DIGITS.match(m.group("num")):
            continue
        raw.append((m, unit))
    figures: list[Figure] = []
    previous_end = 0
    for i, (m, unit) in enumerate(raw):
        label_start = previous_end
        for d in _LABEL_DELIMITER.finditer(segment, previous_end, m.start()):
            label_start = d.end()
        label = segment[label_start : m.start()]
        if unit is None:
            # a bare number in a list borrows the unit of the next figure that has one
            later = next((u for _, u in raw[i + 1 :] if u), None)
            if later is None or later == "%" or not _AMOUNT_NOUN_END.search(label):
                continue
            unit = later
        try:
            value = Decimal(m.group("num").replace(",", ""))
        except InvalidOperation:
            continue
        figures.append(
            Figure(value, _UNIT_NAMES.get(unit, unit), start + m.start(), start + m.end(), label, start + label_start)
        )
        previous_end = m.end()
    return figures


def _change_kind(label: str, unit: str) -> str | None:
    """``increase``/``decrease``/``change`` for amounts, ``growth_rate``/… for percents, else None."""
    s = _CHANGE_FILLER_END.sub("", _compact(label))
    both = _BOTH_DIRECTIONS.search(s)
    if unit == "%":
        if both:
            return "change_rate"
        if _GROWTH.search(s):
            return "growth_rate"
        if _DECLINE.search(s):
            return "decline_rate"
        return None
    if both:
        return "change"
    if _INCREASE_END.search(s):
        return "increase"
    if _DECREASE_END.search(s):
        return "decrease"
    return None


def _sentences(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for m in _SENTENCE_END.finditer(text):
        yield start, m.end()
        start = m.end()
    if start < len(text):
        yield start, len(text)


_ORG_PREFIX = re.compile(r"^.{2,30}?(?:局|委员会|办公室|厅|中心|院)(?:机关(?!运行))?(?:本级)?")


def _classify_plain(forms: Sequence[str], project_context: bool) -> tuple[str, str | None]:
    """The key of a figure that is not a change or an earlier year's value, with its subject.

    The department's name may open the label (平武县教育局2023年收支总预算): a label that
    names a total only without it is still that total.
    """
    base = _full_base(forms)
    if base is None and forms and _ORG_PREFIX.match(forms[0]):
        base = _full_base(_strip_label(_ORG_PREFIX.sub("", forms[0], count=1)))
    if base:
        return base, None
    for form in forms:
        if form in FUNCTION_CATEGORIES:
            return "function_category", form
        if _ECONOMIC.match(form):
            return "economic_category", form
    if forms and _REVENUE_ITEM.search(forms[0]):
        return "revenue_item", forms[0]
    if forms and project_context and _PROJECT_LIKE.search(forms[0]):
        return "project_amount", forms[0]
    return "amount", (forms[0] if forms else None) or None


def _subject_of_change(label: str, project_context: bool) -> tuple[str, str | None] | None:
    """What a change is about when its label names it (``基本支出增加了`` → basic), else None."""
    compact = _COMPARISON.sub("", _compact(label))
    compact = _RATE_WORDS.sub("", compact)
    compact = _CHANGE_WORDS_END.sub("", compact)
    compact = _CHANGE_WORDS_START.sub("", compact)
    forms = _strip_label(compact)
    if not forms or not forms[0]:
        return None
    own = _full_base(forms) or _search_base(forms[0])
    if own:
        return own, None
    return _classify_plain(forms, project_context)


_YEAR_MENTION = re.compile(r"(?<![较比与至到\d])(?:19|20)\d\d(?=\s*年)")


def _other_year(sentence_before: str, year: int | None) -> bool:
    """The sentence speaks of another year than the budget year before this figure (2019年 …)."""
    if year is None:
        return False
    mentions = _YEAR_MENTION.findall(_compact(sentence_before))
    return bool(mentions) and int(mentions[-1]) != year


def passage_statements(passage: Passage, year: int | None = None) -> Iterator[Statement]:
    """Every figure of the passage as a :class:`Statement` (see the module docstring).

    ``year`` is the budget year: a plain figure of a sentence about another year is that
    year's value (``….previous``), not this budget's.
    """
    text = passage.text
    topic: tuple[str, str | None] | None = None
    for start, end in _sentences(text):
        sentence = text[start:end]
        base: tuple[str, str | None] | None = None
        last: tuple[str, str | None] | None = None
        for figure in _figures(text, start, end):
            project_context = "项目" in text[: figure.start] or "项目" in passage.heading
            forms = _strip_label(figure.label)
            compact = _compact(figure.label)
            change = _change_kind(figure.label, figure.unit or "")
            if change is None and _CHANGE_START.match(compact) and figure.unit != "%":
                # 新增公务用车运行维护费2万元: an increase of what the rest of the label names
                named = _subject_of_change(compact, project_context)
                change = ("increase" if _INCREASE_START.match(compact) else "decrease") if named else None
            if change:
                of = _subject_of_change(figure.label, project_context) or base or topic
                key = f"{of[0]}.{change}" if of else change
                subject = of[1] if of else None
            elif _PREVIOUS.match(_LABEL_PUNCTUATION.sub("", compact)) or _COMPARED.match(compact):
                of = base or topic
                key = f"{of[0]}.previous" if of else "previous"
                subject = of[1] if of else None
            elif figure.unit == "%":
                key = "share" if _SHARE_WORDS.search(compact) else "rate"
                subject = (forms[0] if forms else None) or None
                if last and _SHARE_ONLY.fullmatch(compact):
                    # 一般公共预算拨款收入24,000.00万元，占94.81%: the share of the figure before
                    key, subject = f"{last[0]}.{key}", last[1]
            else:
                key, subject = _classify_plain(forms, project_context)
                last = (key, subject if key != "amount" else (forms[0] if forms else None) or None)
                if key != "amount" and _other_year(text[start : figure.start], year):
                    key = f"{key}.previous"
                elif key != "amount":
                    base = (key, subject)
                    topic = topic or base
            line_first, line_last = passage.line_at(figure.label_start), passage.line_at(figure.start)
            yield Statement(
                key=key,
                value=figure.value,
                text=sentence.strip(),
                subject=subject,
                unit=figure.unit,
                source=Source.of(line_first, line_last),
            )
