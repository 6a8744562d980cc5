"""What validation reads from facts JSON: the gold files load as they are (validation-needs items 8–9)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from kg.extract.facts import from_json
from kg.io import read_json

GOLD = Path(__file__).resolve().parents[2] / "tests" / "data" / "gold"


@pytest.mark.parametrize("path", sorted(GOLD.glob("*.json")), ids=lambda p: p.stem[:3])
def test_every_gold_file_loads_without_conversion(path: Path) -> None:
    data = read_json(path)
    facts = from_json(data)
    for raw, project in zip(data.get("projects") or [], facts.projects, strict=True):
        plan = raw.get("spending_plan") or {}
        if isinstance(plan, dict):
            assert [(s.period, s.share) for s in project.spending_plan] == [
                (k, Decimal(str(v))) for k, v in plan.items()]


def test_mapping_and_list_plans_give_the_same_steps() -> None:
    as_mapping = {"document": "d.txt", "projects": [{"name": "p", "spending_plan": {"3月底": 25, "6月底": None}}]}
    as_list = {"document": "d.txt", "projects": [{"name": "p", "spending_plan": [
        {"period": "3月底", "share": 25}, {"period": "6月底", "share": None}]}]}
    steps = from_json(as_mapping).projects[0].spending_plan
    assert steps == from_json(as_list).projects[0].spending_plan
    assert [(s.period, s.share) for s in steps] == [("3月底", Decimal(25)), ("6月底", None)]
