"""The endpoint's form/URL parameter parser equals ``urllib.parse.parse_qs(keep_blank_values=True)``."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.serve.sparql import parse_form

# the characters that matter to the parser, plus text that may need escaping
TRICKY = st.text(st.sampled_from(list("%+&=\\xX09aAfFgG/ ?#é信\u00bf\U0001f600\n\t\"'")), max_size=40)


@settings(max_examples=300, deadline=None)
@given(TRICKY)
def test_any_text_parses_like_urllib(text: str) -> None:
    assert parse_form(text) == parse_qs(text, keep_blank_values=True)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=10), st.text(max_size=60)), max_size=5))
def test_encoded_forms_round_trip(pairs: list[tuple[str, str]]) -> None:
    encoded = urlencode(pairs)
    assert parse_form(encoded) == parse_qs(encoded, keep_blank_values=True)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=12))
def test_escaped_invalid_utf8_is_replaced_like_urllib(data: bytes) -> None:
    text = "query=" + "".join(f"%{b:02x}" for b in data) + "&x=%C3%A9%e4%bf%a1"
    assert parse_form(text) == parse_qs(text, keep_blank_values=True)


def test_examples() -> None:
    assert parse_form("query=SELECT+*+%7B%7D&format=csv") == {"query": ["SELECT * {}"], "format": ["csv"]}
    assert parse_form("a&b=&=c&&a=%ZZ%4") == {"a": ["", "%ZZ%4"], "b": [""], "": ["c"]}
    assert parse_form(r"q=%5Cx41\x41") == {"q": [r"\x41\x41"]}
    assert parse_form("") == {}
