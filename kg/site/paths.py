"""Where each resource's page lives, and relative links between pages (pure functions).

The rule (also in :mod:`kg.site` and ``docs/site.md``): an IRI under the base maps to its path
below the base plus ``.html`` (twins ``.ttl`` and ``.jsonld``); a fragment stays a fragment of its
page; the base itself is the home page. Files are named with the percent-decoded path, links use
the percent-encoded form, so both file systems and browsers see the same names.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote, unquote

HOME = "index.html"

#: Paths the site uses for its own pages and files; no resource may map onto them.
RESERVED = frozenset({HOME, "search.html", "404.html", "validation.html", "compare.html", "sitemap.xml",
                      "search-index.js", "static", "dumps", "figures"})

TWIN_SUFFIXES = (".ttl", ".jsonld")

#: The SPARQL query page ``kg serve`` answers beside the site's files (at the site root); linked
#: relatively, so it works on any host and under any base path. A static host has no such page.
QUERY_PAGE = "query"
#: Paths below the site root a server provides, not files of the site (the link checker allows them).
SERVED_PATHS = frozenset({QUERY_PAGE})


@lru_cache(maxsize=262144)
def resource_path(iri: str, base: str) -> str | None:
    """The page path (relative to the site root, decoded, with ``#fragment`` kept) of ``iri``.

    ``None`` when the IRI is not under ``base`` (it has no page of ours).

    >>> resource_path("https://budget-kg.org/bureau/x", "https://budget-kg.org/")
    'bureau/x.html'
    >>> resource_path("https://budget-kg.org/ontology#Project", "https://budget-kg.org/")
    'ontology.html#Project'
    >>> resource_path("https://budget-kg.org/ontology/duty-area/", "https://budget-kg.org/")
    'ontology/duty-area/index.html'
    >>> resource_path("https://example.org/x", "https://budget-kg.org/") is None
    True
    """
    if not iri.startswith(base):
        return None
    rest, _, fragment = iri[len(base):].partition("#")
    rest = unquote(rest)
    directory = rest.endswith("/")  # {base}a/b/ is served at a/b/, so its page is a/b/index.html
    rest = rest.strip("/")
    if not rest or any(part in ("", ".", "..") for part in rest.split("/")):
        page = HOME if not rest else None
    else:
        page = rest + ("/index.html" if directory else ".html")
    if page is None:
        return None
    return f"{page}#{fragment}" if fragment else page


def page_of(iri: str, base: str) -> str | None:
    """The page file (no fragment) that describes ``iri``, or ``None`` if it has none of ours."""
    path = resource_path(iri, base)
    return path.partition("#")[0] if path else None


def twin_paths(page: str) -> tuple[str, str]:
    """The ``.ttl`` and ``.jsonld`` twins of a page path."""
    stem = page[: -len(".html")] if page.endswith(".html") else page
    return stem + ".ttl", stem + ".jsonld"


def is_reserved(page: str) -> bool:
    return page.split("/", 1)[0] in RESERVED and page != HOME


def root_prefix(page: str) -> str:
    """The relative prefix from ``page`` back to the site root (``""``, ``"../"``, …)."""
    return "../" * page.count("/")


def relative_href(from_page: str, to_path: str) -> str:
    """A percent-encoded relative link from page ``from_page`` to ``to_path`` (may hold ``#frag``).

    >>> relative_href("bureau/x.html", "project/a/1.html")
    '../project/a/1.html'
    >>> relative_href("bureau/x.html", "bureau/x.html#t")
    '#t'
    >>> relative_href("a/b/c.html", "a/b/d/e.html")
    'd/e.html'
    """
    target, _, fragment = to_path.partition("#")
    if target == from_page and fragment:
        return "#" + _quote_fragment(fragment)
    href = _relative(from_page.rpartition("/")[0], target)
    return f"{href}#{_quote_fragment(fragment)}" if fragment else href


@lru_cache(maxsize=262144)
def _relative(from_dir: str, target: str) -> str:
    here = from_dir.split("/") if from_dir else []
    there = target.split("/")
    common = 0
    while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
        common += 1
    return "../" * (len(here) - common) + _quote_path("/".join(there[common:]))


@lru_cache(maxsize=65536)
def _quote_path(path: str) -> str:
    return quote(path, safe="/-._~")


@lru_cache(maxsize=65536)
def _quote_fragment(fragment: str) -> str:
    return quote(fragment, safe="")
