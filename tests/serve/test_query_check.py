"""Admission checks on query text: SERVICE ban at any depth, limits, query form."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kg.serve.query_check import QueryRejected, inspect_query, strip_opaque, unescape_codepoints


def check(text: str, max_bytes: int = 10_000, max_nesting: int = 20):
    return inspect_query(text, max_bytes, max_nesting)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "SELECT * { ?s ?p ?o FILTER EXISTS { service silent <http://x/> { ?s ?p ?o } } }",
        "SELECT * { { SELECT ?s { SERVICE ?endpoint { ?s ?p ?o } } } }",
        "SELECT * { ?s ?p ?o .SERVICE <http://x/> { } }",
        "SELECT * { ?s ?p 1SERVICE <http://x/> { } }",
        "SELECT * { ?s ?p <o>SERVICE<http://x/>{} }",
        "SELECT * { \\u0053ERVICE <http://x/> { } }",
        "ASK { ?s ?p ?o # comment\n SeRvIcE <http://x/> {} }",
        'SELECT * { ?s ?p "unterminated SERVICE <http://x/> {} }',
    ],
)
def test_service_rejected_at_any_depth(query: str) -> None:
    with pytest.raises(QueryRejected) as info:
        check(query)
    assert info.value.status == 400
    assert "SERVICE" in info.value.message


@pytest.mark.parametrize(
    "query",
    [
        'SELECT ?service { ?service <http://x/p> "SERVICE" }',
        "PREFIX service: <http://x/> SELECT * { service:a service:b ?o }",
        "PREFIX ex: <http://x/> SELECT * { ?s ex:service <http://x/SERVICE> } # SERVICE in a comment",
        "SELECT * { ?s ?p '''multi\nline SERVICE''' }",
    ],
)
def test_service_in_names_strings_iris_and_comments_is_fine(query: str) -> None:
    assert check(query).form == "SELECT"


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("PREFIX ask: <http://x/> SELECT * {}", "SELECT"),
        ("BASE <http://x/select> ASK {}", "ASK"),
        ("construct where { ?s ?p ?o }", "CONSTRUCT"),
        ("DESCRIBE <http://x/>", "DESCRIBE"),
    ],
)
def test_query_form(query: str, form: str) -> None:
    assert check(query).form == form


@pytest.mark.parametrize("update", ["CLEAR ALL", "INSERT DATA { <a> <b> <c> }", "LOAD <http://127.0.0.1:9/x>", "DROP SILENT GRAPH <g>"])
def test_updates_are_refused_as_read_only(update: str) -> None:
    with pytest.raises(QueryRejected) as info:
        check(update)
    assert info.value.status == 403


def test_not_a_query() -> None:
    with pytest.raises(QueryRejected) as info:
        check("hello world")
    assert info.value.status == 400


def test_length_limit_gives_413() -> None:
    with pytest.raises(QueryRejected) as info:
        check("SELECT * {}" + " " * 100, max_bytes=50)
    assert info.value.status == 413


def test_length_counts_utf8_bytes() -> None:
    query = 'SELECT * { ?s ?p "预算" }'
    assert check(query, max_bytes=len(query.encode())).form == "SELECT"
    with pytest.raises(QueryRejected):
        check(query, max_bytes=len(query.encode()) - 1)


def test_nesting_limit_gives_400() -> None:
    deep = "SELECT * WHERE " + "{" * 200 + "}" * 200
    with pytest.raises(QueryRejected) as info:
        check(deep)
    assert info.value.status == 400
    assert "nests 200" in info.value.message
    assert check("SELECT * WHERE " + "{" * 20 + "}" * 20).depth == 20


def test_brackets_in_strings_do_not_count() -> None:
    assert check('SELECT * { ?s ?p "((((((((((((((((((((((((((((((" }').depth == 1


def test_strip_opaque_keeps_length_and_lines() -> None:
    text = 'SELECT * { ?s <http://x/> "a\\"b" } # c\nASK'
    stripped = strip_opaque(text)
    assert len(stripped) == len(text)
    assert stripped.count("\n") == 1
    assert "http" not in stripped and "a\\" not in stripped and "# c" not in stripped


def test_codepoint_escapes() -> None:
    assert unescape_codepoints("\\u0041\\U00000042") == "AB"
    assert unescape_codepoints("\\uD800") == "\\uD800"

_CASE = st.sampled_from(["SERVICE", "service", "Service", "sErViCe", "\\u0053ERVICE", "SERV\\u0049CE"])
_SEPARATORS = st.sampled_from([" ", "\n", "\t", "", "  ", " # c\n", "\r\n"])


@settings(max_examples=200, deadline=None)
@given(_CASE, _SEPARATORS, _SEPARATORS, st.sampled_from(["{ ?s ?p ?o }", "{ ?s ?p ?o } .", "{ FILTER EXISTS { ?a ?b ?c } }", "?x"]),
       st.sampled_from(["", "SILENT "]), st.sampled_from(["<http://127.0.0.1:9/s>", "?endpoint"]))
def test_any_spelling_of_the_keyword_is_refused(word: str, before: str, after: str, prefix_pattern: str, silent: str, target: str) -> None:
    assume(not (prefix_pattern == "?x" and before == ""))  # ?xSERVICE is a variable name
    query = f"SELECT * {{ {prefix_pattern}{before}{word}{after}{silent}{target} {{ ?s ?p ?o }} }}"
    with pytest.raises(QueryRejected):
        check(query)


@settings(max_examples=200, deadline=None)
@given(_CASE, st.sampled_from(['"{}"', "'{}'", '"""a {} b"""', "<http://x/{}>", "?{}", "${}", "ex:{}", "ex:a-{}", "_:{}", "# {}\n"]))
def test_the_keyword_inside_other_tokens_is_fine(word: str, context: str) -> None:
    if "\\u" in word and context.startswith("<"):
        return  # an escaped letter inside an IRI is still an IRI character; nothing to test
    token = context.format(word)
    query = f"PREFIX ex: <http://example.org/> SELECT * {{ ?s ?p {token} \n}}"
    if context.startswith(("?", "$", "ex:", "_:")):
        query = f"PREFIX ex: <http://example.org/> SELECT * {{ ?s ?p {token} }}"
    assert check(query).form == "SELECT"
