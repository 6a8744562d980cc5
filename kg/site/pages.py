"""Graph → page contexts (pure: no file access).

:class:`SiteData` holds what every page needs — the indexed graph, which IRIs have pages, the
validation findings — and :func:`resource_page` builds the context of one page from it. Pages whose
resource has a class with a section builder (:mod:`kg.site.sections`) get those sections (charts,
tables) on top of the generic parts every resource page has: properties, "referenced by" with
counts, source documents, twins and embedded JSON-LD.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pyoxigraph as ox
from markupsafe import Markup

from kg.site.contexts import (
    Alternate,
    Backlinks,
    Badge,
    Finding,
    Link,
    NavItem,
    NotFoundBody,
    Page,
    PropertyRow,
    ResourceBody,
    SearchBody,
    Section,
    Stat,
    ValidationBody,
    Value,
)
from kg.site.graph import (
    BUD,
    PREFIXES,
    QB,
    RDF_TYPE,
    RDFS,
    SKOS,
    XSD,
    Label,
    SiteGraph,
    compact,
    local_name,
    relabel_blank_nodes,
)
from kg.site.paths import HOME, is_reserved, page_of, relative_href, resource_path, twin_paths
from kg.site.ui import UI

#: How many "referenced by" links a page lists per property (the count is always complete).
BACKLINK_LIMIT = 200
#: The same for each section of a page of many resources (the terms of ``ontology.html``): a class
#: is referenced by all its instances, and 200 links for each of a hundred terms made a page of megabytes.
MEMBER_BACKLINK_LIMIT = 20
#: Longest JSON-LD description (characters) embedded in its page; a longer one (the ontology page's,
#: megabytes at 100 documents) is only linked (``<link rel="alternate">``), so that the page loads fast.
EMBED_LIMIT = 262_144
#: Most links :class:`SiteData` keeps for reuse (per kind) before starting afresh.
LINK_CACHE_SIZE = 5_000
#: How deep blank nodes are shown nested.
NESTING_LIMIT = 4

SEVERITIES = ("violation", "warning", "info")

SectionBuilder = Callable[["SiteData", str, str], tuple[Section, ...]]


@dataclass(frozen=True)
class ValidationResult:
    """One result of ``validation/report.json``."""

    index: int
    severity: str
    rule: str
    document: str
    focus: str
    message_zh: str
    message_en: str
    values: str
    lines: tuple[int, ...]

    @property
    def anchor(self) -> str:
        return f"f{self.index}"

    @property
    def message(self) -> str:
        return " / ".join(m for m in (self.message_zh, self.message_en) if m)


def read_validation(data: Mapping | None) -> tuple[ValidationResult, ...]:
    """Results of a validation report in JSON form (``{"results": [...]}``), tolerant of extra fields."""
    if not data:
        return ()
    out = []
    for i, r in enumerate(data.get("results", ()), start=1):
        severity = str(r.get("severity", "info")).rsplit("#", 1)[-1].lower()
        values = r.get("values", "")
        if isinstance(values, dict):
            values = "; ".join(f"{k}={v}" for k, v in values.items())
        elif isinstance(values, list):
            values = json.dumps(values, ensure_ascii=False, default=str)
        lines = r.get("source_lines") or ()
        if isinstance(lines, int):
            lines = (lines,)
        out.append(ValidationResult(
            index=i, severity=severity if severity in SEVERITIES else "info", rule=str(r.get("rule", "")),
            document=str(r.get("document") or ""), focus=str(r.get("focus") or ""),
            **_messages(r.get("message_zh") or "", r.get("message", "")), values=str(values),
            lines=tuple(int(x) for x in lines if str(x).isdigit()),
        ))
    return tuple(out)


def _messages(zh: str, message: object) -> dict[str, str]:
    """``message_zh``/``message_en`` from the report's ``message_zh`` + ``message`` (or a ``{"zh", "en"}``
    dict); a single message in unknown language goes to ``message_zh`` (shown in both modes)."""
    if isinstance(message, dict):
        return {"message_zh": str(message.get("zh") or ""), "message_en": str(message.get("en") or "")}
    text = " / ".join(str(m) for m in message) if isinstance(message, list) else str(message)
    return {"message_zh": zh, "message_en": text} if zh else {"message_zh": text, "message_en": ""}


@dataclass
class SiteData:
    """Everything page builders share. Built once per site."""

    graph: SiteGraph
    findings: tuple[ValidationResult, ...] = ()
    extra_nav: tuple[tuple[str, str], ...] = ()
    """(UI key, path) of optional pages that exist in this build (query UI, report)."""
    section_builders: Mapping[str, SectionBuilder] = field(default_factory=dict)
    files: frozenset[str] = frozenset()
    """Other files of the site (``dumps/dataset.nq``): an IRI whose path is one of them links to it."""
    cache: dict[str, object] = field(default_factory=dict)
    """Results of batched queries, computed by section builders on first use."""

    def __post_init__(self) -> None:
        base = self.graph.base
        pages: dict[str, list[str]] = defaultdict(list)
        for iri in self.graph.resources():
            page = page_of(iri, base)
            if page is None or is_reserved(page):
                continue
            pages[page].append(iri)
        # the IRI without a fragment (the page's own resource) first, then its fragments
        self.pages: dict[str, tuple[str, ...]] = {
            page: tuple(sorted(iris, key=lambda i: ("#" in i, i))) for page, iris in sorted(pages.items())
        }
        self.page_files = frozenset(self.pages)
        self.placed = frozenset(i for iris in self.pages.values() for i in iris)
        """Every IRI that is shown on some page (its own, or a fragment section of another)."""
        by_focus: dict[str, list[ValidationResult]] = defaultdict(list)
        for f in self.findings:
            by_focus[f.focus].append(f)
        self.findings_by_focus = dict(by_focus)
        self._nav_items: tuple[tuple[str, str], ...] | None = None
        self._nav_cache: dict[tuple[str, str], tuple[NavItem, ...]] = {}
        # links by (directory of the page, IRI, text): a link's href depends on the page's directory
        # only, unless it points into the page itself (``#fragment``), which is never cached
        self._links: dict[tuple[str, str, str | None], Link] = {}
        self._term_links: dict[tuple[str, str], Link] = {}

    # -- links -------------------------------------------------------------------------------

    def has_page(self, iri: str) -> bool:
        return iri in self.placed

    def href(self, iri: str, from_page: str) -> str | None:
        """A relative link to the page of ``iri``, its absolute IRI if it is outside the site, or None."""
        path = resource_path(iri, self.graph.base)
        if path is not None:
            if iri in self.placed:
                return relative_href(from_page, path)
            file = path[: -len(".html")]
            return relative_href(from_page, file) if file in self.files else None
        return iri if urlsplit(iri).scheme in ("http", "https") else None

    def link(self, iri: str, from_page: str, text: str | None = None) -> Link:
        local = "#" in iri and self._points_into(iri, from_page)
        key = (from_page.rpartition("/")[0], iri, text)
        found = None if local else self._links.get(key)
        if found is not None:
            return found
        label = self.graph.label(iri)
        shown = text if text is not None else label.zh
        english = label.en if label.en not in (shown, label.zh) else ""
        found = Link(text=shown, href=self.href(iri, from_page), en=english, iri=iri)
        if not local:
            if len(self._links) >= LINK_CACHE_SIZE:
                self._links.clear()
            self._links[key] = found
        return found

    def term_link(self, iri: str, from_page: str) -> Link:
        """A link to an ontology term: its zh label (en beside it), the compact IRI as fallback."""
        local = "#" in iri and self._points_into(iri, from_page)
        key = (from_page.rpartition("/")[0], iri)
        found = None if local else self._term_links.get(key)
        if found is not None:
            return found
        label = self.graph.label(iri)
        short = compact(iri)
        if label.zh == local_name(iri) or label.zh == short:
            found = Link(text=short, href=self.href(iri, from_page), iri=iri)
        else:
            found = Link(text=label.zh, href=self.href(iri, from_page),
                         en=label.en if label.en != label.zh else "", iri=iri)
        if not local:
            if len(self._term_links) >= LINK_CACHE_SIZE:
                self._term_links.clear()
            self._term_links[key] = found
        return found

    def _points_into(self, iri: str, page: str) -> bool:
        """Whether ``iri`` is a fragment of ``page`` (its link is ``#fragment`` there only)."""
        path = resource_path(iri, self.graph.base)
        return path is not None and path.partition("#")[0] == page

    def badges(self, iri: str, from_page: str) -> tuple[Badge, ...]:
        return tuple(
            Badge(f.severity, f.message, relative_href(from_page, f"validation.html#{f.anchor}"))
            for f in self.findings_by_focus.get(iri, ())
        )

    def nav(self, page: str) -> tuple[NavItem, ...]:
        """The site navigation as seen from ``page`` (cached per directory and current item)."""
        if self._nav_items is None:
            self._nav_items = tuple(self._nav_list())
        current = page if any(path == page for _, path in self._nav_items) else ""
        key = (page.rpartition("/")[0], current)
        cached = self._nav_cache.get(key)
        if cached is None:
            cached = tuple(NavItem(UI[name], relative_href(page, path), current=path == page)
                           for name, path in self._nav_items)
            self._nav_cache[key] = cached
        return cached

    def _nav_list(self) -> list[tuple[str, str]]:
        items = [("home", HOME), ("search", "search.html")]
        ontology = self._first_page_of_type(PREFIXES["owl"] + "Ontology")
        dataset = self._first_page_of_type(PREFIXES["void"] + "Dataset") or self._first_page_of_type(
            PREFIXES["dcat"] + "Dataset")
        items.append(("validation", "validation.html"))
        if ontology:
            items.append(("ontology", ontology))
        if dataset:
            items.append(("about", dataset))
        items.extend(self.extra_nav)
        return items

    def _first_page_of_type(self, class_iri: str) -> str | None:
        key = "first-page:" + class_iri
        if key not in self.cache:
            found = [page_of(i, self.graph.base) for i in self.graph.instances(class_iri)]
            self.cache[key] = next((p for p in found if p in self.page_files), None)
        return self.cache[key]  # type: ignore[return-value]


# -- resource pages ----------------------------------------------------------------------------

def value_of(data: SiteData, term: ox.NamedNode | ox.BlankNode | ox.Literal, page: str, depth: int = 0) -> Value:
    if isinstance(term, ox.NamedNode):
        link = data.link(term.value, page)
        return Value(text=link.text, link=link)
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value if term.datatype is not None else ""
        shown = "" if term.language or datatype in (XSD + "string", "") else compact(datatype)
        return Value(text=term.value, lang=term.language or None, datatype=shown or None)
    if depth >= NESTING_LIMIT:
        return Value(text="…")
    return Value(text="", nested=property_rows(data, term, page, depth + 1))


def property_rows(data: SiteData, node: ox.NamedNode | ox.BlankNode, page: str, depth: int = 0) -> tuple[PropertyRow, ...]:
    grouped: dict[str, list[Value]] = {}
    for p, o in data.graph.outgoing(node):
        if p.value == RDF_TYPE and depth == 0:
            continue
        grouped.setdefault(p.value, []).append(value_of(data, o, page, depth))
    return tuple(PropertyRow(data.term_link(p, page), tuple(vs)) for p, vs in grouped.items())


def backlinks(data: SiteData, iri: str, page: str, limit: int = BACKLINK_LIMIT) -> tuple[Backlinks, ...]:
    grouped: dict[str, list[str]] = {}
    for s, p in data.graph.incoming(iri):
        if isinstance(s, ox.NamedNode):
            grouped.setdefault(p.value, []).append(s.value)
    return tuple(
        Backlinks(data.term_link(p, page), len(subjects),
                  tuple(data.link(s, page) for s in subjects[:limit]))
        for p, subjects in grouped.items()
    )


def resource_body(data: SiteData, iri: str, page: str, members: tuple[ResourceBody, ...] = (),
                  backlink_limit: int = BACKLINK_LIMIT) -> ResourceBody:
    g = data.graph
    types = g.types(iri)
    sections: list[Section] = []
    builders = [data.section_builders[t] for t in types if t in data.section_builders]
    for builder in dict.fromkeys(builders):
        sections.extend(builder(data, iri, page))
    documents = tuple(data.link(d, page) for d in sorted(g.graphs_of(iri))
                      if d.startswith(g.base))
    anchor = iri.partition("#")[2]
    return ResourceBody(
        iri=iri,
        types=tuple(data.term_link(t, page) for t in types),
        sections=tuple(sections),
        properties=property_rows(data, ox.NamedNode(iri), page),
        backlinks=backlinks(data, iri, page, backlink_limit),
        documents=documents,
        anchor=anchor,
        heading=g.label(iri),
        badges=data.badges(iri, page),
        members=members,
    )


def description(data: SiteData, page: str) -> list[ox.Triple]:
    """The triples the twins of ``page`` hold: the description of each resource on it, blank nodes
    named in order of appearance (``b0``, ``b1`` …) so that every build writes the same files."""
    iris = data.pages[page]
    if len(iris) == 1:
        return relabel_blank_nodes(data.graph.describe(iris[0]))
    triples: list[ox.Triple] = []
    for iri in iris:
        triples.extend(data.graph.describe(iri))
    return relabel_blank_nodes(list(dict.fromkeys(triples)))


def jsonld_text(triples: Iterable[ox.Triple]) -> str:
    return ox.serialize(list(triples), format=ox.RdfFormat.JSON_LD).decode("utf-8")


def turtle_text(triples: Iterable[ox.Triple]) -> str:
    return ox.serialize(list(triples), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES).decode("utf-8")


def script_safe(json_text: str) -> Markup:
    """JSON for a ``<script type="application/ld+json">`` element: ``<`` escaped so it cannot close it."""
    return Markup(json_text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def resource_page(data: SiteData, page: str, jsonld: str) -> Page:
    iris = data.pages[page]
    main, *members = iris
    if "#" in main:  # only fragment resources on this page (e.g. terms of an ontology without a node)
        members = list(iris)
        main = iris[0].partition("#")[0]
    body = resource_body(data, main, page, members=tuple(resource_body(data, m, page, backlink_limit=MEMBER_BACKLINK_LIMIT)
                                                         for m in members))
    ttl, jsonld_path = twin_paths(page)
    label = data.graph.label(main)
    return Page(
        path=page,
        root=_root(page),
        title=f"{label.zh} · {UI['site'].zh}",
        heading=label,
        body=body,
        nav=data.nav(page),
        subtitle=main,
        alternates=(
            Alternate(relative_href(page, ttl), "text/turtle", "Turtle"),
            Alternate(relative_href(page, jsonld_path), "application/ld+json", "JSON-LD"),
        ),
        jsonld=script_safe(jsonld) if len(jsonld) <= EMBED_LIMIT else Markup(""),
        crumbs=tuple(crumbs(data, main, page)),
    )


def _root(page: str) -> str:
    return "../" * page.count("/")


#: Properties followed upwards for breadcrumbs (the first present wins at each step).
PARENT_PROPERTIES: tuple[str, ...] = (
    SKOS + "broader", BUD + "project", BUD + "linkProject", BUD + "findingAbout", BUD + "budget", QB + "dataSet",
    BUD + "ofBudget", BUD + "bureau", RDFS + "isDefinedBy",
)


def crumbs(data: SiteData, iri: str, page: str) -> list[Link]:
    chain: list[Link] = []
    seen = {iri}
    current = iri
    for _ in range(6):
        parent = None
        values = data.graph.by_predicate(current)  # one lookup per step, not one per property
        for prop in PARENT_PROPERTIES:
            found = values.get(prop)
            value = found[0] if found else None
            if isinstance(value, ox.NamedNode) and value.value not in seen and data.has_page(value.value):
                parent = value.value
                break
        if parent is None:
            break
        seen.add(parent)
        chain.append(data.link(parent, page))
        current = parent
    chain.reverse()
    return chain


# -- fixed pages -------------------------------------------------------------------------------

def search_page(data: SiteData) -> Page:
    page = "search.html"
    return Page(path=page, root="", title=f"{UI['search'].zh} · {UI['site'].zh}", heading=UI["search"],
                body=SearchBody(index_href="search-index.js"), nav=data.nav(page))


def not_found_page(data: SiteData, base_path: str) -> Page:
    """The 404 page: served at any depth, so its links are absolute under ``base_path``."""
    root = base_path if base_path.endswith("/") else base_path + "/"
    page = "404.html"
    # nav links of a root-level page are root-relative: prefix them with the absolute base path
    nav = tuple(NavItem(n.label, root + n.href) for n in data.nav(page))
    return Page(path=page, root=root, title=f"{UI['not_found'].zh} · {UI['site'].zh}", heading=UI["not_found"],
                body=NotFoundBody(home_href=root + HOME), nav=nav)


def validation_page(data: SiteData, report_href: str) -> Page:
    page = "validation.html"
    counts = tuple(
        Stat(UI[s], str(sum(1 for f in data.findings if f.severity == s))) for s in SEVERITIES
    )
    findings = tuple(
        Finding(anchor=f.anchor, severity=f.severity, rule=f.rule,
                document=data.link(f.document, page) if "://" in f.document else Link(text=f.document),
                focus=data.link(f.focus, page) if f.focus else None,
                message=Label(f.message_zh, f.message_en) if f.message_en else Label(f.message_zh, ""),
                values=f.values,
                lines=", ".join(map(str, f.lines)))
        for f in data.findings
    )
    return Page(path=page, root="", title=f"{UI['validation'].zh} · {UI['site'].zh}", heading=UI["validation"],
                body=ValidationBody(counts=counts, findings=findings, report_href=report_href), nav=data.nav(page))
