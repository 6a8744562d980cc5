"""Cheap rejections before the work must reject only what the work would reject.

``label_key`` folds text with NFKC before comparing it with header words, so a check of the printed
text for a character of those words is exact only while no other character folds to it.
"""

from __future__ import annotations

import sys
import unicodedata

import pytest

from kg.extract.indicators import header_role, read_header
from kg.extract.performance import _IDENTITY_KEYS, _IDENTITY_MARKS, _KEYS
from kg.extract.layout import Cell
from kg.extract.project_lists import _columns
from kg.extract.row_stream import StreamRow


@pytest.mark.parametrize("char", ["级", "称", "码", "号"])
def test_only_the_character_itself_folds_to_it(char: str) -> None:
    sources = [chr(c) for c in range(sys.maxunicode + 1) if char in unicodedata.normalize("NFKC", chr(c))]
    assert sources == [char]


def _row(*texts: str) -> StreamRow:
    return StreamRow(tuple(Cell(t, (i + 1,)) for i, t in enumerate(texts)), 0, False)


def test_an_indicator_header_is_still_read_and_a_row_without_levels_rejected() -> None:
    header = _row("一级指标", "二级 指标", "三级指标（年度）", "指标值")
    columns = read_header(header)
    assert columns is not None and columns.index == {"level1": 0, "level2": 1, "level3": 2, "target": 3}
    assert header_role("三级指标") == ("level3", 0)
    assert read_header(_row("项目名称", "指标名称", "指标值", "备注")) is None


def test_a_project_list_header_is_still_read_and_a_row_without_names_rejected() -> None:
    assert _columns(_row("序号", "项目 名称", "项目类型", "本年预算")) == (1, 3)
    assert _columns(_row("序号", "项目", "项目类型", "本年预算")) is None


def test_every_name_or_code_label_has_an_identity_mark() -> None:
    labels = [label for label, field in _KEYS.items() if field in _IDENTITY_KEYS]
    assert labels and all(any(mark in label for mark in _IDENTITY_MARKS) for label in labels)
