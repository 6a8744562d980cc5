"""Measure links against hand labels (``tests/data/links/*.json``): precision and recall."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kg.analyze.links import DutyLink


@dataclass(frozen=True)
class Quality:
    true_positives: int
    predicted: int
    expected: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.expected if self.expected else 1.0


def labelled_pairs(labels: dict[str, Any]) -> set[tuple[str, str, int]]:
    """(document, project, duty) triples of a labels file."""
    return {(labels["document"], item["project"], duty) for item in labels["links"] for duty in item["duties"]}


def measure_pairs(predicted: Iterable[tuple[str, str, int]], labels: Iterable[dict[str, Any]]) -> Quality:
    """Precision and recall of (document, project, duty) predictions on the labelled documents."""
    expected: set[tuple[str, str, int]] = set()
    documents: set[str] = set()
    for item in labels:
        expected |= labelled_pairs(item)
        documents.add(item["document"])
    kept = {p for p in predicted if p[0] in documents}
    return Quality(len(kept & expected), len(kept), len(expected))


def measure(links: Iterable[DutyLink], labels: Iterable[dict[str, Any]]) -> Quality:
    """Precision and recall of the links of the labelled documents."""
    return measure_pairs(((lk.document, lk.project, lk.duty) for lk in links), labels)


def measure_entries(entries: Iterable[dict[str, Any]], labels: Iterable[dict[str, Any]]) -> Quality:
    """The same for ``links.json`` entries."""
    return measure_pairs(((e["document"], e["project"], int(e["duty"])) for e in entries), labels)
