"""Extraction: disclosure documents → :class:`DocumentFacts` with line provenance.

Each interpreter reads the parsed :class:`Document` and returns the facts it recognises as a
partial :class:`DocumentFacts`; :func:`merge_facts` combines them, earlier interpreters winning
for single values (tables before prose: a table cell is more precise than a sentence).
"""

from __future__ import annotations

from dataclasses import fields, replace

from kg.errors import DocumentError
from kg.extract import budget_tables, identity, performance, prose
from kg.extract.document import Document
from kg.extract.facts import DocumentFacts, ThreePublic, Totals
from kg.extract.text import decode_document

__all__ = ["Document", "DocumentFacts", "extract_bytes", "extract_text", "merge_facts"]

INTERPRETERS = (
    identity.extract_identity,
    budget_tables.extract_budget_tables,
    performance.extract_projects,
    prose.extract_prose,
)


def _merge_group(a, b):  # type: ignore[no-untyped-def]
    values = {}
    for f in fields(a):
        if f.name == "sources":
            continue
        va, vb = getattr(a, f.name), getattr(b, f.name)
        values[f.name] = va if va is not None else vb
    sources = dict(b.sources)
    sources.update(a.sources)
    return replace(a, **values, sources=sources)


def merge_facts(parts: list[DocumentFacts]) -> DocumentFacts:
    """Combine partial facts: first non-empty single value wins, sequences are concatenated."""
    merged = parts[0]
    for part in parts[1:]:
        values = {}
        for f in fields(merged):
            if f.name == "document":
                continue
            mine, theirs = getattr(merged, f.name), getattr(part, f.name)
            if isinstance(mine, Totals | ThreePublic):
                values[f.name] = _merge_group(mine, theirs)
            elif isinstance(mine, tuple):
                values[f.name] = mine + theirs
            elif isinstance(mine, dict):
                values[f.name] = {**theirs, **mine}
            else:
                values[f.name] = mine if mine is not None else theirs
        merged = replace(merged, **values)
    return merged


def has_budget_content(facts: DocumentFacts) -> bool:
    """Budget lines, projects, duties, performance goals or a stated total: what makes a disclosure.

    Identity alone (a bureau and a year) or stray amounts in sentences are not enough: any
    government text has those.
    """
    t = facts.totals
    return bool(
        facts.function_lines or facts.economic_lines or facts.category_lines or facts.projects
        or facts.duties or facts.goals
        or any(getattr(t, f.name) is not None for f in fields(t) if f.name != "sources")
    )


def extract_text(text: str, name: str) -> DocumentFacts:
    """Extract the facts of one document's text. Raises DocumentError when there are none."""
    document = Document(name, text)
    facts = merge_facts([interpret(document) for interpret in INTERPRETERS])
    if not has_budget_content(facts):
        raise DocumentError(
            name,
            "no recognisable budget content: expected budget tables (部门收支总表, 支出总表 …), "
            "部门职责 or project performance tables",
            line=1,
        )
    return facts


def extract_bytes(data: bytes, name: str) -> DocumentFacts:
    return extract_text(decode_document(data, name), name)
