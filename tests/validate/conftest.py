"""Fixtures: the shapes, and graphs of the samples built from the gold facts.

The gold files hold the true table facts but no prose statements and no provenance, so the sample
graphs combine gold facts with the statements and the tables' printed 合计 rows (not in the gold
schema) extraction reads from the sample texts, and give
every gold fact the placeholder source line 1 (the structure rule ``provenance-line`` is checked on
real extraction output instead, in ``test_samples.py``). Targets are parsed as extraction does;
``from_json`` reads the gold ``spending_plan`` objects (``{"3月底": 25}``) itself. A gold plan ``{}``
(printed, but blank) takes extraction's blank steps, which name the printed periods.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass, replace
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from kg.extract import extract_bytes
from kg.extract.facts import DocumentFacts, Source, from_json
from kg.extract.targets import parse_target
from kg.io import read_json
from kg.model.iris import Iris
from kg.model.mapping import dataset_quads
from kg.model.terms import to_oxigraph
from kg.validate.engine import validate_store
from kg.validate.report import ValidationReport
from kg.validate.shapes import ShapesIndex, load_shapes

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "tests" / "data" / "gold"
SAMPLES = ROOT / "data" / "samples"
PLACEHOLDER = Source((1,))


def _with_placeholder_sources(value: Any) -> Any:
    """Every empty ``source`` of a fact (recursively) set to line 1."""
    if isinstance(value, tuple):
        return tuple(_with_placeholder_sources(v) for v in value)
    if not is_dataclass(value) or isinstance(value, Source):
        return value
    changes = {}
    for f in fields(value):
        current = getattr(value, f.name)
        if f.name == "source" and isinstance(current, Source) and not current.lines:
            changes[f.name] = PLACEHOLDER
        elif isinstance(current, tuple) or (is_dataclass(current) and not isinstance(current, Source)):
            changes[f.name] = _with_placeholder_sources(current)
    return replace(value, **changes)


def gold_facts(name: str) -> DocumentFacts:
    """The gold facts of one sample, with extraction's prose statements and placeholder lines."""
    data = read_json(GOLD / f"{Path(name).stem}.json")
    facts = from_json(data)
    extracted = extract_bytes((SAMPLES / facts.document).read_bytes(), facts.document)
    blank_plans = {p.name: p.spending_plan for p in extracted.projects
                   if p.spending_plan and all(s.share is None for s in p.spending_plan)}
    projects = tuple(
        replace(p, indicators=tuple(replace(i, parsed_target=parse_target(i.target)) for i in p.indicators),
                spending_plan=p.spending_plan or (blank_plans.get(p.name, ()) if raw.get("spending_plan") == {} else ()))
        for p, raw in zip(facts.projects, data.get("projects") or [], strict=True)
    )
    facts = replace(facts, projects=projects, statements=extracted.statements, table_totals=extracted.table_totals)
    return _with_placeholder_sources(facts)


def store_of(facts: list[DocumentFacts]) -> ox.Store:
    store = ox.Store()
    store.bulk_extend(to_oxigraph(dataset_quads(facts, Iris())))  # type: ignore[arg-type]
    return store


@pytest.fixture(scope="session", name="store_of")
def store_of_fixture() -> Any:
    """The :func:`store_of` function (facts → pyoxigraph store of their graph)."""
    return store_of


@pytest.fixture(scope="session")
def index() -> ShapesIndex:
    return load_shapes()


@pytest.fixture(scope="session")
def sample_facts() -> dict[str, DocumentFacts]:
    return {p.stem[:3]: gold_facts(p.name) for p in sorted(GOLD.glob("*.json"))}


@pytest.fixture(scope="session")
def sample_store(sample_facts: dict[str, DocumentFacts]) -> ox.Store:
    return store_of(list(sample_facts.values()))


@pytest.fixture(scope="session")
def sample_report(sample_store: ox.Store, index: ShapesIndex) -> ValidationReport:
    return validate_store(sample_store, index)
