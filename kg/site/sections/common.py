"""Shared helpers of the section builders: cached batch results, literals, source lines, cells."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import TypeVar

import pyoxigraph as ox

from kg.site.charts import format_amount
from kg.site.contexts import Cell, Link
from kg.site.graph import BUD, PROV
from kg.site.pages import SiteData


T = TypeVar("T")

WAN = Decimal(10000)


def cached(data: SiteData, key: str, compute: Callable[[SiteData], T]) -> T:
    if key not in data.cache:
        data.cache[key] = compute(data)
    return data.cache[key]  # type: ignore[return-value]


def decimal(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> Decimal | None:
    if not isinstance(term, ox.Literal):
        return None
    try:
        return Decimal(term.value)
    except InvalidOperation:
        return None


def text(term: object) -> str:
    return term.value if isinstance(term, (ox.Literal, ox.NamedNode)) else ""


# -- provenance and figure cells ---------------------------------------------------------------

def source_of(data: SiteData, iri: str) -> tuple[str, str]:
    """(lines, document file name) a fact was read from: ``("L412–414", "000_….txt")``."""
    g = data.graph
    docs = [g.value(d, BUD + "fileName") for d in g.objects(iri, PROV + "wasDerivedFrom")
            if isinstance(d, ox.NamedNode)]
    name = next((d.value for d in docs if isinstance(d, ox.Literal)), "")
    lines = sorted({int(o.value) for o in g.objects(iri, BUD + "sourceLine")
                    if isinstance(o, ox.Literal) and o.value.isdigit()})
    return (f"L{line_ranges(lines)}" if lines else ""), name


def line_ranges(lines: list[int]) -> str:
    """``[3, 4, 5, 9]`` → ``3–5,9``."""
    parts: list[str] = []
    start = prev = None
    for n in lines + [None]:  # type: ignore[list-item]
        if start is None:
            start = prev = n
        elif n is not None and n == prev + 1:  # type: ignore[operator]
            prev = n
        else:
            parts.append(str(start) if start == prev else f"{start}–{prev}")
            start = prev = n
    return ",".join(parts)


def source_text(data: SiteData, iri: str) -> str:
    """``000_….txt L412–414``: the document and lines a fact was read from (``""`` if unknown)."""
    lines, name = source_of(data, iri)
    return f"{name} {lines}".strip()


def source_cell(data: SiteData, iri: str, **kwargs: object) -> Cell:
    lines, name = source_of(data, iri)
    return Cell(source=lines, source_doc=name, **kwargs)  # type: ignore[arg-type]


def amount_cell(data: SiteData, iri: str, page: str, value: Decimal | None = None, link: bool = False) -> Cell:
    if value is None:
        value = decimal(data.graph.value(iri, BUD + "amount"))
    shown = "" if value is None else format_amount(value) if value == value.quantize(Decimal("0.01")) else str(value)
    return source_cell(data, iri, text=shown, link=Link(shown, data.href(iri, page), iri=iri) if link and shown else None,
                       numeric=True, badges=data.badges(iri, page))


def link_cell(data: SiteData, iri: str, page: str, text_: str | None = None) -> Cell:
    return Cell(link=data.link(iri, page, text_), badges=data.badges(iri, page))
