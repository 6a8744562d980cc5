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
