"""Classes enumerated after ``项目支出…万元，主要为`` are a share of project spending, and say so.

Regression: sample 000 states ``项目支出2458.93万元，主要为社会保障和就业支出167.88、卫生健康支出2291.05、
其他支出0万元`` and its category lines were filed under the table ``narrative``, like a breakdown of
all spending (2740.82): pages charted 卫生健康支出 2291.05 as the bureau's health spending. The gold
titles them ``narrative（项目支出）``.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from kg.extract.document import Document
from kg.extract.tables_narrative import narrative_lines


def _tables(text: str) -> list[tuple[str, str, Decimal]]:
    categories, economic = narrative_lines(Document("n.txt", text))
    return [(x.table, x.name, x.amount if hasattr(x, "amount") else x.total) for x in (*categories, *economic)]


def test_project_spending_enumeration_is_titled_as_such() -> None:
    text = "2020年部门支出预算为2740.82万元，其中基本支出281.89万元，包括人员经费266.91万元和日常公用经费14.98万元；项目支出2458.93万元，主要为社会保障和就业支出167.88、卫生健康支出2291.05、其他支出0万元。\n"
    assert _tables(text) == [
        ("narrative（项目支出）", "社会保障和就业支出", Decimal("167.88")),
        ("narrative（项目支出）", "卫生健康支出", Decimal("2291.05")),
        ("narrative（项目支出）", "其他支出", Decimal("0")),
    ]


def test_basic_spending_enumeration_is_titled_as_such() -> None:
    text = "基本支出296.51万元，其中：工资福利支出266.7万元，商品和服务支出29.81万元。\n"
    assert {t for t, _, _ in _tables(text)} == {"narrative（基本支出）"}


def test_other_enumerations_stay_plain() -> None:
    text = (
        "收入预算总额为481.28万元，其中：工资福利支出266.7万元，较2019年235.7万元增加了31万元；商品和服务支出30.11万元。\n"
        "项目支出100万元；卫生健康支出433.04万元，主要用于日常运行。\n"  # a new clause after the semicolon
        "（一）社会保障和就业支出21.07万元，主要用于养老保险单位缴费支出。\n"
    )
    assert {t for t, _, _ in _tables(text)} == {"narrative"}


def test_samples_match_the_gold_titles(samples_dir: Path, gold_dir: Path) -> None:
    from kg.extract import extract_bytes

    for name in ("000_01bf5e7cfe21490d", "001_3b6ab00976185b7d"):
        facts = extract_bytes((samples_dir / f"{name}.txt").read_bytes(), f"{name}.txt")
        gold = json.loads((gold_dir / f"{name}.json").read_text(encoding="utf-8"))
        for kind in ("category_lines", "economic_lines"):
            got = {(x.table, x.name) for x in getattr(facts, kind)}
            assert got == {(x["table"], x["name"]) for x in gold[kind]}, (name, kind)
