"""kg build: dumps round-trip to the same graph, two builds are byte-identical, CLI exit codes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic

from kg.cli import main
from kg.model.build import build
from kg.model.iris import Iris
from kg.model.mapping import facts_to_graph

DUMPS = ("dataset.nq", "dataset.trig", "dataset.jsonld", "ontology.ttl", "codes.ttl", "void.ttl",
         "budget_lines.csv", "datapackage.json")


@pytest.fixture(scope="module")
def built(tmp_path_factory, gold_paths) -> Path:
    out = tmp_path_factory.mktemp("build")
    result = build(gold_paths, out)
    assert result.ok and len(result.documents) == 5
    return out


def _graphs(dataset: rdflib.Dataset) -> dict[str, rdflib.Graph]:
    graphs = {}
    for s, p, o, g in dataset.quads((None, None, None, None)):
        name = str(g.identifier if isinstance(g, rdflib.Graph) else g)
        graphs.setdefault(name, rdflib.Graph()).add((s, p, o))
    return graphs


@pytest.mark.parametrize(("name", "fmt"), [("dataset.nq", "nquads"), ("dataset.trig", "trig"),
                                           ("dataset.jsonld", "json-ld")])
def test_dataset_dumps_round_trip_isomorphic(built, gold_facts, name, fmt):
    expected = _graphs(facts_to_graph(gold_facts))
    parsed = rdflib.Dataset()
    parsed.parse(built / name, format=fmt)
    actual = _graphs(parsed)
    analysis_graphs = {Iris().graph(n) for n in ("links", "analysis", "duty-areas")}  # kg/analyze adds these
    assert analysis_graphs <= set(actual)
    assert sorted(set(actual) - analysis_graphs) == sorted(expected)
    for graph_name, graph in expected.items():
        assert isomorphic(actual[graph_name], graph), graph_name


def test_codes_and_ontology_dumps_round_trip(built, gold_facts):
    expected = _graphs(facts_to_graph(gold_facts))
    codes = rdflib.Graph().parse(built / "codes.ttl", format="turtle")
    assert isomorphic(codes, expected[Iris().graph("codes")])
    ontology = rdflib.Graph().parse(built / "ontology.ttl", format="turtle")
    assert isomorphic(ontology, expected[Iris().graph("ontology")])


def test_two_builds_are_byte_identical(built, gold_paths, tmp_path):
    build(list(reversed(gold_paths)), tmp_path)
    for name in (*DUMPS, "facts/004_79c49c8e4410479a.json"):
        assert (tmp_path / name).read_bytes() == (built / name).read_bytes(), name


def test_worker_processes_write_the_same_bytes(built, gold_paths, tmp_path, monkeypatch):
    """Documents written by forked workers, one document per task, give the files of one process."""
    from kg.model import dumps

    monkeypatch.setattr(dumps, "PARALLEL_MIN_DOCUMENTS", 1)
    monkeypatch.setattr(dumps, "TASK_DOCUMENTS", 1)
    result = build(gold_paths, tmp_path, workers=2)
    assert result.ok
    assert sorted(result.files) == sorted(p.relative_to(built).as_posix() for p in built.rglob("*")
                                          if p.is_file() and ".cache" not in p.parts)
    for name in result.files:
        assert (tmp_path / name).read_bytes() == (built / name).read_bytes(), name
    left = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")
            if p.is_file() and ".cache" not in p.parts}
    assert left == set(result.files)  # the workers' part files are gone


def test_tasks_keep_the_document_order_and_end_with_single_documents():
    from kg.model.dumps import split_tasks

    for count in (0, 1, 3, 8, 9, 12, 13, 100):
        todo = list(range(100, 100 + count))
        tasks = split_tasks(todo, 4, 8)
        assert [i for task in tasks for i in task] == todo, count
        assert all(1 <= len(task) <= 4 for task in tasks), count
        assert all(len(task) == 1 for task in tasks[-min(count, 8):]), count
    assert split_tasks(list(range(14)), 4, 8) == [[0, 1, 2, 3], [4, 5], *([i] for i in range(6, 14))]


def test_spans_are_copied_without_copy_file_range(tmp_path, monkeypatch):
    """Where the kernel cannot copy between the files, the bytes are read and written here."""
    import os

    from kg.model import dumps

    source, target = tmp_path / "part", tmp_path / "dump"
    source.write_bytes(b"0123456789" * 1000)

    def unsupported(*_args, **_kwargs):
        raise OSError(38, "Function not implemented")

    for patched in (False, True):
        if patched:
            monkeypatch.setattr(os, "copy_file_range", unsupported)
        with source.open("rb") as src, target.open("wb") as dst:
            dst.write(b"head:")
            dst.flush()
            dumps.copy_span(src.fileno(), dst.fileno(), 5, 9990)
        assert target.read_bytes() == b"head:" + (b"0123456789" * 1000)[5:9995], patched


def test_default_workers_follow_the_usable_cpus(monkeypatch):
    import os

    from kg.model import dumps

    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0}, raising=False)
    assert dumps._default_workers() == 1
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1, 2, 3}, raising=False)
    assert dumps._default_workers() == 2


def _die(_indices):
    import os

    os._exit(1)


def test_a_worker_that_dies_leaves_its_documents_to_the_parent(built, gold_paths, tmp_path, monkeypatch):
    from kg.model import dumps

    monkeypatch.setattr(dumps, "PARALLEL_MIN_DOCUMENTS", 1)
    monkeypatch.setattr(dumps, "_worker_task", _die)
    result = build(gold_paths, tmp_path, workers=2)
    assert result.ok
    for name in ("dataset.nq", "dataset.trig", "dataset.jsonld", "budget_lines.csv", "void.ttl"):
        assert (tmp_path / name).read_bytes() == (built / name).read_bytes(), name


def test_void_counts_match_the_dump(built):
    void = rdflib.Graph().parse(built / "void.ttl", format="turtle")
    VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
    dataset = rdflib.URIRef(Iris().dataset())
    quads = (built / "dataset.nq").read_text(encoding="utf-8").count("\n")
    assert int(void.value(dataset, VOID.triples)) == quads
    assert void.value(dataset, VOID.sparqlEndpoint) == rdflib.URIRef("https://budget-kg.org/sparql")
    assert len(list(void.objects(dataset, VOID.classPartition))) > 10
    assert len(list(void.objects(dataset, rdflib.DCTERMS.source))) == 5
    dumps = {str(o) for o in void.objects(dataset, VOID.dataDump)}
    assert "https://budget-kg.org/dumps/dataset.nq" in dumps


def test_csv_and_datapackage_agree_with_the_graph(built):
    with (built / "budget_lines.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    package = json.loads((built / "datapackage.json").read_text(encoding="utf-8"))
    resource = package["resources"][0]
    assert [f["name"] for f in resource["schema"]["fields"]] == list(rows[0])
    assert resource["stats"]["rows"] == len(rows)
    graph = rdflib.Dataset()
    graph.parse(built / "dataset.nq", format="nquads")
    observation = rdflib.URIRef("http://purl.org/linked-data/cube#Observation")
    lines = {str(q[0]) for q in graph.quads((None, rdflib.RDF.type, observation, None))}
    assert {r["line"] for r in rows} == lines
    row = next(r for r in rows if r["line"].endswith("/2101501/total") and "130529" in r["line"])
    assert row["code"] == "2101501" and row["unit"] == "万元" and row["year"] == "2024"


def test_base_uri_is_configurable(gold_paths, tmp_path):
    build(gold_paths[:1], tmp_path, "https://example.org/kg/")
    text = (tmp_path / "dataset.nq").read_text(encoding="utf-8")
    assert "<https://example.org/kg/bureau/" in text and "https://budget-kg.org/bureau/" not in text
    assert "<https://budget-kg.org/ontology#Budget>" in text  # the vocabulary does not move


def test_cli_exit_codes(gold_paths, tmp_path, capsys):
    assert main(["build", str(gold_paths[0]), "--out", str(tmp_path / "a"), "--quiet"]) == 0
    assert (tmp_path / "a" / "dataset.nq").exists()
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    assert main(["build", str(gold_paths[0]), str(bad), "--out", str(tmp_path / "b"), "--quiet"]) == 1
    assert main(["build", str(tmp_path / "missing"), "--out", str(tmp_path / "c")]) == 2
    assert main(["build", str(gold_paths[0]), "--out", str(tmp_path / "d"), "--workers", "0"]) == 2
    assert main(["build", str(gold_paths[0]), "--out", str(tmp_path / "e"), "--workers", "1", "--quiet"]) == 0


def test_nquads_dump_loads_into_pyoxigraph(built):
    import pyoxigraph as ox

    store = ox.Store()
    store.load(path=str(built / "dataset.nq"), format=ox.RdfFormat.N_QUADS)
    lines = (built / "dataset.nq").read_text(encoding="utf-8").count("\n")
    assert len(store) == lines
    rows = list(store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?p a <https://budget-kg.org/ontology#Project> } }"))
    assert int(rows[0]["n"].value) == 31


def test_builds_in_processes_with_different_hash_seeds_are_identical(gold_paths, tmp_path):
    import os
    import subprocess
    import sys

    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"seed{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "kg", "build", *map(str, gold_paths[2:4]), "--out", str(out), "--quiet"],
                       check=True, env=env)
        outs.append(out)
    for name in DUMPS:
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name


@pytest.mark.parametrize(("name", "fmt"), [("dataset.trig", "TRIG"), ("dataset.jsonld", "JSON_LD")])
def test_dumps_parse_in_a_second_implementation(built, name, fmt):
    """pyoxigraph (Rust) reads the TriG and JSON-LD dumps to the same quads as the N-Quads dump."""
    import pyoxigraph as ox

    def quads(file: str, form) -> set[str]:
        return {str(q) for q in ox.parse(path=str(built / file), format=form)}

    reference = quads("dataset.nq", ox.RdfFormat.N_QUADS)
    other = quads(name, getattr(ox.RdfFormat, fmt))
    blank = [q for q in reference if "_:" in q]
    assert len(other) == len(reference)
    assert {q for q in other if "_:" not in q} == {q for q in reference if "_:" not in q}
    assert blank  # the ontology's structure components: compared above by count only
