"""The SHACL → SPARQL compiler and the set-based engine, on a tiny self-contained shapes graph."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from kg.validate.engine import fill, parse_lines, validate_store
from kg.validate.shacl import validate_store_pyshacl
from kg.validate.shapes import ShapesError, index_shapes, load_shapes, split_where

DATA = Path(__file__).parent / "data" / "engine"
KEYS = ("rule", "focus", "component", "path", "value", "severity", "message", "message_zh")


@pytest.fixture(scope="module")
def store() -> ox.Store:
    s = ox.Store()
    s.load(path=str(DATA / "data.trig"), format=ox.RdfFormat.TRIG)
    return s


def test_core_and_sparql_constraints_find_the_broken_lines(store: ox.Store) -> None:
    report = validate_store(store, load_shapes([DATA / "shapes.ttl"]))
    found = {(r.rule, r.focus.rsplit("#", 1)[1], r.component.rsplit("#", 1)[1]) for r in report.results}
    assert found == {
        ("line-amount", "d", "MaxCountConstraintComponent"),
        ("line-amount", "d", "MinInclusiveConstraintComponent"),
        ("line-amount", "e", "DatatypeConstraintComponent"),
        ("line-code", "d", "PatternConstraintComponent"),
        ("parent-sum", "a", "SPARQLConstraintComponent"),
    }
    parent = report.by_rule("parent-sum")[0]
    assert parent.severity == "Warning"
    assert parent.message == "1: http://example.org/ns#a prints 10, children sum to 9"
    assert parent.message_zh == "1：http://example.org/ns#a 为 10，子项合计 9"
    assert parent.source_lines == (4, 5)
    assert dict(parent.values)["expected"] == "9"
    assert parent.document == "http://example.org/doc/1"


def test_the_reference_engine_agrees(store: ox.Store) -> None:
    index = load_shapes([DATA / "shapes.ttl"])
    assert validate_store(store, index).flatten(KEYS) == validate_store_pyshacl(store, index).flatten(KEYS)


def test_message_placeholders_are_filled_like_pyshacl() -> None:
    assert fill("{$this} is {?value}; {?unbound}", {"this": "x", "value": "1.5"}) == "x is 1.5; {?unbound}"
    assert parse_lines("12 3,12") == (3, 12)


def test_the_target_goes_into_the_where_clause_not_into_strings() -> None:
    head, brace, body = split_where('SELECT $this WHERE { $this <urn:p> "{not a brace}" }')
    assert head == "SELECT $this WHERE " and brace == "{"
    assert body.startswith(' $this <urn:p> "{not a brace}"')


@pytest.mark.parametrize(
    ("shape", "error"),
    [
        ("[] sh:targetClass ex:C ; sh:path ex:p ; sh:minCount 1 .", "IRI"),
        ("ex:s sh:targetClass ex:C ; sh:path ex:p ; sh:uniqueLang true .", "unsupported"),
        ('ex:s sh:targetClass ex:C ; sh:sparql [ sh:select "SELECT ?x WHERE { ?x ?p ?o }" ] .', r"project \$this"),
        ('ex:s sh:targetClass ex:C ; sh:sparql [ sh:select "SELECT $this WHERE { $this ?p ?o } GROUP BY $this" ] .',
         "GROUP BY"),
    ],
)
def test_shapes_the_compiler_cannot_run_are_refused(shape: str, error: str) -> None:
    from kg.validate.shapes import compile_shapes

    g = Graph().parse(data="@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> . " + shape,
                      format="turtle")
    with pytest.raises(ShapesError, match=error):
        compile_shapes(index_shapes(g))


def test_threads_do_not_change_the_report(sample_store: ox.Store, index: object) -> None:
    from kg.validate.shapes import ShapesIndex

    assert isinstance(index, ShapesIndex)
    one = validate_store(sample_store, index, workers=1)
    two = validate_store(sample_store, index, workers=2)
    assert one.results == two.results and one.results


@pytest.mark.parametrize("clause", ["SERVICE <http://127.0.0.1:9/sparql> { $this ?p ?o }", "$this ?p ?o } LOAD <http://127.0.0.1:9/x> {"])
def test_constraints_that_would_reach_the_network_are_refused(clause: str) -> None:
    from kg.validate.shapes import compile_shapes

    g = Graph().parse(data=(
        '@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> . '
        f'ex:s sh:targetClass ex:C ; sh:sparql [ sh:select """SELECT $this WHERE {{ {clause} }}""" ] .'), format="turtle")
    with pytest.raises(ShapesError, match="not allowed"):
        compile_shapes(index_shapes(g))


_FETCHES: list[str] = []


def _audit(event: str, args: tuple[object, ...]) -> None:
    if event == "urllib.Request":
        _FETCHES.append(str(args[0]))


def test_the_reference_engine_fetches_nothing(store: ox.Store) -> None:
    """owl:imports in data and shapes are not followed (do_owl_imports stays off)."""
    import sys

    sys.addaudithook(_audit)
    shapes = Graph().parse(DATA / "shapes.ttl")
    shapes.parse(data="<http://example.org/shapes> <http://www.w3.org/2002/07/owl#imports> <http://127.0.0.1:9/shapes.ttl> .",
                 format="turtle")
    data = ox.Store()
    for q in store:
        data.add(q)
    data.add(ox.Quad(ox.NamedNode("http://example.org/doc/1"), ox.NamedNode("http://www.w3.org/2002/07/owl#imports"),
                     ox.NamedNode("http://127.0.0.1:9/data.ttl"), ox.NamedNode("http://example.org/doc/1")))
    before = len(_FETCHES)
    validate_store_pyshacl(data, index_shapes(shapes))
    assert _FETCHES[before:] == []
