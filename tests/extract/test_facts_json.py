"""kg.extract.facts.to_json_text: the facts JSON text straight from the dataclasses is exactly
``dumps_json(to_json(facts))``, on real facts and on values that take the long way round."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

import pytest

from kg.extract import extract_bytes
from kg.extract.facts import (
    CategoryLine, DocumentFacts, Duty, FunctionLine, Indicator, PlanStep, Project, Source, Target, Totals,
    from_json, to_json, to_json_text,
)
from kg.io import dumps_json, read_json

GOLD = sorted((Path(__file__).resolve().parents[1] / "data" / "gold").glob("*.json"))


def _reference(facts: DocumentFacts) -> str:
    return dumps_json(to_json(facts))


@pytest.mark.parametrize("path", GOLD, ids=lambda p: p.name)
def test_gold_facts(path: Path) -> None:
    facts = from_json(read_json(path))
    assert to_json_text(facts) == _reference(facts)


def test_extracted_samples(sample_paths: list[Path]) -> None:
    for sample in sample_paths:
        facts = extract_bytes(sample.read_bytes(), sample.name)
        assert to_json_text(facts) == _reference(facts), sample.name


class _Text(str):
    pass


class _Amount(Decimal):
    pass


@dataclass(frozen=True)
class _Unknown:
    """A dataclass the facts module does not define (met in a field: the general rules)."""

    a: int
    b: str


_FULL = DocumentFacts(
    document="d.md", bureau="局", region=None, year=2024, unit="万元",
    duties=(Duty("职责一", 1, Source((3, 4, 9))), Duty("职责二", 2)),
    totals=Totals(revenue_total=Decimal("20.10"), basic=Decimal("1E+3"), project=Decimal("-0.00"),
                  sources={"revenue_total": Source((5,)), "basic": Source()}),
    function_lines=(FunctionLine("t", "201", "一般公共服务", Decimal("1.5"), None, Decimal("0"), Source((7,))),),
    category_lines=(CategoryLine("t", "收入", Decimal("2"), "revenue", Source((8, 8))),),
    projects=(Project("项目", amount=Decimal("3.00"), function_codes=("201", "202"), goals=("g",),
                      indicators=(Indicator("产出", "数量", "人数", "≥95%", parsed_target=Target(">=", Decimal("95"), "%"),
                                            source=Source((11,))),),
                      spending_plan=(PlanStep("10月底", Decimal("80.0"), Source((12,))),), start_year="2024"),),
    operating_costs=Decimal("12.30"),
    sources={"operating_costs": Source((13, 14)), "other": Source((1,))},
)


@pytest.mark.parametrize("facts", [
    DocumentFacts(document="empty.md"),
    _FULL,
    replace(_FULL, sources={}),  # no operating costs source: null
    replace(_FULL, sources=OrderedDict({"operating_costs": Source((1,))})),  # a dict subclass
    replace(_FULL, sources={1: Source((1,))}),  # a key that is not a string
    replace(_FULL, bureau=_Text("局")),  # a str subclass
    replace(_FULL, operating_costs=_Amount("1.10")),  # a Decimal subclass
    replace(_FULL, operating_costs=1.25),  # a float
    replace(_FULL, year=True),  # a bool
    replace(_FULL, duties=(Duty("x", 1, Source((True,))),)),  # a bool as a line number
    replace(_FULL, duties=(Duty("x", 1, Source((2, True))),)),
    replace(_FULL, region=_Unknown(1, "b")),  # a dataclass of no facts class
    replace(_FULL, bureau="\ue000marked\ue001"),  # dumps_json's Decimal markers in a text
    replace(_FULL, unit='q"\n\t\u3000中\\'),
])
def test_values_off_the_fast_path(facts: DocumentFacts) -> None:
    assert to_json_text(facts) == _reference(facts)


def test_a_subclass_of_the_facts_takes_the_long_way() -> None:
    @dataclass(frozen=True)
    class MoreFacts(DocumentFacts):
        extra: str = "x"

    facts = MoreFacts(document="m.md", extra="y")
    assert to_json_text(facts) == _reference(facts)
    assert '"extra": "y"' in to_json_text(facts)


@pytest.mark.parametrize("source", [
    {"line": 5, "lines": [5]}, {"lines": [7]}, {"line": 3}, {"lines": ["5"]}, {"lines": [True]}, {"lines": [5.0]},
    {"lines": [2, 9]}, {"lines": []}, {}, None, 4, {"lines": [-1]}, {"lines": [10 ** 6]}, {"line": 8, "lines": [9]},
])
def test_sources_read_as_source_from_json_reads_them(source: object) -> None:
    """One-line sources are shared between facts (looked up by line number): same values as before."""
    data = {"document": "s.md", "subunits": [{"name": "a", "source": source}, {"name": "b", "source": source}],
            "totals": {"sources": {"basic": source}}}
    facts = from_json(data)
    first, second = (unit.source for unit in facts.subunits)
    expected = Source.from_json(source)
    assert first == second == facts.totals.sources["basic"] == expected
    assert tuple(map(type, first.lines)) == tuple(map(type, expected.lines))
