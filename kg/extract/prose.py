"""Facts stated in prose: duties, goals, totals, 三公, 机关运行经费 and every figure in sentences.

Prose is read as *passages*: paragraphs joined where a PDF page break or a wrapped line cut a
sentence (the paragraph before does not end a sentence and neither is a heading). Every figure
with a money unit or a percent becomes a :class:`Statement`, classified by the words before it
(see :mod:`kg.extract.statements`); the first plain statement of each total, 三公 item and
机关运行经费 fills those facts, which budget tables (merged earlier) override.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from kg.extract.document import Document
from kg.extract.enumeration import enumerator
from kg.extract.facts import DocumentFacts, Duty, Goal, Source, Statement, ThreePublic, Totals
from kg.extract.identity import budget_year, document_unit
from kg.extract.layout import Paragraph
from kg.extract.statements import Passage, convert_amount, passage_statements

_TERMINATORS = "。；;！!？?"
_HEADING_MARK = re.compile(r"^#+\s*")
_PAGE_NUMBER = re.compile(r"^(?:[-—–\s]*\d{1,4}[-—–\s]*|第\s*\d{1,4}\s*页(?:\s*[，,]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4})$")


def _text(paragraph: Paragraph) -> str:
    return _unmarked(paragraph.text)


@lru_cache(maxsize=1 << 14)
def _unmarked(text: str) -> str:
    """Paragraph text without a heading mark (memoised: passages, duties and goals each ask)."""
    return _HEADING_MARK.sub("", text).strip()


_CLAUSE_PUNCTUATION = re.compile(r"[，,。；;]")
_CONTINUED_END = re.compile(r"[为和及与的是了在对把将、，\d]$")
_DIGIT_START = re.compile(r"\d")


@lru_cache(maxsize=1 << 14)
def is_heading(text: str) -> bool:
    """A short line that opens a section (一、… / （二）… / 第一部分) or ends in a colon.

    A short line without punctuation is a heading too, unless it ends in a word that needs a
    continuation (``机关运行经费预算为`` cut by a page break).
    """
    if len(text) > 40 or not text:
        return False
    if enumerator(text) or text.endswith(("：", ":")):
        return True
    return not _CLAUSE_PUNCTUATION.search(text) and not _CONTINUED_END.search(text)


def passages(doc: Document) -> tuple[Passage, ...]:
    """Paragraphs joined into passages across page breaks and wrapped lines, headings alone."""
    found: list[Passage] = []
    current: list[tuple[str, int]] = []
    heading = ""
    for paragraph in doc.paragraphs:
        text, line = _text(paragraph), paragraph.line.number
        if _PAGE_NUMBER.match(text):
            continue
        starts_new = (
            not current
            or current[-1][0].endswith(tuple(_TERMINATORS + "：:"))
            or is_heading(current[-1][0])
            or (is_heading(text) and not _DIGIT_START.match(text))
            or enumerator(text) is not None
            or paragraph.line.text.lstrip().startswith("#")
        )
        if starts_new and current:
            found.append(Passage.of(current, heading))
            if is_heading(current[0][0]):
                heading = current[0][0]
            current = []
        current.append((text, line))
    if current:
        found.append(Passage.of(current, heading))
    return tuple(found)


# --- duties ---------------------------------------------------------------------------------------

_DUTY_ANCHOR = re.compile(
    r"^(?:部门|单位|机构|本部门|本单位)?(?:基本|主要)?(?:工作)?(?:职责|职能)(?:职责)?(?:概述|简介|情况)?"
    r"(?:(?:及|和|与|、)(?:机构设置|内设机构)(?:情况)?)?(?:\s*[:：].*)?$"
)
_MAX_PREAMBLE = 3
_SECTION_TITLE = re.compile(r"机构|设置|人员|编制|情况|概况|预算|收支|绩效")


def is_duty_anchor(text: str) -> bool:
    if "职" not in text:  # every anchor names 职责 or 职能
        return False
    found = enumerator(text)
    body = text[found.end :] if found else text
    return bool(_DUTY_ANCHOR.match("".join(body.split())))  # re.sub(r"\s+", "", body)


def duty_items(lines: Sequence[tuple[str, int]]) -> tuple[Duty, ...]:
    """The enumerated list at the start of ``lines`` (after a short preamble), items in order.

    The list's first item has ordinal 1; later items have the same enumerator style and the next
    ordinal. A line without an enumerator continues the item when the item has not ended its
    sentence; anything else ends the list.
    """
    items: list[tuple[list[str], list[int]]] = []
    style = None
    preamble = 0
    for text, line in lines:
        text = text.strip()
        if not text or _PAGE_NUMBER.match(text):
            continue
        found = enumerator(text)
        if found and not items and found.ordinal == 1 and not is_duty_anchor(text):
            style = found.style
            items.append(([text[found.end :].strip()], [line]))
        elif found and items and found.style == style and found.ordinal == len(items) + 1:
            if _SECTION_TITLE.search(text[found.end :]) and is_heading(text[found.end :].strip()):
                break  # （三）机构设置: the next section, numbered on from the duties
            items.append(([text[found.end :].strip()], [line]))
        elif items:
            texts, numbers = items[-1]
            if found or is_heading(text) or texts[-1].endswith(tuple(_TERMINATORS)):
                break
            texts.append(text)
            numbers.append(line)
        else:
            preamble += 1
            if preamble > _MAX_PREAMBLE or (found and not is_duty_anchor(text)):
                break
    return tuple(
        Duty("".join(texts), i, Source.of(*numbers)) for i, (texts, numbers) in enumerate(items, 1) if "".join(texts)
    )


def extract_duties(doc: Document) -> tuple[Duty, ...]:
    """部门职责 items: after the first 部门职责/主要职责/部门职能概述 anchor, in a paragraph or a cell."""
    anchors: list[tuple[int, tuple[Duty, ...]]] = []
    blocks = doc.blocks
    for i, block in enumerate(blocks):
        if isinstance(block, Paragraph) and is_duty_anchor(_text(block)):
            following: list[tuple[str, int]] = []
            for later in blocks[i + 1 :]:
                if not isinstance(later, Paragraph):
                    break  # the list is in the anchor's section, which a table ends
                following.append((_text(later), later.line.number))
            duties = duty_items(following)
            if duties:
                anchors.append((block.line.number, duties))
                break
    for table in doc.tables:
        for row in table.rows:
            if "职" not in row.joined_text:
                continue  # no anchor in this row (see below)
            texts = row.texts
            for j in range(len(texts) - 1):
                # every anchor names 职责 or 职能 (see is_duty_anchor): most cells are rejected here
                if "职" not in texts[j]:
                    continue
                cell, content = row.cells[j], row.cells[j + 1]
                if is_duty_anchor(cell.text.replace("\n", "")):
                    lines = list(zip(content.text.split("\n"), content.lines, strict=False))
                    duties = duty_items(lines)
                    if duties:
                        anchors.append((cell.line, duties))
    if not anchors:
        return ()
    return min(anchors, key=lambda a: a[0])[1]


# --- document-level goals (分项绩效目标) ---------------------------------------------------------------

_GOAL_LABELS = {"职责目标": "duty", "绩效目标": "goal", "绩效指标": "indicators_text"}
_GOAL_LABEL = re.compile(r"(职责目标|绩效目标|绩效指标)\s*[:：]")


def extract_goals(doc: Document) -> tuple[Goal, ...]:
    """部门整体绩效目标's per-area goals: ``（一）name`` then 职责目标/绩效目标/绩效指标 labels.

    A goal needs a 绩效目标 label; the labels may share the name's line or follow it. A heading
    without labels ends the goal list.
    """
    goals: list[Goal] = []
    name: str | None = None
    parts: dict[str, str] = {}
    lines: list[int] = []

    def flush() -> None:
        if name and "goal" in parts:
            goals.append(Goal(name, parts.get("duty"), parts["goal"], parts.get("indicators_text"), Source.of(*lines)))

    for paragraph in doc.paragraphs:
        text, line = _text(paragraph), paragraph.line.number
        if _PAGE_NUMBER.match(text):
            continue
        found = enumerator(text)
        labels = list(_GOAL_LABEL.finditer(text))
        if found and found.style in ("paren_cn", "paren_num") and not (labels and labels[0].start() < found.end):
            flush()
            head = text[found.end : labels[0].start()] if labels else text[found.end :]
            name, parts, lines = head.strip(), {}, [line]
        elif not labels:
            if is_heading(text):
                flush()
                name, parts, lines = None, {}, []
            continue
        if name is None:
            continue
        for label, following in zip(labels, [*labels[1:], None], strict=False):
            value = text[label.end() : following.start() if following else len(text)].strip()
            key = _GOAL_LABELS[label.group(1)]
            if value and key not in parts:
                parts[key] = value
                if line not in lines:
                    lines.append(line)
    flush()
    return tuple(goals)


# --- totals, 三公, 机关运行经费 -----------------------------------------------------------------------

_TOTAL_KEYS = ("revenue_total", "expenditure_total", "basic", "project", "personnel", "public_operating", "carryover")
_THREE_PUBLIC_KEYS = ("total", "abroad", "reception", "car_total", "car_purchase", "car_operation")


@dataclass(frozen=True)
class Stated:
    value: Decimal
    source: Source


def first_stated(statements: Sequence[Statement], unit: str | None) -> dict[str, Stated]:
    """The first plain statement of each key, converted to the document's unit."""
    found: dict[str, Stated] = {}
    for s in statements:
        if s.key in found or s.unit in (None, "%"):
            continue
        value = convert_amount(s.value, s.unit, unit)
        if value is not None:
            found[s.key] = Stated(value, s.source)
    return found


def stated_totals(first: dict[str, Stated]) -> Totals:
    values = {k: first[k] for k in _TOTAL_KEYS if k in first}
    # a department budget balances (收入总计 = 支出总计): 收支 stated once gives both sides,
    # and one side stated alone stands for the other
    if "budget_total" in first:
        values.setdefault("revenue_total", first["budget_total"])
        values.setdefault("expenditure_total", first["budget_total"])
    if "revenue_total" in values and "expenditure_total" not in values:
        values["expenditure_total"] = values["revenue_total"]
    if "expenditure_total" in values and "revenue_total" not in values:
        values["revenue_total"] = values["expenditure_total"]
    return Totals(**{k: v.value for k, v in values.items()}, sources={k: v.source for k, v in values.items()})


def stated_three_public(first: dict[str, Stated]) -> ThreePublic:
    values = {k: first[f"three_public.{k}"] for k in _THREE_PUBLIC_KEYS if f"three_public.{k}" in first}
    return ThreePublic(**{k: v.value for k, v in values.items()}, sources={k: v.source for k, v in values.items()})


def extract_statements(doc: Document, year: int | None = None) -> tuple[Statement, ...]:
    return tuple(s for passage in passages(doc) for s in passage_statements(passage, year))


def extract_prose(doc: Document) -> DocumentFacts:
    """Duties, goals, statements and the totals/三公/机关运行经费 they state."""
    statements = extract_statements(doc, budget_year(doc))
    unit = document_unit(doc)
    first = first_stated(statements, unit.value if unit else None)
    sources: dict[str, Source] = {}
    operating_costs = None
    if "operating_costs" in first:
        operating_costs = first["operating_costs"].value
        sources["operating_costs"] = first["operating_costs"].source
    return DocumentFacts(
        document=doc.name,
        duties=extract_duties(doc),
        goals=extract_goals(doc),
        totals=stated_totals(first),
        three_public=stated_three_public(first),
        operating_costs=operating_costs,
        statements=statements,
        sources=sources,
    )
