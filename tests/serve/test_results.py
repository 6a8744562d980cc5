"""Our capped result writers agree with pyoxigraph's own serialisers, format by format."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.serve import results

QUERY = """
SELECT ?a ?b ?c WHERE {
  VALUES (?a ?b ?c) {
    (<http://example.org/x> "plain" 1)
    (<http://example.org/y?q=1&r=2> "中文"@zh "1.50"::DECIMAL)
    (UNDEF "with, comma and \\"quote\\"\\nnewline" "2024-01-01"^^<http://www.w3.org/2001/XMLSchema#date>)
    (<http://example.org/z> "tab\\there" UNDEF)
  }
}
""".replace('"1.50"::DECIMAL', '"1.50"^^<http://www.w3.org/2001/XMLSchema#decimal>')


def rows() -> tuple[list[str], list[tuple]]:
    solutions = ox.Store().query(QUERY)
    variables = [v.value for v in solutions.variables]
    return variables, [tuple(s) for s in solutions]


def parsed(data: bytes, fmt: ox.QueryResultsFormat) -> list[tuple]:
    solutions = ox.parse_query_results(data, format=fmt)
    return [tuple(s) for s in solutions]


@pytest.mark.parametrize("kind", ["json", "xml", "tsv"])
def test_round_trip_equals_pyoxigraph(kind: str) -> None:
    variables, table = rows()
    ours = results.solutions(variables, table, kind)
    theirs = ox.Store().query(QUERY).serialize(format=results.RESULT_FORMATS[kind])
    fmt = results.RESULT_FORMATS[kind]
    assert parsed(ours, fmt) == parsed(theirs, fmt) == table


def test_csv_matches_pyoxigraph_bytes() -> None:
    variables, table = rows()
    ours = results.solutions(variables, table, "csv")
    theirs = ox.Store().query(QUERY).serialize(format=ox.QueryResultsFormat.CSV)
    assert ours == theirs
    assert b'"with, comma and ""quote""\nnewline"' in ours


def test_blank_nodes_and_empty_results() -> None:
    bnode = ox.BlankNode("b0")
    for kind in ("json", "xml", "tsv"):
        data = results.solutions(["x"], [(bnode,)], kind)
        back = parsed(data, results.RESULT_FORMATS[kind])
        assert isinstance(back[0][0], ox.BlankNode)
        assert parsed(results.solutions(["x"], [], kind), results.RESULT_FORMATS[kind]) == []
    assert results.solutions(["x"], [(bnode,)], "csv") == b"x\r\n_:b0\r\n"


@pytest.mark.parametrize("kind", ["json", "xml"])
@pytest.mark.parametrize("value", [True, False])
def test_boolean(kind: str, value: bool) -> None:
    back = ox.parse_query_results(results.boolean(value, kind), format=results.RESULT_FORMATS[kind])
    assert bool(back) is value


def test_graph_formats_parse_back() -> None:
    triple = ox.Triple(ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p"), ox.Literal("值", language="zh"))
    for kind, fmt in results.RDF_FORMATS.items():
        data = results.graph([triple], kind, {"ex": "http://example.org/"})
        assert list(ox.parse(data, format=fmt)) == [ox.Quad(triple.subject, triple.predicate, triple.object)]
