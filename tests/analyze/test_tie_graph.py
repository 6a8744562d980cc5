"""The analysis graph (kg.analyze.graph.TieGraph): the edge order and attributes the metrics read."""

from kg.analyze.graph import TieGraph, edges_of, in_edges_of


def test_nodes_added_by_edges_and_updated_by_add_node() -> None:
    graph = TieGraph()
    graph.add_edge("a", "b", kind="x")
    assert graph.nodes == {"a": {}, "b": {}}
    graph.add_node("b", label="B")
    graph.add_node("b", slug="s")
    assert graph.nodes["b"] == {"label": "B", "slug": "s"}
    assert graph.number_of_nodes() == 2


def test_parallel_edges_kept_and_sorted_by_neighbour_then_insertion() -> None:
    graph = TieGraph()
    graph.add_edge("p", "z", kind="in-area", weight=1)
    graph.add_edge("p", "a", kind="in-area", weight=2)
    graph.add_edge("p", "z", kind="in-area", weight=3)
    graph.add_edge("p", "m", kind="funded-by")
    graph.add_edge("q", "a", kind="in-area", weight=4)
    assert graph.number_of_edges() == 5
    assert [(v, d["weight"]) for v, d in edges_of(graph, "p", "in-area")] == [("a", 2), ("z", 1), ("z", 3)]
    assert [v for v, _ in edges_of(graph, "p", "funded-by")] == ["m"]
    assert [(u, d["weight"]) for u, d in in_edges_of(graph, "a", "in-area")] == [("p", 2), ("q", 4)]
    assert edges_of(graph, "nowhere", "in-area") == [] and in_edges_of(graph, "p", "serves") == []
