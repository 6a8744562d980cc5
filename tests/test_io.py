"""kg.io: the fast JSON writer gives exactly the reference text; atomic writes."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from kg.extract import extract_bytes
from kg.extract.facts import from_json, to_json
from kg.io import dumps_json, dumps_json_reference, read_json

GOLD = sorted((Path(__file__).resolve().parent / "data" / "gold").glob("*.json"))


@pytest.mark.parametrize("path", GOLD, ids=lambda p: p.name)
def test_fast_json_equals_the_reference_on_gold_facts(path: Path) -> None:
    data = to_json(from_json(read_json(path)))
    assert dumps_json(data) == dumps_json_reference(data)


def test_fast_json_equals_the_reference_on_extracted_samples(sample_paths: list[Path]) -> None:
    for sample in sample_paths:
        data = to_json(extract_bytes(sample.read_bytes(), sample.name))
        assert dumps_json(data) == dumps_json_reference(data), sample.name


@pytest.mark.parametrize("value", [
    {}, [], {"a": []}, {"a": {}}, [[[]]], {"k": [[], {}, [{}], ()]}, Decimal("5"),
    [1, -3, 2.5, True, False, None, 'q"\n\t\u3000中', Decimal("20.10"), Decimal("1E+3"), Decimal("-0.00"),
     float("nan"), float("inf"), (1, 2)],
    {"k": {"n": [{"z": Decimal("0.50"), "w": ["a", {"b": None}]}]}},
    {"decimal marker": "\ue000a\ue001"},  # left to the reference path
    {1: 2, "x": 1e300},  # a non-string key: left to the reference path
    # the same keys at several levels and in several objects (their texts are made once per level)
    {"a": {"a": [{"a": 1, "b": True}, {"b": False, "a": None}]}, "b": [{"a": {"a": Decimal("1.0")}}]},
    {type("Key", (str,), {})("k"): 1, "k2": type("Text", (str,), {})("v")},  # str subclasses
    [{"a": 1}, [{"a": 2}, []], ({"a": 3},)],
    {"f": 0.1, "g": [1.5, float("-inf"), 1e300, -0.0], "n": float("nan")},  # floats in objects and lists
])
def test_fast_json_equals_the_reference_on_edge_cases(value: object) -> None:
    assert dumps_json(value) == dumps_json_reference(value)


def test_decimals_keep_their_printed_digits() -> None:
    assert dumps_json({"total": Decimal("20.10")}) == '{\n "total": 20.10\n}\n'


def test_usable_cpus_follow_the_affinity_else_the_cpu_count(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from kg.io import usable_cpus

    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 3, 5}, raising=False)
    assert usable_cpus() == 3
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 6)
    assert usable_cpus() == 6
