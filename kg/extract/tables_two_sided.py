"""收支总表: the two-sided summary table, its expenditure categories and its headline totals.

Revenue is printed on the left, expenditure on the right, one category per row named with an
ordinal (``十、卫生健康支出``) or its 类 code (``210 卫生健康支出``); 本年收入合计, 本年支出合计 and
上年结转 close the table. Rows that name kinds of spending (基本支出, 项目支出) or economic classes
are no categories.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from functools import lru_cache

from kg.extract.facts import CategoryLine, ExtractionIssue, Source
from kg.extract.layout import Cell, Row
from kg.extract.tables_columns import (
    amount,
    cell_at,
    filled_cells,
    joined,
    norm,
    split_code,
    strip_ordinal,
)
from kg.extract.tables_narrative import ECONOMIC_CLASSES
from kg.extract.tables_segments import TitledTable, split_header

_NOT_A_CATEGORY = re.compile(r"合计|总计|结转|结余|^本年|^上年")
_TWO_SIDED = re.compile(r"收支|收入支出")
# expenditure rows of a 收支总表 that are kinds of spending or economic classes, not function classes
_NOT_A_FUNCTION_CLASS = frozenset({
    "基本支出", "项目支出", "人员经费", "公用经费", "日常公用经费", "人员支出", "公用支出",
    "事业单位经营支出", "经营支出", "上缴上级支出", "对附属单位补助支出", "对下级补助支出",
} | (set(ECONOMIC_CLASSES) - {"其他支出"}))


def is_two_sided(table: TitledTable) -> bool:
    """A 收支总表: revenue on the left, expenditure by category on the right."""
    name = norm(table.name or "")
    if name and _TWO_SIDED.search(name) and "总" in name:
        return True
    if table.name is None:
        return False
    header, _ = split_header(table)
    joined_text = "".join([r.joined_text for r in header])
    if "收" not in joined_text or "支" not in joined_text:
        return False  # removing white space only removes characters: no cell can read 收入 or 支出
    texts = {norm(t) for r in header for t in r.texts}
    return "收入" in texts and "支出" in texts


@lru_cache(maxsize=1 << 14)
def _category_label(text: str) -> str | None:
    """``十、卫生健康支出`` / ``210 卫生健康支出`` → ``卫生健康支出``; None for other cells."""
    name, ordinal = strip_ordinal(joined(text))
    if ordinal:
        return name
    coded = split_code(text)
    if coded and coded[1] and len(coded[0]) == 3 and coded[0].startswith("2"):
        return coded[1]
    return None


def _expenditure_column(rows: list[Row]) -> int | None:
    counts: dict[int, int] = {}
    for row in rows:
        for j, cell in enumerate(row.cells):
            name = _category_label(cell.text)
            if name and name.endswith("支出"):
                counts[j] = counts.get(j, 0) + 1
    return max(counts, key=lambda j: (counts[j], j)) if counts else None


def _value_column(body: list[Row], label_column: int) -> int:
    """The first column right of the expenditure labels that holds amounts in some row."""
    with_amounts = {j for row in body for j, c in enumerate(row.cells) if j > label_column and amount(c) is not None}
    return min(with_amounts, default=label_column + 1)


def _label_position(row: Row, column: int) -> int | None:
    """Where the row's expenditure label is: in the expenditure column, or (a row that lost its
    empty revenue cells) the only cell naming a ``…支出`` category."""
    if cell_at(row, column) is not None and _category_label(row.cells[column].text):
        return column
    found = [j for j, c in enumerate(row.cells) if (_category_label(c.text) or "").endswith("支出")]
    return found[0] if len(found) == 1 else None


def category_lines(table: TitledTable, ends_document: bool = False) -> tuple[list[CategoryLine], list[ExtractionIssue]]:
    """Expenditure rows of a 收支总表, named by category with the ordinal removed.

    A label without an amount cell is taken as cut short only on the document's last row (a PDF
    export may drop trailing empty cells anywhere else).
    """
    _, body = split_header(table)
    column = _expenditure_column(body)
    title = table.name
    if column is None or title is None:
        return [], []
    offset = _value_column(body, column) - column
    lines: list[CategoryLine] = []
    issues: list[ExtractionIssue] = []
    previous_was_line = False
    for index, row in enumerate(body):
        filled = filled_cells(row)
        if previous_was_line and len(filled) == 1 and filled[0][0] == column:
            cell = filled[0][1]
            if _category_label(cell.text) is None and amount(cell) is None:
                last = lines[-1]  # the category name was wrapped onto this row
                lines[-1] = replace(last, name=last.name + joined(cell.text),
                                    source=last.source.merge(Source(cell.lines)))
                continue
        previous_was_line = False
        at = _label_position(row, column)
        if at is None:
            continue
        label = row.cells[at]
        name = _category_label(label.text) or ""
        if _NOT_A_CATEGORY.search(name) or norm(name) in _NOT_A_FUNCTION_CLASS:
            continue
        value_cell = cell_at(row, at + offset)
        if value_cell is None and ends_document and index == len(body) - 1:
            issues.append(ExtractionIssue(
                "truncated-row",
                f"{title}: the row of {name} has no amount cell; expected its 预算数",
                line=label.line,
            ))
            continue
        value = amount(value_cell)
        if value is None or value_cell is None:
            continue
        lines.append(CategoryLine(title, name, value, "expenditure",
                                  Source.of(*label.lines, *value_cell.lines), table.unit))
        previous_was_line = True
    return lines, issues


def labelled_amount(table: TitledTable, predicate) -> tuple[Decimal, Source] | None:  # type: ignore[no-untyped-def]
    """The amount right of the first cell whose label satisfies ``predicate``."""
    return labelled_amounts(table, [predicate])[0]


def labelled_amounts(table: TitledTable, predicates) -> list[tuple[Decimal, Source] | None]:  # type: ignore[no-untyped-def]
    """:func:`labelled_amount` of each predicate, from one pass over the table's cells (the totals
    of a 收支总表 are read by five predicates)."""
    found: list[tuple[Decimal, Source] | None] = [None] * len(predicates)
    pending = list(range(len(predicates)))
    for row in table.rows:
        for j, cell in enumerate(row.cells):
            label = _amount_label(cell.text)
            if not label:
                continue
            for k in [k for k in pending if predicates[k](label)]:
                pending.remove(k)  # the first cell with this label decides, with or without an amount
                value_cell = _nextfilled_cells(row, j)
                value = amount(value_cell)
                if value is not None and value_cell is not None:
                    found[k] = value, Source.of(*cell.lines, *value_cell.lines)
            if not pending:
                return found
    return found


@lru_cache(maxsize=1 << 14)
def _amount_label(text: str) -> str:
    """A cell's text as the label of the amount beside it: without white space or an ordinal."""
    return strip_ordinal(norm(joined(text)))[0]


def _nextfilled_cells(row: Row, j: int) -> Cell | None:
    """The first non-empty cell right of column ``j`` (layouts may leave empty columns between)."""
    return next((c for c in row.cells[j + 1:] if c.text.strip()), None)


def is_carryover(label: str) -> bool:
    """上年结转 / 上年结余结转 on the revenue side (not 结转下年 on the expenditure side)."""
    return ("上年结转" in label or "上年结余" in label) and "下年" not in label
