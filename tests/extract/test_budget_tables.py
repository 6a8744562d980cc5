"""Code-keyed budget tables: the samples against the gold, and variants of the samples.

The variants re-lay the same tables out (tab rows, cell per line, markdown pipes), rename their
titles as other departments do, switch to 单位：元, add a 预留机动经费 column, put page numbers and
wrapped cells between rows and cut a table short: the facts must not depend on any of that.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from kg.extract.budget_tables import extract_budget_tables, read_budget_tables
from kg.extract.document import Document
from kg.extract.facts import DocumentFacts, Source

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
DOC_002 = "002_df29ae28ecb651dd.txt"
DOC_004 = "004_79c49c8e4410479a.txt"


def sample(name: str) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8")


def extract(text: str, name: str = "variant.txt") -> DocumentFacts:
    return extract_budget_tables(Document(name, text))


def function_keys(facts: DocumentFacts) -> list[tuple]:
    return sorted((x.table, x.code, x.name, x.total, x.basic, x.project) for x in facts.function_lines)


def economic_keys(facts: DocumentFacts) -> list[tuple]:
    return sorted((x.table, x.code, x.name, x.total, x.personnel, x.public) for x in facts.economic_lines)


def category_keys(facts: DocumentFacts) -> list[tuple]:
    return sorted((x.table, x.name, x.amount) for x in facts.category_lines)


def all_keys(facts: DocumentFacts) -> tuple[list[tuple], ...]:
    return function_keys(facts), economic_keys(facts), category_keys(facts)


def dec(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))


@pytest.fixture(scope="module")
def facts_004() -> DocumentFacts:
    return extract(sample(DOC_004), DOC_004)


@pytest.fixture(scope="module")
def facts_002() -> DocumentFacts:
    return extract(sample(DOC_002), DOC_002)


# --- the samples against the gold ----------------------------------------------------------------


@pytest.mark.parametrize("name", [DOC_002, DOC_004])
def test_lines_equal_the_gold(name: str, gold: dict) -> None:
    facts = extract(sample(name), name)
    expected = gold[name]
    assert function_keys(facts) == sorted(
        (x["table"], x["code"], x["name"], dec(x["total"]), dec(x["basic"]), dec(x["project"]))
        for x in expected["function_lines"])
    assert economic_keys(facts) == sorted(
        (x["table"], x["code"], x["name"], dec(x["total"]), dec(x["personnel"]), dec(x["public"]))
        for x in expected["economic_lines"])
    assert category_keys(facts) == sorted(
        (x["table"], x["name"], dec(x["amount"])) for x in expected["category_lines"])


def test_totals_read_from_the_tables(facts_002: DocumentFacts, facts_004: DocumentFacts) -> None:
    t = facts_002.totals
    assert (t.revenue_total, t.expenditure_total, t.basic, t.project, t.personnel, t.public_operating,
            t.carryover) == (Decimal("2582.46"), Decimal("2582.46"), Decimal("672.82"), Decimal("1909.64"),
                             Decimal("619.93"), Decimal("52.88"), Decimal("0.00"))
    t = facts_004.totals
    assert (t.basic, t.project, t.personnel, t.public_operating) == (
        Decimal("232.03"), Decimal("187.00"), Decimal("210.25"), Decimal("21.78"))
    assert t.carryover is None  # 上年结转结余 is blank in 004's table: the prose states it


def test_three_public_keeps_blank_cells_unstated(facts_002: DocumentFacts, facts_004: DocumentFacts) -> None:
    tp = facts_002.three_public
    assert (tp.total, tp.abroad, tp.reception, tp.car_total, tp.car_purchase, tp.car_operation) == (
        Decimal("9.6"), Decimal("0.00"), Decimal("6.5"), Decimal("0.00"), None, Decimal("3.1"))
    tp = facts_004.three_public
    assert (tp.total, tp.abroad, tp.car_total, tp.car_operation) == (
        Decimal("2.50"), None, Decimal("2.50"), Decimal("2.50"))


def test_subunits_from_unit_tables(facts_002: DocumentFacts, facts_004: DocumentFacts) -> None:
    assert [(s.name, s.code) for s in facts_002.subunits] == [
        ("社保股", None), ("竹山县医疗保障局", "058"), ("竹山县医疗保障局机关", "058001")]
    (unit,) = facts_004.subunits
    assert (unit.name, unit.nature, unit.grade, unit.funding) == ("巨鹿县医疗保障局本级", "行政", "正科级", "财政拨款")


def test_documents_without_budget_tables_give_no_lines() -> None:
    for name in ("000_01bf5e7cfe21490d.txt", "001_3b6ab00976185b7d.txt", "003_ce8a5d0d2740704b.txt"):
        facts = extract(sample(name), name)
        assert not facts.function_lines
        assert all(x.table.startswith("narrative") for x in (*facts.economic_lines, *facts.category_lines))
        assert all(v is None for v in (facts.totals.revenue_total, facts.totals.basic, facts.three_public.total))


# --- provenance ------------------------------------------------------------------------------------


def squeeze(text: str) -> str:
    return re.sub(r"\s+|</?b>", "", text)


def on_lines(lines: list[str], source: Source) -> str:
    assert source.lines, "no source"
    return "|".join(squeeze(lines[n - 1]) for n in source.lines)


@pytest.mark.parametrize("name", [DOC_002, DOC_004])
def test_every_line_names_the_lines_holding_its_code_name_and_amount(name: str) -> None:
    text = sample(name)
    lines = text.split("\n")
    facts = extract(text, name)
    for x in (*facts.function_lines, *facts.economic_lines):
        where = on_lines(lines, x.source)
        assert x.code in where and squeeze(x.name) in where and str(x.total) in where, (x, where)
    for c in facts.category_lines:
        where = on_lines(lines, c.source)
        assert c.name in where and str(c.amount) in where, (c, where)
    for key, source in facts.totals.sources.items():
        assert str(getattr(facts.totals, key)) in on_lines(lines, source), key


# --- variants ---------------------------------------------------------------------------------------


def split_tab_row(line: str) -> list[str] | None:
    """The cells of a tab-separated row, or None for a paragraph line."""
    return line.split("\t") if "\t" in line else None


def as_pipes(text: str) -> str:
    out = []
    for line in text.split("\n"):
        cells = split_tab_row(line)
        out.append(line if cells is None else "| " + " | ".join(cells) + " |")
    return "\n".join(out)


def as_cells(text: str) -> str:
    """Word-export layout: every cell on its own tab-led line, a blank line after each row."""
    out: list[str] = []
    for line in text.split("\n"):
        cells = split_tab_row(line)
        if cells is None:
            out.append(line)
        else:
            out.extend("\t" + c.strip() for c in cells)
            out.append("")
    return "\n".join(out)


def section(text: str, title: str) -> tuple[int, int]:
    """Line indexes [start, end) of a markdown-titled table section of the sample."""
    lines = text.split("\n")
    start = lines.index(f"## {title}")
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("#"))
    return start, end


def map_section_rows(text: str, title: str, change) -> str:  # type: ignore[no-untyped-def]
    lines = text.split("\n")
    start, end = section(text, title)
    for i in range(start, end):
        cells = split_tab_row(lines[i])
        if cells is not None:
            lines[i] = "\t".join(change(cells))
    return "\n".join(lines)


def without_sources_equal(a: DocumentFacts, b: DocumentFacts) -> None:
    assert all_keys(a) == all_keys(b)


@pytest.mark.parametrize("layout", [as_pipes, as_cells])
def test_the_same_tables_in_another_layout_give_the_same_lines(layout, facts_004: DocumentFacts) -> None:  # type: ignore[no-untyped-def]
    variant = extract(layout(sample(DOC_004)))
    without_sources_equal(variant, facts_004)
    assert variant.totals.basic == facts_004.totals.basic
    assert variant.three_public.total == facts_004.three_public.total


def test_word_layout_of_002_as_tab_rows_gives_the_same_lines(facts_002: DocumentFacts) -> None:
    """Cell-per-line rows of 002 turned into tab rows (one line per row)."""
    rows: list[str] = []
    cells: list[str] = []
    for line in sample(DOC_002).split("\n"):
        if line.startswith("\t") and line.count("\t") == 1:
            cells.append(line[1:].strip())
        elif not line.strip() and cells:
            rows.append("\t".join(cells) if len(cells) > 1 else cells[0])
            cells = []
        elif not cells:
            rows.append(line)
    variant = extract("\n".join(rows + ["\t".join(cells)]))
    without_sources_equal(variant, facts_002)


def test_renamed_titles_of_other_templates(facts_004: DocumentFacts) -> None:
    text = sample(DOC_004).replace("## 部门预算收支总表", "## 收支预算总表").replace(
        "## 部门预算支出总表", "## 财政拨款支出预算表（功能科目）")
    variant = extract(text)
    renamed = {"部门预算收支总表": "收支预算总表", "部门预算支出总表": "财政拨款支出预算表（功能科目）"}
    assert function_keys(variant) == sorted((renamed.get(k[0], k[0]), *k[1:]) for k in function_keys(facts_004))
    assert category_keys(variant) == sorted((renamed.get(k[0], k[0]), *k[1:]) for k in category_keys(facts_004))
    assert variant.totals.revenue_total == Decimal("419.03")


def test_amounts_in_yuan_are_kept_as_printed_with_their_unit(facts_004: DocumentFacts) -> None:
    title = "部门预算支出总表"

    def in_yuan(cells: list[str]) -> list[str]:
        return [f"{Decimal(c) * 10000:.2f}" if re.fullmatch(r"\d+\.\d\d", c) else c for c in cells]

    text = map_section_rows(sample(DOC_004), title, in_yuan)
    start, end = section(text, title)
    lines = text.split("\n")
    lines[start:end] = [line.replace("单位：万元", "单位：元") for line in lines[start:end]]
    read = read_budget_tables(Document("yuan.txt", "\n".join(lines)))
    assert {s.title: s.unit for s in read.segments}[title] == "元"
    assert {s.title: s.unit for s in read.segments}["部门预算收入总表"] == "万元"
    variant = extract("\n".join(lines))
    yuan = [k for k in function_keys(variant) if k[0] == title]
    wan = [k for k in function_keys(facts_004) if k[0] == title]
    assert yuan == [(*k[:3], *(None if v is None else Decimal(f"{v * 10000:.2f}") for v in k[3:])) for k in wan]
    assert ("部门预算支出总表", "2101501", "行政运行", Decimal("1707800.00"), Decimal("1707800.00"), None) in yuan
    assert {x.unit for x in variant.function_lines if x.table == title} == {"元"}
    assert {x.unit for x in variant.function_lines if x.table != title} == {"万元"}


def test_an_extra_reserve_column_is_not_read_as_basic_or_project(facts_004: DocumentFacts) -> None:
    def with_reserve(cells: list[str]) -> list[str]:
        if len(cells) < 6:
            return cells
        if cells[0] == "序号":
            extra = "预留机动经费"
        elif cells[0] == "栏次":
            extra = "3a"
        elif cells[0].strip() and re.fullmatch(r"\d+\.\d\d", cells[3].strip()):
            extra = "9.99"
        else:
            extra = ""
        return [*cells[:4], extra, *cells[4:]]

    variant = extract(map_section_rows(sample(DOC_004), "部门预算支出总表", with_reserve))
    without_sources_equal(variant, facts_004)
    assert variant.totals.basic == Decimal("232.03") and variant.totals.project == Decimal("187.00")


def test_page_numbers_between_rows_are_skipped(facts_004: DocumentFacts) -> None:
    lines = sample(DOC_004).split("\n")
    out: list[str] = []
    for i, line in enumerate(lines):
        out.append(line)
        if re.match(r"^\d+\t(20|30)\d{3}", line) and i % 3 == 0:
            out.append(f"- {i // 3} -" if i % 2 else str(i // 3))
    assert len(out) > len(lines)
    without_sources_equal(extract("\n".join(out)), facts_004)
    cells = as_cells("\n".join(out))
    without_sources_equal(extract(cells), facts_004)


def test_a_name_wrapped_over_two_lines_is_joined(facts_004: DocumentFacts) -> None:
    name = "机关事业单位基本养老保险缴费支出"
    lines = sample(DOC_004).split("\n")
    wrapped: list[str] = []
    for line in lines:
        cells = line.split("\t")
        if len(cells) > 3 and cells[2] == name:
            wrapped.append("\t".join([*cells[:2], name[:8], *cells[3:]]))
            wrapped.append("\t".join(["", "", name[8:]] + [""] * (len(cells) - 3)))
        else:
            wrapped.append(line)
    assert len(wrapped) == len(lines) + 3
    variant = extract("\n".join(wrapped))
    without_sources_equal(variant, facts_004)
    wrapped_lines = [x for x in variant.function_lines if x.name == name]
    assert all(len(x.source.lines) == 2 for x in wrapped_lines) and len(wrapped_lines) == 3
    # the Word layout wraps a cell onto an untabbed line instead
    cells_text = as_cells(sample(DOC_004)).replace(f"\t{name}\n", f"\t{name[:8]}\n{name[8:]}\n")
    without_sources_equal(extract(cells_text), facts_004)


def test_a_truncated_table_gives_no_invented_rows_and_names_the_line(facts_004: DocumentFacts) -> None:
    lines = sample(DOC_004).split("\n")
    start, _ = section(sample(DOC_004), "部门预算支出总表")
    cut = next(i for i in range(start, len(lines)) if "\t2101504\t" in lines[i])
    truncated = lines[:cut] + ["17\t2101504\t信息化"]
    facts = extract("\n".join(truncated))
    full = set(function_keys(facts_004))
    assert facts.function_lines and all(k in full for k in function_keys(facts))
    assert not any(x.code == "2101504" and x.table == "部门预算支出总表" for x in facts.function_lines)
    (issue,) = [i for i in facts.issues if i.code == "truncated-row"]
    assert issue.line == cut + 1
    assert "2101504" in issue.message and "expected" in issue.message and "合计" in issue.message


SPENDING = "部门预算一般公共预算财政拨款支出表"


def spending_lines(facts: DocumentFacts) -> list[tuple]:
    return [k for k in function_keys(facts) if k[0] == SPENDING]


def test_codes_printed_in_class_item_entry_columns(facts_004: DocumentFacts) -> None:
    """Templates that print the code as 类 | 款 | 项, each row only its new part."""
    def split_code_columns(cells: list[str]) -> list[str]:
        head, code, rest = cells[:1], cells[1], cells[2:]
        if cells[0] == "序号":
            parts = [code, "", ""]
        elif code == "科目编码":
            parts = ["类", "款", "项"]
        elif re.fullmatch(r"\d{3}", code):
            parts = [code, "", ""]
        elif re.fullmatch(r"\d{5}", code):
            parts = ["", code[3:], ""]
        elif re.fullmatch(r"\d{7}", code):
            parts = ["", "", code[5:]]
        else:
            parts = [code, "", ""]
        return [*head, *parts, *rest]

    variant = extract(map_section_rows(sample(DOC_004), SPENDING, split_code_columns))
    assert spending_lines(variant) == spending_lines(facts_004)


def test_last_year_and_change_columns_are_not_this_years_amounts(facts_004: DocumentFacts) -> None:
    def with_last_year(cells: list[str]) -> list[str]:
        if cells[0] == "序号":
            return [*cells[:3], "2023年预算数", *cells[3:], "比上年增减"]
        if cells[0] == "栏次":
            return [*cells[:3], "0", *cells[3:], "6"]
        if cells[0] == "":
            return [*cells[:3], "", *cells[3:], ""]
        return [*cells[:3], "1.11", *cells[3:], "-1.11"]

    variant = extract(map_section_rows(sample(DOC_004), SPENDING, with_last_year))
    assert spending_lines(variant) == spending_lines(facts_004)


def test_header_labels_wrapped_over_two_rows(facts_004: DocumentFacts) -> None:
    def wrapped_header(cells: list[str]) -> list[str]:
        if cells[0] == "序号":
            return [c[:2] if c in ("基本支出", "项目支出") else c for c in cells]
        if cells[0] == "" and cells[1] == "科目编码":
            return [*cells[:4], "支出", "支出", *cells[6:]]
        return cells

    variant = extract(map_section_rows(sample(DOC_004), SPENDING, wrapped_header))
    assert spending_lines(variant) == spending_lines(facts_004)


def test_lines_record_the_unit_printed_over_their_table(facts_002: DocumentFacts) -> None:
    units = {(x.table, x.unit) for x in (*facts_002.function_lines, *facts_002.economic_lines)}
    assert units == {("部门支出总体情况表（三）", "万元"), ("一般公共预算支出情况表（五）", None),
                     ("一般公共预算基本支出情况表（六）", None)}  # 表五 and 表六 print no 单位 line
    assert {c.unit for c in facts_002.category_lines} == {"万元"}


def test_kinds_of_spending_on_the_expenditure_side_are_not_categories() -> None:
    text = (
        "收入支出预算总表\n\n单位：万元\n\n"
        "收入\t\t支出\t\n项目\t预算数\t项目\t预算数\n"
        "一、一般公共预算拨款收入\t100.00\t一、一般公共服务支出\t60.00\n"
        "二、政府性基金预算拨款收入\t\t二、卫生健康支出\t40.00\n"
        "\t\t三、基本支出\t70.00\n\t\t四、项目支出\t30.00\n\t\t五、工资福利支出\t50.00\n"
        "本年收入合计\t100.00\t本年支出合计\t100.00\n"
    )
    facts = extract(text)
    assert category_keys(facts) == [("收入支出预算总表", "一般公共服务支出", Decimal("60.00")),
                                     ("收入支出预算总表", "卫生健康支出", Decimal("40.00"))]
    assert facts.totals.revenue_total == facts.totals.expenditure_total == Decimal("100.00")


def test_title_and_unit_in_one_row_and_a_compiler_row() -> None:
    text = (
        "部门预算收入总表\t\t单位：万元\n"
        "科目编码\t科目名称\t合计\n208\t社会保障和就业支出\t32.15\n"
        "财政拨款支出预算表（功能科目）\t\t\t\t\n"
        "编制单位：巨鹿县医疗保障局\t\t\t单位：元\t\n"
        "科目编码\t科目名称\t合计\t基本支出\t项目支出\n"
        "208\t社会保障和就业支出\t321500.00\t281500.00\t40000.00\n"
    )
    facts = extract(text)
    assert [(x.table, x.code, x.total, x.basic, x.project, x.unit) for x in facts.function_lines] == [
        ("部门预算收入总表", "208", Decimal("32.15"), None, None, "万元"),
        ("财政拨款支出预算表（功能科目）", "208", Decimal("321500.00"), Decimal("281500.00"), Decimal("40000.00"), "元"),
    ]


def test_a_table_without_a_title_is_named_by_the_heading_above_it() -> None:
    text = (
        "## 一般公共预算支出情况\n\n单位：万元\n\n"
        "| 科目编码 | 科目名称 | 合计 | 基本支出 | 项目支出 |\n|---|---|---|---|---|\n"
        "| 210 | 卫生健康支出 | 366.78 | 183.78 | 183.00 |\n"
    )
    (line,) = extract(text).function_lines
    assert (line.table, line.code, line.basic, line.source.lines) == ("一般公共预算支出情况", "210", Decimal("183.78"), (7,))


def test_department_wide_tables_give_the_totals_and_a_second_code_column_is_no_amount() -> None:
    text = (
        "一般公共预算支出表\n单位：万元\n"
        "科目编码\t科目名称\t合计\t基本支出\t项目支出\n合计\t\t90.00\t60.00\t30.00\n"
        "210\t卫生健康支出\t90.00\t60.00\t30.00\n\n"
        "部门支出总表\n单位：万元\n"
        "科目编码\t科目名称\t合计\t基本支出\t项目支出\n合计\t\t100.00\t70.00\t30.00\n"
        "210\t卫生健康支出\t100.00\t70.00\t30.00\n\n"
        "部门基本支出经济分类表\n单位：万元\n"
        "部门经济分类科目编码\t部门经济分类科目名称\t政府经济分类科目编码\t政府经济分类科目名称\t合计\t人员经费\t公用经费\n"
        "合计\t\t\t\t70.00\t60.00\t10.00\n"
        "301\t工资福利支出\t50101\t工资奖金津补贴\t60.00\t60.00\t\n"
    )
    facts = extract(text)
    assert (facts.totals.basic, facts.totals.project) == (Decimal("70.00"), Decimal("30.00"))
    assert facts.totals.sources["basic"].lines == (10,)
    (line,) = facts.economic_lines
    assert (line.code, line.name, line.total, line.personnel, line.public) == (
        "301", "工资福利支出", Decimal("60.00"), Decimal("60.00"), None)


def test_page_furniture_as_a_tab_row_and_a_unit_in_the_title() -> None:
    text = (
        "部门支出总表（单位：元）\n"
        "科目编码\t科目名称\t合计\t基本支出\t项目支出\n"
        "210\t卫生健康支出\t1000.00\t600.00\t400.00\n"
        "450 巨鹿县医疗保障局\t预算年度：2024\t单位：元\n"
        "科目编码\t科目名称\t合计\t基本支出\t项目支出\n"
        "21015\t医疗保障管理事务\t1000.00\t600.00\t400.00\n"
    )
    facts = extract(text)
    assert [(x.table, x.code, x.unit) for x in facts.function_lines] == [
        ("部门支出总表", "210", "元"), ("部门支出总表", "21015", "元")]


def test_a_document_cut_inside_a_tables_header_says_so() -> None:
    lines = sample(DOC_004).split("\n")
    start, _ = section(sample(DOC_004), "部门预算支出总表")
    header_end = next(i for i in range(start, len(lines)) if lines[i].startswith("栏次"))
    facts = extract("\n".join(lines[: header_end + 1]))
    issues = [i for i in facts.issues if i.code == "truncated-table"]
    assert len(issues) == 1 and issues[0].line == header_end + 1
    assert "部门预算支出总表" in issues[0].message and "expected" in issues[0].message
    assert not [i for i in extract(sample(DOC_004)).issues if i.code == "truncated-table"]


def test_rows_without_trailing_empty_cells_are_read_without_issues(facts_004: DocumentFacts) -> None:
    stripped = "\n".join(line.rstrip("\t") for line in sample(DOC_004).split("\n"))
    facts = extract(stripped)
    without_sources_equal(facts, facts_004)
    assert not facts.issues


def test_a_continued_title_goes_on_with_the_same_table(facts_004: DocumentFacts) -> None:
    """Page breaks printed as the title again, marked 续表 / （续）, instead of page furniture."""
    text = sample(DOC_004)
    start, end = section(text, "部门预算支出总表")
    lines = text.split("\n")
    body = lines[start:end]
    body = [("## 部门预算支出总表（续）" if line == "450 巨鹿县医疗保障局" and i > 3 else line)
            for i, line in enumerate(body)]
    variant = extract("\n".join(lines[:start] + body + lines[end:]))
    without_sources_equal(variant, facts_004)


def test_category_amounts_one_empty_column_right_of_their_labels() -> None:
    text = (
        "部门收支总表\n单位：万元\n"
        "收入\t\t\t支出\t\t\n项目\t\t预算数\t项目\t\t预算数\n"
        "一、一般公共预算拨款收入\t\t100.00\t一、一般公共服务支出\t\t60.00\n"
        "\t\t\t二、卫生健康支出\t\t40.00\n\t\t\t三、教育支出\t\t\n"
        "上年结转\t\t\t结转下年\t\t\n本年收入合计\t\t100.00\t本年支出合计\t\t100.00\n"
    )
    facts = extract(text)
    assert (facts.totals.revenue_total, facts.totals.expenditure_total, facts.totals.carryover) == (
        Decimal("100.00"), Decimal("100.00"), None)
    assert category_keys(facts) == [("部门收支总表", "一般公共服务支出", Decimal("60.00")),
                                             ("部门收支总表", "卫生健康支出", Decimal("40.00"))]


def test_an_empty_column_between_code_and_name() -> None:
    text = (
        "部门支出总表\n单位：万元\n"
        "科目编码\t\t科目名称\t合计\t基本支出\t项目支出\n"
        "210\t\t卫生健康支出\t100.00\t70.00\t30.00\n"
    )
    assert function_keys(extract(text)) == [
        ("部门支出总表", "210", "卫生健康支出", Decimal("100.00"), Decimal("70.00"), Decimal("30.00"))]


@pytest.mark.parametrize("printed", ["表1：部门收支总表", "附表一 部门收支总表", "部门收支总表（单位：万元）", "**部门收支总表**"])
def test_title_forms(printed: str) -> None:
    from kg.extract.tables_segments import title_of

    assert title_of(printed) is not None
    assert title_of("详见下表。") is None and title_of("单位：万元") is None and title_of("部门收支总表 .....\t1") is None


def test_personnel_and_public_from_a_basic_spending_table_by_function_code() -> None:
    text = (
        "一般公共预算基本支出表\n单位：万元\n"
        "功能分类科目编码\t科目名称\t合计\t人员经费\t公用经费\n合计\t\t70.00\t60.00\t10.00\n"
        "2101501\t行政运行\t70.00\t60.00\t10.00\n"
    )
    facts = extract(text)
    assert (facts.totals.personnel, facts.totals.public_operating) == (Decimal("60.00"), Decimal("10.00"))
    assert [(x.code, x.total) for x in facts.function_lines] == [("2101501", Decimal("70.00"))]


def test_word_header_whose_lowest_row_lacks_the_merged_cells() -> None:
    rows = [["一般公共预算支出表"], ["单位：万元"], ["科目编码", "科目名称", "本年一般公共预算支出"],
            ["合计", "基本支出", "项目支出"], ["210", "卫生健康支出", "100.00", "70.00", "30.00"]]
    text = "\n\n".join("\n".join("\t" + c for c in row) for row in rows) + "\n"
    assert function_keys(extract(text)) == [
        ("一般公共预算支出表", "210", "卫生健康支出", Decimal("100.00"), Decimal("70.00"), Decimal("30.00"))]


def test_a_key_value_row_naming_a_unit_is_no_subunit_header() -> None:
    text = "项目基本情况表\n单位名称\t竹山县医疗保障局\n项目名称\t医疗保险专项经费\n项目负责人\t某某\n"
    assert extract(text).subunits == ()


def test_expenditure_rows_that_lost_their_empty_revenue_cells_and_coded_categories() -> None:
    rows = [["部门收支总表"], ["收入", "支出"], ["项目", "预算数", "项目", "预算数"],
            ["一、一般公共预算拨款收入", "100.00", "一、教育支出", "60.00"],
            ["二、卫生健康支出", "40.00"], ["本年收入合计", "100.00", "本年支出合计", "100.00"]]
    text = "\n\n".join("\n".join("\t" + c for c in row) for row in rows) + "\n"
    assert category_keys(extract(text)) == [("部门收支总表", "卫生健康支出", Decimal("40.00")),
                                             ("部门收支总表", "教育支出", Decimal("60.00"))]
    coded = "部门收支总表\n收入\t\t支出\t\n一般公共预算拨款收入\t100.00\t205 教育支出\t100.00\n"
    assert category_keys(extract(coded)) == [("部门收支总表", "教育支出", Decimal("100.00"))]


def test_an_unreadable_amount_is_named_not_guessed() -> None:
    text = ("部门支出总表\n科目编码\t科目名称\t合计\t基本支出\t项目支出\n"
            "210\t卫生健康支出\t1OO.00\t70.00\t—\n")
    facts = extract(text)
    (line,) = facts.function_lines
    assert (line.total, line.basic, line.project) == (None, Decimal("70.00"), None)
    (issue,) = facts.issues
    assert issue.code == "unreadable-amount" and issue.line == 3 and "1OO.00" in issue.message


def test_titles_printed_with_spaces_between_characters(facts_004: DocumentFacts) -> None:
    text = sample(DOC_004)
    for title in ("部门预算收支总表", "部门预算财政拨款“三公”经费支出表"):
        text = text.replace(f"## {title}", "## " + " ".join(title))
    variant = extract(text)
    assert [k[1:] for k in category_keys(variant)] == [k[1:] for k in category_keys(facts_004)]
    assert variant.totals.revenue_total == Decimal("419.03") and variant.three_public.total == Decimal("2.50")


def test_a_total_row_labelled_expenditure_total() -> None:
    text = ("部门支出总表\n科目编码\t科目名称\t合计\t基本支出\t项目支出\n"
            "\t支出合计\t100.00\t70.00\t30.00\n210\t卫生健康支出\t100.00\t70.00\t30.00\n")
    facts = extract(text)
    assert (facts.totals.basic, facts.totals.project) == (Decimal("70.00"), Decimal("30.00"))


def test_this_years_spending_heading_is_no_category() -> None:
    text = ("财政拨款收支总表\n收入\t\t支出\t\n"
            "一、本年收入\t100.00\t一、本年支出\t100.00\n"
            "（一）一般公共预算拨款\t100.00\t（一）教育支出\t100.00\n"
            "\t\t（二）卫生健康支出\t0.00\n")
    assert [k[1:] for k in category_keys(extract(text))] == [
        ("卫生健康支出", Decimal("0.00")), ("教育支出", Decimal("100.00"))]
