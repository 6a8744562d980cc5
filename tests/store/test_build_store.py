"""``kg build --store URL``: the build is written and then published to the server graph by graph."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.cli import main as kg_main
from kg.store import SERVED_EXTRAS, load_build
from kg.store.remote import PUBLICATION_GRAPH, RemoteStore, graphs_of

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://build-store.test/"


@pytest.mark.remote
def test_kg_build_store_publishes_after_writing_the_dumps(server, store_build: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "build"
    # From the session build's facts JSON (no re-extraction), under a base IRI of its own so the
    # graphs the other tests share are left alone.
    assert kg_main(["build", str(store_build / "facts"), "--out", str(out), "--base-uri", BASE, "--store", server.url]) == 0
    printed = capsys.readouterr().out
    assert f"→ {server.name} at http://127.0.0.1:" in printed and "dba" not in printed
    expected = {g: n for g, n in ((g, len(t)) for g, t in graphs_of(load_build(out, BASE, extras=SERVED_EXTRAS)[0]))}
    assert sum(1 for g in expected if g.startswith(BASE + "document/")) == 5
    remote = RemoteStore(server.url)
    try:
        assert {g: n for g, n in remote.graph_sizes().items() if g.startswith(BASE)} == expected
    finally:
        for graph in (*expected, BASE + PUBLICATION_GRAPH):
            remote.delete_graph(graph, missing_ok=True)
        remote.close()


def test_a_wrong_store_url_is_a_usage_error_before_building(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert kg_main(["build", str(ROOT / "data" / "samples"), "--out", str(tmp_path / "b"), "--store", "blazegraph+http://127.0.0.1:1"]) == 2
    assert "unknown server flavour" in capsys.readouterr().err
    assert not (tmp_path / "b").exists()
