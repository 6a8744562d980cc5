"""Who and when: bureau, region, budget year and amount unit."""

from __future__ import annotations

from kg.extract.document import Document
from kg.extract.facts import DocumentFacts


def extract_identity(doc: Document) -> DocumentFacts:
    return DocumentFacts(document=doc.name)
