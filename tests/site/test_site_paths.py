import doctest

import pytest

import kg.site.paths
import kg.site.sitemap
from kg.site.paths import page_of, relative_href, resource_path, root_prefix, twin_paths

BASE = "https://budget-kg.org/"


def test_doctests() -> None:
    for module in (kg.site.paths, kg.site.sitemap):
        assert doctest.testmod(module).failed == 0


@pytest.mark.parametrize(("iri", "path"), [
    ("https://budget-kg.org/bureau/130634-ybj", "bureau/130634-ybj.html"),
    ("https://budget-kg.org/budget/130634-ybj/2020/project/1", "budget/130634-ybj/2020/project/1.html"),
    ("https://budget-kg.org/code/function/2101501", "code/function/2101501.html"),
    ("https://budget-kg.org/ontology#Project", "ontology.html#Project"),
    ("https://budget-kg.org/bureau/n-%E5%8C%BB", "bureau/n-医.html"),
    ("https://budget-kg.org/", "index.html"),
    ("https://budget-kg.org/ontology/duty-area/", "ontology/duty-area/index.html"),
    ("https://budget-kg.org/a/../b", None),
    ("http://www.w3.org/ns/prov#Entity", None),
])
def test_resource_path(iri: str, path: str | None) -> None:
    assert resource_path(iri, BASE) == path


def test_page_and_twins() -> None:
    assert page_of("https://budget-kg.org/ontology#Project", BASE) == "ontology.html"
    assert twin_paths("bureau/x.html") == ("bureau/x.ttl", "bureau/x.jsonld")


def test_relative_links_are_percent_encoded_and_resolve() -> None:
    assert root_prefix("a/b/c.html") == "../../"
    assert relative_href("a/b/c.html", "index.html") == "../../index.html"
    assert relative_href("index.html", "bureau/n-医.html") == "bureau/n-%E5%8C%BB.html"
    assert relative_href("bureau/x.html", "code/function.html#t 1") == "../code/function.html#t%201"
    assert relative_href("code/function.html", "code/function/210.html") == "function/210.html"


def test_sitemap_splits_past_the_protocol_limit() -> None:
    from kg.site.sitemap import sitemap_files

    files = dict(sitemap_files("https://x.org/", [f"p/{i}.html" for i in range(5)], limit=2))
    assert sorted(files) == ["sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml", "sitemap.xml"]
    assert "<sitemapindex" in files["sitemap.xml"] and "https://x.org/sitemap-3.xml" in files["sitemap.xml"]
    assert files["sitemap-3.xml"].count("<url>") == 1
    assert list(dict(sitemap_files("https://x.org/", ["a.html"]))) == ["sitemap.xml"]
