"""A county department's disclosure in the common national template, written for these tests.

Not one of the samples: another department (教育局), another province's wording (收支总预算,
占…%, 与上年持平, 其他重要事项的情况说明), a table of contents that repeats the section titles,
and amounts with thousands separators. The prose interpreters must read it without any change.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from kg.extract import extract_text
from kg.extract.facts import DocumentFacts

DOCUMENT = """\
平武县教育局2023年部门预算公开说明

目  录
第一部分 部门概况
一、部门职责
二、机构设置
第二部分 2023年部门预算情况说明

第一部分 部门概况
一、部门职责
平武县教育局是县政府工作部门，主要职责：
1.贯彻执行国家教育法律法规和方针政策，拟订全县教育发展规划。
2.负责全县各级各类教育的统筹规划和协调管理，
指导学校教育教学改革。
3.完成县委、县政府交办的其他任务。
二、机构设置
平武县教育局内设办公室、教育股等5个股室，下属学校32所。
第二部分 2023年部门预算情况说明
一、收支预算总体情况
按照综合预算的原则，平武县教育局所有收入和支出均纳入部门预算管理。平武县教育局2023年收支总预算25,312.45万元。比2022年收支总预算增加1,203.11万元，主要原因是教师工资调整。
二、收入预算情况
2023年收入预算25,312.45万元，其中：一般公共预算拨款收入24,000.00万元，占94.81%；上年结转1,312.45万元，占5.19%。
三、支出预算情况
2023年支出预算25,312.45万元，其中：基本支出20,112.45万元，占79.46%；项目支出5,200.00万元，占20.54%。
四、一般公共预算“三公”经费预算情况说明
2023年“三公”经费预算数为12.5万元，较2022年减少1.2万元，其中：因公出国（境）费0万元，与2022年持平；公务用车购置及运行维护费8万元，较2022年减少1万元，其中：公务用车购置费0万元，公务用车运行维护费8万元；公务接待费4.5万元，较2022年减少0.2万元。
五、其他重要事项的情况说明
（一）机关运行经费
2023年，平武县教育局机关运行经费财政拨款预算180.5万元，比2022年预算减少3.2万元，降低1.74%。
"""


@pytest.fixture(scope="module")
def facts() -> DocumentFacts:
    return extract_text(DOCUMENT, "edu.txt")


def test_identity(facts: DocumentFacts) -> None:
    assert (facts.bureau, facts.region, facts.year, facts.unit) == ("平武县教育局", "平武县", 2023, "万元")


def test_duties_skip_the_table_of_contents(facts: DocumentFacts) -> None:
    assert [d.text for d in facts.duties] == [
        "贯彻执行国家教育法律法规和方针政策，拟订全县教育发展规划。",
        "负责全县各级各类教育的统筹规划和协调管理，指导学校教育教学改革。",
        "完成县委、县政府交办的其他任务。",
    ]
    assert DOCUMENT.split("\n")[facts.duties[0].source.line - 1].startswith("1.贯彻执行")


def test_totals(facts: DocumentFacts) -> None:
    t = facts.totals
    assert (t.revenue_total, t.expenditure_total, t.basic, t.project, t.carryover) == (
        Decimal("25312.45"), Decimal("25312.45"), Decimal("20112.45"), Decimal("5200.00"), Decimal("1312.45"),
    )
    assert (t.personnel, t.public_operating) == (None, None)


def test_three_public_and_operating_costs(facts: DocumentFacts) -> None:
    tp = facts.three_public
    assert (tp.total, tp.abroad, tp.reception, tp.car_total, tp.car_purchase, tp.car_operation) == (
        Decimal("12.5"), Decimal("0"), Decimal("4.5"), Decimal("8"), Decimal("0"), Decimal("8"),
    )
    assert facts.operating_costs == Decimal("180.5")


def test_statements(facts: DocumentFacts) -> None:
    found = {(s.key, s.subject, s.value) for s in facts.statements}
    assert ("budget_total.increase", None, Decimal("1203.11")) in found
    assert ("revenue_item.share", "一般公共预算拨款收入", Decimal("94.81")) in found
    assert ("three_public.car_total.decrease", None, Decimal("1")) in found
    assert ("operating_costs.decrease", None, Decimal("3.2")) in found
    assert ("operating_costs.decline_rate", None, Decimal("1.74")) in found
