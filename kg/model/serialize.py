"""Deterministic writers: N-Quads, TriG / Turtle and JSON-LD from :mod:`kg.model.terms` quads.

All writers emit quads in one canonical order — graph, subject, predicate, object, each compared in
its N-Triples form — with duplicates dropped, so the same quads always give the same bytes whatever
order they were produced in. :func:`sort_quads` does the sorting once; every writer accepts its
result (or any quads, which it then sorts). rdflib's serialisers are not used for the dumps: they
are slow at a million triples and their order depends on hashing.
"""

from __future__ import annotations

import re
from itertools import groupby
from operator import itemgetter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from json.encoder import encode_basestring  # type: ignore[attr-defined]

from kg.model.terms import PREFIXES, RDF_TYPE, BNode, Lit, Quad, Term

_IRI_UNSAFE = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_STRING_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_NAMESPACES = sorted(PREFIXES, key=lambda p: -len(p[1]))
_SUBJECT, _PREDICATE, _GRAPH = itemgetter(0), itemgetter(1), itemgetter(3)


def _iri(iri: str) -> str:
    if _IRI_UNSAFE.search(iri):
        iri = _IRI_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04X}", iri)
    return f"<{iri}>"


def nt_term(term: Term) -> str:
    """A term in N-Triples / N-Quads syntax."""
    if isinstance(term, Lit):
        text = '"' + term.lexical.translate(_STRING_ESCAPES) + '"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype:
            return f"{text}^^{_iri(term.datatype)}"
        return text
    if isinstance(term, BNode):
        return f"_:{term}"
    return _iri(term)


def _prefixed(iri: str) -> str | None:
    """``bud:Project`` for a vocabulary IRI with a simple local name, else ``None``."""
    for prefix, ns in _NAMESPACES:
        if iri.startswith(ns):
            local = iri[len(ns):]
            return f"{prefix}:{local}" if _LOCAL.match(local) else None
    return None


def ttl_term(term: Term) -> str:
    """A term in Turtle / TriG syntax (prefixed names for vocabulary terms)."""
    if isinstance(term, Lit):
        text = '"' + term.lexical.translate(_STRING_ESCAPES) + '"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype:
            return f"{text}^^{_prefixed(term.datatype) or _iri(term.datatype)}"
        return text
    if isinstance(term, BNode):
        return f"_:{term}"
    return _prefixed(term) or _iri(term)


class _TypedCache:
    """Memoised formatting of terms.

    Keyed by the term itself: a :class:`Lit` (a tuple) never equals an IRI (a ``str``); a blank-node
    label could equal an IRI's text only if it contained ``:``, which ours (canonical labels) never do.
    """

    def __init__(self, fn: Callable[[Term], str]) -> None:
        self.cache: dict[Term, str] = {}
        self.fn = fn

    def __call__(self, term: Term) -> str:
        text = self.cache.get(term)
        if text is None:
            text = self.cache[term] = self.fn(term)
        return text


@dataclass(frozen=True)
class SortedQuads:
    """Unique quads in canonical order, with their N-Triples forms (g, s, p, o)."""

    quads: tuple[Quad, ...]
    keys: tuple[tuple[str, str, str, str], ...]

    def __len__(self) -> int:
        return len(self.quads)


def sort_quads(quads: Iterable[Quad] | SortedQuads) -> SortedQuads:
    """Unique quads in canonical order (the N-Triples forms of graph, subject, predicate, object)."""
    if isinstance(quads, SortedQuads):
        return quads
    cache: dict[Term, str] = {}
    get = cache.get
    pairs: list[tuple[tuple[str, str, str, str], Quad]] = []
    append = pairs.append
    for quad in quads:
        s, p, o, g = quad
        a = get(s)
        if a is None:
            a = cache[s] = nt_term(s)
        b = get(p)
        if b is None:
            b = cache[p] = nt_term(p)
        c = get(o)
        if c is None:
            c = cache[o] = nt_term(o)
        d = get(g)
        if d is None:
            d = cache[g] = nt_term(g)
        append(((d, a, b, c), quad))
    pairs.sort(key=itemgetter(0))
    keys: list[tuple[str, str, str, str]] = []
    ordered: list[Quad] = []
    last = None
    for key, quad in pairs:
        if key != last:
            keys.append(key)
            ordered.append(quad)
            last = key
    return SortedQuads(tuple(ordered), tuple(keys))


def iter_nquads(quads: Iterable[Quad] | SortedQuads, chunk: int = 20000) -> Iterator[str]:
    """N-Quads in canonical order, in chunks of ``chunk`` statements (for streaming to a file)."""
    keys = sort_quads(quads).keys
    for start in range(0, len(keys), chunk):
        yield "".join([f"{s} {p} {o} {g} .\n" for g, s, p, o in keys[start:start + chunk]])


def nquads(quads: Iterable[Quad] | SortedQuads) -> str:
    """N-Quads, one statement per line, in canonical order."""
    return "".join(iter_nquads(quads))


# --- Turtle / TriG -----------------------------------------------------------------------------


def _prefix_block() -> str:
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES) + "\n"


def _blocks(triples: list[tuple[Term, str, Term]], indent: str,
            ttl: Callable[[Term], str] | None = None) -> list[str]:
    """Turtle subject blocks for triples sorted by subject then predicate then object."""
    ttl = ttl or _TypedCache(ttl_term)
    out: list[str] = []
    cont = f" ;\n{indent}    "
    sep = f" ,\n{indent}        "
    subject: Term | None = None
    predicate: str | None = None
    types: list[str] = []
    preds: list[str] = []
    objects: list[str] = []

    def close_predicate() -> None:
        if predicate is not None and predicate != RDF_TYPE:
            preds.append(ttl(predicate) + " " + sep.join(objects))

    def close_subject() -> None:
        close_predicate()
        if subject is not None:
            head = ["a " + sep.join(types)] if types else []
            out.append(f"{indent}{ttl(subject)} " + cont.join(head + preds) + " .\n")

    for s, p, o in triples:
        if s != subject:
            close_subject()
            subject, predicate, types, preds, objects = s, p, [], [], []
        elif p != predicate:
            close_predicate()
            predicate, objects = p, []
        if p == RDF_TYPE:
            types.append(ttl(o))
        else:
            objects.append(ttl(o))
    close_subject()
    return out


def turtle(quads: Iterable[Quad] | SortedQuads, header: str = "") -> str:
    """Turtle of the triples of ``quads`` (graph names dropped), in canonical order."""
    ordered = sort_quads(quads)
    seen: dict[tuple[str, str, str], tuple[Term, str, Term]] = {}
    for (_, sk, pk, ok), (s, p, o, _) in zip(ordered.keys, ordered.quads, strict=True):
        seen.setdefault((sk, pk, ok), (s, p, o))
    triples = [seen[k] for k in sorted(seen)]
    return header + _prefix_block() + "\n".join(_blocks(triples, ""))


def iter_trig(quads: Iterable[Quad] | SortedQuads, header: str = "") -> Iterator[str]:
    """TriG in canonical order, one chunk per named graph (for streaming to a file)."""
    ordered = sort_quads(quads)
    ttl = _TypedCache(ttl_term)
    yield header + _prefix_block()
    first = True
    for graph, in_graph in groupby(ordered.quads, _GRAPH):
        triples = [(s, p, o) for s, p, o, _ in in_graph]
        yield ("" if first else "\n") + f"{_iri(graph)} {{\n" + "\n".join(_blocks(triples, "    ", ttl)) + "}\n"
        first = False


def trig(quads: Iterable[Quad] | SortedQuads, header: str = "") -> str:
    """TriG: one block per named graph, in canonical order."""
    return "".join(iter_trig(quads, header))


# --- JSON-LD -----------------------------------------------------------------------------------


def _jsonld_value(term: Term, compact: Callable[[str], str]) -> str:
    if isinstance(term, Lit):
        value = '{"@value": ' + encode_basestring(term.lexical)
        if term.language:
            return value + ', "@language": ' + encode_basestring(term.language) + "}"
        if term.datatype:
            return value + ', "@type": ' + encode_basestring(compact(term.datatype)) + "}"
        return value + "}"
    return '{"@id": ' + encode_basestring(f"_:{term}" if isinstance(term, BNode) else term) + "}"


def jsonld(quads: Iterable[Quad] | SortedQuads) -> str:
    """JSON-LD: the prefixes as context, one object per named graph holding its nodes (flattened),
    vocabulary IRIs compacted; canonical order, one node per line."""
    return "".join(iter_jsonld(quads))


def iter_jsonld(quads: Iterable[Quad] | SortedQuads) -> Iterator[str]:
    """:func:`jsonld` in chunks, one per named graph (for streaming to a file)."""
    ordered = sort_quads(quads)
    compact_cache: dict[str, str] = {}

    def compact(iri: str) -> str:
        text = compact_cache.get(iri)
        if text is None:
            text = compact_cache[iri] = _prefixed(iri) or iri
        return text

    value = _TypedCache(lambda t: _jsonld_value(t, compact))
    key = _TypedCache(lambda p: encode_basestring(compact(p)) + ": [")  # type: ignore[arg-type]
    node_id = _TypedCache(lambda t: encode_basestring(f"_:{t}" if isinstance(t, BNode) else t))  # type: ignore[arg-type]
    context = ", ".join(f"{encode_basestring(p)}: {encode_basestring(ns)}" for p, ns in PREFIXES)
    yield '{"@context": {' + context + '},\n "@graph": ['
    first = True
    for graph, in_graph in groupby(ordered.quads, _GRAPH):
        nodes: list[str] = []
        for subject, about in groupby(in_graph, _SUBJECT):
            types: list[str] = []
            props: list[str] = []
            for predicate, group in groupby(about, _PREDICATE):
                objects = [q[2] for q in group]
                if predicate == RDF_TYPE and not any(isinstance(o, Lit) for o in objects):
                    types = [encode_basestring(compact(o) if not isinstance(o, BNode) else f"_:{o}") for o in objects]
                else:
                    props.append(key(predicate) + ", ".join([value(o) for o in objects]) + "]")
            head = '   {"@id": ' + node_id(subject)
            if types:
                head += ', "@type": [' + ", ".join(types) + "]"
            nodes.append(head + "".join([", " + p for p in props]) + "}")
        yield ("\n" if first else ",\n") + '  {"@id": ' + encode_basestring(graph) + ', "@graph": [\n' \
            + ",\n".join(nodes) + "\n  ]}"
        first = False
    yield "\n ]}\n"
