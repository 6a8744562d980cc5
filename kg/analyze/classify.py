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


_MEMO: dict[int, tuple[Taxonomy, dict[str, tuple[AreaHit, ...]]]] = {}
"""Per taxonomy (by identity, kept alive with it): text → hits. The build classifies the same duty and
project texts in linking, in the analysis graph and in the RDF; the result depends only on both."""


def classify(text: str, taxonomy: Taxonomy) -> tuple[AreaHit, ...]:
    """:func:`classify_text`, memoised per taxonomy object (the result is immutable)."""
    entry = _MEMO.get(id(taxonomy))
    if entry is None or entry[0] is not taxonomy:
        if len(_MEMO) >= 8:
            _MEMO.clear()
        entry = _MEMO[id(taxonomy)] = (taxonomy, {})
    memo = entry[1]
    hits = memo.get(text)
    if hits is None:
        if len(memo) >= 200_000:
            memo.clear()
        hits = memo[text] = classify_text(text, taxonomy)
    return hits


def classify_text(text: str, taxonomy: Taxonomy) -> tuple[AreaHit, ...]:
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
