"""``kg build``: inputs → facts → the knowledge graph's dumps in a build directory.

Every file is written atomically (:mod:`kg.io`) and deterministically: two builds of the same inputs
give byte-identical files.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from kg.extract.facts import DocumentFacts, to_json_text
from kg.io import write_text_atomic
from kg.model import codes
from kg.model.cache import (
    FactsCache, clear_manifest, code_fingerprint, file_intact, file_state, graph_key, input_key, outputs_intact,
    read_manifest, take_graph_index, write_graph_index, write_manifest,
)
from kg.model.inputs import Loaded, find_inputs, load
from kg.model.iris import DEFAULT_BASE, Iris, document_stem
from kg.model.dumps import (
    DATASET_FILES, DEFAULT_WORKERS, HEADER, DocumentJob, DocumentText, DocumentWriter, DumpWriter, TermForms,
    cached_text, graphs_of, index_entry, shared_texts, write_in_order,
)
from kg.model.mapping import budget_sequence_quads, ontology_quads
from kg.model.terms import Quad


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote."""

    out_dir: Path
    documents: tuple[str, ...]
    """File names of the documents in the graph, sorted."""
    errors: tuple[tuple[str, str], ...]
    """(input path, message) of inputs that could not be read or extracted."""
    quads: int
    """Statements in ``dataset.nq``."""
    files: tuple[str, ...]
    """Files written, relative to ``out_dir``."""
    seconds: float

    @property
    def ok(self) -> bool:
        return not self.errors


def _dedupe(loaded: Iterable[tuple[Path, DocumentFacts]]) -> tuple[list[DocumentFacts], list[tuple[str, str]]]:
    """One facts object per document stem (the first input wins; later ones are errors)."""
    by_stem: dict[str, DocumentFacts] = {}
    errors: list[tuple[str, str]] = []
    for path, facts in loaded:
        stem = document_stem(facts.document)
        if stem in by_stem:
            errors.append((str(path), f"document {facts.document} is already in the build; "
                                      "expected each document once (as text or as facts JSON)"))
            continue
        by_stem[stem] = facts
    return [by_stem[k] for k in sorted(by_stem)], errors


def write_graph_files(out: Path, quads: Sequence[Quad], facts_list: Sequence[DocumentFacts],
                      iris: Iris) -> tuple[list[str], int]:
    """Write the dumps of ``quads`` into ``out`` (streamed, each file atomically) and the facts JSON
    of ``facts_list``; returns the file names written and the number of distinct quads."""
    forms = TermForms()
    with DumpWriter(out) as writer:
        for text in shared_texts(quads, forms):
            writer.add(text)
        names = writer.finish(iris, [q for q in quads if q[3] == iris.graph("codes")])
    for facts in facts_list:
        name = f"facts/{document_stem(facts.document)}.json"
        write_text_atomic(out / name, to_json_text(facts))
        names.append(name)
    return sorted(names), writer.stats.triples


def _input_keys(paths: Sequence[Path], fingerprint: str) -> list[tuple[Path, str | None]]:
    keys: list[tuple[Path, str | None]] = []
    for path in paths:
        try:
            keys.append((path, input_key(path.read_bytes(), path.name, fingerprint)))
        except OSError:
            keys.append((path, None))
    return keys


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection inside: building a million quad tuples otherwise spends most of
    its time in collections that find nothing (measured: mapping 2.3 s → 0.7 s per million quads)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load_inputs(keyed: Sequence[tuple[Path, str | None]], cache: FactsCache | None,
                 progress: TextIO | None = None) -> list[Loaded]:
    """Every input's facts in input order: facts JSON read, cached documents reused, the other
    documents extracted together (in parallel processes when there are many, see kg.extract.run)."""
    found: dict[Path, Loaded] = {}
    pending: list[Path] = []
    with paused_gc():  # reading facts JSON makes many objects and no cycles (≈ 15 % less CPU)
        for path, key in keyed:
            if path.suffix.lower() == ".json" or key is None:
                found[path] = load(path)
            elif cache is not None and (hit := cache.get(key)) is not None:
                found[path] = Loaded(path, hit, cached=True)
            else:
                pending.append(path)
    keys = dict(keyed)
    if pending:  # the extraction's modules only when there is something to extract (≈ 5 ms to import)
        from kg.extract.run import extract_documents
    for result in (extract_documents(pending, progress=progress) if pending else []):
        if result.facts is None:
            found[result.path] = Loaded(result.path, None, str(result.error or "extraction gave no facts"))
            continue
        found[result.path] = Loaded(result.path, result.facts)
        if cache is not None and keys.get(result.path):
            cache.put(keys[result.path], result.facts)  # type: ignore[arg-type]
    return [found.get(path) or Loaded(path, None, "not extracted") for path, _ in keyed]


def build(inputs: Sequence[Path], out_dir: Path, base_uri: str = DEFAULT_BASE,
          report: Callable[[str], None] | None = None, incremental: bool = False,
          progress: TextIO | None = None, workers: int | None = None) -> BuildResult:
    """Read (or extract) ``inputs`` and write the knowledge graph's dumps into ``out_dir``.

    With ``workers`` > 1 the documents' graphs are written by that many forked processes when there
    are many documents (default :data:`kg.model.dumps.DEFAULT_WORKERS`: two where two CPUs are usable,
    measured faster on the 2-vCPU machine); the files are the same with any number.

    With ``incremental`` (``kg build``'s default; off here so that library callers such as the
    benchmarks always measure a full build) documents extracted by an earlier build into the same
    directory are not extracted again (:mod:`kg.model.cache`), and a build whose inputs, code and
    outputs are unchanged does nothing. Files an earlier build wrote that this one does not (the
    facts of a removed document …) are deleted.
    """
    start = time.perf_counter()
    iris = Iris(base_uri)
    fingerprint = code_fingerprint()
    keyed = _input_keys(find_inputs(inputs), fingerprint)
    state = {"fingerprint": fingerprint, "base_uri": iris.base,
             "inputs": [[str(p), k] for p, k in keyed]}
    previous = read_manifest(out_dir)
    if (incremental and previous and previous.get("state") == state
            and outputs_intact(out_dir, previous.get("sizes", {}))):
        old = previous["result"]
        result = BuildResult(out_dir, tuple(old["documents"]), tuple(tuple(e) for e in old["errors"]),  # type: ignore[misc]
                             old["quads"], tuple(old["files"]), time.perf_counter() - start)
        if report:
            report(f"{len(result.documents)} documents → {result.quads} quads in {out_dir}: unchanged, nothing to do")
        return result
    clear_manifest(out_dir)
    return _build(keyed, out_dir, iris, previous, state, report, incremental, start, progress,
                  DEFAULT_WORKERS if workers is None else workers)


def _cached_documents(out: Path, facts_list: Sequence[DocumentFacts], iris: Iris,
                      extra: dict[str, list[Quad]], input_keys: dict[str, str],
                      index: dict[str, dict]) -> tuple[dict[int, str], dict[int, DocumentText]]:
    """Each document's graph key, and the texts of those the previous build wrote (spans of its
    dumps, whose facts file is still as it wrote it)."""
    keys: dict[int, str] = {}
    cached: dict[int, DocumentText] = {}
    for i, facts in enumerate(facts_list):
        input_key = input_keys.get(facts.document)
        if not input_key:
            continue
        graph = iris.document(facts.document)
        keys[i] = key = graph_key(input_key, iris.base, extra.get(graph, ()))
        entry = index.get(key)
        if entry is not None and entry["graph"] == graph and file_intact(out / entry["facts_file"], entry["facts_state"]):
            cached[i] = cached_text(out, entry)
    return keys, cached


def _write_graphs(out: Path, facts_list: Sequence[DocumentFacts], iris: Iris, workers: int,
                  input_keys: dict[str, str] | None = None) -> tuple[list[str], int]:
    """Map and write every graph: the documents' (in ``workers`` processes when there are many) while
    this process makes the shared graphs and the analysis; returns the files written and the quad count.

    With ``input_keys`` (document → its input's cache key: incremental builds) the documents the
    previous build wrote from the same inputs are not mapped again: their texts are copied from its
    dumps (byte ranges recorded in ``.cache/graphs.json``), and this build's ranges are recorded."""
    sequence = budget_sequence_quads(facts_list, iris)
    document_graphs = {iris.document(f.document) for f in facts_list}
    extra = graphs_of(q for q in sequence if q[3] in document_graphs)
    index = take_graph_index(out, DATASET_FILES)
    keys, cached = ({}, {}) if input_keys is None else _cached_documents(out, facts_list, iris, extra, input_keys, index)
    job = DocumentJob(facts_list, iris, extra, out, cached)
    with DocumentWriter(job, workers) as documents:
        codes_quads = codes.scheme_quads(facts_list, iris, iris.graph("codes"))
        shared = [*(q for q in sequence if q[3] not in document_graphs), *codes_quads,
                  *ontology_quads(iris.graph("ontology"))]
        # --- project → duty links and analysis (kg/analyze, issue 7; docs/analysis.md) -------------
        from kg.analyze import analysis_quads, read_overrides, run_analysis, write_analysis_files

        analysis = run_analysis(facts_list, iris.base, read_overrides())
        shared.extend(analysis_quads(facts_list, analysis, iris.base))
        analysis_names = write_analysis_files(out, analysis)  # links.json, analysis.json, analysis/*.svg
        # ---------------------------------------------------------------------------------------------
        with DumpWriter(out) as writer:
            writer.write_codes(codes_quads)  # before waiting for the documents
            facts_files = write_in_order(writer, documents, shared_texts(shared, TermForms()))
            names = writer.finish(iris, codes_quads)
    if keys:
        write_graph_index(out, DATASET_FILES, {
            key: index_entry(writer, iris.document(facts_list[i].document), name, file_state(out / name))
            for i, key in keys.items() for name in [f"facts/{document_stem(facts_list[i].document)}.json"]})
    return sorted([*names, *facts_files, *analysis_names]), writer.stats.triples


def _build(keyed: list[tuple[Path, str | None]], out_dir: Path, iris: Iris, previous: dict | None,
           state: dict, report: Callable[[str], None] | None, incremental: bool, start: float,
           progress: TextIO | None = None, workers: int | None = None) -> BuildResult:
    cache = FactsCache(out_dir) if incremental else None
    loaded: list[tuple[Path, DocumentFacts]] = []
    errors: list[tuple[str, str]] = []
    reused = 0
    for item in _load_inputs(keyed, cache, progress):
        if item.facts is None:
            errors.append((str(item.path), item.error or "no facts"))
            if report:
                report(f"{item.path}: {item.error}")
        else:
            reused += item.cached
            loaded.append((item.path, item.facts))
    facts_list, duplicates = _dedupe(loaded)
    errors.extend(duplicates)
    input_keys: dict[str, str] | None = None
    if incremental:  # the key of the input each document came from (the first one, as in _dedupe)
        keys = dict(keyed)
        input_keys = {}
        for path, facts in loaded:
            if keys.get(path):
                input_keys.setdefault(facts.document, keys[path])  # type: ignore[arg-type]
    with paused_gc():  # extraction above runs with the collector on (its garbage has cycles)
        files, statements = _write_graphs(out_dir, facts_list, iris, workers or 1, input_keys)
    result = BuildResult(out_dir, tuple(f.document for f in facts_list), tuple(errors), statements,
                         tuple(files), time.perf_counter() - start)
    for stale in sorted(set((previous or {}).get("sizes", {})) - set(files)):
        (out_dir / stale).unlink(missing_ok=True)
    if cache is not None:
        cache.prune({k for p, k in keyed if k and p.suffix.lower() != ".json"})
    write_manifest(out_dir, {
        "state": state,
        "sizes": {name: (out_dir / name).stat().st_size for name in files},
        "result": {"documents": list(result.documents), "errors": [list(e) for e in result.errors],
                   "quads": result.quads, "files": list(result.files)},
    })
    if report:
        note = f", {reused} documents from the cache" if reused else ""
        report(f"{len(facts_list)} documents → {statements} quads in {out_dir} ({result.seconds:.2f}s{note})")
    return result


__all__ = ["HEADER", "BuildResult", "build", "codes", "write_graph_files"]
