"""The home page: the corpus at a glance."""

from __future__ import annotations

from kg.site import terms
from kg.site.contexts import HomeBody, Link, LinksSection, Page, Section, Stat
from kg.site.pages import SiteData
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
              sections: tuple[Section, ...] = ()) -> Page:
    """``downloads``: (file name, path below the site root) of the dumps copied into the site."""
    g = data.graph
    page = HOME
    stats = [Stat(UI[key], str(len(g.instances(cls)))) for key, cls in COUNTED]
    stats.append(Stat(UI["triples"], f"{g.triple_count:,}"))
    findings = len(data.findings)
    stats.append(Stat(UI["findings"], str(findings), relative_href(page, "validation.html")))
    bureaus = tuple(data.link(b, page) for b in g.instances(terms.BUREAU))
    all_sections: list[Section] = list(sections)
    if bureaus:
        all_sections.append(LinksSection(UI["bureaus"], bureaus, anchor="bureaus"))
    return Page(
        path=page, root="", title=UI["site"].zh, heading=UI["site"],
        body=HomeBody(stats=tuple(stats), sections=tuple(all_sections),
                      downloads=tuple(Link(text=name, href=relative_href(page, path)) for name, path in downloads)),
        nav=data.nav(page),
    )
