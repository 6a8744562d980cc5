"""The facts JSON written by ``kg extract`` is exactly :func:`kg.io.dumps_json` of the facts."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from kg.extract import extract_bytes
from kg.extract.facts import to_json
from kg.extract.run import facts_json_text
from kg.io import dumps_json


def test_sample_facts_are_written_as_dumps_json_writes_them(samples_dir: Path) -> None:
    samples = sorted(samples_dir.glob("*.txt"))
    assert samples
    for sample in samples:
        data = to_json(extract_bytes(sample.read_bytes(), sample.name))
        assert facts_json_text(data) == dumps_json(data), sample.name


@pytest.mark.parametrize("value", [
    {}, [], {"a": []}, {"a": {}}, {"k": [[], {}, [{}], ()]},
    [1, -3, True, False, None, 'quote " and\nnewline\t\u3000全角', Decimal("20.10"), Decimal("-0.5"), Decimal("1E+3")],
    {"decimal marker": "\ue000a\ue001"},  # left to dumps_json
    {1: 2, "float": 1.5},  # non-string keys and floats: left to dumps_json
])
def test_edge_values_match_dumps_json(value: object) -> None:
    assert facts_json_text(value) == dumps_json(value)
