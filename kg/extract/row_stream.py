"""The document as one stream of rows: table rows and paragraphs (as one-cell rows) in order.

Performance tables mix layouts inside one project: key/value rows, untabbed paragraphs between
cells, indicator rows split by blank lines. Reading them as one ordered stream, rather than table by
table, keeps the interpreters independent of where the layout parser draws table boundaries.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from kg.extract.document import Document
from kg.extract.layout import Cell, Paragraph, Row, _cell

_MARKDOWN_HEADING = re.compile(r"^#+\s*")
_IMAGE = re.compile(r"\[image:[^\]]*\]")
_NOTE = re.compile(r"\([^)]*\)")


@dataclass(frozen=True)
class StreamRow(Row):
    """A table row or a paragraph; ``block`` tells rows of one table apart from the next."""

    block: int
    paragraph: bool

    def is_blank(self) -> bool:
        return not self.filled

    def single_text(self) -> str | None:
        """The text of a row with exactly one non-empty cell (a title, a label, a paragraph)."""
        filled = self.filled
        return filled[0].text if len(filled) == 1 else None


_new_object = object.__new__


def _stream_row(cells: tuple[Cell, ...], block: int, paragraph: bool) -> StreamRow:
    """``StreamRow(cells, block, paragraph)`` without the frozen dataclass ``__init__`` (one
    ``object.__setattr__`` per field; ~280 rows a document): StreamRow has no ``__post_init__``."""
    row = _new_object(StreamRow)
    fields = row.__dict__
    fields["cells"] = cells
    fields["block"] = block
    fields["paragraph"] = paragraph
    return row


def document_rows(doc: Document) -> tuple[StreamRow, ...]:
    rows: list[StreamRow] = []
    for index, block in enumerate(doc.blocks):
        if isinstance(block, Paragraph):
            cell = _cell(_IMAGE.sub("", _MARKDOWN_HEADING.sub("", block.text)).strip(), (block.line.number,))
            rows.append(_stream_row((cell,), index, True))
        elif block.style == "cells":
            for row in block.rows:
                rows.append(_stream_row(_leading_empty_cells(doc, row.cells) + row.cells, index, False))
        else:
            for row in block.rows:
                stream_row = _stream_row(row.cells, index, False)
                fields = stream_row.__dict__  # the same cells: what the layout row read of them
                fields["texts"] = row.texts
                fields["joined_text"] = row.joined_text
                fields["filled"] = row.filled
                rows.append(stream_row)
    return tuple(rows)


def _leading_empty_cells(doc: Document, cells: tuple[Cell, ...]) -> tuple[Cell, ...]:
    """Empty cells (tab-only lines) that open a cell-per-line row.

    A line holding only a tab is an empty cell (a merged 一级指标 cell), but after a row's blank
    separator it looks like one more blank line; recovering it keeps the row's columns aligned.
    """
    if not cells:
        return ()
    empty: list[Cell] = []
    number = cells[0].line - 1
    while number >= 1 and "\t" in (text := doc.line(number).text) and not text.strip():
        empty.insert(0, Cell("", (number,)))
        number -= 1
    return tuple(empty)


@lru_cache(maxsize=1 << 14)
def label_key(text: str) -> str:
    """A cell's text as a label: width-folded, without white space, ``(…)`` notes or a colon.

    ``资金支出计 划（%）`` → ``资金支出计划``; ``一级指标(年度)`` → ``一级指标``; ``其中：财政 资金`` → ``其中财政资金``.
    """
    folded = unicodedata.normalize("NFKC", text)
    folded = "".join(folded.split())
    folded = _NOTE.sub("", folded) if "(" in folded else folded
    return folded.replace(":", "").rstrip("：")


def joined(text: str) -> str:
    """A wrapped cell's lines joined as one text (``产出\\n指标`` → ``产出指标``)."""
    return "".join(part.strip() for part in text.split("\n")) if "\n" in text else text
