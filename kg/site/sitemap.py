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


def sitemap_xml(root_url: str, pages: Iterable[str]) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for page in pages:
        lines.append(f"<url><loc>{escape(root_url + quote(page, safe='/-._~'))}</loc></url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"
