"""Projects stated in prose and their merge with table projects (tables win, prose fills gaps)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from kg.extract.document import Document
from kg.extract.facts import Project
from kg.extract.performance import extract_projects
from kg.extract.prose_projects import merge_prose_projects, prose_projects

PROSE = """某县医疗保障局2021年部门预算
八、支出预算情况说明
（一）社会保障和就业支出21.07万元，主要用于养老保险缴费。
1.基本支出260.5万元。
十、重点项目的绩效目标等预算绩效情况说明
本局2021年预算项目支出3个，预算资金总额共计40.2万元。
1.医保稽核专项经费11.7万元。用于开展定点医药机构稽核检查。
2. “两定”管理工作经费22万元，用于两定机构协议管理。
3.医保宣传经费6.50万元。
十一、国有资产占用情况说明
1.车辆购置费用30万元。用于购置公务用车。
"""


def test_numbered_items_under_a_project_heading_are_projects() -> None:
    projects = extract_projects(Document("prose.txt", PROSE)).projects
    assert [(p.name, p.amount) for p in projects] == [
        ("医保稽核专项经费", Decimal("11.7")),
        ("“两定”管理工作经费", Decimal("22")),
        ("医保宣传经费", Decimal("6.50")),
    ]
    assert projects[0].goals == ("用于开展定点医药机构稽核检查。",)
    assert projects[2].goals == ()
    assert [p.source.line for p in projects] == [7, 8, 9]


def test_001_projects_come_from_sentences(samples_dir: Path) -> None:
    text = (samples_dir / "001_3b6ab00976185b7d.txt").read_text(encoding="utf-8")
    projects = extract_projects(Document("001", text)).projects
    assert [p.amount for p in projects] == [Decimal("11.7"), Decimal("6.5"), Decimal("150"), Decimal("6.5")]
    assert projects[1].name == "“村医通”专项工作经费"
    assert all(len(p.goals) == 1 and p.goals[0].startswith("用于") for p in projects)


def table(name: str, amount: str | None = None, goals: tuple[str, ...] = ()) -> Project:
    return Project(name=name, amount=Decimal(amount) if amount else None, goals=goals)


def test_prose_fills_a_table_project_by_name_and_adds_nothing_else() -> None:
    text = PROSE.replace("1.医保稽核专项经费11.7万元", "1.稽核专项经费11.7万元")
    tables = (table("医保稽核专项经费"), table("医保宣传经费", "6.00"))
    merged = merge_prose_projects(tables, prose_projects(Document("prose.txt", text)))
    assert [(p.name, p.amount) for p in merged] == [
        ("医保稽核专项经费", Decimal("11.7")),  # filled: the prose name is contained in the table name
        ("医保宣传经费", Decimal("6.00")),  # the table's amount wins over the sentence's 6.50
    ]


def test_enumerated_project_amounts_fill_table_projects() -> None:
    text = ("二、支出说明\n2024年支出预算419.03万元，其中项目支出 87.00 万元，主要为公费医疗、医疗补助经费 60 万元；"
            "长期护理保险专项经费 18 万元；提升补助资金 9 万元。\n")
    tables = (table("公费医疗、医疗补助经费"), table("2024年中央财政医疗服务与保障能力提升补助资金"),
              table("长期护理保险专项经费", "18.00"))
    merged = merge_prose_projects(tables, prose_projects(Document("enum.txt", text)))
    assert [p.amount for p in merged] == [Decimal("60"), Decimal("9"), Decimal("18.00")]


def test_a_paragraph_repeating_one_projects_goal_gives_its_amount() -> None:
    text = ("（一）社会保险政策实施及管理\n"
            "2、2020年门诊特殊疾病申报资料500份，需申请经费2万元，其中办公费1万元。保证申报慢病患者及时享受门诊报销待遇。\n")
    goal = "保证申报慢病患者及时享受门诊报销待遇。"
    alone = merge_prose_projects((table("门诊特殊疾病评审经费", goals=(goal,)),),
                                 prose_projects(Document("fund.txt", text)))
    assert alone[0].amount == Decimal("2")
    assert alone[0].source.lines == (2,)
    shared = merge_prose_projects((table("甲经费", goals=(goal,)), table("乙经费", goals=(goal,))),
                                  prose_projects(Document("fund.txt", text)))
    assert [p.amount for p in shared] == [None, None]  # the paragraph fits two projects: no guess


def test_000_prose_gives_the_one_amount_the_tables_lack(samples_dir: Path) -> None:
    text = (samples_dir / "000_01bf5e7cfe21490d.txt").read_text(encoding="utf-8")
    projects = extract_projects(Document("000", text)).projects
    assert {p.name: p.amount for p in projects if p.amount is not None} == {"门诊特殊疾病评审鉴定工作专项经费": Decimal("2")}


def test_a_project_list_table_fills_amounts_the_project_tables_lack(samples_dir: Path) -> None:
    text = (samples_dir / "002_df29ae28ecb651dd.txt").read_text(encoding="utf-8")
    without_budget_block = text.replace("2022年当年预算", "2022年来源")
    assert without_budget_block != text
    projects = extract_projects(Document("002", without_budget_block)).projects
    assert [p.amount for p in projects] == [Decimal("1719.64"), Decimal("150"), Decimal("40")]
    lines = text.split("\n")
    # the amounts now come from the 项目支出情况 list (its shorter name 离休乙残专项补助 included)
    assert "离休乙残专项补助" in "".join(lines[n - 1] for n in projects[1].source.lines)


def test_numbered_items_in_other_wordings() -> None:
    text = ("三、项目支出绩效目标\n"
            "（一）城乡居民医保代办员补助资金：预算资金为4万元，用于代办员补助。\n"
            "2) 医保信息系统运维项目，安排 3.00 万元。\n"
            "（三）公用经费支出12万元。\n"
            "一是宣传经费预算5万元，主要用于政策宣传。\n")
    projects = extract_projects(Document("wording.txt", text)).projects
    assert [(p.name, p.amount) for p in projects] == [
        ("城乡居民医保代办员补助资金", Decimal("4")),
        ("医保信息系统运维项目", Decimal("3.00")),
        ("宣传经费", Decimal("5")),
    ]
