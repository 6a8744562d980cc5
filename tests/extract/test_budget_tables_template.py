"""A department of another province: the national template with its own titles and habits.

Written after the 2024 templates of other counties (not one of the samples): amounts in 元 with
thousands separators, 收支预算总表 and 财政拨款支出预算表（功能科目） titles, a 预留机动经费 column,
page numbers and a compiler line between the rows, a cell wrapped over two lines, economic classes
with 人员经费 / 公用经费 and a 三公 table printed one column per item.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from kg.extract.budget_tables import extract_budget_tables
from kg.extract.document import Document
from kg.extract.facts import DocumentFacts

D = Decimal

TEMPLATE = """\
# 某某县教育局2024年部门预算公开

## 表一 收支预算总表

编制单位：某某县教育局\t\t单位：元

收入\t\t支出\t
项目\t预算数\t项目\t预算数
一、一般公共预算拨款收入\t12,345,678.90\t一、一般公共服务支出\t0.00
二、政府性基金预算拨款收入\t\t二、教育支出\t11,000,000.00
三、国有资本经营预算拨款收入\t\t三、社会保障和就业支出\t1,000,000.00
四、事业收入\t\t四、卫生健康支出\t345,678.90
\t\t五、住房保障支出\t
本年收入合计\t12,345,678.90\t本年支出合计\t12,345,678.90
上年结转\t0.00\t结转下年\t
收入总计\t12,345,678.90\t支出总计\t12,345,678.90

- 1 -

## 表二 财政拨款支出预算表（功能科目）

单位：元

科目编码\t科目名称\t合计\t基本支出\t项目支出\t预留机动经费
合计\t\t12,345,678.90\t10,000,000.00\t2,245,678.90\t100,000.00
205\t教育支出\t11,000,000.00\t9,000,000.00\t1,900,000.00\t100,000.00
20502\t普通教育\t11,000,000.00\t9,000,000.00\t1,900,000.00\t100,000.00
2050201\t学前教育\t1,000,000.00\t\t1,000,000.00\t
2

科目编码\t科目名称\t合计\t基本支出\t项目支出\t预留机动经费
2050202\t小学教育\t10,000,000.00\t9,000,000.00\t900,000.00\t100,000.00
208\t社会保障和就业支出\t1,000,000.00\t1,000,000.00\t\t
2080505\t机关事业单位基本养老保险缴\t1,000,000.00\t1,000,000.00\t\t
\t费支出\t\t\t\t
210\t卫生健康支出\t345,678.90\t\t345,678.90\t

## 表三 一般公共预算基本支出表（经济科目）

单位：元

部门预算支出经济分类科目\t\t本年一般公共预算基本支出\t\t
科目编码\t科目名称\t合计\t人员经费\t公用经费
合计\t\t10,000,000.00\t9,200,000.00\t800,000.00
301\t工资福利支出\t9,000,000.00\t9,000,000.00\t
30101\t基本工资\t4,000,000.00\t4,000,000.00\t
302\t商品和服务支出\t800,000.00\t\t800,000.00
303\t对个人和家庭的补助\t200,000.00\t200,000.00\t

## 表四 一般公共预算“三公”经费支出表

单位：元

合计\t因公出国（境）费\t公务用车购置及运行维护费\t\t\t公务接待费
\t\t小计\t公务用车购置费\t公务用车运行维护费\t
60,000.00\t0.00\t40,000.00\t0.00\t40,000.00\t20,000.00
"""


@pytest.fixture(scope="module")
def facts() -> DocumentFacts:
    return extract_budget_tables(Document("template.txt", TEMPLATE))


def test_function_lines_in_yuan_without_the_reserve_column(facts: DocumentFacts) -> None:
    title = "表二 财政拨款支出预算表（功能科目）"
    assert [(x.table, x.code, x.name, x.total, x.basic, x.project, x.unit) for x in facts.function_lines] == [
        (title, "205", "教育支出", D("11000000.00"), D("9000000.00"), D("1900000.00"), "元"),
        (title, "20502", "普通教育", D("11000000.00"), D("9000000.00"), D("1900000.00"), "元"),
        (title, "2050201", "学前教育", D("1000000.00"), None, D("1000000.00"), "元"),
        (title, "2050202", "小学教育", D("10000000.00"), D("9000000.00"), D("900000.00"), "元"),
        (title, "208", "社会保障和就业支出", D("1000000.00"), D("1000000.00"), None, "元"),
        (title, "2080505", "机关事业单位基本养老保险缴费支出", D("1000000.00"), D("1000000.00"), None, "元"),
        (title, "210", "卫生健康支出", D("345678.90"), None, D("345678.90"), "元"),
    ]


def test_economic_lines(facts: DocumentFacts) -> None:
    assert [(x.code, x.name, x.total, x.personnel, x.public) for x in facts.economic_lines] == [
        ("301", "工资福利支出", D("9000000.00"), D("9000000.00"), None),
        ("30101", "基本工资", D("4000000.00"), D("4000000.00"), None),
        ("302", "商品和服务支出", D("800000.00"), None, D("800000.00")),
        ("303", "对个人和家庭的补助", D("200000.00"), D("200000.00"), None),
    ]


def test_category_lines_skip_blank_amounts(facts: DocumentFacts) -> None:
    assert [(x.table, x.name, x.amount) for x in facts.category_lines] == [
        ("表一 收支预算总表", "一般公共服务支出", D("0.00")),
        ("表一 收支预算总表", "教育支出", D("11000000.00")),
        ("表一 收支预算总表", "社会保障和就业支出", D("1000000.00")),
        ("表一 收支预算总表", "卫生健康支出", D("345678.90")),
    ]


def test_totals_and_three_public(facts: DocumentFacts) -> None:
    t = facts.totals
    assert (t.revenue_total, t.expenditure_total, t.basic, t.project, t.personnel, t.public_operating,
            t.carryover) == (D("12345678.90"), D("12345678.90"), D("10000000.00"), D("2245678.90"),
                             D("9200000.00"), D("800000.00"), D("0.00"))
    tp = facts.three_public
    assert (tp.total, tp.abroad, tp.reception, tp.car_total, tp.car_purchase, tp.car_operation) == (
        D("60000.00"), D("0.00"), D("20000.00"), D("40000.00"), D("0.00"), D("40000.00"))
    assert not facts.issues


def test_every_line_names_its_source_lines(facts: DocumentFacts) -> None:
    lines = TEMPLATE.split("\n")
    for x in (*facts.function_lines, *facts.economic_lines):
        where = "".join(lines[n - 1] for n in x.source.lines)
        assert x.code in where and f"{x.total:,}" in where


def as_pipes(text: str) -> str:
    return "\n".join(f"| {' | '.join(line.split(chr(9)))} |" if "\t" in line else line for line in text.split("\n"))


def as_cells(text: str) -> str:
    out: list[str] = []
    for line in text.split("\n"):
        if "\t" in line:
            out.extend("\t" + c for c in line.split("\t"))
            out.append("")
        else:
            out.append(line)
    return "\n".join(out)


@pytest.mark.parametrize("layout", [as_pipes, as_cells])
def test_the_template_in_other_layouts(layout, facts: DocumentFacts) -> None:  # type: ignore[no-untyped-def]
    variant = extract_budget_tables(Document("variant.txt", layout(TEMPLATE)))

    def keys(f: DocumentFacts) -> tuple:
        return ([(x.code, x.name, x.total, x.basic, x.project) for x in f.function_lines],
                [(x.code, x.name, x.total, x.personnel, x.public) for x in f.economic_lines],
                [(x.name, x.amount) for x in f.category_lines],
                f.totals.basic, f.totals.personnel, f.totals.revenue_total, f.three_public.car_operation)

    assert keys(variant) == keys(facts)
