"""Synthetic disclosure documents with known true facts, for scale tests and benchmarks.

``kg synth --bureaus N --years Y --seed S --out DIR`` writes ``DIR/documents/<name>.md`` (in the
layout of the national template exported from PDF) and ``DIR/truth/<name>.json`` (the facts in
the gold form, with the injected faults under ``faults`` and ``inconsistencies``). The same seed
gives the same corpus, byte for byte.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.io import write_json_atomic, write_text_atomic
from kg.synth.generate import FAULT_KINDS, generate_budget, inject_fault, make_region
from kg.synth.render import render_document

__all__ = ["SynthDocument", "synthesize", "write_corpus"]

FIRST_YEAR = 2021


@dataclass(frozen=True)
class SynthDocument:
    name: str
    text: str
    truth: dict[str, Any]


def synthesize(bureaus: int, years: int, seed: int = 0, fault_rate: float = 0.0) -> Iterator[SynthDocument]:
    """Documents for ``bureaus`` × ``years``; each gets one injected fault with ``fault_rate``."""
    for b in range(bureaus):
        region = make_region(b)
        for y in range(years):
            year = FIRST_YEAR + y
            rng = random.Random(f"{seed}:{b}:{year}")
            budget = generate_budget(rng, region, year)
            if rng.random() < fault_rate:
                budget = inject_fault(rng, budget, rng.choice(FAULT_KINDS))
            name = f"synth_{region.code}_{year}"
            text, truth = render_document(budget, f"{name}.md")
            yield SynthDocument(name, text, truth)


def write_corpus(out_dir: Path, bureaus: int, years: int, seed: int = 0, fault_rate: float = 0.0) -> int:
    """Write the corpus; returns the number of documents."""
    count = 0
    for doc in synthesize(bureaus, years, seed, fault_rate):
        write_text_atomic(out_dir / "documents" / f"{doc.name}.md", doc.text)
        write_json_atomic(out_dir / "truth" / f"{doc.name}.json", doc.truth)
        count += 1
    return count
