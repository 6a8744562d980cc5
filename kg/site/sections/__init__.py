"""Class-specific page sections (charts, tables), built from batched SPARQL results.

:data:`SECTION_BUILDERS` maps a class IRI to a function ``(data, iri, page) → sections``. Each
builder reads results that one query computed for all resources of its kind (cached in
``data.cache`` by :func:`kg.site.sections.common.cached`), never a query per page.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from types import SimpleNamespace
from typing import Any

import pyoxigraph as ox

from kg.site import terms
from kg.site.graph import OWL, RDF, SKOS, select
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



#: The batched results that come from SPARQL (by cache key); :func:`warm` adds those of the index.
QUERIED: tuple[tuple[str, Callable[[Any], object]], ...] = (
    ("lines", budget_lines),
    ("lines-by-code", lines_by_code),
    ("indicators", indicators_by_project),
    ("area-spending", area_spending),
    ("similarity", similarity_rows),
)


def query_results(store: ox.Store) -> dict[str, object]:
    """The :data:`QUERIED` results (cache key → result) from ``store`` alone, without a quad index or
    a :class:`SiteData`: :func:`kg.site.build.load_site_data` runs them in one process while another
    builds the index. The builders read only ``data.graph.select`` and ``data.cache``."""
    data = SimpleNamespace(graph=SimpleNamespace(select=partial(select, store)), cache={})
    for key, compute in QUERIED:
        cached(data, key, compute)  # type: ignore[arg-type]
    return data.cache


def warm(data: SiteData) -> None:
    """Compute every batched query result the builders share (before forking workers)."""
    for key, compute in QUERIED:
        cached(data, key, compute)
    cached(data, "usage", usage_counts)
    data.nav(HOME)


__all__ = ["QUERIED", "SECTION_BUILDERS", "SIMILARITY_PRESENT", "compare_page", "home_sections", "query_results",
           "warm"]
