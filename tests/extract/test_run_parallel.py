"""Extraction of a large batch in worker processes: the same results, files and reports, in the
same order, as one process; a bad document is still its own error."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import kg.extract.run as run
from kg.extract.facts import to_json
from kg.extract.run import extract_documents


@pytest.fixture
def batch(samples_dir: Path, tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    for sample in sorted(samples_dir.glob("*.txt")):
        shutil.copy(sample, docs / sample.name)
    (docs / "002_binary.txt").write_bytes(b"\x00\x01\x02 not text")
    (docs / "003_empty.txt").write_bytes(b"")
    return docs


def outcome(results: list[run.DocumentResult]) -> list[tuple[str, object]]:
    return [(r.path.name, to_json(r.facts) if r.facts else str(r.error)) for r in results]


def test_workers_give_the_results_of_one_process_in_document_order(
    batch: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(run, "PARALLEL_MIN_DOCUMENTS", 2)
    serial_lines: list[str] = []
    parallel_lines: list[str] = []
    serial = extract_documents([batch], tmp_path / "one", report=serial_lines.append, workers=1)
    parallel = extract_documents([batch], tmp_path / "two", report=parallel_lines.append, workers=2)
    assert outcome(parallel) == outcome(serial)
    assert parallel_lines == serial_lines
    assert sum(not r.ok for r in parallel) == 2
    assert {r.path.name: r.error.line for r in parallel if r.error} == {r.path.name: r.error.line for r in serial if r.error}
    one = sorted(p.name for p in (tmp_path / "one").iterdir())
    assert one == sorted(p.name for p in (tmp_path / "two").iterdir()) and len(one) == 5
    for name in one:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_the_default_is_this_process_and_one_more_per_idle_cpu(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(run, "default_workers", lambda: 2)
    monkeypatch.setattr(run, "_load", lambda: 0.3)
    per = run.DOCUMENTS_PER_WORKER
    assert run._processes(None, 100) == 2
    assert run._processes(None, 2 * per - 1) == 1  # too few documents for two
    assert run._processes(None, 0) == 1
    monkeypatch.setattr(run, "_load", lambda: 1.0)  # one CPU busy on average: one left idle
    assert run._processes(None, 100) == 2
    monkeypatch.setattr(run, "_load", lambda: 1.4)  # less than a whole CPU left
    assert run._processes(None, 100) == 1
    monkeypatch.setattr(run, "_load", lambda: 7.0)
    assert run._processes(None, 100) == 1
    monkeypatch.setattr(run, "default_workers", lambda: 8)
    monkeypatch.setattr(run, "_load", lambda: 3.5)
    assert run._processes(None, 100) == 5
    assert run._processes(0, 3) == 8  # asked for: one per CPU, whatever the load
    assert run._processes(1, 100) == 1
    assert run._processes(3, 100) == 3
    monkeypatch.setattr(run, "DEFAULT_WORKERS", 1)
    assert run._processes(None, 100) == 1


def test_the_default_runs_a_large_batch_in_workers_with_the_same_files(
    samples_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    samples = sorted(samples_dir.glob("*.txt"))
    for copy in range(4):  # 20 documents: enough for the pool by default on two CPUs
        for sample in samples:
            shutil.copy(sample, docs / f"{copy}_{sample.name}")
    monkeypatch.setattr(run, "default_workers", lambda: 2)
    monkeypatch.setattr(run, "_load", lambda: 0.0)
    started: list[int] = []
    real = run._extract_all

    def spy(documents, workers, encode):  # type: ignore[no-untyped-def]
        started.append(workers)
        return real(documents, workers, encode)

    monkeypatch.setattr(run, "_extract_all", spy)
    pooled = extract_documents([docs], tmp_path / "pooled")
    serial = extract_documents([docs], tmp_path / "serial", workers=1)
    assert started == [2, 1]
    assert outcome(pooled) == outcome(serial) and all(r.ok for r in pooled)
    names = sorted(p.name for p in (tmp_path / "serial").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "pooled").iterdir()) and len(names) == 20
    for name in names:
        assert (tmp_path / "pooled" / name).read_bytes() == (tmp_path / "serial" / name).read_bytes()


_REAL_PORTABLE = run._extract_portable


def _dies_on_the_third(path: Path, encode: bool):  # type: ignore[no-untyped-def]
    """A worker killed while extracting one document (out of memory, a signal)."""
    if path.name.startswith("2_"):
        os._exit(1)
    return _REAL_PORTABLE(path, encode)


def test_a_dead_worker_leaves_the_rest_to_this_process(
    batch: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i, sample in enumerate(sorted(batch.glob("*.txt"))):
        sample.rename(batch / f"{i}_{sample.name}")
    monkeypatch.setattr(run, "PARALLEL_MIN_DOCUMENTS", 2)
    serial = extract_documents([batch], tmp_path / "one", workers=1)
    monkeypatch.setattr(run, "_extract_portable", _dies_on_the_third)
    parallel = extract_documents([batch], tmp_path / "two", workers=2)
    assert outcome(parallel) == outcome(serial)
    for name in sorted(p.name for p in (tmp_path / "one").iterdir()):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_no_worker_can_start_and_this_process_extracts_all(
    batch: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(run, "PARALLEL_MIN_DOCUMENTS", 2)
    serial = extract_documents([batch], tmp_path / "one", workers=1)

    class NoFork:
        def __init__(self, *args: object, **kwargs: object) -> None:
            pass

        def map(self, *args: object, **kwargs: object) -> None:
            raise BlockingIOError(11, "Resource temporarily unavailable")  # fork: EAGAIN

        def shutdown(self, *args: object, **kwargs: object) -> None:
            pass

    monkeypatch.setattr(run, "ProcessPoolExecutor", NoFork)
    fallback = extract_documents([batch], tmp_path / "two", workers=2)
    assert outcome(fallback) == outcome(serial)


def test_processes_runnable_now_are_read_from_proc_loadavg(tmp_path: Path) -> None:
    loadavg = tmp_path / "loadavg"
    loadavg.write_text("1.52 0.90 0.40 3/212 4242\n", encoding="ascii")
    assert run._runnable_now(source=str(loadavg), interval=0) == 2.0  # three running, one is us
    loadavg.write_text("1.52 0.90 0.40 1/212 4242\n", encoding="ascii")
    assert run._runnable_now(source=str(loadavg), interval=0) == 0.0
    loadavg.write_text("garbage\n", encoding="ascii")
    assert run._runnable_now(source=str(loadavg), interval=0) is None
    assert run._runnable_now(source=str(tmp_path / "missing"), interval=0) is None


def test_load_is_the_lesser_of_the_minute_average_and_now(monkeypatch: pytest.MonkeyPatch) -> None:
    """The 1-minute average still counts a command that just finished; extraction right after a
    build on an idle machine must still get its workers."""
    monkeypatch.setattr(run.os, "getloadavg", lambda: (1.6, 1.0, 0.5))
    monkeypatch.setattr(run, "_runnable_now", lambda: 0.0)
    assert run._load() == 0.0
    monkeypatch.setattr(run, "_runnable_now", lambda: 5.0)
    assert run._load() == 1.6
    monkeypatch.setattr(run, "_runnable_now", lambda: None)
    assert run._load() == 1.6
