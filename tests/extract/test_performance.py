"""Projects from performance tables: the samples against gold, and re-laid-out variants.

The variants render one project table as a Word cell-per-line export, PDF tab rows and markdown
pipes, re-number and re-title it, reorder its columns, wrap a cell and cut the table short: the
extracted projects must not depend on any of that.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.extract.document import Document
from kg.extract.facts import DocumentFacts, Target
from kg.extract.performance import extract_projects, project_title, split_goals

SAMPLES = sorted(p.name for p in (Path(__file__).resolve().parents[2] / "data" / "samples").glob("*.txt"))


def norm(text: object) -> str:
    """As the gold scorer compares text: width-folded, no spaces or punctuation."""
    folded = unicodedata.normalize("NFKC", "" if text is None else str(text))
    return "".join(ch for ch in folded if not (ch.isspace() or unicodedata.category(ch).startswith("P")))


def indicator_keys(indicators: list[dict] | tuple) -> Counter:
    def get(i: object, f: str) -> object:
        return i[f] if isinstance(i, dict) else getattr(i, f)

    return Counter(tuple(norm(get(i, f)) for f in ("level1", "level2", "level3", "target")) for i in indicators)


@pytest.fixture(scope="module", params=SAMPLES)
def sample(request: pytest.FixtureRequest, samples_dir: Path) -> tuple[str, DocumentFacts, list[str]]:
    text = (samples_dir / request.param).read_text(encoding="utf-8")
    return request.param, extract_projects(Document(request.param, text)), text.split("\n")


# --- the samples ---------------------------------------------------------------------------------


def test_sample_projects_and_indicators_match_gold(sample: tuple[str, DocumentFacts, list[str]],
                                                    gold: dict[str, dict]) -> None:
    name, facts, _ = sample
    expected = gold[name]["projects"]
    assert [norm(p.name) for p in facts.projects] == [norm(p["name"]) for p in expected]
    for project, wanted in zip(facts.projects, expected, strict=True):
        assert project.amount == (None if wanted["amount"] is None else Decimal(str(wanted["amount"])))
        assert project.code == wanted["code"]
        assert indicator_keys(project.indicators) == indicator_keys(wanted["indicators"])


def test_sample_projects_and_indicators_are_read_from_their_lines(
    sample: tuple[str, DocumentFacts, list[str]],
) -> None:
    _, facts, lines = sample
    for project in facts.projects:
        cited = norm("".join(lines[n - 1] for n in project.source.lines))
        assert norm(project.name) in cited
        assert project.code is None or norm(project.code) in cited
        assert project.amount is None or norm(project.amount) in cited
        for indicator in project.indicators:
            printed = norm("".join(lines[n - 1] for n in indicator.source.lines))
            assert norm(indicator.level3) in printed, indicator
            assert norm(indicator.target) in printed, indicator


def test_sample_projects_raise_no_issues(sample: tuple[str, DocumentFacts, list[str]]) -> None:
    assert sample[1].issues == ()


def test_002_project_fields_from_the_hubei_template(samples_dir: Path) -> None:
    text = (samples_dir / "002_df29ae28ecb651dd.txt").read_text(encoding="utf-8")
    first = extract_projects(Document("002", text)).projects[0]
    assert first.function_codes == ("210", "21015")
    assert first.unit == "竹山县医疗保障局机关"
    assert first.start_year == "2022022"  # as printed
    assert first.goals[0].startswith("巩固和完善城乡居民医疗保险制度")
    assert len(first.goals) == 2


def test_003_spending_plan_and_kind(samples_dir: Path) -> None:
    text = (samples_dir / "003_ce8a5d0d2740704b.txt").read_text(encoding="utf-8")
    projects = extract_projects(Document("003", text)).projects
    assert [p.kind for p in projects] == ["专项资金"] * 3 + ["预算项目"] * 2
    assert [(s.period, s.share) for s in projects[0].spending_plan] == [
        ("10月底", Decimal("80.00")), ("12月底", Decimal("100.00"))]
    assert projects[3].unit == "450002秦皇岛市医疗保障局"
    assert projects[0].indicators[0].parsed_target == Target(">=", Decimal("95"), None)


# --- variants of one project table ---------------------------------------------------------------

HEADER = ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"]
ROWS = [
    ["产出指标", "数量指标", "服务人次", "全年提供服务的人次", "≥1200人次", "年度工作计划"],
    ["", "质量指标", "资金使用合规率", "资金使用符合规定的比例", "=100%", "财务制度"],
    ["", "时效指标", "资金拨付时间", "资金拨付完成的时间", "不晚于11月底", "年度工作计划"],
    ["效益指标", "社会效益指标", "群众就医负担", "减轻群众就医负担", "有效减轻", "年度工作计划"],
    ["满意度指标", "服务对象满意度指标", "服务对象满意度", "服务对象满意的比例", "≥90%", "问卷调查"],
]
EXPECTED = [
    ("产出指标", "数量指标", "服务人次", "≥1200人次"),
    ("产出指标", "质量指标", "资金使用合规率", "=100%"),
    ("产出指标", "时效指标", "资金拨付时间", "不晚于11月底"),
    ("效益指标", "社会效益指标", "群众就医负担", "有效减轻"),
    ("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%"),
]
KEYS = [["项目编码", "420323-XM-0007", "项目名称", "社区卫生服务补助经费"], ["预算数", "55.50"],
        ["绩效目标", "1、提高基层卫生服务能力 2、减轻群众就医负担"]]


def render(rows: list[list[str]], style: str) -> list[str]:
    """Table rows as a Word export (``cells``), PDF tab rows (``tabs``) or markdown (``pipes``)."""
    out: list[str] = []
    for row in rows:
        if style == "cells":
            out.extend("\t" + cell for cell in row)
            out.append("")
        elif style == "tabs":
            out.append("\t".join(row))
        else:
            out.append("| " + " | ".join(row) + " |")
    return out


def document(style: str, *, title: str = "2、社区卫生服务补助经费绩效目标表", header: list[str] = HEADER,
             rows: list[list[str]] = ROWS, keys: list[list[str]] = KEYS, tail: list[str] | None = None) -> str:
    lines = ["某县卫生健康局2023年部门预算", "七、项目绩效目标", "", title, ""]
    lines += render(keys, style) + [""]
    lines += render([header], style)
    if style == "pipes":
        lines.append("|" + "---|" * len(header))
    lines += render(rows, style)
    lines += tail if tail is not None else ["", "八、政府采购预算情况", "本部门无政府采购预算。"]
    return "\n".join(lines) + "\n"


def keys_of(facts: DocumentFacts) -> list[tuple[str | None, ...]]:
    return [(i.level1, i.level2, i.level3, i.target) for p in facts.projects for i in p.indicators]


@pytest.mark.parametrize("style", ["cells", "tabs", "pipes"])
def test_one_table_in_three_layouts_gives_the_same_project(style: str) -> None:
    facts = extract_projects(Document("variant.txt", document(style)))
    assert [p.name for p in facts.projects] == ["社区卫生服务补助经费"]
    project = facts.projects[0]
    assert project.code == "420323-XM-0007"
    assert project.amount == Decimal("55.50")
    assert project.goals == ("提高基层卫生服务能力", "减轻群众就医负担")
    assert keys_of(facts) == EXPECTED
    assert project.indicators[0].parsed_target == Target(">=", Decimal("1200"), "人次")
    assert project.indicators[3].parsed_target is None
    assert facts.issues == ()


@pytest.mark.parametrize("title", ["附表5：社区卫生服务补助经费项目绩效目标表", "（十二）社区卫生服务补助经费绩效目标申报表",
                                   "项目支出绩效目标表（七）"])
def test_renumbered_and_retitled_tables(title: str) -> None:
    facts = extract_projects(Document("variant.txt", document("tabs", title=title)))
    assert [p.name for p in facts.projects] == ["社区卫生服务补助经费"]
    assert keys_of(facts) == EXPECTED


def test_title_names_a_project_without_key_rows() -> None:
    facts = extract_projects(Document("variant.txt", document("cells", keys=[["绩效目标", "提高服务能力"]])))
    assert [p.name for p in facts.projects] == ["社区卫生服务补助经费"]
    assert keys_of(facts) == EXPECTED


def test_columns_are_found_by_header_not_position() -> None:
    order = [4, 0, 5, 2, 1, 3]
    header = [HEADER[i] for i in order[:3]] + [""] + [HEADER[i] for i in order[3:]]
    rows = [[row[i] for i in order[:3]] + [""] + [row[i] for i in order[3:]] for row in ROWS]
    facts = extract_projects(Document("variant.txt", document("tabs", header=header, rows=rows)))
    assert keys_of(facts) == EXPECTED


def test_a_wrapped_cell_is_read_as_one_text() -> None:
    text = document("cells").replace("\t资金使用合规率\n", "\t资金使用\n合规率\n")
    assert "\t资金使用\n合规率" in text
    facts = extract_projects(Document("variant.txt", text))
    assert keys_of(facts) == EXPECTED


def test_a_row_split_by_blank_lines_is_joined() -> None:
    text = document("cells").replace("\t资金使用符合规定的比例\n", "\n\n\t资金使用符合规定的比例\n")
    assert "\n\n\n\t资金使用符合规定的比例" in text
    facts = extract_projects(Document("variant.txt", text))
    assert keys_of(facts) == EXPECTED
    assert facts.issues == ()


def test_header_repeated_after_a_page_break_continues_the_table() -> None:
    rows = ROWS[:2] + [HEADER] + ROWS[2:]
    facts = extract_projects(Document("variant.txt", document("tabs", rows=rows)))
    assert keys_of(facts) == EXPECTED


@pytest.mark.parametrize("furniture", ["- 12 -", "第 3 页", "3 / 12", "<!-- page 4 -->", "续表"])
def test_page_furniture_between_rows_is_skipped(furniture: str) -> None:
    text = document("tabs").replace("\n\t时效指标", f"\n{furniture}\n\t时效指标")
    assert furniture in text
    facts = extract_projects(Document("variant.txt", text))
    assert keys_of(facts) == EXPECTED


def test_a_truncated_table_invents_nothing_and_says_where() -> None:
    text = document("cells", tail=[])
    cut = text.index("\t资金拨付完成的时间")  # the third row loses its last three cells
    lines = text[:cut].rstrip("\n").split("\n")
    facts = extract_projects(Document("cut.txt", "\n".join(lines) + "\n"))
    assert keys_of(facts) == EXPECTED[:2]
    [issue] = facts.issues
    assert issue.code == "truncated-table"
    assert issue.line == lines.index("\t时效指标")  # 1-based line of the row's first cell (the blank 一级)
    assert "指标值" in issue.message


def test_department_wide_indicator_table_is_not_a_project() -> None:
    text = document("tabs", title="部门整体支出绩效目标表", keys=[["部门名称", "某县卫生健康局"]])
    assert extract_projects(Document("dept.txt", text)).projects == ()


def test_two_projects_without_titles_are_split_by_their_key_rows() -> None:
    second = [["项目编码", "420323-XM-0008", "项目名称", "家庭医生签约补助"], ["预算数", "12.00"]]
    lines = document("tabs", tail=[]).split("\n")
    lines += render(second, "tabs") + render([HEADER], "tabs") + render(ROWS[:1], "tabs")
    facts = extract_projects(Document("two.txt", "\n".join(lines)))
    assert [(p.name, p.amount) for p in facts.projects] == [
        ("社区卫生服务补助经费", Decimal("55.50")), ("家庭医生签约补助", Decimal("12.00"))]
    assert len(facts.projects[1].indicators) == 1


def test_indicator_provenance_names_each_cell_line() -> None:
    text = document("cells")
    lines = text.split("\n")
    facts = extract_projects(Document("variant.txt", text))
    first = facts.projects[0].indicators[0]
    assert {lines[n - 1].strip() for n in first.source.lines} >= {"产出指标", "服务人次", "≥1200人次"}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("1、医保局办公用房租赁费绩效目标表", "医保局办公用房租赁费"),
        ("离休乙残专项补助资金2022年度和中期规划绩效目标表", "离休乙残专项补助资金"),
        ("2020年省级财政城乡居民医保村级代办员补助资金绩效目标表", "2020年省级财政城乡居民医保村级代办员补助资金"),
        ("项目绩效目标公开表（九）", ""),
        ("部门整体支出绩效目标公开表（十）", None),
        ("一般公共预算支出情况表（五）", None),
        ("各项目情况详见附件：项目绩效目标表", None),
    ],
)
def test_project_titles(text: str, name: str | None) -> None:
    assert project_title(text) == name


def test_goals_split_by_line_and_by_inline_ordinal() -> None:
    assert split_goals("1、甲事项\n2、乙事项") == ["甲事项", "乙事项"]
    assert split_goals("1. 支付费用 2. 推进全覆盖，对 11 个乡镇给予 4 万元 3. 提高水平") == [
        "支付费用", "推进全覆盖，对 11 个乡镇给予 4 万元", "提高水平"]
    assert split_goals("预算2.50万元用于宣传") == ["预算2.50万元用于宣传"]


def test_no_project_text_gives_no_projects() -> None:
    text = "某县卫生健康局\n一、部门职责\n负责全县卫生健康工作。\n"
    assert extract_projects(Document("plain.txt", text)).projects == ()


def test_tab_rows_that_lost_their_blank_first_cell_are_realigned() -> None:
    text = "\n".join(line[1:] if line.startswith("\t") and "指标" in line.split("\t")[1] else line
                     for line in document("tabs").split("\n"))
    assert "\n质量指标\t资金使用合规率" in text
    assert keys_of(extract_projects(Document("variant.txt", text))) == EXPECTED


def test_indicator_content_column_names_the_indicator_when_there_is_no_third_level() -> None:
    header = ["一级指标", "二级指标", "指标内容", "指标值"]
    rows = [[r[0], r[1], r[2], r[4]] for r in ROWS]
    facts = extract_projects(Document("variant.txt", document("pipes", header=header, rows=rows)))
    assert keys_of(facts) == EXPECTED


def test_key_and_value_in_one_cell() -> None:
    keys = [["项目名称：社区卫生服务补助经费", "项目编码：420323-XM-0007"], ["预算数", "55.50"]]
    facts = extract_projects(Document("variant.txt", document("tabs", title="项目绩效目标表", keys=keys)))
    assert [(p.name, p.code, p.amount) for p in facts.projects] == [
        ("社区卫生服务补助经费", "420323-XM-0007", Decimal("55.50"))]


def test_one_table_listing_several_projects() -> None:
    header = ["项目名称", "年度目标", "一级指标", "二级指标", "三级指标", "指标值", "预算金额"]
    rows = [
        ["社区卫生服务补助经费", "提高基层卫生服务能力", "产出指标", "数量指标", "服务人次", "≥1200人次", "55.50"],
        ["", "", "", "质量指标", "资金使用合规率", "=100%", ""],
        ["家庭医生签约补助", "提高签约率", "产出指标", "数量指标", "签约人数", "≥3000人", "12.00"],
        ["", "", "满意度指标", "服务对象满意度指标", "签约居民满意度", "≥90%", ""],
    ]
    text = document("cells", title="项目支出绩效目标表", keys=[], header=header, rows=rows)
    facts = extract_projects(Document("list.txt", text))
    assert [(p.name, p.amount, p.goals) for p in facts.projects] == [
        ("社区卫生服务补助经费", Decimal("55.50"), ("提高基层卫生服务能力",)),
        ("家庭医生签约补助", Decimal("12.00"), ("提高签约率",)),
    ]
    assert [[(i.level1, i.level2, i.level3) for i in p.indicators] for p in facts.projects] == [
        [("产出指标", "数量指标", "服务人次"), ("产出指标", "质量指标", "资金使用合规率")],
        [("产出指标", "数量指标", "签约人数"), ("满意度指标", "服务对象满意度指标", "签约居民满意度")],
    ]


def test_comparator_and_unit_printed_in_their_own_columns() -> None:
    header = ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "权重"]
    rows = [["产出指标", "数量指标", "服务人次", "≥", "1200", "人次", "20"],
            ["", "质量指标", "资金使用合规率", "定性", "合规", "", "10"]]
    facts = extract_projects(Document("variant.txt", document("tabs", header=header, rows=rows)))
    first, second = facts.projects[0].indicators
    assert (first.target, first.parsed_target) == ("1200", Target(">=", Decimal("1200"), "人次"))
    assert (second.level1, second.target, second.parsed_target) == ("产出指标", "合规", None)


def test_a_header_at_the_end_of_the_document_is_reported() -> None:
    facts = extract_projects(Document("cut.txt", document("tabs", rows=[], tail=[])))
    [issue] = facts.issues
    assert issue.code == "truncated-table" and "指标值" in issue.message
    assert facts.projects[0].indicators == ()


def test_name_and_code_on_separate_rows_are_one_project() -> None:
    keys = [["项目名称", "社区卫生服务补助经费"], ["主管部门", "某县卫生健康局"], ["项目编码", "420323-XM-0007"],
            ["预算数", "55.50"]]
    facts = extract_projects(Document("variant.txt", document("cells", keys=keys)))
    assert [(p.name, p.code, p.amount) for p in facts.projects] == [
        ("社区卫生服务补助经费", "420323-XM-0007", Decimal("55.50"))]


def test_text_wrapped_onto_a_row_of_its_own_extends_the_indicator_above() -> None:
    rows = [ROWS[0], ["", "", "（含家庭医生）", "", "", "计划"], *ROWS[1:]]
    facts = extract_projects(Document("variant.txt", document("tabs", rows=rows)))
    first = facts.projects[0].indicators[0]
    assert (first.level3, first.basis) == ("服务人次（含家庭医生）", "年度工作计划计划")
    assert keys_of(facts)[1:] == EXPECTED[1:]
    assert len(first.source.lines) == 2


def test_a_project_table_continued_under_a_repeated_title_is_one_project() -> None:
    lines = document("tabs", rows=ROWS[:2], tail=[]).split("\n")
    lines += ["", "2、社区卫生服务补助经费绩效目标表（续）", *render([HEADER], "tabs"), *render(ROWS, "tabs")]
    facts = extract_projects(Document("repeat.txt", "\n".join(lines)))
    assert [p.name for p in facts.projects] == ["社区卫生服务补助经费"]
    assert keys_of(facts) == EXPECTED


def test_002_budget_block_glued_into_one_cell_still_gives_the_amounts(samples_dir: Path) -> None:
    text = (samples_dir / "002_df29ae28ecb651dd.txt").read_text(encoding="utf-8")
    glued, blocks = [], 0
    inside = False
    for line in text.split("\n"):
        if line == "\t来源项目及年度":
            inside, blocks = True, blocks + 1
        elif inside and line.startswith("\t"):
            inside = False
        if inside and not line.strip():
            continue  # no blank line: every line of the block continues the 来源项目及年度 cell
        glued.append(line)
    assert blocks == 3
    projects = extract_projects(Document("002", "\n".join(glued))).projects
    assert [p.amount for p in projects] == [Decimal("1719.64"), Decimal("150.00"), Decimal("40.00")]
    list_table = glued.index("\t项目支出情况") + 1
    assert all(max(p.source.lines) < list_table for p in projects)  # read from 表九, not the 表十 list
    assert any(glued[n - 1] == "1719.64" for n in projects[0].source.lines)


def test_a_blank_second_level_under_a_repeated_first_level_continues_the_group() -> None:
    rows = [ROWS[0], ["产出指标", "", "服务覆盖村数", "覆盖的村数", "≥20个", "年度工作计划"], *ROWS[1:]]
    facts = extract_projects(Document("variant.txt", document("pipes", rows=rows)))
    assert keys_of(facts)[1] == ("产出指标", "数量指标", "服务覆盖村数", "≥20个")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_damaged_tables_never_invent_indicator_text(data: st.DataObject, samples_dir: Path) -> None:
    name = data.draw(st.sampled_from(["000_01bf5e7cfe21490d.txt", "003_ce8a5d0d2740704b.txt",
                                      "004_79c49c8e4410479a.txt"]))
    lines = (samples_dir / name).read_text(encoding="utf-8").split("\n")
    dropped = set(data.draw(st.lists(st.integers(0, len(lines) - 1), max_size=40)))
    damaged = [line for i, line in enumerate(lines) if i not in dropped]
    facts = extract_projects(Document(name, "\n".join(damaged)))
    for project in facts.projects:
        for indicator in project.indicators:
            cited = norm("".join(damaged[n - 1] for n in indicator.source.lines))
            assert norm(indicator.level3) in cited and norm(indicator.target) in cited
    assert all(issue.line is None or 1 <= issue.line <= len(damaged) for issue in facts.issues)
