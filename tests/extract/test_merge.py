"""Merging the interpreters' partial facts: earlier interpreters (tables) win single values."""

from __future__ import annotations

from decimal import Decimal

from kg.extract import INTERPRETERS, merge_facts
from kg.extract.facts import DocumentFacts, Duty, Source, Statement, ThreePublic, Totals


def test_interpreters_run_identity_tables_performance_then_prose() -> None:
    assert [f.__module__.rsplit(".", 1)[-1] for f in INTERPRETERS] == [
        "identity", "budget_tables", "performance", "prose",
    ]


def test_a_table_value_wins_over_prose_and_keeps_its_source() -> None:
    table = DocumentFacts(
        "d.txt",
        totals=Totals(revenue_total=Decimal("2582.46"), sources={"revenue_total": Source.of(18)}),
        three_public=ThreePublic(total=Decimal("9.6"), sources={"total": Source.of(900)}),
    )
    prose = DocumentFacts(
        "d.txt",
        totals=Totals(
            revenue_total=Decimal("2582.00"), personnel=Decimal("619.93"),
            sources={"revenue_total": Source.of(5), "personnel": Source.of(6)},
        ),
        three_public=ThreePublic(total=Decimal("9"), reception=Decimal("6.5"),
                                 sources={"total": Source.of(7), "reception": Source.of(7)}),
        operating_costs=Decimal("10"),
        duties=(Duty("负责。", 1, Source.of(3)),),
        statements=(Statement("revenue_total", Decimal("2582.00"), "收入2582.00万元。", source=Source.of(5)),),
        sources={"operating_costs": Source.of(8)},
    )
    identity = DocumentFacts("d.txt", bureau="竹山县医疗保障局", year=2022, sources={"bureau": Source.of(1)})
    merged = merge_facts([identity, table, prose])
    assert merged.totals.revenue_total == Decimal("2582.46")
    assert merged.totals.sources["revenue_total"] == Source.of(18)
    assert merged.totals.personnel == Decimal("619.93") and merged.totals.sources["personnel"] == Source.of(6)
    assert (merged.three_public.total, merged.three_public.reception) == (Decimal("9.6"), Decimal("6.5"))
    assert merged.three_public.sources["total"] == Source.of(900)
    assert merged.operating_costs == Decimal("10")
    assert merged.sources == {"bureau": Source.of(1), "operating_costs": Source.of(8)}
    assert (merged.bureau, merged.year, len(merged.duties), len(merged.statements)) == ("竹山县医疗保障局", 2022, 1, 1)
