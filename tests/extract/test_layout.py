import pytest

from kg.extract.layout import Paragraph, Table, parse_layout
from kg.extract.text import split_lines


def test_cell_per_line_rows_with_continuation_lines() -> None:
    text = "标题\n\n\t单位名称\n\t单位性质\n\n\t曲阳县医疗保障局\n\t行政\n续行\n\n正文\n"
    blocks = parse_layout(split_lines(text))
    assert isinstance(blocks[0], Paragraph) and blocks[0].text == "标题"
    table = blocks[1]
    assert isinstance(table, Table) and table.style == "cells"
    assert [r.texts for r in table.rows] == [("单位名称", "单位性质"), ("曲阳县医疗保障局", "行政\n续行")]
    assert table.rows[1].cells[1].lines == (7, 8)
    assert isinstance(blocks[2], Paragraph) and blocks[2].line.number == 10


def test_tab_rows_and_pipe_rows() -> None:
    text = "序号\t项目\t预算数\n1\t一、一般公共预算拨款收入\t419.03\n\n| 项目 | 预算数 |\n|---|---|\n| 合计 | 1.00 |\n"
    tabs, pipes = parse_layout(split_lines(text))
    assert isinstance(tabs, Table) and tabs.style == "tabs"
    assert tabs.rows[1].texts == ("1", "一、一般公共预算拨款收入", "419.03")
    assert isinstance(pipes, Table) and pipes.style == "pipes"
    assert [r.texts for r in pipes.rows] == [("项目", "预算数"), ("合计", "1.00")]
    assert pipes.rows[1].line == 6


def test_a_line_holding_only_its_tab_is_an_empty_cell_not_a_row_break() -> None:
    text = "\t表头\n\n\t\n\t\n\t六、社会保障和就业支出\n\t0.00\n\n\t\n\t合计\n\t2582.46\n"
    (table,) = parse_layout(split_lines(text))
    assert isinstance(table, Table)
    assert [r.texts for r in table.rows] == [
        ("表头",), ("", "", "六、社会保障和就业支出", "0.00"), ("", "合计", "2582.46")
    ]
    assert table.rows[1].cells[0].lines == (3,)


def test_a_page_number_between_the_cells_of_a_row_is_no_part_of_a_cell() -> None:
    text = "\t2101501\n\t行政运行\n- 12 -\n\t170.78\n\n\t2101504\n\t信息化\n建设\n\t30.00\n"
    (table,) = parse_layout(split_lines(text))
    assert isinstance(table, Table)
    assert [r.texts for r in table.rows] == [("2101501", "行政运行", "170.78"), ("2101504", "信息化\n建设", "30.00")]


def test_cells_built_through_the_slot_setters_are_ordinary_frozen_cells() -> None:
    import dataclasses

    from kg.extract.layout import Cell, _cell

    built = _cell("一般公共预算", (3, 4))
    assert built == Cell("一般公共预算", (3, 4)) and hash(built) == hash(Cell("一般公共预算", (3, 4)))
    assert type(built) is Cell and (built.text, built.lines, built.line) == ("一般公共预算", (3, 4), 3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.text = "x"  # type: ignore[misc]
