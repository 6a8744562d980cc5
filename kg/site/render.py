"""Templates → HTML strings. One jinja2 environment: StrictUndefined, autoescape, no file writing."""

from __future__ import annotations

from pathlib import Path

from functools import lru_cache

import jinja2
from markupsafe import Markup

from kg.site.contexts import Badge, NavItem, Page, badges_html
from kg.site.ui import UI

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "site" / "templates"
STATIC = ROOT / "site" / "static"

#: The template for each page body kind.
TEMPLATE_FOR = {
    "resource": "resource.html",
    "home": "home.html",
    "sections": "sections.html",
    "search": "search.html",
    "notfound": "notfound.html",
    "validation": "validation.html",
}


def environment(templates: Path = TEMPLATES) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
        auto_reload=False,  # no stat() of the template files per page: they do not change during a build
    )
    env.globals["UI"] = UI
    header = env.get_template("_header.html")

    @lru_cache(maxsize=4096)
    def render_header(root: str, nav: tuple[NavItem, ...]) -> Markup:
        return Markup(header.render(root=root, nav=nav))

    env.globals["header"] = render_header

    def badges(items: tuple[Badge, ...]) -> Markup:
        return Markup(badges_html(items))

    def each(items: tuple, separator: str = "") -> Markup:
        """Objects that render themselves (``__html__``), joined: one call instead of a loop."""
        return Markup(separator.join([item.__html__() for item in items]))

    env.globals["badges"] = badges
    env.globals["each"] = each
    # the shared macro modules, made once (an ``{% import %}`` per render costs more than the macros)
    env.globals["m"] = env.get_template("_macros.html").module
    env.globals["s"] = env.get_template("_sections.html").module
    return env


def render_page(env: jinja2.Environment, page: Page) -> str:
    return env.get_template(TEMPLATE_FOR[page.body.kind]).render(page=page)
