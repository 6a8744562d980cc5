"""The answer cache (kg/serve/cache.py) and the admission-check cache: same question → same bytes,
without a worker; what must not be cached is not; the cache can be turned off."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from loopback import serve_app

from kg.serve.app import close_app, create_app
from kg.serve.cache import ResultCache
from kg.serve.settings import ServeSettings
from kg.serve.workers import JobResult

BUREAUS = "SELECT ?b WHERE { ?b a bud:Bureau } ORDER BY ?b"
SLOW = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o . ?q ?r ?t . ?u ?v ?w }"


def test_lru_is_bounded_in_bytes_and_keeps_the_recent() -> None:
    cache = ResultCache(max_bytes=3000, max_entry=1000)
    for i in range(10):
        cache.put((f"q{i}",), JobResult(200, "json", b"x" * 500))
    assert cache.size <= 3000 and 1 <= len(cache) < 10
    assert cache.get(("q9",)) is not None and cache.get(("q0",)) is None
    cache.put(("big",), JobResult(200, "json", b"x" * 5000))  # over max_entry: not kept
    assert cache.get(("big",)) is None
    assert cache.hits == 1 and cache.misses == 2


def test_a_disabled_cache_keeps_nothing() -> None:
    cache = ResultCache(0)
    cache.put(("q",), JobResult(200, "json", b"{}"))
    assert cache.get(("q",)) is None and len(cache) == 0


@pytest.fixture(scope="module")
def app_with_cache(small_store: ox.Store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, object]]:
    app = create_app(ServeSettings(timeout=2, workers=2, max_rows=1, queries_dir=tmp_path_factory.mktemp("q")), small_store)
    try:
        with TestClient(app) as client:
            yield client, app.state.kg
    finally:
        close_app(app)


def test_a_repeated_query_is_answered_from_the_cache_with_the_same_bytes(app_with_cache) -> None:
    client, state = app_with_cache
    query = "ASK { ?b a bud:Bureau }"
    first = client.get("/sparql", params={"query": query})
    hits = state.cache.hits
    second = client.get("/sparql", params={"query": query})
    assert first.status_code == second.status_code == 200
    assert first.content == second.content and first.headers["content-type"] == second.headers["content-type"]
    assert state.cache.hits == hits + 1
    # another format, another dataset or another query text is another entry
    xml = client.get("/sparql", params={"query": query}, headers={"accept": "application/sparql-results+xml"})
    assert xml.status_code == 200 and xml.content.startswith(b"<?xml")
    other = client.get("/sparql", params={"query": query, "default-graph-uri": "https://budget-kg.org/graph/none"})
    assert other.json()["boolean"] is False
    assert state.cache.hits == hits + 1


def test_the_row_cap_answer_is_cached_and_still_explicit(app_with_cache) -> None:
    client, state = app_with_cache
    for _ in range(2):
        response = client.get("/sparql", params={"query": BUREAUS})
        assert response.status_code == 422 and "more than 1 solutions" in response.text


def test_a_download_from_the_cache_is_still_an_attachment(app_with_cache) -> None:
    client, _state = app_with_cache
    query = "ASK { ?s ?p ?o }"
    client.get("/sparql", params={"query": query})
    response = client.get("/sparql", params={"query": query, "format": "json"})
    assert response.status_code == 200 and "attachment" in response.headers["content-disposition"]


def test_refusals_and_timeouts_are_not_cached(small_store: ox.Store, tmp_path: Path) -> None:
    app = create_app(ServeSettings(timeout=1, workers=1, queries_dir=tmp_path), small_store)
    state = app.state.kg
    try:
        with serve_app(app) as url, httpx.Client(base_url=url, timeout=30) as http:
            for _ in range(2):
                assert http.get("/sparql", params={"query": "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}).status_code == 400
            killed = state.pool.killed
            for expected in (killed + 1, killed + 2):  # evaluated (and stopped) each time
                started = time.monotonic()
                response = http.get("/sparql", params={"query": SLOW})
                assert response.status_code == 503 and time.monotonic() - started >= 0.9
                assert state.pool.killed == expected
            assert len(state.cache) == 0
            assert http.get("/health").json()["cache"]["entries"] == 0
    finally:
        close_app(app)


def test_the_cache_can_be_turned_off(small_store: ox.Store, tmp_path: Path) -> None:
    app = create_app(ServeSettings(workers=1, result_cache_mb=0, queries_dir=tmp_path), small_store)
    try:
        with TestClient(app) as client:
            for _ in range(2):
                assert client.get("/sparql", params={"query": "ASK {}"}).json()["boolean"] is True
            assert len(app.state.kg.cache) == 0 and app.state.kg.cache.hits == 0
    finally:
        close_app(app)


def test_negative_cache_size_is_refused() -> None:
    with pytest.raises(ValueError):
        ServeSettings(result_cache_mb=-1)
