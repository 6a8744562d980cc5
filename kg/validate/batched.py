"""Batched validation of a build directory: the same report as one store holding the whole build,
in stores that hold about ``batch_documents`` documents each.

One big in-memory store costs more per query the bigger it gets (its random accesses miss the
caches; docs/validation.md, "Why CPU per document grows with the corpus"), so a build is validated
in batches, each in a fresh store, at a flat cost per document and in bounded memory:

- ``dataset.nq`` is scanned once for its graphs' byte ranges and each document graph's subjects;
  documents that share a subject (a bureau and its unit, described in each year's graph) are put in
  one group, and whole groups fill the batches, so a batch holds everything said about its subjects;
- every batch store gets the vocabulary graphs (ontology, codes, duty areas: the same for every
  corpus size), its documents' graphs, and the part of the corpus-wide graphs (links, analysis,
  VoID, an earlier report) whose subjects are about its documents: a subject of those graphs belongs
  to a batch when it, or an object of one of its triples, is a subject of that batch's documents
  and of no other batch's (an area's spending is about one budget, a duty link about one project);
  the other corpus-wide subjects (comparisons of two bureaus, the VoID catalogue) form the
  *remainder*;
- a batch reports the results whose focus node is a subject of its documents or of its part of the
  corpus-wide graphs; one more store, the vocabulary graphs and the remainder, reports the results
  on the focus nodes that no batch owns (codes, the remainder's nodes), so each is reported once.

The rules read a focus node's own document, the vocabulary and the focus node's own triples in the
corpus-wide graphs (docs/validation.md, "Batched validation", argues it rule by rule), so each
result, its document, source lines and messages are those of the whole store. When the dump is not
what the scan expects (triples outside named graphs, a batch store whose graphs differ from the
scan's, a document pointing at a subject of another batch's documents), :func:`validate_build_dir`
falls back to the whole store.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from kg.errors import UsageError
from kg.store import BUILD_EXTRAS, DEFAULT_BASE_IRI, load_build, rdf_format
from kg.validate.engine import SHARED_GRAPH_SUFFIXES, run_checks, validate_store, with_documents
from kg.validate.report import ValidationReport, ValidationResult, sort_results
from kg.validate.shapes import Check, ShapesIndex, compile_shapes, load_shapes

#: An IRI in object position of an N-Quads line (the term before the graph IRI).
_OBJECT = re.compile(rb" (<[^<> ]*>) <[^<> ]*> \.$", re.MULTILINE)

#: Documents per batch by default: ≈ 0.3 GiB of store at the synthetic corpora's document size.
DEFAULT_BATCH_DOCUMENTS = 100

#: Graphs every batch gets whole: they do not grow with the corpus.
VOCABULARY_SUFFIXES = ("graph/ontology", "graph/codes", "graph/duty-areas")
#: Corpus-wide graphs (they grow with the corpus): split among the batches by subject.
CORPUS_SUFFIXES = tuple(s for s in SHARED_GRAPH_SUFFIXES if s not in VOCABULARY_SUFFIXES)


class BatchingError(Exception):
    """The dump is not laid out as the scan expects; the whole store validates it instead."""


@dataclass
class Phases:
    """CPU (``time.process_time``) and wall seconds of the batched path's phases, for the benchmark:
    ``scan`` reads ``dataset.nq`` for graphs and subjects, groups the documents and splits the
    corpus-wide graphs; ``load`` reads each batch's bytes, checks their references and fills the
    batch stores (and the shared one); ``checks`` runs the compiled checks on them; ``report``
    attributes, cites and merges the results. With ``batch_documents=0`` (or a fallback) ``load``
    is :func:`kg.store.load_build` and ``checks`` is :func:`kg.validate.engine.validate_store`."""

    cpu: dict[str, float] = field(default_factory=lambda: dict.fromkeys(("scan", "load", "checks", "report"), 0.0))
    wall: dict[str, float] = field(default_factory=lambda: dict.fromkeys(("scan", "load", "checks", "report"), 0.0))
    batches: int = 0
    peak_batch_quads: int = 0
    whole_store: bool = False
    """True when the dump could not be batched and the whole store was validated instead."""

    def timed(self, phase: str) -> _Timer:
        return _Timer(self, phase)


class _Timer:
    def __init__(self, phases: Phases, phase: str) -> None:
        self.phases, self.phase = phases, phase

    def __enter__(self) -> None:
        self.cpu, self.wall = time.process_time(), time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        self.phases.cpu[self.phase] += time.process_time() - self.cpu
        self.phases.wall[self.phase] += time.perf_counter() - self.wall


# --- the scan ---------------------------------------------------------------------------------


@dataclass
class Dump:
    """What one pass over ``dataset.nq`` finds: each graph's byte ranges (in file order) and each
    document graph's subjects (as N-Quads term bytes)."""

    path: Path
    ranges: dict[bytes, list[tuple[int, int]]]
    """Graph IRI (bytes, without ``<>``) → (start, end) byte ranges."""
    subjects: dict[bytes, set[bytes]]
    """Document graph IRI → its subjects (``<iri>`` or ``_:label``)."""

    def lines(self, handle: BinaryIO, graph: bytes) -> Iterator[bytes]:
        """The graph's lines, read one by one."""
        for start, end in self.ranges[graph]:
            handle.seek(start)
            pos = start
            while pos < end:
                line = handle.readline()
                if not line:
                    break
                pos += len(line)
                yield line

    def read(self, handle: BinaryIO, graphs: Iterable[bytes]) -> bytes:
        parts = []
        for g in graphs:
            for start, end in self.ranges[g]:
                handle.seek(start)
                parts.append(handle.read(end - start))
        return b"".join(parts)


def _kind(graph: str) -> str:
    if graph.endswith(VOCABULARY_SUFFIXES):
        return "vocabulary"
    if graph.endswith(CORPUS_SUFFIXES):
        return "corpus"
    return "document"


def scan_dump(path: Path) -> Dump:
    """Graph byte ranges and document subjects of an N-Quads dump in which every line is one quad
    with a named graph (what ``kg build`` writes); lines of one graph need not be contiguous."""
    ranges: dict[bytes, list[tuple[int, int]]] = {}
    subjects: dict[bytes, set[bytes]] = {}
    with path.open("rb") as handle:
        pos = start = 0
        graph: bytes | None = None
        tail = b"\x00"
        subject = b"\x00"
        subs: set[bytes] | None = None
        for line in handle:
            if not line.endswith(tail):
                if not line.endswith(b"> .\n"):
                    if line.strip() and not line.lstrip().startswith(b"#"):
                        raise BatchingError(f"{path.name}: a line that does not end in a graph IRI")
                    pos += len(line)
                    continue
                if graph is not None:
                    ranges.setdefault(graph, []).append((start, pos))
                cut = line.rindex(b" <", 0, -3)
                graph, tail, start = line[cut + 2:-4], line[cut:], pos
                if _kind(graph.decode("utf-8")) == "document":
                    subs = subjects.setdefault(graph, set())
                    subject = b"\x00"
                else:
                    subs = None
            if subs is not None and not line.startswith(subject):
                subject = line[:line.index(b" ") + 1]
                subs.add(subject[:-1])
            pos += len(line)
        if graph is not None:
            ranges.setdefault(graph, []).append((start, pos))
    return Dump(path, ranges, subjects)


def group_documents(dump: Dump) -> list[list[bytes]]:
    """Document graphs in groups that share no subject with each other (union-find over subjects),
    each group in file order, the groups in the order of their first document."""
    documents = [g for g in dump.ranges if g in dump.subjects]
    parent = list(range(len(documents)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[bytes, int] = {}
    for i, g in enumerate(documents):
        for s in dump.subjects[g]:
            j = first.setdefault(s, i)
            if j != i:
                a, b = root(i), root(j)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    groups: dict[int, list[bytes]] = {}
    for i, g in enumerate(documents):
        groups.setdefault(root(i), []).append(g)
    return list(groups.values())


def pack(groups: list[list[bytes]], size: int) -> list[list[bytes]]:
    """Whole groups, in order, into batches of at most ``size`` documents (a bigger group alone)."""
    batches: list[list[bytes]] = []
    current: list[bytes] = []
    for group in groups:
        if current and len(current) + len(group) > size:
            batches.append(current)
            current = []
        current.extend(group)
    if current:
        batches.append(current)
    return batches


# --- the corpus-wide graphs -------------------------------------------------------------------


@dataclass
class Corpus:
    """The corpus-wide graphs' N-Quads lines, split by subject: each batch's part, the remainder."""

    parts: dict[int, bytes]
    graphs: dict[int, set[str]]
    """Batch → the corpus-wide graphs its part has quads in."""
    owned: set[bytes]
    """Subjects (N-Quads term bytes) that went to a batch."""
    remainder: bytes
    remainder_graphs: set[str]


def split_corpus(sources: Callable[[], Iterable[tuple[str, Iterable[bytes]]]], owner_of: dict[bytes, int]) -> Corpus:
    """The corpus-wide graphs' lines by batch (``sources()``: each graph's IRI and N-Quads lines,
    read twice): a subject goes to the batch whose documents describe it, else to the one batch
    whose documents describe the IRIs its triples point at (``owner_of``: term bytes → batch);
    subjects that name no batch or several go to the remainder. Lines, appended to one buffer per
    batch, not parsed quads: at 5,000 documents a million Python objects would cost more memory
    than a batch's store."""
    targets: dict[bytes, set[int]] = {}
    for _, lines in sources():
        for line in lines:
            if not line.strip() or line.startswith(b"#"):
                continue
            subject = line[:line.index(b" ")]
            if subject not in owner_of:
                found = _OBJECT.search(line)
                batch = owner_of.get(found.group(1)) if found else None
                pointed = targets.setdefault(subject, set())
                if batch is not None:
                    pointed.add(batch)
    owner = {s: next(iter(b)) for s, b in targets.items() if len(b) == 1}
    del targets
    parts: dict[int, bytearray] = {}
    graphs_of: dict[int, set[str]] = {}
    rest = bytearray()
    rest_graphs: set[str] = set()
    owned: set[bytes] = set()
    for graph, lines in sources():
        seen: set[int] = set()
        for line in lines:
            if not line.strip() or line.startswith(b"#"):
                continue
            subject = line[:line.index(b" ")]
            batch = owner_of.get(subject)
            if batch is None:
                batch = owner.get(subject)
            if batch is None:
                rest += line
                rest_graphs.add(graph)
                continue
            owned.add(subject)
            part = parts.get(batch)
            if part is None:
                part = parts[batch] = bytearray()
            part += line
            seen.add(batch)
        for batch in seen:
            graphs_of.setdefault(batch, set()).add(graph)
    return Corpus({k: bytes(v) for k, v in parts.items()}, graphs_of, owned, bytes(rest), rest_graphs)


# --- validation -------------------------------------------------------------------------------


def _check_graphs(store: ox.Store, expected: set[str]) -> None:
    """The batch store holds exactly the graphs the scan put in it, and nothing in the default graph."""
    graphs = {g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)}
    if graphs != expected or next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None):
        raise BatchingError("a batch store does not hold the graphs the scan found")


def _check_references(store: ox.Store, documents: list[str], owner_of: dict[bytes, int], batch: int) -> None:
    """No triple of the batch's documents points at a subject of another batch's documents (which
    a rule could follow backwards in the whole store and not in the batch): ``kg build``'s
    documents point only at their own nodes and the vocabulary. One query in the batch store (its
    distinct IRI objects) costs less than a regular expression over the batch's bytes."""
    graphs = " ".join(f"<{g}>" for g in documents)
    query = f"SELECT DISTINCT ?o WHERE {{ VALUES ?g {{ {graphs} }} GRAPH ?g {{ ?s ?p ?o }} FILTER(isIRI(?o)) }}"
    for row in store.query(query):  # type: ignore[union-attr]
        iri = f"<{row[0].value}>".encode("utf-8")
        if owner_of.get(iri, batch) != batch:
            raise BatchingError(f"a document refers to {row[0].value}, described in another batch")


def _load(store: ox.Store, data: bytes) -> None:
    """N-Quads bytes into the store: :meth:`pyoxigraph.Store.load` (parsed and inserted in Rust, one
    document's quads together in memory) unless blank nodes occur, whose labels it would change."""
    if not data:
        return
    if b"_:" in data:
        store.bulk_extend(ox.parse(data, format=ox.RdfFormat.N_QUADS))
    else:
        store.load(data, format=ox.RdfFormat.N_QUADS)


def _extras(build_dir: Path, dumped: set[str], base_iri: str) -> list[tuple[str, bytes]]:
    """The files :func:`kg.store.load_build` adds (ontology, codes, VoID, an earlier report) when
    the dump lacks their graphs: (graph IRI, its quads as N-Quads)."""
    found = []
    for name, graph in BUILD_EXTRAS:
        path = build_dir / name
        if path.is_file() and base_iri + graph not in dumped:
            target = ox.NamedNode(base_iri + graph)
            with path.open("rb") as handle:
                quads = [ox.Quad(q.subject, q.predicate, q.object, target)
                         for q in ox.parse(handle, format=rdf_format(path), base_iri=path.resolve().as_uri())]
            found.append((base_iri + graph, ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""))
    return found


def validate_build_dir(build_dir: Path, index: ShapesIndex | None = None, checks: tuple[Check, ...] | None = None,
                       batch_documents: int = DEFAULT_BATCH_DOCUMENTS, workers: int | None = None,
                       phases: Phases | None = None, base_iri: str = DEFAULT_BASE_IRI) -> ValidationReport:
    """Validate a build directory batch by batch (``batch_documents`` > 0) or in one store (0); the
    report is the same either way. ``phases``, when given, receives the phases' CPU and wall times."""
    index = index if index is not None else load_shapes(None)
    checks = checks if checks is not None else compile_shapes(index)
    phases = phases if phases is not None else Phases()
    dataset = build_dir / "dataset.nq"
    if not dataset.is_file():
        raise UsageError(f"{build_dir}: no dataset.nq (run `kg build` first, or pass RDF files)")
    if batch_documents > 0:
        try:
            return _batched(build_dir, index, checks, batch_documents, workers, phases, base_iri)
        except BatchingError:
            phases.whole_store = True
    with phases.timed("load"):
        store, _ = load_build(build_dir, base_iri)
    with phases.timed("checks"):
        return validate_store(store, index, checks, workers)


def _batched(build_dir: Path, index: ShapesIndex, checks: tuple[Check, ...], size: int, workers: int | None,
             phases: Phases, base_iri: str) -> ValidationReport:
    with phases.timed("scan"):
        dump = scan_dump(build_dir / "dataset.nq")
        names = {g: g.decode("utf-8") for g in dump.ranges}
        batches = pack(group_documents(dump), size)
        owner_of = {s: k for k, batch in enumerate(batches) for g in batch for s in dump.subjects[g]}
        dump.subjects.clear()
        extras = _extras(build_dir, set(names.values()), base_iri)
        with dump.path.open("rb") as handle:
            vocabulary = [g for g in dump.ranges if _kind(names[g]) == "vocabulary"]
            vocabulary_bytes = dump.read(handle, vocabulary) + b"".join(d for g, d in extras if _kind(g) == "vocabulary")

            def sources() -> Iterator[tuple[str, Iterable[bytes]]]:
                for g in dump.ranges:
                    if _kind(names[g]) == "corpus":
                        yield names[g], dump.lines(handle, g)
                for g, data in extras:
                    if _kind(g) == "corpus":
                        yield g, data.splitlines(keepends=True)

            corpus = split_corpus(sources, owner_of)
        vocabulary_graphs = {names[g] for g in vocabulary} | {g for g, _ in extras if _kind(g) == "vocabulary"}
        del extras

    def fill(store: ox.Store, *parts: bytes) -> None:
        for data in (vocabulary_bytes, *parts):
            _load(store, data)

    threads = workers or os.cpu_count() or 1
    pool = ThreadPoolExecutor(max_workers=threads) if threads > 1 else None
    kept: list[ValidationResult] = []
    documents: list[str] = []
    triples = 0
    corpus_graphs = [ox.NamedNode(g) for g in {*corpus.remainder_graphs, *(g for gs in corpus.graphs.values() for g in gs)}]
    try:
        with dump.path.open("rb") as handle:
            for k, batch in enumerate(batches):
                with phases.timed("load"):
                    store = ox.Store()
                    fill(store, dump.read(handle, batch), corpus.parts.pop(k, b""))
                    _check_graphs(store, vocabulary_graphs | {names[g] for g in batch} | corpus.graphs.get(k, set()))
                    _check_references(store, [names[g] for g in batch], owner_of, k)
                    size = len(store)
                    triples += size
                    phases.peak_batch_quads = max(phases.peak_batch_quads, size)
                with phases.timed("checks"):
                    found = run_checks(store, checks, pool)
                with phases.timed("report"):
                    own = sorted(names[g] for g in batch)
                    for r in with_documents(store, found, tuple(own), index.cite_lines, index.cite_documents,
                                            index.cite_kinds):
                        if r.document is not None or _in_graphs(store, r.focus, corpus_graphs):
                            kept.append(r)
                    documents.extend(own)
                phases.batches += 1
                del store
            # the focus nodes no batch owns: the vocabulary's and the remainder's
            with phases.timed("load"):
                store = ox.Store()
                fill(store)
                vocabulary_size = len(store)
                _load(store, corpus.remainder)
                triples += len(store) - vocabulary_size * len(batches)
                _check_graphs(store, vocabulary_graphs | corpus.remainder_graphs)
            with phases.timed("checks"):
                found = run_checks(store, checks, pool)
            with phases.timed("report"):
                for r in with_documents(store, found, (), index.cite_lines, index.cite_documents, index.cite_kinds):
                    focus = _focus_bytes(r.focus)
                    if focus not in corpus.owned and focus not in owner_of:
                        kept.append(r)
                phases.batches += 1
    finally:
        if pool is not None:
            pool.shutdown()
    with phases.timed("report"):
        return ValidationReport(results=sort_results(kept), rules=index.rules, documents=tuple(sorted(documents)),
                                engine="oxigraph", triples=triples)


def _in_graphs(store: ox.Store, focus: str, graphs: list[ox.NamedNode]) -> bool:
    """Whether the focus node is a subject in one of ``graphs`` (in a batch: in its part of them)."""
    try:
        node = ox.BlankNode(focus[2:]) if focus.startswith("_:") else ox.NamedNode(focus)
    except ValueError:  # a literal focus node (sh:targetObjectsOf) is nobody's subject
        return False
    return any(next(iter(store.quads_for_pattern(node, None, None, g)), None) is not None for g in graphs)


def _focus_bytes(focus: str) -> bytes:
    return (focus if focus.startswith("_:") else f"<{focus}>").encode("utf-8")


__all__ = ["DEFAULT_BATCH_DOCUMENTS", "Corpus", "Phases", "group_documents", "pack", "scan_dump", "split_corpus",
           "validate_build_dir"]

