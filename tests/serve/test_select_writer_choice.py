"""SELECT answers under the row cap come from pyoxigraph's JSON writer: same bytes, same row count.

A query whose outermost ``LIMIT`` is at most the cap cannot reach it, so the worker lets pyoxigraph
serialise the whole answer (no Python term per binding) and counts its rows from the bytes.
"""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.serve import results
from kg.serve.query_check import inspect_query, outermost_limit, strip_opaque
from kg.serve.workers import QueryJob, execute

# Strings built from the characters the row count looks at, so that values imitate row starts.
TRICKY = st.text(st.sampled_from('{}[],"\\:a中\n'), max_size=8)
tricky_literals = st.one_of(
    st.builds(ox.Literal, TRICKY),
    st.builds(lambda t: ox.Literal(t, language="zh"), TRICKY),
    st.builds(lambda t: ox.Literal(t, datatype=ox.NamedNode("https://budget-kg.org/dt")), TRICKY),
)
terms = st.one_of(tricky_literals, st.builds(lambda n: ox.NamedNode(f"https://budget-kg.org/x/{n}"), st.integers(0, 3)),
                  st.builds(lambda n: ox.BlankNode(f"b{n}"), st.integers(0, 3)), st.none())
quoted = st.builds(ox.Triple, st.just(ox.NamedNode("https://budget-kg.org/s")), st.just(ox.NamedNode("https://budget-kg.org/p")), tricky_literals)


@pytest.mark.parametrize("value", ["}},{", "x}},{", "}},{}", "{}", "[]}}", '"bindings":[]}}'])
def test_row_count_when_values_look_like_row_boundaries(value: str) -> None:
    for rows in ([(ox.Literal(value), ox.Literal(value))], [(ox.Literal(value), None), (None, ox.Literal(value))], []):
        assert results.json_row_count(results.to_json(["a", "b"], rows)) == len(rows)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.one_of(terms, quoted), terms), max_size=8), st.sampled_from([["a", "b"], ["中", "x_1"]]))
def test_row_count_from_the_bytes_equals_the_rows_written(rows: list[tuple], variables: list[str]) -> None:
    body = results.to_json(variables, rows)
    assert results.json_row_count(body) == len(rows) == len(json.loads(body)["results"]["bindings"])


@pytest.mark.parametrize(("query", "limit"), [
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 10", 10),
    ("select * where { ?s ?p ?o } order by desc(?s) limit 7 offset 3", 7),
    ("SELECT * WHERE { ?s ?p ?o } OFFSET 3 LIMIT 2 VALUES ?s { <https://x/1> }", 2),
    ("SELECT * WHERE { { SELECT * WHERE { ?s ?p ?o } LIMIT 5 } }", None),  # a subquery's
    ('PREFIX limit: <https://x/> SELECT ?limit WHERE { ?limit limit:p "LIMIT 3" } # LIMIT 4', None),
    ("SELECT * WHERE { ?s ?p ?o }", None),
    ("SELECT * WHERE { ?s ?p ?o } \\u004CIMIT 4", 4),  # codepoint escapes count before parsing
])
def test_outermost_limit(query: str, limit: int | None) -> None:
    assert inspect_query(query, 100_000, 50).limit == limit


def test_outermost_limit_reads_only_an_integer() -> None:
    assert outermost_limit(strip_opaque("SELECT * {} LIMIT ?x")) is None
    assert outermost_limit(strip_opaque("SELECT * {} LIMIT")) is None


@pytest.fixture(scope="module")
def tricky_store() -> ox.Store:
    store = ox.Store()
    graph = ox.NamedNode("https://budget-kg.org/graph/g")
    values = ['a},{"x', ",{", "[{", ',{"', "}},{", "a}},{", "{}", ",{}", 'x\x00\x1f\x7f\t\n"\\/', "é中文\u2028", "\U0001F600", ""]
    for i, value in enumerate(values):
        subject = ox.NamedNode(f"https://budget-kg.org/s/{i}")
        store.add(ox.Quad(subject, ox.NamedNode("https://budget-kg.org/p"), ox.Literal(value), graph))
        store.add(ox.Quad(subject, ox.NamedNode("https://budget-kg.org/q"), ox.Literal(value, language="zh-Hans"), graph))
    store.add(ox.Quad(ox.BlankNode("b1"), ox.NamedNode("https://budget-kg.org/p"), ox.Literal("1", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")), graph))
    return store


QUERIES = [
    "SELECT * WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 30",
    "SELECT ?s ?x WHERE { ?s ?p ?o OPTIONAL { ?s <https://nope> ?x } } ORDER BY ?s ?o LIMIT 25",
    "SELECT ?x WHERE { VALUES ?x { UNDEF UNDEF 1 } } LIMIT 3",  # rows without bindings
    "SELECT (TRIPLE(<https://a>, <https://b>, STRLANGDIR('a', 'en', 'rtl')) AS ?t) ?y WHERE { BIND(STRLANGDIR('b', 'ar', 'rtl') AS ?y) } LIMIT 1",
    "SELECT ?o WHERE { ?s ?p ?o } LIMIT 0",
    "SELECT * WHERE { } LIMIT 1",
]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize(("offset", "paged"), [(0, False), (4, True)])
def test_pyoxigraph_writer_answers_as_ours(tricky_store: ox.Store, query: str, offset: int, paged: bool) -> None:
    limit = inspect_query(query, 100_000, 50).limit
    assert limit is not None
    ours = execute(tricky_store, QueryJob(query, "json", 30, offset=offset, paged=paged))
    theirs = execute(tricky_store, QueryJob(query, "json", 30, offset=offset, paged=paged, query_limit=limit))
    assert ours.status == theirs.status == 200
    assert theirs == ours


def test_over_the_cap_still_refused_and_paged(tricky_store: ox.Store) -> None:
    query = "SELECT * WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 30"
    assert execute(tricky_store, QueryJob(query, "json", 10, query_limit=30)).status == 422
    page = execute(tricky_store, QueryJob(query, "json", 10, paged=True, query_limit=30))
    assert page.count == 10 and page.more


def test_directional_literals_keep_their_direction(tricky_store: ox.Store) -> None:
    query = "SELECT ?y WHERE { BIND(STRLANGDIR('b', 'ar', 'rtl') AS ?y) }"
    body = execute(tricky_store, QueryJob(query, "json", 30)).body
    assert body == tricky_store.query(query).serialize(format=ox.QueryResultsFormat.JSON)
    assert json.loads(body)["results"]["bindings"][0]["y"]["its:dir"] == "rtl"


def test_endpoint_counts_rows_of_a_limited_query(client: TestClient) -> None:
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 7"
    response = client.get("/sparql", params={"query": query}, headers={"accept": "application/sparql-results+json"})
    assert response.status_code == 200
    rows = response.json()["results"]["bindings"]
    assert response.headers["x-result-count"] == str(len(rows)) == "7"
