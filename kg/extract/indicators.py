"""Performance indicator tables: header → column roles, rows → :class:`Indicator`.

Templates differ in column order and wording (``一级指标`` / ``一级指标(年度)``, ``指标值`` / ``预计当年``,
a ``目标名称`` column whose text names the indicator when ``三级指标`` is blank, an empty spacer
column), so columns are found by their header text, never by position. Rows may arrive split by
blank lines (a cell-per-line export) or continue after a page break under a repeated header; the
reader joins the pieces and carries blank 一级/二级 cells down from the row above (merged cells).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache

from kg.extract.facts import ExtractionIssue, Indicator, Source, Target
from kg.extract.layout import Cell
from kg.extract.row_stream import StreamRow, joined, label_key
from kg.extract.targets import parse_target
from kg.extract.text import parse_amount

ROLES = ("level1", "level2", "level3", "name", "description", "target", "basis")
"""Roles whose cells an indicator is read from (its provenance)."""

_TARGET_HEADERS = {"指标值", "目标值", "年度指标值", "指标目标值", "绩效指标值", "预期指标值", "年度目标值",
                   "预期目标值", "绩效目标值", "标准值", "指标标准值", "预期目标", "目标值及单位"}
_PROJECT_HEADERS = {"项目名称", "项目", "项目名称及编码", "专项资金名称", "资金名称"}
_GOAL_HEADERS = {"年度目标", "绩效目标", "年度绩效目标", "项目绩效目标", "总体目标", "项目年度目标"}
_AMOUNT_HEADERS = {"预算金额", "预算数", "资金总额", "年度资金总额", "项目金额", "预算资金", "项目预算", "金额"}
# 二级指标 names that never stand in the 一级 column: a row opening with one lost its blank 一级 cell.
_LEVEL2_ONLY = {"数量指标", "质量指标", "时效指标", "经济效益指标", "社会效益指标", "生态效益指标",
                "可持续影响指标", "服务对象满意度指标", "经济成本指标", "社会成本指标", "生态环境成本指标"}
_YEAR_TARGET = re.compile(r"^(\d{4}年度?|本年度?|当年|预计当年|本期)(目标值|指标值)?$|^预计当年")


@lru_cache(maxsize=1 << 12)
def header_role(text: str) -> tuple[str, int] | None:
    """The role of a header cell and its priority (lower wins when two cells claim a role)."""
    key = label_key(text)
    if not key:
        return None
    if "依据" in key:
        return ("basis", 0)
    if "一级指标" in key:
        return ("level1", 0)
    if "二级指标" in key:
        return ("level2", 0)
    if "三级指标" in key or key in {"指标名称", "绩效指标名称", "指标"}:
        return ("level3", 0)
    if key == "目标名称":
        return ("name", 0)
    if key in _PROJECT_HEADERS:
        return ("project", 0)
    if key in _GOAL_HEADERS:
        return ("goal", 0)
    if key in _AMOUNT_HEADERS:
        return ("amount", 0)
    if key in {"指标性质", "符号", "运算符", "比较符", "关系符"}:
        return ("comparator", 0)
    if key in {"度量单位", "计量单位", "单位", "指标单位"}:
        return ("unit", 0)
    if "描述" in key or key in {"指标解释", "指标说明", "指标内容", "指标定义"}:
        return ("description", 0)
    if key in _TARGET_HEADERS:
        return ("target", 0)
    if _YEAR_TARGET.match(key):
        return ("target", 1)
    return None


@dataclass(frozen=True)
class Columns:
    """Which cell index holds which role in an indicator table."""

    index: dict[str, int]
    header_line: int

    @property
    def width(self) -> int:
        """Cells a complete row needs: up to the last column with a role."""
        return max(self.index.values()) + 1

    def cell(self, cells: tuple[Cell, ...], role: str) -> Cell | None:
        i = self.index.get(role)
        return cells[i] if i is not None and i < len(cells) else None


def read_header(row: StreamRow) -> Columns | None:
    """Columns of an indicator table when ``row`` is its header (一级, 二级, a name and a target)."""
    if len(row.cells) < 4:
        return None  # a header needs four cells: 一级, 二级, a name and a target
    if "级" not in row.joined_text:
        # 一级 and 二级 need 级 in the printed text: no other character folds to it (NFKC, all of
        # Unicode checked), and label_key only removes characters. Most rows end here.
        return None
    best: dict[str, tuple[int, int]] = {}
    for i, text in enumerate(row.texts):
        role = header_role(text)
        if role is None:
            continue
        name, priority = role
        if name not in best or priority < best[name][1]:
            best[name] = (i, priority)
    index = {name: i for name, (i, _) in best.items()}
    if "level3" not in index and "name" not in index and "description" in index:
        index["level3"] = index.pop("description")  # ``指标内容`` names the indicator when nothing else does
    if {"level1", "level2", "target"} <= index.keys() and ("level3" in index or "name" in index):
        return Columns(index, row.line)
    return None


@dataclass
class IndicatorReader:
    """Reads the rows under one indicator header; keeps merged-cell state across repeated headers."""

    columns: Columns
    indicators: list[Indicator] = field(default_factory=list)
    owners: list[Owner | None] = field(default_factory=list)
    """For a table listing several projects (a 项目名称 column): the project of each indicator."""
    issues: list[ExtractionIssue] = field(default_factory=list)
    _pending: list[StreamRow] = field(default_factory=list)
    _level1: str | None = None
    _level2: str | None = None
    _owner: Owner | None = None
    fed: int = 0
    """Non-blank rows read since the last header."""
    _last_block: int = -1

    def restart(self, columns: Columns) -> None:
        """A repeated header (page break): new columns, same merged-cell state."""
        self.close()
        self.columns = columns
        self.fed = 0

    def feed(self, row: StreamRow) -> None:
        if row.is_blank():
            return
        self.fed += 1
        if not self._pending and len(row.cells) < self.columns.width and self._opens_with_level2(row):
            row = replace(row, cells=(Cell("", ()), *row.cells))
        if self._pending and row.block == self._pending[-1].block:
            cells = row.cells
            while cells and not cells[-1].text:
                cells = cells[:-1]  # trailing empty cells of a row's continuation are layout padding
            row = replace(row, cells=cells)
        if self._pending and (
            row.block != self._pending[-1].block
            or len(self._pending_cells()) + len(row.cells) > self.columns.width
        ):
            self.close()
        self._pending.append(row)
        cells = self._pending_cells()
        if len(cells) >= self.columns.width:
            self._emit(cells, self._pending)
            self._pending = []

    def close(self) -> None:
        """End of the table: a row still incomplete is reported, not guessed."""
        if not self._pending:
            return
        cells = self._pending_cells()
        target_index = self.columns.index["target"]
        if len(cells) > target_index:
            self._emit(cells, self._pending)
        elif _looks_like_indicator(cells, self.columns):
            self.issues.append(ExtractionIssue(
                "truncated-table",
                f"line {self._pending[0].line}: indicator row has {len(cells)} of {self.columns.width} cells "
                f"(expected 一级指标 … 指标值 under the header on line {self.columns.header_line}); "
                "no indicator was read from it",
                self._pending[0].line,
            ))
        self._pending = []

    def _opens_with_level2(self, row: StreamRow) -> bool:
        first_role = self.columns.index.get("level1")
        return first_role == 0 and label_key(row.cells[0].text) in _LEVEL2_ONLY

    def _pending_cells(self) -> tuple[Cell, ...]:
        return tuple(c for row in self._pending for c in row.cells)

    def _text(self, cells: tuple[Cell, ...], role: str) -> str | None:
        cell = self.columns.cell(cells, role)
        text = joined(cell.text) if cell is not None else ""
        return text or None

    def _emit(self, cells: tuple[Cell, ...], rows: list[StreamRow]) -> None:
        level1 = self._text(cells, "level1")
        level2 = self._text(cells, "level2")
        level3 = self._text(cells, "level3") or self._text(cells, "name")
        target = self._text(cells, "target")
        owner = self._read_owner(cells)
        if level3 is None and target is None:
            return
        if target is None and level1 is None and level2 is None and self._continues_last(rows):
            self._extend_last(cells)
            return
        self._last_block = rows[-1].block
        if owner is not self._owner:
            self._owner, self._level1, self._level2 = owner, None, None
        if level1 is None or (level1 == self._level1 and level2 is None):
            level1 = self._level1  # a merged cell: the row continues the group above
            level2 = level2 or self._level2
        self._level1, self._level2 = level1, level2
        lines = [n for role in ROLES if (c := self.columns.cell(cells, role)) is not None and c.text
                 for n in c.lines]
        self.indicators.append(Indicator(
            level1=level1,
            level2=level2,
            level3=level3,
            target=target,
            description=self._text(cells, "description"),
            basis=self._text(cells, "basis"),
            parsed_target=self._parsed_target(cells, target),
            source=Source.of(*(lines or [rows[0].line])),
        ))
        self.owners.append(owner)

    def _continues_last(self, rows: list[StreamRow]) -> bool:
        """A row with neither levels nor a target, right under an indicator: its cells' wrapped text."""
        return bool(self.indicators) and rows[0].block == self._last_block

    def _extend_last(self, cells: tuple[Cell, ...]) -> None:
        last = self.indicators[-1]

        def more(old: str | None, *roles: str) -> str | None:
            added = next((t for role in roles if (t := self._text(cells, role))), None)
            return f"{old or ''}{added}" if added else old

        lines = [n for role in ROLES if (c := self.columns.cell(cells, role)) is not None and c.text
                 for n in c.lines]
        self.indicators[-1] = replace(
            last,
            level3=more(last.level3, "level3", "name"),
            description=more(last.description, "description"),
            basis=more(last.basis, "basis"),
            source=last.source.merge(Source.of(*lines)),
        )

    def _parsed_target(self, cells: tuple[Cell, ...], target: str | None) -> Target | None:
        """The target parsed, with the comparator and unit of their own columns where printed apart."""
        comparator = self._text(cells, "comparator") or ""
        unit = self._text(cells, "unit") or ""
        if target and (comparator or unit):
            combined = parse_target(f"{comparator}{target}{unit}")
            if combined is not None:
                return combined
        return parse_target(target)

    def _read_owner(self, cells: tuple[Cell, ...]) -> Owner | None:
        """The project a row of a multi-project table belongs to (a blank cell continues the one above)."""
        if "project" not in self.columns.index:
            return None
        cell = self.columns.cell(cells, "project")
        if cell is None or not cell.text:
            return self._owner
        if self._owner is not None and self._owner.name == joined(cell.text):
            return self._owner
        goal = self.columns.cell(cells, "goal")
        amount = self.columns.cell(cells, "amount")
        return Owner(
            name=joined(cell.text),
            goal=joined(goal.text) if goal is not None and goal.text else None,
            amount=parse_amount(amount.text) if amount is not None else None,
            source=Source.of(*cell.lines, *(amount.lines if amount is not None and amount.text else ())),
        )


@dataclass(frozen=True)
class Owner:
    """A project named in a 项目名称 column, with the goal and amount cells of its first row."""

    name: str
    goal: str | None
    amount: Decimal | None
    source: Source


def _looks_like_indicator(cells: tuple[Cell, ...], columns: Columns) -> bool:
    """A fragment that starts like an indicator row: blank or ``…指标`` in the 一级 position."""
    first = columns.cell(cells, "level1")
    return first is None or not first.text or "指标" in first.text
