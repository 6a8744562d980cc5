"""The site of the bundled samples' real build: complete, linked, and true to the graph."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup
from rdflib import Graph

from kg.site.linkcheck import check_site
from kg.site.pages import EMBED_LIMIT, MEMBER_BACKLINK_LIMIT, SiteData
from kg.site.paths import page_of, twin_paths

from helpers import reference_description, same_graph, union_graph

BUD = "https://budget-kg.org/ontology#"


def test_no_broken_internal_link_or_missing_asset(samples_site: Path) -> None:
    broken = check_site(samples_site)
    assert broken == [], broken[:20]


def test_every_resource_a_page_links_to_has_a_page(samples_data: SiteData, samples_site: Path) -> None:
    """Links carry the IRI they stand for as their title: each one under the base must be a link to
    a file of the site (its page, or for dump IRIs the dump)."""
    base = samples_data.graph.base
    missing = set()
    for page in samples_data.pages:
        soup = BeautifulSoup((samples_site / page).read_text(encoding="utf-8"), "html.parser")
        for element in soup.select("[title]"):
            iri = element["title"]
            if not iri.startswith(base) or " " in iri:
                continue
            href = element.get("href", "") if element.name == "a" else ""
            path = unquote(href.partition("#")[0])
            target = (samples_site / page).parent / path if path else samples_site / page
            if not href or not target.is_file():
                missing.add(iri)
    assert not missing, sorted(missing)[:20]


def test_every_resource_of_the_graph_has_a_page_and_twins(samples_data: SiteData, samples_site: Path) -> None:
    for page in samples_data.pages:
        if page == "index.html":
            continue
        assert (samples_site / page).is_file()
        assert all((samples_site / t).is_file() for t in twin_paths(page))


def test_counts_on_the_home_page(samples_data: SiteData, samples_site: Path) -> None:
    soup = BeautifulSoup((samples_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    stats = {li.select_one(".l.en").text: li.strong.text for li in soup.select("ul.stats li")}
    g = samples_data.graph
    assert stats["Bureaus"] == str(len(g.instances(BUD + "Bureau"))) == "5"
    assert stats["Projects"] == str(len(g.instances(BUD + "Project")))
    assert int(stats["Indicators"]) == len(g.instances(BUD + "Indicator")) > 100
    assert len(soup.select("#bureaus tbody tr")) == 5
    assert soup.select_one("#by-class svg title")


def one_of_each_class(data: SiteData) -> list[str]:
    chosen = []
    for cls in ("Bureau", "Budget", "Project", "Indicator", "Duty", "FunctionCode", "EconomicCode",
                "FunctionLine", "BudgetDocument", "BudgetTotal"):
        instances = data.graph.instances(BUD + cls)
        if instances:
            chosen.append(instances[len(instances) // 2])
    return chosen


def test_twins_and_embedded_jsonld_are_the_graph_description(samples_build: Path, samples_data: SiteData,
                                                               samples_site: Path) -> None:
    graph = union_graph((samples_build / "dataset.nq").read_text(encoding="utf-8"), "nquads")
    for name in ("ontology.ttl", "codes.ttl", "void.ttl"):
        if (samples_build / name).is_file():
            graph.parse(samples_build / name, format="turtle")
    if (samples_build / "analysis.trig").is_file():
        graph += union_graph((samples_build / "analysis.trig").read_text(encoding="utf-8"), "trig")
    iris = one_of_each_class(samples_data)
    assert len(iris) >= 8
    for iri in iris:
        page = page_of(iri, samples_data.graph.base)
        expected = reference_description(graph, iri)
        ttl, jsonld = twin_paths(page)
        soup = BeautifulSoup((samples_site / page).read_text(encoding="utf-8"), "html.parser")
        twin = (samples_site / jsonld).read_text(encoding="utf-8")
        script = soup.find("script", type="application/ld+json")
        # a description longer than EMBED_LIMIT is only linked (the ontology page's)
        assert (script is None) == (len(twin) > EMBED_LIMIT), iri
        texts = [((samples_site / ttl).read_text(encoding="utf-8"), "turtle"), (twin, "json-ld")]
        if script is not None:
            texts.append((script.string, "json-ld"))
        for text, fmt in texts:
            ok, diff = same_graph(Graph().parse(data=text, format=fmt), expected)
            assert ok, f"{iri} ({fmt}):\n{diff}"


def test_ontology_page_stays_small(samples_data: SiteData, samples_site: Path) -> None:
    """ontology.html holds a section per term: it links its JSON-LD instead of embedding megabytes,
    and each term lists at most MEMBER_BACKLINK_LIMIT of the resources referring to it (counts exact)."""
    page = samples_site / "ontology.html"
    assert page.stat().st_size < 1_000_000  # 1.77 MB before
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    assert soup.find("script", type="application/ld+json") is None
    assert soup.select_one('link[rel="alternate"][type="application/ld+json"]')["href"] == "ontology.jsonld"
    project = soup.select_one("article#Project")
    instances = len(samples_data.graph.instances(BUD + "Project"))
    assert instances > MEMBER_BACKLINK_LIMIT
    typed = [d for d in project.select(".backlinks details") if d.summary.get_text(" ").startswith("rdf:type")]
    assert int(typed[0].select_one(".count").text) == instances
    assert len(typed[0].select("li")) == MEMBER_BACKLINK_LIMIT
    assert typed[0].select_one("p.note").get_text().endswith(str(instances - MEMBER_BACKLINK_LIMIT))


def test_budget_page_shows_figures_chart_tables_projects_and_duties(samples_data: SiteData, samples_site: Path) -> None:
    budgets = samples_data.graph.instances(BUD + "Budget")
    with_tables = [b for b in budgets if samples_data.graph.subjects("http://purl.org/linked-data/cube#dataSet", b)]
    assert with_tables
    soup = BeautifulSoup((samples_site / page_of(with_tables[0], samples_data.graph.base)).read_text(encoding="utf-8"),
                         "html.parser")
    chart = soup.select_one("#chart svg")
    assert chart["role"] == "img" and chart.title.text and chart.desc.text
    tables = soup.select("section.section-table table")
    assert tables
    # code rows are in code order and each amount says where it was read
    codes = [a.text for a in soup.select("section.section-table tbody td:first-child a")]
    first_table = [a.text for a in tables[0].select("tbody td:first-child a")]
    assert first_table == sorted(first_table) and codes
    assert all(small.text.startswith("L") for small in tables[0].select("td.num small.src"))
    assert soup.select("#projects tbody tr") and soup.select("#duties tbody tr")


def test_category_chart_of_project_spending_says_so(samples_data: SiteData, samples_site: Path) -> None:
    """Sample 000 breaks down only its project spending by 类 (table ``narrative（项目支出）``): the
    chart's heading, note and SVG title say so in both languages; a full breakdown (sample 004) does not."""
    def chart_of(budget: str) -> BeautifulSoup:
        page = page_of(f"{samples_data.graph.base}budget/{budget}/2020", samples_data.graph.base)
        soup = BeautifulSoup((samples_site / page).read_text(encoding="utf-8"), "html.parser")
        return soup.select_one("section#chart")

    partial = chart_of("130634-medical-insurance")
    assert partial.h2.select_one(".zh").text == "按类的项目支出"
    assert partial.h2.select_one(".en").text == "Project spending by category"
    note = partial.select_one("p.note")
    assert "只含项目支出" in note.select_one(".zh").text and "Project spending only" in note.select_one(".en").text
    assert partial.svg.title.text.startswith("按类的项目支出")
    full = chart_of("510421-medical-insurance")
    assert full.h2.select_one(".zh").text == "按类的支出" and full.select_one("p.note") is None


def test_duty_links_are_named_by_project_and_duty_text_not_ordinals(samples_data: SiteData,
                                                                    samples_site: Path) -> None:
    g = samples_data.graph
    duty = f"{g.base}budget/130634-medical-insurance/2020/duty/1"
    text = g.value(duty, BUD + "text").value
    soup = BeautifulSoup((samples_site / page_of(duty, g.base)).read_text(encoding="utf-8"), "html.parser")
    names = [a.get_text() for a in soup.select(".backlinks li")]
    assert names and not [n for n in names if n.strip().isdigit()], names
    linked = [n for n in names if " → " in n]
    assert linked, names
    for name in linked:
        project, _, shown = name.partition(" → ")
        assert project and shown.endswith("…") and text.startswith(shown[:-1]) and len(shown) < len(text)


@pytest.mark.parametrize("cls", ["FunctionCode", "EconomicCode"])
def test_code_pages_show_hierarchy_in_notation_order(samples_data: SiteData, samples_site: Path, cls: str) -> None:
    g = samples_data.graph
    deep = [c for c in g.instances(BUD + cls)
            if len((g.value(c, "http://www.w3.org/2004/02/skos/core#notation") or g.value(c, BUD + "x")).value) == 5]
    assert deep
    soup = BeautifulSoup((samples_site / page_of(deep[0], g.base)).read_text(encoding="utf-8"), "html.parser")
    tree = soup.select_one("#hierarchy ul.tree")
    assert tree is not None
    current = tree.select_one("li.current > a").text
    parent = tree.select_one("li > a").text
    assert current.split()[0].startswith(parent.split()[0]) and len(parent.split()[0]) == 3


def test_validation_findings_reach_the_pages_of_their_figures(samples_data: SiteData, samples_site: Path) -> None:
    findings = samples_data.findings
    assert findings, "kg validate reports the samples' known inconsistencies"
    soup = BeautifulSoup((samples_site / "validation.html").read_text(encoding="utf-8"), "html.parser")
    assert len(soup.select("table.findings tbody tr")) == len(findings)
    shown = [f for f in findings if samples_data.has_page(f.focus)]
    assert shown
    for f in shown[:10]:
        page = page_of(f.focus, samples_data.graph.base)
        focus_page = BeautifulSoup((samples_site / page).read_text(encoding="utf-8"), "html.parser")
        assert focus_page.select(f'a.badge[href$="validation.html#{f.anchor}"]'), (f.focus, f.rule)


def test_search_index_covers_bureaus_projects_indicators_and_duties(samples_data: SiteData, samples_site: Path) -> None:
    text = (samples_site / "search-index.js").read_text(encoding="utf-8")
    index = json.loads(text[len("window.KG_SEARCH="):].rstrip().rstrip(";"))
    paths = {e[3] for e in index["entries"]}
    base = samples_data.graph.base
    for cls in ("Bureau", "Project", "Indicator", "Duty"):
        instances = samples_data.graph.instances(BUD + cls)
        assert instances
        missing = [i for i in instances if page_of(i, base) not in paths]
        assert not missing, (cls, missing[:3])
    assert all((samples_site / p.partition("#")[0]).is_file() for p in paths)
