"""``build_site``: a build directory → the static site. The only module here that writes files.

Everything is rendered into a staging directory beside ``out`` which then replaces ``out`` in one
rename, so readers never see half a site and a failed build leaves the previous one in place.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import jinja2
import pyoxigraph as ox

from kg.errors import UsageError
from kg.io import read_json
from kg.site.graph import DEFAULT_BASE, VOID, SiteGraph, load_build, select
from kg.site.home import home_page
from kg.site.pages import (
    SiteData,
    description,
    jsonld_text,
    not_found_page,
    read_validation,
    resource_page,
    search_page,
    turtle_text,
    validation_page,
)
from kg.site.paths import HOME, twin_paths
from kg.site.render import STATIC, environment, render_page
from kg.site.search import search_entries, search_script
from kg.site.sections import SECTION_BUILDERS, SIMILARITY_PRESENT, compare_page, home_sections, warm
from kg.site.sitemap import site_url, sitemap_files

MARKER = ".kg-site"

#: Files of the build directory copied into ``dumps/`` and offered on the home page.
DUMPS = ("dataset.nq", "dataset.trig", "dataset.jsonld", "ontology.ttl", "codes.ttl", "void.ttl",
         "budget_lines.csv", "datapackage.json", "links.json")


@dataclass(frozen=True)
class SiteResult:
    out: Path
    pages: int
    """HTML pages written (resource pages and the fixed ones)."""
    resources: int
    """Resource pages (each also has ``.ttl`` and ``.jsonld`` twins)."""


def site_files(data: SiteData, env: jinja2.Environment, base_path: str = "/",
               downloads: tuple[tuple[str, str], ...] = (), report_href: str = "") -> Iterator[tuple[str, str]]:
    """Every generated text file as (path below the site root, content). Pure."""
    yield from resource_files(data, env, [p for p in data.pages if p != HOME])
    yield from fixed_files(data, env, base_path, downloads, report_href)


def resource_files(data: SiteData, env: jinja2.Environment, pages: Iterable[str]) -> Iterator[tuple[str, str]]:
    """The page and twins of each resource page in ``pages``."""
    for page in pages:
        triples = description(data, page)
        jsonld = jsonld_text(triples)
        ttl_path, jsonld_path = twin_paths(page)
        yield page, render_page(env, resource_page(data, page, jsonld))
        yield ttl_path, turtle_text(triples)
        yield jsonld_path, jsonld


def fixed_files(data: SiteData, env: jinja2.Environment, base_path: str = "/",
                downloads: tuple[tuple[str, str], ...] = (), report_href: str = "") -> Iterator[tuple[str, str]]:
    """Home, search, validation, comparison and 404 pages, the search index and the sitemap."""
    root_url = site_url(data.graph.base, base_path)
    yield HOME, render_page(env, home_page(data, downloads, home_sections(data, HOME), query_url=root_url + "query"))
    yield "search.html", render_page(env, search_page(data))
    yield "validation.html", render_page(env, validation_page(data, report_href))
    compare = compare_page(data)
    if compare is not None:
        yield "compare.html", render_page(env, compare)
    yield "404.html", render_page(env, not_found_page(data, base_path))
    yield "search-index.js", search_script(search_entries(data.graph, sorted(data.placed)))
    html_pages = [HOME, "search.html", "validation.html", *(["compare.html"] if compare else []),
                  *(p for p in data.pages if p != HOME)]
    yield from sitemap_files(root_url, html_pages)


def site_data(store: ox.Store, base_iri: str | None = None, validation: Mapping | None = None,
              files: Iterable[str] = ()) -> SiteData:
    """Index ``store`` for the site; the base IRI defaults to the build's ``void:uriSpace``."""
    if base_iri is None:
        spaces = sorted(row["s"].value for row in select(store, f"SELECT ?s {{ ?d <{VOID}uriSpace> ?s }}"))
        base_iri = spaces[0] if spaces else DEFAULT_BASE
    files = frozenset(files)
    extra_nav: list[tuple[str, str]] = []
    if "figures/area-profile.svg" in files or select(store, SIMILARITY_PRESENT):
        extra_nav.append(("compare", "compare.html"))
    if (STATIC / "query" / "index.html").is_file():
        extra_nav.append(("query", "static/query/index.html"))
    return SiteData(SiteGraph(store, base_iri), findings=read_validation(validation), extra_nav=tuple(extra_nav),
                    section_builders=SECTION_BUILDERS, files=files)


def build_files(build_dir: Path) -> dict[str, Path]:
    """The build's files the site carries, by their path in the site: dumps, the validation stage's
    HTML report, and the pictures ``kg analyze`` drew."""
    files = {f"dumps/{name}": build_dir / name for name in DUMPS if (build_dir / name).is_file()}
    report_html = build_dir / "validation" / "report.html"
    if report_html.is_file():
        files[REPORT_HTML] = report_html
    analysis = build_dir / "analysis"
    if analysis.is_dir():
        files.update({f"figures/{p.name}": p for p in sorted(analysis.glob("*.svg"))})
    return files


def build_site(build_dir: Path, out: Path | None = None, base_path: str = "/", base_iri: str | None = None,
               validation: Mapping | None = None, jobs: int = 1) -> SiteResult:
    """Render the site of ``build_dir`` (``dataset.nq`` …) into ``out`` (default ``build_dir/site``)."""
    out = out if out is not None else build_dir / "site"
    _check_out(out)
    report_json = build_dir / "validation" / "report.json"
    if validation is None and report_json.is_file():
        validation = read_json(report_json)
    files = build_files(build_dir)
    data = site_data(load_build(build_dir), base_iri, validation, files=files)
    return write_site(data, out, base_path, files, jobs=jobs)


REPORT_HTML = "dumps/validation-report.html"


def write_site(data: SiteData, out: Path, base_path: str = "/", files: Mapping[str, Path] | None = None,
               jobs: int = 1) -> SiteResult:
    """Write the site of ``data`` into ``out`` (replacing it); ``files`` (site path → source) are copied.

    ``jobs`` > 1 renders resource pages in that many forked processes (where ``fork`` exists); the
    output is the same file for file.
    """
    _check_out(out)
    files = dict(files or {})
    downloads = tuple((path.rsplit("/", 1)[-1], path) for path in files
                      if path.startswith("dumps/") and path != REPORT_HTML)
    report_href = REPORT_HTML if REPORT_HTML in files else ""
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    try:
        env = environment()
        pages = [p for p in data.pages if p != HOME]
        if jobs > 1 and len(pages) > jobs and "fork" in multiprocessing.get_all_start_methods():
            html = _write_in_parallel(data, staging, pages, jobs)
        else:
            html = _write(staging, resource_files(data, env, pages))
        html += _write(staging, fixed_files(data, env, base_path, downloads, report_href))
        shutil.copytree(STATIC, staging / "static", dirs_exist_ok=True)
        for path, source in files.items():
            (staging / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, staging / path)
        (staging / MARKER).write_text("generated by kg site; this directory is replaced on every build\n",
                                      encoding="utf-8")
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return SiteResult(out=out, pages=html, resources=len(pages))


def _write(staging: Path, items: Iterable[tuple[str, str]]) -> int:
    """Write (path, text) items below ``staging``; the number of HTML pages written."""
    html = 0
    made: set[Path] = set()
    for path, text in items:
        target = staging / path
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        with open(target, "w", encoding="utf-8") as handle:
            handle.write(text)
        html += path.endswith(".html")
    return html


#: What forked workers render from (set in the parent just before forking; read-only afterwards).
_FORKED: tuple[SiteData, Path, list[str], int] | None = None


def _write_in_parallel(data: SiteData, staging: Path, pages: list[str], jobs: int) -> int:
    global _FORKED
    warm(data)  # batched query results computed once, inherited by every worker
    _FORKED = (data, staging, pages, jobs)
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            return sum(pool.map(_render_share, range(jobs)))
    finally:
        _FORKED = None


def _render_share(worker: int) -> int:
    assert _FORKED is not None
    data, staging, pages, jobs = _FORKED
    return _write(staging, resource_files(data, environment(), pages[worker::jobs]))


def _check_out(out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        raise UsageError(f"{out} exists and is not a site made by kg site: choose another --out")


def _swap(staging: Path, out: Path) -> None:
    os.chmod(staging, 0o755)
    if not out.exists():
        os.replace(staging, out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.parent))
    os.replace(out, old / out.name)
    os.replace(staging, out)
    shutil.rmtree(old, ignore_errors=True)
