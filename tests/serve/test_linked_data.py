"""Dereferencing: every IRI under the base answers at its path with HTML or RDF (conneg, suffixes,
Vary, Link, 404), plus VoID, dumps, health and the static site's files."""

from __future__ import annotations

import json
from decimal import Decimal
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest
import rdflib
from fastapi.testclient import TestClient

from kg.serve.app import close_app, create_app
from kg.serve.settings import ServeSettings

KG = "https://budget-kg.org/"
HEALTH = rdflib.URIRef(KG + "bureau/health")
EDU = rdflib.URIRef(KG + "bureau/edu")
P1 = rdflib.URIRef(KG + "project/health/2024/p1")
BUD = rdflib.Namespace("https://budget-kg.org/ontology#")
SITE_PAGE = "<!doctype html><html><head><title>static page</title></head><body>市卫生健康委员会 (static)</body></html>"
RDF_TYPES = [
    ("text/turtle", "turtle"),
    ("application/ld+json", "json-ld"),
    ("application/n-triples", "nt"),
    ("application/rdf+xml", "xml"),
]


@pytest.fixture(scope="module")
def build_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build directory with a tiny dump, VoID and a static site holding one resource page."""
    root = tmp_path_factory.mktemp("build")
    (root / "dataset.nq").write_text("<urn:a> <urn:b> <urn:c> <urn:g> .\n", encoding="utf-8")
    (root / "budget_lines.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (root / ".secret.json").write_text("{}", encoding="utf-8")
    site = root / "site"
    (site / "bureau").mkdir(parents=True)
    (site / "static").mkdir()
    (site / "bureau" / "health.html").write_text(SITE_PAGE, encoding="utf-8")
    (site / "static" / "site.css").write_text("body { color: black }", encoding="utf-8")
    (site / "404.html").write_text("<html><body>site 404</body></html>", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def ld(small_store: ox.Store, build_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    void = ox.NamedNode(KG + "graph/void")
    store = ox.Store()
    store.extend(small_store)
    store.add(ox.Quad(ox.NamedNode(KG + "dataset"), ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode("http://rdfs.org/ns/void#Dataset"), void))
    app = create_app(ServeSettings(data_dir=build_dir, workers=1, queries_dir=tmp_path_factory.mktemp("q")), store)
    try:
        with TestClient(app) as client:
            yield client
    finally:
        close_app(app)


def parse(response, fmt: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=response.content, format=fmt)


@pytest.mark.parametrize(("accept", "fmt"), RDF_TYPES)
def test_rdf_by_accept_describes_the_resource(ld: TestClient, accept: str, fmt: str) -> None:
    response = ld.get("/project/health/2024/p1", headers={"accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == accept
    assert "Accept" in response.headers["vary"]
    assert 'rel="alternate"' in response.headers["link"] and "/project/health/2024/p1.ttl" in response.headers["link"]
    graph = parse(response, fmt)
    assert (P1, rdflib.RDF.type, BUD.Project) in graph
    assert graph.value(P1, BUD.amount).toPython() == Decimal("1234.50")
    # Labels of what it links to, and blank-node structure it owns.
    assert (HEALTH, rdflib.RDFS.label, rdflib.Literal("市卫生健康委员会", lang="zh")) in graph
    assert (BUD.Project, rdflib.RDFS.label, rdflib.Literal("项目", lang="zh")) in graph
    source = graph.value(P1, BUD.source)
    assert graph.value(source, BUD.line) == rdflib.Literal(12)


def test_inverse_links_are_included(ld: TestClient) -> None:
    graph = parse(ld.get("/bureau/health", headers={"accept": "text/turtle"}), "turtle")
    assert (P1, BUD.bureau, HEALTH) in graph
    assert (P1, rdflib.RDFS.label, rdflib.Literal("基本公共卫生服务", lang="zh")) in graph


def test_all_rdf_forms_are_the_same_graph(ld: TestClient) -> None:
    from rdflib.compare import isomorphic

    graphs = [parse(ld.get(f"/bureau/edu{suffix}"), fmt) for suffix, fmt in ((".ttl", "turtle"), (".jsonld", "json-ld"), (".nt", "nt"), (".rdf", "xml"))]
    assert all(isomorphic(graphs[0], g) for g in graphs[1:])
    assert (EDU, rdflib.RDF.type, BUD.Bureau) in graphs[0]


@pytest.mark.parametrize(("suffix", "media"), [(".ttl", "text/turtle"), (".jsonld", "application/ld+json"), (".nt", "application/n-triples"), (".rdf", "application/rdf+xml"), (".html", "text/html")])
def test_suffix_urls_fix_the_format(ld: TestClient, suffix: str, media: str) -> None:
    response = ld.get(f"/bureau/edu{suffix}", headers={"accept": "application/ld+json;q=0.1, text/turtle"})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    assert "</bureau/edu.ttl>" in response.headers["link"]


def test_html_is_the_static_site_page_when_there_is_one(ld: TestClient) -> None:
    for accept in ("text/html", "*/*", None):
        headers = {"accept": accept} if accept else {}
        response = ld.get("/bureau/health", headers=headers)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/html")
        assert response.text == SITE_PAGE
        assert "Accept" in response.headers["vary"]
    assert ld.get("/bureau/health.html").text == SITE_PAGE


def test_generic_page_otherwise(ld: TestClient) -> None:
    from bs4 import BeautifulSoup

    response = ld.get("/project/health/2024/p1", headers={"accept": "text/html"})
    assert response.status_code == 200
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.h1.get_text() == "基本公共卫生服务"
    alternates = {link["type"]: link["href"] for link in soup.find_all("link", rel="alternate")}
    assert alternates["text/turtle"] == "/project/health/2024/p1.ttl"
    assert alternates["application/ld+json"] == "/project/health/2024/p1.jsonld"
    hrefs = {a["href"] for a in soup.find_all("a")}
    assert "/bureau/health" in hrefs  # links under the base stay on this server
    assert "1234.5" in response.text  # the amount (xsd:decimal canonical form)


def test_unicode_iris(ld: TestClient) -> None:
    path = "/region/" + quote("米易县")
    response = ld.get(path, headers={"accept": "text/turtle"})
    assert response.status_code == 200
    graph = parse(response, "turtle")
    assert (EDU, BUD.region, rdflib.URIRef(KG + "region/米易县")) in graph


def test_hash_iris_are_described_by_their_document(ld: TestClient) -> None:
    graph = parse(ld.get("/ontology", headers={"accept": "text/turtle"}), "turtle")
    assert (BUD.Project, rdflib.RDFS.label, rdflib.Literal("Project", lang="en")) in graph
    assert (BUD.Bureau, rdflib.RDFS.label, rdflib.Literal("部门", lang="zh")) in graph


@pytest.mark.parametrize("path", ["/bureau/nothing", "/bureau/nothing.ttl", "/bureau/edu.pdf", "/graph/doc"])
def test_unknown_iris_are_404(ld: TestClient, path: str) -> None:
    html = ld.get(path, headers={"accept": "text/html"})
    assert html.status_code == 404
    assert html.headers["content-type"].startswith("text/html")
    assert "site 404" in html.text  # the static site's own 404 page
    rdf = ld.get(path, headers={"accept": "text/turtle"})
    assert rdf.status_code == 404


def test_not_acceptable(ld: TestClient) -> None:
    response = ld.get("/bureau/edu", headers={"accept": "image/png"})
    assert response.status_code == 406


def test_head_matches_get(ld: TestClient) -> None:
    get = ld.get("/bureau/edu", headers={"accept": "text/turtle"})
    head = ld.head("/bureau/edu", headers={"accept": "text/turtle"})
    assert head.status_code == 200 and head.content == b""
    for header in ("content-type", "vary", "link", "content-length"):
        assert head.headers[header] == get.headers[header]


def test_void_and_dumps_and_health(ld: TestClient, build_dir: Path) -> None:
    for path in ("/.well-known/void", "/void.ttl"):
        response = ld.get(path)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/turtle")
        graph = parse(response, "turtle")
        assert (rdflib.URIRef(KG + "dataset"), rdflib.RDF.type, rdflib.URIRef("http://rdfs.org/ns/void#Dataset")) in graph
    listing = ld.get("/dumps/", headers={"accept": "application/json"}).json()
    assert {d["name"] for d in listing} == {"dataset.nq", "budget_lines.csv"}
    dump = ld.get("/dumps/dataset.nq")
    assert dump.status_code == 200 and dump.content == (build_dir / "dataset.nq").read_bytes()
    assert dump.headers["content-type"] == "application/n-quads"
    assert ld.get("/dumps/.secret.json").status_code == 404
    assert ld.get("/dumps/site/404.html").status_code == 404
    health = ld.get("/health").json()
    assert health["status"] == "ok" and health["triples"] == 23 and health["workers"] == 1


def test_site_files_are_served_but_nothing_outside(ld: TestClient) -> None:
    css = ld.get("/static/site.css")
    assert css.status_code == 200 and "color" in css.text
    for path in ("/../dataset.nq", "/static/../../dataset.nq", "/%2e%2e/dataset.nq", "/.secret.json"):
        assert ld.get(path).status_code == 404, path


def test_base_iri_is_configurable(small_store: ox.Store, tmp_path: Path) -> None:
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://example.org/kg/thing/1"), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("one"), ox.NamedNode("http://example.org/kg/g")))
    app = create_app(ServeSettings(base_iri="http://example.org/kg/", workers=1, queries_dir=tmp_path), store)
    try:
        with TestClient(app) as client:
            response = client.get("/thing/1", headers={"accept": "application/ld+json"})
            assert response.status_code == 200
            doc = json.loads(response.content)
            assert any(node.get("@id") == "http://example.org/kg/thing/1" for node in doc)
            assert client.get("/bureau/health").status_code == 404
    finally:
        close_app(app)


@pytest.fixture(scope="module")
def site_client(sample_build: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The real sample build with the real static site (kg site), served."""
    from kg.cli import main as kg_main
    from kg.store import SERVED_EXTRAS, load_build

    if not (sample_build / "site" / "index.html").exists():
        assert kg_main(["site", str(sample_build)]) == 0
    store, _ = load_build(sample_build, extras=SERVED_EXTRAS)
    app = create_app(ServeSettings(data_dir=sample_build, workers=1, queries_dir=tmp_path_factory.mktemp("q")), store)
    try:
        with TestClient(app) as client:
            yield client
    finally:
        close_app(app)


@pytest.mark.slow
def test_real_site_pages_are_served_for_real_iris(site_client: TestClient, sample_build: Path) -> None:
    from urllib.parse import urljoin

    from bs4 import BeautifulSoup

    rows = site_client.get("/sparql", params={"query": "SELECT ?x { { ?x a bud:Bureau } UNION { ?x a bud:Project } UNION { ?x a bud:Budget } }"}).json()
    iris = [r["x"]["value"] for r in rows["results"]["bindings"]]
    assert len(iris) >= 10
    for iri in iris:
        path = iri[len(KG):]
        page = site_client.get("/" + path, headers={"accept": "text/html"})
        assert page.status_code == 200, iri
        assert page.content == (sample_build / "site" / f"{path}.html").read_bytes(), iri
        turtle = site_client.get("/" + path + ".ttl")
        assert (rdflib.URIRef(iri), None, None) in parse(turtle, "turtle")
    # The page's own relative links (stylesheet, twins, home) resolve on this server.
    first = iris[0][len(KG):]
    soup = BeautifulSoup(site_client.get("/" + first).text, "html.parser")

    hrefs = [link["href"] for link in soup.find_all("link", href=True)] + [a["href"] for a in soup.find_all("a", href=True)][:20]
    for href in hrefs:
        if href.startswith(("#", "http:", "https:", "mailto:")):
            continue
        target = urljoin("http://testserver/" + first, href).split("#")[0]
        assert site_client.get(target).status_code == 200, href
