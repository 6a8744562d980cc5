"""``kg.model.jsontext.facts_json`` writes exactly the text of ``kg.io.dumps_json``."""

from decimal import Decimal
from pathlib import Path

import pytest

from kg.extract.facts import from_json, to_json
from kg.io import dumps_json, read_json
from kg.model.jsontext import facts_json

GOLD = sorted((Path(__file__).resolve().parents[1] / "data" / "gold").glob("*.json"))


@pytest.mark.parametrize("path", GOLD, ids=lambda p: p.name)
def test_facts_json_equals_dumps_json_on_gold(path: Path) -> None:
    data = to_json(from_json(read_json(path)))
    assert facts_json(data) == dumps_json(data)


@pytest.mark.parametrize("value", [
    {}, [], {"a": []}, {"a": {}}, [[[]]], Decimal("5"), "\ue000x\ue001", {1: 2}, {"x": 1e300},
    [1, 2.5, True, False, None, 'q"\n\t中', Decimal("20.10"), Decimal("1E+3"), Decimal("-0.00"), float("nan"), (1, 2)],
    {"k": {"n": [{"z": Decimal("0.50"), "w": ["a", {"b": None}]}]}},
])
def test_facts_json_equals_dumps_json_on_edge_cases(value: object) -> None:
    assert facts_json(value) == dumps_json(value)
