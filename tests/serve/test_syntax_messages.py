"""A query with a syntax error gets one readable line: where, and what is wrong.

Regression: an undeclared prefix (``?x foo:bar ?z``) answered a 400 whose body ran over five lines
of the parser's character classes (``['A' ..= 'Z' | 'a' ..= 'z' | '\\u{00C0}'..='\\u{00D6}' …``),
cut off mid-class at 400 characters, and never said which prefix; the error bodies are documented
as one plain-text line.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from kg.serve.query_check import MESSAGE_LIMIT, syntax_message, undeclared_prefix

PREDECLARED = {"rdfs": "http://www.w3.org/2000/01/rdf-schema#", "bud": "https://budget-kg.org/ontology#"}


def _message(query: str) -> str:
    with pytest.raises(SyntaxError) as info:
        ox.Store().query(query, prefixes=PREDECLARED)
    return syntax_message(str(info.value), query, PREDECLARED)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("SELECT * WHERE { ?x foo:bar ?z }", "line 1, column 28: undeclared prefix 'foo:'"),
        ("SELECT * WHERE { ?s bud:x ?o . ?s ex:y 3 }", "undeclared prefix 'ex:'"),
        ("SELECT * WHERE {\n ?s ?p ?o .\n ?s 医保:x ?y }", "line 3, column 10: undeclared prefix '医保:'"),
        ("SELECT * WHERE { ?s :x ?o }", "undeclared prefix ':'"),
        ("SELECT ?x WHERE { ?x ?y ?z } GROUP BY ?y", "the SELECT projects a variable that is not bound"),
        ("SELECT * WHERE { ?x <http://a b> ?z }", "invalid IRI"),
        ("SELECT ?x WHERE { ?x a }", "expected one of FILTER, SELECT, VALUES"),
        ("SELECT * WHERE { ?x ?y ?z } LIMIT x", "expected one of HAVING, OFFSET, OPTIONAL, VALUES"),
    ],
)
def test_messages_are_one_line_and_say_what_is_wrong(query: str, expected: str) -> None:
    message = _message(query)
    assert message.startswith("query syntax error at line ")
    assert expected in message
    assert "\n" not in message and "..=" not in message and "[_]" not in message
    assert len(message) <= MESSAGE_LIMIT


@pytest.mark.parametrize(
    "query",
    [
        'PREFIX ex: <http://e/> SELECT * WHERE { ?s ex:x "a:b" }',
        "SELECT * WHERE { ?s rdfs:label ?o ; bud:amount 1 . ?s ?p _:b }",
        "SELECT * WHERE { ?s <http://x/y:z> ?o } # c:d",
        'SELECT * WHERE { ?x ?y "a:b }',  # an unterminated string is not a prefix
        "SELECT * WHERE { ?x <http://a b:c> ?z }",  # nor a malformed IRI
    ],
)
def test_declared_prefixes_strings_iris_and_blank_nodes_are_not_undeclared(query: str) -> None:
    assert undeclared_prefix(query, PREDECLARED) is None


def test_other_parser_texts_pass_through_on_one_line() -> None:
    assert syntax_message("something\nwent  wrong", "ASK {}") == "query syntax error: something went wrong"


def test_the_endpoint_answers_an_undeclared_prefix_in_one_line(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?x foo:bar ?z }"})
    assert response.status_code == 400
    body = response.text
    assert body.count("\n") == 1 and body.endswith("\n")
    assert body.startswith("400 Bad Request: query syntax error at line 1, column 28: undeclared prefix 'foo:'")
