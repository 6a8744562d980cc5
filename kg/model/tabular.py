"""``budget_lines.csv`` and its Frictionless ``datapackage.json``: the budget lines for spreadsheets.

One row per budget line (one table cell), the same facts as the graph's ``bud:BudgetLine``s, sorted
by the line's IRI. Amounts are written exactly as printed; ``amount_cny`` is normalised to CNY.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from kg.model.iris import Iris
from kg.model.serialize import SubjectGroups, subject_objects
from kg.model.terms import BUD, QB, RDF_TYPE, Lit, Quad

FIELDS: tuple[tuple[str, str, str], ...] = (
    ("line", "string", "IRI of the budget line (bud:BudgetLine)"),
    ("kind", "string", "function, economic or category"),
    ("document", "string", "IRI of the source document (also its named graph)"),
    ("budget", "string", "IRI of the budget (bureau and year)"),
    ("year", "integer", "budget year"),
    ("table", "string", "table title as printed"),
    ("code", "string", "function or economic classification code (for code-less rows: matched by name)"),
    ("name", "string", "name printed in the row"),
    ("column", "string", "total, basic, project, personnel, public or amount"),
    ("side", "string", "revenue or expenditure (category rows)"),
    ("amount", "number", "amount exactly as printed, in unit"),
    ("unit", "string", "unit of amount (万元 or 元)"),
    ("amount_cny", "number", "amount normalised to CNY"),
    ("source_lines", "string", "1-based line numbers of the source text, space-separated"),
)

_KINDS = {BUD + "FunctionLine": "function", BUD + "EconomicLine": "economic", BUD + "CategoryLine": "category"}
_UNITS = {BUD + "WanYuan": "万元", BUD + "Yuan": "元"}


_COLUMNS = {"TotalColumn": "total", "BasicColumn": "basic", "ProjectColumn": "project",
            "PersonnelColumn": "personnel", "PublicColumn": "public", "AmountColumn": "amount"}
_TABLE_TITLE = BUD + "tableTitle"
_SOURCE_LINE = BUD + "sourceLine"
#: Predicate → (row field, value → field text).
_READERS: dict[str, tuple[str, Any]] = {
    QB + "dataSet": ("budget", None),
    BUD + "budgetYear": ("year", None),
    BUD + "table": ("table", None),
    BUD + "functionCode": ("code", lambda v: v.rsplit("/", 1)[-1]),
    BUD + "economicCode": ("code", lambda v: v.rsplit("/", 1)[-1]),
    BUD + "printedName": ("name", None),
    BUD + "column": ("column", lambda v: _COLUMNS.get(v[len(BUD):], v)),
    BUD + "side": ("side", lambda v: "revenue" if v == BUD + "Revenue" else "expenditure"),
    BUD + "amount": ("amount", None),
    BUD + "unitOfMeasure": ("unit", lambda v: _UNITS.get(v, v)),
    BUD + "amountCNY": ("amount_cny", None),
}

LineParts = tuple[dict[str, dict[str, Any]], dict[str, str]]
"""Budget lines by IRI (fields so far, ``lines``: source line numbers) and table titles by IRI."""


def line_parts(quads: Iterable[Quad]) -> LineParts:
    """What one named graph says about budget lines and table titles (see :func:`rows_of`)."""
    quads = quads if isinstance(quads, Sequence) else list(quads)
    lines: dict[str, dict[str, Any]] = {}
    tables: dict[str, str] = {}
    for s, p, o, g in quads:
        if p == RDF_TYPE:
            kind = _KINDS.get(o) if isinstance(o, str) else None
            if kind:
                row = lines.setdefault(s, {})
                row["kind"] = kind
                row["document"] = g
        elif p == _TABLE_TITLE and isinstance(o, Lit):
            tables[s] = o.lexical
    if not lines:
        return lines, tables
    readers = _READERS
    for s, p, o, _ in quads:
        row = lines.get(s)
        if row is None:
            continue
        value = o.lexical if isinstance(o, Lit) else o
        reader = readers.get(p)
        if reader is not None:
            field, convert = reader
            row[field] = convert(value) if convert else value
        elif p == _SOURCE_LINE:
            row.setdefault("lines", []).append(int(value))
    return lines, tables


def group_line_parts(graph: str, quads: Sequence[Quad], groups: SubjectGroups,
                     typed: Sequence[tuple[Any, Any]] | None = None) -> LineParts:
    """:func:`line_parts` of one graph's quads in canonical order and their
    :func:`~kg.model.serialize.subject_groups` (the same result, reading only the subjects that are
    budget lines); ``typed``: the subject and object of each ``rdf:type`` quad, if known."""
    lines: dict[str, dict[str, Any]] = {}
    tables: dict[str, str] = {}
    for s, o in subject_objects(quads, RDF_TYPE) if typed is None else typed:
        kind = _KINDS.get(o) if isinstance(o, str) else None
        if kind:
            row = lines.setdefault(s, {})
            row["kind"] = kind
            row["document"] = graph
    for s, o in subject_objects(quads, _TABLE_TITLE):
        if isinstance(o, Lit):
            tables[s] = o.lexical
    if not lines:
        return lines, tables
    readers = _READERS
    get_row = lines.get
    for s, predicates in groups:
        row = get_row(s)  # type: ignore[arg-type]
        if row is None:
            continue
        for p, objects in predicates:
            reader = readers.get(p)
            if reader is not None:
                field, convert = reader
                last = objects[-1]
                value = last.lexical if isinstance(last, Lit) else last
                row[field] = convert(value) if convert else value
            elif p == _SOURCE_LINE:
                row.setdefault("lines", []).extend(int(o.lexical if isinstance(o, Lit) else o) for o in objects)
    return lines, tables


def merge_line_parts(into: LineParts, part: LineParts) -> None:
    """Add the line parts of the next graph (in canonical graph order): later values win, source
    lines add up, as when reading all quads at once."""
    lines, tables = into
    for iri, row in part[0].items():
        known = lines.get(iri)
        if known is None:
            lines[iri] = {k: (list(v) if k == "lines" else v) for k, v in row.items()}
            continue
        for key, value in row.items():
            if key == "lines":
                known.setdefault("lines", []).extend(value)
            else:
                known[key] = value
    tables.update(part[1])


_NAMES = tuple(name for name, _, _ in FIELDS)


def _row(iri: str, row: dict[str, Any], tables: dict[str, str]) -> list[str]:
    """The CSV values of one budget line (``row`` as :func:`line_parts` gathers it)."""
    values = [str(row.get(name, "")) for name in _NAMES]
    values[_LINE] = iri
    values[_TABLE] = tables.get(row.get("table", ""), "")
    values[_SOURCE_LINES] = " ".join(map(str, sorted(row.get("lines", []))))
    return values


_LINE, _TABLE, _SOURCE_LINES = _NAMES.index("line"), _NAMES.index("table"), _NAMES.index("source_lines")


def rows_of(parts: LineParts) -> list[list[str]]:
    """One row (the values of :data:`FIELDS`) per budget line, sorted by the line's IRI."""
    lines, tables = parts
    return [_row(iri, lines[iri], tables) for iri in sorted(lines)]


class _Lines(list):  # type: ignore[type-arg]
    """A ``csv.writer`` target keeping each row's text apart (the writer writes a row at a time)."""

    write = list.append


class LinesTable:
    """``budget_lines.csv`` gathered graph by graph, in graph order, each graph's rows made as it
    comes (a build's parent does this while it waits for the documents, not after the last one).

    The rows of a graph are final when no other graph speaks of its lines or of the table titles
    they name, as in every build (a budget line lives in its document's graph); :meth:`csv` checks
    that and otherwise merges the graphs' parts as :func:`merge_line_parts` and :func:`rows_of` do."""

    def __init__(self) -> None:
        self.parts: list[LineParts] = []
        self.rows: list[tuple[str, str]] = []
        """(line IRI, CSV text) of every graph's rows, with the graph's own table titles."""
        self.titles: set[tuple[str, str]] = set()
        """(table IRI, title) the rows used."""

    def add(self, parts: LineParts) -> None:
        self.parts.append(parts)
        lines, tables = parts
        if not lines:
            return
        values = [_row(iri, lines[iri], tables) for iri in lines]
        target = _Lines()
        csv.writer(target, lineterminator="\n").writerows(values)
        self.rows.extend(zip(lines, target, strict=True))
        self.titles.update((row.get("table", ""), value[_TABLE]) for row, value in zip(lines.values(), values,
                                                                                     strict=True))

    def _final(self) -> bool:
        """Whether each graph's rows are what merging all graphs would give."""
        lines = set().union(*(part[0] for part in self.parts))
        if len(lines) != sum(len(part[0]) for part in self.parts):
            return False  # a line in two graphs: its fields merge
        tables: dict[str, str] = {}
        for part in self.parts:
            tables.update(part[1])
        return all(tables.get(iri, "") == title for iri, title in self.titles)

    def csv(self) -> tuple[str, int]:
        """``budget_lines.csv`` and its number of rows."""
        if self._final():
            self.rows.sort()
            return lines_csv([]) + "".join(text for _, text in self.rows), len(self.rows)
        merged: LineParts = ({}, {})
        for part in self.parts:
            merge_line_parts(merged, part)
        rows = rows_of(merged)
        return lines_csv(rows), len(rows)


def line_rows(quads: Iterable[Quad]) -> list[dict[str, str]]:
    """One dict per budget line, read back from the quads (so CSV and graph cannot disagree)."""
    return [dict(zip(_NAMES, row, strict=True)) for row in rows_of(line_parts(quads))]


def lines_csv(rows: Sequence[dict[str, str]] | Sequence[Sequence[str]]) -> str:
    """``budget_lines.csv``: a header, then the rows (dicts by field name, or values in field order)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(_NAMES)
    writer.writerows([[row.get(name, "") for name in _NAMES] if isinstance(row, dict) else row for row in rows])
    return buffer.getvalue()


def datapackage(iris: Iris, row_count: int) -> dict[str, Any]:
    """A Frictionless Tabular Data Package descriptor for ``budget_lines.csv``."""
    return {
        "profile": "tabular-data-package",
        "name": "budget-kg-budget-lines",
        "title": "budget-kg: budget lines of Chinese department budget disclosures",
        "homepage": iris.base,
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                      "title": "Creative Commons Attribution 4.0"}],
        "sources": [{"title": "RDF dumps of the same facts", "path": "dataset.nq"}],
        "resources": [{
            "profile": "tabular-data-resource",
            "name": "budget-lines",
            "path": "budget_lines.csv",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "dialect": {"delimiter": ",", "lineTerminator": "\n", "header": True},
            "schema": {
                "fields": [
                    {"name": name, "type": kind, "description": text,
                     **({"bareNumber": True, "decimalChar": "."} if kind == "number" else {})}
                    for name, kind, text in FIELDS
                ],
                "primaryKey": ["line"],
                "missingValues": [""],
            },
            "stats": {"rows": row_count},
        }],
    }
