"""The W3C SPARQL 1.1 Protocol test manifest (tests/data/w3c/protocol), run against the app.

Query tests must pass as written. The endpoint is read-only, so every update test must get a 4xx
for its update request and leave the store unchanged; the follow-up queries of those tests check
the effect of the update and are not run.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import pyoxigraph as ox
import pytest
import rdflib
from fastapi.testclient import TestClient
from rdflib.collection import Collection
from w3c import CNT, HT, MF, UT, W3C, manifest, solutions_of

from kg.serve.app import close_app, create_app
from kg.serve.settings import ServeSettings

SUITE = "protocol"
COUNT = "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"
FORMATS = {
    "boolean": ("application/sparql-results+json", "application/sparql-results+xml"),
    "tabular": ("application/sparql-results+json", "application/sparql-results+xml", "text/csv", "text/tab-separated-values"),
    "RDF": ("application/rdf+xml", "text/turtle", "application/n-triples"),
}


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: set[str]
    expected_format: str | None
    expected_boolean: bool | None


@dataclass
class ProtocolTest:
    name: str
    requests: list[Request]
    graphs: dict[str, str]
    """Graph name → data file."""

    @property
    def is_update(self) -> bool:
        """Update tests are named so in the manifest (``update_…``, ``bad_update_…``)."""
        return "update" in self.name


def load_tests() -> list[ProtocolTest]:
    graph, entries = manifest(SUITE)
    tests = []
    for entry in entries:
        name = str(entry).rsplit("#", 1)[-1]
        graphs = {str(graph.value(d, rdflib.RDFS.label)): str(graph.value(d, UT.graph)).rsplit("/", 1)[-1] for d in graph.objects(entry, UT.graphData)}
        connection = graph.value(entry, MF.action)
        requests = []
        for node in Collection(graph, graph.value(connection, HT.requests)):
            headers = {}
            header_list = graph.value(node, HT.headers)
            if header_list is not None:
                for header in Collection(graph, header_list):
                    headers[str(graph.value(header, HT.fieldName)).lower()] = str(graph.value(header, HT.fieldValue))
            body_node = graph.value(node, HT.body)
            body = None
            if body_node is not None:
                encoding = str(graph.value(body_node, CNT.characterEncoding) or "UTF-8")
                body = str(graph.value(body_node, CNT.chars)).encode(encoding.lower())
            response = graph.value(node, HT.resp)
            statuses = {str(s).rsplit("#", 1)[-1] for s in graph.objects(response, MF.expectedStatus)}
            fmt = graph.value(response, MF.expectedFormat)
            boolean = graph.value(response, MF.expectedBoolean)
            path = str(graph.value(node, HT.absolutePath)).replace("/sparql/", "/sparql", 1)
            requests.append(
                Request(str(graph.value(node, HT.methodName)), path, headers, body, statuses, str(fmt) if fmt else None, None if boolean is None else bool(boolean.toPython()))
            )
        tests.append(ProtocolTest(name, requests, graphs))
    return tests


TESTS = load_tests()


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    store = ox.Store()
    graphs = {name: file for t in TESTS for name, file in t.graphs.items()}
    for name, file in sorted(graphs.items()):
        store.load(path=str(W3C / SUITE / file), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(name))
    app = create_app(ServeSettings(timeout=10, workers=2, queries_dir=tmp_path_factory.mktemp("q")), store)
    try:
        with TestClient(app, base_url="http://www.example") as test_client:
            yield test_client
    finally:
        close_app(app)


def _count(client: TestClient) -> int:
    # a fresh comment each time: the answer cache must not stand in for the store
    response = client.get("/sparql", params={"query": f"# {time.monotonic_ns()}\n{COUNT}"})
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def _send(client: TestClient, request: Request):
    return client.request(request.method, request.path, headers=request.headers, content=request.body)


def _status_ok(status: int, classes: set[str]) -> bool:
    return any(status // 100 == int(c[len("StatusCode")]) for c in classes)


def test_manifest_is_complete() -> None:
    assert len(TESTS) == 34
    assert sum(t.is_update for t in TESTS) == 14


@pytest.mark.parametrize("test", [t for t in TESTS if not t.is_update], ids=lambda t: t.name)
def test_protocol_query(client: TestClient, test: ProtocolTest) -> None:
    for request in test.requests:
        response = _send(client, request)
        assert _status_ok(response.status_code, request.statuses), (response.status_code, response.text)
        if response.status_code >= 400:
            assert "Traceback" not in response.text
            continue
        content_type = response.headers["content-type"].split(";")[0]
        if request.expected_format:
            assert content_type in FORMATS[request.expected_format]
        if request.expected_boolean is not None:
            fmt = ox.QueryResultsFormat.JSON if "json" in content_type else ox.QueryResultsFormat.XML
            assert solutions_of(response.content, fmt) is request.expected_boolean


@pytest.mark.parametrize("test", [t for t in TESTS if t.is_update], ids=lambda t: t.name)
def test_protocol_update_is_refused(client: TestClient, test: ProtocolTest) -> None:
    before = _count(client)
    update = test.requests[0]
    response = _send(client, update)
    assert 400 <= response.status_code < 500, response.text
    assert _count(client) == before
