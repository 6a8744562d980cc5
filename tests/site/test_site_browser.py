"""Browser tests: Playwright for Python driving Debian's chromium on the generated site (file://).

Screenshots go to ``test-output/site/`` (git-ignored) so people can look at them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
SHOTS = Path(__file__).resolve().parents[2] / "test-output" / "site"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.access(CHROMIUM, os.X_OK),
                       reason=f"{CHROMIUM} is missing: install Debian's chromium and fonts-noto-cjk (make system-deps)"),
]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Page:
    """A browser page that records console errors and uncaught exceptions."""

    def __init__(self, browser: object, width: int = 1200) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def shot(self, name: str) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture()
def page(browser: object) -> Iterator[Page]:
    p = Page(browser)
    yield p
    p.context.close()
    assert p.errors == [], p.errors


def test_browse_bureau_project_duty_and_back(site_under_test: Path, page: Page) -> None:
    p = page.page
    p.goto((site_under_test / "index.html").as_uri())
    assert p.locator("h1").inner_text().startswith("部门预算知识图谱")
    page.shot("home")
    p.locator("#bureaus a", has_text="竹山县").click()  # sample 002: code-keyed tables and linked duties
    p.wait_for_url("**/bureau/**")
    page.shot("bureau")
    p.locator("#budgets a").first.click()
    p.wait_for_url("**/budget/**")
    assert p.locator("svg.chart title").count() >= 1
    page.shot("budget")
    p.locator("#projects tbody a").first.click()
    p.wait_for_url("**/project/**")
    project_url = p.url
    assert p.locator("#indicators tbody tr").count() >= 1
    page.shot("project")
    p.locator("#duty-links tbody a").first.click()
    p.wait_for_url("**/duty/**")
    page.shot("duty")
    p.go_back()
    p.wait_for_url(project_url)
    assert p.locator("#indicators").count() == 1


def test_search_finds_chinese_names(site_under_test: Path, page: Page) -> None:
    p = page.page
    p.goto((site_under_test / "index.html").as_uri())
    p.fill(".search-form input[name=q]", "医疗保险")
    p.press(".search-form input[name=q]", "Enter")
    p.wait_for_selector("#search-results li")
    assert "search.html" in p.url
    first = p.locator("#search-results li a").first
    assert "医疗保险" in first.inner_text()
    page.shot("search")
    first.click()
    assert p.locator("h1").inner_text()
    # bigram matching: a query that is not a substring of the name still finds it
    p.goto((site_under_test / "search.html").as_uri() + "?q=" + "城乡居民医疗补助")
    p.wait_for_selector("#search-results li")
    assert "城乡居民医疗保险补助资金" in p.locator("#search-results").inner_text()
    p.goto((site_under_test / "search.html").as_uri() + "?q=zzzzqqq")
    assert p.locator("#search-results li").count() == 0
    assert "没有结果" in p.locator("#search-status").inner_text()


def test_language_switch(site_under_test: Path, page: Page) -> None:
    p = page.page
    p.goto((site_under_test / "index.html").as_uri())
    zh = p.locator(".site-nav .l.zh").first
    en = p.locator(".site-nav .l.en").first
    assert zh.is_visible() and en.is_visible()  # both languages until one is chosen
    p.click(".lang-switch button[data-ui=en]")
    assert not zh.is_visible() and en.is_visible()
    assert p.locator("html").get_attribute("data-ui") == "en"
    page.shot("home-en")
    p.locator("#bureaus a").first.click()  # the choice is remembered on the next page
    p.wait_for_url("**/bureau/**")
    assert p.locator("html").get_attribute("data-ui") == "en"
    p.click(".lang-switch button[data-ui=zh]")
    assert p.locator(".site-nav .l.en").first.is_hidden()
    p.click(".lang-switch button[data-ui=both]")
    assert p.locator(".site-nav .l.en").first.is_visible()


def test_narrow_screen_has_no_page_level_horizontal_scroll(site_under_test: Path, browser: object) -> None:
    narrow = Page(browser, width=390)
    try:
        for name, path in (("narrow-home", "index.html"), ("narrow-budget", None), ("narrow-project", None)):
            if path is None:
                narrow.page.goto((site_under_test / "index.html").as_uri())
                narrow.page.locator("#bureaus a", has_text="竹山县").click()
                narrow.page.wait_for_url("**/bureau/**")
                narrow.page.locator("#budgets a").first.click()
                narrow.page.wait_for_url("**/budget/**")
                if name == "narrow-project":
                    narrow.page.locator("#projects tbody a").first.click()
                    narrow.page.wait_for_url("**/project/**")
            else:
                narrow.page.goto((site_under_test / path).as_uri())
            narrow.page.wait_for_load_state("load")
            overflow = narrow.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            narrow.shot(name)
            assert overflow <= 1, f"{name}: page is {overflow}px wider than the screen"
        assert narrow.errors == []
    finally:
        narrow.context.close()


def test_chinese_text_is_drawn_with_a_cjk_font(site_under_test: Path, page: Page) -> None:
    """Chromium reports which platform font drew each glyph: Chinese must come from a CJK font
    (without one, it draws empty boxes)."""
    p = page.page
    p.goto((site_under_test / "index.html").as_uri())
    cdp = p.context.new_cdp_session(p)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "h1"})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    used = {f["familyName"]: f["glyphCount"] for f in fonts}
    assert any("CJK" in name or "Han" in name for name in used), used
    family = p.evaluate("getComputedStyle(document.documentElement).fontFamily")
    assert "Noto Sans CJK SC" in family
