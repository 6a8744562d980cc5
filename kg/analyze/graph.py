"""The bureau–duty–project–indicator–function-code–area graph, built from facts and links.

Node ids are strings: ``bureau|DOC``, ``duty|DOC|ORDINAL``, ``project|DOC|INDEX``,
``indicator|DOC|INDEX|K``, ``code|CODE``, ``area|SLUG``; every node has ``kind`` and ``label``.
Edge kinds: ``has-duty``, ``has-project`` (bureau →), ``serves`` (project → duty, with ``score``),
``has-indicator`` (project →), ``funded-by`` (project → code), ``in-area`` (duty, project or code →
area, with ``weight`` = matched terms and, for codes, ``amount``).

The graph is a small directed multigraph of dicts (:class:`TieGraph`): the analysis only adds nodes
and edges and reads a node's in- and out-edges, and networkx cost more to import (≈ 0.1 s CPU per
build) than the whole analysis spends in the graph (docs/model.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from operator import itemgetter
from typing import Any

from kg.analyze.classify import classify
from kg.analyze.links import DutyLink, project_text
from kg.analyze.taxonomy import Taxonomy
from kg.extract.facts import DocumentFacts, FunctionLine


def bureau_node(document: str) -> str:
    return f"bureau|{document}"


def duty_node(document: str, ordinal: int) -> str:
    return f"duty|{document}|{ordinal}"


def project_node(document: str, index: int) -> str:
    return f"project|{document}|{index}"


def code_node(code: str) -> str:
    return f"code|{code}"


def area_node(slug: str) -> str:
    return f"area|{slug}"


def leaf_function_lines(facts: DocumentFacts) -> list[FunctionLine]:
    """One line per function code (first table that lists it), keeping only codes with no child listed.

    Leaves partition the spending, so their amounts can be summed by area without double counting.
    """
    first: dict[str, FunctionLine] = {}
    for line in facts.function_lines:
        first.setdefault(line.code, line)
    codes = set(first)
    return [line for code, line in sorted(first.items())
            if not any(other != code and other.startswith(code) for other in codes)]


Edge = tuple[str, dict[str, Any]]


class TieGraph:
    """A directed multigraph: ``nodes`` maps a node to its attributes; edges keep their insertion
    order per node (as networkx's ``MultiDiGraph`` iterates edges to one neighbour)."""

    def __init__(self) -> None:
        self.nodes: dict[str, dict[str, Any]] = {}
        self._out: dict[str, list[Edge]] = {}
        self._in: dict[str, list[Edge]] = {}
        self._edges = 0

    def add_node(self, node: str, **attrs: Any) -> None:
        """Add ``node`` or update its attributes."""
        data = self.nodes.get(node)
        if data is None:
            self.nodes[node] = attrs
        else:
            data.update(attrs)

    def add_edge(self, source: str, target: str, **attrs: Any) -> None:
        """Add an edge (parallel edges kept), and its end nodes if they are new."""
        for node in (source, target):
            if node not in self.nodes:
                self.nodes[node] = {}
        self._out.setdefault(source, []).append((target, attrs))
        self._in.setdefault(target, []).append((source, attrs))
        self._edges += 1

    def out_edges(self, node: str) -> list[Edge]:
        """(target, data) of the edges from ``node``, in the order they were added."""
        return self._out.get(node, [])

    def in_edges(self, node: str) -> list[Edge]:
        """(source, data) of the edges into ``node``, in the order they were added."""
        return self._in.get(node, [])

    def number_of_nodes(self) -> int:
        return len(self.nodes)

    def number_of_edges(self) -> int:
        return self._edges


def build_graph(facts_list: Sequence[DocumentFacts], links: Sequence[DutyLink], taxonomy: Taxonomy) -> TieGraph:
    """The tie graph of the documents."""
    graph = TieGraph()
    for area in taxonomy.areas:
        graph.add_node(area_node(area.slug), kind="area", label=area.label_zh, slug=area.slug)
    for facts in facts_list:
        doc = facts.document
        bureau = bureau_node(doc)
        graph.add_node(bureau, kind="bureau", label=facts.bureau or doc, document=doc)
        for duty in facts.duties:
            node = duty_node(doc, duty.ordinal)
            graph.add_node(node, kind="duty", label=duty.text, document=doc, ordinal=duty.ordinal)
            graph.add_edge(bureau, node, kind="has-duty")
            for hit in classify(duty.text, taxonomy):
                graph.add_edge(node, area_node(hit.area.slug), kind="in-area", weight=max(hit.strength, 1))
        for index, project in enumerate(facts.projects):
            node = project_node(doc, index)
            graph.add_node(node, kind="project", label=project.name, document=doc, index=index,
                           amount=project.amount, unit=facts.unit)
            graph.add_edge(bureau, node, kind="has-project")
            for hit in classify(project_text(project), taxonomy):
                graph.add_edge(node, area_node(hit.area.slug), kind="in-area", weight=max(hit.strength, 1))
            for k, indicator in enumerate(project.indicators):
                ind = f"indicator|{doc}|{index}|{k}"
                graph.add_node(ind, kind="indicator", label=indicator.level3 or "", level1=indicator.level1 or "",
                               document=doc)
                graph.add_edge(node, ind, kind="has-indicator")
            for code in project.function_codes:
                graph.add_node(code_node(code), kind="code", label=code)
                graph.add_edge(node, code_node(code), kind="funded-by")
        for line in leaf_function_lines(facts):
            cnode = code_node(line.code)
            graph.add_node(cnode, kind="code", label=line.code)
            graph.nodes[cnode].setdefault("names", set()).add(line.name)
            hits = classify(line.name, taxonomy)
            amount = line.total if line.total is not None else None
            strengths = sum(max(h.strength, 1) for h in hits)
            for hit in hits:
                share = split(amount, max(hit.strength, 1), strengths)
                graph.add_edge(cnode, area_node(hit.area.slug), kind="in-area", weight=max(hit.strength, 1),
                               amount=share, document=doc, unit=facts.unit)
    for link in links:
        graph.add_edge(project_node(link.document, link.project_index), duty_node(link.document, link.duty),
                       kind="serves", score=link.score)
    return graph


def edges_of(graph: TieGraph, node: str, kind: str) -> list[Edge]:
    """(target, data) of the out-edges of ``node`` of the given kind, sorted by target (edges to one
    target in the order they were added)."""
    return sorted([e for e in graph.out_edges(node) if e[1]["kind"] == kind], key=itemgetter(0))


def in_edges_of(graph: TieGraph, node: str, kind: str) -> list[Edge]:
    return sorted([e for e in graph.in_edges(node) if e[1]["kind"] == kind], key=itemgetter(0))


def split(amount: Decimal | None, weight: int, total: int) -> Decimal | None:
    """``amount × weight / total`` (None when the amount is unknown)."""
    return None if amount is None or not total else amount * weight / total
