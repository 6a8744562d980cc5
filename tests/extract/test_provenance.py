"""Provenance: every fact's source lines hold the text or number the fact was read from."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest

from kg.extract import extract_text
from kg.extract.facts import DocumentFacts, Source
from kg.extract.text import clean, decode_document

SAMPLES = sorted(p.name for p in (Path(__file__).resolve().parents[2] / "data" / "samples").glob("*.txt"))


def squeeze(text: str) -> str:
    """Text as compared here: markup and all white space removed, full-width folded."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", clean(text)))


def at(lines: list[str], source: Source) -> str:
    assert source.lines, "no source lines"
    assert all(1 <= n <= len(lines) for n in source.lines), f"source {source.lines} outside the document"
    return "".join(squeeze(lines[n - 1]) for n in source.lines)


def printed(value: Decimal) -> str:
    return squeeze(str(value))


@pytest.fixture(scope="module", params=SAMPLES)
def extracted(request: pytest.FixtureRequest, samples_dir: Path) -> tuple[DocumentFacts, list[str]]:
    path = samples_dir / request.param
    text = decode_document(path.read_bytes(), path.name)
    return extract_text(text, path.name), text.split("\n")


def test_duties_are_read_from_their_lines(extracted: tuple[DocumentFacts, list[str]]) -> None:
    facts, lines = extracted
    for duty in facts.duties:
        assert squeeze(duty.text) in at(lines, duty.source), duty


def test_stated_totals_three_public_and_operating_costs_hold_their_number(
    extracted: tuple[DocumentFacts, list[str]],
) -> None:
    facts, lines = extracted
    for group in (facts.totals, facts.three_public):
        for key, source in group.sources.items():
            value = getattr(group, key)
            assert value is not None, key
            assert printed(value) in at(lines, source), key
    if facts.operating_costs is not None:
        assert printed(facts.operating_costs) in at(lines, facts.sources["operating_costs"])


def test_statements_hold_their_number_and_sentence(extracted: tuple[DocumentFacts, list[str]]) -> None:
    facts, lines = extracted
    for statement in facts.statements:
        source = at(lines, statement.source)
        assert printed(statement.value) in source, statement
        assert squeeze(statement.text) in "".join(squeeze(line) for line in lines), statement


def test_identity_is_read_from_its_lines(extracted: tuple[DocumentFacts, list[str]]) -> None:
    facts, lines = extracted
    assert facts.bureau and squeeze(facts.bureau) in at(lines, facts.sources["bureau"])
    assert str(facts.year) in at(lines, facts.sources["year"])
    assert facts.unit and facts.unit in at(lines, facts.sources["unit"])


def test_every_line_row_project_and_indicator_points_into_the_document(
    extracted: tuple[DocumentFacts, list[str]],
) -> None:
    facts, lines = extracted
    rows = [*facts.function_lines, *facts.economic_lines, *facts.category_lines, *facts.subunits]
    rows += [*facts.projects, *(i for p in facts.projects for i in p.indicators), *facts.goals]
    for row in rows:
        at(lines, row.source)
    for row in [*facts.function_lines, *facts.economic_lines]:
        assert squeeze(row.code) in at(lines, row.source), row
