"""Category and economic lines stated in sentences, used only where a document has no tables."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from kg.extract.budget_tables import extract_budget_tables
from kg.extract.document import Document
from kg.extract.tables_narrative import narrative_lines

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"


def test_enumerated_classes_with_amounts() -> None:
    text = (
        "按支出功能分类主要用于以下方面：\n"
        "（一）社会保障和就业支出21.07万元，主要用于养老保险单位缴费支出。\n"
        "（二）卫生健康支出433.04万元，主要用于：一是维持日常行政运行的商品和服务支出29.99万元；"
        "四是对个人和家庭的补助支出8.88万元。\n"
        "收入预算总额为481.28万元，其中：工资福利支出266.7万元，较2019年235.7万元增加了31万元；"
        "商品和服务支出30.11万元。\n"
        "2．社会保障和就业支出：指单位用于基本养老保险缴费的支出。\n"
    )
    categories, economic = narrative_lines(Document("n.txt", text))
    assert [(c.name, c.amount, c.source.lines) for c in categories] == [
        ("社会保障和就业支出", Decimal("21.07"), (2,)), ("卫生健康支出", Decimal("433.04"), (3,))]
    assert [(e.name, e.total) for e in economic] == [
        ("工资福利支出", Decimal("266.7")), ("商品和服务支出", Decimal("30.11"))]


def test_other_expenditure_takes_the_kind_of_its_sentence() -> None:
    text = "项目支出2458.93万元，主要为社会保障和就业支出167.88、卫生健康支出2291.05、其他支出0万元。\n"
    categories, economic = narrative_lines(Document("n.txt", text))
    assert [(c.name, c.amount) for c in categories][-1] == ("其他支出", Decimal("0"))
    assert not economic


def test_tables_win_over_sentences() -> None:
    name = "004_79c49c8e4410479a.txt"
    text = (SAMPLES / name).read_text(encoding="utf-8")
    text += "\n\n（一）社会保障和就业支出99.99万元，主要用于养老保险。\n"
    facts = extract_budget_tables(Document(name, text))
    assert all(c.table != "narrative" for c in facts.category_lines)
    assert Decimal("99.99") not in {c.amount for c in facts.category_lines}


def test_sample_without_tables_states_its_lines_in_prose() -> None:
    name = "001_3b6ab00976185b7d.txt"
    facts = extract_budget_tables(Document(name, (SAMPLES / name).read_text(encoding="utf-8")))
    assert {(c.name, c.amount) for c in facts.category_lines} == {
        ("社会保障和就业支出", Decimal("21.07")), ("医疗卫生与计划生育支出", Decimal("433.04")),
        ("住房保障支出", Decimal("27.17"))}
    assert {(e.name, e.total) for e in facts.economic_lines} == {
        ("工资福利支出", Decimal("266.7")), ("商品和服务支出", Decimal("30.11")),
        ("对个人和家庭的补助支出", Decimal("9.7"))}
