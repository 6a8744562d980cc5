"""The home page: the corpus at a glance."""

from __future__ import annotations

import pyoxigraph as ox

from kg.site import terms
from kg.site.contexts import Cell, HomeBody, Link, LinksSection, Page, Row, Section, Stat, TableSection
from kg.site.graph import BUD, Label
from kg.site.pages import SEVERITIES, SiteData
from kg.site.paths import HOME, relative_href
from kg.site.ui import UI

#: (UI key, class) of the counts on the home page, linked to the first instance's listing.
COUNTED = (
    ("bureaus", terms.BUREAU),
    ("budgets", terms.BUDGET),
    ("projects", terms.PROJECT),
    ("indicators", terms.INDICATOR),
    ("duties", terms.DUTY),
    ("documents", terms.DOCUMENT),
)


def home_page(data: SiteData, downloads: tuple[tuple[str, str], ...],
              sections: tuple[Section, ...] = (), query_href: str = "") -> Page:
    """``downloads``: (file name, path below the site root) of the dumps copied into the site;
    ``sections``: charts made by :func:`kg.site.sections.home_sections`; ``query_href``: the SPARQL
    query page of ``kg serve`` where the site is published, relative (``query``) so that it works
    under any host and base path, ``localhost`` included; a static host has none."""
    g = data.graph
    page = HOME
    stats = [Stat(UI[key], str(len(g.instances(cls)))) for key, cls in COUNTED]
    years = sorted({o.value for b in g.instances(terms.BUDGET) for o in g.objects(b, BUD + "budgetYear")
                    if isinstance(o, ox.Literal)})
    if years:
        stats.insert(2, Stat(UI["years"], years[0] if len(years) == 1 else f"{years[0]}–{years[-1]}"))
    stats.append(Stat(UI["triples"], f"{g.triple_count:,}"))
    for severity in SEVERITIES:
        count = sum(1 for f in data.findings if f.severity == severity)
        stats.append(Stat(UI[severity], str(count), relative_href(page, "validation.html")))
    all_sections: list[Section] = []
    bureaus = bureau_table(data, page)
    if bureaus is not None:
        all_sections.append(bureaus)
    all_sections.extend(sections)
    more = [Link(text=item.label.zh, href=item.href, en=item.label.en, ui=True) for item in data.nav(page)[2:]]
    if query_href:
        more.append(Link(text=UI["query"].zh, href=query_href, en=UI["query"].en, ui=True))
    if more:
        all_sections.append(LinksSection(Label("数据与查询", "Data and queries"), tuple(more), anchor="more",
                                         note=Label("SPARQL 查询页由 kg serve 提供。", "The SPARQL query page is served by kg serve.")
                                         if query_href else None))
    return Page(
        path=page, root="", title=UI["site"].zh, heading=UI["site"],
        body=HomeBody(stats=tuple(stats), sections=tuple(all_sections),
                      downloads=tuple(Link(text=name, href=relative_href(page, path)) for name, path in downloads)),
        nav=data.nav(page),
    )


def bureau_table(data: SiteData, page: str) -> TableSection | None:
    """Bureaus with their region and the years of their budgets (each a link)."""
    g = data.graph
    rows = []
    for bureau in g.instances(terms.BUREAU):
        budgets = sorted((o.value for o in g.objects(bureau, BUD + "hasBudget") if isinstance(o, ox.NamedNode)),
                         key=lambda b: (_year(data, b), b))
        region = g.value(bureau, BUD + "region")
        rows.append(Row(cells=(
            Cell(link=data.link(bureau, page)),
            Cell(text=region.value if isinstance(region, ox.Literal) else ""),
            Cell(links=tuple(data.link(b, page, _year(data, b) or None) for b in budgets)),
        )))
    if not rows:
        return None
    return TableSection(UI["bureaus"], (Label("部门", "Bureau"), Label("行政区", "Region"),
                                        Label("年度预算", "Budgets")), tuple(rows), anchor="bureaus")


def _year(data: SiteData, budget: str) -> str:
    year = data.graph.value(budget, BUD + "budgetYear")
    return year.value if isinstance(year, ox.Literal) else ""
