"""Units inside the department: 机构设置 tables and tables keyed by 单位编码 / 单位名称."""

from __future__ import annotations

import re

from kg.extract.facts import Source, Subunit
from kg.extract.tables_columns import amount, cell_at, is_total_label, joined, norm
from kg.extract.tables_segments import TitledTable

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
            texts = row.texts
            # no cell can read 单位名称 without a 称 (most rows): the labels are not needed
            labels = [norm(t) for t in texts] if "称" in row.joined_text else ()
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
            name_cell = cell_at(row, columns["name"])
            name = joined(name_cell.text) if name_cell else ""
            if not name or is_total_label(name) or amount(name_cell) is not None:
                continue
            fields = {k: (joined(cell_at(row, j).text) or None) if cell_at(row, j) else None
                      for k, j in columns.items() if k != "name"}
            key = (name, fields.get("code"))
            if key in seen:
                continue
            seen.add(key)
            found.append(Subunit(name, fields.get("code"), fields.get("nature"), fields.get("grade"),
                                 fields.get("funding"), Source(row.lines)))
    return found
