"""Fixtures for the remote-store tests: one build of the samples per session, the embedded store
loaded from it, and real SPARQL servers (started once per session, stopped by PID)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.store import SERVED_EXTRAS, load_build
from kg.store.remote import Published, RemoteStore, publish_build
from servers import Server, oxigraph_binary, oxigraph_server, virtuoso_binary, virtuoso_server

ROOT = Path(__file__).resolve().parents[2]
FLAVOURS = ("oxigraph", "virtuoso")


@pytest.fixture(scope="session")
def store_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``kg build`` of data/samples, with ``kg validate``'s report and ``kg analyze``'s links."""
    from kg.cli import main as kg_main

    out = tmp_path_factory.mktemp("store-build")
    assert kg_main(["build", str(ROOT / "data" / "samples"), "--out", str(out), "--quiet"]) == 0
    assert kg_main(["validate", str(out), "--format", "json"]) in (0, 1)  # 1: the samples have findings
    assert kg_main(["analyze", str(out)]) == 0
    assert (out / "dataset.nq").is_file() and (out / "validation" / "report.ttl").is_file()
    return out


@pytest.fixture(scope="session")
def embedded(store_build: Path) -> ox.Store:
    """The embedded pyoxigraph store the endpoint serves, for comparison."""
    store, _ = load_build(store_build, extras=SERVED_EXTRAS)
    return store


@pytest.fixture(scope="session")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    if not oxigraph_binary():
        pytest.skip("the oxigraph server binary is not installed (PyPI package `oxigraph`, a dev extra)")
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as server:
        yield server


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    if not virtuoso_binary():
        pytest.skip("virtuoso-t is not installed (Debian package virtuoso-opensource; `make system-deps` as root)")
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


@pytest.fixture(scope="session", params=FLAVOURS)
def server(request: pytest.FixtureRequest) -> Server:
    return request.getfixturevalue(request.param)


@pytest.fixture(scope="session")
def published(server: Server, store_build: Path) -> tuple[RemoteStore, Published]:
    """The server with the samples' build published graph by graph (once per server)."""
    remote = RemoteStore(server.url, timeout=120)
    return remote, publish_build(store_build, remote)


@pytest.fixture()
def remote(published: tuple[RemoteStore, Published], store_build: Path) -> Iterator[RemoteStore]:
    """The published store for a test that changes it: the build is published again afterwards
    (also on failure, every graph) if the test left the graph sizes different; tests that change a
    graph's content but not its size restore it themselves."""
    store, before = published
    try:
        yield store
    finally:
        if store.graph_sizes() != before.graphs:
            publish_build(store_build, store, incremental=False)
