"""The example queries answer the same on a build with another ``--base-uri``.

Regression: 06 named the satisfaction category by its IRI under the default base and 09 the
validation graph, so on a build with ``kg build --base-uri …`` (served with the same ``--base-uri``)
06 silently listed every project as lacking a satisfaction indicator and 09 returned nothing.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.serve.examples import load_examples
from kg.store import QUERY_OPTIONS, SERVED_EXTRAS, load_build

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = {e.name: e for e in load_examples(ROOT / "queries")}
BASE = "http://example.org/kg/"


@pytest.fixture(scope="module")
def other_base_store(tmp_path_factory: pytest.TempPathFactory) -> ox.Store:
    from kg.model.build import build
    from kg.validate.engine import validate_store
    from kg.validate.render import to_turtle
    from kg.validate.shapes import load_shapes

    out = tmp_path_factory.mktemp("other-base")
    build([ROOT / "data" / "samples"], out, BASE, report=lambda _line: None)
    dataset = ox.Store()
    dataset.bulk_load(path=str(out / "dataset.nq"), format=ox.RdfFormat.N_QUADS)
    (out / "validation").mkdir()
    (out / "validation" / "report.ttl").write_text(to_turtle(validate_store(dataset, load_shapes())), encoding="utf-8")
    store, _sources = load_build(out, base_iri=BASE, extras=SERVED_EXTRAS)
    return store


def _rows(store: ox.Store, query: str) -> list[dict[str, str]]:
    solutions = store.query(query, **QUERY_OPTIONS)
    names = [v.value for v in solutions.variables]
    return [{n: t.value for n, t in zip(names, row, strict=True) if t is not None} for row in solutions]


def test_projects_without_satisfaction_are_found_under_another_base(other_base_store: ox.Store) -> None:
    rows = _rows(other_base_store, EXAMPLES["06-projects-without-satisfaction-indicators"].query)
    with_satisfaction = {
        r["p"]
        for r in _rows(
            other_base_store,
            f"SELECT DISTINCT ?p {{ ?p <https://budget-kg.org/ontology#hasIndicator>/<https://budget-kg.org/ontology#level1> <{BASE}code/indicator/satisfaction> }}",
        )
    }
    projects = {r["p"] for r in _rows(other_base_store, "SELECT ?p { ?p a <https://budget-kg.org/ontology#Project> }")}
    assert with_satisfaction and rows
    assert {r["project"] for r in rows} == projects - with_satisfaction
    assert all(r["project"].startswith(BASE) for r in rows)


def test_validation_failures_are_listed_under_another_base(other_base_store: ox.Store) -> None:
    rows = _rows(other_base_store, EXAMPLES["09-lines-failing-validation"].query)
    focus = _rows(other_base_store, f"SELECT (COUNT(DISTINCT ?f) AS ?n) {{ GRAPH <{BASE}graph/validation> {{ ?r <http://www.w3.org/ns/shacl#focusNode> ?f }} }}")
    assert rows and len({r["focus"] for r in rows}) == int(focus[0]["n"])


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_example_returns_rows_under_another_base(other_base_store: ox.Store, name: str) -> None:
    assert _rows(other_base_store, EXAMPLES[name].query), name


def test_validation_failures_list_violations_first(other_base_store: ox.Store) -> None:
    """Regression: 09 ordered by the severity IRI, so the one sh:Info came before every violation."""
    rank = {"Violation": 0, "Warning": 1, "Info": 2}
    rows = _rows(other_base_store, EXAMPLES["09-lines-failing-validation"].query)
    ranks = [rank[r["severity"].rsplit("#", 1)[1]] for r in rows]
    assert ranks == sorted(ranks) and ranks[0] == 0 and 2 in ranks
    assert all(r.get("rule") for r in rows)  # the description promises the rule
