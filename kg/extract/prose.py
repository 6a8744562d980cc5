"""Facts stated in prose: duties, totals, 三公, 机关运行经费, projects in sentences."""

from __future__ import annotations

from kg.extract.document import Document
from kg.extract.facts import DocumentFacts


def extract_prose(doc: Document) -> DocumentFacts:
    return DocumentFacts(document=doc.name)
