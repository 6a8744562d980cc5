"""Regression (issue 8): the per-bureau analysis read every document's edges of shared code nodes,
findings and links once per bureau, so its cost grew with documents² (≈ 270 s of a 5,000-document
build). Each bureau must now read only its own share, and the results must not change."""

from dataclasses import replace

import pytest

import kg.analyze.metrics as metrics
from kg.analyze.graph import build_graph, edges_of
from kg.analyze.links import compute_links
from kg.analyze.metrics import analyze, by_document, code_area_edges
from kg.analyze.report import analysis_json
from kg.analyze.taxonomy import load_taxonomy


@pytest.fixture(scope="module")
def corpus(gold_facts):
    """The gold documents four times under new names: every function code is shared by 4× more documents."""
    copies = [replace(f, document=f"{f.document}#{n}") for n in range(4) for f in gold_facts]
    result = compute_links(copies)
    return copies, result


def test_code_area_edges_are_each_documents_own_edges_in_edges_of_order(corpus):
    facts, result = corpus
    graph = build_graph(facts, result.links, load_taxonomy())
    index = code_area_edges(graph)
    codes = [n for n, a in graph.nodes.items() if a.get("kind") == "code"]
    assert codes and index
    for node in codes:
        for f in facts:
            expected = [e for e in edges_of(graph, node, "in-area") if e[1].get("document") == f.document]
            assert index.get((node, f.document), []) == expected


def test_by_document_keeps_order_within_a_document(corpus):
    _, result = corpus
    groups = by_document(result.links)
    assert sum(map(len, groups.values())) == len(result.links)
    for doc, links in groups.items():
        assert links == [lk for lk in result.links if lk.document == doc]


def test_shared_code_nodes_are_read_once_per_analysis_not_once_per_bureau(corpus, monkeypatch):
    facts, result = corpus
    reads: dict[str, int] = {}
    real = metrics.edges_of

    def counting(graph, node, kind):
        if node.startswith("code|"):
            reads[node] = reads.get(node, 0) + 1
        return real(graph, node, kind)

    monkeypatch.setattr(metrics, "edges_of", counting)
    analyze(facts, result)
    assert reads and max(reads.values()) == 1


def test_each_bureau_gets_only_its_own_findings_and_links(corpus):
    facts, result = corpus
    report = analyze(facts, result)
    summary = analysis_json(report, result)
    for b, entry in zip(report.bureaus, summary["bureaus"]):
        assert all(f.document == b.document for f in b.projects_without_duty)
        assert len(b.projects_without_duty) == sum(f.document == b.document for f in result.findings)
        assert len(entry["links"]) == sum(lk.document == b.document for lk in result.links)
