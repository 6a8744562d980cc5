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
    Subunit,
    Totals,
)
from kg.extract.layout import Cell, Row
from kg.extract.tables_columns import (
    CodeCarry,
    CodeColumns,
    amount,
    code_columns,
    header_labels,
    is_total_label,
    joined,
    norm,
    read_code,
    split_code,
    strip_ordinal,
)
from kg.extract.tables_narrative import ECONOMIC_CLASSES, narrative_lines
from kg.extract.tables_segments import TitledTable, segment_tables, split_header
from kg.extract.tables_three_public import three_public

_FUNCTION_HEADER = re.compile(r"功能分类|功能科目")
_ECONOMIC_HEADER = re.compile(r"经济分类|经济科目")
_NOT_A_CATEGORY = re.compile(r"合计|总计|结转|结余|^本年|^上年")
_TWO_SIDED = re.compile(r"收支|收入支出")
# expenditure rows of a 收支总表 that are kinds of spending or economic classes, not function classes
_NOT_A_FUNCTION_CLASS = frozenset({
    "基本支出", "项目支出", "人员经费", "公用经费", "日常公用经费", "人员支出", "公用支出",
    "事业单位经营支出", "经营支出", "上缴上级支出", "对附属单位补助支出", "对下级补助支出",
} | (set(ECONOMIC_CLASSES) - {"其他支出"}))
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


def _cell(row: Row, j: int | None) -> Cell | None:
    return row.cells[j] if j is not None and 0 <= j < len(row.cells) else None


def _filled(row: Row) -> list[tuple[int, Cell]]:
    return [(j, c) for j, c in enumerate(row.cells) if c.text.strip()]


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
    filled = _filled(row)
    if len(filled) != 1:
        return None
    j, cell = filled[0]
    if amount(cell) is not None or split_code(cell.text) or is_total_label(cell.text):
        return None
    name_column = columns.name if columns.name is not None else columns.code
    return joined(cell.text) if j in (name_column, columns.code) or len(row.cells) == 1 else None


def read_code_table(table: TitledTable) -> CodeTable | None:
    """A titled table as a code-keyed table, or None when it has no classification codes."""
    header, body = split_header(table)
    columns = code_columns(header, body, table.left_aligned)
    title = table.name
    header_text = norm(title or "") + "".join(norm(t) for r in header for t in r.texts)
    if columns is None or title is None or not _CLASSIFICATION_HEADER.search(header_text):
        return None  # no codes, or codes that are no 科目 (单位编码, 项目编码, years)
    labels = header_labels(header, columns.width, table.left_aligned)
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
                values = {role: amount(_cell(row, j)) for role, j in columns.roles.items()}
                cells = {role: _cell(row, j) for role, j in columns.roles.items()}
                total_row = CodeRow("", "合计", values, Source(row.lines), {
                    role: Source.of(*total_label.lines, *cell.lines) for role, cell in cells.items() if cell})
            continue
        code, inline_name = parsed
        name_cell = _cell(row, columns.name)
        name = inline_name if inline_name is not None else joined(name_cell.text) if name_cell else ""
        values = {role: amount(_cell(row, j)) for role, j in columns.roles.items()}
        issues += _unreadable(title, code, name, [_cell(row, j) for j in columns.roles.values()])
        used = [c for c in (_cell(row, columns.code), name_cell, *(_cell(row, j) for j in columns.roles.values()))
                if c is not None and c.text.strip()]
        missing = [role for role, j in columns.roles.items() if j >= len(row.cells)]
        # a PDF export may drop a row's trailing empty cells: only a row left without any amount
        # is taken as cut short
        if missing and all(v is None for v in values.values()):
            expected = "、".join(labels.lowest(columns.roles[r]) or r for r in missing)
            issues.append(ExtractionIssue(
                "truncated-row",
                f"{title}: the row of {code} {name} stops after {len(row.cells)} cells; "
                f"expected the {expected} column(s) of {columns.width}",
                line=row.line,
            ))
        if all(v is None for v in values.values()):
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


def _economic_lines(tables: list[CodeTable]) -> list[EconomicLine]:
    return [
        EconomicLine(t.title, r.code, r.name, r.values.get("total"), r.values.get("personnel"),
                     r.values.get("public"), r.source, t.unit)
        for t in tables if t.kind == "economic" for r in t.rows
    ]


# --- 收支总表: category lines and headline totals ----------------------------------------------


def is_two_sided(table: TitledTable) -> bool:
    """A 收支总表: revenue on the left, expenditure by category on the right."""
    name = norm(table.name or "")
    if name and _TWO_SIDED.search(name) and "总" in name:
        return True
    header, _ = split_header(table)
    texts = {norm(t) for r in header for t in r.texts}
    return table.name is not None and "收入" in texts and "支出" in texts


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
    if _cell(row, column) is not None and _category_label(row.cells[column].text):
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
        filled = _filled(row)
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
        value_cell = _cell(row, at + offset)
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


def _labelled_amount(table: TitledTable, predicate) -> tuple[Decimal, Source] | None:  # type: ignore[no-untyped-def]
    """The amount right of the first cell whose label satisfies ``predicate``."""
    for row in table.rows:
        for j, cell in enumerate(row.cells):
            label, _ = strip_ordinal(norm(joined(cell.text)))
            if label and predicate(label):
                value_cell = _next_filled(row, j)
                value = amount(value_cell)
                if value is None or value_cell is None:
                    return None
                return value, Source.of(*cell.lines, *value_cell.lines)
    return None


def _next_filled(row: Row, j: int) -> Cell | None:
    """The first non-empty cell right of column ``j`` (layouts may leave empty columns between)."""
    return next((c for c in row.cells[j + 1:] if c.text.strip()), None)


def _is_carryover(label: str) -> bool:
    return ("上年结转" in label or "上年结余" in label) and "下年" not in label


_FUNDING_SPECIFIC = re.compile(r"财政拨款|一般公共预算|政府性基金|国有资本|专户")


def _department_wide_first(table: CodeTable) -> int:
    """Department-wide tables (支出总表, 基本支出表) before those of one funding source."""
    return 1 if _FUNDING_SPECIFIC.search(norm(table.title)) else 0


def _totals(two_sided: list[TitledTable], code_tables: list[CodeTable]) -> Totals:
    values: dict[str, Decimal] = {}
    sources: dict[str, Source] = {}

    def put(key: str, found: tuple[Decimal, Source] | None) -> None:
        if found is not None and key not in values:
            values[key], sources[key] = found

    department_wide = [t for t in two_sided if "财政拨款" not in norm(t.name or "")]
    for table in department_wide[:1]:
        put("revenue_total", _labelled_amount(table, lambda s: s == "本年收入合计"))
        put("expenditure_total", _labelled_amount(table, lambda s: s == "本年支出合计"))
        put("revenue_total", _labelled_amount(table, lambda s: s in ("收入合计", "收入总计")))
        put("expenditure_total", _labelled_amount(table, lambda s: s in ("支出合计", "支出总计")))
        put("carryover", _labelled_amount(table, _is_carryover))
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


# --- 机构设置 / 单位编码 ------------------------------------------------------------------------

_SUBUNIT_FIELDS = (
    ("name", re.compile(r"^单位名称$")),
    ("code", re.compile(r"^单位(?:编码|代码)$")),
    ("nature", re.compile(r"^单位性质$")),
    ("grade", re.compile(r"^(?:单位)?(?:规格|级别)$")),
    ("funding", re.compile(r"^经费(?:保障)?(?:形式|来源)$")),
)


def subunits(tables: list[TitledTable]) -> list[Subunit]:
    """Units inside the department from tables headed 单位名称 (with 单位编码, 单位性质 …)."""
    found: list[Subunit] = []
    seen: set[tuple[str, str | None]] = set()
    for table in tables:
        columns: dict[str, int] | None = None
        for row in table.rows:
            labels = [norm(c.text) for c in row.cells]
            if "单位名称" in labels:
                found_columns = {}
                for key, pattern in _SUBUNIT_FIELDS:
                    for j, label in enumerate(labels):
                        if pattern.match(label):
                            found_columns[key] = j
                            break
                # a header names 单位名称 and another field; a lone 单位名称 is a key-value row
                columns = found_columns if len(found_columns) >= 2 else None
                continue
            if columns is None:
                continue
            name_cell = _cell(row, columns["name"])
            name = joined(name_cell.text) if name_cell else ""
            if not name or is_total_label(name) or amount(name_cell) is not None:
                continue
            fields = {k: (joined(_cell(row, j).text) or None) if _cell(row, j) else None
                      for k, j in columns.items() if k != "name"}
            key = (name, fields.get("code"))
            if key in seen:
                continue
            seen.add(key)
            found.append(Subunit(name, fields.get("code"), fields.get("nature"), fields.get("grade"),
                                 fields.get("funding"), Source(row.lines)))
    return found


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
    last_text = max((line.number for line in doc.lines if line.text.strip()), default=0)
    if last.title is None or body or not header or (last.last_line or 0) < last_text:
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
    )
