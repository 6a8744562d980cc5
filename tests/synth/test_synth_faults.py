"""Validation finds every fault injected into a synthetic corpus, and nothing in a clean one."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.model.build import build
from kg.synth import write_corpus
from kg.synth.generate import FAULT_KINDS
from kg.io import read_json
from kg.validate.command import validate_build

# The rule each fault kind must fire (the subject code or name appears in the finding).
EXPECTED_RULE = {
    "parent-sum": "parent-equals-children",
    "three-public-total": "figure-parts-sum",
    "project-prose-amount": "stated-project-amount",
    "economic-total": "parent-equals-children",
}


@pytest.fixture(scope="module")
def faulty_corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("synth")
    write_corpus(root / "corpus", bureaus=12, years=1, seed=5, fault_rate=1.0)
    build([root / "corpus" / "documents"], root / "build")
    return root / "corpus", root / "build"


def test_every_injected_fault_is_reported_by_the_right_rule(faulty_corpus: tuple[Path, Path]) -> None:
    corpus, build_dir = faulty_corpus
    report = validate_build(build_dir)
    kinds = set()
    for truth_path in sorted((corpus / "truth").glob("*.json")):
        truth = read_json(truth_path)
        (fault,) = truth["faults"]
        kinds.add(fault["kind"])
        stem = truth["document"].rsplit(".", 1)[0]
        fired = {r.rule for r in report.results
                 if r.document and r.document.endswith(f"/{stem}") and r.severity == "Violation"}
        assert EXPECTED_RULE[fault["kind"]] in fired, (stem, fault, sorted(fired))
    assert kinds == set(FAULT_KINDS)


def test_a_clean_synthetic_corpus_has_no_violations(tmp_path: Path) -> None:
    write_corpus(tmp_path / "corpus", bureaus=4, years=2, seed=9, fault_rate=0.0)
    build([tmp_path / "corpus" / "documents"], tmp_path / "build")
    report = validate_build(tmp_path / "build")
    violations = [(r.rule, r.document, r.message) for r in report.results if r.severity == "Violation"]
    assert violations == []
