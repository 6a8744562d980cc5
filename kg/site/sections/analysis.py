"""Results of ``kg analyze``: findings about projects and duties, the cross-bureau comparison page."""

from __future__ import annotations

from decimal import Decimal

import pyoxigraph as ox

from kg.site.contexts import Cell, ImageSection, Page, Row, Section, SectionsBody, TableSection
from kg.site.graph import BUD, RDF_TYPE, Label, Term
from kg.site.pages import SiteData
from kg.site.paths import relative_href
from kg.site.sections.budgets import area_spending
from kg.site.sections.common import cached, decimal, link_cell, text
from kg.site.ui import UI


# -- analysis (kg analyze) -------------------------------------------------------------------------

def analysis_findings(data: SiteData, iri: str, page: str) -> list[Section]:
    """Findings of the analysis about this resource (unfunded duty, project without duty, …)."""
    g = data.graph
    rows = []
    for finding in g.subjects(BUD + "findingAbout", iri):
        if not isinstance(finding, ox.NamedNode):
            continue
        kinds = [t for t in g.types(finding.value) if t.startswith(BUD)]
        details = "；".join(o.value for p, o in g.outgoing(finding)
                           if isinstance(o, ox.Literal) and p.value not in (RDF_TYPE,))
        rows.append(Row(cells=(Cell(link=data.link(finding.value, page, g.label(kinds[0]).zh if kinds else None)),
                               Cell(text=details))))
    if not rows:
        return []
    return [TableSection(Label("分析发现", "Analysis findings"), (Label("发现", "Finding"), Label("详情", "Details")),
                         tuple(rows), anchor="analysis")]


SIMILARITY_QUERY = """
SELECT ?row ?a ?b ?spending ?duties WHERE {
  ?row a bud:BureauSimilarity ; bud:comparedBudget ?a , ?b .
  FILTER(STR(?a) < STR(?b))
  OPTIONAL { ?row bud:spendingSimilarity ?spending } OPTIONAL { ?row bud:dutySimilarity ?duties }
}
"""

#: A query with a row when the graph holds anything for the comparison page.
SIMILARITY_PRESENT = "SELECT ?row WHERE { ?row a bud:BureauSimilarity } LIMIT 1"


def similarity_rows(data: SiteData) -> list[dict[str, Term]]:
    return data.graph.select(SIMILARITY_QUERY)


def compare_sections(data: SiteData, page: str) -> tuple[Section, ...]:
    sections: list[Section] = []
    if "figures/area-profile.svg" in data.files:
        sections.append(ImageSection(
            Label("各部门职责领域支出占比", "Spending shares by duty area, per bureau"),
            relative_href(page, "figures/area-profile.svg"),
            alt="部门 × 职责领域的支出占比矩阵 / bureaus × duty areas matrix of spending shares", anchor="profile"))
    rows = sorted(cached(data, "similarity", similarity_rows),
                  key=lambda r: (-(decimal(r.get("spending")) or Decimal(0)), r["a"].value, r["b"].value))
    if rows:
        sections.append(TableSection(
            Label("部门相似度", "Bureau similarity"),
            (Label("预算", "Budget"), Label("预算", "Budget"), Label("支出相似度", "Spending similarity"),
             Label("职责相似度", "Duty similarity")),
            tuple(Row(cells=(link_cell(data, r["a"].value, page), link_cell(data, r["b"].value, page),
                             Cell(text=text(r.get("spending")), numeric=True),
                             Cell(text=text(r.get("duties")), numeric=True))) for r in rows),
            anchor="similarity"))
    table = area_matrix(data, page)
    if table is not None:
        sections.append(table)
    return tuple(sections)


def area_matrix(data: SiteData, page: str) -> TableSection | None:
    """Budgets × duty areas: each budget's share of project spending per area."""
    g = data.graph
    spending = cached(data, "area-spending", area_spending)
    if not spending:
        return None
    areas = sorted({r["area"].value for rows in spending.values() for r in rows}, key=lambda a: g.label(a).zh)
    rows = []
    for budget in sorted(spending):
        shares = {r["area"].value: text(r.get("share")) for r in spending[budget]}
        rows.append(Row(cells=(link_cell(data, budget, page),
                               *(Cell(text=shares.get(a, ""), numeric=True) for a in areas))))
    return TableSection(Label("职责领域支出占比", "Share of project spending by duty area"),
                        (Label("预算", "Budget"), *(g.label(a) for a in areas)), tuple(rows), anchor="area-shares")


def compare_page(data: SiteData) -> Page | None:
    page = "compare.html"
    sections = compare_sections(data, page)
    if not sections:
        return None
    return Page(path=page, root="", title=f"{UI['compare'].zh} · {UI['site'].zh}", heading=UI["compare"],
                body=SectionsBody(sections), nav=data.nav(page))
