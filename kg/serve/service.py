"""SPARQL 1.1 Service Description (with VoID statistics) of the endpoint (pure)."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
FORMATS = "http://www.w3.org/ns/formats/"
RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD", "RDF_XML")
#: Named graphs listed one by one in the description; beyond this only their number is given.
MAX_LISTED_GRAPHS = 1000


def _sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(SD + name)


def _void(name: str) -> ox.NamedNode:
    return ox.NamedNode(VOID + name)


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))


def service_description(endpoint: str, graphs: dict[str, int], total_triples: int, void: Iterable[ox.Triple] = ()) -> list[ox.Triple]:
    """``sd:Service`` for ``endpoint``: languages, result formats, the union default graph, named graphs.

    ``graphs`` maps each named graph to its triple count; ``void`` (the build's VoID) is appended.
    """
    service = ox.NamedNode(endpoint)
    dataset, default = ox.BlankNode("dataset"), ox.BlankNode("defaultGraph")
    out = [
        ox.Triple(service, RDF_TYPE, _sd("Service")),
        ox.Triple(service, _sd("endpoint"), service),
        ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        ox.Triple(service, _sd("feature"), _sd("UnionDefaultGraph")),
        ox.Triple(service, _sd("defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, _sd("Dataset")),
        ox.Triple(dataset, _sd("defaultGraph"), default),
        ox.Triple(default, RDF_TYPE, _sd("Graph")),
        ox.Triple(default, _void("triples"), _int(total_triples)),
        ox.Triple(dataset, _void("triples"), _int(total_triples)),
    ]
    out.extend(ox.Triple(service, _sd("resultFormat"), ox.NamedNode(FORMATS + f)) for f in RESULT_FORMATS)
    for index, (name, count) in enumerate(sorted(graphs.items())[:MAX_LISTED_GRAPHS]):
        node, graph = ox.BlankNode(f"ng{index}"), ox.BlankNode(f"g{index}")
        out += [
            ox.Triple(dataset, _sd("namedGraph"), node),
            ox.Triple(node, RDF_TYPE, _sd("NamedGraph")),
            ox.Triple(node, _sd("name"), ox.NamedNode(name)),
            ox.Triple(node, _sd("graph"), graph),
            ox.Triple(graph, RDF_TYPE, _sd("Graph")),
            ox.Triple(graph, _void("triples"), _int(count)),
        ]
    out.extend(void)
    return out
