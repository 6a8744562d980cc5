"""Fixtures for the endpoint tests: a small store, settings and an in-process app."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from kg.serve.app import close_app, create_app
from kg.serve.settings import ServeSettings

DATA = Path(__file__).resolve().parent / "data"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def small_store() -> ox.Store:
    store = ox.Store()
    store.load(path=str(DATA / "small.trig"), format=ox.RdfFormat.TRIG)
    return store


@pytest.fixture(scope="module")
def client(small_store: ox.Store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = ServeSettings(timeout=5, workers=2, max_rows=50, queries_dir=tmp_path_factory.mktemp("noqueries"))
    app = create_app(settings, small_store)
    try:
        with TestClient(app) as test_client:
            yield test_client
    finally:
        close_app(app)


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real build of data/samples: kg build, the validation report and the analysis links."""
    from kg.cli import main as kg_main
    from kg.model.build import build
    from kg.validate.engine import validate_store
    from kg.validate.render import to_turtle
    from kg.validate.shapes import load_shapes

    out = tmp_path_factory.mktemp("build")
    result = build([ROOT / "data" / "samples"], out, "https://budget-kg.org/", report=lambda _line: None)
    assert result.documents, "kg build produced nothing"
    store = ox.Store()
    store.bulk_load(path=str(out / "dataset.nq"), format=ox.RdfFormat.N_QUADS)
    (out / "validation").mkdir()
    (out / "validation" / "report.ttl").write_text(to_turtle(validate_store(store, load_shapes())), encoding="utf-8")
    assert kg_main(["analyze", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def sample_client(sample_build: Path) -> Iterator[TestClient]:
    from kg.store import SERVED_EXTRAS, load_build

    store, _sources = load_build(sample_build, extras=SERVED_EXTRAS)
    settings = ServeSettings(data_dir=sample_build, timeout=20, workers=2, queries_dir=ROOT / "queries")
    app = create_app(settings, store)
    try:
        with TestClient(app) as test_client:
            yield test_client
    finally:
        close_app(app)
