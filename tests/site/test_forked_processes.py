"""The site's forked workers (kg.site.build.forked_processes): errors and dead workers end the run.

Regression: ``multiprocessing.Pool`` left by an exception (a load that failed in one process while the
other still ran) could hang for ever in ``terminate``; a dead ``Pool`` worker left its task waiting for
ever. The executor raises instead."""

from __future__ import annotations

import os
import sys
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from kg.errors import UsageError
from kg.site.build import forked_processes, load_site_data

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="forked processes")


def _die(_: int) -> int:
    os._exit(3)


def _fail(n: int) -> int:
    raise ValueError(f"share {n} is bad")


def _square(n: int) -> int:
    return n * n


def test_results_come_back_in_order() -> None:
    with forked_processes(2) as pool:
        assert list(pool.map(_square, range(10))) == [n * n for n in range(10)]


def test_a_worker_that_dies_raises_instead_of_waiting() -> None:
    with pytest.raises(BrokenProcessPool):
        with forked_processes(2) as pool:
            pool.submit(_die, 0).result(timeout=120)


def test_a_task_error_reaches_the_caller() -> None:
    with pytest.raises(ValueError, match="share 1 is bad"):
        with forked_processes(2) as pool:
            list(pool.map(_fail, [1, 2, 3]))


def test_a_failed_load_ends_every_time(tmp_path: Path) -> None:
    """The load that hung about once in 200 runs under ``Pool``: one of its two processes fails at
    once (no dataset.nq) while the other is still starting."""
    for _ in range(25):
        with pytest.raises(UsageError, match="dataset.nq"):
            load_site_data(tmp_path / "nowhere")
