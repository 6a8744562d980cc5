"""三公经费 tables: the total, its three items and the two parts of the car item.

Templates print them two ways: one row per item (``1、因公出国（境）费 | 0.00``), or one column per
item under a two-level header (``合计 | 因公出国（境）费 | 公务用车购置及运行费 (小计 | 购置费 | 运行费) |
公务接待费``) with a row of amounts, sometimes one row for last year and one for this year. Either
way a blank cell states nothing (None) and a printed ``0.00`` is zero.
"""

from __future__ import annotations

import re
from decimal import Decimal

from kg.extract.facts import Source, ThreePublic
from kg.extract.layout import Row
from kg.extract.tables_columns import (
    amount,
    cell_at,
    header_labels,
    is_column_number,
    is_index_row,
    joined,
    norm,
    strip_ordinal,
    this_year_columns,
)
from kg.extract.tables_segments import TitledTable, split_header

ITEMS = (
    ("abroad", re.compile(r"^因公出国[（(]境[)）](?:经)?费(?:用)?$")),
    ("reception", re.compile(r"^公务接待(?:经)?费(?:用)?$")),
    ("car_total", re.compile(r"^公务用车购置及运(?:行|维|行维护|营)?(?:经)?费(?:用)?$")),
    ("car_purchase", re.compile(r"^(?:公务用车)?购置(?:经)?费(?:用)?$")),
    ("car_operation", re.compile(r"^(?:公务用车)?运(?:行|维|行维护)(?:经)?费(?:用)?$")),
)
_SUBTOTAL = re.compile(r"合计|小计|总计")
_NOT_THIS_YEAR_ROW = re.compile(r"上年|增减|比上年|增长|变动|差额|同比")

Found = tuple[Decimal | None, Source]


def item_label(text: str) -> str:
    """``其中：公务用车运行维护费`` / ``3、公务用车购置及运行费`` / ``“三公”经费合计`` as a bare label."""
    s = norm(joined(text))
    s = re.sub(r"^其中[:：]", "", s)
    s, _ = strip_ordinal(s)
    s = re.sub(r"^\d{1,2}[、.．]", "", s)
    return s.replace("“", "").replace("”", "").replace('"', "")


def _item_key(label: str, parent: str = "") -> str | None:
    if "三公" in label and _SUBTOTAL.search(label):
        return "subtotal"
    if label in ("合计", "总计"):
        return "car_total" if "公务用车" in parent else "total"
    if label == "小计" and "公务用车" in parent:
        return "car_total"
    car_part = label.startswith(("购置", "运行", "运维"))
    if car_part and "公务用车" not in parent:
        return None
    for key, pattern in ITEMS:
        if pattern.match(label):
            return key
    return None


def _by_rows(table: TitledTable) -> dict[str, Found]:
    """One row per item: the label's first this-year amount column to its right."""
    header, body = split_header(table)
    found: dict[str, Found] = {}
    for row in body:
        labels = header_labels(header, len(row.cells), table.left_aligned)
        columns = set(this_year_columns(labels, list(range(len(row.cells)))))
        for j, cell in enumerate(row.cells):
            label = item_label(cell.text)
            if not label or amount(cell) is not None or is_column_number(label):
                continue
            key = _item_key(label)
            if key is not None and key not in found:
                value_column = next((k for k in range(j + 1, len(row.cells)) if k in columns), j + 1)
                value_cell = cell_at(row, value_column)
                found[key] = (amount(value_cell), Source.of(*cell.lines, *(value_cell.lines if value_cell else ())))
            break  # one label per row: its first text cell
    return found


def _filled_parents(header: list[Row], width: int, left_aligned: bool) -> list[str]:
    """Per column, the labels of the header rows above the lowest, spans filled in from the left."""
    parents = [""] * width
    rows = [r for r in header if not is_index_row(r)
            and (len(r.cells) == width or (left_aligned and len(r.cells) < width))]
    for row in rows[:-1]:
        carried = ""
        for j in range(width):
            text = item_label(row.cells[j].text) if j < len(row.cells) else ""
            carried = text or carried
            parents[j] += carried
    return parents


def _by_columns(table: TitledTable) -> dict[str, Found]:
    """One column per item under a (two-level) header, amounts in this year's row."""
    header, body = split_header(table)
    rows = [r for r in body if any(amount(c) is not None for c in r.cells)]
    if not header or not rows:
        return {}
    chosen = _this_year_row(rows)
    width = max(len(r.cells) for r in (chosen, *header))  # trailing empty cells may be dropped
    labels = header_labels(header, width, table.left_aligned)
    parents = _filled_parents(header, width, table.left_aligned)
    found: dict[str, Found] = {}
    for j in range(width):
        key = _item_key(item_label(labels.lowest(j)), parents[j])
        cell = cell_at(chosen, j)
        if key is not None and key not in found:
            found[key] = (amount(cell), Source.of(*cell.lines) if cell else Source())
    return found


def _this_year_row(rows: list[Row]) -> Row:
    def label(row: Row) -> str:
        return "".join(c.text for c in row.cells if c.text and amount(c) is None)

    current = [r for r in rows if not _NOT_THIS_YEAR_ROW.search(label(r))]
    years = {id(r): [int(y) for y in re.findall(r"((?:19|20)\d\d)", label(r))] for r in current}
    latest = max((y for ys in years.values() for y in ys), default=None)
    if latest is not None:
        current = [r for r in current if latest in years[id(r)]] or current
    return (current or rows)[0]


def three_public(tables: list[TitledTable]) -> ThreePublic:
    """三公经费 from the first table whose title names 三公."""
    for table in tables:
        if "三公" not in norm(table.name or ""):
            continue
        found = _by_rows(table)
        if len(found) < 2:
            found = _by_columns(table) or found
        subtotal = found.pop("subtotal", None)
        if subtotal is not None and subtotal[0] is not None:
            found["total"] = subtotal
        values = {k: v for k, (v, _) in found.items() if v is not None}
        sources = {k: s for k, (v, s) in found.items() if v is not None}
        return ThreePublic(**values, sources=sources)
    return ThreePublic()
