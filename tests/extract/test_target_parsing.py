"""Indicator targets: raw text → (comparator, value, unit), or nothing for qualitative text."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.extract.facts import Target
from kg.extract.targets import parse_target


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("≥95%", Target(">=", Decimal("95"), "%")),
        ("≥1000平方米", Target(">=", Decimal("1000"), "平方米")),
        ("≤18万元", Target("<=", Decimal("18"), "万元")),
        ("≤27 万元", Target("<=", Decimal("27"), "万元")),
        ("不晚于12月底", Target("<=", Decimal("12"), "月底")),
        ("不晚于 12 月底", Target("<=", Decimal("12"), "月底")),
        ("=100%", Target("=", Decimal("100"), "%")),
        ("＝１００％", Target("=", Decimal("100"), "%")),
        (">=90%", Target(">=", Decimal("90"), "%")),
        ("≥36 万人", Target(">=", Decimal("36"), "万人")),
        ("≥19万份", Target(">=", Decimal("19"), "万份")),
        ("≥5.2万/方", Target(">=", Decimal("5.2"), "万/方")),
        ("≥16摄氏度", Target(">=", Decimal("16"), "摄氏度")),
        ("≤12 月", Target("<=", Decimal("12"), "月")),
        ("不低于98%", Target(">=", Decimal("98"), "%")),
        ("95%以上", Target(">=", Decimal("95"), "%")),
        ("1人", Target("=", Decimal("1"), "人")),
        ("11 个", Target("=", Decimal("11"), "个")),
        ("11 月底", Target("=", Decimal("11"), "月底")),
        ("4月", Target("=", Decimal("4"), "月")),
        ("1.00", Target("=", Decimal("1.00"), None)),
        ("1719.64", Target("=", Decimal("1719.64"), None)),
        ("≥95优95%以上、良85%-95%、中75%-85%、差75%以下", Target(">=", Decimal("95"), None)),
        ("≥0优95%以上、良85%-95%、中75%-85%、差75%一下", Target(">=", Decimal("0"), None)),
        ("≥90超过90%符合条件的人受助", Target(">=", Decimal("90"), None)),
        (">95优", Target(">", Decimal("95"), None)),
        ("100优", Target("=", Decimal("100"), None)),
    ],
)
def test_numeric_targets_are_parsed(raw: str, expected: Target) -> None:
    assert parse_target(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "按人社部门审批标准执行",
        "保障水电暖日常供应",
        "按时完成门诊慢病评审鉴定工作",
        "85%-95%",
        "2022年1月至12月",
        "1名劳务派遣人员按时发放",
        "",
        None,
    ],
)
def test_qualitative_targets_have_no_parsed_form(raw: str | None) -> None:
    assert parse_target(raw) is None


def test_decimal_value_is_kept_exactly_as_printed() -> None:
    parsed = parse_target("≥99.50%")
    assert parsed is not None and str(parsed.value) == "99.50"


@given(st.text(max_size=30))
def test_any_text_parses_or_is_left_alone(raw: str) -> None:
    parsed = parse_target(raw)
    assert parsed is None or (parsed.value is not None and parsed.comparator in {">=", "<=", ">", "<", "="})
