"""The SPARQL endpoint's own ASGI path answers exactly as the same handler behind FastAPI's routing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from kg.serve import sparql
from kg.serve.app import close_app, create_app
from kg.serve.settings import ServeSettings

Q = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 3"
FORM = {"content-type": "application/x-www-form-urlencoded"}
REQUESTS: list[tuple[str, str, dict, dict]] = [
    # (method, url, headers, httpx keyword arguments)
    ("GET", "/sparql", {"accept": "application/sparql-results+json"}, {"params": {"query": Q}}),
    ("GET", "/sparql/", {"accept": "text/csv"}, {"params": {"query": Q}}),
    ("GET", "/sparql", {"accept": "text/csv", "origin": "https://example.org"}, {"params": {"query": Q}}),
    ("HEAD", "/sparql", {"accept": "text/tab-separated-values"}, {"params": {"query": Q}}),
    ("POST", "/sparql", {**FORM, "accept": "application/sparql-results+xml"}, {"content": "query=" + Q.replace(" ", "+")}),
    ("POST", "/sparql", {"content-type": "application/sparql-query", "accept": "text/turtle"},
     {"content": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 2"}),
    ("POST", "/sparql", {"content-type": "application/sparql-query"}, {"content": "ASK { ?s ?p ?o }"}),
    ("GET", "/sparql", {}, {"params": {"query": Q, "format": "tsv", "limit": "1", "offset": "1"}}),
    ("GET", "/sparql", {"accept": "text/turtle"}, {}),  # service description
    ("GET", "/sparql", {"accept": "text/html"}, {}),  # query page
    ("GET", "/sparql", {"accept": "image/png"}, {"params": {"query": Q}}),  # 406
    ("GET", "/sparql", {}, {"params": {"query": "SELECT * {"}}),  # 400 syntax
    ("GET", "/sparql", {}, {"params": {"query": "SELECT * { SERVICE <http://x/> { ?s ?p ?o } }"}}),  # 400 federation
    ("GET", "/sparql", {}, {"params": {"update": "DROP ALL"}}),  # 403
    ("POST", "/sparql", {"content-type": "application/sparql-update"}, {"content": "DROP ALL"}),  # 403
    ("POST", "/sparql", {"content-type": "text/plain"}, {"content": Q}),  # 415
    ("POST", "/sparql", FORM, {"content": "query=" + "x" * 200_000}),  # 413
    ("GET", "/sparql", {}, {"params": {"query": Q, "limit": "0"}}),  # 400 paging
    ("GET", "/sparql", {}, {"params": [("query", Q), ("query", Q)]}),  # 400 two queries
    ("PUT", "/sparql", {}, {"content": "x"}),  # 405 from the router
    ("OPTIONS", "/sparql", {"origin": "https://example.org", "access-control-request-method": "POST"}, {}),  # preflight
]


@pytest.fixture(scope="module")
def app(small_store: ox.Store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    settings = ServeSettings(timeout=5, workers=2, max_rows=50, result_cache_mb=0, queries_dir=tmp_path_factory.mktemp("q"))
    application = create_app(settings, small_store)
    try:
        yield application
    finally:
        close_app(application)


def _answers(app: FastAPI) -> list[tuple[int, list[tuple[str, str]], bytes]]:
    app.middleware_stack = None  # rebuilt from app.user_middleware on the next request
    client = TestClient(app)  # no lifespan: its shutdown would stop the workers
    out = []
    for method, url, headers, kwargs in REQUESTS:
        response = client.request(method, url, headers=headers, **kwargs)
        out.append((response.status_code, sorted(response.headers.items()), response.content))
    return out


def test_fast_path_answers_as_the_routed_handler(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    original = sparql.SparqlEndpoint._answer

    async def counted(self, scope, receive, send):  # type: ignore[no-untyped-def]
        calls.append(scope["method"])
        await original(self, scope, receive, send)

    monkeypatch.setattr(sparql.SparqlEndpoint, "_answer", counted)
    fast = _answers(app)
    assert len(calls) == sum(1 for method, *_ in REQUESTS if method in sparql.METHODS)
    kept = app.user_middleware
    app.user_middleware = [m for m in kept if m.cls is not sparql.SparqlEndpoint]
    try:
        routed = _answers(app)
    finally:
        app.user_middleware = kept
        app.middleware_stack = None
    assert len(calls) == sum(1 for method, *_ in REQUESTS if method in sparql.METHODS)  # the router's turn
    statuses = [status for status, _, _ in fast]
    assert {200, 400, 403, 405, 406, 413, 415} <= set(statuses)
    for request, a, b in zip(REQUESTS, fast, routed, strict=True):
        assert a == b, request[:2]


def test_unexpected_error_is_one_line_500(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    async def broken(_request, _state=None):  # type: ignore[no-untyped-def]
        raise RuntimeError("secret /path detail")

    monkeypatch.setattr(sparql, "_handle", broken)
    kept = app.user_middleware
    answers = []
    try:
        for middleware in (kept, [m for m in kept if m.cls is not sparql.SparqlEndpoint]):
            app.user_middleware = middleware
            app.middleware_stack = None
            client = TestClient(app, raise_server_exceptions=False)
            response = client.get("/sparql", params={"query": Q}, headers={"origin": "https://example.org"})
            answers.append((response.status_code, sorted(response.headers.items()), response.text))
            with pytest.raises(RuntimeError):  # re-raised after the 500, for the server's log
                TestClient(app).get("/sparql", params={"query": Q})
    finally:
        app.user_middleware = kept
        app.middleware_stack = None
    assert answers[0] == answers[1]
    status, headers, text = answers[0]
    assert status == 500 and text == "500 Internal Server Error: internal error\n"
    assert "secret" not in text and "Traceback" not in text
