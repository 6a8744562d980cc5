"""The samples re-laid-out: every table rendered as Word cells, PDF tab rows and markdown pipes.

Whatever layout a department's export uses, the same projects and indicators must come out: this
re-renders each sample's tables in each layout (paragraphs untouched) and checks against gold.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from kg.extract.document import Document
from kg.extract.layout import Paragraph, parse_layout
from kg.extract.performance import extract_projects
from kg.extract.text import split_lines

SAMPLES = sorted(p.name for p in (Path(__file__).resolve().parents[2] / "data" / "samples").glob("*.txt"))


def norm(text: object) -> str:
    folded = unicodedata.normalize("NFKC", "" if text is None else str(text))
    return "".join(ch for ch in folded if not (ch.isspace() or unicodedata.category(ch).startswith("P")))


def render_row(cells: list[str], style: str) -> list[str]:
    if style == "cells":
        first, *rest = [c.split("\n") for c in cells] or [[""]]
        out = []
        for parts in [first, *rest]:
            out.append("\t" + parts[0])
            out.extend(parts[1:])  # a cell's further paragraphs: untabbed lines, as Word exports them
        return [*out, ""]
    flat = [c.replace("\n", " ") for c in cells]
    if len(flat) < 3:
        flat += [""] * (3 - len(flat))  # a one- or two-cell row must still read as a row
    if style == "tabs":
        return ["\t".join(flat)]
    return ["| " + " | ".join(flat) + " |"]


def relayout(text: str, style: str) -> str:
    out: list[str] = []
    for block in parse_layout(split_lines(text)):
        if isinstance(block, Paragraph):
            out += [block.line.text, ""]
            continue
        for i, row in enumerate(block.rows):
            cells = [c.text for c in row.cells]
            if not any(cells):
                continue
            out += render_row(cells, style)
            if style == "pipes" and i == 0:
                out.append("|" + "---|" * max(len(cells), 3))
        out.append("")
    return "\n".join(out)


@pytest.mark.parametrize("style", ["cells", "tabs", "pipes"])
@pytest.mark.parametrize("name", SAMPLES)
def test_relaid_out_sample_gives_the_gold_projects(name: str, style: str, samples_dir: Path,
                                                   gold: dict[str, dict]) -> None:
    text = relayout((samples_dir / name).read_text(encoding="utf-8"), style)
    facts = extract_projects(Document(name, text))
    expected = gold[name]["projects"]
    assert [norm(p.name) for p in facts.projects] == [norm(p["name"]) for p in expected]
    for project, wanted in zip(facts.projects, expected, strict=True):
        got = Counter((norm(i.level1), norm(i.level2), norm(i.level3), norm(i.target)) for i in project.indicators)
        want = Counter(tuple(norm(i[f]) for f in ("level1", "level2", "level3", "target"))
                       for i in wanted["indicators"])
        assert got == want, project.name
        assert project.code == wanted["code"]
        assert project.amount == (None if wanted["amount"] is None else Decimal(str(wanted["amount"])))
