"""The template contract: one frozen dataclass per thing a template shows.

Templates receive a :class:`Page` (every page) whose ``body`` is one of the page dataclasses
(:class:`ResourceBody`, :class:`HomeBody`, :class:`SearchBody`, :class:`NotFoundBody`,
:class:`ValidationBody`). Resource pages are made of :data:`Section` values, each rendered by the
partial ``_section_{kind}.html``. Chinese data stays as printed; UI text is a :class:`Label` pair
shown in both languages (the language switch hides one).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from kg.site.graph import Label, MarkupOnce, esc


@dataclass(frozen=True)
class Link(MarkupOnce):
    """A link to a page of the site (``href`` relative) or outside it (absolute), or plain text."""

    text: str
    """What the link shows (the resource's Chinese name, or its notation)."""
    href: str | None = None
    """Relative URL of the page, an absolute URL outside the site, or ``None`` for no link."""
    en: str = ""
    """The English name when it differs from ``text`` (shown beside it)."""
    iri: str = ""
    """The IRI the link stands for (its tooltip)."""
    ui: bool = False
    """A link labelled with UI text: ``text``/``en`` are a pair the language switch chooses from."""

    def _markup(self) -> str:
        """``<a href title>text</a>`` (a ``<span>`` without ``href``) and the English name beside it.

        Rendered here rather than by a template macro: pages hold hundreds of links, and a jinja2
        macro call costs several times this. Links are reused across pages
        (:meth:`kg.site.pages.SiteData.link`), so the markup is made once per link.
        """
        title = f' title="{esc(self.iri)}"' if self.iri else ""
        if self.ui and self.en:
            inner = (f'<span class="l zh" lang="zh-Hans">{esc(self.text)}</span>'
                     f'<span class="l en" lang="en">{esc(self.en)}</span>')
            return f'<a href="{esc(self.href)}"{title}>{inner}</a>' if self.href else f"<span{title}>{inner}</span>"
        if self.href:
            out = f'<a href="{esc(self.href)}"{title}>{esc(self.text)}</a>'
        else:
            out = f"<span{title}>{esc(self.text)}</span>"
        if self.en:
            out += f' <span class="l en alt" lang="en">{esc(self.en)}</span>'
        return out


@dataclass(frozen=True)
class Value:
    """One object of a property: a link, a literal, or a blank node shown as nested rows."""

    text: str
    link: Link | None = None
    lang: str | None = None
    datatype: str | None = None
    """Compact datatype (``xsd:decimal``) of a typed literal, shown as a hint."""
    nested: tuple[PropertyRow, ...] = ()

    def __html__(self) -> str:
        """A nested ``<dl>``, the link, or the literal in a ``<span>`` (with its datatype in small
        print); rendered here rather than by a template macro, as :meth:`Link.__html__` is."""
        if self.nested:
            parts = ['<dl class="nested">']
            for row in self.nested:
                parts.append(f"<dt>{row.prop.__html__()}</dt><dd>")
                parts.append("<br>".join([v.__html__() for v in row.values]))
                parts.append("</dd>")
            parts.append("</dl>")
            return "".join(parts)
        if self.link:
            return self.link.__html__()
        out = f'<span lang="{esc(self.lang)}">' if self.lang else "<span>"
        out += f"{esc(self.text)}</span>"
        if self.datatype:
            out += f' <small class="dt">{esc(self.datatype)}</small>'
        return out


@dataclass(frozen=True)
class PropertyRow:
    """A property of the resource and its values."""

    prop: Link
    values: tuple[Value, ...]

    def __html__(self) -> str:
        """A table row (after a newline), values one per line; rendered here, as links are."""
        return (f'\n<tr><th scope="row">{self.prop.__html__()}</th><td>'
                f'{"<br>".join([v.__html__() for v in self.values])}</td></tr>')


@dataclass(frozen=True)
class Backlinks:
    """Resources that point at this one through ``prop`` ("referenced by"), with their count."""

    prop: Link
    count: int
    links: tuple[Link, ...]
    """The first of them (at most :data:`kg.site.pages.BACKLINK_LIMIT`)."""

    def __html__(self) -> str:
        """A ``<details>`` (after a newline; open up to 20 links) listing the links, and how many more
        there are; rendered here, as links are."""
        from kg.site.ui import UI

        opened = " open" if self.count <= 20 else ""
        items = "".join([f"<li>{link.__html__()}</li>" for link in self.links])
        more = self.count - len(self.links)
        note = f'<p class="note">{UI["more"].__html__()} {more}</p>' if more > 0 else ""
        return (f'\n<details{opened}><summary>{self.prop.__html__()} <span class="count">{self.count}</span>'
                f'</summary>\n<ul class="links">{items}</ul>{note}\n</details>')


@dataclass(frozen=True)
class Badge:
    """A validation finding shown next to the figure it concerns."""

    severity: str
    """``violation``, ``warning`` or ``info``."""
    message: str
    href: str
    """Link to the finding on the validation page."""


@dataclass(frozen=True)
class Cell:
    text: str = ""
    link: Link | None = None
    links: tuple[Link, ...] = ()
    """Several links in one cell (the years of a bureau's budgets), shown after ``link``/``text``."""
    numeric: bool = False
    source: str = ""
    """The source lines the figure was read from (``L412–414``), shown in small print."""
    source_doc: str = ""
    """The document those lines are in (a tooltip)."""
    badges: tuple[Badge, ...] = ()

    def __html__(self) -> str:
        """The cell's content: link or text, further links, source lines and badges."""
        out = self.link.__html__() if self.link else esc(self.text)
        if self.links:
            out += " ".join([link.__html__() for link in self.links])
        if self.source:
            title = f' title="{esc(self.source_doc)} {esc(self.source)}"' if self.source_doc else ""
            out += f'<small class="src"{title}>{esc(self.source)}</small>'
        if self.badges:
            out += badges_html(self.badges)
        return out


def badges_html(badges: tuple[Badge, ...]) -> str:
    """Each badge as `` <a class="badge {severity}" href title>{severity name}</a>``."""
    from kg.site.ui import UI

    return "".join(f' <a class="badge {esc(b.severity)}" href="{esc(b.href)}" title="{esc(b.message)}">'
                   f"{UI[b.severity].__html__()}</a>" for b in badges)


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    level: int = 0
    """Indentation (code hierarchy depth) of the first cell."""
    anchor: str = ""
    """An ``id`` for the row (a fragment other pages link to)."""


@dataclass(frozen=True)
class TableSection:
    title: Label
    columns: tuple[Label, ...]
    rows: tuple[Row, ...]
    note: Label | None = None
    anchor: str = ""
    kind: str = "table"


@dataclass(frozen=True)
class ChartSection:
    title: Label
    svg: Markup
    """An inline SVG with ``<title>``/``<desc>`` (readable without JavaScript)."""
    note: Label | None = None
    anchor: str = ""
    kind: str = "chart"


@dataclass(frozen=True)
class LinksSection:
    title: Label
    links: tuple[Link, ...]
    note: Label | None = None
    anchor: str = ""
    kind: str = "links"


@dataclass(frozen=True)
class TreeNode:
    link: Link
    amount: str = ""
    current: bool = False
    children: tuple[TreeNode, ...] = ()


@dataclass(frozen=True)
class TreeSection:
    title: Label
    roots: tuple[TreeNode, ...]
    note: Label | None = None
    anchor: str = ""
    kind: str = "tree"


@dataclass(frozen=True)
class FactsSection:
    """Key figures as a definition list (label → value with its source)."""

    title: Label
    items: tuple[tuple[Label, Cell], ...]
    note: Label | None = None
    anchor: str = ""
    kind: str = "facts"


@dataclass(frozen=True)
class ImageSection:
    """A picture made at build time by another stage (``kg analyze``'s tie graphs), with its alt text."""

    title: Label
    src: str
    alt: str
    note: Label | None = None
    anchor: str = ""
    kind: str = "image"


Section = TableSection | ChartSection | LinksSection | TreeSection | FactsSection | ImageSection


@dataclass(frozen=True)
class Alternate:
    href: str
    media_type: str
    label: str


@dataclass(frozen=True)
class NavItem:
    label: Label
    href: str
    current: bool = False


@dataclass(frozen=True)
class ResourceBody:
    iri: str
    heading: Label
    types: tuple[Link, ...]
    sections: tuple[Section, ...]
    properties: tuple[PropertyRow, ...]
    backlinks: tuple[Backlinks, ...]
    documents: tuple[Link, ...]
    """The source documents (named graphs) the resource's statements come from."""
    badges: tuple[Badge, ...] = ()
    """Validation findings about the resource itself."""
    anchor: str = ""
    """The IRI's fragment, for resources shown on the page of another (``ontology.html#Project``)."""
    members: tuple[ResourceBody, ...] = ()
    """Resources with a fragment IRI shown on this page (terms of an ontology)."""
    kind: str = "resource"


@dataclass(frozen=True)
class Stat:
    label: Label
    value: str
    href: str = ""


@dataclass(frozen=True)
class HomeBody:
    stats: tuple[Stat, ...]
    sections: tuple[Section, ...]
    downloads: tuple[Link, ...]
    kind: str = "home"


@dataclass(frozen=True)
class SectionsBody:
    """A page made of sections only (the cross-bureau comparison)."""

    sections: tuple[Section, ...]
    kind: str = "sections"


@dataclass(frozen=True)
class SearchBody:
    index_href: str
    kind: str = "search"


@dataclass(frozen=True)
class NotFoundBody:
    home_href: str
    kind: str = "notfound"


@dataclass(frozen=True)
class Finding:
    anchor: str
    severity: str
    rule: str
    document: Link
    focus: Link | None
    message: Label
    """Chinese and English text (``Label.en`` empty when the report has one message only)."""
    values: str
    lines: str


@dataclass(frozen=True)
class ValidationBody:
    counts: tuple[Stat, ...]
    findings: tuple[Finding, ...]
    report_href: str
    """Link to the validation stage's own HTML report, or ``""`` when there is none."""
    kind: str = "validation"


Body = ResourceBody | HomeBody | SectionsBody | SearchBody | NotFoundBody | ValidationBody


@dataclass(frozen=True)
class Page:
    """What ``base.html`` needs, plus the page-specific ``body``."""

    path: str
    """The page's path below the site root (``bureau/x.html``)."""
    root: str
    """Relative prefix back to the site root (``../``); absolute base path on the 404 page."""
    title: str
    heading: Label
    body: Body
    nav: tuple[NavItem, ...]
    subtitle: str = ""
    alternates: tuple[Alternate, ...] = ()
    jsonld: Markup = Markup("")
    """The resource's description as JSON-LD, already safe inside ``<script>``."""
    lang: str = "zh-Hans"
    crumbs: tuple[Link, ...] = field(default=())
