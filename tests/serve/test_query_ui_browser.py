"""The query page in a real browser (Playwright + Debian's chromium), served over loopback:
examples, highlighting, running, result table, downloads, permalinks, errors, and no request
leaves the machine (no CDN)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pyoxigraph as ox
import pytest
from loopback import serve_app

from kg.serve.app import close_app, create_app
from kg.serve.settings import ServeSettings

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
SHOTS = Path(__file__).resolve().parents[2] / "test-output" / "serve"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.access(CHROMIUM, os.X_OK), reason=f"{CHROMIUM} is missing (make system-deps)"),
]

BUREAUS = """# title: Bureaus
# title@zh: 部门
# description: All bureaus with their labels.
# description@zh: 所有部门及其名称。
PREFIX bud: <https://budget-kg.org/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?bureau ?label WHERE { ?bureau a bud:Bureau ; rdfs:label ?label FILTER(lang(?label) = "zh") } ORDER BY ?label
"""
PROJECTS = """# title: Projects
# title@zh: 项目
# description: Projects and amounts.
# description@zh: 项目及金额。
PREFIX bud: <https://budget-kg.org/ontology#>
SELECT ?project ?amount WHERE { ?project a bud:Project ; bud:amount ?amount } ORDER BY DESC(?amount)
"""


@pytest.fixture(scope="module")
def base_url(small_store: ox.Store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    queries = tmp_path_factory.mktemp("queries")
    (queries / "01-bureaus.rq").write_text(BUREAUS, encoding="utf-8")
    (queries / "02-projects.rq").write_text(PROJECTS, encoding="utf-8")
    app = create_app(ServeSettings(workers=1, queries_dir=queries), small_store)
    try:
        with serve_app(app) as url:
            yield url
    finally:
        close_app(app)


@pytest.fixture()
def page(base_url: str) -> Iterator[tuple[object, list[str], list[str]]]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        page = context.new_page()
        errors: list[str] = []
        hosts: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: hosts.append(urlsplit(r.url).netloc))
        yield page, errors, hosts
        context.close()
        browser.close()
    assert errors == []
    assert set(hosts) <= {urlsplit(base_url).netloc}, hosts


def test_example_runs_and_shows_a_table(page, base_url: str) -> None:
    p, _errors, _hosts = page
    p.goto(f"{base_url}/query?example=01-bureaus")
    p.wait_for_selector("#results table tbody tr")
    cells = p.locator("#results table tbody tr td:nth-child(2)").all_inner_texts()
    assert cells == ["市卫生健康委员会", "市教育局"]
    assert p.locator("#results th").all_inner_texts() == ["?bureau", "?label"]
    assert "部门" in p.locator("#example-description").inner_text()
    assert p.locator("#highlight .tok-kw").count() >= 3  # SELECT, WHERE, FILTER … highlighted
    assert p.locator("#highlight .tok-var").count() >= 2
    # A resource link in the table points back into this server.
    href = p.locator("#results table tbody tr td a").first.get_attribute("href")
    assert href.startswith("/bureau/")
    SHOTS.mkdir(parents=True, exist_ok=True)
    p.screenshot(path=str(SHOTS / "query-page.png"), full_page=True)


def test_choose_example_edit_run_permalink_and_download(page, base_url: str) -> None:
    p, _errors, _hosts = page
    p.goto(f"{base_url}/query")
    p.select_option("#example", "02-projects")
    p.click("#run")
    p.wait_for_selector("#results table tbody tr")
    assert p.locator("#results table tbody tr").count() == 2
    p.fill("#query", "PREFIX bud: <https://budget-kg.org/ontology#> SELECT (COUNT(*) AS ?n) { ?p a bud:Project }")
    p.click("#run")
    p.wait_for_function("document.querySelector('#results td') && document.querySelector('#results td').textContent === '2'")
    permalink = p.get_attribute("#permalink", "href")
    assert "query=" in permalink and "COUNT" in p.evaluate("decodeURIComponent(document.querySelector('#permalink').href)")
    csv_href = p.get_attribute("a.download[data-format=csv]", "href")
    response = p.request.get(base_url + csv_href)
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.text().splitlines() == ["n", "2"]
    p.goto(base_url + permalink)
    p.wait_for_function("document.querySelector('#results td') && document.querySelector('#results td').textContent === '2'")


def test_errors_are_shown(page, base_url: str) -> None:
    p, _errors, _hosts = page
    p.goto(f"{base_url}/query")
    p.fill("#query", "SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    p.click("#run")
    p.wait_for_selector("#status.error")
    assert "400" in p.inner_text("#status") and "SERVICE" in p.inner_text("#status")


def test_download_links_follow_the_query_form(page, base_url: str) -> None:
    p, _errors, _hosts = page
    p.goto(f"{base_url}/query")
    p.fill("#query", "CONSTRUCT WHERE { ?s a <https://budget-kg.org/ontology#Bureau> }")
    assert p.is_visible("a.download[data-format=turtle]") and not p.is_visible("a.download[data-format=csv]")
    response = p.request.get(base_url + p.get_attribute("a.download[data-format=turtle]", "href"))
    assert response.status == 200 and response.headers["content-type"].startswith("text/turtle")
    p.fill("#query", "SELECT * { ?s ?p ?o } LIMIT 1")
    assert p.is_visible("a.download[data-format=csv]") and not p.is_visible("a.download[data-format=turtle]")
