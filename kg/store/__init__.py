"""Loading RDF into an in-memory pyoxigraph store for serving.

Every triple lives in a named graph: a build's ``dataset.nq`` keeps its document graphs, and each
other file goes into a graph of its own (see :func:`graph_for_file`). Queries then use the union of
the named graphs as their default graph (:data:`QUERY_OPTIONS`), so the store's own default graph
stays empty and named graphs remain queryable with ``GRAPH``.

The in-memory store is the measured choice for a read-only publisher (docs/endpoint.md): the dump is
loaded at start-up and analytic queries run several times faster than on the on-disk store.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from kg.errors import UsageError

DEFAULT_BASE_IRI = "https://budget-kg.org/"

#: Keyword arguments for :meth:`pyoxigraph.Store.query` giving the served semantics.
QUERY_OPTIONS = {"use_default_graph_as_union": True}

#: Files of a build directory loaded next to ``dataset.nq``, with the graph (relative to the base
#: IRI) each goes into — for TriG, a graph it holds. Missing files are skipped, and so are files
#: whose graph the store already has (the dump may carry the ontology and codes itself).
BUILD_EXTRAS = (
    ("ontology.ttl", "graph/ontology"),
    ("codes.ttl", "graph/codes"),
    ("void.ttl", "graph/void"),
    ("validation/report.ttl", "graph/validation"),
)
#: What ``kg serve`` loads: the above plus the analysis stage's graphs (project → duty links …).
SERVED_EXTRAS = (*BUILD_EXTRAS, ("analysis.trig", "graph/links"))

_FORMATS = {
    ".nq": ox.RdfFormat.N_QUADS,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".ttl": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
}


@dataclass(frozen=True)
class Source:
    """One file loaded into the store."""

    path: Path
    """The file read."""
    graph: str | None
    """The named graph its triples went into; ``None`` for quad formats, which name their own."""


def rdf_format(path: Path) -> ox.RdfFormat:
    """The RDF syntax of a file, from its suffix."""
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise UsageError(f"{path.name}: unknown RDF file type (use one of {', '.join(sorted(_FORMATS))})")
    return fmt


def graph_for_file(path: Path, base_iri: str = DEFAULT_BASE_IRI) -> str:
    """The named graph for a triples file given on the command line: ``<base>graph/file/<name>``."""
    return f"{base_iri}graph/file/{path.name}"


def _check_safe(data: bytes, path: Path, fmt: ox.RdfFormat) -> None:
    # pyoxigraph expands internal XML entities without bound (notes/security.md §2.3).
    if fmt == ox.RdfFormat.RDF_XML and (b"<!DOCTYPE" in data or b"<!ENTITY" in data):
        raise UsageError(f"{path.name}: RDF/XML with a DOCTYPE or entity declarations is not accepted")


def load_file(store: ox.Store, path: Path, graph: str | None) -> Source:
    """Load one RDF file; triples go into ``graph``, quads keep their graphs (default → ``graph``).

    The file is streamed from its path, never read into memory whole: at 5,000 documents
    ``dataset.nq`` is 3 GiB, and a copy of its bytes next to the store would double the server's
    peak. RDF/XML alone is read first, for the entity check. Quad files go through
    :func:`pyoxigraph.parse`, which keeps their blank node labels (the bulk loader renames them)."""
    fmt = rdf_format(path)
    target = ox.NamedNode(graph) if graph else None
    try:
        with path.open("rb") as handle:
            source: bytes | BinaryIO = handle
            if fmt == ox.RdfFormat.RDF_XML:
                source = handle.read()
                _check_safe(source, path, fmt)
            if fmt.supports_datasets:
                quads = ox.parse(source, format=fmt, base_iri=path.resolve().as_uri())
                if target is not None:
                    quads = (q if not isinstance(q.graph_name, ox.DefaultGraph) else ox.Quad(q.subject, q.predicate, q.object, target) for q in quads)
                store.bulk_extend(quads)
            else:
                store.bulk_load(source, format=fmt, base_iri=path.resolve().as_uri(), to_graph=target)
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from exc
    except SyntaxError as exc:
        if fmt == ox.RdfFormat.JSON_LD and "LoadDocumentCallback" in str(exc):
            # pyoxigraph's words for a context given by URL or path, which is never fetched
            raise UsageError(
                f"{path.name}: a JSON-LD @context given by URL or file path is not fetched; "
                "put the context into the document"
            ) from exc
        raise UsageError(f"{path.name}: not valid {fmt.name}: {exc}") from exc
    return Source(path, None if fmt.supports_datasets else graph)


def load_files(paths: Iterable[Path], base_iri: str = DEFAULT_BASE_IRI, store: ox.Store | None = None) -> tuple[ox.Store, list[Source]]:
    """Load RDF files (any of :data:`_FORMATS`): triples files each into their own named graph."""
    store = store if store is not None else ox.Store()
    sources = []
    for path in paths:
        if path.is_dir():
            raise UsageError(f"{path} is a directory; use --data for a build directory")
        sources.append(load_file(store, path, graph_for_file(path, base_iri)))
    return store, sources


def load_build(
    build_dir: Path,
    base_iri: str = DEFAULT_BASE_IRI,
    store: ox.Store | None = None,
    extras: tuple[tuple[str, str], ...] = BUILD_EXTRAS,
) -> tuple[ox.Store, list[Source]]:
    """Load a build directory: ``dataset.nq`` plus the ``extras`` (file, graph) that exist."""
    dataset = build_dir / "dataset.nq"
    if not dataset.is_file():
        raise UsageError(f"{build_dir}: no dataset.nq (run `kg build` first, or pass RDF files)")
    store = store if store is not None else ox.Store()
    sources = [load_file(store, dataset, f"{base_iri}graph/default")]
    for name, graph in extras:
        path = build_dir / name
        # Skip what the dump already carries, so the union default graph holds no duplicates.
        if path.is_file() and not store.contains_named_graph(ox.NamedNode(base_iri + graph)):
            sources.append(load_file(store, path, base_iri + graph))
    return store, sources
