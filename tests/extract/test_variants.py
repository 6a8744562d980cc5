"""Variants of the samples (renamed, re-laid-out, renumbered, other units) give the same prose facts.

Each variant is built by code from a bundled sample, so the interpreters cannot fit the exact
text of the five documents.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from kg.extract import extract_text
from kg.extract.enumeration import chinese_numeral
from kg.extract.facts import DocumentFacts
from kg.extract.text import decode_document

PROSE = "001_3b6ab00976185b7d.txt"
WORD = "000_01bf5e7cfe21490d.txt"
PDF = "004_79c49c8e4410479a.txt"


def read(samples_dir: Path, name: str) -> str:
    return decode_document((samples_dir / name).read_bytes(), name)


def prose_facts(facts: DocumentFacts) -> tuple:
    return (
        [d.text for d in facts.duties],
        {k: v for k, v in vars(facts.totals).items() if k != "sources"},
        {k: v for k, v in vars(facts.three_public).items() if k != "sources"},
        facts.operating_costs,
    )


def renumber(text: str, style: str) -> str:
    """（一）… list items → ``1.`` / ``(1)`` / ``一、`` items."""
    def item(m: re.Match[str]) -> str:
        n = chinese_numeral(m.group(1))
        return {"dot": f"{n}.", "paren": f"({n})", "comma": f"{n}、"}[style]
    return re.sub(r"^（([一二三四五六七八九十]+)）", item, text, flags=re.M)


@pytest.fixture(scope="module")
def original(samples_dir: Path) -> DocumentFacts:
    return extract_text(read(samples_dir, PROSE), PROSE)


def test_renamed_department_and_region(samples_dir: Path, original: DocumentFacts) -> None:
    text = read(samples_dir, PROSE).replace("米易县医疗保障局", "旺苍县交通运输局").replace("米易", "旺苍")
    facts = extract_text(text, "renamed.txt")
    assert (facts.bureau, facts.region, facts.year) == ("旺苍县交通运输局", "旺苍县", 2020)
    assert len(facts.duties) == len(original.duties)
    assert prose_facts(facts)[1:] == prose_facts(original)[1:]


@pytest.mark.parametrize("style", ["dot", "paren", "comma"])
def test_renumbered_duties(samples_dir: Path, original: DocumentFacts, style: str) -> None:
    facts = extract_text(renumber(read(samples_dir, PROSE), style), "renumbered.txt")
    assert [d.text for d in facts.duties] == [d.text for d in original.duties]


def test_relaid_out_as_markdown_without_blank_lines_and_with_page_breaks(
    samples_dir: Path, original: DocumentFacts,
) -> None:
    lines = [line for line in read(samples_dir, PROSE).split("\n") if line.strip()]
    out: list[str] = []
    for i, line in enumerate(lines, 1):
        if re.match(r"^[一二三四五六七八九十]+、", line):
            line = "## " + line
        out.append(line)
        if i % 25 == 0:
            out += ["", f"- {i // 25} -", ""]
    facts = extract_text("\n".join(out), "markdown.md")
    assert prose_facts(facts) == prose_facts(original)


def test_a_sentence_cut_by_a_page_break_is_read_whole(samples_dir: Path) -> None:
    text = read(samples_dir, WORD).replace("包括人员经费266.91万元和", "包括人员经费266.91万元和\n\n第 3 页\n\n")
    facts = extract_text(text, "page-break.txt")
    assert facts.totals.public_operating == Decimal("14.98")
    assert facts.totals.sources["public_operating"].lines[-1] > facts.totals.sources["personnel"].line


def test_amounts_in_yuan_are_read_in_the_documents_unit(samples_dir: Path, original: DocumentFacts) -> None:
    def to_yuan(m: re.Match[str]) -> str:
        return f"{Decimal(m.group(1)) * 10000:f}元"
    text = re.sub(r"(\d+(?:\.\d+)?)\s*万元", to_yuan, read(samples_dir, PROSE))
    facts = extract_text(text, "yuan.txt")
    assert facts.unit == "元"
    assert facts.totals.revenue_total == original.totals.revenue_total * 10000
    assert facts.operating_costs == Decimal("4100100.00")
    assert facts.three_public.reception == Decimal("6100.00")


def test_province_prefix_and_spaced_year_in_the_title(samples_dir: Path) -> None:
    text = read(samples_dir, WORD).replace("2020年部门预算信息公开情况说明", "2020 年 部门预算信息公开情况说明")
    text = text.replace("河北省曲阳县医疗保障局", "河北省保定市曲阳县医疗保障局")
    facts = extract_text(text, "title.txt")
    assert (facts.bureau, facts.region, facts.year) == ("曲阳县医疗保障局", "河北省保定市曲阳县", 2020)


def test_pdf_sample_with_duties_as_a_cell_per_line_table(samples_dir: Path) -> None:
    text = read(samples_dir, PDF)
    items = re.findall(r"^\((?:[一二三四五六七八九十]+)\)(.+)$", text, flags=re.M)[:9]
    cell = "\n\t部门职能概述\n\t" + "\n".join(f"（{n}）{t}" for n, t in zip("一二三四五六七八九", items, strict=True)) + "\n\n"
    start = text.index("### 部门职责")
    end = text.index("## 机构设置")
    facts = extract_text(text[:start] + cell + text[end:], "cells.md")
    assert [d.text for d in facts.duties] == [t.strip() for t in items]
