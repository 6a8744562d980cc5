"""The compiled checks keep to SPARQL that Virtuoso evaluates like pyoxigraph (docs/remote-store.md,
*Validation on a remote store*); the servers themselves are compared in tests/store. Also the
``kg validate --store`` options that fail before any server is asked."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.cli import main as kg_main
from kg.validate.shapes import ShapesIndex, compile_shapes, load_shapes

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def index() -> ShapesIndex:
    return load_shapes()


def test_no_zero_length_paths_or_same_term(index: ShapesIndex) -> None:
    for check in compile_shapes(index):
        assert "sameTerm" not in check.query, check.rule
        assert not re.search(r"subClassOf>?\*", check.query), check.rule


def test_no_regex_alternations_or_in_lists_of_chinese_strings(index: ShapesIndex) -> None:
    for check in compile_shapes(index):
        for m in re.finditer(r"REGEX\s*\([^;]*?,\s*\"([^\"]*)\"", check.query):
            assert not re.search(r"[^\x00-\x7f]", m.group(1)), (check.rule, m.group(1))
        for m in re.finditer(r"\bIN\s*\(([^)]*)\)", check.query):
            assert not re.search(r"[^\x00-\x7f]", m.group(1)), (check.rule, m.group(1))


def test_in_and_class_forms_keep_term_equality_and_subclasses() -> None:
    """``sh:in`` compares terms, not values; ``sh:class`` accepts subclasses at any depth."""
    shapes = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:in a sh:PropertyShape ; sh:targetClass ex:T ; sh:path ex:p ; sh:in ( ">=" ex:a "x"@en 1 ) .
ex:class a sh:PropertyShape ; sh:targetClass ex:T ; sh:path ex:q ; sh:class ex:C .
"""
    from rdflib import Graph

    from kg.validate.engine import run_check
    from kg.validate.shapes import index_shapes

    g = Graph().parse(data=shapes, format="turtle")
    checks = compile_shapes(index_shapes(g))
    store = ox.Store()
    data = """
@prefix ex: <http://example.org/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:C2 rdfs:subClassOf ex:C1 . ex:C1 rdfs:subClassOf ex:C .
ex:ok a ex:T ; ex:p ">=" , ex:a , "x"@en , 1 ; ex:q ex:i2 .
ex:bad a ex:T ; ex:p "<" , ex:b , "x" , "x"@de , 1.0 , ">="@en ; ex:q ex:j .
ex:i2 a ex:C2 . ex:j a ex:D .
"""
    store.load(data.encode(), format=ox.RdfFormat.TURTLE)
    found = [(r.rule, r.focus.rsplit("/", 1)[-1], r.value) for c in checks for r in run_check(store, c)]
    assert [f for f in found if f[1] == "ok"] == []
    # "x" (no tag), "x"@de, ">="@en and the decimal 1.0 are other terms than the members.
    assert len([f for f in found if f[0] == "in"]) == 6
    assert {v for rule, _, v in found if rule == "in"} >= {"<", "http://example.org/b", "x", ">="}
    assert [v for rule, _, v in found if rule == "class"] == ["http://example.org/j"]


def test_store_option_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert kg_main(["validate", "--store", "http://127.0.0.1:1", str(tmp_path)]) == 2
    assert "not both" in capsys.readouterr().err
    assert kg_main(["validate", "--store", "http://127.0.0.1:1", "--engine", "pyshacl"]) == 2
    assert kg_main(["validate", "--put-report", str(tmp_path)]) == 2
    assert "--put-report needs --store" in capsys.readouterr().err
    assert kg_main(["validate", "--store", "blazegraph+http://127.0.0.1:1"]) == 2
    assert "unknown server flavour" in capsys.readouterr().err
    # Nothing listens there: exit 2 with the server named.
    assert kg_main(["validate", "--store", "http://127.0.0.1:1"]) == 2
    assert "127.0.0.1:1" in capsys.readouterr().err
