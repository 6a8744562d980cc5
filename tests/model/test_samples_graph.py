"""Done-when on the samples through extraction: ``kg build data/samples`` gives the gold counts and
the gold values of every function / economic / category line."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import rdflib

from kg.model.build import build
from kg.model.inputs import load

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
QUERY = """
PREFIX bud: <https://budget-kg.org/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


@pytest.fixture(scope="module")
def sample_build(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("samples")
    result = build([SAMPLES], out)
    assert result.ok, result.errors
    assert len(result.documents) == 5
    return out


@pytest.fixture(scope="module")
def union(sample_build) -> rdflib.Graph:
    dataset = rdflib.Dataset()
    dataset.parse(sample_build / "dataset.nq", format="nquads")
    graph = rdflib.Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


def _count(graph: rdflib.Graph, cls: str) -> int:
    return int(next(iter(graph.query(QUERY + f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a {cls} }}")))[0])


def test_sample_counts(union):
    assert _count(union, "bud:Bureau") == 5
    assert _count(union, "bud:Project") == 31
    assert _count(union, "bud:Indicator") == 139
    assert _count(union, "bud:Duty") == 45


def _table(title: str) -> str:
    # the gold files qualify prose figures (narrative（项目支出）); extraction calls them narrative
    return re.sub(r"^narrative.*", "narrative", title)


def test_sample_lines_match_gold(union, gold_paths):
    query = QUERY + """
    SELECT ?doc ?cls ?title ?name ?column ?amount WHERE {
      ?line a ?cls ; prov:wasDerivedFrom ?doc ; bud:table/bud:tableTitle ?title ;
            bud:column/skos:notation ?column ; bud:amount ?amount .
      OPTIONAL { ?line bud:printedName ?name }
      FILTER (?cls IN (bud:FunctionLine, bud:EconomicLine, bud:CategoryLine))
    }"""
    found = Counter((str(d).rsplit("/", 1)[1], str(c).rsplit("#", 1)[1], _table(str(t)), str(n), str(col),
                     a.toPython()) for d, c, t, n, col, a in union.query(query))
    expected: Counter = Counter()
    for path in gold_paths:
        facts = load(path).facts
        stem = path.stem
        for line in facts.function_lines:
            for col in ("total", "basic", "project"):
                if getattr(line, col) is not None:
                    expected[(stem, "FunctionLine", _table(line.table), line.name, col, getattr(line, col))] += 1
        for eline in facts.economic_lines:
            for col in ("total", "personnel", "public"):
                if getattr(eline, col) is not None:
                    expected[(stem, "EconomicLine", _table(eline.table), eline.name, col, getattr(eline, col))] += 1
        for cline in facts.category_lines:
            if cline.amount is not None:
                expected[(stem, "CategoryLine", _table(cline.table), cline.name, "amount", cline.amount)] += 1
    assert sum(expected.values()) > 300
    assert found == expected


def test_sample_provenance_lines(union):
    """Extracted facts carry line numbers: every project, indicator, duty and line has one."""
    rows = list(union.query(QUERY + """
    SELECT ?x WHERE {
      VALUES ?cls { bud:Project bud:Indicator bud:Duty bud:FunctionLine bud:EconomicLine }
      ?x a ?cls . FILTER NOT EXISTS { ?x bud:sourceLine ?n }
    }"""))
    assert rows == []


def test_sample_codes_have_named_ancestors(union):
    rows = list(union.query(QUERY + """
    SELECT ?code WHERE {
      VALUES ?cls { bud:FunctionCode bud:EconomicCode }
      ?c a ?cls ; skos:notation ?code .
      FILTER NOT EXISTS { ?c skos:prefLabel ?label FILTER (lang(?label) = "zh") }
    }"""))
    assert rows == []
    orphans = list(union.query(QUERY + """
    SELECT ?code WHERE {
      ?c a bud:FunctionCode ; skos:notation ?code . FILTER (STRLEN(?code) > 3)
      FILTER NOT EXISTS { ?c skos:broader/skos:notation ?up FILTER (STRSTARTS(?code, ?up)) }
    }"""))
    assert orphans == []
    used = list(union.query(QUERY + """
    SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?x bud:functionCode ?c . ?c a bud:FunctionCode }"""))
    assert int(used[0][0]) >= 20


def test_project_amount_statements_name_their_project(union):
    """validation-needs item 3: a prose project amount links to the one project its subject names."""
    rows = {(str(s), str(p)) for s, p in union.query(QUERY + """
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT ?subject ?project WHERE {
      ?st bud:statementKey "project_amount" ; bud:subject ?subject ; bud:aboutProject ?p ; bud:budget ?b .
      ?p rdfs:label ?project ; bud:budget ?b .
    }""")}
    assert ("城乡社会保险代办员补助资金",
            "冀财社 2023 年 225 号提前下达 2024 年省级财政城乡居民社会保险代办员补助资金") in rows
    assert all(s.replace(" ", "") in p.replace(" ", "") or s[-8:] == p[-8:] or p in s for s, p in rows)


def test_named_project_needs_exactly_one_match():
    from kg.model.mapping import named_project

    projects = [("城乡居民医疗保险补助资金", "p1"), ("离休乙残专项补助资金", "p2")]
    assert named_project("离休乙残 专项补助资金", projects) == "p2"
    assert named_project("关于城乡居民医疗保险补助资金", projects) == "p1"  # the subject contains the name
    assert named_project("补助资金", projects) is None  # both names contain it
    assert named_project("公用经费", projects) is None


def test_tables_say_their_kind_and_prose_tables_are_narrative(union):
    """validation-needs items 4–5: every printed table of the samples is a known kind; prose lines'
    tables are bud:NarrativeTable (and have no kind)."""
    rows = [(str(t), k and str(k).rsplit("#", 1)[1], bool(n)) for t, k, n in union.query(QUERY + """
    SELECT ?title ?kind ?narrative WHERE {
      ?t a bud:BudgetTable ; bud:tableTitle ?title .
      OPTIONAL { ?t bud:tableKind ?kind }
      OPTIONAL { ?t a bud:NarrativeTable . BIND(true AS ?narrative) }
    }""")]
    assert rows and all((k is None) == n == t.startswith("narrative") for t, k, n in rows), rows
    kinds = {t: k for t, k, _ in rows}
    assert kinds["部门收支总体情况表（一）"] == "RevenueExpenditureSummaryTable"
    assert kinds["财政拨款收支总体情况表（四）"] == "FiscalAppropriationSummaryTable"
    assert kinds["一般公共预算基本支出情况表（六）"] == "GeneralBudgetBasicExpenditureTable"
    assert kinds["部门预算支出总表"] == "ExpenditureSummaryTable"


def test_printed_table_totals_are_kept_beside_the_lines(union):
    """validation-needs item 6: a code table's 合计 row is a bud:TableTotal per column, not a budget line."""
    rows = {(str(t), str(c).rsplit("#", 1)[1], a.toPython()) for t, c, a in union.query(QUERY + """
    SELECT ?title ?column ?amount WHERE {
      ?x a bud:TableTotal ; bud:totalOf/bud:tableTitle ?title ; bud:totalColumn ?column ; bud:amount ?amount .
      FILTER NOT EXISTS { ?x a bud:BudgetLine }
    }""")}
    from decimal import Decimal

    assert ("一般公共预算基本支出情况表（六）", "TotalColumn", Decimal("672.81")) in rows
    assert ("一般公共预算基本支出情况表（六）", "PersonnelColumn", Decimal("619.93")) in rows
    assert ("部门支出总体情况表（三）", "ProjectColumn", Decimal("1909.64")) in rows
