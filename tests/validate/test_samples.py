"""The Done-when list of issue 4 on the samples: 000 is clean, the gold inconsistencies are reported."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kg.extract import extract_bytes
from kg.validate.engine import validate_store
from kg.validate.report import ValidationReport
from kg.validate.shapes import ShapesIndex

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"

#: (document prefix, rule, severity, substrings of the English message) — one row per gold inconsistency.
EXPECTED = [
    # 002 竹山县
    ("002", "category-agrees-across-tables", "Violation", ["卫生健康支出", "2582.46", "财政拨款收支总体情况表（四）", "is 0 "]),
    ("002", "category-agrees-across-tables", "Violation", ["节能环保支出", "部门收支总体情况表（一）"]),
    ("002", "row-total-equals-parts", "Violation", ["部门支出总体情况表（三）", "row 21015 ", "639.72", "679.72"]),
    ("002", "row-total-equals-parts", "Violation", ["row 2101501 ", "639.72", "679.72"]),
    ("002", "parent-equals-children", "Violation", ["部门支出总体情况表（三）", "code 210 (total)", "2582.46", "2542.46"]),
    ("002", "code-agrees-across-tables", "Violation", ["code 2101501 (total)", "639.72", "712.82"]),
    ("002", "name-under-two-codes", "Violation", ["财政对其他基本医疗保险基金的补助", "2101299", "2101201"]),
    ("002", "parent-equals-children", "Violation", ["一般公共预算基本支出情况表（六）", "code 301 (total)", "672.81", "616.11"]),
    ("002", "row-total-equals-parts", "Violation", ["一般公共预算基本支出情况表（六）", "row 301 ", "672.81", "619.93"]),
    ("002", "table-total-equals-top-rows", "Violation", ["一般公共预算基本支出情况表（六）", "column total", "729.51", "672.82"]),
    ("002", "table-total-row-equals-top-rows", "Violation", ["一般公共预算基本支出情况表（六）", "column total", "合计 is 672.81", "729.51"]),
    ("002", "figure-parts-sum", "Violation", ["三公经费合计", "9.6", "6.5"]),
    ("002", "figure-part-not-above-whole", "Violation", ["公务用车运行维护费", "3.1", "公务用车购置及运行维护费"]),
    ("002", "project-start-year", "Warning", []),
    ("002", "figure-parts-sum-rounding", "Info", ["基本支出", "672.82", "672.81"]),
    # 004 巨鹿县
    ("004", "stated-project-amount", "Violation", ["城乡社会保险代办员补助资金", " 3,", "has 4"]),
    ("004", "stated-project-listing", "Violation", ["9 project amounts", "186", "187"]),
    ("004", "indicator-kind-mismatch", "Warning", ["资金成本", "≤10万元", "时效指标"]),
    ("004", "indicator-kind-mismatch", "Warning", ["完成及时率", "成本指标"]),
    ("004", "indicator-rate-ceiling", "Warning", ["权益保障率", "≤95%"]),
    ("004", "indicator-cost-floor", "Warning", ["资金成本", "≥20万元"]),
    ("004", "plan-reaches-full", "Warning", ["长期护理保险专项经费", "75%"]),
    ("004", "plan-reaches-full", "Warning", ["医保网络信息建设经费", "75%"]),
    ("004", "plan-reaches-full", "Warning", ["225 号", "75%"]),
    ("004", "plan-reaches-full", "Warning", ["208 号", "75%"]),
    # 001 米易县
    ("001", "stated-breakdown-sum", "Violation", ["revenue total is stated as 481.28", "481.21"]),
    ("001", "stated-breakdown-sum", "Violation", ["revenue total (previous year) is stated as 273.08", "283.08"]),
    ("001", "stated-rate-recomputes", "Violation", ["revenue total (growth rate)", "76.13", "76.24"]),
    ("001", "stated-rate-recomputes", "Violation", ["operating costs (growth rate)", "57.13", "1161.18"]),
    ("001", "stated-change-recomputes", "Violation", ["revenue total (increase)", "207.92", "208.2"]),
    # 003 秦皇岛市
    ("003", "indicator-vacuous-floor", "Warning", ["受助人员救助增长率", "≥0"]),
    ("003", "indicator-vacuous-floor", "Warning", ["接收救济对象的满意度", "≥0"]),
    ("003", "plan-blank", "Warning", ["医疗保险业务经费"]),
]


def _matches(report: ValidationReport, doc: str, rule: str, severity: str, parts: list[str]) -> list[str]:
    return [
        r.message for r in report.results
        if r.rule == rule and r.severity == severity and report.label(r.document).startswith(doc)
        and all(p in r.message for p in parts)
    ]


@pytest.mark.parametrize(("doc", "rule", "severity", "parts"), EXPECTED, ids=[f"{d}-{r}-{i}" for i, (d, r, _, _) in enumerate(EXPECTED)])
def test_gold_inconsistency_is_reported(sample_report: ValidationReport, doc: str, rule: str, severity: str, parts: list[str]) -> None:
    assert _matches(sample_report, doc, rule, severity, parts), [
        r.message for r in sample_report.results if r.rule == rule]


def test_000_which_adds_up_has_no_findings(sample_report: ValidationReport) -> None:
    assert [r.message for r in sample_report.results if sample_report.label(r.document).startswith("000")] == []


def test_nothing_else_is_reported_as_a_violation(sample_report: ValidationReport) -> None:
    """Every violation on the samples is one of the expected ones (no false alarms)."""
    expected_rules = {(d, r) for d, r, s, _ in EXPECTED if s == "Violation"}
    unexpected = [
        (sample_report.label(r.document), r.rule, r.message) for r in sample_report.results
        if r.severity == "Violation" and (sample_report.label(r.document)[:3], r.rule) not in expected_rules
    ]
    assert unexpected == []


def test_results_name_document_lines_and_values(sample_report: ValidationReport) -> None:
    result = next(r for r in sample_report.results if r.rule == "stated-project-listing")
    assert result.message.startswith("004_79c49c8e4410479a.txt, line 419:")
    assert result.message_zh.startswith("004_79c49c8e4410479a.txt 第 419 行")
    assert dict(result.values)["expected"] == "186" and result.value == "187"
    assert result.document and result.document.endswith("/document/004_79c49c8e4410479a")


def test_000_extracted_from_its_text_has_no_violations(index: ShapesIndex, store_of: Any) -> None:
    """On real extraction output (with provenance), the sample that adds up stays clean."""
    path = SAMPLES / "000_01bf5e7cfe21490d.txt"
    facts = extract_bytes(Path(path).read_bytes(), path.name)
    report = validate_store(store_of([facts]), index)
    assert [(r.rule, r.focus, r.message) for r in report.results if r.severity == "Violation"] == []


@pytest.fixture(scope="module")
def extracted_report(index: ShapesIndex, store_of: Any) -> ValidationReport:
    """The samples as the pipeline itself reads them (extraction → model → validation)."""
    facts = [extract_bytes(p.read_bytes(), p.name) for p in sorted(SAMPLES.glob("*.txt"))]
    return validate_store(store_of(facts), index)


@pytest.mark.parametrize(("doc", "rule", "severity", "parts"), EXPECTED, ids=[f"{d}-{r}-{i}" for i, (d, r, _, _) in enumerate(EXPECTED)])
def test_the_pipeline_output_reports_it_too(extracted_report: ValidationReport, doc: str, rule: str, severity: str, parts: list[str]) -> None:
    assert _matches(extracted_report, doc, rule, severity, parts), [
        r.message for r in extracted_report.results if r.rule == rule]
