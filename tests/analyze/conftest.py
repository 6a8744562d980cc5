"""Fixtures for the analysis tests: gold facts as ``DocumentFacts`` and the hand-labelled links."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kg.extract.facts import DocumentFacts, from_json
from kg.io import read_json

DATA = Path(__file__).resolve().parent.parent / "data"


def _normalise_gold(data: dict[str, Any]) -> dict[str, Any]:
    """Gold files may give ``spending_plan`` as ``{period: share}``; facts JSON uses a list."""
    for project in data.get("projects") or []:
        plan = project.get("spending_plan")
        if isinstance(plan, dict):
            project["spending_plan"] = [{"period": k, "share": v} for k, v in plan.items()]
    return data


def load_gold(path: Path) -> DocumentFacts:
    return from_json(_normalise_gold(read_json(path)))


@pytest.fixture(scope="session")
def gold_facts() -> list[DocumentFacts]:
    return [load_gold(p) for p in sorted((DATA / "gold").glob("*.json"))]


@pytest.fixture(scope="session")
def gold_by_doc(gold_facts: list[DocumentFacts]) -> dict[str, DocumentFacts]:
    return {f.document[:3]: f for f in gold_facts}


@pytest.fixture(scope="session")
def link_labels() -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((DATA / "links").glob("*.json"))]
