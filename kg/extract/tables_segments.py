"""Titled tables as a reader sees them: a title, a unit and rows, across page breaks.

The layout parser gives blocks; a budget table can be spread over several of them. A PDF export
repeats page furniture (``450 巨鹿县医疗保障局`` / ``预算年度：2024`` / ``单位：万元``, page numbers) and
the header rows at each page break; a Word export puts the title and the unit in single-cell rows
of one long cell-per-line table. This module walks the blocks in document order and cuts them into
:class:`TitledTable` segments: a new segment starts at every table title (``…表``, ``…表（三）``,
``…表（功能科目）``), furniture is dropped, repeated header rows are dropped, and a prose sentence or
a heading that is not a title ends the segment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg.extract.document import Document
from kg.extract.layout import Cell, Paragraph, Row, Table, cached, is_page_number
from kg.extract.tables_columns import split_code
from kg.extract.text import clean, compact, parse_amount

_HEADING_MARK = re.compile(r"^\s*#+\s*")
_TITLE_END = re.compile(r"表\s*(?:[（(][^（）()]{1,15}[)）]\s*)*$")
_CONTINUED = re.compile(r"\s*(?:[（(]续(?:表)?[)）]|续表)\s*$")
_SENTENCE_PUNCTUATION = re.compile(r"[。；;!！?？]")
_UNIT = re.compile(r"单\s*位\s*[:：]\s*(?P<unit>万元|千元|亿元|元)")
_MAX_TITLE_LENGTH = 60
_MAX_FURNITURE_LENGTH = 40


@dataclass(frozen=True)
class TitledTable:
    """One budget table: its title as printed (None before any title), unit and body rows."""

    title: str | None
    title_line: int | None
    unit: str | None
    rows: tuple[Row, ...]
    caption: str | None = None
    """For a table printed without a title: the short heading or line just above it."""
    left_aligned: bool = False
    """All rows are tab or pipe rows: a short row lost trailing empty cells, it has no merged ones."""

    @cached
    def parts(self) -> tuple[tuple[Row, ...], tuple[Row, ...]]:
        """The header rows (before the first body row) and the body rows; see :func:`split_header`."""
        for i, row in enumerate(self.rows):
            if has_data(row):
                return self.rows[:i], self.rows[i:]
        return self.rows, ()

    @property
    def name(self) -> str | None:
        """The title, else the caption: what the table is called in the facts."""
        return self.title or self.caption

    @property
    def first_line(self) -> int | None:
        return self.title_line if self.title_line is not None else (self.rows[0].line if self.rows else None)

    @property
    def last_line(self) -> int | None:
        lines = [n for r in self.rows for n in r.lines]
        return max(lines) if lines else self.title_line


_TABLE_NUMBER = re.compile(r"^(?:附)?表\s*[\d一二三四五六七八九十]+\s*[：:、.．\-—]?\s*")
_UNIT_SUFFIX = re.compile(r"\s*[（(]\s*(?:金额)?单\s*位\s*[:：][^()（）]{1,6}[)）]\s*$")


@lru_cache(maxsize=1 << 14)
def title_of(text: str) -> str | None:
    """The text as a table title (``## 部门预算收支总表`` → ``部门预算收支总表``), or None."""
    s = _HEADING_MARK.sub("", clean(text)).strip().strip("*").strip()
    s = _UNIT_SUFFIX.sub("", s)
    core = _TABLE_NUMBER.sub("", s)
    if not core or len(s) > _MAX_TITLE_LENGTH or _SENTENCE_PUNCTUATION.search(core) or "：" in core or ":" in core:
        return None
    if "\t" in s or "\n" in s or "..." in s or "…" in s:
        return None
    return s if _TITLE_END.search(_CONTINUED.sub("", core)) else None


def _base_title(title: str) -> str:
    return _CONTINUED.sub("", title).strip()


@lru_cache(maxsize=1 << 14)
def unit_of(text: str) -> str | None:
    m = _UNIT.search(clean(text))
    return m.group("unit") if m else None


@lru_cache(maxsize=1 << 12)
def is_furniture(text: str) -> bool:
    """Page furniture between table parts: units, years, page numbers, short captions, notes."""
    s = _HEADING_MARK.sub("", clean(text))
    if not s or is_page_number(s) or unit_of(s):
        return True
    if text.lstrip().startswith("#"):
        return False
    return len(s) <= _MAX_FURNITURE_LENGTH and not _SENTENCE_PUNCTUATION.search(s)


def _row_key(row: Row) -> tuple[str, ...]:
    texts = ["".join(t.split()) for t in row.texts]  # compact, inlined: ~200 rows a document
    while texts and not texts[-1]:
        texts.pop()
    return tuple(texts)


def has_data(row: Row) -> bool:
    """A body row: one of its cells is a decimal amount or a 3/5/7-digit classification code."""
    return any(_is_data(text) for text in row.texts)


@lru_cache(maxsize=1 << 14)
def _is_data(text: str) -> bool:
    if split_code(text) is not None:
        return True
    s = compact(text)
    return "." in s and parse_amount(s) is not None


def split_header(table: TitledTable) -> tuple[list[Row], list[Row]]:
    """The table's header rows (before its first body row) and its body rows."""
    header, body = table.parts
    return list(header), list(body)


_LABELLED_FURNITURE = re.compile(r"^(?:编制单位|单位名称|部门名称|预算单位|编报单位|预算年度|年度)\s*[:：]")


@lru_cache(maxsize=1 << 14)
def _is_furniture_cell(text: str) -> bool:
    """A cell of a caption row: the unit, the page, the year or the unit that compiled the table."""
    s = clean(text)
    return bool(unit_of(s) or is_page_number(s) or _LABELLED_FURNITURE.match(s))


def _is_caption_cell(cell: Cell) -> bool:
    """Beside a unit cell: a caption such as ``450 巨鹿县医疗保障局`` (no amount, no sentence)."""
    return _is_caption_text(cell.text)


@lru_cache(maxsize=1 << 12)
def _is_caption_text(text: str) -> bool:
    s = clean(text)
    return len(s) <= _MAX_FURNITURE_LENGTH and parse_amount(s) is None and not _SENTENCE_PUNCTUATION.search(s)


@lru_cache(maxsize=1 << 14)
def _is_labelled(text: str) -> bool:
    """A unit cell or a labelled caption cell (``编制单位：…``)."""
    return bool(unit_of(text) or _LABELLED_FURNITURE.match(clean(text)))


def _is_caption(text: str) -> bool:
    s = _HEADING_MARK.sub("", clean(text))
    return bool(s) and len(s) <= _MAX_TITLE_LENGTH and not _SENTENCE_PUNCTUATION.search(s) \
        and not is_page_number(s) and not _LABELLED_FURNITURE.match(s)


def _caption_text(text: str) -> str:
    return _HEADING_MARK.sub("", clean(text)).strip()


class _Builder:
    """Accumulates one segment; header rows seen before the first body row are not repeated."""

    def __init__(self, title: str | None, line: int | None, caption: str | None = None) -> None:
        self.title = title
        self.caption = caption
        self.line = line
        self.unit: str | None = None
        self.rows: list[Row] = []
        self.header_keys: set[tuple[str, ...]] = set()
        self.header_firsts: set[str] = set()
        """The first text of each header key: a body row whose first text is none of them is no
        repeated header (checked before the whole key is built)."""
        self.in_body = False
        self.styles: set[str] = set()

    def add(self, row: Row, style: str) -> None:
        """Add a non-blank row (a blank one has no text to segment by)."""
        self.styles.add(style)
        if self.in_body:
            # a non-blank row's key starts with its first text, compacted
            if "".join(row.texts[0].split()) in self.header_firsts and _row_key(row) in self.header_keys:
                return  # a header repeated after a page break
        elif has_data(row):
            self.in_body = True
        else:
            key = _row_key(row)
            self.header_keys.add(key)
            self.header_firsts.add(key[0])
        self.rows.append(row)

    def build(self) -> TitledTable:
        left_aligned = bool(self.styles) and self.styles <= {"tabs", "pipes"}
        return TitledTable(self.title, self.line, self.unit, tuple(self.rows), self.caption, left_aligned)


def segment_tables(doc: Document) -> tuple[TitledTable, ...]:
    """Cut the document's blocks into titled tables (see the module docstring)."""
    segments: list[TitledTable] = []
    current: _Builder | None = None
    caption: str | None = None

    def close() -> None:
        nonlocal current
        if current is not None and (current.rows or current.title):
            segments.append(current.build())
        current = None

    def start(title: str, line: int) -> None:
        nonlocal current
        if current is not None and current.title and _base_title(title) == _base_title(current.title):
            return  # 续表: the same table goes on
        close()
        current = _Builder(title, line)

    def note_unit(unit: str) -> None:
        if current is not None and current.unit is None:
            current.unit = unit

    for block in doc.blocks:
        if isinstance(block, Paragraph):
            text = block.line.text
            title = title_of(text)
            if title:
                start(title, block.line.number)
                caption = None
                if unit_of(text):
                    note_unit(unit_of(text) or "")
            elif unit_of(text):
                note_unit(unit_of(text) or "")
            elif is_furniture(text) and not text.lstrip().startswith("#"):
                if current is None and _is_caption(text):
                    caption = _caption_text(text)
            else:
                close()
                caption = _caption_text(text) if _is_caption(text) else None
            continue
        assert isinstance(block, Table)
        for row in block.rows:
            filled = row.filled
            if not filled:  # a blank row: it only opens a segment (no title yet) where none is open
                if current is None:
                    current = _Builder(None, None, caption)
                continue
            title = title_of(filled[0].text)
            if title and all(_is_furniture_cell(c.text) for c in filled[1:]):
                start(title, filled[0].line)
                caption = None
                for c in filled[1:]:
                    if unit_of(c.text):
                        note_unit(unit_of(c.text) or "")
                continue
            # every unit or labelled caption has 位, 度 or 称 (单位：, 预算年度：, 部门名称：): most rows end here
            joined_texts = row.joined_text
            labelled = ([c for c in filled if _is_labelled(c.text)]
                        if "位" in joined_texts or "度" in joined_texts or "称" in joined_texts else [])
            if labelled and all(_is_furniture_cell(c.text) or _is_caption_cell(c) for c in filled):
                units = [unit_of(c.text) for c in filled if unit_of(c.text)]
                if units:
                    note_unit(units[0] or "")
                continue
            if len(filled) == 1 and is_page_number(filled[0].text) and current is not None and current.in_body:
                continue
            if current is None:
                current = _Builder(None, None, caption)
            current.add(row, block.style)
    close()
    return tuple(segments)
