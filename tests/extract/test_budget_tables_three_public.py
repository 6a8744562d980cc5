"""三公经费 tables by rows and by columns, with last year's amounts beside this year's."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from kg.extract.budget_tables import extract_budget_tables
from kg.extract.document import Document
from kg.extract.facts import ThreePublic

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
D = Decimal


def values(tp: ThreePublic) -> tuple:
    return (tp.total, tp.abroad, tp.reception, tp.car_total, tp.car_purchase, tp.car_operation)


def read(text: str) -> ThreePublic:
    return extract_budget_tables(Document("t.txt", text)).three_public


BY_COLUMNS = (
    "一般公共预算“三公”经费支出表\n\n单位：万元\n\n"
    "合计\t因公出国（境）费\t公务用车购置及运行费\t\t\t公务接待费\n"
    "\t\t小计\t公务用车购置费\t公务用车运行维护费\t\n"
    "9.60\t0.00\t3.10\t\t3.10\t6.50\n"
)


def test_one_column_per_item_under_a_two_level_header() -> None:
    tp = read(BY_COLUMNS)
    assert values(tp) == (D("9.60"), D("0.00"), D("6.50"), D("3.10"), None, D("3.10"))
    assert tp.sources["reception"].lines == (7,)


@pytest.mark.parametrize("pipes", [False, True])
def test_this_years_row_is_chosen_over_last_years(pipes: bool) -> None:
    text = (
        "“三公”经费预算财政拨款情况表\n\n单位：万元\n\n"
        "年度\t合计\t因公出国（境）费\t公务用车购置及运行费\t\t\t公务接待费\n"
        "\t\t\t小计\t购置费\t运行费\t\n"
        "2023年预算数\t12.00\t1.00\t5.00\t2.00\t3.00\t6.00\n"
        "2024年预算数\t9.60\t0.00\t3.10\t0.00\t3.10\t6.50\n"
        "比上年增减\t-2.40\t-1.00\t-1.90\t-2.00\t0.10\t0.50\n"
    )
    if pipes:
        text = "\n".join(f"| {' | '.join(line.split(chr(9)))} |" if "\t" in line else line
                         for line in text.split("\n"))
    assert values(read(text)) == (D("9.60"), D("0.00"), D("6.50"), D("3.10"), D("0.00"), D("3.10"))


def test_rows_with_last_year_and_this_year_columns() -> None:
    text = (
        "部门“三公”经费支出预算表\n\n单位：元\n\n"
        "项目\t2023年预算数\t2024年预算数\t增减\n"
        "合计\t50000.00\t25000.00\t-25000.00\n"
        "1、因公出国（境）费\t\t\t\n"
        "2、公务用车购置及运行维护费\t30000.00\t25000.00\t-5000.00\n"
        "其中：公务用车购置费\t\t\t\n"
        "公务用车运行维护费\t30000.00\t25000.00\t-5000.00\n"
        "3、公务接待费\t20000.00\t0.00\t-20000.00\n"
    )
    assert values(read(text)) == (D("25000.00"), None, D("0.00"), D("25000.00"), None, D("25000.00"))


def test_the_sample_tables_by_rows() -> None:
    name = "004_79c49c8e4410479a.txt"
    tp = read((SAMPLES / name).read_text(encoding="utf-8"))
    assert values(tp) == (D("2.50"), None, None, D("2.50"), None, D("2.50"))
    assert tp.sources["total"].lines == (365,)  # the “三公”经费小计 row, not a larger 合计


def test_columns_without_trailing_empty_cells() -> None:
    text = BY_COLUMNS.replace("\t\t小计\t公务用车购置费\t公务用车运行维护费\t\n", "\t\t小计\t公务用车购置费\t公务用车运行维护费\n")
    text = text.replace("9.60\t0.00\t3.10\t\t3.10\t6.50", "9.60\t0.00\t3.10\t\t3.10\t6.50")
    assert values(read(text)) == (D("9.60"), D("0.00"), D("6.50"), D("3.10"), None, D("3.10"))
    short = BY_COLUMNS.replace("公务接待费\n", "公务接待费\n").replace("9.60\t0.00\t3.10\t\t3.10\t6.50", "9.60\t0.00")
    assert values(read(short))[:2] == (D("9.60"), D("0.00"))
