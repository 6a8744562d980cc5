"""The compiled engine and the pyshacl reference agree on whole sample documents.

pyshacl takes a minute or more per sample (100–1000× the compiled engine), so two samples are
compared here: 003 from its gold facts (findings: ≥0 targets, a blank plan) and 000 as the pipeline
extracts it (no findings) — one document with results and one without.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kg.extract import extract_bytes
from kg.validate.engine import validate_store
from kg.validate.shacl import validate_store_pyshacl
from kg.validate.shapes import ShapesIndex


pytestmark = pytest.mark.slow
SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"


def _compare(store: Any, index: ShapesIndex) -> list[tuple[Any, ...]]:
    keys = ("rule", "focus", "severity", "document")
    fast = validate_store(store, index).flatten(keys)
    reference = validate_store_pyshacl(store, index).flatten(keys)
    assert sorted(fast) == sorted(reference)
    return fast


def test_engines_agree_on_sample_003_gold(index: ShapesIndex, store_of: Any, sample_facts: dict[str, Any]) -> None:
    results = _compare(store_of([sample_facts["003"]]), index)
    assert results, "003 has ≥0 targets and a blank spending plan: the comparison must cover findings"


def test_engines_agree_on_sample_000_extracted(index: ShapesIndex, store_of: Any) -> None:
    name = "000_01bf5e7cfe21490d.txt"
    facts = extract_bytes((SAMPLES / name).read_bytes(), name)
    assert _compare(store_of([facts]), index) == []
