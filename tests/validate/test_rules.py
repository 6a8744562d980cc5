"""Every rule has a minimal passing and failing graph (tests/validate/data/rules/<rule>/), and both
engines (compiled SPARQL on pyoxigraph, pyshacl) give the same results on each."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.validate.engine import validate_store
from kg.validate.report import ValidationReport
from kg.validate.shacl import validate_store_pyshacl
from kg.validate.shapes import ShapesIndex, load_shapes, subset

ROOT = Path(__file__).resolve().parents[2]
RULES = Path(__file__).parent / "data" / "rules"
ONTOLOGY = ROOT / "ontology" / "budget.ttl"
KEYS = ("rule", "focus", "component", "path", "value", "severity", "message", "message_zh")
CASES = sorted((p.parent.name, p.stem) for p in RULES.glob("*/*.ttl"))
_NUMBER = re.compile(r"\d+\.\d+")


#: The ontology triples rules read (class hierarchy, figure types with bud:partOf, column notations,
#: statement kinds with their notations, labels and figure types): a small excerpt keeps pyshacl,
#: which re-runs each query per focus node, fast.
_EXCERPT = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX bud: <https://budget-kg.org/ontology#>
CONSTRUCT { ?s ?p ?o } WHERE {
  { ?s rdfs:subClassOf ?o . BIND(rdfs:subClassOf AS ?p) }
  UNION { ?s a ?c . FILTER(?c IN (bud:FigureType, bud:Column, bud:Side, bud:CurrencyUnit, bud:StatementKind))
          ?s ?p ?o . FILTER(?p IN (bud:partOf, skos:notation, rdfs:label, skos:prefLabel, rdf:type, bud:statesFigure)) }
}"""


@pytest.fixture(scope="module")
def ontology_excerpt() -> list[ox.Triple]:
    store = ox.Store()
    store.load(path=str(ONTOLOGY), format=ox.RdfFormat.TURTLE)
    return list(store.query(_EXCERPT))  # type: ignore[arg-type]


def fixture_store(path: Path, ontology: list[ox.Triple]) -> ox.Store:
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(f"urn:test:{path.parent.name}/{path.stem}"))
    graph = ox.NamedNode("https://budget-kg.org/graph/ontology")
    store.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in ontology)
    return store


def normalised(report: ValidationReport) -> list[tuple[str, ...]]:
    """Flattened results with decimals in one lexical form (engines print 0.020 and 0.02 alike)."""
    def norm(text: str) -> str:
        return _NUMBER.sub(lambda m: m.group().rstrip("0").rstrip("."), text)
    return sorted(tuple(norm(str(x)) for x in row) for row in report.flatten(KEYS))


@pytest.fixture(scope="module")
def shapes() -> ShapesIndex:
    return load_shapes()


def test_every_rule_has_a_passing_and_a_failing_graph(shapes: ShapesIndex) -> None:
    assert {rule for rule, _ in CASES} == {r.id for r in shapes.rules}
    assert {case for _, case in CASES} == {"valid", "invalid"}


@pytest.mark.parametrize(("rule", "case"), CASES, ids=[f"{r}-{c}" for r, c in CASES])
def test_rule_fires_on_its_failing_graph_only(shapes: ShapesIndex, ontology_excerpt: list[ox.Triple], rule: str, case: str) -> None:
    report = validate_store(fixture_store(RULES / rule / f"{case}.ttl", ontology_excerpt), subset(shapes, [rule]))
    fired = report.by_rule(rule)
    if case == "valid":
        assert fired == ()
    else:
        assert fired, f"{rule} did not fire; other results: {[r.rule for r in report.results]}"
        assert {r.severity for r in fired} == {next(x.severity for x in shapes.rules if x.id == rule)}
        assert all(r.document == f"urn:test:{rule}/invalid" for r in fired if r.focus.startswith("https://example.org/"))


@pytest.mark.parametrize(("rule", "case"), CASES, ids=[f"{r}-{c}" for r, c in CASES])
def test_both_engines_agree(shapes: ShapesIndex, ontology_excerpt: list[ox.Triple], rule: str, case: str) -> None:
    """pyshacl re-runs every query per focus node with $this pre-bound, so it only gets the small graphs."""
    one = subset(shapes, [rule])
    store = fixture_store(RULES / rule / f"{case}.ttl", ontology_excerpt)
    assert normalised(validate_store(store, one)) == normalised(validate_store_pyshacl(store, one))
