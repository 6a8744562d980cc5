"""Paging through answers over the row cap: ``limit``/``offset`` parameters, ``Link`` and ``X-Next-Offset``.

The ``client`` fixture caps answers at 50 rows; the small store's 20-odd triples give a few hundred
rows when crossed with themselves.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from kg.store import QUERY_OPTIONS

CROSS = "SELECT ?a ?c ?d { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?c ?d"
GRAPH = "CONSTRUCT { ?a ?b ?d } WHERE { ?a ?b ?c . ?d ?e ?f }"
JSON = {"accept": "application/sparql-results+json"}
GRAPH_A = "https://budget-kg.org/graph/doc/a"


def _rows(response) -> list[tuple]:  # type: ignore[no-untyped-def]
    return [tuple(b.get(v, {}).get("value") for v in ("a", "c", "d")) for b in response.json()["results"]["bindings"]]


def _next(response) -> str | None:  # type: ignore[no-untyped-def]
    link = response.headers.get("link")
    if link is None:
        return None
    for part in link.split(", <"):
        target, rel = part.strip("<").split(">; ")
        if rel == 'rel="next"':
            return target
    return None


def test_following_next_links_gives_the_whole_answer_once(client: TestClient, small_store: ox.Store) -> None:
    expected = [tuple(t.value for t in row) for row in small_store.query(CROSS, **QUERY_OPTIONS)]
    assert len(expected) > 150
    assert client.get("/sparql", params={"query": CROSS}, headers=JSON).status_code == 422  # no paging asked: unchanged
    got, pages = [], 0
    response = client.get("/sparql", params={"query": CROSS, "limit": "40"}, headers=JSON)
    while True:
        assert response.status_code == 200
        pages += 1
        rows = _rows(response)
        assert response.headers["x-result-count"] == str(len(rows))
        got += rows
        target = _next(response)
        if target is None:
            assert "x-next-offset" not in response.headers
            break
        assert len(rows) == 40 and response.headers["x-next-offset"] == str(len(got))
        assert parse_qs(urlsplit(target).query)["offset"] == [str(len(got))]
        response = client.get(target, headers=JSON)
    assert got == expected
    assert pages == -(-len(expected) // 40)


def test_prev_link_and_offset_alone(client: TestClient) -> None:
    first = client.get("/sparql", params={"query": CROSS, "offset": "0"}, headers=JSON)
    assert first.headers["x-result-count"] == "50"  # page size defaults to the row cap
    assert 'rel="prev"' not in first.headers["link"]
    second = client.get("/sparql", params={"query": CROSS, "offset": "50"}, headers=JSON)
    assert 'rel="prev"' in second.headers["link"] and "offset=0" in second.headers["link"]
    assert _rows(second)[0] != _rows(first)[0]
    past_the_end = client.get("/sparql", params={"query": CROSS, "offset": "100000"}, headers=JSON)
    assert past_the_end.status_code == 200 and _rows(past_the_end) == []
    assert "x-next-offset" not in past_the_end.headers


def test_post_pages_and_the_link_repeats_dataset_and_format(client: TestClient) -> None:
    form = {"query": CROSS, "limit": "10", "offset": "10", "format": "csv"}
    response = client.post("/sparql", data=form)
    assert response.status_code == 200 and response.headers["x-result-count"] == "10"
    direct = client.post("/sparql?limit=10&offset=10&format=csv", content=CROSS.encode(), headers={"content-type": "application/sparql-query"})
    assert direct.content == response.content
    next_params = parse_qs(urlsplit(_next(response) or "").query)
    assert next_params == {"query": [CROSS], "format": ["csv"], "limit": ["10"], "offset": ["20"]}
    prev = response.headers["link"].split('rel="next", <')[1].split(">")[0]
    assert parse_qs(urlsplit(prev).query)["offset"] == ["0"]
    # a protocol dataset is part of the question, so the links repeat it
    dataset = {"default-graph-uri": GRAPH_A, "named-graph-uri": GRAPH_A}
    one = client.get("/sparql", params={"query": CROSS, "limit": "10", **dataset}, headers=JSON)
    target = _next(one)
    assert target is not None
    assert {k: v for k, v in parse_qs(urlsplit(target).query).items() if k in dataset} == {k: [v] for k, v in dataset.items()}
    two = client.get(target, headers=JSON)
    whole = client.get("/sparql", params={"query": CROSS + " LIMIT 20", **dataset}, headers=JSON)
    assert _rows(one) + _rows(two) == _rows(whole)


def test_graph_answers_page_by_triples(client: TestClient) -> None:
    assert client.get("/sparql", params={"query": GRAPH}).status_code == 422
    triples: list[ox.Triple] = []
    offset = 0
    while True:
        response = client.get("/sparql", params={"query": GRAPH, "limit": "50", "offset": str(offset)}, headers={"accept": "application/n-triples"})
        assert response.status_code == 200
        page = list(ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES))
        assert response.headers["x-result-count"] == str(len(page))
        triples += page
        if "x-next-offset" not in response.headers:
            break
        offset = int(response.headers["x-next-offset"])
    assert len(triples) > 50 and offset > 0


def test_ask_ignores_paging(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }", "limit": "5", "offset": "3"}, headers=JSON)
    assert response.status_code == 200 and response.json()["boolean"] is True
    assert "link" not in response.headers and "x-next-offset" not in response.headers


@pytest.mark.parametrize("params", [{"limit": "0"}, {"limit": "51"}, {"limit": "ten"}, {"limit": "-1"}, {"offset": "-5"},
                                    {"offset": "1e3"}, {"offset": "9" * 40}, {"limit": "٣"}])
def test_bad_paging_parameters_are_400(client: TestClient, params: dict[str, str]) -> None:
    response = client.get("/sparql", params={"query": CROSS, **params})
    assert response.status_code == 400
    assert "must be a whole number" in response.text


def test_repeated_paging_parameters_are_400(client: TestClient) -> None:
    assert client.get(f"/sparql?query=ASK%7B%7D&limit=1&limit=2").status_code == 400


def test_long_query_pages_by_header_alone(client: TestClient) -> None:
    long_query = CROSS + "\n#" + "x" * 9000
    response = client.get("/sparql", params={"query": long_query, "limit": "30"}, headers=JSON)
    assert response.status_code == 200
    assert "link" not in response.headers and response.headers["x-next-offset"] == "30"
    following = client.get("/sparql", params={"query": long_query, "limit": "30", "offset": "30"}, headers=JSON)
    assert _rows(following) == _rows(client.get("/sparql", params={"query": CROSS, "limit": "30", "offset": "30"}, headers=JSON))


def test_cors_exposes_the_paging_headers(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": CROSS, "limit": "5"}, headers={**JSON, "origin": "https://example.org"})
    exposed = {h.strip().lower() for h in response.headers["access-control-expose-headers"].split(",")}
    assert {"link", "x-next-offset", "x-result-count"} <= exposed
