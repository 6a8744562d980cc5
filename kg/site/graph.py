"""The graph the site is built from: a pyoxigraph store and an in-memory index of it.

:func:`load_build` is the only function here that reads files (a build directory → store).
:class:`SiteGraph` indexes every triple once (outgoing and incoming links, labels, types, the
document graphs each resource appears in) so that page contexts are built without a query per
page; aggregate sections (charts, tables across resources) use batched SPARQL on the store
(:meth:`SiteGraph.select`).
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from markupsafe import escape

from kg.errors import UsageError

DEFAULT_BASE = "https://budget-kg.org/"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
QB = "http://purl.org/linked-data/cube#"
ORG = "http://www.w3.org/ns/org#"
FOAF = "http://xmlns.com/foaf/0.1/"
SCHEMA = "https://schema.org/"
BUD = "https://budget-kg.org/ontology#"

RDF_TYPE = RDF + "type"

#: Prefixes for compact display and for the Turtle twins.
PREFIXES = {
    "bud": BUD, "rdf": RDF, "rdfs": RDFS, "owl": OWL, "xsd": XSD, "skos": SKOS, "dcterms": DCTERMS,
    "prov": PROV, "void": VOID, "dcat": DCAT, "qb": QB, "org": ORG, "foaf": FOAF, "schema": SCHEMA,
}

#: Properties that name a resource, best first.
LABEL_PROPERTIES = (SKOS + "prefLabel", RDFS + "label", DCTERMS + "title", FOAF + "name",
                    SCHEMA + "name", SKOS + "altLabel")
NOTATION = SKOS + "notation"

#: Properties naming the row of a budget line, for lines without a label.
LINE_KEY_PROPERTIES = (BUD + "functionCode", BUD + "economicCode", BUD + "classification", BUD + "category")

#: Files of a build directory loaded beside ``dataset.nq``, each into a graph of its own.
BUILD_FILES = ("ontology.ttl", "codes.ttl", "void.ttl")
#: TriG files of a build directory whose named graphs are loaded as they are (``kg analyze``).
BUILD_DATASETS = ("analysis.trig",)

Term = ox.NamedNode | ox.BlankNode | ox.Literal


def load_build(build_dir: Path, extra: Iterable[Path] = ()) -> ox.Store:
    """An in-memory store with ``dataset.nq`` (its named graphs kept) and the build's other graphs."""
    dataset = build_dir / "dataset.nq"
    if not dataset.is_file():
        raise UsageError(f"{dataset} not found: run `kg build` first (or pass the build directory)")
    store = ox.Store()
    store.bulk_load(path=str(dataset), format=ox.RdfFormat.N_QUADS)
    for name in BUILD_FILES:
        path = build_dir / name
        if path.is_file():
            store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE,
                            to_graph=ox.NamedNode(path.resolve().as_uri()))
    for name in BUILD_DATASETS:
        path = build_dir / name
        if path.is_file():
            store.bulk_load(path=str(path), format=ox.RdfFormat.TRIG)
    for path in extra:
        fmt = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
        if fmt is None:
            raise UsageError(f"{path}: unknown RDF format")
        kwargs = {} if fmt.supports_datasets else {"to_graph": ox.NamedNode(path.resolve().as_uri())}
        store.bulk_load(path=str(path), format=fmt, **kwargs)
    return store


def store_from_text(text: str, fmt: ox.RdfFormat = ox.RdfFormat.TRIG) -> ox.Store:
    """A store holding an RDF text (tests and small inputs)."""
    store = ox.Store()
    store.load(text, format=fmt)
    return store


@dataclass(frozen=True)
class Label:
    """A resource's name in Chinese and English (either may repeat the other when only one exists)."""

    zh: str
    en: str

    @property
    def text(self) -> str:
        return self.zh if self.zh == self.en else f"{self.zh} / {self.en}"

    def __html__(self) -> str:
        """Both languages as ``<span class="l zh">…</span><span class="l en">…</span>`` (the
        language switch hides one); a label without English is document data, shown as it is."""
        if self.en and self.en != self.zh:
            return (f'<span class="l zh" lang="zh-Hans">{escape(self.zh)}</span>'
                    f'<span class="l en" lang="en">{escape(self.en)}</span>')
        return f'<span class="data">{escape(self.zh)}</span>'


def local_name(iri: str) -> str:
    """The last part of an IRI (after ``#`` or ``/``), or the whole IRI when that part is empty."""
    for sep in ("#", "/"):
        if sep in iri.rstrip("/#"):
            return iri.rstrip("/#").rsplit(sep, 1)[1] or iri
    return iri


@lru_cache(maxsize=65536)
def compact(iri: str) -> str:
    """``bud:Project`` for a known namespace, else the IRI."""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            rest = iri[len(ns):]
            if "/" not in rest and "#" not in rest:
                return f"{prefix}:{rest}"
    return iri


class SiteGraph:
    """Every triple of a store, indexed by subject and by object, deduplicated across graphs."""

    def __init__(self, store: ox.Store, base: str = DEFAULT_BASE) -> None:
        self.store = store
        self.base = base
        out: dict[Term, list[tuple[ox.NamedNode, Term]]] = defaultdict(list)
        into: dict[Term, list[tuple[Term, ox.NamedNode]]] = defaultdict(list)
        graphs: dict[Term, set[str]] = defaultdict(set)
        seen: set[tuple[Term, ox.NamedNode, Term]] = set()
        for quad in store.quads_for_pattern(None, None, None, None):
            s, p, o = quad.subject, quad.predicate, quad.object
            g = quad.graph_name
            if isinstance(g, ox.NamedNode):
                graphs[s].add(g.value)
            key = (s, p, o)
            if key in seen:
                continue
            seen.add(key)
            out[s].append((p, o))
            if not isinstance(o, ox.Literal):
                into[o].append((s, p))
        for values in out.values():
            values.sort(key=_triple_order)
        for values in into.values():
            values.sort(key=lambda sp: (sp[1].value, _term_key(sp[0])))
        self.out = dict(out)
        self.into = dict(into)
        self.graphs = {k: frozenset(v) for k, v in graphs.items()}
        self.triple_count = len(seen)
        self._labels: dict[str, Label] = {}
        self._by_predicate: dict[Term, dict[str, list[Term]]] = {}

    # -- resources ---------------------------------------------------------------------------

    def resources(self) -> list[str]:
        """Every IRI under the base that occurs in a triple, sorted."""
        found = {t.value for t in self.out if isinstance(t, ox.NamedNode) and t.value.startswith(self.base)}
        found.update(t.value for t in self.into if isinstance(t, ox.NamedNode) and t.value.startswith(self.base))
        return sorted(found)

    def objects(self, subject: str | Term, predicate: str) -> list[Term]:
        node = ox.NamedNode(subject) if isinstance(subject, str) else subject
        by_predicate = self._by_predicate.get(node)
        if by_predicate is None:
            by_predicate = {}
            for p, o in self.out.get(node, ()):
                by_predicate.setdefault(p.value, []).append(o)
            self._by_predicate[node] = by_predicate
        return by_predicate.get(predicate, [])

    def value(self, subject: str | Term, predicate: str) -> Term | None:
        found = self.objects(subject, predicate)
        return found[0] if found else None

    def subjects(self, predicate: str, obj: str | Term) -> list[Term]:
        node = ox.NamedNode(obj) if isinstance(obj, str) else obj
        return [s for s, p in self.into.get(node, ()) if p.value == predicate]

    def types(self, iri: str) -> list[str]:
        return [o.value for o in self.objects(iri, RDF_TYPE) if isinstance(o, ox.NamedNode)]

    def instances(self, class_iri: str) -> list[str]:
        return sorted(s.value for s in self.subjects(RDF_TYPE, class_iri) if isinstance(s, ox.NamedNode))

    def label(self, iri: str) -> Label:
        """The zh and en names of ``iri`` from its label properties (notation, local name last)."""
        cached = self._labels.get(iri)
        if cached is not None:
            return cached
        zh = en = plain = None
        values = self.out.get(ox.NamedNode(iri), ())
        for prop in LABEL_PROPERTIES:
            for p, o in values:
                if p.value != prop or not isinstance(o, ox.Literal):
                    continue
                if not o.value.strip():
                    continue
                lang = (o.language or "").lower()
                if lang.startswith("zh") and zh is None:
                    zh = o.value
                elif lang.startswith("en") and en is None:
                    en = o.value
                elif not lang and plain is None:
                    plain = o.value
        if zh is None and en is None and plain is None:
            plain = self._derived_label(iri)
        zh = zh or plain or en
        en = en or plain or zh
        assert zh is not None and en is not None
        label = Label(zh, en)
        self._labels[iri] = label
        return label

    def _derived_label(self, iri: str) -> str:
        """A name for an unlabelled resource: its notation; for a budget line, its code (or category)
        and column (``210 卫生健康支出 · 合计``); else the IRI's last part."""
        notation = self.value(iri, NOTATION)
        if isinstance(notation, ox.Literal):
            return notation.value
        parts = []
        for prop in LINE_KEY_PROPERTIES:
            value = self.value(iri, prop)
            if isinstance(value, ox.NamedNode):
                code = self.value(value, NOTATION)
                name = self.label(value.value).zh
                parts.append(f"{code.value} {name}" if isinstance(code, ox.Literal) and code.value != name else name)
                break
            if isinstance(value, ox.Literal):
                parts.append(value.value)
                break
        column = self.value(iri, BUD + "column")
        if parts and isinstance(column, ox.NamedNode):
            parts.append(self.label(column.value).zh)
        if parts:
            return " · ".join(parts)
        return compact(iri) if iri.startswith(BUD) else local_name(iri) or iri

    def describe(self, iri: str) -> list[ox.Triple]:
        """The resource's description for its twins: its triples (with the blank nodes they reach),
        the triples that point at it, and the labels and types of the resources on either side."""
        node = ox.NamedNode(iri)
        triples: list[ox.Triple] = []
        neighbours: set[ox.NamedNode] = set()
        for s, p, o in self._closure(node):
            triples.append(ox.Triple(s, p, o))
            if isinstance(o, ox.NamedNode) and o != node:
                neighbours.add(o)
        for s, p in self.into.get(node, ()):
            if isinstance(s, ox.NamedNode):
                triples.append(ox.Triple(s, p, node))
                neighbours.add(s)
        for other in sorted(neighbours, key=lambda n: n.value):
            for p, o in self.out.get(other, ()):
                if p.value in LABEL_PROPERTIES or p.value == NOTATION:
                    triples.append(ox.Triple(other, p, o))
        return list(dict.fromkeys(triples))

    def _closure(self, node: Term) -> Iterator[tuple[Term, ox.NamedNode, Term]]:
        stack, seen = [node], {node}
        while stack:
            current = stack.pop()
            for p, o in self.out.get(current, ()):
                yield current, p, o
                if isinstance(o, ox.BlankNode) and o not in seen:
                    seen.add(o)
                    stack.append(o)

    def select(self, query: str) -> list[dict[str, Term]]:
        return select(self.store, query)


def select(store: ox.Store, query: str) -> list[dict[str, Term]]:
    """Rows of a SPARQL SELECT over the union of all graphs, as ``{variable: term}`` dicts
    (unbound variables left out). The :data:`PREFIXES` are predeclared."""
    solutions = store.query(query, use_default_graph_as_union=True, prefixes=PREFIXES)
    names = [v.value for v in solutions.variables]
    return [{n: sol[n] for n in names if sol[n] is not None} for sol in solutions]


def _term_key(term: Term) -> tuple[int, str]:
    return (0 if isinstance(term, ox.NamedNode) else 1 if isinstance(term, ox.Literal) else 2, term.value)


def _triple_order(po: tuple[ox.NamedNode, Term]) -> tuple[str, tuple[int, str], str]:
    p, o = po
    lang = o.language or "" if isinstance(o, ox.Literal) else ""
    return (p.value, _term_key(o), lang)
