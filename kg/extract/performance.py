"""Projects from performance tables: indicators, goals, spending plans."""

from __future__ import annotations

from kg.extract.document import Document
from kg.extract.facts import DocumentFacts


def extract_projects(doc: Document) -> DocumentFacts:
    return DocumentFacts(document=doc.name)
