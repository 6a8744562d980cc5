"""Loading build directories and RDF files into the served store."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import UsageError
from kg.store import QUERY_OPTIONS, SERVED_EXTRAS, graph_for_file, load_build, load_files

DATA = Path(__file__).resolve().parent / "data"
TTL = "@prefix ex: <http://example.org/> .\nex:a ex:p ex:b .\n"


def test_triples_files_get_their_own_graph_and_quads_keep_theirs(tmp_path: Path) -> None:
    ttl = tmp_path / "extra.ttl"
    ttl.write_text(TTL, encoding="utf-8")
    store, sources = load_files([DATA / "small.trig", ttl])
    assert [s.graph for s in sources] == [None, graph_for_file(ttl)]
    assert ox.NamedNode(graph_for_file(ttl)) in set(store.named_graphs())
    assert ox.NamedNode("https://budget-kg.org/graph/doc/a") in set(store.named_graphs())
    assert not list(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    union = store.query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", **QUERY_OPTIONS)
    assert int(next(iter(union))[0].value) == len(ox.Dataset(ox.parse(path=str(DATA / "small.trig")))) + 1


def test_build_directory(tmp_path: Path) -> None:
    (tmp_path / "dataset.nq").write_text(
        "<http://example.org/a> <http://example.org/p> <http://example.org/b> <https://budget-kg.org/graph/doc/x> .\n"
        "<http://example.org/a> <http://example.org/q> \"1\" .\n",
        encoding="utf-8",
    )
    (tmp_path / "void.ttl").write_text("<https://budget-kg.org/dataset> a <http://rdfs.org/ns/void#Dataset> .\n", encoding="utf-8")
    (tmp_path / "validation").mkdir()
    (tmp_path / "validation" / "report.ttl").write_text(TTL, encoding="utf-8")
    store, sources = load_build(tmp_path)
    graphs = {g.value for g in store.named_graphs()}
    assert graphs == {
        "https://budget-kg.org/graph/doc/x",
        "https://budget-kg.org/graph/default",
        "https://budget-kg.org/graph/void",
        "https://budget-kg.org/graph/validation",
    }
    assert len(sources) == 3


def test_build_directory_needs_a_dataset(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="dataset.nq"):
        load_build(tmp_path)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("x.csv", "a,b", "unknown RDF file type"),
        ("bad.ttl", "this is not turtle", "not valid"),
        ("bomb.rdf", '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><r/>', "DOCTYPE"),
    ],
)
def test_bad_files(tmp_path: Path, name: str, content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UsageError, match=message):
        load_files([path])


def test_served_builds_add_the_analysis_graphs(tmp_path: Path) -> None:
    (tmp_path / "dataset.nq").write_text("<http://example.org/a> <http://example.org/p> <http://example.org/b> <https://budget-kg.org/graph/doc/x> .\n", encoding="utf-8")
    (tmp_path / "analysis.trig").write_text(
        "<https://budget-kg.org/graph/links> { <http://example.org/p1> <https://budget-kg.org/ontology#servesDuty> <http://example.org/d1> . }\n",
        encoding="utf-8",
    )
    plain, _ = load_build(tmp_path)
    served, _ = load_build(tmp_path, extras=SERVED_EXTRAS)
    links = ox.NamedNode("https://budget-kg.org/graph/links")
    assert links not in set(plain.named_graphs())
    assert links in set(served.named_graphs())
