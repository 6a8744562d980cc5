"""Mutation tests: change one number in a copy of a sample and the right rule fires naming the right
code; put it back and the findings are exactly those of the untouched sample again."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.extract.facts import DocumentFacts
from kg.validate.engine import validate_store
from kg.validate.report import ValidationReport
from kg.validate.shapes import ShapesIndex

TABLE = "部门预算支出总表"


def run(facts: DocumentFacts, index: ShapesIndex, store_of: Any) -> ValidationReport:
    return validate_store(store_of([facts]), index)


def keys(report: ValidationReport) -> set[tuple[str, str, str]]:
    return {(r.rule, r.focus, r.message) for r in report.results}


@pytest.fixture(scope="module")
def base(sample_facts: dict[str, DocumentFacts]) -> DocumentFacts:
    return sample_facts["004"]


@pytest.fixture(scope="module")
def baseline(base: DocumentFacts, index: ShapesIndex, store_of: Any) -> set[tuple[str, str, str]]:
    return keys(run(base, index, store_of))


def with_line_total(facts: DocumentFacts, table: str, code: str, total: Decimal) -> DocumentFacts:
    lines = tuple(replace(x, total=total) if (x.table, x.code) == (table, code) else x for x in facts.function_lines)
    assert lines != facts.function_lines
    return replace(facts, function_lines=lines)


def new_findings(mutated: DocumentFacts, index: ShapesIndex, store_of: Any, baseline: set[tuple[str, str, str]]) -> list[tuple[str, str]]:
    return sorted((rule, message) for rule, _, message in keys(run(mutated, index, store_of)) - baseline)


def test_a_child_line_changed(base: DocumentFacts, index: ShapesIndex, store_of: Any, baseline: set[Any]) -> None:
    found = new_findings(with_line_total(base, TABLE, "2101501", Decimal("171.78")), index, store_of, baseline)
    rules = {rule for rule, _ in found}
    assert {"parent-equals-children", "row-total-equals-parts", "code-agrees-across-tables"} <= rules
    assert any(rule == "parent-equals-children" and "code 21015 (total)" in m and "294.78" in m for rule, m in found)
    assert any(rule == "row-total-equals-parts" and "row 2101501 " in m for rule, m in found)


def test_a_total_changed(base: DocumentFacts, index: ShapesIndex, store_of: Any, baseline: set[Any]) -> None:
    mutated = replace(base, totals=replace(base.totals, basic=Decimal("233.03")))
    found = new_findings(mutated, index, store_of, baseline)
    rules = {rule for rule, _ in found}
    assert {"figure-parts-sum", "table-total-equals-top-rows", "statement-agrees-with-figure"} <= rules
    assert any(rule == "figure-parts-sum" and "基本支出 is 233.03" in m and "232.03" in m for rule, m in found)


def test_a_project_amount_changed(base: DocumentFacts, index: ShapesIndex, store_of: Any, baseline: set[Any]) -> None:
    projects = tuple(replace(p, amount=Decimal("21.00")) if p.name == "医保宣传经费" else p for p in base.projects)
    found = new_findings(replace(base, projects=projects), index, store_of, baseline)
    assert any(rule == "project-amounts-sum" and "188" in m for rule, m in found)
    assert any(rule == "stated-project-amount" and "医保宣传经费" in m and "has 21" in m for rule, m in found)


def test_restored_is_clean_again(base: DocumentFacts, index: ShapesIndex, store_of: Any, baseline: set[Any]) -> None:
    original = next(x.total for x in base.function_lines if (x.table, x.code) == (TABLE, "2101501"))
    assert original is not None
    broken = with_line_total(base, TABLE, "2101501", original + 1)
    assert new_findings(broken, index, store_of, baseline)
    restored = with_line_total(broken, TABLE, "2101501", original)
    assert keys(run(restored, index, store_of)) == baseline


_CODES_WITH_FAMILY = ("208", "20805", "2080501", "2080505", "210", "21011", "2101101", "21015", "2101501", "2101599", "221")


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(code=st.sampled_from(_CODES_WITH_FAMILY),
       delta=st.decimals(min_value=Decimal("0.10"), max_value=Decimal("500"), places=2))
def test_any_changed_total_is_caught_naming_its_code(base: DocumentFacts, index: ShapesIndex, store_of: Any,
                                                      baseline: set[Any], code: str, delta: Decimal) -> None:
    original = next(x.total for x in base.function_lines if (x.table, x.code) == (TABLE, code))
    assert original is not None
    found = new_findings(with_line_total(base, TABLE, code, original + delta), index, store_of, baseline)
    assert any(f"code {code} " in m or f"row {code} " in m for _, m in found), found
