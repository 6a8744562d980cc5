"""Extracting many documents to JSON files: the I/O edge of the extraction stage."""

from __future__ import annotations

import gc
import itertools
import math
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from kg.errors import DocumentError
from kg.extract import extract_bytes
from kg.extract.facts import DocumentFacts, to_json_text
from kg.io import find_documents, usable_cpus, write_text_atomic


@dataclass(frozen=True)
class DocumentResult:
    path: Path
    facts: DocumentFacts | None = None
    error: DocumentError | None = None

    @property
    def ok(self) -> bool:
        return self.facts is not None


def summarize(facts: DocumentFacts) -> str:
    """The one-line summary printed per document."""
    indicators = sum(len(p.indicators) for p in facts.projects)
    return (
        f"{facts.document}: {facts.bureau or '?'} {facts.year or '?'} · "
        f"{len(facts.function_lines)} function, {len(facts.economic_lines)} economic, "
        f"{len(facts.category_lines)} category lines · {len(facts.duties)} duties, {len(facts.goals)} goals · "
        f"{len(facts.projects)} projects, {indicators} indicators · {len(facts.statements)} statements"
    )


def extract_path(path: Path) -> DocumentResult:
    """Extract one file; a document that cannot be extracted becomes an error result."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return DocumentResult(path, error=DocumentError(str(path), f"cannot read the file ({exc.strerror})"))
    try:
        return DocumentResult(path, facts=extract_bytes(data, path.name))
    except DocumentError as exc:
        return DocumentResult(path, error=exc)
    except Exception as exc:  # noqa: BLE001 - a bug on one document must not stop the others
        detail = f"internal error ({type(exc).__name__}: {exc}); expected facts or a document error: please report"
        return DocumentResult(path, error=DocumentError(path.name, detail))


# below this many documents a process pool costs more to start than it saves
PARALLEL_MIN_DOCUMENTS = 16
# Automatic default (``workers=None``): one process per CPU that is idle, at least this many
# documents each (docs/extraction.md, Speed). With a core idle, two forked workers take 100
# documents in about half the wall time of one process; with every core busy with other work they
# take as long or longer (the kernel shares CPU time between sessions, not processes) and ~10 % more
# CPU (facts pickled back, caches warmed twice).
DOCUMENTS_PER_WORKER = 8
DEFAULT_WORKERS: int | None = None
_CHUNK = 4


def default_workers() -> int:
    """The processes extraction may use: the CPUs this process may run on."""
    return usable_cpus()


def _runnable_now(samples: int = 3, interval: float = 0.004, source: str = "/proc/loadavg") -> float | None:
    """Other processes runnable right now: the most of a few readings of /proc/loadavg's
    running-entities count, less this process; None where there is no /proc."""
    most = 0
    try:
        for sample in range(samples):
            if sample:
                time.sleep(interval)
            with open(source, encoding="ascii") as handle:
                running = int(handle.read().split()[3].split("/")[0])
            most = max(most, running - 1)
    except (OSError, ValueError, IndexError):
        return None
    return float(most)


def _load() -> float:
    """CPUs taken by other work: the lesser of the 1-minute load average and the processes
    runnable right now. The average lags a minute behind (a command that just finished still
    counts as load, so extraction after a build would run in one process on an idle machine);
    the readings of now catch a machine that became busy. 0 where unknown."""
    try:
        average = os.getloadavg()[0]
    except (AttributeError, OSError):  # not on Unix
        return 0.0
    now = _runnable_now()
    return average if now is None else min(average, now)


def _processes(workers: int | None, documents: int) -> int:
    """Processes for ``documents`` documents: ``workers`` (0: one per CPU; None: the default, this
    process and one more per CPU left idle by the load, at most one per CPU and one per
    :data:`DOCUMENTS_PER_WORKER` documents)."""
    if workers is None:
        workers = DEFAULT_WORKERS
    if workers is None:
        cpus = default_workers()
        idle = max(0, math.floor(cpus - _load()))
        return max(1, min(cpus, documents // DOCUMENTS_PER_WORKER, 1 + idle))
    return workers or default_workers()


_Portable = tuple[DocumentFacts | None, str | None, tuple[str, str, int | None] | None]


def _extract_portable(path: Path, encode: bool) -> _Portable:
    """:func:`extract_path` in a worker process, with the JSON text when ``encode`` (the worker
    writes it so that the parent, which has to unpickle every result, does not also have to encode
    it); the error travels as its fields (it does not pickle)."""
    result = extract_path(path)
    if result.error is not None:
        return None, None, (result.error.document, result.error.detail, result.error.line)
    assert result.facts is not None
    return result.facts, to_json_text(result.facts) if encode else None, None


# Extraction allocates ~100,000 small objects a document (cells, rows, facts) and frees almost all
# of them by reference counting; at the default threshold (700) the cyclic collector ran ~470 times
# over 100 documents, ~8 % of the CPU time. Collections stay on, just ~30 times rarer.
_GC_THRESHOLD = 20_000


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Raise the generation-0 threshold of the cyclic garbage collector while extracting."""
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], _GC_THRESHOLD), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _start_worker() -> None:
    """A forked worker: what it inherited is never garbage (``gc.freeze``), and it collects rarely."""
    gc.freeze()
    gc.set_threshold(max(gc.get_threshold()[0], _GC_THRESHOLD), *gc.get_threshold()[1:])


def _pool_context() -> multiprocessing.context.BaseContext | None:
    """Fork where there is fork: the workers start at once with every module already imported."""
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return None


def _extract_all(documents: list[Path], workers: int, encode: bool) -> Iterator[tuple[DocumentResult, str | None]]:
    """Results in document order (with their JSON text when a worker encoded it), from ``workers``
    processes when there are enough documents.

    The workers are forked here, before the caller starts anything else (a progress bar's monitor
    thread: forking a process that runs threads risks copying a held lock).
    """
    if workers <= 1 or len(documents) < PARALLEL_MIN_DOCUMENTS:
        return ((extract_path(path), None) for path in documents)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context(), initializer=_start_worker)
    try:
        chunks = pool.map(_extract_portable, documents, itertools.repeat(encode), chunksize=_CHUNK)
    except OSError:  # no process could be started (process or memory limits): all here
        pool.shutdown(cancel_futures=True)
        return ((extract_path(path), None) for path in documents)
    except BaseException:
        pool.shutdown(cancel_futures=True)
        raise
    return _pooled_results(pool, chunks, documents)


def _pooled_results(
    pool: ProcessPoolExecutor, chunks: Iterator[_Portable], documents: list[Path]
) -> Iterator[tuple[DocumentResult, str | None]]:
    done = 0
    try:
        with pool:
            for facts, text, error in chunks:
                yield DocumentResult(documents[done], facts=facts, error=DocumentError(*error) if error else None), text
                done += 1
    except BrokenProcessPool:  # a worker died (killed, out of memory): the rest one by one, here
        for path in documents[done:]:
            yield extract_path(path), None


def _write(result: DocumentResult, target: Path, written: dict[Path, Path], text: str | None) -> DocumentResult:
    """Write one document's JSON atomically; a clash of names or a failed write is its error."""
    assert result.facts is not None
    if target in written:
        detail = f"{target.name} was already written for {written[target]}; expected unique document names"
        return DocumentResult(result.path, error=DocumentError(result.path.name, detail))
    try:
        write_text_atomic(target, text if text is not None else to_json_text(result.facts))
    except OSError as exc:
        detail = f"cannot write {target} ({exc.strerror or exc}); expected a writable output directory"
        return DocumentResult(result.path, error=DocumentError(result.path.name, detail))
    written[target] = result.path
    return result


def extract_documents(
    paths: Iterable[Path],
    out_dir: Path | None = None,
    *,
    report: Callable[[str], None] | None = None,
    progress: TextIO | None = None,
    workers: int | None = None,
) -> list[DocumentResult]:
    """Extract every document under ``paths``; write ``out_dir/<stem>.json`` for each success.

    Output files are written atomically; a failed document writes nothing and does not stop the
    others. ``report`` receives the per-document summary or error line; a progress bar goes to
    ``progress`` when there are many documents. Batches of :data:`PARALLEL_MIN_DOCUMENTS` or more
    are extracted by ``workers`` forked processes (0: one per available CPU; None: as many as there
    are idle CPUs, see :func:`_processes`); results, files and reports stay in document order.
    """
    documents = find_documents(paths)
    results: list[DocumentResult] = []
    written: dict[Path, Path] = {}
    with _fewer_collections():
        extracted = _extract_all(documents, _processes(workers, len(documents)), out_dir is not None)
        bar = None
        if progress is not None and len(documents) > 20:
            from tqdm import tqdm

            bar = tqdm(total=len(documents), file=progress, unit="doc", leave=False)
        for result, text in extracted:
            path = result.path
            if result.facts is not None and out_dir is not None:
                result = _write(result, out_dir / f"{path.stem}.json", written, text)
            results.append(result)
            if report is not None:
                report(summarize(result.facts) if result.facts else f"error: {result.error}")
            if bar is not None:
                bar.update()
    if bar is not None:
        bar.close()
    return results


def print_report(line: str) -> None:
    stream = sys.stderr if line.startswith("error:") else sys.stdout
    print(line, file=stream)
