"""Test helpers for the site: the reference description of a resource, HTML normalisation."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import to_isomorphic
from rdflib.term import BNode

from kg.site.graph import LABEL_PROPERTIES, NOTATION

LABELS = {URIRef(p) for p in (*LABEL_PROPERTIES, NOTATION)}


def union_graph(trig_or_nq: str, fmt: str) -> Graph:
    ds = Dataset()
    ds.parse(data=trig_or_nq, format=fmt)
    g = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def reference_description(g: Graph, iri: str) -> Graph:
    """Written independently of kg.site.graph with rdflib: the CBD of the resource (its triples and
    the blank nodes they reach), the triples whose object it is (IRI subjects), and the labels
    and notations of the IRIs on either side."""
    node = URIRef(iri)
    out = Graph()
    for t in g.cbd(node):
        out.add(t)
    for s, p in g.subject_predicates(node):
        if isinstance(s, URIRef):
            out.add((s, p, node))
    neighbours = {o for _, _, o in out if isinstance(o, URIRef)} | {s for s, _, _ in out if isinstance(s, URIRef)}
    neighbours.discard(node)
    for n in neighbours:
        for p, o in g.predicate_objects(n):
            if p in LABELS:
                out.add((n, p, o))
    return out


def same_graph(a: Graph, b: Graph) -> tuple[bool, str]:
    ia, ib = to_isomorphic(a), to_isomorphic(b)
    if ia == ib:
        return True, ""
    only_a = sorted(str(t) for t in (ia - ib))
    only_b = sorted(str(t) for t in (ib - ia))
    return False, f"only in first: {only_a[:10]}\nonly in second: {only_b[:10]}"


def has_bnodes(g: Graph) -> bool:
    return any(isinstance(x, BNode) for t in g for x in t)


def normalise_html(html: str, keep: str = "main") -> str:
    """The ``<main>`` of a page as one tag per line, whitespace collapsed, for golden comparison."""
    soup = BeautifulSoup(html, "html.parser")
    part = soup.find(keep) or soup
    text = part.prettify()
    lines = (re.sub(r"\s+", " ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line) + "\n"
