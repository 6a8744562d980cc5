"""``budget_lines.csv`` and its Frictionless ``datapackage.json``: the budget lines for spreadsheets.

One row per budget line (one table cell), the same facts as the graph's ``bud:BudgetLine``s, sorted
by the line's IRI. Amounts are written exactly as printed; ``amount_cny`` is normalised to CNY.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from kg.model.iris import Iris
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


def line_rows(quads: Sequence[Quad]) -> list[dict[str, str]]:
    """One dict per budget line, read back from the quads (so CSV and graph cannot disagree)."""
    lines: dict[str, dict[str, Any]] = {}
    tables: dict[str, str] = {}
    for s, p, o, g in quads:
        if p == RDF_TYPE and o in _KINDS:
            lines.setdefault(s, {})["kind"] = _KINDS[o]
            lines[s]["document"] = g
        elif p == BUD + "tableTitle" and isinstance(o, Lit):
            tables[s] = o.lexical
    for s, p, o, g in quads:
        row = lines.get(s)
        if row is None:
            continue
        if isinstance(o, Lit):
            value = o.lexical
        else:
            value = o
        if p == QB + "dataSet":
            row["budget"] = value
        elif p == BUD + "budgetYear":
            row["year"] = value
        elif p == BUD + "table":
            row["table"] = value
        elif p in (BUD + "functionCode", BUD + "economicCode"):
            row["code"] = value.rsplit("/", 1)[-1]
        elif p == BUD + "printedName":
            row["name"] = value
        elif p == BUD + "column":
            row["column"] = {"TotalColumn": "total", "BasicColumn": "basic", "ProjectColumn": "project",
                             "PersonnelColumn": "personnel", "PublicColumn": "public",
                             "AmountColumn": "amount"}.get(value[len(BUD):], value)
        elif p == BUD + "side":
            row["side"] = "revenue" if value == BUD + "Revenue" else "expenditure"
        elif p == BUD + "amount":
            row["amount"] = value
        elif p == BUD + "unitOfMeasure":
            row["unit"] = _UNITS.get(value, value)
        elif p == BUD + "amountCNY":
            row["amount_cny"] = value
        elif p == BUD + "sourceLine":
            row.setdefault("lines", []).append(int(value))
    out = []
    for iri in sorted(lines):
        row = lines[iri]
        row["line"] = iri
        row["table"] = tables.get(row.get("table", ""), "")
        row["source_lines"] = " ".join(str(n) for n in sorted(row.pop("lines", [])))
        out.append({name: str(row.get(name, "")) for name, _, _ in FIELDS})
    return out


def lines_csv(rows: Sequence[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[f for f, _, _ in FIELDS], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
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
