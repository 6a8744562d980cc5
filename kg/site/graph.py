"""The graph the site is built from: a pyoxigraph store and a flat index of its quads.

:func:`load_build` and :func:`parse_build` are the only functions here that read files (a build
directory → store, or → quads for the index).
:class:`SiteGraph` answers the pages' node lookups (outgoing and incoming links, labels, types, the
document graphs each resource appears in) from a :class:`QuadIndex` of every quad, integer arrays
that forked workers share without copying; aggregate sections (charts, tables across resources) use
batched SPARQL on the store (:meth:`SiteGraph.select`) before :meth:`SiteGraph.detach` drops it.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import Counter, defaultdict
from functools import lru_cache
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np
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
#: Properties whose literals a description repeats for the resources on either side.
NAMING_PROPERTIES = frozenset((*LABEL_PROPERTIES, NOTATION))
#: Properties that name a resource without a label (a duty's text, an indicator's name), best first.
NAME_PROPERTIES = (BUD + "indicatorName", BUD + "text", BUD + "tableTitle", BUD + "fileName")

#: Characters of a duty's text that name a project–duty link (the rest is elided with "…").
DUTY_TEXT_LIMIT = 24

#: Most triples pointing at a resource, per property, that its description holds.
INVERSE_LIMIT = 500

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
    # load, not bulk_load: the same CPU for an in-memory store, and its peak is the store's size
    # (bulk_load's batches took ≈ 70 % more at their peak: 159 against 96 MiB at 100 documents)
    store.load(path=str(dataset), format=ox.RdfFormat.N_QUADS)
    for name in BUILD_FILES:
        path = build_dir / name
        if path.is_file():
            store.load(path=str(path), format=ox.RdfFormat.TURTLE,
                       to_graph=ox.NamedNode(path.resolve().as_uri()))
    for name in BUILD_DATASETS:
        path = build_dir / name
        if path.is_file():
            store.load(path=str(path), format=ox.RdfFormat.TRIG)
    for path in extra:
        fmt = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
        if fmt is None:
            raise UsageError(f"{path}: unknown RDF format")
        kwargs = {} if fmt.supports_datasets else {"to_graph": ox.NamedNode(path.resolve().as_uri())}
        store.load(path=str(path), format=fmt, **kwargs)
    return store


def parse_build(build_dir: Path) -> Iterator[tuple[Term, ox.NamedNode, Term, ox.NamedNode | ox.DefaultGraph]]:
    """The quads :func:`load_build` puts in its store, parsed from the same files without a store, as
    (subject, predicate, object, graph): what a :class:`QuadIndex` is built from while another
    process loads the store for the SPARQL queries (:func:`kg.site.build.load_site_data`)."""
    dataset = build_dir / "dataset.nq"
    if not dataset.is_file():
        raise UsageError(f"{dataset} not found: run `kg build` first (or pass the build directory)")
    yield from ox.parse(path=str(dataset), format=ox.RdfFormat.N_QUADS)  # type: ignore[misc]
    for name in BUILD_FILES:
        path = build_dir / name
        if path.is_file():
            graph = ox.NamedNode(path.resolve().as_uri())
            for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
                yield triple.subject, triple.predicate, triple.object, graph  # type: ignore[misc]
    for name in BUILD_DATASETS:
        path = build_dir / name
        if path.is_file():
            yield from ox.parse(path=str(path), format=ox.RdfFormat.TRIG)  # type: ignore[misc]


def store_from_text(text: str, fmt: ox.RdfFormat = ox.RdfFormat.TRIG) -> ox.Store:
    """A store holding an RDF text (tests and small inputs)."""
    store = ox.Store()
    store.load(text, format=fmt)
    return store


class MarkupOnce(Protocol):
    """``__html__`` made once per object from its ``_markup`` (frozen objects reused across pages:
    labels, headings, links) and kept on the instance; subclasses define ``_markup``."""

    def _markup(self) -> str: ...

    def __html__(self) -> str:
        cached = self.__dict__.get("_html")
        if cached is None:
            cached = self._markup()
            object.__setattr__(self, "_html", cached)
        return cached  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Label(MarkupOnce):
    """A resource's name in Chinese and English (either may repeat the other when only one exists)."""

    zh: str
    en: str

    @property
    def text(self) -> str:
        return self.zh if self.zh == self.en else f"{self.zh} / {self.en}"

    def _markup(self) -> str:
        """Both languages as ``<span class="l zh">…</span><span class="l en">…</span>`` (the
        language switch hides one); a label without English is document data, shown as it is."""
        if self.en and self.en != self.zh:
            return (f'<span class="l zh" lang="zh-Hans">{esc(self.zh)}</span>'
                    f'<span class="l en" lang="en">{esc(self.en)}</span>')
        return f'<span class="data">{esc(self.zh)}</span>'


def _escape_text(value: str) -> str:
    return (value.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
            .replace("'", "&#39;").replace('"', "&#34;"))


try:  # markupsafe's C escaping without its ``Markup`` wrapper: a fifth of the replace chain's time
    from markupsafe._speedups import _escape_inner as _escape_text  # type: ignore[no-redef]
except ImportError:  # pure-Python markupsafe
    pass


def esc(value: object) -> str:
    """HTML-escaped text as a plain ``str``, the same characters as ``markupsafe.escape`` (which
    builds a ``Markup`` object per call: too slow for the thousands of strings of a page)."""
    if type(value) is not str:
        return str(escape(value))
    return _escape_text(value)


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


#: Nodes whose triples :class:`SiteGraph` keeps for reuse (per kind: outgoing, incoming, blank node
#: signatures, labels) before starting afresh: bounds the memory of a site of any size.
NODE_CACHE_SIZE = 5_000


#: Kinds of the terms of a :class:`QuadIndex`.
_IRI, _BLANK, _LANG, _TYPED = 0, 1, 2, 3


class QuadIndex:
    """Every quad of a store as rows of integer term ids, by subject and by object, in flat arrays.

    Why: pyoxigraph's in-memory store is dirtied by reads (per-quad reference counts and locks), so
    each forked worker that reads it ends up with a private copy of the pages it reads, ≈ a third
    of the store per worker; and the store takes ≈ 0.43 GiB per million quads. These arrays hold
    no Python objects (reading them writes nothing, so forked workers share them) and take ≈ 60
    bytes per quad. The parent builds the index, drops the store and forks; lookups decode the
    terms they return. Read-only once built.

    Its lookup table is keyed by ``hash(str)``, which is salted per interpreter: an index is valid
    only in the process that built it and in processes forked from it (as :func:`kg.site.build.
    load_site_data` does), never unpickled in a spawned or separately started one."""

    def __init__(self, quads: ox.Store | Iterable[ox.Quad]) -> None:
        """Index a store's quads, or quads parsed from files (:func:`parse_build`, no store needed)."""
        ids: dict[str, int] = {}
        texts: list[str] = []
        kinds = bytearray()
        extras = array("i")
        extra_ids: dict[str, int] = {}
        self._extras: list[str] = []
        rows = array("i")
        named, blank, literal = ox.NamedNode, ox.BlankNode, ox.Literal

        def ident(term: object) -> int:
            kind = type(term)
            if kind is named:
                name = term.value  # type: ignore[attr-defined]
            elif kind is blank:
                name = "_:" + term.value  # type: ignore[attr-defined]
            elif kind is literal:
                name = str(term)  # the N-Triples form: value, language and datatype
            else:
                return -1  # the default graph
            found = ids.get(name)
            if found is not None:
                return found
            found = ids[name] = len(texts)
            if kind is literal:
                lang = term.language  # type: ignore[attr-defined]
                extra = lang if lang else term.datatype.value  # type: ignore[attr-defined]
                kinds.append(_LANG if lang else _TYPED)
                texts.append(term.value)  # type: ignore[attr-defined]
                x = extra_ids.get(extra)
                if x is None:
                    x = extra_ids[extra] = len(self._extras)
                    self._extras.append(extra)
                extras.append(x)
            else:
                kinds.append(_IRI if kind is named else _BLANK)
                texts.append(name)
                extras.append(-1)
            return found

        append, get = rows.append, ids.get
        source = quads.quads_for_pattern(None, None, None, None) if isinstance(quads, ox.Store) else quads
        for s, p, o, g in source:
            # IRIs inline (most terms): a call per term was half of the time
            t = get(s.value) if type(s) is named else None
            append(ident(s) if t is None else t)
            t = get(p.value)
            append(ident(p) if t is None else t)
            t = get(o.value) if type(o) is named else None
            append(ident(o) if t is None else t)
            t = get(g.value) if type(g) is named else None
            append(ident(g) if t is None else t)
        if not isinstance(quads, ox.Store):
            _store_forms(texts, kinds, extras, self._extras, rows)
        n = len(texts)
        # hash → term id, for the IRIs and blank nodes (the keys pages look up)
        hashes = np.fromiter((hash(t) if k <= _BLANK else 0 for t, k in zip(texts, kinds)), dtype=np.int64, count=n)
        keyed = np.flatnonzero(np.frombuffer(bytes(kinds), dtype=np.uint8) <= _BLANK)
        order = keyed[np.argsort(hashes[keyed], kind="stable")]
        self._hashes = array("q", hashes[order].tobytes())
        self._hash_terms = array("i", order.astype(np.int32).tobytes())
        del ids, hashes, keyed, order
        encoded = [t.encode("utf-8") for t in texts]
        offsets = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, encoded), dtype=np.int64, count=n), out=offsets[1:])
        self._blob = b"".join(encoded)
        del encoded, texts
        self._offsets = array("q", offsets.tobytes())
        self._kinds = bytes(kinds)
        self._extra = extras
        self._extra_nodes = [ox.NamedNode(e) if ":" in e else None for e in self._extras]
        table = np.frombuffer(rows, dtype=np.int32).reshape(-1, 4)
        del rows
        self._by_subject = _Rows(table[:, 0], table[:, (1, 2, 3)], n)
        self._by_object = _Rows(table[:, 2], table[:, (0, 1, 3)], n)
        self.terms = n

    def ident(self, name: str) -> int:
        """The id of an IRI (or ``_:id`` blank node key); -1 when no quad holds it."""
        h = hash(name)
        hashes, i = self._hashes, bisect_left(self._hashes, h)
        while i < len(hashes) and hashes[i] == h:
            t = self._hash_terms[i]
            if self.text(t) == name:
                return t
            i += 1
        return -1

    def text(self, t: int) -> str:
        """An IRI's value, ``_:id`` for a blank node, a literal's lexical value."""
        offsets = self._offsets
        return self._blob[offsets[t]:offsets[t + 1]].decode("utf-8")

    def term(self, t: int) -> Term:
        value = self.text(t)
        kind = self._kinds[t]
        if kind == _IRI:
            return ox.NamedNode(value)
        if kind == _BLANK:
            return ox.BlankNode(value[2:])
        if kind == _LANG:
            return ox.Literal(value, language=self._extras[self._extra[t]])
        return ox.Literal(value, datatype=self._extra_nodes[self._extra[t]])

    def resources(self, base: str) -> list[str]:
        """Every IRI starting with ``base`` that is the subject or the object of a quad, sorted."""
        used = self._by_subject.present() | self._by_object.present()
        iris = np.flatnonzero(used & (np.frombuffer(self._kinds, dtype=np.uint8) == _IRI))
        text = self.text
        return sorted(v for v in map(text, iris.tolist()) if v.startswith(base))

    def usage(self) -> tuple[Counter[str], Counter[str]]:
        """(instances per IRI class, triples per property), each triple counted once however many
        graphs hold it: numpy over the id rows (the two ``SELECT DISTINCT`` aggregates it replaces
        took 4.5 s and hundreds of MiB at 1,000 documents)."""
        n = self.terms
        rows = self._by_subject
        starts = np.frombuffer(rows._starts, dtype=np.int64)
        subjects = np.repeat(np.arange(n, dtype=np.int32), np.diff(starts))
        predicates = rows._rest[:, 0]
        pairs = predicates.astype(np.int64) * n + rows._rest[:, 1]  # (predicate, object), one number
        order = np.lexsort((pairs, subjects))
        subjects, pairs = subjects[order], pairs[order]
        first = np.ones(len(pairs), dtype=bool)  # the first row of each distinct triple
        first[1:] = (subjects[1:] != subjects[:-1]) | (pairs[1:] != pairs[:-1])
        del subjects, order
        pairs = pairs[first]
        properties: Counter[str] = Counter()
        counts = np.bincount(pairs // n, minlength=n)
        for t in np.flatnonzero(counts).tolist():
            properties[self.text(t)] = int(counts[t])
        classes: Counter[str] = Counter()
        rdf_type = self.ident(RDF_TYPE)
        if rdf_type >= 0:
            objects = pairs[pairs // n == rdf_type] % n
            objects = objects[np.frombuffer(self._kinds, dtype=np.uint8)[objects] == _IRI]
            counts = np.bincount(objects, minlength=n)
            for t in np.flatnonzero(counts).tolist():
                classes[self.text(t)] = int(counts[t])
        return classes, properties

    def objects_of(self, predicate: str) -> list[str]:
        """The text of the object of every quad with ``predicate`` (one per quad, in no order)."""
        p = self.ident(predicate)
        if p < 0:
            return []
        rest = self._by_subject._rest
        return [self.text(t) for t in rest[rest[:, 0] == p, 1].tolist()]

    def is_blank(self, t: int) -> bool:
        return self._kinds[t] == _BLANK

    def by_subject(self, t: int) -> list[list[int]]:
        """[predicate, object, graph] ids of the quads with subject ``t`` (graph -1: the default)."""
        return self._by_subject.rows(t)

    def by_object(self, t: int) -> list[list[int]]:
        """[subject, predicate, graph] ids of the quads with object ``t``."""
        return self._by_object.rows(t)


def _store_forms(texts: list[str], kinds: bytearray, extras: array, extra_names: list[str], rows: array) -> None:
    """Typed literals of parsed quads in the form a store gives them back (``"280.00"^^xsd:decimal``
    is ``"280"`` there: the store keeps numbers, booleans and dates as values), so that an index
    of parsed files is the index of the store loaded from them. The distinct literals go through
    one small store; terms that become equal are merged (their quads then are one triple)."""
    typed = [t for t, kind in enumerate(kinds) if kind == _TYPED and extra_names[extras[t]] != XSD + "string"]
    if not typed:
        return
    prefix, value = "urn:x-kg-site:", ox.NamedNode("urn:x-kg-site:value")
    store = ox.Store()
    store.extend(ox.Quad(ox.NamedNode(f"{prefix}{t}"), value, ox.Literal(texts[t], datatype=ox.NamedNode(extra_names[extras[t]])))
                 for t in typed)
    stored = {int(q.subject.value[len(prefix):]): q.object for q in store.quads_for_pattern(None, None, None, None)}
    first: dict[tuple[str, int], int] = {}
    merged: dict[int, int] = {}
    for t in typed:
        literal = stored[t]
        texts[t] = literal.value  # type: ignore[union-attr]
        same = first.setdefault((literal.value, extras[t]), t)  # type: ignore[union-attr]
        if same != t:
            merged[t] = same
    if merged:
        remap = np.arange(len(texts), dtype=np.int32)
        remap[list(merged)] = list(merged.values())
        table = np.frombuffer(rows, dtype=np.int32).reshape(-1, 4)
        table[:, 2] = remap[table[:, 2]]  # literals are objects only


class _Rows:
    """Rows grouped by one column (compressed sparse rows): ``rows(t)`` are those whose column is ``t``."""

    def __init__(self, column: np.ndarray, rest: np.ndarray, n: int) -> None:
        order = np.argsort(column, kind="stable")
        self._rest = np.ascontiguousarray(rest[order])
        starts = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(column, minlength=n)[:n], out=starts[1:])
        self._starts = array("q", starts.tobytes())

    def present(self) -> np.ndarray:
        """Per term id, whether any row has it."""
        starts = np.frombuffer(self._starts, dtype=np.int64)
        return starts[1:] > starts[:-1]

    def rows(self, t: int) -> list[list[int]]:
        starts = self._starts
        return self._rest[starts[t]:starts[t + 1]].tolist()


class _Subject:
    """A node's own triples: (predicate, object) sorted and deduplicated across graphs, the objects by
    predicate IRI, and the named graphs holding them."""

    __slots__ = ("out", "by_predicate", "graphs")

    def __init__(self, out: list[tuple[ox.NamedNode, Term]], by_predicate: dict[str, list[Term]],
                 graphs: frozenset[str]) -> None:
        self.out = out
        self.by_predicate = by_predicate
        self.graphs = graphs


_NO_GRAPHS: frozenset[str] = frozenset()


class SiteGraph:
    """A store's triples by subject and by object, deduplicated across graphs.

    Decoded from the :class:`QuadIndex` when a page asks, and only the last :data:`NODE_CACHE_SIZE`
    nodes' triples are kept: an index of every triple as Python objects took ≈ 2.6 MiB per 1,000
    triples (1 GiB at 400 documents, in every forked worker that touched it), while pages need only
    their neighbourhood, and pages of the same document are rendered one after another."""

    def __init__(self, store: ox.Store | None, base: str = DEFAULT_BASE, cache_size: int = NODE_CACHE_SIZE,
                 index: QuadIndex | None = None) -> None:
        # SPARQL only (batched sections), until detach() drops it; None: the queries ran elsewhere
        self.store: ox.Store | None = store
        # every node lookup of the pages reads the quads from here (the store's, unless given)
        if index is None:
            if store is None:
                raise ValueError("SiteGraph needs a store or a quad index")
            index = QuadIndex(store)
        self._index = index
        self._decoded: dict[int, Term] = {}
        self.base = base
        self.cache_size = cache_size
        # keyed by strings (IRI, or "_:id" for a blank node): hashing pyoxigraph terms is slow
        self._subjects: dict[str, _Subject] = {}
        self._objects: dict[str, list[tuple[Term, ox.NamedNode]]] = {}
        self._signatures: dict[str, str] = {}
        self._labels: dict[str, Label] = {}
        # the label and notation triples of each resource, as twins repeat them for every neighbour
        self._label_triples: dict[str, tuple[ox.Triple, ...]] = {}
        self._usage: tuple[Counter[str], Counter[str]] | None = None

    def _term_key(self, term: Term) -> tuple[int, str, str]:
        """Sort key of a term. Blank node labels are random per load: blank nodes are ordered by
        their content instead, so that pages and twins come out the same on every build."""
        if type(term) is ox.NamedNode:
            return (0, term.value, "")
        if type(term) is ox.Literal:
            return (1, term.value, term.language or term.datatype.value)
        return (2, self._signature(term), term.value)

    def _signature(self, blank: ox.BlankNode) -> str:
        found = self._signatures.get(blank.value)
        if found is None:
            index = self._index
            t = index.ident("_:" + blank.value)
            found = "|".join(sorted(f"{index.text(p)}={index.text(o)}" for p, o, _ in
                                    (index.by_subject(t) if t >= 0 else ()) if not index.is_blank(o)))
            _remember(self._signatures, blank.value, found, self.cache_size)
        return found

    def _subject(self, node: str) -> _Subject:
        found = self._subjects.get(node)
        if found is not None:
            return found
        pairs: list[tuple[ox.NamedNode, Term]] = []
        graph_ids: set[int] = set()
        index, decode, decoded = self._index, self._decode, self._decoded.get
        t = index.ident(node)
        for p, o, g in index.by_subject(t) if t >= 0 else ():
            pt, ot = decoded(p), decoded(o)
            pairs.append((decode(p) if pt is None else pt, decode(o) if ot is None else ot))  # type: ignore[arg-type]
            graph_ids.add(g)
        graph_ids.discard(-1)  # the default graph
        graphs = set(map(index.text, graph_ids))
        term_key = self._term_key
        # the same triple in several graphs is one triple here
        out = _unique(sorted(pairs, key=lambda po: (po[0].value, term_key(po[1])))) if len(pairs) > 1 else pairs
        by_predicate: dict[str, list[Term]] = {}
        for p, o in out:
            values = by_predicate.get(p.value)
            if values is None:
                by_predicate[p.value] = [o]
            else:
                values.append(o)
        found = _Subject(out, by_predicate, frozenset(graphs) if graphs else _NO_GRAPHS)
        _remember(self._subjects, node, found, self.cache_size)
        return found

    def outgoing(self, node: str | Term) -> list[tuple[ox.NamedNode, Term]]:
        """(predicate, object) of the triples of ``node`` (an IRI string or a term), sorted."""
        return self._subject(node if isinstance(node, str) else key(node)).out

    def incoming(self, node: str | Term) -> list[tuple[Term, ox.NamedNode]]:
        """(subject, predicate) of the triples whose object is ``node``."""
        name = node if isinstance(node, str) else key(node)
        found = self._objects.get(name)
        if found is None:
            index, decode, decoded = self._index, self._decode, self._decoded.get
            t = index.ident(name)
            pairs = []
            for s, p, _ in index.by_object(t) if t >= 0 else ():
                st, pt = decoded(s), decoded(p)
                pairs.append((decode(s) if st is None else st, decode(p) if pt is None else pt))
            term_key = self._term_key
            found = _unique(sorted(pairs, key=lambda sp: (sp[1].value, term_key(sp[0])))) if len(pairs) > 1 else pairs
            _remember(self._objects, name, found, self.cache_size)
        return found

    def _decode(self, t: int) -> Term:
        """The term of an index id (decoded once per worker while the bounded cache keeps it)."""
        found = self._decoded.get(t)
        if found is None:
            found = self._index.term(t)
            _remember(self._decoded, t, found, 4 * self.cache_size)  # type: ignore[arg-type]
        return found

    def detach(self) -> None:
        """Drop the store (before rendering, and before forking workers): pages read the
        :class:`QuadIndex`; the usage counts are computed first, and SPARQL (:meth:`select`) is gone
        afterwards, so the batched section queries must have run."""
        if self.store is not None:
            self.usage()
            self.store = None

    def graphs_of(self, node: str | Term) -> frozenset[str]:
        """The named graphs (documents) holding triples about ``node``."""
        return self._subject(node if isinstance(node, str) else key(node)).graphs

    def usage(self) -> tuple[Counter[str], Counter[str]]:
        """(instances per class, triples per property), each triple counted once however many
        graphs hold it (:meth:`QuadIndex.usage`; computed once, before workers fork)."""
        if self._usage is None:
            self._usage = self._index.usage()
        return self._usage

    @property
    def triple_count(self) -> int:
        """Distinct triples over all graphs."""
        return sum(self.usage()[1].values())

    # -- resources ---------------------------------------------------------------------------

    def resources(self) -> list[str]:
        """Every IRI under the base that occurs in a triple (as subject or object), sorted."""
        return self._index.resources(self.base)

    def objects(self, subject: str | Term, predicate: str) -> list[Term]:
        node = subject if isinstance(subject, str) else key(subject)
        return self._subject(node).by_predicate.get(predicate, [])

    def by_predicate(self, subject: str | Term) -> dict[str, list[Term]]:
        """The node's objects by predicate IRI (read-only: shared with the cache)."""
        return self._subject(subject if isinstance(subject, str) else key(subject)).by_predicate

    def value(self, subject: str | Term, predicate: str) -> Term | None:
        found = self.objects(subject, predicate)
        return found[0] if found else None

    def subjects(self, predicate: str, obj: str | Term) -> list[Term]:
        return [s for s, p in self.incoming(obj) if p.value == predicate]

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
        values = self.outgoing(iri)
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
        _remember(self._labels, iri, label, self.cache_size)
        return label

    def _derived_label(self, iri: str) -> str:
        """A name for an unlabelled resource: its notation, its :data:`NAME_PROPERTIES` value; for a
        budget line, its code (or category) and column (``210 卫生健康支出 · 合计``); else the IRI's
        last part."""
        notation = self.value(iri, NOTATION)
        if isinstance(notation, ox.Literal):
            return notation.value
        for prop in NAME_PROPERTIES:
            name = self.value(iri, prop)
            if isinstance(name, ox.Literal) and name.value.strip():
                return name.value
        duty = self.value(iri, BUD + "linkDuty")
        if isinstance(duty, ox.NamedNode):
            return self._duty_link_label(iri, duty.value)
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

    def _duty_link_label(self, iri: str, duty: str) -> str:
        """A project–duty link (``…/project/6/link/1``) is named by its ends, ``project → duty text``
        (the text shortened), not by its ordinal: lists of links on duty and project pages then say
        which project serves which duty."""
        text = self.label(duty).zh
        if len(text) > DUTY_TEXT_LIMIT:
            text = text[:DUTY_TEXT_LIMIT].rstrip("，。；、,.; ") + "…"
        project = self.value(iri, BUD + "linkProject")
        return f"{self.label(project.value).zh} → {text}" if isinstance(project, ox.NamedNode) else text

    def describe(self, iri: str) -> list[ox.Triple]:
        """The resource's description for its twins: its triples (with the blank nodes they reach),
        the triples that point at it (at most :data:`INVERSE_LIMIT` per property, in IRI order: a
        class or a column concept is the object of thousands), and the labels and notations of the
        IRIs on either side. No triple twice (the index holds each triple once)."""
        node = ox.NamedNode(iri)
        triples: list[ox.Triple] = []
        neighbours: dict[str, ox.NamedNode] = {}
        named = ox.NamedNode
        for s, p, o in self._closure(node):
            triples.append(ox.Triple(s, p, o))
            if type(o) is named and o.value != iri:
                neighbours[o.value] = o
        per_property: dict[str, int] = defaultdict(int)
        for s, p in self.incoming(iri):
            if type(s) is named and s.value != iri:  # a self-loop is already among its own triples
                per_property[p.value] += 1
                if per_property[p.value] > INVERSE_LIMIT:
                    continue
                triples.append(ox.Triple(s, p, node))
                neighbours[s.value] = s
        label_triples = self._label_triples
        for value in sorted(neighbours):
            found = label_triples.get(value)
            if found is None:
                other = neighbours[value]
                found = tuple(ox.Triple(other, p, o) for p, o in self.outgoing(value)
                              if p.value in NAMING_PROPERTIES and type(o) is ox.Literal)
                _remember(label_triples, value, found, self.cache_size)
            triples.extend(found)
        return triples

    def _closure(self, node: Term) -> Iterator[tuple[Term, ox.NamedNode, Term]]:
        stack, seen = [node], {node}
        while stack:
            current = stack.pop()
            for p, o in self.outgoing(current):
                yield current, p, o
                if isinstance(o, ox.BlankNode) and o not in seen:
                    seen.add(o)
                    stack.append(o)

    def select(self, query: str) -> list[dict[str, Term]]:
        if self.store is None:
            raise RuntimeError("SiteGraph.select after detach(): run the query before the store is dropped")
        return select(self.store, query)


def select(store: ox.Store, query: str) -> list[dict[str, Term]]:
    """Rows of a SPARQL SELECT over the union of all graphs, as ``{variable: term}`` dicts
    (unbound variables left out). The :data:`PREFIXES` are predeclared."""
    solutions = store.query(query, use_default_graph_as_union=True, prefixes=PREFIXES)
    names = [v.value for v in solutions.variables]
    return [{n: v for n, v in zip(names, sol) if v is not None} for sol in solutions]


def relabel_blank_nodes(triples: list[ox.Triple]) -> list[ox.Triple]:
    """Blank nodes named ``b0``, ``b1`` … in order of appearance (their parsed labels are random)."""
    names: dict[str, ox.BlankNode] = {}

    def name(term: Term) -> Term:
        if type(term) is not ox.BlankNode:
            return term
        if term.value not in names:
            names[term.value] = ox.BlankNode(f"b{len(names)}")
        return names[term.value]

    if not any(type(t.subject) is ox.BlankNode or type(t.object) is ox.BlankNode for t in triples):
        return triples
    return [ox.Triple(name(t.subject), t.predicate, name(t.object)) for t in triples]


def _remember(cache: dict, name: str, value: object, size: int) -> None:
    """``cache[name] = value``, emptying ``cache`` first when it holds ``size`` entries (cheaper than
    an LRU order; pages of one document come one after another, so the cache refills with theirs)."""
    if len(cache) >= size:
        cache.clear()
    cache[name] = value


def key(term: Term) -> str:
    """The index key of a term: the IRI, or ``_:id`` for a blank node."""
    return term.value if isinstance(term, ox.NamedNode) else "_:" + term.value


def _unique(items: list[tuple[Term, Term]]) -> list[tuple[Term, Term]]:
    """A sorted list without adjacent repeats."""
    out: list[tuple[Term, Term]] = []
    for item in items:
        if not out or out[-1] != item:
            out.append(item)
    return out


