"""Class-specific page sections (charts, tables), built from batched SPARQL results.

:data:`SECTION_BUILDERS` maps a class IRI to a function ``(data, iri, page) → sections``. Each
builder reads results that one query computed for all resources of its class (cached in
``data.cache``), never a query per page.
"""

from __future__ import annotations

from kg.site.contexts import Section
from kg.site.pages import SectionBuilder, SiteData

SECTION_BUILDERS: dict[str, SectionBuilder] = {}


def home_sections(data: SiteData, page: str) -> tuple[Section, ...]:
    return ()
