"""Accept parsing and media-type choice (q-values, wildcards, exclusions, format parameter)."""

from __future__ import annotations

import pytest

from kg.serve import negotiation as neg


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, neg.SPARQL_JSON),
        ("", neg.SPARQL_JSON),
        ("*/*", neg.SPARQL_JSON),
        ("application/sparql-results+xml", neg.SPARQL_XML),
        ("text/csv", neg.CSV),
        ("text/tab-separated-values", neg.TSV),
        ("application/json", neg.SPARQL_JSON),
        ("text/*", neg.CSV),
        ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", neg.SPARQL_XML),
        ("application/sparql-results+json;q=0, */*;q=0.1", neg.SPARQL_XML),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", neg.SPARQL_XML),
        ("application/sparql-results+json; charset=utf-8", neg.SPARQL_JSON),
        ("text/tab-separated-values;q=bogus", neg.TSV),
    ],
)
def test_results_negotiation(accept: str | None, expected: neg.MediaType) -> None:
    assert neg.negotiate(accept, neg.RESULTS) is expected


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("*/*", neg.TURTLE),
        ("application/ld+json", neg.JSONLD),
        ("application/n-triples", neg.NTRIPLES),
        ("application/rdf+xml;q=1, text/turtle;q=0.5", neg.RDFXML),
        ("text/plain", neg.NTRIPLES),
    ],
)
def test_rdf_negotiation(accept: str, expected: neg.MediaType) -> None:
    assert neg.negotiate(accept, neg.RDF) is expected


def test_resource_default_is_html() -> None:
    assert neg.negotiate("*/*", neg.RESOURCE) is neg.HTML
    assert neg.negotiate("text/turtle, text/html;q=0.5", neg.RESOURCE) is neg.TURTLE


def test_specific_range_beats_wildcard() -> None:
    # text/html excluded explicitly, though */* would allow it.
    assert neg.negotiate("text/html;q=0, */*", neg.RESOURCE) is neg.TURTLE


@pytest.mark.parametrize("accept", ["application/foo", "image/png, text/html;q=0"])
def test_not_acceptable(accept: str) -> None:
    with pytest.raises(neg.NotAcceptable):
        neg.negotiate(accept, neg.RESULTS)


def test_format_parameter() -> None:
    assert neg.by_format("csv", neg.RESULTS) is neg.CSV
    assert neg.by_format("application/sparql-results+xml", neg.RESULTS) is neg.SPARQL_XML
    assert neg.by_format("TTL", neg.RDF) is neg.TURTLE
    with pytest.raises(neg.NotAcceptable):
        neg.by_format("turtle", neg.RESULTS)


def test_parse_accept() -> None:
    assert neg.parse_accept("a/b;q=0.3, c/d") == [("a/b", 0.3), ("c/d", 1.0)]
    assert neg.parse_accept(None) == [("*/*", 1.0)]
