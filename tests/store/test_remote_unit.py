"""The remote store's pure parts: store URLs, query forms, Virtuoso's result quirks, graph bodies,
and errors when no server answers — no server needed."""

from __future__ import annotations

import json

import httpx
import pyoxigraph as ox
import pytest

from kg.errors import UsageError
from kg.store.remote import (
    FLAVOURS,
    RemoteStore,
    RemoteStoreError,
    graph_body,
    normalise_results_json,
    parse_store_url,
    query_form,
)
from servers import free_port


def test_store_urls_name_flavour_credentials_and_base() -> None:
    plain = parse_store_url("http://127.0.0.1:7878/")
    assert plain.flavour.name == "oxigraph" and plain.base == "http://127.0.0.1:7878" and plain.user is None
    v = parse_store_url("virtuoso+http://dba:s%40cret@127.0.0.1:8890")
    assert (v.flavour.name, v.base, v.user, v.password) == ("virtuoso", "http://127.0.0.1:8890", "dba", "s@cret")
    assert "s@cret" not in repr(v)
    f = parse_store_url("fuseki+https://example.org/fuseki/budget")
    assert f.base == "https://example.org/fuseki/budget"
    for bad in ("127.0.0.1:7878", "ftp://x", "blazegraph+http://x:1", "http://"):
        with pytest.raises(UsageError):
            parse_store_url(bad)


def test_endpoints_follow_the_flavour_and_credentials() -> None:
    ox_store = RemoteStore("oxigraph+http://h:1")
    assert (ox_store.query_url, ox_store.update_url, ox_store.graph_store_url) == ("http://h:1/query", "http://h:1/update", "http://h:1/store")
    anon = RemoteStore("virtuoso+http://h:2")
    assert (anon.update_url, anon.graph_store_url) == ("http://h:2/sparql", "http://h:2/sparql-graph-crud")
    dba = RemoteStore("virtuoso+http://dba:dba@h:2")
    assert (dba.query_url, dba.update_url, dba.graph_store_url) == (
        "http://h:2/sparql", "http://h:2/sparql-auth", "http://h:2/sparql-graph-crud-auth")
    graphdb = RemoteStore("graphdb+http://h:7200/repositories/budget")
    assert graphdb.query_url == "http://h:7200/repositories/budget"
    assert graphdb.graph_store_url == "http://h:7200/repositories/budget/rdf-graphs/service"
    assert set(FLAVOURS) >= {"oxigraph", "virtuoso", "fuseki", "graphdb", "qlever", "generic"}


@pytest.mark.parametrize(("query", "form"), [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
    ("# title: x\n# select this\nPREFIX ask: <http://e.org/a#construct>\nPREFIX : <http://e.org/#>\nASK {}", "ASK"),
    ("BASE <http://e.org/>\nprefix bud: <https://budget-kg.org/ontology#>\nconstruct { ?s ?p ?o } where { ?s ?p ?o }", "CONSTRUCT"),
    ("PREFIX select: <http://e.org/>\nDESCRIBE <x>", "DESCRIBE"),
])
def test_query_form_skips_the_prologue(query: str, form: str) -> None:
    assert query_form(query) == form


def test_not_a_query() -> None:
    with pytest.raises(UsageError):
        query_form("INSERT DATA { <a> <b> <c> }")


def test_virtuoso_results_are_read_as_the_standard_form() -> None:
    # As Virtuoso 7.2 writes them: typed-literal, booleans as 1, nodeID blank nodes, an unquoted number.
    raw = {"head": {"link": [], "vars": ["s", "o", "flag", "n"]}, "results": {"distinct": False, "ordered": True, "bindings": [
        {"s": {"type": "bnode", "value": "nodeID://b10001"},
         "o": {"type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#decimal", "value": "18"},
         "flag": {"type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#boolean", "value": "1"},
         "n": {"type": "literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": 7}},
        {"o": {"type": "literal", "xml:lang": "zh", "value": "长期护理保险专项经费"}},
    ]}}
    data, count = normalise_results_json(json.dumps(raw).encode())
    assert count == 2
    solutions = ox.parse_query_results(data, ox.QueryResultsFormat.JSON)
    assert isinstance(solutions, ox.QuerySolutions)
    first, second = list(solutions)
    assert isinstance(first["s"], ox.BlankNode)
    assert first["o"] == ox.Literal("18", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal"))
    assert first["flag"] == ox.Literal(True)
    assert first["n"].value == "7"
    assert second["o"] == ox.Literal("长期护理保险专项经费", language="zh") and second["s"] is None
    boolean, _ = normalise_results_json(b'{ "head": { "link": [] }, "boolean": true}')
    assert bool(ox.parse_query_results(boolean, ox.QueryResultsFormat.JSON)) is True


def test_graph_bodies_are_ascii_ntriples_that_parse_back() -> None:
    triples = [
        ox.Triple(ox.NamedNode("https://budget-kg.org/x"), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("医疗保障局 𠀀", language="zh")),
        ox.Triple(ox.BlankNode("b0"), ox.NamedNode("https://budget-kg.org/ontology#amount"), ox.Literal("18.00", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal"))),
    ]
    body = graph_body(triples)
    body.decode("ascii")
    back = [q.triple for q in ox.parse(body, format=ox.RdfFormat.TURTLE)]
    assert back[0] == triples[0] and back[1].object == triples[1].object


def test_an_absent_server_is_named_in_the_error() -> None:
    store = RemoteStore(f"virtuoso+http://dba:dba@127.0.0.1:{free_port()}", timeout=5)
    with pytest.raises(RemoteStoreError, match=r"virtuoso at http://127\.0\.0\.1:\d+/sparql: cannot connect") as caught:
        store.query("ASK {}")
    assert "dba:dba" not in str(caught.value)


def test_truncated_results_are_an_error_not_an_answer() -> None:
    # Virtuoso cuts results at ResultSetMaxRows with HTTP 200 and an X-SPARQL-MaxRows header.
    body = json.dumps({"head": {"vars": ["s"]}, "results": {"bindings": [{"s": {"type": "uri", "value": "urn:x"}}] * 2}})

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"Content-Type": "application/sparql-results+json", "X-SPARQL-MaxRows": "2"})

    store = RemoteStore("virtuoso+http://127.0.0.1:9", client=httpx.Client(transport=httpx.MockTransport(handler)))
    with pytest.raises(RemoteStoreError, match="truncated at the server's limit of 2 rows"):
        store.query("SELECT ?s WHERE { ?s ?p ?o }")


def test_http_errors_carry_status_and_server_message() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(500, text="Virtuoso 42000 Error SR186:SECURITY: No permission")

    store = RemoteStore("virtuoso+http://127.0.0.1:9", client=httpx.Client(transport=httpx.MockTransport(handler)))
    with pytest.raises(RemoteStoreError, match=r"virtuoso at http://127\.0\.0\.1:9/sparql-graph-crud: HTTP 500 .*on PUT: Virtuoso 42000"):
        store.put_graph("urn:g", [ox.Triple(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("o"))])


def test_qlever_sends_its_access_token_as_a_bearer_token() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"head": {}, "boolean": True}, headers={"Content-Type": "application/sparql-results+json"})

    store = RemoteStore("qlever+http://:tok3n@127.0.0.1:7001")
    store._client = httpx.Client(transport=httpx.MockTransport(handler), headers=store._client.headers)
    assert bool(store.query("ASK {}")) is True
    assert seen[0].headers["Authorization"] == "Bearer tok3n"
    assert str(seen[0].url).startswith("http://127.0.0.1:7001")
