"""Shared fixtures: the bundled sample corpus and the gold facts copied from shared/gold."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
GOLD = Path(__file__).resolve().parent / "data" / "gold"


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def sample_paths() -> list[Path]:
    return sorted(SAMPLES.glob("*.txt"))


@pytest.fixture(scope="session")
def gold_dir() -> Path:
    return GOLD


@pytest.fixture(scope="session")
def gold() -> dict[str, dict]:
    """Gold facts by document file name (``000_….txt``), decimals exact."""
    return {
        p.stem + ".txt": json.loads(p.read_text(encoding="utf-8"), parse_float=Decimal)
        for p in sorted(GOLD.glob("*.json"))
    }
