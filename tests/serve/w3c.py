"""Reading the W3C SPARQL 1.1 test manifests (tests/data/w3c, copied from w3c/rdf-tests) and
comparing results by value. Used by test_w3c_protocol.py and test_w3c_eval.py."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.collection import Collection

W3C = Path(__file__).resolve().parents[1] / "data" / "w3c"
BASE = "https://w3c.github.io/rdf-tests/sparql/sparql11/"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
HTS = rdflib.Namespace("http://www.w3.org/2011/http-statusCodes#")
XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {XSD + t for t in ("integer", "decimal", "double", "float", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong")}

RDF_FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".rdf": ox.RdfFormat.RDF_XML}


def manifest(suite: str) -> tuple[rdflib.Graph, list[rdflib.term.Node]]:
    graph = rdflib.Graph().parse(W3C / suite / "manifest.ttl", format="turtle", publicID=f"{BASE}{suite}/manifest.ttl")
    root = rdflib.URIRef(f"{BASE}{suite}/manifest.ttl")
    entries = list(Collection(graph, graph.value(root, MF.entries)))
    return graph, entries


def local(iri: rdflib.term.Node) -> Path:
    """The copied file for a test-suite IRI."""
    return W3C / str(iri)[len(BASE):]


# -- query evaluation tests ---------------------------------------------------------------------


@dataclass
class EvalTest:
    suite: str
    name: str
    kind: str
    """``eval`` or ``negative-syntax``."""
    query: str
    query_iri: str
    data: list[str] = field(default_factory=list)
    graph_data: list[str] = field(default_factory=list)
    result: str | None = None

    @property
    def id(self) -> str:
        return f"{self.suite}/{self.name}"


def eval_tests(suite: str) -> list[EvalTest]:
    graph, entries = manifest(suite)
    tests = []
    for entry in entries:
        types = set(graph.objects(entry, rdflib.RDF.type))
        name = str(entry).rsplit("#", 1)[-1]
        if MF.QueryEvaluationTest in types:
            action = graph.value(entry, MF.action)
            query_iri = graph.value(action, QT.query)
            result = graph.value(entry, MF.result)
            tests.append(
                EvalTest(
                    suite,
                    name,
                    "eval",
                    local(query_iri).read_text(encoding="utf-8"),
                    str(query_iri),
                    sorted(str(d) for d in graph.objects(action, QT.data)),
                    sorted(str(d) for d in graph.objects(action, QT.graphData)),
                    str(result) if result else None,
                )
            )
        elif MF.NegativeSyntaxTest11 in types or MF.NegativeSyntaxTest in types:
            query_iri = graph.value(entry, MF.action)
            tests.append(EvalTest(suite, name, "negative-syntax", local(query_iri).read_text(encoding="utf-8"), str(query_iri)))
    return tests


def data_files(tests: list[EvalTest]) -> set[str]:
    return {d for t in tests for d in (*t.data, *t.graph_data)}


def load_graph(store: ox.Store, iri: str) -> None:
    path = local(iri)
    store.load(path=str(path), format=RDF_FORMATS[path.suffix], base_iri=iri, to_graph=ox.NamedNode(iri))


# -- comparing results by value -----------------------------------------------------------------


def _numeric(term: ox.Literal) -> Decimal | None:
    if term.datatype.value not in NUMERIC:
        return None
    try:
        return Decimal(term.value.strip())
    except InvalidOperation:
        return None


def same_term(a: object, b: object, bnodes: dict[str, str]) -> bool:
    """Equal RDF terms; numbers by value within the same datatype; blank nodes by a consistent map."""
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, ox.BlankNode) and isinstance(b, ox.BlankNode):
        if a.value in bnodes:
            return bnodes[a.value] == b.value
        if b.value in bnodes.values():
            return False
        bnodes[a.value] = b.value
        return True
    if isinstance(a, ox.Literal) and isinstance(b, ox.Literal):
        if a == b:
            return True
        na, nb = _numeric(a), _numeric(b)
        return na is not None and nb is not None and na == nb and a.datatype == b.datatype
    return a == b


def same_solutions(expected: list[dict[str, object]], actual: list[dict[str, object]]) -> bool:
    """Multiset equality of solution sequences, up to a blank-node bijection (backtracking)."""
    if len(expected) != len(actual):
        return False

    def row_matches(e: dict, a: dict, bnodes: dict[str, str]) -> dict[str, str] | None:
        trial = dict(bnodes)
        if set(e) != set(a):
            return None
        for var, term in e.items():
            if not same_term(term, a[var], trial):
                return None
        return trial

    def search(index: int, used: set[int], bnodes: dict[str, str]) -> bool:
        if index == len(expected):
            return True
        for j, row in enumerate(actual):
            if j in used:
                continue
            mapped = row_matches(expected[index], row, bnodes)
            if mapped is not None and search(index + 1, used | {j}, mapped):
                return True
        return False

    return search(0, set(), {})


def solutions_of(data: bytes, fmt: ox.QueryResultsFormat) -> list[dict[str, object]] | bool:
    parsed = ox.parse_query_results(data, format=fmt)
    if isinstance(parsed, ox.QueryBoolean):
        return bool(parsed)
    variables = [v.value for v in parsed.variables]
    return [{v: t for v, t in zip(variables, row) if t is not None} for row in parsed]


def csv_rows(data: str) -> list[dict[str, str]]:
    return [{k: v for k, v in row.items() if v != ""} for row in csv.DictReader(io.StringIO(data))]


def graphs_isomorphic(expected: bytes, expected_format: str, actual: bytes) -> bool:
    from rdflib.compare import isomorphic

    want = rdflib.Graph().parse(data=expected, format=expected_format)
    got = rdflib.Graph().parse(data=actual, format="nt")
    if isomorphic(want, got):
        return True
    # Compare numbers by value: normalise numeric literals in both graphs.
    def norm(g: rdflib.Graph) -> rdflib.Graph:
        out = rdflib.Graph()
        for s, p, o in g:
            if isinstance(o, rdflib.Literal) and o.datatype and str(o.datatype) in NUMERIC:
                o = rdflib.Literal(str(Decimal(str(o))), datatype=o.datatype)
            out.add((s, p, o))
        return out

    return isomorphic(norm(want), norm(got))


RS = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/result-set#")


def _ox_term(term: rdflib.term.Node) -> object:
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    assert isinstance(term, rdflib.Literal)
    if term.language:
        return ox.Literal(str(term), language=term.language)
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype))) if term.datatype else ox.Literal(str(term))


def result_set_in_turtle(data: bytes, iri: str) -> list[dict[str, object]] | bool | None:
    """Solutions of a DAWG ``rs:ResultSet`` written in Turtle, or ``None`` if the file is a plain graph."""
    graph = rdflib.Graph().parse(data=data, format="turtle", publicID=iri)
    result_set = graph.value(None, rdflib.RDF.type, RS.ResultSet)
    if result_set is None:
        return None
    boolean = graph.value(result_set, RS.boolean)
    if boolean is not None:
        return bool(boolean.toPython())
    solutions = []
    for solution in graph.objects(result_set, RS.solution):
        row = {}
        for binding in graph.objects(solution, RS.binding):
            row[str(graph.value(binding, RS.variable))] = _ox_term(graph.value(binding, RS.value))
        solutions.append(row)
    return solutions
