"""A JSON-LD file whose @context is a URL or a path is refused with a message that says so.

Regression: ``kg serve data.jsonld`` answered "not valid JSON-LD: No LoadDocumentCallback has been
set to load remote contexts" (pyoxigraph's internals); nothing is fetched either way.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import UsageError
from kg.store import load_file


@pytest.mark.parametrize(
    "context",
    ['"http://127.0.0.1:9/ctx.jsonld"', '"/etc/hostname"', '{"@import": "http://127.0.0.1:9/imp.jsonld"}'],
)
def test_a_context_by_reference_is_refused_in_plain_words(tmp_path: Path, context: str) -> None:
    path = tmp_path / "data.jsonld"
    path.write_text('{"@context": %s, "@id": "http://example.org/a", "name": "x"}' % context, encoding="utf-8")
    with pytest.raises(UsageError, match=r"data\.jsonld: a JSON-LD @context given by URL or file path is not fetched"):
        load_file(ox.Store(), path, "http://example.org/g")


def test_an_inline_context_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "data.jsonld"
    path.write_text('{"@context": {"name": "http://schema.org/name"}, "@id": "http://example.org/a", "name": "x"}', encoding="utf-8")
    store = ox.Store()
    load_file(store, path, "http://example.org/g")
    assert len(store) == 1


def test_other_json_ld_errors_keep_their_message(tmp_path: Path) -> None:
    path = tmp_path / "data.jsonld"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(UsageError, match=r"data\.jsonld: not valid JSON-LD: Parser error"):
        load_file(ox.Store(), path, "http://example.org/g")
