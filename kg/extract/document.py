"""The parsed form of one document that every interpreter reads."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from kg.extract.layout import Block, Paragraph, Table, parse_layout
from kg.extract.text import Line, split_lines


@dataclass(frozen=True)
class Document:
    """A document's name, its numbered lines and their layout (paragraphs and tables)."""

    name: str
    text: str

    @cached_property
    def lines(self) -> tuple[Line, ...]:
        return split_lines(self.text)

    @cached_property
    def blocks(self) -> tuple[Block, ...]:
        return parse_layout(self.lines)

    @cached_property
    def tables(self) -> tuple[Table, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Table))

    @cached_property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Paragraph))

    def line(self, number: int) -> Line:
        return self.lines[number - 1]
