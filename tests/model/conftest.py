"""Fixtures of the model tests: the gold facts (tests/data/gold) and their knowledge graph."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.extract.facts import DocumentFacts
from kg.model.inputs import load
from kg.model.iris import Iris
from kg.model.mapping import dataset_quads

GOLD = Path(__file__).resolve().parent.parent / "data" / "gold"


@pytest.fixture(scope="session")
def gold_paths() -> list[Path]:
    return sorted(GOLD.glob("*.json"))


@pytest.fixture(scope="session")
def gold_facts(gold_paths: list[Path]) -> list[DocumentFacts]:
    facts = [load(p).facts for p in gold_paths]
    assert all(f is not None for f in facts)
    return facts  # type: ignore[return-value]


@pytest.fixture(scope="session")
def gold_quads(gold_facts):
    return dataset_quads(gold_facts, Iris())
