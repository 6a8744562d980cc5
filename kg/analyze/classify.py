"""Classify texts (duties, projects, function-code names) into duty areas by the taxonomy's terms."""

from __future__ import annotations

from dataclasses import dataclass

from kg.analyze.taxonomy import Area, Taxonomy

HEADING_CHARS = 8


@dataclass(frozen=True)
class AreaHit:
    """An area a text belongs to, with the taxonomy terms found in the text."""

    area: Area
    terms: tuple[str, ...]
    """Matched terms, longest first; empty for the fallback area."""

    @property
    def strength(self) -> int:
        return len(self.terms)


def _matches(text: str, area: Area) -> tuple[str, ...]:
    found: list[str] = []
    for term in area.terms:  # longest first: a shorter term inside a found one adds nothing
        if term in text and not any(term in longer for longer in found):
            found.append(term)
    return tuple(found)


def classify(text: str, taxonomy: Taxonomy) -> tuple[AreaHit, ...]:
    """Every area whose terms occur in ``text`` (taxonomy order); the fallback area if none does.

    The result is never empty, so every duty and project has at least one area. A text headed by a
    term of an area that does not tie duties (``职能转变。…``, ``有关职责分工。…``) is about the bureau
    itself and gets only that area.
    """
    head = text.lstrip()[:HEADING_CHARS]
    for area in taxonomy.areas:
        if not area.ties_duties and (terms := tuple(t for t in area.terms if head.startswith(t))):
            return (AreaHit(area, terms),)
    hits = tuple(AreaHit(area, terms) for area in taxonomy.areas if (terms := _matches(text, area)))
    return hits or (AreaHit(taxonomy.fallback, ()),)


def primary(hits: tuple[AreaHit, ...]) -> AreaHit:
    """The hit with most matched terms (taxonomy order breaks ties)."""
    return max(hits, key=lambda h: h.strength)
