"""The graph of the gold facts holds every bureau, project, indicator, duty and line, with values."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
import rdflib

from kg.model.iris import Iris
from kg.model.mapping import FUNCTION_COLUMNS, ECONOMIC_COLUMNS
from kg.model.terms import to_dataset

PREFIXES = """
PREFIX bud: <https://budget-kg.org/ontology#>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""


@pytest.fixture(scope="module")
def union(gold_quads) -> rdflib.Graph:
    """All named graphs merged (the view a SPARQL endpoint with a union default graph gives)."""
    graph = rdflib.Graph()
    for s, p, o, _ in to_dataset(gold_quads).quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


def _count(graph: rdflib.Graph, cls: str) -> int:
    rows = list(graph.query(PREFIXES + f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a {cls} }}"))
    return int(rows[0][0])


def test_entity_counts(union, gold_facts):
    assert _count(union, "bud:Bureau") == 5
    assert _count(union, "bud:Budget") == 5
    assert _count(union, "bud:Project") == 31 == sum(len(f.projects) for f in gold_facts)
    assert _count(union, "bud:Indicator") == 139 == sum(len(p.indicators) for f in gold_facts for p in f.projects)
    assert _count(union, "bud:Duty") == 45 == sum(len(f.duties) for f in gold_facts)


def _cells(facts, kind):
    cells = Counter()
    lines = facts.function_lines if kind == "function" else facts.economic_lines
    columns = FUNCTION_COLUMNS if kind == "function" else ECONOMIC_COLUMNS
    for line in lines:
        for field, _ in columns:
            value = getattr(line, field)
            if value is not None:
                cells[(line.table, line.code, field, value)] += 1
    return cells


def test_every_function_and_economic_cell_with_its_value(union, gold_facts):
    query = PREFIXES + """
    SELECT ?doc ?title ?code ?column ?amount WHERE {
      ?line a ?cls ; prov:wasDerivedFrom ?doc ; bud:table/bud:tableTitle ?title ;
            bud:column/skos:notation ?column ; bud:amount ?amount .
      OPTIONAL { ?line bud:functionCode|bud:economicCode ?c . ?c skos:notation ?code }
      FILTER (?cls = %s)
    }"""
    docs = {Iris().document(f.document): f for f in gold_facts}
    for kind, cls in (("function", "bud:FunctionLine"), ("economic", "bud:EconomicLine")):
        found: dict[str, Counter] = {doc: Counter() for doc in docs}
        for doc, title, code, column, amount in union.query(query % cls):
            found[str(doc)][(str(title), str(code) if code else None, str(column), amount.toPython())] += 1
        for doc, facts in docs.items():
            expected = _cells(facts, kind)
            # code-less rows (prose) are linked to the class their name matches: compare without code
            if any(not c for _, c, _, _ in expected):
                strip = lambda cnt: Counter({(t, col, v): n for (t, _, col, v), n in cnt.items()})  # noqa: E731
                assert strip(found[doc]) == strip(expected), (doc, kind)
            else:
                assert found[doc] == expected, (doc, kind)
            assert all(isinstance(v, Decimal) for _, _, _, v in found[doc])


def test_every_category_line_with_its_value(union, gold_facts):
    query = PREFIXES + """
    SELECT ?doc ?title ?name ?amount WHERE {
      ?line a bud:CategoryLine ; prov:wasDerivedFrom ?doc ; bud:table/bud:tableTitle ?title ;
            bud:printedName ?name ; bud:amount ?amount .
    }"""
    found = Counter((str(d), str(t), str(n), a.toPython()) for d, t, n, a in union.query(query))
    expected = Counter((Iris().document(f.document), c.table, c.name, c.amount)
                       for f in gold_facts for c in f.category_lines if c.amount is not None)
    assert found == expected


def test_sample_values_of_projects_and_indicators(union):
    rows = list(union.query(PREFIXES + """
    SELECT ?amount ?cny ?unit WHERE {
      ?p a bud:Project ; bud:projectCode "13052924P005840118404" ; bud:amount ?amount ;
         bud:amountCNY ?cny ; bud:unitOfMeasure ?unit .
    }"""))
    assert len(rows) == 1
    amount, cny, unit = rows[0]
    assert amount.datatype == rdflib.XSD.decimal and amount.toPython() == Decimal("18")
    assert cny.toPython() == Decimal("180000")
    assert str(unit).endswith("#WanYuan")
    rows = list(union.query(PREFIXES + """
    SELECT ?name ?target ?l1 ?l2 WHERE {
      ?p bud:projectCode "13052924P005840118404" ; bud:hasIndicator ?i .
      ?i bud:ordinal ?ord ; bud:indicatorName ?name ; bud:targetText ?target ;
         bud:level1/skos:prefLabel ?l1 ; bud:level2/skos:prefLabel ?l2 .
      FILTER (?ord = 1 && lang(?l1) = "zh" && lang(?l2) = "zh")
    }"""))
    assert [(str(a), str(b), str(c), str(d)) for a, b, c, d in rows] == [
        ("医保重点工作完成情况", "≥5项", "产出指标", "数量指标")]


def test_figures_three_public_and_totals(union):
    rows = dict(union.query(PREFIXES + """
    SELECT ?type ?amount WHERE {
      ?b bud:budgetYear "2022"^^xsd:gYear ; bud:hasFigure ?f . ?f bud:figureType ?type ; bud:amount ?amount .
    }"""))
    by_name = {str(k).rsplit("#", 1)[1]: v.toPython() for k, v in rows.items()}
    assert by_name["RevenueTotal"] == Decimal("2582.46")
    assert by_name["ThreePublicTotal"] == Decimal("9.6")
    assert by_name["OfficialReception"] == Decimal("6.5")
    assert "OfficialCarPurchase" not in by_name  # not stated: no figure, never a 0


def test_provenance_of_every_fact(union):
    missing = list(union.query(PREFIXES + """
    SELECT ?x WHERE {
      VALUES ?cls { bud:BudgetLine bud:FunctionLine bud:EconomicLine bud:CategoryLine bud:Project
                    bud:Indicator bud:Duty bud:BudgetTotal bud:ThreePublic bud:OperatingCosts }
      ?x a ?cls . FILTER NOT EXISTS { ?x prov:wasDerivedFrom ?doc . ?doc a bud:BudgetDocument }
    }"""))
    assert missing == []


def test_no_floats_and_no_blank_nodes_in_document_graphs(gold_quads):
    from kg.model.terms import BNode, Lit

    for s, _, o, g in gold_quads:
        if "/document/" in g:
            assert not isinstance(s, BNode) and not isinstance(o, BNode)
        if isinstance(o, Lit) and o.datatype:
            assert not o.datatype.endswith(("#double", "#float"))


def test_cny_is_amount_times_unit(union):
    for amount, cny in union.query(PREFIXES + "SELECT ?a ?c WHERE { ?x bud:amount ?a ; bud:amountCNY ?c ; "
                                              "bud:unitOfMeasure bud:WanYuan }"):
        assert amount.toPython() * 10000 == cny.toPython()


def test_data_cube_dimensions_on_every_observation(union):
    """qb IC-11 for the structure's dimensions: year, table, column on every line; the
    classification on every line keyed by a code."""
    missing = list(union.query(PREFIXES + """
    SELECT ?obs WHERE {
      ?obs a qb:Observation .
      FILTER NOT EXISTS { ?obs bud:budgetYear ?y ; bud:table ?t ; bud:column ?c ; qb:dataSet ?d }
    }"""))
    assert missing == []
    unclassified = list(union.query(PREFIXES + """
    SELECT ?obs WHERE {
      ?obs a qb:Observation ; bud:functionCode|bud:economicCode ?code .
      FILTER NOT EXISTS { ?obs bud:classification ?code }
    }"""))
    assert unclassified == []
