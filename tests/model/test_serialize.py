"""The hand-written writers give valid, canonical N-Quads / TriG / Turtle / JSON-LD for tricky terms."""

from __future__ import annotations

import json
from pathlib import Path

import rdflib
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib.compare import isomorphic

from kg.model.inputs import find_inputs, normalise_facts_json
from kg.model.serialize import canonical_graph, jsonld, nquads, sort_quads, trig, turtle
from kg.model.terms import BUD, RDF_TYPE, XSD, BNode, Lit, to_dataset

G1 = "https://example.org/graph/1"
G2 = "https://example.org/graph/2"
S = "https://example.org/s"

_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=20)
_objects = st.one_of(
    _text.map(Lit),
    _text.map(lambda t: Lit(t, None, "zh")),
    st.decimals(allow_nan=False, allow_infinity=False, places=2).map(lambda d: Lit(format(d, "f"), XSD + "decimal")),
    st.sampled_from([BUD + "Project", "https://example.org/o", BUD + "x-y"]),
)


def _graphs(dataset: rdflib.Dataset) -> dict[str, rdflib.Graph]:
    graphs: dict[str, rdflib.Graph] = {}
    for s, p, o, g in dataset.quads((None, None, None, None)):
        graphs.setdefault(str(g.identifier if isinstance(g, rdflib.Graph) else g), rdflib.Graph()).add((s, p, o))
    return graphs


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([S, S + "/2"]), st.sampled_from([RDF_TYPE, BUD + "text", BUD + "amount"]),
                          _objects, st.sampled_from([G1, G2])), min_size=1, max_size=12))
def test_round_trip_of_arbitrary_literals(quads):
    expected = _graphs(to_dataset(quads))
    for text, fmt in ((nquads(quads), "nquads"), (trig(quads), "trig"), (jsonld(quads), "json-ld")):
        parsed = rdflib.Dataset()
        parsed.parse(data=text, format=fmt)
        actual = _graphs(parsed)
        assert sorted(actual) == sorted(expected), fmt
        for name, graph in expected.items():
            assert isomorphic(actual[name], graph), (fmt, text)
    merged = rdflib.Graph()
    for graph in expected.values():
        merged += graph
    assert isomorphic(rdflib.Graph().parse(data=turtle(quads), format="turtle"), merged)


_prefix_objects = st.one_of(
    _objects,
    st.sampled_from(["a", "a b", "a\tb", "a!", "ab", ""]).flatmap(
        lambda t: st.sampled_from([Lit(t), Lit(t, None, "zh"), Lit(t, None, "zh-cn"), Lit(t, XSD + "string")])),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([S, S + "/2", S + "/2/3", BNode("b1"), BNode("b10")]),
                          st.sampled_from([RDF_TYPE, BUD + "text", BUD + "textA"]), _prefix_objects,
                          st.just(G1)), max_size=15))
def test_one_graph_sorted_by_its_lines_is_in_canonical_order(quads):
    """canonical_graph sorts N-Quads lines: the same order as sort_quads' key tuples, also for
    forms that are prefixes of one another (literals with tags and datatypes, labels, tabs, spaces)."""
    ordered, lines = canonical_graph(quads)
    assert ordered == list(sort_quads(quads).quads)
    assert "".join(lines) == nquads(quads)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([S, S + "/2", BNode("b1")]),
                          st.sampled_from([RDF_TYPE, BUD + "text", BUD + "amount"]),
                          st.one_of(_prefix_objects, st.sampled_from([BNode("b2"), BUD + "Duty"])),
                          st.just(G1)), max_size=15))
def test_one_pass_trig_and_jsonld_equal_the_two_writers(quads):
    """trig_and_jsonld (what kg build writes) gives exactly trig_block's and jsonld_object's texts,
    also for several types, literal or blank-node types and several objects per predicate."""
    from kg.model.dumps import TermForms
    from kg.model.serialize import jsonld_object, subject_groups, trig_and_jsonld, trig_block

    ordered, _ = canonical_graph(quads)
    groups = subject_groups(ordered)
    forms = TermForms()
    assert trig_and_jsonld(G1, groups, forms.ttl, forms.jsonld) == (
        trig_block(G1, ordered), jsonld_object(G1, ordered, TermForms().jsonld))


def test_output_is_independent_of_input_order_and_duplicates():
    quads = [(S, BUD + "text", Lit('a "quoted"\nline\\', None, "zh"), G1), (BNode("b1"), RDF_TYPE, BUD + "Duty", G2),
             (S, RDF_TYPE, BUD + "Project", G1)]
    assert nquads(quads) == nquads([*reversed(quads), quads[0]])
    assert trig(quads) == trig(list(reversed(quads)))
    assert jsonld(quads) == jsonld(list(reversed(quads)))
    assert len(sort_quads([*quads, *quads])) == 3
    assert nquads(quads).count("\n") == 3
    json.loads(jsonld(quads))


def test_gold_spending_plan_dict_is_read_and_directories_prefer_facts(tmp_path: Path):
    data = normalise_facts_json({"document": "x.txt", "projects": [{"name": "p", "spending_plan": {"10月底": 80}}]})
    assert data["projects"][0]["spending_plan"] == [{"period": "10月底", "share": 80}]
    (tmp_path / "a.json").write_text("{}", encoding="utf-8")
    (tmp_path / "README.md").write_text("x", encoding="utf-8")
    assert find_inputs([tmp_path]) == [tmp_path / "a.json"]
    (tmp_path / "a.json").unlink()
    assert find_inputs([tmp_path]) == [tmp_path / "README.md"]


def test_graph_texts_equal_the_whole_dataset_writers(gold_quads):
    """Per-graph texts (what kg build writes) concatenate to the writers' output on all quads at once;
    the grouped CSV and VoID readers equal the readers of plain quads."""
    from kg.model.dumps import TermForms, graph_text, graphs_of
    from kg.model.serialize import JSONLD_TAIL, iter_jsonld, iter_trig, jsonld_head, subject_groups, trig_head
    from kg.model.tabular import group_line_parts, line_parts
    from kg.model.void import VoidStats

    forms = TermForms()
    texts = sorted((graph_text(g, q, forms) for g, q in graphs_of([*gold_quads, *gold_quads[:50]]).items()),
                   key=lambda t: t.key)
    assert b"".join(t.nquads for t in texts).decode() == nquads(gold_quads)
    assert (trig_head() + "\n".join(t.trig.decode() for t in texts)) == "".join(iter_trig(gold_quads))
    assert (jsonld_head() + "".join(("\n" if i == 0 else ",\n") + t.jsonld.decode() for i, t in enumerate(texts))
            + JSONLD_TAIL) == "".join(iter_jsonld(gold_quads))
    stats = VoidStats()
    for t in texts:
        stats.merge(t.stats)
    whole = VoidStats.of(gold_quads)
    assert (stats.triples, stats.subjects, stats.objects, stats.properties, stats.per_graph, dict(stats.classes)) \
        == (whole.triples, whole.subjects, whole.objects, whole.properties, whole.per_graph, dict(whole.classes))
    assert len(stats.subjects) == len({q[0] for q in gold_quads})  # N-Triples forms count the terms
    assert len(stats.objects) == len({q[2] for q in gold_quads})
    for graph, quads in graphs_of(gold_quads).items():
        ordered = list(sort_quads(quads).quads)
        assert group_line_parts(graph, ordered, subject_groups(ordered)) == line_parts(ordered), graph
    assert any(t.lines[0] for t in texts)  # the documents have budget lines


def _table_by_merging(parts):
    from kg.model.tabular import lines_csv, merge_line_parts, rows_of

    merged = ({}, {})
    for part in parts:
        merge_line_parts(merged, part)
    rows = rows_of(merged)
    return lines_csv(rows), len(rows)


def test_lines_table_graph_by_graph_equals_merging_all_graphs(gold_quads):
    """budget_lines.csv made graph by graph equals the rows of all graphs merged: on the gold graphs,
    and where a line or a table title is spoken of by two graphs (then the graphs are merged)."""
    from kg.model.dumps import graphs_of
    from kg.model.tabular import LinesTable, line_parts

    parts = [line_parts(q) for _, q in sorted(graphs_of(gold_quads).items())]
    assert sum(len(p[0]) for p in parts) > 100

    def check(parts):
        table = LinesTable()
        for part in parts:
            table.add(part)
        assert table.csv() == _table_by_merging(parts)
        return table

    assert check(parts)._final()  # each line in one graph: rows made graph by graph
    documents = [p for p in parts if p[0]]
    line, row = next(iter(documents[0][0].items()))
    moved = ({line: {**row, "amount": "1.00", "lines": [7]}}, {})  # the line again, in a later graph
    assert not check([*parts, moved])._final()
    retitled = ({}, {row["table"]: "another title"})  # its table's title, from a later graph
    assert not check([*parts, retitled])._final()
    assert check([*parts, ({}, {row["table"]: documents[0][1][row["table"]]})])._final()  # the same title
    assert check([])._final() and check([]).csv()[1] == 0


def test_void_stats_come_back_from_json(gold_quads):
    import json

    from kg.model.void import VoidStats

    stats = VoidStats.of(gold_quads)
    back = VoidStats.from_json(json.loads(json.dumps(stats.to_json())))
    assert back == stats and back.subjects and dict(back.classes) == dict(stats.classes)
    assert VoidStats.from_json(VoidStats().to_json()) == VoidStats()


def test_graph_quads_canonicalise_blank_nodes_as_rdflib_does_on_the_whole_graph(tmp_path: Path):
    """graph_quads hands rdflib's canonicalisation only the triples holding a blank node: the labels
    are those of the whole graph's canonicalisation (the ontology, and nested, listed, alike blank nodes)."""
    from rdflib.compare import to_canonical_graph

    from kg.model.mapping import ONTOLOGY_FILE
    from kg.model.terms import from_rdflib, graph_quads

    odd = tmp_path / "odd.ttl"
    odd.write_text('@prefix ex: <https://example.org/> .\n'
                   'ex:s ex:p "a", "a"@zh, 1 ; ex:q [ ex:r [ ex:t 1 ] ], [ ex:r 2 ], [ ex:r 2 ], ex:o ; ex:u ( 1 2 ) .\n'
                   '[] ex:p ex:s . [ ex:p [] ] ex:q "x" .\n', encoding="utf-8")
    for path in (ONTOLOGY_FILE, odd):
        parsed = rdflib.Graph().parse(path, format="turtle")
        whole = {(from_rdflib(s), str(p), from_rdflib(o), G1) for s, p, o in to_canonical_graph(parsed)}
        quads = graph_quads(parsed, G1)
        assert len(quads) == len(parsed) and set(quads) == whole, path
        assert any(isinstance(q[0], BNode) for q in quads), path


def test_turtle_file_quads_equal_rdflib_parsing(tmp_path: Path):
    """turtle_file_quads (pyoxigraph's parser) gives graph_quads of rdflib's parse: the project's Turtle
    files (the ontology has blank nodes) and every literal form, with rdflib's normal forms of typed
    literals and its canonical blank-node labels; a capitalised language tag goes to rdflib."""
    from kg.analyze.rdf import LINKS_TERMS_PATH, TAXONOMY_PATH
    from kg.model.mapping import ONTOLOGY_FILE
    from kg.model.terms import graph_quads, turtle_file_quads

    odd = tmp_path / "odd.ttl"
    text = ('@prefix ex: <https://example.org/> .\n@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n'
            'ex:s ex:p "a", "a"@zh, "b"@en-gb, "c"^^xsd:string, 1, 01, "02"^^xsd:integer, 1.50, 2e3, true,\n'
            '  "2021"^^xsd:gYear, """x\n\\"y" """, \'q\'@zh-hans ;\n'
            '  ex:q [ ex:r [ ex:t 1 ] ], [ ex:r 2 ], ex:o ; ex:u ( 1 2 ) .\nex:s ex:p "a" .\n')
    capitalised = tmp_path / "capitalised.ttl"
    capitalised.write_text(text.replace("en-gb", "en-GB"), encoding="utf-8")
    odd.write_text(text, encoding="utf-8")
    for path in (ONTOLOGY_FILE, TAXONOMY_PATH, LINKS_TERMS_PATH, odd, capitalised):
        quads = turtle_file_quads(path, G1)
        expected = graph_quads(rdflib.Graph().parse(path, format="turtle"), G1)
        assert len(quads) == len(set(quads)) == len(expected) and set(quads) == set(expected), path
    assert Lit("2000.0", XSD + "double") in {q[2] for q in turtle_file_quads(odd, G1)}
    assert Lit("b", None, "en-GB") in {q[2] for q in turtle_file_quads(capitalised, G1)}
