"""The protections a public endpoint needs (notes/security.md §0), each one a test."""

from __future__ import annotations

import os
import time
from pathlib import Path
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from loopback import Canary, serve_app

from kg.serve.app import close_app, create_app
from kg.serve.settings import ServeSettings
from kg.serve.workers import QueryJob, execute

ROOT = Path(__file__).resolve().parents[2]
SLOW = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o . ?q ?r ?t . ?u ?v ?w }"
COUNT_ALL = "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"


def count(client: TestClient | httpx.Client) -> int:
    # a fresh comment each time: the answer cache must not stand in for the store
    response = client.get("/sparql", params={"query": f"# {time.monotonic_ns()}\n{COUNT_ALL}"})
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


# -- read-only ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        ("POST", "/sparql", {"content": b"CLEAR ALL", "headers": {"content-type": "application/sparql-update"}}),
        ("POST", "/sparql", {"data": {"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}}),
        ("GET", "/sparql", {"params": {"update": "CLEAR ALL"}}),
        ("POST", "/sparql", {"data": {"query": "DROP ALL"}}),
        ("POST", "/sparql", {"content": b"INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } }", "headers": {"content-type": "application/sparql-query"}}),
        ("PUT", "/sparql", {"content": b"<urn:a> <urn:b> <urn:c> .", "headers": {"content-type": "text/turtle"}}),
        ("DELETE", "/sparql", {}),
        ("PUT", "/rdf-graph-store?graph=urn:g", {"content": b"<urn:a> <urn:b> <urn:c> .", "headers": {"content-type": "text/turtle"}}),
        ("POST", "/rdf-graph-store?default", {"content": b"<urn:a> <urn:b> <urn:c> .", "headers": {"content-type": "text/turtle"}}),
        ("DELETE", "/bureau/health", {}),
        ("PUT", "/bureau/health", {"content": b"<urn:a> <urn:b> <urn:c> .", "headers": {"content-type": "text/turtle"}}),
    ],
)
def test_writes_are_refused_and_the_store_is_unchanged(client: TestClient, small_store: ox.Store, method: str, path: str, kwargs: dict) -> None:
    before = count(client)
    response = client.request(method, path, **kwargs)
    assert 400 <= response.status_code < 500
    assert count(client) == before == len(small_store)


# -- no federation, no dereferencing of query IRIs ------------------------------------------------


def test_service_from_load_never_reach_the_network_or_files(client: TestClient, small_store: ox.Store) -> None:
    with Canary() as canary:
        url = canary.url + "/sparql"
        rejected = [
            f"SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
            f"SELECT * {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
            f"SELECT * {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
            f"SELECT * {{ {{ SELECT ?s {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
            f"SELECT * {{ OPTIONAL {{ ?s ?p ?o MINUS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
            f"SELECT * {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
        ]
        for query in rejected:
            response = client.get("/sparql", params={"query": query})
            assert response.status_code == 400, query
            assert "SERVICE" in response.text
        harmless = [
            f"SELECT * FROM <{canary.url}/data.ttl> {{ ?s ?p ?o }}",
            f"SELECT * FROM NAMED <{canary.url}/data.ttl> {{ GRAPH ?g {{ ?s ?p ?o }} }}",
            "SELECT * FROM <file:///etc/hostname> { ?s ?p ?o }",
            "SELECT * FROM <file:///etc/passwd> FROM NAMED <file:///etc/hostname> { GRAPH ?g { ?s ?p ?o } }",
        ]
        for query in harmless:
            response = client.get("/sparql", params={"query": query})
            assert response.status_code == 200, query
            assert response.json()["results"]["bindings"] == []
        load = client.post("/sparql", content=f"LOAD <{canary.url}/data.ttl>".encode(), headers={"content-type": "application/sparql-update"})
        assert load.status_code == 403
        load_as_query = client.get("/sparql", params={"query": f"LOAD <{canary.url}/data.ttl> INTO GRAPH <urn:g>"})
        assert load_as_query.status_code == 403
        assert canary.hits == []
        # Controls: the canary does record requests, and pyoxigraph itself would call it.
        urllib.request.urlopen(canary.url + "/control", timeout=5).read()
        assert canary.hits == ["GET /control"]
        execute(small_store, QueryJob(f"SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", "json", 10))
        assert len(canary.hits) == 2


# -- limits -------------------------------------------------------------------------------------


def test_query_length_limit(client: TestClient) -> None:
    long_query = "SELECT * {} #" + "a" * 40_000
    assert client.get("/sparql", params={"query": long_query}).status_code == 413
    assert client.post("/sparql", content=long_query.encode(), headers={"content-type": "application/sparql-query"}).status_code == 413
    huge_body = b"query=" + b"A" * 200_000
    assert client.post("/sparql", content=huge_body, headers={"content-type": "application/x-www-form-urlencoded"}).status_code == 413


def test_nesting_limit(client: TestClient) -> None:
    deep = "SELECT * WHERE " + "{" * 200 + "}" * 200
    response = client.get("/sparql", params={"query": deep})
    assert response.status_code == 400
    union = "SELECT * WHERE { " + " UNION ".join("{ ?s ?p ?o }" for _ in range(2000)) + " }"
    assert client.post("/sparql", content=union.encode(), headers={"content-type": "application/sparql-query"}).status_code == 413


def test_row_cap_is_an_explicit_error_never_a_truncated_200(client: TestClient) -> None:
    # 20 triples → 400 rows; the fixture caps at 50.
    over = client.get("/sparql", params={"query": "SELECT * { ?a ?b ?c . ?d ?e ?f }", "format": "csv"})
    assert over.status_code == 422
    assert "more than 50" in over.text
    assert over.headers["x-max-rows"] == "50"
    capped = client.get("/sparql", params={"query": "SELECT * { ?a ?b ?c . ?d ?e ?f } LIMIT 50"})
    assert capped.status_code == 200
    assert capped.headers["x-result-count"] == "50"
    assert len(capped.json()["results"]["bindings"]) == 50
    graph = client.get("/sparql", params={"query": "CONSTRUCT { ?a ?b ?d } WHERE { ?a ?b ?c . ?d ?e ?f }"})
    assert graph.status_code == 422


# -- error bodies, CORS -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"method": "GET", "url": "/sparql", "params": {"query": "SELECT * { ?s ?p"}},
        {"method": "GET", "url": "/sparql", "params": {"query": "SELECT * { FILTER(1/0) BIND(<:bad iri> AS ?x) }"}},
        {"method": "POST", "url": "/sparql", "content": b"\xff\xfe", "headers": {"content-type": "application/sparql-query"}},
        {"method": "GET", "url": "/sparql", "params": {"query": "SELECT * { SERVICE <http://x/> {} }"}},
        {"method": "GET", "url": "/no/such/thing", "headers": {"accept": "text/turtle"}},
        {"method": "GET", "url": "/dumps/../../etc/passwd"},
        {"method": "GET", "url": "/_kg/../settings.py"},
    ],
)
def test_error_bodies_carry_no_traceback_or_path(client: TestClient, request_kwargs: dict) -> None:
    response = client.request(**request_kwargs)
    assert response.status_code >= 400
    for leak in ("Traceback", 'File "', str(ROOT), "site-packages", "Error(", "Exception"):
        assert leak not in response.text


def test_cors_without_credentials(client: TestClient) -> None:
    simple = client.get("/sparql", params={"query": "ASK {}"}, headers={"origin": "https://example.org"})
    assert simple.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in simple.headers
    preflight = client.options(
        "/sparql",
        headers={"origin": "https://example.org", "access-control-request-method": "POST", "access-control-request-headers": "content-type"},
    )
    assert preflight.status_code == 200
    methods = {m.strip() for m in preflight.headers["access-control-allow-methods"].split(",")}
    assert {"GET", "POST"} <= methods
    assert "content-type" in preflight.headers["access-control-allow-headers"].lower()
    assert "access-control-allow-credentials" not in preflight.headers
    resource = client.get("/bureau/health", headers={"origin": "https://example.org", "accept": "text/turtle"})
    assert resource.headers["access-control-allow-origin"] == "*"


# -- timeout and isolation, over real HTTP on loopback ---------------------------------------------


@pytest.fixture(scope="module")
def live(small_store: ox.Store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, object]]:
    settings = ServeSettings(timeout=2, workers=3, queries_dir=tmp_path_factory.mktemp("q"))
    app = create_app(settings, small_store)
    try:
        with serve_app(app) as url:
            yield url, app.state.kg.pool
    finally:
        close_app(app)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_timeout_kills_the_worker_and_the_endpoint_recovers(live: tuple[str, object]) -> None:
    url, pool = live
    before = set(pool.pids)
    killed_before = pool.killed
    with httpx.Client(base_url=url, timeout=30) as http:
        response = http.get("/sparql", params={"query": SLOW})
        assert response.status_code == 503
        assert "time limit of 2 s" in response.text
        gone = before - set(pool.pids)
        assert len(gone) == 1 and pool.killed == killed_before + 1
        pid = gone.pop()
        for _ in range(250):  # the kill is asynchronous; wait at most ~5 s
            if not _alive(pid):
                break
            time.sleep(0.02)
        assert not _alive(pid), "the timed-out query is still running"
        assert len(pool.pids) == 3
        assert http.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True


def test_cheap_query_answers_while_slow_queries_run(live: tuple[str, object]) -> None:
    url, pool = live
    with httpx.Client(base_url=url, timeout=30) as http, ThreadPoolExecutor(max_workers=2) as executor:
        slow = [executor.submit(http.get, "/sparql", params={"query": SLOW}) for _ in range(2)]
        for _ in range(500):  # wait until both slow queries occupy a worker (at most ~10 s)
            if pool.busy == 2:
                break
            time.sleep(0.02)
        assert pool.busy == 2
        cheap = http.get("/sparql", params={"query": "SELECT ?s { ?s a bud:Bureau }"})
        assert cheap.status_code == 200
        assert len(cheap.json()["results"]["bindings"]) == 2
        assert not any(f.done() for f in slow), "the cheap query waited for the slow ones"
        assert [f.result().status_code for f in slow] == [503, 503]


def test_workers_stop_with_the_app(small_store: ox.Store, tmp_path) -> None:
    app = create_app(ServeSettings(workers=2, queries_dir=tmp_path), small_store)
    pids = app.state.kg.pool.pids
    assert all(_alive(p) for p in pids)
    close_app(app)
    for _ in range(250):
        if not any(_alive(p) for p in pids):
            break
        time.sleep(0.02)
    assert not any(_alive(p) for p in pids)
    assert os.getpid() not in pids


def test_memory_cap_stops_a_greedy_query_and_the_worker_is_replaced(small_store: ox.Store, tmp_path: Path) -> None:
    app = create_app(ServeSettings(workers=1, worker_memory_mb=64, timeout=30, queries_dir=tmp_path), small_store)
    greedy = "SELECT * { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o } ORDER BY ?a ?o ?l"
    try:
        with TestClient(app) as client:
            pids = app.state.kg.pool.pids
            response = client.get("/sparql", params={"query": greedy})
            assert response.status_code == 503
            assert "memory" in response.text
            assert app.state.kg.pool.pids != pids
            assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True
    finally:
        close_app(app)


def test_a_query_past_the_workers_memory_budget_is_stopped_with_503_and_retry_after(small_store: ox.Store, tmp_path: Path) -> None:
    # a DISTINCT over a cross product: its worker grows (≈ 40 MiB/s) until stopped; 64 MiB for both workers
    growing = "SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?c ?f ?i ?l ?o ?r { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o . ?p ?q ?r } }"
    app = create_app(ServeSettings(workers=2, memory_budget_mb=64, worker_memory_mb=1024, timeout=120, queries_dir=tmp_path), small_store)
    pool = app.state.kg.pool
    try:
        with TestClient(app) as client:
            response = client.get("/sparql", params={"query": growing})
            assert response.status_code == 503
            assert "memory budget" in response.text and response.headers["retry-after"] == "2"
            assert pool.stopped == 1 and pool.killed == 0
            health = client.get("/health").json()
            assert health["stopped_for_memory"] == 1 and health["memory"]["budget_mb"] == 64
            assert health["paused_for_memory"] == 0 and health["pauses_for_memory"] == 0  # one query alone is never paused
            assert health["requeued_for_memory"] == 0  # nor run again: it alone passed the budget
            assert health["large_queries_known"] == 1 and health["waiting_for_memory"] == health["waited_for_memory"] == 0
            assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True
            # known to be large now, but nothing else runs: it is not held back (it runs alone) and is stopped again
            again = client.get("/sparql", params={"query": growing + " # once more"})
            assert again.status_code == 503 and pool.stopped == 2
            health = client.get("/health").json()
            assert health["large_queries_known"] == 1 and health["waited_for_memory"] == 0
    finally:
        close_app(app)


def test_all_workers_busy_is_an_explicit_503(small_store: ox.Store, tmp_path: Path) -> None:
    app = create_app(ServeSettings(workers=1, timeout=2, queue_wait=0.2, queries_dir=tmp_path), small_store)
    pool = app.state.kg.pool
    try:
        with serve_app(app) as url, httpx.Client(base_url=url, timeout=30) as http, ThreadPoolExecutor(max_workers=1) as executor:
            slow = executor.submit(http.get, "/sparql", params={"query": SLOW})
            for _ in range(500):
                if pool.busy == 1:
                    break
                time.sleep(0.02)
            busy = http.get("/sparql", params={"query": "ASK {}"})
            assert busy.status_code == 503
            assert busy.headers["retry-after"] == "1"
            assert "busy" in busy.text
            assert slow.result().status_code == 503
            assert http.get("/sparql", params={"query": "ASK {}"}).status_code == 200
    finally:
        close_app(app)
