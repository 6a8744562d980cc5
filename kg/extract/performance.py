"""Projects from performance tables (项目绩效目标表): identity, amounts, goals, plans, indicators.

A project's table is recognised by what it prints, not where: a title ending in 绩效目标表, or
key/value rows (项目名称, 专项资金名称, 项目编码, 预算数 …), followed by an indicator table whose
header names 一级指标 / 二级指标 / a name and a target column. The document is read as one stream of
rows (:mod:`kg.extract.row_stream`), so the same interpreter serves Word cell-per-line exports, PDF
tab rows and markdown pipes. Projects stated only in prose come from :mod:`kg.extract.prose_projects`
and fill what the tables leave open.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache

from kg.extract.document import Document
from kg.extract.facts import DocumentFacts, ExtractionIssue, Indicator, PlanStep, Project, Source
from kg.extract.indicators import IndicatorReader, Owner, read_header
from kg.extract.layout import Cell
from kg.extract.project_lists import listed_amounts
from kg.extract.prose_projects import merge_prose_projects, name_key, prose_projects
from kg.extract.row_stream import StreamRow, document_rows, joined, label_key
from kg.extract.text import parse_amount

# Key cells of a project table → the field their value fills (None: a label whose value is ignored).
_KEYS: dict[str, str | None] = {
    "项目名称": "name", "专项资金名称": "name", "专项名称": "name", "资金名称": "name",
    "项目编码": "code", "项目代码": "code", "项目编号": "code",
    "项目单位": "unit", "实施单位": "unit", "项目实施单位": "unit", "预算单位": "unit",
    "支出功能分类": "function", "支出功能分类科目": "function", "功能分类科目": "function",
    "项目起始时间": "start_year", "项目开始时间": "start_year", "起始年度": "start_year",
    "项目终止时间": "end_year", "项目结束时间": "end_year", "终止年度": "end_year",
    "预算数": "amount", "预算金额": "amount", "年度预算数": "amount", "项目预算数": "amount",
    "年度资金总额": "amount", "资金总额": "amount", "项目资金总额": "amount", "本年度预算": "amount",
    "项目本年度预算": "amount", "本年预算": "amount", "本年预算数": "amount", "年度预算": "amount",
    "绩效目标": "goals", "总体目标": "goals", "年度绩效目标": "goals", "项目绩效目标": "goals",
    "资金支出计划": "plan",
    "项目主管部门": None, "主管部门": None, "邮政编码": None, "项目负责人": None, "联系电话": None,
    "项目类别": None, "项目类型": None, "项目属性": None, "其中财政资金": None,
    "其他资金": None, "预算规模及资金用途": None, "项目申请理由和主要内容": None, "设立依据": None,
    "项目资金来源": None, "来源项目及年度": None, "资金用途": None,
}
_IDENTITY_KEYS = {"name", "code"}
# Every label of a name or code key has one of these (名称, 编码/代码, 编号); no other character folds
# to them under NFKC and ``label_key`` only removes characters, so a row without any of them names
# no project (tests/extract/test_prefilters.py).
_IDENTITY_MARKS = ("称", "码", "号")  # spelled out in ``_ProjectReader._row``
# Values that are themselves column labels: a 项目名称 header over a list, not a key/value pair.
_LABEL_ENDINGS = ("类型", "名称", "编码", "预算", "用途", "依据", "金额", "单位", "属性", "类别")

_INLINE_KEY = re.compile(r"^([^：:]{2,12})[：:](.*)$", re.S)
_ORDINAL = re.compile(r"^\s*(附表|表)?\s*(?:[（(][\d一二三四五六七八九十]+[)）]|[\d一二三四五六七八九十]{1,3}\s*[、.．:：])\s*")
_PROJECT_TITLE = re.compile(r"绩效目标(申报|公开|设定)?表$")
_TITLE_NUMBER = re.compile(r"[（(]([一二三四五六七八九十\d]+|续|续表)[)）]$")
_TITLE_SUFFIX = re.compile(r"(\d{4}年度?)?(和中期规划)?(项目)?(支出)?(年度)?绩效目标(申报|公开|设定|批复)?表$")
_GENERIC_NAMES = {"", "项目", "预算项目", "专项资金", "部门项目", "重点项目"}
_DEPARTMENT_WIDE = ("部门整体", "整体支出", "部门绩效")
_CHAPTER = re.compile(r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、)")
_TABLE_TITLE = re.compile(r"表$")
_PAGE_FURNITURE = re.compile(
    r"^([-—–\s]*(第\s*)?\d{1,3}(\s*页)?(\s*/\s*共?\s*\d{1,3}\s*页?)?[-—–\s]*|<!--.*-->|[（(]?续表?[)）]?|续上表)$"
)
_PERIOD = re.compile(r"^(\d{1,2}\s*月(底|末|份)?|年底|年末|第[一二三四1-4]季度|[一二三四1-4]季度末?)$")
_GOAL_SUBHEADING = re.compile(r"^(中期目标|长期目标|年度目标|\d{4}年度?目标|\d{4}年度?绩效目标)$")
_GOAL_ORDINAL = re.compile(r"(?:^|(?<=[\s。；;]))\d{1,2}\s*[、.．](?!\d)\s*")


@dataclass
class _Section:
    """The project being read: mutable while its rows stream past, frozen by :meth:`finish`."""

    title_name: str | None
    kind_context: str | None
    lines: set[int] = field(default_factory=set)
    name: str | None = None
    name_label: str | None = None
    code: str | None = None
    amount: Decimal | None = None
    unit: str | None = None
    function_codes: list[str] = field(default_factory=list)
    start_year: str | None = None
    end_year: str | None = None
    goals: list[str] = field(default_factory=list)
    plan: list[PlanStep] = field(default_factory=list)
    reader: IndicatorReader | None = None
    indicators: list[Indicator] = field(default_factory=list)
    owners: list[Owner | None] = field(default_factory=list)
    issues: list[ExtractionIssue] = field(default_factory=list)
    mode: str | None = None
    """What the next rows continue: ``indicators``, ``goals``, ``plan``, or the 项目资金来源 block
    (``budget`` after 当年预算, ``budget-total`` after its 合计)."""
    plan_periods: dict[int, Cell] = field(default_factory=dict)
    """The 资金支出计划 period cells (3月底 …) by column, for the share row below them."""

    def has_identity(self) -> bool:
        return self.name_label is not None or self.code is not None

    def already_named(self, fields: set[str]) -> bool:
        """Whether key rows already gave this project a name or code that ``fields`` would restate."""
        return ("name" in fields and self.name_label is not None) or ("code" in fields and self.code is not None)

    def close_reader(self) -> None:
        if self.reader is not None:
            self.reader.close()
            self.indicators.extend(self.reader.indicators)
            self.owners.extend(self.reader.owners)
            self.issues.extend(self.reader.issues)
            self.reader.indicators.clear()
            self.reader.owners.clear()
            self.reader.issues.clear()

    def finish(self) -> list[Project]:
        self.close_reader()
        if any(self.owners):
            return self._listed_projects()
        name = self.name or self.title_name
        if not name or not (self.indicators or self.amount is not None or self.code or self.goals):
            return []
        kind = "专项资金" if self.name_label == "专项资金名称" else self.kind_context
        return [Project(
            name=name,
            code=self.code,
            amount=self.amount,
            function_codes=tuple(dict.fromkeys(self.function_codes)),
            unit=self.unit,
            kind=kind,
            goals=tuple(self.goals),
            indicators=tuple(self.indicators),
            spending_plan=tuple(self.plan) or self._blank_plan(),
            start_year=self.start_year,
            source=Source.of(*self.lines),
            end_year=self.end_year,
        )]

    def _blank_plan(self) -> tuple[PlanStep, ...]:
        """Periods printed without shares: steps with ``share=None`` (the plan is printed but empty)."""
        return tuple(PlanStep(re.sub(r"\s+", "", c.text), None, Source.of(*c.lines))
                     for c in self.plan_periods.values())

    def _listed_projects(self) -> list[Project]:
        """One project per name in the 项目名称 column of a multi-project indicator table."""
        grouped: dict[str, tuple[Owner, list[Indicator]]] = {}
        for owner, indicator in zip(self.owners, self.indicators, strict=True):
            if owner is not None:
                grouped.setdefault(owner.name, (owner, []))[1].append(indicator)
        return [
            Project(name=owner.name, amount=owner.amount, kind=self.kind_context,
                    goals=tuple(split_goals(owner.goal)) if owner.goal else (),
                    indicators=tuple(indicators), source=owner.source)
            for owner, indicators in grouped.values()
        ]


@lru_cache(maxsize=1 << 14)
def project_title(text: str) -> str | None:
    """The project name a title announces (``1、医保局办公用房租赁费绩效目标表`` → the name), ``""`` for a
    title without a name (``项目绩效目标公开表（九）``), None when ``text`` is not a project title."""
    stripped = _TITLE_NUMBER.sub("", text.strip()).strip()
    if not _PROJECT_TITLE.search(stripped) or any(w in stripped for w in _DEPARTMENT_WIDE):
        return None
    name = _TITLE_SUFFIX.sub("", _ORDINAL.sub("", stripped, count=1)).strip()
    if re.search(r"[：:，。；]|详见|见附", name) or len(name) > 80:
        return None  # a sentence pointing at such a table, not its title
    return "" if name in _GENERIC_NAMES else name


def _kind_of_heading(text: str) -> str | None:
    if "专项资金" in text:
        return "专项资金"
    if any(w in text for w in ("预算项目", "项目预算", "项目支出")):
        return "预算项目"
    return None


def _is_heading(text: str) -> bool:
    return len(text) <= 40 and "，" not in text and "。" not in text


def _section_end(text: str, row: StreamRow) -> bool:
    """A chapter heading or another table's title: the project's rows are over."""
    return _ends_section(text, row.paragraph)


@lru_cache(maxsize=1 << 14)
def _ends_section(text: str, paragraph: bool) -> bool:
    """:func:`_section_end` of a text (memoised: asked of every one-cell row and paragraph)."""
    if not _is_heading(text):
        return False
    if _CHAPTER.match(text) or any(w in text for w in _DEPARTMENT_WIDE):
        return True
    if paragraph and _kind_of_heading(text) and "绩效" in text:
        return True
    return bool(_TABLE_TITLE.search(_TITLE_NUMBER.sub("", text).strip())) and len(text) >= 6


def key_pairs(row: StreamRow) -> list[tuple[str, str, list[str], list[int]]]:
    """(label, field, values, lines) for each key cell of ``row``; values run to the next key."""
    pairs: list[tuple[str, str, list[str], list[int]]] = []
    current: tuple[str, str, list[str], list[int]] | None = None
    for cell in row.cells:
        found = _key_cell(cell.text)
        if found is not None:
            label, value = found
            current = (label, _KEYS[label] or "", [] if value is None else [value], list(cell.lines))
            pairs.append(current)
        elif current is not None and cell.text:
            current[2].append(cell.text)
            current[3].extend(cell.lines)
    return pairs


@lru_cache(maxsize=1 << 14)
def _key_cell(text: str) -> tuple[str, str | None] | None:
    """A key cell's label and, for ``项目名称：X`` in one cell, its value; None for other cells."""
    key = label_key(text)
    if key in _KEYS:
        return key, None
    inline = _INLINE_KEY.match(text)
    if inline and label_key(inline.group(1)) in _KEYS and inline.group(2).strip():
        return label_key(inline.group(1)), inline.group(2).strip()
    return None


def _is_key_row(row: StreamRow) -> bool:
    pairs = key_pairs(row)
    return any(f and values for _, f, values, _ in pairs) or (
        len(pairs) >= 2 and not any(values for _, _, values, _ in pairs))


def split_goals(text: str) -> list[str]:
    """Goal items of a 绩效目标 cell: one per line or per ordinal (``1. … 2. …``)."""
    goals: list[str] = []
    for line in text.split("\n"):
        for part in _GOAL_ORDINAL.split(line):
            part = part.strip()
            if part:
                goals.append(part)
    return goals


def _share(text: str) -> Decimal | None:
    return parse_amount(text.replace("%", "").replace("％", ""))


class _ProjectReader:
    """Streams the rows of a document and collects its table projects."""

    def __init__(self) -> None:
        self.projects: list[Project] = []
        self.issues: list[ExtractionIssue] = []
        self.section: _Section | None = None
        self.kind_context: str | None = None

    def _finish(self) -> None:
        if self.section is not None:
            projects = self.section.finish()
            self.issues.extend(self.section.issues)
            self.projects.extend(projects)
        self.section = None

    def _start(self, title_name: str | None, row: StreamRow) -> _Section:
        self._finish()
        self.section = _Section(title_name or None, self.kind_context, set(row.lines))
        return self.section

    def read(self, rows: tuple[StreamRow, ...]) -> None:
        for row in rows:
            self._row(row)
        section = self.section
        if section is not None and section.mode == "indicators" and section.reader and not section.reader.fed:
            line = section.reader.columns.header_line
            section.issues.append(ExtractionIssue(
                "truncated-table",
                f"line {line}: indicator table header, but the document ends before its first row "
                "(expected rows of 一级指标 … 指标值)",
                line,
            ))
        self._finish()

    def _row(self, row: StreamRow) -> None:
        if row.is_blank():
            return
        text = row.single_text()
        if text is not None:
            title = project_title(text)
            if title is not None:
                self._start(title, row)
                return
            if _section_end(text, row):
                self._finish()
                kind = _kind_of_heading(text)
                if kind and row.paragraph:
                    self.kind_context = kind
                return
        section = self.section
        columns = read_header(row)
        if columns is not None:
            if section is None:
                if "project" not in columns.index:
                    return  # an indicator table outside any project (department-wide goals)
                section = self._start(None, row)
            section.mode = "indicators"
            if section.reader is None:
                section.reader = IndicatorReader(columns)
            else:
                section.reader.restart(columns)
            section.lines.update(row.lines)
            return
        if section is not None and section.mode == "indicators":
            if text is not None and row.paragraph and _PAGE_FURNITURE.match(text):
                return
            if not row.paragraph and not _is_key_row(row):
                assert section.reader is not None
                section.reader.feed(row)
                return
            section.close_reader()
            section.mode = None
        if section is None:
            # outside a project only a name or code key row matters (most rows of a document)
            joined_texts = row.joined_text
            if "称" not in joined_texts and "码" not in joined_texts and "号" not in joined_texts:
                return
        pairs = key_pairs(row)
        identity = {f for _, f, values, _ in pairs if f in _IDENTITY_KEYS and values}
        if identity and (section is None or section.already_named(identity)):
            section = self._start(None, row)
        if section is None:
            return
        if pairs and (any(values for _, _, values, _ in pairs) or any(f for _, f, _, _ in pairs)):
            section.mode = None
            for label, field_name, values, lines in pairs:
                self._apply(section, label, field_name, values, lines, row)
            if section.mode is None:
                self._budget_block(section, row)  # a budget block glued into a label cell's lines
            return
        self._continue(section, row, text)

    def _apply(self, section: _Section, label: str, field_name: str, values: list[str],
               lines: list[int], row: StreamRow) -> None:
        first = values[0] if values else None
        if field_name == "name" and first and not first.endswith(_LABEL_ENDINGS):
            section.name, section.name_label = joined(first), label
            section.lines.update(lines)
        elif field_name == "code" and first and not first.endswith(_LABEL_ENDINGS):
            section.code = re.sub(r"\s+", "", first)
            section.lines.update(lines)
        elif field_name == "unit" and first:
            section.unit = joined(first)
        elif field_name == "function":
            section.function_codes.extend(m.group(1) for v in values if (m := re.match(r"^\[?(\d{3,7})\]?", v)))
        elif field_name == "start_year" and first:
            section.start_year = first
        elif field_name == "end_year" and first:
            section.end_year = first
        elif field_name == "amount" and first and section.amount is None:
            section.amount = parse_amount(first)
            if section.amount is not None:
                section.lines.update(lines)
        elif field_name == "goals":
            goals = [g for v in values for g in split_goals(v) if not _GOAL_SUBHEADING.match(label_key(g))]
            section.goals.extend(goals)
            section.mode = "goals"
        elif field_name == "plan":
            section.plan_periods = {i: c for i, c in enumerate(row.cells) if _PERIOD.match(c.text)}
            section.mode = "plan" if section.plan_periods else None

    def _continue(self, section: _Section, row: StreamRow, text: str | None) -> None:
        """A row without keys: it continues goals, a spending plan or a budget block, or names a unit."""
        if section.mode == "goals" and self._goal_continuation(section, row, text):
            return
        if section.mode == "plan" and self._plan_values(section, row):
            return
        if section.mode == "goals" or section.mode == "plan":
            section.mode = None
        texts = [c.text for c in row.filled]
        if self._budget_block(section, row):
            return
        if section.unit is None and not section.has_identity() and len(texts) == 2:
            units = [t for t in texts if re.match(r"^(金额)?单位[：:]", t)]
            if len(units) == 1:
                other = next(t for t in texts if t not in units)
                if parse_amount(other) is None:
                    section.unit = other

    @staticmethod
    def _budget_block(section: _Section, row: StreamRow) -> bool:
        """项目资金来源: the first number after 合计 under a ``…当年预算`` column is the year's budget.

        Read line by line, so it holds whether the block's lines are cells, paragraphs or the
        continuation lines of one cell.
        """
        used = False
        for cell in row.filled:
            parts = cell.text.split("\n")
            # a cell's lines map onto its source lines one to one unless blank lines were dropped
            line_of = dict(enumerate(cell.lines)) if len(parts) == len(cell.lines) else {}
            for index, line in enumerate(parts):
                key = label_key(line)
                if key.endswith("当年预算"):
                    section.mode, used = "budget", True
                elif section.mode == "budget" and key == "合计":
                    section.mode, used = "budget-total", True
                elif section.mode == "budget-total" and key:
                    amount = parse_amount(line)
                    if amount is not None and section.amount is None:
                        section.amount = amount
                        section.lines.update([line_of[index]] if index in line_of else cell.lines)
                    section.mode, used = None, True
        return used

    def _goal_continuation(self, section: _Section, row: StreamRow, text: str | None) -> bool:
        if text is None:
            return False
        key = label_key(text)
        if _GOAL_SUBHEADING.match(key):
            return True
        if row.paragraph:
            if _is_heading(text) and key.endswith("目标"):
                return False  # the next block's label (项目绩效总目标)
            section.goals.extend(split_goals(text))
            return True
        if not row.cells[0].text:  # a goal cell wrapped onto the next row (blank label cell)
            section.goals.extend(split_goals(text))
            return True
        return False

    @staticmethod
    def _add_step(section: _Section, step: PlanStep) -> None:
        """A period printed twice (a plan row repeated after a page break) keeps its first share."""
        if all(s.period != step.period for s in section.plan):
            section.plan.append(step)

    def _plan_values(self, section: _Section, row: StreamRow) -> bool:
        cells = row.cells
        filled = row.filled
        if len(filled) == 2 and _PERIOD.match(filled[0].text) and _share(filled[1].text) is not None:
            self._add_step(section, PlanStep(re.sub(r"\s+", "", filled[0].text), _share(filled[1].text),
                                             Source.of(*filled[0].lines, *filled[1].lines)))
            return True
        if not all(_share(c.text) is not None for c in filled):
            return False
        if not all(i in section.plan_periods for i, c in enumerate(cells) if c.text):
            return False
        for i, cell in enumerate(cells):
            share = _share(cell.text) if cell.text else None
            if share is not None:
                period = section.plan_periods[i]
                self._add_step(section, PlanStep(re.sub(r"\s+", "", period.text), share,
                                                 Source.of(*period.lines, *cell.lines)))
        return True


def table_projects(rows: tuple[StreamRow, ...]) -> tuple[tuple[Project, ...], tuple[ExtractionIssue, ...]]:
    """Projects read from the document's performance tables, and what could not be read."""
    reader = _ProjectReader()
    reader.read(rows)
    return merge_repeated(reader.projects), tuple(reader.issues)


def merge_repeated(projects: list[Project]) -> tuple[Project, ...]:
    """One project per name and code: a table printed twice (or continued under a repeated title)
    adds only the fields and indicators the first printing lacks."""
    merged: list[Project] = []
    for project in projects:
        same = next((i for i, p in enumerate(merged) if name_key(p.name) == name_key(project.name)
                     and (p.code is None or project.code is None or p.code == project.code)), None)
        if same is None:
            merged.append(project)
            continue
        first = merged[same]
        seen = {_indicator_key(i) for i in first.indicators}
        merged[same] = replace(
            first,
            code=first.code or project.code,
            amount=first.amount if first.amount is not None else project.amount,
            function_codes=first.function_codes or project.function_codes,
            unit=first.unit or project.unit,
            kind=first.kind or project.kind,
            goals=first.goals or project.goals,
            indicators=first.indicators + tuple(i for i in project.indicators if _indicator_key(i) not in seen),
            spending_plan=_planned(first.spending_plan, project.spending_plan),
            start_year=first.start_year or project.start_year,
            source=first.source.merge(project.source),
            end_year=first.end_year or project.end_year,
        )
    return tuple(merged)


def _planned(first: tuple[PlanStep, ...], other: tuple[PlanStep, ...]) -> tuple[PlanStep, ...]:
    """The first printing's plan, unless only the other printing has shares."""
    if any(s.share is not None for s in first) or not any(s.share is not None for s in other):
        return first or other
    return other


def _indicator_key(indicator: Indicator) -> tuple[str, ...]:
    return tuple(name_key(t) for t in (indicator.level1, indicator.level2, indicator.level3, indicator.target))


def extract_projects(doc: Document) -> DocumentFacts:
    """Table projects, completed by project lists and prose, or the prose projects alone."""
    rows = document_rows(doc)
    projects, issues = table_projects(rows)
    prose = prose_projects(doc)
    prose = replace(prose, mentions=listed_amounts(rows) + prose.mentions)
    merged = merge_prose_projects(projects, prose)
    return DocumentFacts(document=doc.name, projects=merged, issues=issues)
