"""The extraction floor: ``kg extract data/samples`` scored against the gold facts in tests/data/gold.

Runs the scorer shipped with the gold (a copy of shared/tools/score_extraction.py) and holds, per
group of facts, F1 ≥ 0.98 and precision ≥ 0.99 over all samples, and the scorer's own
``--min-f1 0.98`` gate on the overall score.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kg.extract.run import extract_documents

SCORER = Path(__file__).resolve().parents[1] / "data" / "score_extraction.py"

HELD_GROUPS = (
    "identity", "totals", "three_public", "duties", "function_lines", "category_lines", "economic_lines",
    "projects", "project_fields", "indicators",
)
"""Every group of the scorer: all pass."""

MIN_F1 = 0.98
MIN_PRECISION = 0.99


@pytest.fixture(scope="module")
def facts_dir(samples_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("facts")
    extract_documents([samples_dir], out)
    return out


def score(gold_dir: Path, facts_dir: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCORER), str(gold_dir), str(facts_dir), *options],
        capture_output=True, text=True, check=False,
    )


@pytest.fixture(scope="module")
def scores(gold_dir: Path, facts_dir: Path) -> dict:
    return json.loads(score(gold_dir, facts_dir, "--json").stdout)


def test_the_scorers_overall_floor(gold_dir: Path, facts_dir: Path) -> None:
    result = score(gold_dir, facts_dir, "--min-f1", str(MIN_F1))
    assert result.returncode == 0, result.stdout[-2000:]


def group_totals(scores: dict, group: str) -> tuple[int, int, int]:
    """(gold, out, hit) of one group summed over the documents (the scorer's micro average)."""
    gold = out = hit = 0
    for groups in scores["documents"].values():
        gold += groups[group]["gold"]
        out += groups[group]["out"]
        hit += groups[group]["hit"]
    return gold, out, hit


@pytest.mark.parametrize("group", HELD_GROUPS)
def test_group_meets_the_floor(scores: dict, group: str) -> None:
    gold, out, hit = group_totals(scores, group)
    recall = hit / gold if gold else 1.0
    precision = hit / out if out else (1.0 if not gold else 0.0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    assert gold > 0, f"the gold holds no {group} facts: the test would prove nothing"
    assert precision >= MIN_PRECISION, f"{group}: precision {precision:.3f} ({hit}/{out})"
    assert f1 >= MIN_F1, f"{group}: F1 {f1:.3f} (recall {recall:.3f}, precision {precision:.3f})"


def test_every_sample_is_scored(scores: dict, gold_dir: Path) -> None:
    assert set(scores["documents"]) == {p.name for p in gold_dir.glob("*.json")}
