"""The site of the small hand-written graph: links, twins, languages, charts, search, sitemap."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from rdflib import Graph

from kg.site.linkcheck import check_site
from kg.site.pages import SiteData
from kg.site.paths import twin_paths

from helpers import has_bnodes, reference_description, same_graph, union_graph

DATA = Path(__file__).resolve().parent / "data"
PROJECT = "https://budget-kg.org/budget/130634-ybj/2020/project/1"


def soup_of(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")


def test_no_broken_internal_links_or_assets(mini_site: Path) -> None:
    assert check_site(mini_site) == []


def test_link_checker_finds_breakage(mini_site: Path, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "p.html").write_text(
        '<a href="../index.html#nowhere">x</a><link href="s.css"><a href="https://x.org/">e</a><a href="#me" id="me">',
        encoding="utf-8")
    (tmp_path / "index.html").write_text("<p id=here></p>", encoding="utf-8")
    reasons = sorted((b.href, b.reason) for b in check_site(tmp_path))
    assert reasons == [("../index.html#nowhere", "no element with id 'nowhere'"), ("s.css", "missing file")]


def test_every_linked_resource_has_a_page(mini_data: SiteData, mini_site: Path) -> None:
    base = mini_data.graph.base
    for page in mini_data.pages:
        for a in soup_of(mini_site, page).select("a[title]"):
            if a["title"].startswith(base):
                assert a.get("href"), a


def test_each_resource_has_page_and_twins(mini_data: SiteData, mini_site: Path) -> None:
    for page in mini_data.pages:
        assert (mini_site / page).is_file()
        for twin in twin_paths(page):
            assert (mini_site / twin).is_file()
    assert (mini_site / "budget/130634-ybj/2020/project/1.html").is_file()


def test_twins_and_embedded_jsonld_of_every_page_are_the_resource_description(mini_data: SiteData,
                                                                             mini_site: Path) -> None:
    graph = union_graph((DATA / "mini.trig").read_text(encoding="utf-8"), "trig")
    checked = 0
    for page, iris in mini_data.pages.items():
        if page == "index.html":
            continue
        expected = Graph()
        for iri in iris:
            expected += reference_description(graph, iri)
        ttl, jsonld = twin_paths(page)
        embedded = soup_of(mini_site, page).find("script", type="application/ld+json").string  # all small here
        for text, fmt in (((mini_site / ttl).read_text(encoding="utf-8"), "turtle"),
                          ((mini_site / jsonld).read_text(encoding="utf-8"), "json-ld"),
                          (embedded, "json-ld")):
            ok, diff = same_graph(Graph().parse(data=text, format=fmt), expected)
            assert ok, f"{page} {fmt}:\n{diff}"
        checked += 1
    assert checked == len(mini_data.pages) >= 14


def test_blank_nodes_survive_in_the_twins(mini_site: Path) -> None:
    """The project's spending-plan step is a blank node: it is in the description, nested on the page."""
    ttl = (mini_site / "budget/130634-ybj/2020/project/1.ttl").read_text(encoding="utf-8")
    g = Graph().parse(data=ttl, format="turtle")
    assert has_bnodes(g)
    assert soup_of(mini_site, "budget/130634-ybj/2020/project/1.html").select_one("dl.nested")


def test_pages_declare_languages_and_alternates(mini_data: SiteData, mini_site: Path) -> None:
    for page in [*mini_data.pages, "index.html", "search.html", "validation.html", "404.html"]:
        soup = soup_of(mini_site, page)
        assert soup.html["lang"] == "zh-Hans"
        assert soup.title.string.strip()
        for span in soup.select("span.l.en"):
            assert span["lang"] == "en"
        # every UI label comes as a pair, so the page reads in both languages without JavaScript
        assert len(soup.select("span.l.zh")) == len(soup.select("span.l.zh + span.l.en"))
    soup = soup_of(mini_site, "bureau/130634-ybj.html")
    alternates = {link["type"]: link["href"] for link in soup.select('link[rel="alternate"]')}
    assert alternates == {"text/turtle": "130634-ybj.ttl", "application/ld+json": "130634-ybj.jsonld"}


def test_css_names_a_cjk_font_stack(mini_site: Path) -> None:
    css = (mini_site / "static" / "site.css").read_text(encoding="utf-8")
    stack = re.search(r"--font:([^;]+);", css).group(1)
    for font in ("Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei"):
        assert font in stack
    assert "@media (max-width" in css


def test_referenced_by_shows_counts(mini_site: Path) -> None:
    soup = soup_of(mini_site, "budget/130634-ybj/2020/project/1.html")
    counts = {d.summary.select_one("[title]")["title"]: int(d.summary.select_one(".count").text)
              for d in soup.select(".backlinks details")}
    assert counts["https://budget-kg.org/ontology#project"] == 2


def test_links_to_the_site_itself_are_relative(mini_data: SiteData, mini_site: Path) -> None:
    """The SPARQL query page link (kg serve) and every other link into the site must work on
    ``localhost`` too, so none names the public origin; only 404.html (absolute paths) differs."""
    origin = mini_data.graph.base.split("/", 3)[:3]
    origin_url = "/".join(origin) + "/"
    assert origin_url == "https://budget-kg.org/"
    home = soup_of(mini_site, "index.html")
    assert [a["href"] for a in home.select("#more a") if "SPARQL" in a.text] == ["query"]
    for page in sorted(p for p in mini_site.rglob("*.html") if p.name != "404.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        absolute = [e.get("href") or e.get("src") for e in soup.select("[href], [src]")
                    if (e.get("href") or e.get("src") or "").startswith(origin_url)]
        assert not absolute, (page.relative_to(mini_site), absolute[:3])


def test_404_uses_absolute_links_under_the_base_path(mini_site: Path) -> None:
    soup = soup_of(mini_site, "404.html")
    hrefs = [a["href"] for a in soup.select("a[href]") if not a["href"].startswith("#")]
    assert hrefs and all(h.startswith("/kg/") for h in hrefs)
    assert soup.select_one('link[rel="stylesheet"]')["href"] == "/kg/static/site.css"


def test_sitemap_lists_every_page_under_the_base_path(mini_data: SiteData, mini_site: Path) -> None:
    tree = ElementTree.parse(mini_site / "sitemap.xml")
    locs = {loc.text for loc in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert "https://budget-kg.org/kg/index.html" in locs
    assert "https://budget-kg.org/kg/code/indicator/%E4%BA%A7%E5%87%BA%E6%8C%87%E6%A0%87.html" in locs
    assert len(locs) == len(mini_data.pages) + 3


def test_search_index_holds_names_with_working_links(mini_site: Path) -> None:
    text = (mini_site / "search-index.js").read_text(encoding="utf-8")
    assert text.startswith("window.KG_SEARCH=")
    index = json.loads(text[len("window.KG_SEARCH="):].rstrip().rstrip(";"))
    names = {e[0]: e for e in index["entries"]}
    for name in ("曲阳县医疗保障局", "城乡居民基本医疗保险补助资金", "参保人数", "完成县委、县政府交办的其他任务。"):
        assert name in names
        assert (mini_site / names[name][3]).is_file()
    # budget lines are reached through their budget, not searched on their own
    assert not any("/line/" in e[3] for e in index["entries"])
    kinds = index["kinds"]
    assert kinds[names["参保人数"][2]] == ["绩效指标", "Indicator"]


def test_validation_findings_are_shown_next_to_their_resource(mini_site: Path) -> None:
    soup = soup_of(mini_site, "validation.html")
    rows = soup.select("table.findings tbody tr")
    assert [r["id"] for r in rows] == ["f1", "f2"]
    assert "210 不等于其款之和" in rows[0].text
    project = soup_of(mini_site, "budget/130634-ybj/2020/project/1.html")
    badge = project.select_one(".types a.badge.warning")
    assert badge["href"] == "../../../../validation.html#f2"


def test_fragment_terms_are_sections_of_the_ontology_page(mini_site: Path) -> None:
    soup = soup_of(mini_site, "ontology.html")
    assert soup.find(id="Project") is not None
    assert "项目" in soup.find(id="Project").h2.text
