"""SPARQL 1.1 Protocol behaviour of /sparql: operations, dataset parameters, result formats."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest
import rdflib
from fastapi.testclient import TestClient

SELECT = "SELECT ?s ?label WHERE { ?s a bud:Bureau ; rdfs:label ?label } ORDER BY ?s ?label"
BUREAUS = {"https://budget-kg.org/bureau/health", "https://budget-kg.org/bureau/edu"}


def subjects_json(response) -> set[str]:
    data = response.json()
    return {b["s"]["value"] for b in data["results"]["bindings"]}


def test_get_form_post_and_direct_post_agree(client: TestClient) -> None:
    get = client.get("/sparql", params={"query": SELECT})
    form = client.post("/sparql", data={"query": SELECT})
    direct = client.post("/sparql", content=SELECT.encode(), headers={"content-type": "application/sparql-query"})
    assert get.status_code == form.status_code == direct.status_code == 200
    assert get.headers["content-type"] == "application/sparql-results+json"
    assert get.json() == form.json() == direct.json()
    assert subjects_json(get) == BUREAUS
    assert get.headers["x-result-count"] == "3"
    assert "Accept" in get.headers["vary"]


@pytest.mark.parametrize(
    ("accept", "content_type", "fmt"),
    [
        ("application/sparql-results+json", "application/sparql-results+json", ox.QueryResultsFormat.JSON),
        ("application/sparql-results+xml", "application/sparql-results+xml; charset=utf-8", ox.QueryResultsFormat.XML),
        ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8", ox.QueryResultsFormat.TSV),
        ("text/csv;q=0.9, application/foo", "text/csv; charset=utf-8", ox.QueryResultsFormat.CSV),
    ],
)
def test_select_formats_by_accept(client: TestClient, accept: str, content_type: str, fmt: ox.QueryResultsFormat) -> None:
    response = client.get("/sparql", params={"query": SELECT}, headers={"accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"] == content_type
    if fmt == ox.QueryResultsFormat.CSV:  # lossy: pyoxigraph does not parse it back
        values = {row["s"] for row in csv.DictReader(io.StringIO(response.text))}
    else:
        values = {row[0].value for row in ox.parse_query_results(response.content, format=fmt)}
    assert values == BUREAUS


def test_csv_is_readable_by_csv_module(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": SELECT, "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert {r["label"] for r in rows} == {"市卫生健康委员会", "Municipal Health Commission", "市教育局"}


def test_format_parameter_overrides_accept(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": SELECT, "format": "xml"}, headers={"accept": "application/sparql-results+json"})
    assert response.headers["content-type"].startswith("application/sparql-results+xml")
    assert response.headers["content-disposition"] == 'attachment; filename="results.srx"'
    bad = client.get("/sparql", params={"query": SELECT, "format": "pdf"})
    assert bad.status_code == 406
    negotiated = client.get("/sparql", params={"query": SELECT})
    assert "content-disposition" not in negotiated.headers


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml")],
)
def test_construct_formats(client: TestClient, accept: str, rdflib_format: str) -> None:
    query = "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s a bud:Project ; rdfs:label ?l }"
    response = client.get("/sparql", params={"query": query}, headers={"accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == accept
    graph = rdflib.Graph().parse(data=response.content, format=rdflib_format)
    labels = {str(o) for o in graph.objects(None, rdflib.RDFS.label)}
    assert labels == {"基本公共卫生服务", "校舍维修"}


def test_describe(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "DESCRIBE <https://budget-kg.org/bureau/edu>"}, headers={"accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=response.content, format="turtle")
    assert (rdflib.URIRef("https://budget-kg.org/bureau/edu"), rdflib.RDFS.label, rdflib.Literal("市教育局", lang="zh")) in graph


@pytest.mark.parametrize(("query", "expected"), [("ASK { ?s a bud:Project }", True), ("ASK { ?s a bud:Nothing }", False)])
def test_ask(client: TestClient, query: str, expected: bool) -> None:
    assert client.get("/sparql", params={"query": query}).json()["boolean"] is expected
    xml = client.get("/sparql", params={"query": query}, headers={"accept": "application/sparql-results+xml"})
    assert bool(ox.parse_query_results(xml.content, format=ox.QueryResultsFormat.XML)) is expected


def test_default_graph_is_union_of_named_graphs(client: TestClient, small_store: ox.Store) -> None:
    count = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
    per_graph = "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"
    union = client.get("/sparql", params={"query": count}).json()["results"]["bindings"][0]["n"]["value"]
    graphs = client.get("/sparql", params={"query": per_graph}).json()["results"]["bindings"][0]["n"]["value"]
    assert int(union) == int(graphs) == len(small_store)


def test_protocol_dataset_parameters(client: TestClient) -> None:
    query = "SELECT ?s { ?s a bud:Bureau }"
    only_a = client.get("/sparql", params={"query": query, "default-graph-uri": "https://budget-kg.org/graph/doc/a"})
    assert subjects_json(only_a) == {"https://budget-kg.org/bureau/health"}
    named = client.get(
        "/sparql",
        params={"query": "SELECT ?g { GRAPH ?g { ?s a bud:Bureau } }", "named-graph-uri": "https://budget-kg.org/graph/doc/b"},
    )
    assert [b["g"]["value"] for b in named.json()["results"]["bindings"]] == ["https://budget-kg.org/graph/doc/b"]
    from_clause = client.get("/sparql", params={"query": "SELECT ?s FROM <https://budget-kg.org/graph/doc/b> { ?s a bud:Bureau }"})
    assert subjects_json(from_clause) == {"https://budget-kg.org/bureau/edu"}


def test_service_description(client: TestClient) -> None:
    response = client.get("/sparql", headers={"accept": "text/turtle"})
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.content, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    endpoint = rdflib.URIRef("http://testserver/sparql")
    assert (endpoint, rdflib.RDF.type, sd.Service) in graph
    assert (endpoint, sd.endpoint, endpoint) in graph
    assert (endpoint, sd.feature, sd.UnionDefaultGraph) in graph
    names = {str(n) for n in graph.objects(None, sd.name)}
    assert "https://budget-kg.org/graph/doc/a" in names
    jsonld = client.get("/sparql", params={"format": "jsonld"})
    assert json.loads(jsonld.content)


def test_browser_without_query_gets_the_query_page(client: TestClient) -> None:
    response = client.get("/sparql", headers={"accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert 'id="query"' in response.text


@pytest.mark.parametrize(
    ("kwargs", "status"),
    [
        ({"params": {"query": "ASK {"}}, 400),
        ({"params": [("query", "ASK {}"), ("query", "ASK {}")]}, 400),
        ({"headers": {"accept": "image/png"}, "params": {"query": "ASK {}"}}, 406),
    ],
)
def test_get_errors(client: TestClient, kwargs: dict, status: int) -> None:
    assert client.get("/sparql", **kwargs).status_code == status


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"ASK {}", "text/plain", 415),
        (b"ASK {}", None, 415),
        ("ASK {}".encode("utf-16"), "application/sparql-query; charset=UTF-16", 415),
        (b"ASK { \xff }", "application/sparql-query", 400),
        (b"nothing=1", "application/x-www-form-urlencoded", 400),
    ],
)
def test_post_errors(client: TestClient, body: bytes, content_type: str | None, status: int) -> None:
    headers = {"content-type": content_type} if content_type else {}
    assert client.post("/sparql", content=body, headers=headers).status_code == status


def test_common_prefixes_are_predeclared_and_can_be_redeclared(client: TestClient) -> None:
    redeclared = "PREFIX bud: <http://example.org/other#> ASK { ?s a bud:Bureau }"
    assert client.get("/sparql", params={"query": redeclared}).json()["boolean"] is False
    assert client.get("/sparql", params={"query": "ASK { ?s a bud:Bureau }"}).json()["boolean"] is True
