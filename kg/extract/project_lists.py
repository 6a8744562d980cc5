"""Tables listing projects with their amounts (项目支出情况: 项目名称 | 项目类型 | 项目本年度预算 | …).

Such a list repeats projects whose own performance table is the fuller record, often under a
shortened name (``离休乙残专项补助`` for ``离休乙残专项补助资金``); its amounts only fill what those
tables leave open, like amounts stated in prose.
"""

from __future__ import annotations

from kg.extract.facts import Source
from kg.extract.prose_projects import AmountMention
from kg.extract.row_stream import StreamRow, joined, label_key
from kg.extract.text import parse_amount

_NAME_HEADERS = {"项目名称", "专项资金名称"}
# Amount columns in order of preference: this year's budget before a multi-year total.
_AMOUNT_HEADERS = ("项目本年度预算", "本年度预算", "本年预算", "本年预算数", "当年预算", "预算数", "预算金额",
                   "年度资金总额", "金额", "合计", "项目总预算")


def _columns(row: StreamRow) -> tuple[int, int] | None:
    """(name column, amount column) when ``row`` heads a project list."""
    if "称" not in row.joined_text:
        return None  # both name headers need 称: no other character folds to it (NFKC, all of Unicode)
    keys = [label_key(text) for text in row.texts]
    names = [i for i, k in enumerate(keys) if k in _NAME_HEADERS]
    if len(names) != 1 or any("指标" in k for k in keys):
        return None
    for wanted in _AMOUNT_HEADERS:
        if wanted in keys:
            return names[0], keys.index(wanted)
    return None


def listed_amounts(rows: tuple[StreamRow, ...]) -> tuple[AmountMention, ...]:
    """(name, amount) of every row of every project list table in the stream."""
    mentions: list[AmountMention] = []
    columns: tuple[int, int] | None = None
    block = -1
    for row in rows:
        if row.paragraph or row.block != block:
            columns, block = None, row.block
        found = None if row.paragraph else _columns(row)
        if found is not None:
            columns = found
            continue
        if columns is None or row.is_blank():
            continue
        name_at, amount_at = columns
        if max(name_at, amount_at) >= len(row.cells):
            columns = None
            continue
        name, amount = joined(row.cells[name_at].text), parse_amount(row.cells[amount_at].text)
        if name and amount is not None and label_key(name) not in {"合计", "总计", "小计"}:
            mentions.append(AmountMention(name, amount, Source.of(*row.cells[name_at].lines, *row.cells[amount_at].lines)))
    return tuple(mentions)
