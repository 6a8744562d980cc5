"""Code-keyed budget tables: function, economic and category lines, totals, 三公, units."""

from __future__ import annotations

from kg.extract.document import Document
from kg.extract.facts import DocumentFacts


def extract_budget_tables(doc: Document) -> DocumentFacts:
    return DocumentFacts(document=doc.name)
