"""Reading a budget table's columns: classification codes, header labels and column roles.

Budget tables put the amounts of a row under multi-row headers (``功能分类科目 | 合计 | 基本支出 |
项目支出`` over ``科目编码 | 科目名称``, a ``栏次 1 2 3`` row). Which column is which is decided by the
labels printed above it, never by position alone: other templates add columns (预留机动经费,
事业单位经营支出, 上年结转) or order them differently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from kg.extract.layout import Cell, Row
from kg.extract.text import compact as norm  # cell text without any white space
from kg.extract.text import parse_amount

_CODE = re.compile(r"^\[?(?P<code>\d{3}(?:\d{2}){0,2})\]?$")
_CODE_AND_NAME = re.compile(r"^\[?(?P<code>\d{3}(?:\d{2}){0,2})\]?[\s\-－—:：、.．]*(?P<name>[\u4e00-\u9fffA-Za-z（(].*)$")
_TOTAL_LABEL = re.compile(r"^(?:本年|全年)?(?:支出|收入|预算)?(?:合计|总计)$")
_ORDINAL = re.compile(r"^\s*(?:[（(]\s*[一二三四五六七八九十廿]+\s*[)）]|(?:[一二三四五六七八九十廿百]+|\d{1,2})\s*[、.．])\s*")
_NOT_A_CODE_COLUMN = re.compile(r"单位|项目编码|项目代码|序号|栏次")




def joined(text: str) -> str:
    """A cell wrapped over several lines as one line of Chinese text."""
    if "\n" not in text:
        return text.strip()
    return "".join(part.strip() for part in text.split("\n")).strip()


def strip_ordinal(text: str) -> tuple[str, bool]:
    """``十、卫生健康支出`` → (``卫生健康支出``, True); text without an ordinal → (text, False)."""
    m = _ORDINAL.match(text)
    return (text[m.end():].strip(), True) if m else (text.strip(), False)


@lru_cache(maxsize=1 << 14)
def split_code(text: str) -> tuple[str, str | None] | None:
    """A classification code cell (``2101501``), or code and name in one cell (``[210]卫生健康支出``)."""
    s = joined(text)
    m = _CODE.match(norm(s))
    if m:
        return m.group("code"), None
    m = _CODE_AND_NAME.match(s)
    if m:
        return m.group("code"), m.group("name").strip()
    return None


def cell_at(row: Row, j: int | None) -> Cell | None:
    """The row's cell in column ``j``; None where the row has no such cell."""
    return row.cells[j] if j is not None and 0 <= j < len(row.cells) else None


def filled_cells(row: Row) -> list[tuple[int, Cell]]:
    """The row's non-empty cells with their column indexes."""
    return [(j, c) for j, c in enumerate(row.cells) if c.text.strip()]


def amount(cell: Cell | None) -> Decimal | None:
    """The cell's amount exactly as printed; None for a blank, a dash or a cell that is no number."""
    return _amount_of(cell.text) if cell is not None else None


@lru_cache(maxsize=1 << 14)
def _amount_of(text: str) -> Decimal | None:
    return parse_amount(joined(text))


@lru_cache(maxsize=1 << 14)
def is_total_label(text: str) -> bool:
    """``合计`` / ``总 计`` / ``支出合计``: the label of a table's total row or total column."""
    return bool(_TOTAL_LABEL.match(norm(text)))


_COLUMN_NUMBER = re.compile(r"[\d+=\-a-zA-Z甲乙丙丁栏次序号*—]{1,10}")


@lru_cache(maxsize=1 << 14)
def is_column_number(text: str) -> bool:
    """A 栏次 cell (``1``, ``3a``, ``4=5+6``, ``甲``, ``**``): it numbers a column, it is no label."""
    t = norm(text)
    return bool(t) and "." not in t and bool(_COLUMN_NUMBER.fullmatch(t))


def is_index_row(row: Row) -> bool:
    """A 栏次 row (``栏次 | 1 | 2 | 3`` or ``** | ** | 1 | 2``): column numbers, not amounts."""
    texts = [t for t in row.texts if norm(t)]
    return bool(texts) and all(is_column_number(t) for t in texts)


@dataclass(frozen=True)
class HeaderLabels:
    """Per column index: the labels printed above it, lowest (most specific) first."""

    by_column: tuple[tuple[str, ...], ...]

    def lowest(self, j: int) -> str:
        labels = self.by_column[j] if j < len(self.by_column) else ()
        return labels[0] if labels else ""

    def all(self, j: int) -> str:
        labels = self.by_column[j] if j < len(self.by_column) else ()
        return "".join(reversed(labels))


def header_labels(header_rows: list[Row], width: int, left_aligned: bool = False) -> HeaderLabels:
    """Labels of each column from the header rows as wide as the body.

    A shorter header row of a cell-per-line table has merged cells and cannot be placed (skipped),
    except when no header row is as wide as the body: then the lowest one is taken to lack the cells
    merged with the rows above at its left (``科目编码 | 科目名称 | 本年支出`` over ``合计 | 基本支出 |
    项目支出``). A shorter row of tab or pipe rows only lost its trailing empty cells
    (``left_aligned``).
    """
    columns: list[list[str]] = [[] for _ in range(width)]
    named = [r for r in header_rows if not is_index_row(r) and len(r.cells) <= width]
    placed = [r for r in named if len(r.cells) == width or left_aligned]
    if not placed and named:
        lowest = named[-1]
        placed = [Row((*(Cell("", ()) for _ in range(width - len(lowest.cells))), *lowest.cells))]
    for row in reversed(placed):
        for j, cell in enumerate(row.cells):
            label = norm(cell.text)
            if label and not is_column_number(label):
                columns[j].append(label)
    return HeaderLabels(tuple(tuple(c) for c in columns))


@dataclass(frozen=True)
class CodeColumns:
    """Where a code-keyed table keeps its code, name and the amounts of each role."""

    code: int
    name: int | None
    """None when the code and the name share one cell."""
    roles: dict[str, int]
    """``total``, ``basic``, ``project``, ``personnel``, ``public`` → column index."""
    width: int
    split: bool = False
    """The code is printed in three columns 类 | 款 | 项 (``210 | 15 | 01``) from ``code`` on."""


_ROLE_LABELS = {
    "basic": re.compile(r"基本支出|^基本$"),
    "project": re.compile(r"项目支出"),
    "personnel": re.compile(r"人员经费|人员支出|工资福利"),
    "public": re.compile(r"公用经费|公用支出"),
}
_NOT_AN_AMOUNT = re.compile(r"编码|代码|名称|科目")
_NOT_THIS_YEAR = re.compile(r"上年|增减|比上年|增长|变动|差额|同比|结转下年")
_YEAR = re.compile(r"((?:19|20)\d\d)年?")


def find_code_column(rows: list[Row], labels: HeaderLabels | None = None) -> int | None:
    """The column holding classification codes in most rows (not 单位编码, 项目编码 or 序号)."""
    counts: dict[int, int] = {}
    for row in rows:
        for j, cell in enumerate(row.cells):
            if split_code(cell.text) is None:
                continue
            if labels is not None and _NOT_A_CODE_COLUMN.search(labels.all(j)):
                continue
            counts[j] = counts.get(j, 0) + 1
            break
    if not counts:
        return None
    return max(counts, key=lambda j: (counts[j], -j))


def _split_code_column(labels: HeaderLabels, width: int) -> int | None:
    for j in range(width - 2):
        if (labels.lowest(j), labels.lowest(j + 1), labels.lowest(j + 2)) == ("类", "款", "项"):
            return j
    return None


def this_year_columns(labels: HeaderLabels, columns: list[int]) -> list[int]:
    """Amount columns of the budget year: not last year's, not the change on last year."""
    kept = [j for j in columns if not _NOT_THIS_YEAR.search(labels.all(j))]
    years = {j: [int(y) for y in _YEAR.findall(labels.all(j))] for j in kept}
    latest = max((y for ys in years.values() for y in ys), default=None)
    if latest is not None and any(y < latest for ys in years.values() for y in ys):
        kept = [j for j in kept if not years[j] or latest in years[j]]
    return kept


def code_columns(header_rows: list[Row], body_rows: list[Row], left_aligned: bool = False) -> CodeColumns | None:
    """Map a code-keyed table's columns to roles by their header labels (None: no codes)."""
    widths: dict[int, int] = {}
    for row in body_rows:
        widths[len(row.cells)] = widths.get(len(row.cells), 0) + 1
    if not widths:
        return None
    # the widest row: a PDF export may drop trailing empty cells from some rows
    width = max([*widths, *(len(r.cells) for r in header_rows)])
    labels = header_labels(header_rows, width, left_aligned)
    split_at = _split_code_column(labels, width)
    name: int | None
    if split_at is not None:
        code, name = split_at, split_at + 3
    else:
        found = find_code_column(body_rows, labels)
        if found is None:
            return None
        code, name = found, found + 1
        named = [j for j in range(code + 1, width) if "名称" in labels.lowest(j)]
        if named:
            name = named[0]  # the 科目名称 column, also when an empty column stands between
        coded = [split_code(r.cells[code].text) for r in body_rows if code < len(r.cells)]
        coded_names = [c for c in coded if c is not None]
        if coded_names and all(c[1] for c in coded_names):
            name = None
    first_amount = (name if name is not None else code) + 1
    amount_columns = [j for j in this_year_columns(labels, list(range(first_amount, width)))
                      if not _NOT_AN_AMOUNT.search(labels.all(j))]
    roles: dict[str, int] = {}
    for j in amount_columns:
        if is_total_label(labels.lowest(j)):
            roles["total"] = j
            break
    if "total" not in roles and amount_columns:
        roles["total"] = amount_columns[0]
    for role, pattern in _ROLE_LABELS.items():
        by_lowest = [j for j in amount_columns if pattern.search(labels.lowest(j))]
        by_stack = [j for j in amount_columns if pattern.search(labels.all(j))
                    and not is_total_label(labels.lowest(j))
                    and not any(p.search(labels.lowest(j)) for r, p in _ROLE_LABELS.items() if r != role)]
        for j in by_lowest or by_stack:
            if j != roles.get("total") and j not in roles.values():
                roles[role] = j
                break
    return CodeColumns(code, name, roles, width, split_at is not None)


@dataclass
class CodeCarry:
    """The 类 and 款 printed on earlier rows, for tables that print only the new part of a code."""

    cls: str = ""
    item: str = ""


def read_code(row: Row, columns: CodeColumns, carry: CodeCarry) -> tuple[str, str | None] | None:
    """The row's classification code (and the name, when it shares the code's cell)."""
    if not columns.split:
        cell = row.cells[columns.code] if columns.code < len(row.cells) else None
        return split_code(cell.text) if cell is not None else None
    parts = [norm(row.cells[j].text) if j < len(row.cells) else "" for j in range(columns.code, columns.code + 3)]
    if not all(re.fullmatch(r"\d*", p) for p in parts) or not any(parts):
        return None
    cls, item, entry = parts
    if cls:
        if len(cls) != 3:
            return None
        carry.cls, carry.item = cls, ""
    if item:
        carry.item = item if len(item) == 5 else carry.cls + item
    if entry:
        return (entry if len(entry) == 7 else (carry.item or carry.cls) + entry), None
    if item:
        return carry.item, None
    return cls, None
