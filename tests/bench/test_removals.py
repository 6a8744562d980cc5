"""A run waits for the background removals of earlier runs' working directories before it
measures: on this VM's ext4 a deletion in progress slows every stage that writes files."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench import run


@contextmanager
def slow_rm(seconds: float) -> Iterator[subprocess.Popen[bytes]]:
    """A process that lasts ``seconds``, standing in for a long ``rm -rf``; killed on leaving."""
    rm = subprocess.Popen([sys.executable, "-c", f"import time; time.sleep({seconds})"])
    try:
        yield rm
    finally:
        rm.kill()
        rm.wait()


def note(registry: Path, pid: int, path: Path, start: int | None = None) -> None:
    registry.mkdir(parents=True, exist_ok=True)
    state = run.process_state(pid)
    assert state is not None
    start = state[1] if start is None else start
    (registry / str(pid)).write_text(f"{start}\n{path}", encoding="utf-8")


def test_a_background_removal_is_noted_and_the_next_run_finds_it_finished(tmp_path: Path, own_removal_registry: Path) -> None:
    work = tmp_path / "work"
    (work / "site" / "a").mkdir(parents=True)
    (work / "site" / "a" / "page.html").write_text("x", encoding="utf-8")
    lines: list[str] = []
    run.remove_in_background(work, lines.append)
    notes = list(own_removal_registry.iterdir())
    assert len(notes) == 1 and notes[0].read_text(encoding="utf-8").split("\n")[1] == str(work)
    assert f"pid {notes[0].name}" in lines[0]
    run.wait_for_removals(lines.append, limit=60)
    assert not work.exists()
    assert list(own_removal_registry.iterdir()) == []


def test_the_run_waits_until_the_removal_has_ended(tmp_path: Path, own_removal_registry: Path) -> None:
    with slow_rm(1.0) as rm:
        note(own_removal_registry, rm.pid, tmp_path / "old-work")
        lines: list[str] = []
        run.wait_for_removals(lines.append, limit=60)
        assert rm.poll() is not None
        assert any("waiting for the removal of" in line for line in lines)
        assert list(own_removal_registry.iterdir()) == []


def test_past_its_limit_the_run_measures_anyway_and_keeps_the_note(tmp_path: Path, own_removal_registry: Path) -> None:
    with slow_rm(60) as rm:
        note(own_removal_registry, rm.pid, tmp_path / "old-work")
        lines: list[str] = []
        run.wait_for_removals(lines.append, limit=0.3)
        assert rm.poll() is None  # still removing
        assert "limit reached" in lines[-1]
        assert [p.name for p in own_removal_registry.iterdir()] == [str(rm.pid)]  # the next run waits again


def test_a_note_whose_pid_is_no_longer_that_rm_is_dropped_without_waiting(tmp_path: Path, own_removal_registry: Path) -> None:
    mine = run.process_state(os.getpid())
    assert mine is not None and run.still_running(os.getpid(), mine[1])
    note(own_removal_registry, os.getpid(), tmp_path / "old-work", start=mine[1] + 1)  # the pid, reused
    (own_removal_registry / "not-a-pid").write_text("x", encoding="utf-8")
    lines: list[str] = []
    run.wait_for_removals(lines.append, limit=60)
    assert lines == []
    assert list(own_removal_registry.iterdir()) == []


def test_the_server_guard_records_the_tree_s_peak_and_kills_it_over_the_limit(monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(run, "memory_limit_mb", None)
    proc = subprocess.Popen([sys.executable, "-c", "import time; b = b\"x\" * (32 << 20); time.sleep(60)"])
    guard = run.memory_guard(proc)
    try:
        deadline = time.monotonic() + 20
        while guard.peak_pss_mb < 32 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert guard.peak_pss_mb >= 32 and guard.readings >= 1  # the 32 MiB written, seen by PSS
        assert proc.poll() is None  # no limit: only watched
        monkeypatch.setattr(run, "memory_limit_mb", 16.0)
        proc.wait(timeout=20)  # the guard kills it at its next reading
        assert "over --memory-limit-gb" in guard.reasons[0]
    finally:
        guard.stop.set()
        if proc.poll() is None:
            proc.kill()
        proc.wait()
