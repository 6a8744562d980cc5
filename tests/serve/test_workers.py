"""The worker pool used directly: answers equal in-process evaluation, large answers arrive whole,
an overrunning worker is killed and replaced, a worker past its private memory is recycled, the
workers together are kept under the memory budget (largest idle first) and warm workers under it
stay, a lone client keeps using one warm worker, a long-running query's worker runs at a lower
priority until it answers."""

from __future__ import annotations

import mmap
import os
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pyoxigraph as ox
import pytest

from kg.serve.workers import LONG_NICE, PoolError, PrivateMeter, QueryJob, WorkerPool, budget_from_meminfo, default_budget_mb, execute, over_budget, private_bytes

SLOW = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o . ?q ?r ?t . ?u ?v ?w }"
LABELS = "SELECT ?s ?l { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } ORDER BY ?s ?l"


@pytest.fixture()
def pool(small_store: ox.Store) -> Iterator[WorkerPool]:
    pool = WorkerPool(small_store, 2)
    yield pool
    pool.close()


def test_run_answers_like_execute(pool: WorkerPool, small_store: ox.Store) -> None:
    job = QueryJob(query=LABELS, kind="json", max_rows=1000)
    expected = execute(small_store, job)
    assert expected.status == 200 and expected.count
    assert [pool.run(job, 10, 1) for _ in range(3)] == [expected] * 3
    assert pool.busy == 0


def test_large_answer_arrives_whole(pool: WorkerPool, small_store: ox.Store) -> None:
    # a cross product of the triples: an answer far over one socket read
    job = QueryJob(query="SELECT * { ?s ?p ?o . ?x ?y ?z . ?a ?b ?c } LIMIT 5000", kind="json", max_rows=100_000)
    answer = pool.run(job, 30, 1)
    assert answer == execute(small_store, job)
    assert len(answer.body) > 1 << 18


def test_a_page_says_whether_more_rows_follow(pool: WorkerPool, small_store: ox.Store) -> None:
    whole = execute(small_store, QueryJob(query=LABELS, kind="csv", max_rows=1000))
    lines = whole.body.decode().splitlines()
    first = pool.run(QueryJob(query=LABELS, kind="csv", max_rows=2, paged=True), 10, 1)
    rest = pool.run(QueryJob(query=LABELS, kind="csv", max_rows=1000, offset=2, paged=True), 10, 1)
    assert first.more and first.count == 2 and not rest.more
    assert first.body.decode().splitlines()[1:] + rest.body.decode().splitlines()[1:] == lines[1:]
    assert pool.run(QueryJob(query=LABELS, kind="csv", max_rows=2), 10, 1).status == 422  # not paged: refused


def test_timeout_kills_and_replaces_the_worker(pool: WorkerPool) -> None:
    before = set(pool.pids)
    with pytest.raises(PoolError) as error:
        pool.run(QueryJob(query=SLOW, kind="json", max_rows=10), 0.5, 1)
    assert error.value.status == 503 and "time limit" in error.value.message
    assert pool.killed == 1 and len(pool.pids) == 2 and set(pool.pids) != before
    assert pool.run(QueryJob(query="ASK {}", kind="json", max_rows=10), 10, 1).status == 200


BIG = QueryJob(query="SELECT * { ?s ?p ?o . ?x ?y ?z . ?a ?b ?c } LIMIT 5000", kind="json", max_rows=100_000)


def test_a_worker_past_its_private_memory_is_replaced_after_answering(small_store: ox.Store) -> None:
    # 1 MiB: a worker that has built a large answer holds more of its own than that
    pool = WorkerPool(small_store, 1, recycle_mb=1)
    try:
        before = pool.pids
        assert pool.run(BIG, 30, 1) == execute(small_store, BIG)
        assert pool.recycled == 1 and pool.killed == 0 and len(pool.pids) == 1 and pool.pids != before
        assert pool.run(QueryJob(query="ASK {}", kind="json", max_rows=10), 10, 1).status == 200
    finally:
        pool.close()


def test_without_a_recycling_size_the_worker_stays(pool: WorkerPool, small_store: ox.Store) -> None:
    before = pool.pids
    for _ in range(3):
        assert pool.run(BIG, 30, 1) == execute(small_store, BIG)
    assert pool.recycled == 0 and pool.pids == before


def test_over_the_budget_the_answering_worker_is_replaced_and_the_workers_are_back_under_it(small_store: ox.Store) -> None:
    # 1 MiB: any worker that has answered holds more of its own than that (its Python heap alone)
    pool = WorkerPool(small_store, 2, budget_mb=1)
    try:
        before = set(pool.pids)
        assert pool.run(BIG, 30, 1) == execute(small_store, BIG)
        assert pool.recycled == 1 and pool.killed == 0 and len(pool.pids) == 2
        assert len(before & set(pool.pids)) == 1  # only the one that answered was replaced
        assert pool.private_bytes <= pool.budget_bytes
        assert pool.run(QueryJob(query="ASK {}", kind="json", max_rows=10), 10, 1).status == 200
        assert pool.recycled == 2 and pool.private_bytes <= pool.budget_bytes
    finally:
        pool.close()


def test_under_the_budget_warm_workers_stay_and_a_lone_client_keeps_one(small_store: ox.Store) -> None:
    pool = WorkerPool(small_store, 3, budget_mb=4096)
    try:
        before = pool.pids
        for _ in range(4):
            assert pool.run(BIG, 30, 1) == execute(small_store, BIG)
        assert pool.recycled == 0 and pool.pids == before
        sizes = sorted(w.private for w in pool._workers)
        assert sizes[0] == sizes[1] == 0 < sizes[2] <= pool.private_bytes  # one warm worker answered all four
    finally:
        pool.close()


def test_concurrent_answers_all_arrive_and_the_budget_holds_after_them(small_store: ox.Store) -> None:
    pool = WorkerPool(small_store, 3, budget_mb=1)
    try:
        expected = execute(small_store, BIG)
        with ThreadPoolExecutor(4) as threads:
            answers = list(threads.map(lambda _: pool.run(BIG, 30, 10), range(8)))
        assert answers == [expected] * 8
        assert pool.recycled == 8 and pool.killed == 0 and len(pool.pids) == 3 and pool.busy == 0  # every answering worker
        assert pool.private_bytes <= pool.budget_bytes
    finally:
        pool.close()


@dataclass
class Sized:
    private: int


def test_over_budget_replaces_the_largest_idle_workers_until_under_it() -> None:
    a, b, c = Sized(100), Sized(300), Sized(200)
    assert over_budget([a, b, c], 600, 600) == []  # at the budget: nothing
    assert over_budget([a, b, c], 601, 600) == [b]
    assert over_budget([a, b, c], 900, 500) == [b, c]  # busy workers' 300 stay counted
    assert over_budget([a, c], 900, 100) == [c, a]  # not enough idle memory: every idle worker
    assert over_budget([], 900, 100) == []


def test_private_meter_reads_smaps_only_after_enough_faults() -> None:
    assert private_bytes() > 0
    meter = PrivateMeter(slack=8 << 20, every=1000)
    first = meter.read()
    assert first > 0
    # A fresh anonymous mapping, not a bytearray: after a long test session glibc serves 16 MiB from
    # heap pages already resident (its mmap threshold grows), which adds neither faults nor memory.
    grown = mmap.mmap(-1, 16 << 20)
    if hasattr(mmap, "MADV_NOHUGEPAGE"):
        grown.madvise(mmap.MADV_NOHUGEPAGE)  # one fault per 4 KiB page, as the meter counts them
    try:
        for i in range(0, len(grown), mmap.PAGESIZE):
            grown[i] = 1
        assert meter.read() >= first + (15 << 20)  # the faults passed the slack: a fresh reading
        exact = private_bytes()
        assert exact - (8 << 20) <= meter.read() <= exact + (8 << 20)  # between readings: within the slack
    finally:
        grown.close()


def test_default_budget_is_half_the_available_memory() -> None:
    meminfo = "MemTotal:       24576000 kB\nMemFree:         1000000 kB\nMemAvailable:   20971520 kB\n"
    assert budget_from_meminfo(meminfo) == 10240
    assert budget_from_meminfo("MemTotal: 1024 kB\n") == 0  # an old kernel without MemAvailable
    assert default_budget_mb() > 0


MEDIUM = QueryJob(query="SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . VALUES ?x { 1 2 3 4 } }", kind="json", max_rows=10)


def _priorities_while_running(pool: WorkerPool, pid: int) -> tuple[object, set[int]]:
    """MEDIUM's answer from ``pool`` and the priorities its worker ``pid`` had while it ran."""
    with ThreadPoolExecutor(1) as threads:
        answer = threads.submit(pool.run, MEDIUM, 60, 1)
        seen = set()
        while not answer.done():
            seen.add(os.getpriority(os.PRIO_PROCESS, pid))
            time.sleep(0.002)
        return answer.result(), seen


def test_a_long_running_query_runs_at_a_lower_priority_until_it_answers(small_store: ox.Store) -> None:
    pool = WorkerPool(small_store, 1, long_after=0.01)  # MEDIUM takes ≈ 0.14 s here: room for a far faster machine
    try:
        (pid,) = pool.pids
        assert os.getpriority(os.PRIO_PROCESS, pid) == 0
        result, seen = _priorities_while_running(pool, pid)
        assert result == execute(small_store, MEDIUM)
        assert LONG_NICE in seen
        # raising the priority again needs CAP_SYS_NICE; without it the worker stays at the lower one
        assert os.getpriority(os.PRIO_PROCESS, pid) in ((0,) if os.geteuid() == 0 else (0, LONG_NICE))
        assert pool.run(QueryJob(query="ASK {}", kind="json", max_rows=10), 10, 1).status == 200  # a quick one: untouched
        assert pool.pids == [pid] and os.getpriority(os.PRIO_PROCESS, pid) in ((0,) if os.geteuid() == 0 else (0, LONG_NICE))
    finally:
        pool.close()


def test_without_long_after_the_priority_is_left_alone(small_store: ox.Store) -> None:
    pool = WorkerPool(small_store, 1)
    try:
        (pid,) = pool.pids
        result, seen = _priorities_while_running(pool, pid)
        assert result.status == 200
        assert seen == {0}
    finally:
        pool.close()
