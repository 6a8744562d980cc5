"""The build's fast paths give what the plain ones give: memoised classification, triples made as
plain terms (:mod:`kg.model.terms`) instead of an rdflib ``Graph``."""

from __future__ import annotations

from kg.analyze import read_overrides, run_analysis
from kg.analyze.classify import classify, classify_text
from kg.analyze.links import project_text
from kg.analyze.pipeline import analysis_quads
from kg.analyze.rdf import analysis_to_graph, links_to_graph, terms_graph
from kg.analyze.taxonomy import load_taxonomy
from kg.model.iris import DEFAULT_BASE, Iris
from kg.model.terms import Lit, graph_quads


def test_classify_memo_equals_classify_text(gold_facts):
    taxonomy = load_taxonomy()
    texts = [d.text for f in gold_facts for d in f.duties] + [project_text(p) for f in gold_facts for p in f.projects]
    for text in texts:
        assert classify(text, taxonomy) == classify_text(text, taxonomy)
        assert classify(text, taxonomy) is classify(text, taxonomy)


def test_analysis_quads_equal_the_rdflib_graphs(gold_facts):
    output = run_analysis(gold_facts, DEFAULT_BASE, read_overrides())
    iris = Iris(DEFAULT_BASE)
    expected = []
    for name, graph in (("links", links_to_graph(gold_facts, output.result, DEFAULT_BASE)),
                        ("analysis", analysis_to_graph(gold_facts, output.report, DEFAULT_BASE)),
                        ("duty-areas", terms_graph())):
        expected.extend(graph_quads(graph, iris.graph(name)))
    assert set(analysis_quads(gold_facts, output, DEFAULT_BASE)) == set(expected)
    kinds = {(o.datatype or "").rsplit("#", 1)[-1] or o.language for _, _, o, _ in expected if isinstance(o, Lit)}
    assert {"boolean", "integer", "decimal", "zh", "en", None} <= kinds  # every kind of literal made


def test_analysis_iris_kept_per_document_equal_those_made_afresh(gold_facts):
    """AnalysisIris keeps each document's keys (by identity): asked again, or for another document
    with equal or different facts, it gives what a fresh AnalysisIris gives."""
    from dataclasses import replace

    from kg.analyze.iris import AnalysisIris

    ids = AnalysisIris()
    twins = [replace(f) for f in gold_facts]  # equal facts, other objects
    renamed = [replace(f, bureau=(f.bureau or "") + "甲", year=(f.year or 2000) + 1) for f in gold_facts]
    for _ in range(2):
        for facts in [*gold_facts, *twins, *renamed]:
            fresh = AnalysisIris()
            assert ids.budget(facts) == fresh.budget(facts)
            assert ids.projects(facts) == fresh.projects(facts)
            for index in range(len(facts.projects)):
                assert ids.project(facts, index) == fresh.project(facts, index)
            for duty in facts.duties:
                assert ids.duty(facts, duty.ordinal) == fresh.duty(facts, duty.ordinal)
    a, b = gold_facts[0], renamed[0]
    assert ids.similarity(a, b) == AnalysisIris().similarity(a, b)
    assert ids.budget(a) != ids.budget(b)
