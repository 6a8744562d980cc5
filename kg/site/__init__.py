"""``kg site``: the static linked-data site, built from a build directory's graph.

Page paths mirror IRI paths under the base IRI (default ``https://budget-kg.org/``), so a static
host or ``kg serve`` can answer a dereferenced IRI with a file:

============================================  =========================================
resource IRI                                  files in the site directory ``DIR``
============================================  =========================================
``{base}bureau/x``                            ``DIR/bureau/x.html`` (page),
                                              ``DIR/bureau/x.ttl`` (Turtle twin),
                                              ``DIR/bureau/x.jsonld`` (JSON-LD twin)
``{base}budget/x/2022``                       ``DIR/budget/x/2022.html`` (+ ``.ttl``, ``.jsonld``)
``{base}ontology#Project`` (fragment)         the ``#Project`` section of ``DIR/ontology.html``
``{base}ontology/duty-area/`` (ends in ``/``)   ``DIR/ontology/duty-area/index.html`` (+ twins)
``{base}`` (the base itself)                  ``DIR/index.html`` (home page, no twins)
============================================  =========================================

File names use the percent-decoded IRI path (``{base}bureau/%E5%8C%BB`` → ``DIR/bureau/医.html``);
links between pages are relative and percent-encoded, so the site works from ``file://`` and under
any base path. The twins hold the resource's description: its own triples (and the blank nodes they
reach), the triples pointing at it, and the labels of the resources on either side.

Fixed files: ``index.html``, ``search.html`` + ``search-index.js``, ``validation.html``,
``404.html`` (absolute links under ``--base-path``, since servers show it at any depth),
``sitemap.xml``, ``static/`` (CSS, scripts; copied from ``site/static``) and ``dumps/`` (the build's
dumps). See ``docs/site.md``.
"""

from __future__ import annotations

from kg.site.build import SiteResult, build_site
from kg.site.paths import page_of, resource_path, twin_paths

__all__ = ["SiteResult", "build_site", "page_of", "resource_path", "twin_paths"]
