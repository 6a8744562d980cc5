"""Bureau, region, year and unit: the samples against their gold, and the template's other forms."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.extract.document import Document
from kg.extract.identity import as_org_name, extract_identity, split_bureau
from kg.extract.text import decode_document


def identity_of(text: str, name: str = "doc.txt"):  # type: ignore[no-untyped-def]
    return extract_identity(Document(name, text))


@pytest.mark.parametrize("sample", sorted(p.name for p in (Path(__file__).parents[2] / "data" / "samples").glob("*.txt")))
def test_samples_match_the_gold_identity(sample: str, samples_dir: Path, gold: dict) -> None:
    path = samples_dir / sample
    facts = extract_identity(Document(sample, decode_document(path.read_bytes(), sample)))
    expected = gold[sample]
    assert (facts.bureau, facts.region, facts.year, facts.unit) == (
        expected["bureau"], expected["region"], expected["year"], expected["unit"],
    )


def test_every_identity_fact_names_the_line_it_was_read_from(samples_dir: Path) -> None:
    path = samples_dir / "000_01bf5e7cfe21490d.txt"
    text = decode_document(path.read_bytes(), path.name)
    facts = extract_identity(Document(path.name, text))
    lines = text.split("\n")
    assert "曲阳县医疗保障局" in lines[facts.sources["bureau"].line - 1]
    assert "2020" in lines[facts.sources["year"].line - 1]
    assert "万元" in lines[facts.sources["unit"].line - 1]


@pytest.mark.parametrize(
    ("printed", "bureau", "region"),
    [
        ("河北省曲阳县医疗保障局", "曲阳县医疗保障局", "河北省曲阳县"),
        ("四川省攀枝花市米易县财政局", "米易县财政局", "四川省攀枝花市米易县"),
        ("秦皇岛市医疗保障局", "秦皇岛市医疗保障局", "秦皇岛市"),
        ("河北省医疗保障局", "河北省医疗保障局", "河北省"),
        ("易县城市管理综合行政执法局", "易县城市管理综合行政执法局", "易县"),
        ("内蒙古自治区阿拉善盟阿拉善左旗教育局", "阿拉善左旗教育局", "内蒙古自治区阿拉善盟阿拉善左旗"),
    ],
)
def test_bureau_keeps_its_lowest_division_and_the_region_the_whole_prefix(
    printed: str, bureau: str, region: str
) -> None:
    split = split_bureau(printed)
    assert (split.bureau, split.region) == (bureau, region)


@pytest.mark.parametrize("text", ["部门预算信息公开情况说明", "现将情况说明如下：", "单位：万元", "医疗保障局"])
def test_text_that_is_not_a_department_name_is_not_taken_for_one(text: str) -> None:
    assert as_org_name(text) is None


def test_a_labelled_cell_names_the_bureau_before_any_other_mention() -> None:
    text = (
        "\t部门整体支出绩效目标表\n\n\t部门（单位）\n名   称\n\t平武县林业局\n\n"
        "\t单位名称\n\n\t平武县林业局机关\n\n\t平武县林业局机关\n\n\t平武县林业局机关\n\n"
        "\t2023年当年预算\n\t12.00\n"
    )
    facts = identity_of(text)
    assert (facts.bureau, facts.year) == ("平武县林业局", 2023)
    assert facts.sources["bureau"].line == 5


def test_heading_with_year_names_bureau_and_year_in_a_markdown_export() -> None:
    text = (
        "# 2023 年部门预算信息公开目录\n\n"
        "## 部门预算收支总表\n\n"
        "612 平武县林业局机关服务中心\n\n预算年度：2023\n\n单位：元\n\n"
        "# 平武县林业局 2023 年部门预算信息公开情况说明\n\n"
        "较2022年预算增加10万元。\n"
    )
    facts = identity_of(text)
    assert (facts.bureau, facts.region, facts.year, facts.unit) == ("平武县林业局", "平武县", 2023, "元")


def test_year_compared_with_is_not_the_budget_year() -> None:
    text = "平武县林业局\n\n关于2023年部门预算的说明\n\n较2022年部门预算增加5万元，比2021年部门预算增加6万元。\n"
    assert identity_of(text).year == 2023


def test_unit_falls_back_to_the_unit_of_prose_amounts() -> None:
    text = "平武县林业局\n\n2023年部门预算说明\n\n收入预算总额为1,200.50万元，其中财政拨款1,200.50万元。\n"
    facts = identity_of(text)
    assert facts.unit == "万元" and facts.sources["unit"].line == 5


def test_the_most_declared_unit_wins() -> None:
    text = "单位：元\n\n\t表一\n\t1\n\n单位：元\n\n单位：万元\n"
    assert identity_of(text).unit == "元"


def test_nothing_is_invented_for_a_text_without_identity() -> None:
    facts = identity_of("今天天气很好。\n\n我们去公园散步。\n")
    assert (facts.bureau, facts.region, facts.year, facts.unit) == (None, None, None, None)
    assert facts.sources == {}


@pytest.mark.parametrize(
    "title",
    [
        "2023年平武县林业局部门预算公开说明",
        "关于2023年度平武县林业局部门预算的说明",
        "编制部门：平武县林业局\n\n2023年部门预算",
        "四川省绵阳市平武县林业局\n\n2023年部门综合预算",
    ],
)
def test_title_forms_of_other_provinces(title: str) -> None:
    facts = identity_of(f"{title}\n\n一、部门职责\n（一）负责全县林业工作。\n")
    assert (facts.bureau, facts.year) == ("平武县林业局", 2023)


def test_caption_with_department_label_and_a_summary_suffix() -> None:
    text = "收支预算总表\n部门：平武县教育局（本级）\t\t单位：元\n\n2023年部门预算\n"
    facts = identity_of(text)
    assert (facts.bureau, facts.unit, facts.year) == ("平武县教育局", "元", 2023)
