"""The description of one resource for dereferencing (pure functions over a store).

A description holds the resource's own triples (following blank nodes a few levels), the triples of
its hash-IRI parts (``<doc#x>`` for ``<doc>``), the labels of everything it links to, and up to
``max_inverse`` inverse links with their subjects' labels. Triples in several graphs appear once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import pyoxigraph as ox

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABELS = (
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://purl.org/dc/terms/title",
    "http://www.w3.org/2004/02/skos/core#notation",
)
_LABEL_NODES = tuple(ox.NamedNode(p) for p in LABELS)
_BNODE_DEPTH = 4


@dataclass
class Description:
    iri: str
    triples: list[ox.Triple] = field(default_factory=list)
    """Everything served as RDF, de-duplicated, in a stable order."""
    outgoing: list[ox.Triple] = field(default_factory=list)
    """The resource's own triples (and those of its hash parts)."""
    incoming: list[ox.Triple] = field(default_factory=list)
    """Triples pointing at the resource (at most ``max_inverse``)."""
    inverse_truncated: bool = False
    labels: dict[str, list[ox.Literal]] = field(default_factory=dict)
    """Labels by IRI, for the resource and its neighbours."""

    @property
    def found(self) -> bool:
        return bool(self.outgoing or self.incoming)


def _triples(store: ox.Store, subject: ox.NamedNode | ox.BlankNode | None, predicate: ox.NamedNode | None, obj: object | None, limit: int | None = None) -> list[ox.Triple]:
    seen: dict[tuple, ox.Triple] = {}
    quads = store.quads_for_pattern(subject, predicate, obj, None)  # type: ignore[arg-type]
    for quad in quads:
        triple = ox.Triple(quad.subject, quad.predicate, quad.object)
        seen.setdefault((str(triple.subject), str(triple.predicate), str(triple.object)), triple)
        if limit is not None and len(seen) > limit:
            break
    return list(seen.values())


def _labels(store: ox.Store, node: ox.NamedNode) -> list[ox.Triple]:
    out: list[ox.Triple] = []
    for predicate in _LABEL_NODES:
        out.extend(_triples(store, node, predicate, None, limit=8)[:8])
    return out


def describe(store: ox.Store, iri: str, hash_parts: list[str] | tuple[str, ...] = (), max_inverse: int = 500) -> Description:
    """The description of ``iri``; ``hash_parts`` are IRIs ``iri#…`` to include with it."""
    node = ox.NamedNode(iri)
    desc = Description(iri)
    outgoing = _triples(store, node, None, None)
    for part in hash_parts:
        outgoing.extend(_triples(store, ox.NamedNode(part), None, None))
    # Follow blank nodes so structured values (provenance, quantities) come along.
    frontier = [t.object for t in outgoing if isinstance(t.object, ox.BlankNode)]
    seen_bnodes: set[str] = set()
    for _ in range(_BNODE_DEPTH):
        next_frontier = []
        for bnode in frontier:
            if bnode.value in seen_bnodes:
                continue
            seen_bnodes.add(bnode.value)
            found = _triples(store, bnode, None, None)
            outgoing.extend(found)
            next_frontier.extend(t.object for t in found if isinstance(t.object, ox.BlankNode))
        frontier = next_frontier
    desc.outgoing = outgoing
    incoming = _triples(store, None, None, node, limit=max_inverse)
    desc.inverse_truncated = len(incoming) > max_inverse
    desc.incoming = incoming[:max_inverse]

    neighbours: dict[str, ox.NamedNode] = {}
    for triple in outgoing:
        for term in (triple.predicate, triple.object):
            if isinstance(term, ox.NamedNode) and term.value != iri:
                neighbours[term.value] = term
    for triple in desc.incoming:
        for term in (triple.subject, triple.predicate):
            if isinstance(term, ox.NamedNode) and term.value != iri:
                neighbours[term.value] = term
    label_triples = [t for n in neighbours.values() for t in _labels(store, n)]
    for triple in outgoing + label_triples:
        if triple.predicate.value in LABELS and isinstance(triple.object, ox.Literal) and isinstance(triple.subject, ox.NamedNode):
            desc.labels.setdefault(triple.subject.value, []).append(triple.object)

    unique: dict[str, ox.Triple] = {}
    for triple in outgoing + label_triples + desc.incoming:
        unique.setdefault(str(triple), triple)
    desc.triples = list(unique.values())
    return desc


def best_label(labels: list[ox.Literal] | None, language: str = "zh") -> str | None:
    """A label in ``language`` if there is one, else one without language, else any."""
    if not labels:
        return None
    for wanted in (language, "", None):
        for literal in labels:
            if wanted is None or (literal.language or "").split("-")[0] == wanted:
                return literal.value
    return labels[0].value


def hash_index(store: ox.Store, base: str) -> dict[str, list[str]]:
    """For each IRI ``<base…>`` with hash subjects ``<base…#x>``, those subjects (computed once at start-up)."""
    if any(c in base for c in '"\\<>\n'):
        raise ValueError(f"unusable base IRI {base!r}")
    query = f"SELECT DISTINCT ?s {{ ?s ?p ?o FILTER(isIRI(?s) && STRSTARTS(STR(?s), \"{base}\") && CONTAINS(STR(?s), '#')) }}"
    index: dict[str, list[str]] = {}
    solutions = store.query(query, use_default_graph_as_union=True)
    for (subject,) in solutions:  # type: ignore[misc]
        doc = subject.value.partition("#")[0]
        index.setdefault(doc, []).append(subject.value)
    return {doc: sorted(parts) for doc, parts in index.items()}
