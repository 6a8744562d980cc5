"""Class-specific page sections (charts, tables), built from batched SPARQL results.

:data:`SECTION_BUILDERS` maps a class IRI to a function ``(data, iri, page) → sections``. Each
builder reads results that one query computed for all resources of its kind (cached in
``data.cache`` by :func:`kg.site.sections.common.cached`), never a query per page.
"""

from __future__ import annotations

from kg.site import terms
from kg.site.graph import OWL, RDF, SKOS
from kg.site.pages import SectionBuilder, SiteData
from kg.site.paths import HOME
from kg.site.sections.analysis import SIMILARITY_PRESENT, compare_page, similarity_rows
from kg.site.sections.budgets import (
    area_spending,
    budget_lines,
    budget_sections,
    bureau_sections,
    home_sections,
    lines_by_code,
)
from kg.site.sections.codes import code_sections, scheme_sections
from kg.site.sections.common import cached
from kg.site.sections.ontology import class_usage, dataset_sections, ontology_sections, property_usage, usage_counts
from kg.site.sections.projects import duty_sections, indicator_sections, indicators_by_project, project_sections

PROPERTY_CLASSES = (OWL + "ObjectProperty", OWL + "DatatypeProperty", OWL + "AnnotationProperty", RDF + "Property")

SECTION_BUILDERS: dict[str, SectionBuilder] = {
    terms.BUDGET: budget_sections,
    terms.BUREAU: bureau_sections,
    terms.PROJECT: project_sections,
    terms.INDICATOR: indicator_sections,
    terms.DUTY: duty_sections,
    terms.FUNCTION_CODE: code_sections,
    terms.ECONOMIC_CODE: code_sections,
    SKOS + "ConceptScheme": scheme_sections,
    OWL + "Class": class_usage,
    OWL + "Ontology": ontology_sections,
    **{c: dataset_sections for c in terms.DATASET_CLASSES},
    **{c: property_usage for c in PROPERTY_CLASSES},
}



def warm(data: SiteData) -> None:
    """Compute every batched query result the builders share (before forking workers)."""
    cached(data, "lines", budget_lines)
    cached(data, "lines-by-code", lines_by_code)
    cached(data, "indicators", indicators_by_project)
    cached(data, "area-spending", area_spending)
    cached(data, "usage", usage_counts)
    cached(data, "similarity", similarity_rows)
    data.nav(HOME)


__all__ = ["SECTION_BUILDERS", "SIMILARITY_PRESENT", "compare_page", "home_sections", "warm"]
