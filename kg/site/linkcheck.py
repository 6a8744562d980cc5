"""Check a generated site: every internal link and asset resolves to a file (and its ``#id``)."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from kg.site.paths import SERVED_PATHS

LINK_ATTRIBUTES = {"a": "href", "link": "href", "script": "src", "img": "src", "form": "action",
                   "iframe": "src", "source": "src"}


@dataclass(frozen=True)
class BrokenLink:
    page: str
    """The page holding the link, relative to the site root."""
    href: str
    reason: str


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"] or "")
        attr = LINK_ATTRIBUTES.get(tag)
        if attr and values.get(attr) is not None:
            self.links.append(values[attr] or "")

    handle_startendtag = handle_starttag


def scan(html: str) -> tuple[list[str], set[str]]:
    """The link targets and element ids of an HTML page."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.links, collector.ids


def check_site(root: Path, pages: list[str] | None = None) -> list[BrokenLink]:
    """Broken internal links of the HTML pages under ``root`` (all of them by default)."""
    if pages is None:
        pages = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.html"))
    scanned: dict[str, tuple[list[str], set[str]]] = {}

    def page_scan(page: str) -> tuple[list[str], set[str]]:
        if page not in scanned:
            scanned[page] = scan((root / page).read_text(encoding="utf-8"))
        return scanned[page]

    broken: list[BrokenLink] = []
    for page in pages:
        links, ids = page_scan(page)
        for href in links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith(("mailto:", "javascript:")):
                continue
            if parts.path.startswith("/"):
                continue  # absolute paths belong to the 404 page, checked against the base path by tests
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path))) \
                if parts.path else page
            if target in SERVED_PATHS:
                continue  # answered by kg serve where the site is published (the SPARQL query page)
            if target.startswith("../") or target == "..":
                broken.append(BrokenLink(page, href, "points outside the site"))
                continue
            path = root / target
            if path.is_dir():
                path = path / "index.html"
                target = posixpath.join(target, "index.html")
            if not path.is_file():
                broken.append(BrokenLink(page, href, "missing file"))
                continue
            fragment = unquote(parts.fragment)
            if fragment and target.endswith(".html") and fragment not in page_scan(target)[1]:
                broken.append(BrokenLink(page, href, f"no element with id {fragment!r}"))
    return broken
