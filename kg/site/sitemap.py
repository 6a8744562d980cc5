"""sitemap.xml for the generated pages (absolute URLs under the site's public address)."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote
from xml.sax.saxutils import escape


def site_url(base_iri: str, base_path: str) -> str:
    """The public address of the site root: the base IRI's origin plus ``base_path``.

    >>> site_url("https://budget-kg.org/", "/")
    'https://budget-kg.org/'
    >>> site_url("https://budget-kg.org/", "/kg")
    'https://budget-kg.org/kg/'
    """
    scheme, _, rest = base_iri.partition("://")
    host = rest.split("/", 1)[0]
    path = "/" + base_path.strip("/")
    return f"{scheme}://{host}{path.rstrip('/')}/"


#: The sitemaps protocol allows at most 50,000 URLs per file.
MAX_URLS = 50_000

NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def sitemap_xml(root_url: str, pages: Iterable[str]) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<urlset xmlns="{NS}">']
    for page in pages:
        lines.append(f"<url><loc>{escape(root_url + quote(page, safe='/-._~'))}</loc></url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def sitemap_files(root_url: str, pages: list[str], limit: int = MAX_URLS) -> list[tuple[str, str]]:
    """``sitemap.xml`` alone, or, past ``limit`` URLs, a sitemap index with ``sitemap-N.xml`` parts."""
    if len(pages) <= limit:
        return [("sitemap.xml", sitemap_xml(root_url, pages))]
    parts = [(f"sitemap-{i // limit + 1}.xml", sitemap_xml(root_url, pages[i:i + limit]))
             for i in range(0, len(pages), limit)]
    index = ['<?xml version="1.0" encoding="UTF-8"?>', f'<sitemapindex xmlns="{NS}">']
    index += [f"<sitemap><loc>{escape(root_url + name)}</loc></sitemap>" for name, _ in parts]
    index.append("</sitemapindex>")
    return [("sitemap.xml", "\n".join(index) + "\n"), *parts]
