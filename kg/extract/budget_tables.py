"""Code-keyed budget tables: function, economic and category lines, totals, 三公, subunits.

Tables are recognised by their titles and header labels (收支总表, 功能分类科目, 经济分类科目, 三公,
单位名称), never by their position in a particular document; :mod:`tables_segments` finds them across
layouts and page breaks, :mod:`tables_columns` maps their columns, :mod:`tables_three_public` reads
三公 tables. A document without such tables may state its class amounts in sentences
(:mod:`tables_narrative`). Every fact keeps the line numbers of the cells it was read from. A row that
stops before its amounts (a truncated document) or an amount cell that prints no number gives no
value but an :class:`ExtractionIssue` naming the line and what was expected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from kg.extract.document import Document
from kg.extract.facts import (
    CategoryLine,
    DocumentFacts,
    EconomicLine,
    ExtractionIssue,
    FunctionLine,
    Source,
    TableTotal,
    Totals,
)
from kg.extract.layout import Cell, Row
from kg.extract.tables_columns import (
    CodeCarry,
    CodeColumns,
    amount,
    cell_at,
    code_columns,
    filled_cells,
    header_labels,
    is_total_label,
    joined,
    norm,
    read_code,
    split_code,
)
from kg.extract.tables_narrative import narrative_lines
from kg.extract.tables_segments import TitledTable, segment_tables, split_header
from kg.extract.tables_subunits import subunits
from kg.extract.tables_three_public import three_public
from kg.extract.tables_two_sided import category_lines, is_carryover, is_two_sided, labelled_amounts

_FUNCTION_HEADER = re.compile(r"功能分类|功能科目")
_ECONOMIC_HEADER = re.compile(r"经济分类|经济科目")
_CLASSIFICATION_HEADER = re.compile(r"科目|分类")


@dataclass(frozen=True)
class CodeRow:
    """A row of a code-keyed table read into roles (before it becomes a function/economic line)."""

    code: str
    name: str
    values: dict[str, Decimal | None]
    source: Source
    cell_sources: dict[str, Source] = field(default_factory=dict)
    """Per role: the label cell and the amount cell (kept for the 合计 row's totals)."""


@dataclass(frozen=True)
class CodeTable:
    """A code-keyed table: its kind (``function``/``economic``), rows and its 合计 row."""

    title: str
    kind: str
    rows: tuple[CodeRow, ...]
    total_row: CodeRow | None
    roles: frozenset[str]
    issues: tuple[ExtractionIssue, ...] = ()
    unit: str | None = None


def _kind(header_text: str, rows: list[CodeRow]) -> str | None:
    """``function`` or ``economic``: by the header's words, else by the codes' first digits."""
    if _ECONOMIC_HEADER.search(header_text):
        return "economic"
    if _FUNCTION_HEADER.search(header_text):
        return "function"
    firsts = [r.code[0] for r in rows]
    if firsts and all(c == "2" for c in firsts):
        return "function"
    if firsts and all(c in "35" for c in firsts):
        return "economic"
    return None


def _is_continuation(row: Row, columns: CodeColumns) -> str | None:
    """Text of a row that only continues the name cell of the row above (a wrapped cell)."""
    filled = filled_cells(row)
    if len(filled) != 1:
        return None
    j, cell = filled[0]
    if amount(cell) is not None or split_code(cell.text) or is_total_label(cell.text):
        return None
    name_column = columns.name if columns.name is not None else columns.code
    return joined(cell.text) if j in (name_column, columns.code) or len(row.cells) == 1 else None


def read_code_table(table: TitledTable) -> CodeTable | None:
    """A titled table as a code-keyed table, or None when it has no classification codes."""
    title = table.name
    if title is None:
        return None
    header, body = split_header(table)
    # checked before the columns are mapped: most titled tables (performance tables, 三公) have no
    # 科目; removing white space only removes characters, so text without 科 and 分 cannot match
    header_text = title + "".join([r.joined_text for r in header])
    if "科" not in header_text and "分" not in header_text:
        return None
    header_text = norm(header_text)
    if not _CLASSIFICATION_HEADER.search(header_text):
        return None  # no classification header, or codes that are no 科目 (单位编码, 项目编码, years)
    columns = code_columns(header, body, table.left_aligned)
    if columns is None:
        return None  # no codes
    roles = list(columns.roles.items())
    rows: list[CodeRow] = []
    total_row: CodeRow | None = None
    issues: list[ExtractionIssue] = []
    last_was_code = False
    carry = CodeCarry()
    for row in body:
        parsed = read_code(row, columns, carry)
        if parsed is None:
            extra = _is_continuation(row, columns) if last_was_code else None
            if extra:
                prev = rows[-1]
                rows[-1] = replace(prev, name=prev.name + extra, source=prev.source.merge(Source(row.lines)))
                continue
            last_was_code = False
            label_cells = row.cells[: (columns.name if columns.name is not None else columns.code) + 1]
            total_label = next((c for c in label_cells if is_total_label(c.text)), None)
            if total_row is None and total_label is not None:
                values = {role: amount(cell_at(row, j)) for role, j in columns.roles.items()}
                cells = {role: cell_at(row, j) for role, j in columns.roles.items()}
                total_row = CodeRow("", "合计", values, Source(row.lines), {
                    role: Source.of(*total_label.lines, *cell.lines) for role, cell in cells.items() if cell})
            continue
        code, inline_name = parsed
        row_cells = row.cells
        width = len(row_cells)
        name_cell = cell_at(row, columns.name)
        name = inline_name if inline_name is not None else joined(name_cell.text) if name_cell else ""
        role_cells = {role: row_cells[j] if j < width else None for role, j in roles}
        values = {role: amount(cell) for role, cell in role_cells.items()}
        empty = not values or None in values.values()  # some role (or every role) without an amount
        if empty:  # a cell without an amount may print something else
            issues += _unreadable(title, code, name, list(role_cells.values()))
        used = [c for c in (cell_at(row, columns.code), name_cell, *role_cells.values()) if c is not None and c.text]
        missing = [role for role, j in roles if j >= width] if empty else []
        # a PDF export may drop a row's trailing empty cells: only a row left without any amount
        # is taken as cut short
        if missing and all(v is None for v in values.values()):
            labels = header_labels(header, columns.width, table.left_aligned)
            expected = "、".join(labels.lowest(columns.roles[r]) or r for r in missing)
            issues.append(ExtractionIssue(
                "truncated-row",
                f"{title}: the row of {code} {name} stops after {len(row.cells)} cells; "
                f"expected the {expected} column(s) of {columns.width}",
                line=row.line,
            ))
        if empty and all(v is None for v in values.values()):
            last_was_code = False
            continue
        rows.append(CodeRow(code, name, values, Source.of(*(n for c in used for n in c.lines))))
        last_was_code = True
    kind = _kind(header_text, rows)
    if kind is None:
        return None
    return CodeTable(title, kind, tuple(rows), total_row, frozenset(columns.roles), tuple(issues),
                     table.unit)


_NO_AMOUNT = re.compile(r"^[-－—–\s/]*$")


def _unreadable(title: str, code: str, name: str, cells: list[Cell | None]) -> list[ExtractionIssue]:
    """Amount cells whose text is no number (a damaged or mis-converted cell): named, not guessed."""
    return [
        ExtractionIssue(
            "unreadable-amount",
            f"{title}: the row of {code} {name} prints {joined(c.text)!r} where an amount was expected",
            line=c.line,
        )
        for c in cells
        if c is not None and amount(c) is None and not _NO_AMOUNT.match(joined(c.text))
    ]


def _function_lines(tables: list[CodeTable]) -> list[FunctionLine]:
    return [
        FunctionLine(t.title, r.code, r.name, r.values.get("total"), r.values.get("basic"),
                     r.values.get("project"), r.source, t.unit)
        for t in tables if t.kind == "function" for r in t.rows
    ]


def _table_totals(tables: list[CodeTable]) -> list[TableTotal]:
    """The printed 合计 row of each code table (validation compares it with the table's 类 rows)."""
    return [
        TableTotal(t.title, t.kind, *(t.total_row.values.get(k) for k in (
            "total", "basic", "project", "personnel", "public")), t.total_row.source, t.unit)
        for t in tables if t.total_row is not None
    ]


def _economic_lines(tables: list[CodeTable]) -> list[EconomicLine]:
    return [
        EconomicLine(t.title, r.code, r.name, r.values.get("total"), r.values.get("personnel"),
                     r.values.get("public"), r.source, t.unit)
        for t in tables if t.kind == "economic" for r in t.rows
    ]


# --- headline totals -----------------------------------------------------------------------------

_FUNDING_SPECIFIC = re.compile(r"财政拨款|一般公共预算|政府性基金|国有资本|专户")


def _department_wide_first(table: CodeTable) -> int:
    """Department-wide tables (支出总表, 基本支出表) before those of one funding source."""
    return 1 if _FUNDING_SPECIFIC.search(norm(table.title)) else 0


def _totals(two_sided: list[TitledTable], code_tables: list[CodeTable]) -> Totals:
    """Headline totals printed in tables: the 收支总表's 本年 totals and 上年结转, and the 合计 rows
    of the code tables for basic/project and personnel/public."""
    values: dict[str, Decimal] = {}
    sources: dict[str, Source] = {}

    def put(key: str, found: tuple[Decimal, Source] | None) -> None:
        if found is not None and key not in values:
            values[key], sources[key] = found

    department_wide = [t for t in two_sided if "财政拨款" not in norm(t.name or "")]
    for table in department_wide[:1]:
        keys = ("revenue_total", "expenditure_total", "revenue_total", "expenditure_total", "carryover")
        labelled = labelled_amounts(table, [
            lambda s: s == "本年收入合计",
            lambda s: s == "本年支出合计",
            lambda s: s in ("收入合计", "收入总计"),
            lambda s: s in ("支出合计", "支出总计"),
            is_carryover,
        ])
        for key, found in zip(keys, labelled):
            put(key, found)
    # basic/project mostly come from function tables, personnel/public from economic ones; a
    # template may print either split in the other kind of table
    for pair, keys, preferred in ((("basic", "project"), ("basic", "project"), "function"),
                                  (("personnel", "public"), ("personnel", "public_operating"), "economic")):
        ordered = sorted(code_tables, key=lambda t: (t.kind != preferred, _department_wide_first(t)))
        for table in ordered:
            row = table.total_row
            if row is None or not set(pair) <= table.roles or keys[0] in values:
                continue
            for role, key in zip(pair, keys):
                value = row.values.get(role)
                if value is not None:
                    put(key, (value, row.cell_sources.get(role, row.source)))
    return Totals(**values, sources=sources)


# --- the interpreter ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetTables:
    """Everything this module reads from one document's tables, before it becomes facts."""

    segments: tuple[TitledTable, ...]
    code_tables: tuple[CodeTable, ...]
    categories: tuple[CategoryLine, ...]
    issues: tuple[ExtractionIssue, ...] = ()


def read_budget_tables(doc: Document) -> BudgetTables:
    """The document's titled tables read as code tables and 收支总表 category lines, with issues."""
    segments = segment_tables(doc)
    code_tables = [t for t in (read_code_table(s) for s in segments) if t is not None]
    categories: list[CategoryLine] = []
    issues: list[ExtractionIssue] = [i for t in code_tables for i in t.issues]
    for segment in segments:
        if is_two_sided(segment):
            found, problems = category_lines(segment, ends_document=segment is segments[-1])
            categories += found
            issues += problems
    issues += _cut_after_header(doc, segments)
    return BudgetTables(segments, tuple(code_tables), tuple(categories), tuple(issues))


def _cut_after_header(doc: Document, segments: tuple[TitledTable, ...]) -> list[ExtractionIssue]:
    """A document that ends inside a table's header: the rows that should follow are missing."""
    if not segments:
        return []
    last = segments[-1]
    header, body = split_header(last)
    if last.title is None or body or not header:
        return []
    last_text = max((line.number for line in doc.lines if line.text.strip()), default=0)
    if (last.last_line or 0) < last_text:
        return []
    return [ExtractionIssue(
        "truncated-table",
        f"{last.title} (line {last.title_line}) ends with the document after its header; "
        "expected its rows (科目编码, 科目名称 and amounts, or a 合计 row)",
        line=last.last_line,
    )]


def extract_budget_tables(doc: Document) -> DocumentFacts:
    """Facts of the document's code-keyed budget tables (a partial :class:`DocumentFacts`)."""
    read = read_budget_tables(doc)
    code_tables = list(read.code_tables)
    two_sided = [s for s in read.segments if is_two_sided(s)]
    categories, economic = list(read.categories), _economic_lines(code_tables)
    if not categories or not economic:
        stated_categories, stated_economic = narrative_lines(doc)
        categories = categories or stated_categories
        economic = economic or stated_economic
    return DocumentFacts(
        document=doc.name,
        subunits=tuple(subunits(list(read.segments))),
        totals=_totals(two_sided, code_tables),
        function_lines=tuple(_function_lines(code_tables)),
        category_lines=tuple(categories),
        economic_lines=tuple(economic),
        three_public=three_public(list(read.segments)),
        issues=read.issues,
        table_totals=tuple(_table_totals(code_tables)),
    )
