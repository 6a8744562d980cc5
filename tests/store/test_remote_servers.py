"""The samples' build on real SPARQL servers (Oxigraph server, Virtuoso) gives what the embedded store
gives: the same graphs and triple counts, the same example-query answers, the same validation, and
graphs are replaced and deleted one at a time."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.store import QUERY_OPTIONS
from kg.store.remote import PUBLICATION_GRAPH, Published, RemoteStore, RemoteStoreError, graphs_of, publish_store
from kg.serve.examples import load_examples

pytestmark = pytest.mark.remote

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = load_examples(ROOT / "queries")
XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {XSD + t for t in ("decimal", "integer", "int", "long", "short", "byte", "double", "float",
                             "nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger")}
DOCUMENT = "https://budget-kg.org/document/"


def value(term: object) -> object:
    """A term compared by value: numbers as Decimal (servers may print 18.00 as 18), booleans as
    bool, blank nodes as one value (labels are the server's), IRIs and other literals as written."""
    if term is None:
        return None
    if isinstance(term, ox.BlankNode):
        return ("bnode",)
    if isinstance(term, ox.NamedNode):
        return ("iri", term.value)
    assert isinstance(term, ox.Literal)
    datatype = term.datatype.value
    if datatype in NUMERIC:
        return ("number", Decimal(term.value).normalize())
    if datatype == XSD + "boolean":
        return ("boolean", term.value in ("true", "1"))
    return ("literal", term.value, term.language, None if term.language else datatype)


def loose_columns(query: str) -> tuple[set[str], dict[str, str]]:
    """Columns whose value a query leaves to the engine: ``SAMPLE`` (any member of the group) and
    ``GROUP_CONCAT`` (members in any order, compared as a set by their separator)."""
    sampled = set(re.findall(r"SAMPLE\s*\(.*?\)\s+AS\s+\?(\w+)", query, flags=re.I | re.S))
    concat = {name: sep for sep, name in re.findall(
        r"GROUP_CONCAT\s*\(.*?SEPARATOR\s*=\s*\"([^\"]*)\"\s*\)\s+AS\s+\?(\w+)", query, flags=re.I | re.S)}
    return sampled, concat


def rows(result: object, query: str) -> Counter[tuple[object, ...]] | bool:
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    assert isinstance(result, ox.QuerySolutions)
    sampled, concat = loose_columns(query)
    names = [v.value for v in result.variables]
    out: Counter[tuple[object, ...]] = Counter()
    for row in result:
        cells: list[object] = []
        for name in names:
            term = row[name]
            if name in sampled:
                cells.append(term is not None)
            elif name in concat:
                # Over a group whose values are all unbound, pyoxigraph leaves GROUP_CONCAT unbound
                # (an error in the aggregate) and Virtuoso gives "": both are "no members" here.
                text = term.value if isinstance(term, ox.Literal) else ""
                cells.append(frozenset(text.split(concat[name])) - {""})
            else:
                cells.append(value(term))
        out[tuple(cells)] += 1
    return out


def embedded_sizes(embedded: ox.Store) -> dict[str, int]:
    return {name: len(triples) for name, triples in graphs_of(embedded)}


def test_publish_writes_every_graph_with_its_triples(published: tuple[RemoteStore, Published], embedded: ox.Store) -> None:
    remote, result = published
    expected = embedded_sizes(embedded)
    assert sum(1 for g in expected if g.startswith(DOCUMENT)) == 5
    assert result.graphs == expected
    assert remote.graph_sizes() == expected
    assert len(remote) == len(embedded)
    assert {g.value for g in remote.named_graphs()} == set(expected)
    assert remote.contains_named_graph("https://budget-kg.org/graph/codes")
    assert not remote.contains_named_graph("https://budget-kg.org/graph/absent")


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_example_queries_answer_as_embedded(example, published: tuple[RemoteStore, Published], embedded: ox.Store) -> None:
    remote, _ = published
    expected = rows(embedded.query(example.query, **QUERY_OPTIONS), example.query)
    got = rows(remote.query(example.query), example.query)
    assert got == expected


def test_the_examples_cover_the_validation_report(published: tuple[RemoteStore, Published], embedded: ox.Store) -> None:
    # Example 09 reads the validation report graph: it must not be trivially empty on either store.
    example = next(e for e in EXAMPLES if "validation" in e.query)
    assert len(list(embedded.query(example.query, **QUERY_OPTIONS))) > 0


def test_construct_and_ask_return_the_embedded_types(published: tuple[RemoteStore, Published], embedded: ox.Store) -> None:
    remote, _ = published
    construct = ("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <https://budget-kg.org/graph/codes> { ?s ?p ?o } }")
    got = remote.query(construct)
    assert isinstance(got, list) and all(isinstance(t, ox.Triple) for t in got)
    assert Counter((value(t.subject), value(t.predicate), value(t.object)) for t in got) == Counter(
        (value(t.subject), value(t.predicate), value(t.object)) for t in embedded.query(construct))  # type: ignore[union-attr]
    ask = "PREFIX bud: <https://budget-kg.org/ontology#> ASK { ?p a bud:Project }"
    assert isinstance(remote.query(ask), ox.QueryBoolean) and bool(remote.query(ask)) is True
    assert bool(remote.query("ASK { <urn:x:none> ?p ?o }")) is False


def test_validation_on_the_remote_store_matches_the_embedded_store(published: tuple[RemoteStore, Published], embedded: ox.Store) -> None:
    from kg.validate.engine import validate_store
    from kg.validate.shapes import load_shapes

    remote, _ = published
    index = load_shapes()
    here, there = validate_store(embedded, index), validate_store(remote, index)  # type: ignore[arg-type]
    assert there.triples == here.triples
    assert there.documents == here.documents
    assert there.results == here.results
    assert len(here.results) > 0


def test_kg_validate_store_writes_the_embedded_report_and_puts_it(published: tuple[RemoteStore, Published], embedded: ox.Store,
                                                                 server, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from kg.cli import main as kg_main
    from kg.validate.command import VALIDATION_GRAPH
    from kg.validate.engine import validate_store
    from kg.validate.render import FILE_NAMES, render
    from kg.validate.shapes import load_shapes

    remote, _ = published
    graph = "https://budget-kg.org/" + VALIDATION_GRAPH
    before = remote.get_graph(graph)
    assert before, "the build's report is published with it"
    expected = validate_store(embedded, load_shapes())
    out = tmp_path / "report"
    try:
        code = kg_main(["validate", "--store", server.url, "--out", str(out), "--format", "json", "--put-report"])
        captured = capsys.readouterr()
        assert code == 1  # the samples have violations
        assert f"validated {server.name} at http://127.0.0.1:" in captured.err and "dba" not in captured.err
        # The same report as the embedded store's, in every format, on stdout and in --out.
        assert captured.out == render(expected, "json")
        for fmt, name in FILE_NAMES.items():
            assert (out / name).read_text(encoding="utf-8") == render(expected, fmt), name
        # And the report graph on the server is the report.
        report = [q.triple for q in ox.parse((out / "report.ttl").read_bytes(), format=ox.RdfFormat.TURTLE)]
        assert Counter(map(_triple_value, remote.get_graph(graph))) == Counter(map(_triple_value, report))
    finally:
        publish_store(embedded, remote)  # the build's report again, and the record that says so
    assert Counter(map(_triple_value, remote.get_graph(graph))) == Counter(map(_triple_value, before))
    # Usage errors: exit 2 before anything is asked of the server.
    assert kg_main(["validate", "--store", server.url, "build"]) == 2
    assert kg_main(["validate", "--store", server.url, "--engine", "pyshacl"]) == 2
    assert kg_main(["validate", "--put-report", str(tmp_path)]) == 2
    assert kg_main(["validate", "--store", "blazegraph+http://127.0.0.1:1"]) == 2


def test_put_replaces_only_that_graph(remote: RemoteStore, embedded: ox.Store) -> None:
    sizes = remote.graph_sizes()
    target = sorted(g for g in sizes if g.startswith(DOCUMENT))[0]
    triples = [q.triple for q in embedded.quads_for_pattern(None, None, None, ox.NamedNode(target))]
    marker = ox.Triple(ox.NamedNode(target), ox.NamedNode("https://budget-kg.org/ontology#note"), ox.Literal("替换测试", language="zh"))
    replacement = triples[:100] + [marker]
    remote.put_graph(target, replacement)
    after = remote.graph_sizes()
    assert after[target] == 101
    assert {g: n for g, n in after.items() if g != target} == {g: n for g, n in sizes.items() if g != target}
    got = remote.get_graph(target)
    assert Counter(map(_triple_value, got)) == Counter(map(_triple_value, replacement))
    # And back: the whole graph again.
    remote.put_graph(target, triples)
    assert remote.graph_sizes() == sizes


def test_delete_drops_one_graph_and_publish_prunes_removed_documents(remote: RemoteStore, embedded: ox.Store) -> None:
    sizes = remote.graph_sizes()
    documents = sorted(g for g in sizes if g.startswith(DOCUMENT))
    gone = documents[-1]
    assert remote.delete_graph(gone) is True
    assert remote.graph_sizes() == {g: n for g, n in sizes.items() if g != gone}
    assert not remote.contains_named_graph(gone)
    assert remote.delete_graph(gone, missing_ok=True) is False
    with pytest.raises(RemoteStoreError, match=r"HTTP 404"):
        remote.delete_graph(gone)
    # A corpus without another document: publishing removes that document's graph from the server.
    removed = documents[0]
    smaller = ox.Store()
    smaller.bulk_extend(q for q in embedded if q.graph_name != ox.NamedNode(removed))
    result = publish_store(smaller, remote)
    assert result.removed == (removed,)
    assert remote.graph_sizes() == {g: n for g, n in sizes.items() if g != removed}


def test_a_put_report_is_neither_sent_again_nor_dropped_by_publishing(remote: RemoteStore, embedded: ox.Store, server) -> None:
    """``kg validate --store --put-report`` records the report in the publication record: a build
    without a report keeps it, and a build with the same report does not send it again."""
    from kg.validate.command import VALIDATION_GRAPH, validate_remote

    graph = "https://budget-kg.org/" + VALIDATION_GRAPH
    publication = "https://budget-kg.org/" + PUBLICATION_GRAPH
    without = ox.Store()
    without.bulk_extend(q for q in embedded if q.graph_name != ox.NamedNode(graph))
    publish_store(embedded, remote)
    try:
        # A build without a report removes the build's earlier one (nothing asked to keep it) …
        assert graph in publish_store(without, remote).removed
        assert not remote.contains_named_graph(graph)
        # … then the report is put from the server's own graphs and recorded as kept.
        validate_remote(server.url, put_report=True)
        put = remote.get_graph(graph)
        assert put and remote.publication_record(publication)[graph][1] is True
        # Publishing the build without a report again: nothing sent, the report stays.
        again = publish_store(without, remote)
        assert (again.graphs, again.removed, again.kept) == ({}, (), (graph,))
        assert Counter(map(_triple_value, remote.get_graph(graph))) == Counter(map(_triple_value, put))
        # A build carrying that same report finds it unchanged.
        same = ox.Store()
        same.bulk_extend(without)
        same.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(graph)) for t in put)
        result = publish_store(same, remote)
        assert result.graphs == {} and graph in result.unchanged and result.kept == ()
        assert remote.publication_record(publication)[graph][1] is False  # the build's graph now
    finally:
        publish_store(embedded, remote)
    assert remote.graph_sizes() == embedded_sizes(embedded)


def test_errors_name_the_server_and_the_status(published: tuple[RemoteStore, Published], server) -> None:
    remote, _ = published
    with pytest.raises(RemoteStoreError) as caught:
        remote.query("SELECT * WHERE { ?s ?p }")
    message = str(caught.value)
    assert server.name in message and "HTTP 400" in message and "127.0.0.1" in message
    assert "dba:dba" not in message


def _triple_value(t: ox.Triple) -> tuple[object, ...]:
    return (value(t.subject), value(t.predicate), value(t.object))


def test_publishing_again_sends_only_what_changed(remote: RemoteStore, embedded: ox.Store) -> None:
    sizes = remote.graph_sizes()
    # The same build, loaded again: nothing is sent.
    again = publish_store(embedded, remote)
    assert again.graphs == {} and again.removed == () and set(again.unchanged) == set(sizes)
    # One document changed: only its graph is sent.
    documents = sorted(g for g in sizes if g.startswith(DOCUMENT))
    target, other = documents[1], documents[2]
    changed = ox.Store()
    changed.bulk_extend(embedded)
    changed.add(ox.Quad(ox.NamedNode(target), ox.NamedNode("https://budget-kg.org/ontology#note"), ox.Literal("修订"), ox.NamedNode(target)))
    result = publish_store(changed, remote)
    assert list(result.graphs) == [target] and len(result.unchanged) == len(sizes) - 1
    assert remote.graph_sizes() == {**sizes, target: sizes[target] + 1}
    # A graph dropped on the server behind the publisher's back is sent again.
    remote.delete_graph(other)
    assert list(publish_store(changed, remote).graphs) == [other]
    # Back to the build (the content of `target` changed, its size too: the fixture would restore
    # it, but say so here).
    assert list(publish_store(embedded, remote).graphs) == [target]
    assert remote.graph_sizes() == sizes


RULE_FIXTURES = sorted((p.parent.name, p.stem) for p in (ROOT / "tests" / "validate" / "data" / "rules").glob("*/*.ttl"))


@pytest.mark.parametrize(("rule", "case"), RULE_FIXTURES, ids=[f"{r}-{c}" for r, c in RULE_FIXTURES])
def test_each_rules_fixtures_validate_as_embedded(rule: str, case: str, published: tuple[RemoteStore, Published], embedded: ox.Store) -> None:
    """Every rule's passing and failing fixture (tests/validate/data/rules/RULE/CASE.ttl), added to
    the samples as a graph of its own: the rule's results on the server are the embedded store's."""
    from kg.validate.engine import validate_store
    from kg.validate.shapes import load_shapes, subset

    remote, _ = published
    graph = f"urn:x-budget-kg-test:rules/{rule}/{case}"
    fixture = ox.Store()
    fixture.load(path=str(ROOT / "tests" / "validate" / "data" / "rules" / rule / f"{case}.ttl"),
                 format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(graph))
    here = ox.Store()
    here.bulk_extend(embedded)
    here.bulk_extend(fixture)
    one = subset(load_shapes(), [rule])
    remote.put_graph(graph, [q.triple for q in fixture])
    try:
        expected, got = validate_store(here, one), validate_store(remote, one)  # type: ignore[arg-type]
    finally:
        remote.delete_graph(graph, missing_ok=True)
    # (A passing fixture may still fire here: next to the samples' full ontology a fixture is not
    # the whole context tests/validate gives it. What matters is the same answer on both stores.)
    if case == "invalid":
        assert any(r.document == graph for r in expected.results), "the failing fixture fails the rule"
    assert got.results == expected.results
