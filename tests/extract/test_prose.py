"""Prose facts: duties, goals, totals, 三公 and 机关运行经费 stated in sentences, and statements."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from kg.extract.document import Document
from kg.extract.facts import Statement
from kg.extract.prose import extract_prose
from kg.extract.text import decode_document


def prose_of(text: str):  # type: ignore[no-untyped-def]
    return extract_prose(Document("doc.txt", text))


def by_key(statements: tuple[Statement, ...]) -> dict[str, list[Decimal]]:
    found: dict[str, list[Decimal]] = {}
    for s in statements:
        found.setdefault(s.key, []).append(s.value)
    return found


def sample(samples_dir: Path, stem: str):  # type: ignore[no-untyped-def]
    path = next(samples_dir.glob(f"{stem}_*.txt"))
    return extract_prose(Document(path.name, decode_document(path.read_bytes(), path.name))), path.name


@pytest.mark.parametrize("stem", ["000", "001", "002", "004"])
def test_sample_duties_are_the_gold_duties_in_order(samples_dir: Path, gold: dict, stem: str) -> None:
    facts, name = sample(samples_dir, stem)
    assert [d.text for d in facts.duties] == gold[name]["duties"]
    assert [d.ordinal for d in facts.duties] == list(range(1, len(gold[name]["duties"]) + 1))


def test_goal_texts_are_not_duties(samples_dir: Path) -> None:
    facts, _ = sample(samples_dir, "003")
    assert facts.duties == ()


@pytest.mark.parametrize("stem", ["000", "001", "004"])
def test_prose_totals_three_public_and_operating_costs_match_the_gold(samples_dir: Path, gold: dict, stem: str) -> None:
    facts, name = sample(samples_dir, stem)
    expected = gold[name]
    for key, value in expected["totals"].items():
        if key == "carryover" and value is not None and getattr(facts.totals, key) is None:
            continue  # 上年结转 may be stated only in a table
        assert getattr(facts.totals, key) == (None if value is None else Decimal(str(value))), key
    for key, value in expected["three_public"].items():
        assert getattr(facts.three_public, key) == (None if value is None else Decimal(str(value))), key
    assert facts.operating_costs == Decimal(str(expected["operating_costs"]))


def test_document_goals_follow_the_gold(samples_dir: Path, gold: dict) -> None:
    for stem in ("003", "004"):
        facts, name = sample(samples_dir, stem)
        expected = gold[name]["goals"]
        assert [(g.name, g.duty, g.goal, g.indicators_text) for g in facts.goals] == [
            (g["name"], g["duty"], g["goal"], g["indicators_text"]) for g in expected
        ]
    facts, _ = sample(samples_dir, "000")
    assert facts.goals == ()  # numbered work items without 绩效目标 labels are not goals


# --- variants: the same content laid out, numbered and named otherwise ---------------------------

DUTIES_RENUMBERED = """平武县林业局
2023年部门预算编制说明
一、部门主要职责
根据三定方案，本局主要职责是：
1、贯彻执行国家林业法律法规，拟订全县林业发展规划。
2. 负责全县森林资源保护和管理，组织森林防火工作，
承担森林病虫害防治工作。
- 3 -
3、完成县委、县政府交办的其他任务。
二、机构设置
本局内设办公室、资源股。
"""


def test_duties_numbered_with_arabic_digits_across_a_wrapped_line_and_a_page_number() -> None:
    facts = prose_of(DUTIES_RENUMBERED)
    assert [d.text for d in facts.duties] == [
        "贯彻执行国家林业法律法规，拟订全县林业发展规划。",
        "负责全县森林资源保护和管理，组织森林防火工作，承担森林病虫害防治工作。",
        "完成县委、县政府交办的其他任务。",
    ]
    assert facts.duties[1].source.lines == (6, 7)


def test_duties_in_a_table_cell_keep_each_items_line() -> None:
    text = "\t部门职能概述\n\t(一)负责林业工作。\n(二)负责防火工作。\n(三)完成其他任务。\n\n\t年度工作任务\n\t造林\n"
    facts = prose_of(text)
    assert [(d.ordinal, d.text, d.source.line) for d in facts.duties] == [
        (1, "负责林业工作。", 2), (2, "负责防火工作。", 3), (3, "完成其他任务。", 4),
    ]


def test_a_list_that_skips_a_number_ends_there() -> None:
    text = "部门职责：\n（一）甲。\n（二）乙。\n（四）丁。\n"
    assert [d.text for d in prose_of(text).duties] == ["甲。", "乙。"]


TOTALS_IN_YUAN = """平武县林业局2023年部门预算情况说明
单位：元
一、收支预算总体情况
2023年部门收支总预算1,234,567.89元，较上年减少1,000元。其中基本支出1,000,000.00元，项目支出234,567.89元。
二、“三公”经费情况
2023年“三公”经费预算2.5万元，其中：因公出国(境)费0万元，公务接待费0.5万元，公务用车购置及运行维护费2万元（其中：公务用车购置费0万元，公务用车运行维护费2万元）。
三、机关运行经费
机关运行经费预算为
- 12 -
30.50万元，比上年增长3.5%。
"""


def test_prose_totals_in_the_documents_unit_and_three_public_converted_exactly() -> None:
    facts = prose_of(TOTALS_IN_YUAN)
    t = facts.totals
    assert (t.revenue_total, t.expenditure_total) == (Decimal("1234567.89"), Decimal("1234567.89"))
    assert (t.basic, t.project) == (Decimal("1000000.00"), Decimal("234567.89"))
    assert facts.three_public.total == Decimal("25000")
    assert facts.three_public.reception == Decimal("5000")
    assert facts.three_public.car_operation == Decimal("20000")
    assert facts.operating_costs == Decimal("305000")
    assert facts.sources["operating_costs"].lines == (8, 10)


def test_statements_keep_printed_values_units_and_directions() -> None:
    facts = prose_of(TOTALS_IN_YUAN)
    found = {(s.key, s.value, s.unit) for s in facts.statements}
    assert ("budget_total", Decimal("1234567.89"), "元") in found
    assert ("budget_total.decrease", Decimal("1000"), "元") in found
    assert ("three_public.total", Decimal("2.5"), "万元") in found
    assert ("operating_costs", Decimal("30.50"), "万元") in found
    assert ("operating_costs.growth_rate", Decimal("3.5"), "%") in found


def test_changes_previous_values_and_rates_attach_to_what_the_sentence_is_about() -> None:
    text = (
        "2020年我单位收入预算总额为481.28万元，较2019年273.08万元增加了207.92万元，增长率为76.13%，"
        "其中：工资福利支出266.7万元，较2019年235.7万元增加了31万元；项目支出174.7万元。\n"
    )
    statements = prose_of(text).statements
    assert [(s.key, s.value, s.subject) for s in statements] == [
        ("revenue_total", Decimal("481.28"), None),
        ("revenue_total.previous", Decimal("273.08"), None),
        ("revenue_total.increase", Decimal("207.92"), None),
        ("revenue_total.growth_rate", Decimal("76.13"), None),
        ("economic_category", Decimal("266.7"), "工资福利支出"),
        ("economic_category.previous", Decimal("235.7"), "工资福利支出"),
        ("economic_category.increase", Decimal("31"), "工资福利支出"),
        ("project", Decimal("174.7"), None),
    ]


def test_list_amounts_borrow_the_unit_and_projects_are_named() -> None:
    text = (
        "2020年部门支出预算为100万元，其中基本支出40万元；项目支出60万元，主要为社会保障和就业支出10、"
        "卫生健康支出50万元；主要项目为医保宣传经费 20 万元；信息系统运维经费 40 万元。\n"
    )
    found = by_key(prose_of(text).statements)
    assert found["function_category"] == [Decimal("10"), Decimal("50")]
    assert found["project_amount"] == [Decimal("20"), Decimal("40")]
    subjects = [s.subject for s in prose_of(text).statements if s.key == "project_amount"]
    assert subjects == ["医保宣传经费", "信息系统运维经费"]


def test_revenue_items_are_not_the_revenue_total() -> None:
    text = "2024年预算收入419.03万元，其中：一般公共预算收入419.03万元，基金预算收入0.00万元，上年结转结余0.00万元。\n"
    facts = prose_of(text)
    assert by_key(facts.statements)["revenue_total"] == [Decimal("419.03")]
    assert by_key(facts.statements)["revenue_item"] == [Decimal("419.03"), Decimal("0.00")]
    assert facts.totals.carryover == Decimal("0.00")


def test_full_width_digits_in_prose() -> None:
    facts = prose_of("机关运行经费共计安排１２.５万元。\n")
    assert facts.operating_costs == Decimal("12.5")


def test_counts_years_and_codes_are_not_amounts() -> None:
    text = "2019年2月25日挂牌成立（米委发〔2019〕2 号），公务员行政编制5名，参保189627人。\n"
    assert prose_of(text).statements == ()


def test_a_figure_of_another_year_is_not_this_years_total() -> None:
    text = (
        "平武县林业局2023年部门预算说明\n"
        "2022年“三公”经费预算3万元。2023年“三公”经费预算2.5万元，其中：公务接待费0.5万元。\n"
    )
    facts = prose_of(text)
    assert facts.three_public.total == Decimal("2.5")
    assert [(s.key, s.value) for s in facts.statements][:2] == [
        ("three_public.total.previous", Decimal("3")), ("three_public.total", Decimal("2.5")),
    ]


def test_a_list_after_a_table_is_not_the_duty_list() -> None:
    text = "一、部门职责\n\n\t单位名称\n\t平武县林业局\n\n（一）造林。\n（二）护林。\n"
    assert prose_of(text).duties == ()


def test_duty_heading_joining_organisation_with_a_comma() -> None:
    text = "一、部门职责、机构设置\n（一）负责全县教育工作。\n（二）完成其他任务。\n（三）机构设置\n"
    assert [d.text for d in prose_of(text).duties] == ["负责全县教育工作。", "完成其他任务。"]
