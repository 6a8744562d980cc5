"""The curated example queries (queries/*.rq): headers, and correct non-empty results on a real
build of the bundled samples, run through the endpoint."""

from __future__ import annotations

import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kg.serve.examples import REQUIRED, load_examples, parse_example

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = load_examples(ROOT / "queries")
GOLD = ROOT / "tests" / "data" / "gold"


def run(client: TestClient, name: str) -> list[dict[str, str]]:
    example = next(e for e in EXAMPLES if e.name == name)
    response = client.post("/sparql", content=example.query.encode(), headers={"content-type": "application/sparql-query"})
    assert response.status_code == 200, response.text
    data = response.json()
    return [{k: v["value"] for k, v in row.items()} for row in data["results"]["bindings"]]


def scalar(client: TestClient, query: str) -> list[dict[str, str]]:
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200, response.text
    return [{k: v["value"] for k, v in row.items()} for row in response.json()["results"]["bindings"]]


def test_at_least_twelve_bilingual_examples() -> None:
    assert len(EXAMPLES) >= 12
    for example in EXAMPLES:
        for key in REQUIRED:
            assert example.headers[key].strip()
        assert any("\u4e00" <= c <= "\u9fff" for c in example.title_zh), example.name


def test_missing_header_is_reported() -> None:
    with pytest.raises(ValueError, match="description@zh"):
        parse_example("x", "# title: T\n# title@zh: 标题\n# description: D\nSELECT * {}")


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_every_example_returns_rows(sample_client: TestClient, example) -> None:
    rows = run(sample_client, example.name)
    assert rows, f"{example.name} returned no rows on the samples"


def test_totals_balance(sample_client: TestClient) -> None:
    rows = [r for r in run(sample_client, "01-budget-totals") if "revenue" in r and "expenditure" in r]
    assert len(rows) >= 3
    assert all(Decimal(r["difference"]) == 0 for r in rows)


def test_function_classes_add_up_to_the_expenditure_total(sample_client: TestClient) -> None:
    by_budget: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for row in run(sample_client, "02-spending-by-function-class"):
        by_budget[(row["bureauName"], row["year"])] += Decimal(row["total"])
    totals = {(r["bureauName"], r["year"]): Decimal(r["expenditure"]) for r in run(sample_client, "01-budget-totals") if "expenditure" in r}
    assert by_budget
    for key, total in by_budget.items():
        assert total == totals[key], key


def test_medical_security_items_are_under_21015(sample_client: TestClient) -> None:
    rows = run(sample_client, "03-medical-security-administration")
    assert {r["code"][:5] for r in rows} == {"21015"}
    assert "行政运行" in {r["item"] for r in rows}
    assert len({(r["bureauName"], r["year"], r["code"]) for r in rows}) == len(rows)  # one table per budget


def test_projects_indicators_cover_every_indicator(sample_client: TestClient) -> None:
    rows = run(sample_client, "05-projects-indicators-targets")
    count = scalar(sample_client, "SELECT (COUNT(DISTINCT ?i) AS ?n) { ?p bud:hasIndicator ?i . ?i bud:indicatorName ?x ; bud:level1Text ?y }")
    assert len(rows) == int(count[0]["n"])


def test_projects_without_satisfaction_really_lack_it(sample_client: TestClient) -> None:
    rows = run(sample_client, "06-projects-without-satisfaction-indicators")
    with_satisfaction = {
        r["p"] for r in scalar(sample_client, "SELECT DISTINCT ?p { ?p bud:hasIndicator/bud:level1 <https://budget-kg.org/code/indicator/satisfaction> }")
    }
    projects = {r["p"] for r in scalar(sample_client, "SELECT ?p { ?p a bud:Project }")}
    assert {r["project"] for r in rows} == projects - with_satisfaction


def test_duties_list_every_duty_and_some_served(sample_client: TestClient) -> None:
    rows = run(sample_client, "07-duties-and-projects")
    duties = scalar(sample_client, "SELECT (COUNT(DISTINCT ?d) AS ?n) { ?b bud:hasDuty ?d . ?d bud:text ?t }")
    assert len({r["duty"] for r in rows}) == int(duties[0]["n"])
    assert any("project" in r for r in rows), "no duty is served by a project (analysis links missing?)"


def test_three_public_totals_match_the_gold_facts(sample_client: TestClient) -> None:
    found = {(r["fileName"].rsplit(".", 1)[0], Decimal(r["amount"])) for r in run(sample_client, "14-figure-provenance")}
    expected = set()
    for path in sorted(GOLD.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
        total = (gold.get("three_public") or {}).get("total")
        if total is not None:
            expected.add((path.stem, Decimal(str(total)) * 10000))
    assert found == expected


def test_validation_failures_come_from_the_report_graph(sample_client: TestClient) -> None:
    rows = run(sample_client, "09-lines-failing-validation")
    focus = scalar(
        sample_client,
        "SELECT (COUNT(DISTINCT ?f) AS ?n) { GRAPH <https://budget-kg.org/graph/validation> { ?r sh:focusNode ?f } }",
    )
    assert len({r["focus"] for r in rows}) == int(focus[0]["n"])


def test_largest_projects_are_sorted(sample_client: TestClient) -> None:
    amounts = [Decimal(r["amount"]) for r in run(sample_client, "12-largest-projects")]
    assert amounts == sorted(amounts, reverse=True)
    assert 0 < len(amounts) <= 20


def test_one_graph_per_sample_document(sample_client: TestClient) -> None:
    rows = run(sample_client, "15-documents-and-graphs")
    samples = sorted(p.name for p in (ROOT / "data" / "samples").glob("*.txt"))
    assert sorted(r["fileName"] for r in rows) == samples


def test_query_page_offers_the_examples(sample_client: TestClient) -> None:
    page = sample_client.get("/query")
    assert page.status_code == 200
    for example in EXAMPLES:
        assert example.title_zh in page.text
    listed = sample_client.get("/queries.json").json()
    assert [e["name"] for e in listed] == [e.name for e in EXAMPLES]
