"""A document cut inside its last multi-byte character (an interrupted download or copy) is still
read in its own encoding, and an undecodable document's error names the line of the first bad byte.

Regression: cutting a UTF-8 sample at an arbitrary byte made `kg extract` fail the whole document
with "cannot determine the text encoding" (and no line), whatever had been read before the cut.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import DocumentError
from kg.extract.text import decode_document

TEXT = "部门收支总表\n单位：万元\n本年收入合计\t419.03\n"


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
@pytest.mark.parametrize("cut", [1, 2])
def test_a_partial_last_character_is_dropped_and_the_lines_kept(encoding: str, cut: int) -> None:
    data = (TEXT + "医疗保障").encode(encoding)[:-cut]
    text = decode_document(data, "cut.txt")
    assert text.split("\n")[:3] == TEXT.split("\n")[:3]
    assert text.endswith("医疗保") and "\ufffd" not in text


def test_a_cut_sample_still_extracts(samples_dir: Path, tmp_path: Path) -> None:
    from kg.extract.run import extract_path

    data = (samples_dir / "004_79c49c8e4410479a.txt").read_bytes()
    cut = data.index("分项绩效目标".encode()) + 1  # inside 分: mid-character, after the budget tables
    (tmp_path / "cut.txt").write_bytes(data[:cut])
    result = extract_path(tmp_path / "cut.txt")
    assert result.ok, result.error
    assert result.facts.bureau == "巨鹿县医疗保障局" and result.facts.year == 2024
    assert result.facts.function_lines


def test_undecodable_bytes_are_reported_with_their_line() -> None:
    data = "第一行\n第二行\n".encode() + b"\x81\xff\xfe\x80" * 8 + b"\n"
    with pytest.raises(DocumentError) as info:
        decode_document(data, "bad.txt")
    assert "bad.txt" in str(info.value) and info.value.line == 3
