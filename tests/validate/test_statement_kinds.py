"""Statement kinds (ontology/budget.ttl): every statement key extraction writes has zh/en labels,
the validation messages use them instead of the key, and a statement finds its figure through
its kind's notation, not through the figure's IRI."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.extract.statements import BASE_TERMS
from kg.validate.engine import validate_store
from kg.validate.report import ValidationReport
from kg.validate.shapes import ShapesIndex, subset

ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY = ROOT / "ontology" / "budget.ttl"
BUD = "https://budget-kg.org/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"

#: Keys with a subject (kg/extract/statements.py) and the suffixes a key may end in.
SUBJECT_KEYS = ("function_category", "economic_category", "revenue_item", "project_amount", "amount")
SUFFIXES = ("previous", "increase", "decrease", "change", "growth_rate", "decline_rate", "change_rate", "share", "rate")
PROSE_RULES = ("statement-agrees-with-figure", "statements-agree", "stated-change-recomputes",
               "stated-rate-recomputes", "stated-breakdown-sum")


@pytest.fixture(scope="module")
def kinds() -> dict[str, dict[str, object]]:
    """Notation → {"zh", "en", "figure"} of every bud:StatementKind."""
    store = ox.Store()
    store.load(path=str(ONTOLOGY), format=ox.RdfFormat.TURTLE)
    q = f"""SELECT ?n ?zh ?en ?ft WHERE {{ ?k a <{BUD}StatementKind> ; <{SKOS}notation> ?n ;
              <{SKOS}prefLabel> ?zh , ?en FILTER(lang(?zh) = "zh" && lang(?en) = "en")
              OPTIONAL {{ ?k <{BUD}statesFigure> ?ft }} }}"""
    out: dict[str, dict[str, object]] = {}
    for row in store.query(q):  # type: ignore[union-attr]
        n = row["n"].value
        assert n not in out, f"two statement kinds with the notation {n!r}"
        out[n] = {"zh": row["zh"].value, "en": row["en"].value, "figure": row["ft"].value if row["ft"] else None}
    return out


def test_every_key_part_has_a_kind(kinds: dict[str, dict[str, object]]) -> None:
    bases = {key for key, _ in BASE_TERMS} | set(SUBJECT_KEYS)
    assert bases | set(SUFFIXES) <= set(kinds)


def test_notations_do_not_overlap_as_base_or_suffix(kinds: dict[str, dict[str, object]]) -> None:
    """A key matches at most one base kind (notation + ".") and one suffix kind ("." + notation), or
    the messages' OPTIONAL lookups would give a result twice."""
    for a in kinds:
        for b in kinds:
            if a != b:
                assert not b.startswith(a + "."), (a, b)
                assert not b.endswith("." + a), (a, b)


def test_figure_kinds_name_figure_types(kinds: dict[str, dict[str, object]]) -> None:
    """The keys that name a budget figure are exactly those of the model's figures."""
    from kg.model.mapping import THREE_PUBLIC_FIGURES, TOTAL_FIGURES

    expected = {key: BUD + ftype for key, _, ftype in TOTAL_FIGURES}
    expected |= {f"three_public.{key}": BUD + ftype for key, _, ftype in THREE_PUBLIC_FIGURES}
    expected["operating_costs"] = BUD + "OperatingCostsTotal"
    assert {n: k["figure"] for n, k in kinds.items() if k["figure"]} == expected


def test_sample_messages_name_kinds_not_keys(sample_report: ValidationReport, sample_facts: dict[str, object]) -> None:
    keys = {s.key for f in sample_facts.values() for s in f.statements}  # type: ignore[attr-defined]
    prose = [r for r in sample_report.results if r.rule in PROSE_RULES]
    assert prose
    for r in prose:
        key = dict(r.values)["key"]
        assert key in keys
        assert key not in r.message and key not in r.message_zh, r.message


def test_the_statement_finds_its_figure_through_the_kind(index: ShapesIndex) -> None:
    """Figures named anything: only the kind's bud:statesFigure links the statement to one."""
    data = f"""
@prefix bud: <{BUD}> . @prefix ex: <https://example.org/> .
ex:b a bud:Budget .
ex:x a bud:BudgetTotal ; bud:budget ex:b ; bud:figureType bud:OfficialCarPurchase ; bud:amount 2.00 .
ex:y a bud:BudgetTotal ; bud:budget ex:b ; bud:figureType bud:ProjectExpenditure ; bud:amount 9.00 .
ex:s a bud:Statement ; bud:budget ex:b ; bud:statementKey "three_public.car_purchase" ; bud:value 3.00 .
ex:t a bud:Statement ; bud:budget ex:b ; bud:statementKey "project.previous" ; bud:value 3.00 .
"""
    store = ox.Store()
    store.load(data.encode(), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("urn:test:doc"))
    store.load(path=str(ONTOLOGY), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("https://budget-kg.org/graph/ontology"))
    found = validate_store(store, subset(index, ["statement-agrees-with-figure"])).results
    assert [r.focus for r in found] == ["https://example.org/s"]
    assert "正文所述公务用车购置费为 3" in found[0].message_zh and "states official car purchase as 3" in found[0].message


def test_kind_labels_fall_back_to_base_and_suffix_then_to_the_key(kinds: dict[str, dict[str, object]]) -> None:
    from kg.validate.engine import kind_labels

    labels = {n: {"zh": str(k["zh"]), "en": str(k["en"])} for n, k in kinds.items()}
    assert kind_labels("three_public.car_total", labels) == ("公务用车购置及运行维护费", "official cars")
    assert kind_labels("three_public.car_total.decline_rate", labels) == ("公务用车购置及运行维护费下降率", "official cars (decline rate)")
    assert kind_labels("increase", labels) == ("增加额", "increase")
    assert kind_labels("no_such.thing", labels) == ("no_such.thing", "no_such.thing")
    assert kind_labels("revenue_total", {}) == ("revenue_total", "revenue_total")
