"""The worker pool used directly: answers equal in-process evaluation, large answers arrive whole,
an overrunning worker is killed and replaced, a worker past its private memory is recycled, the
workers together are kept under the memory budget (largest idle first) and warm workers under it
stay, a lone client keeps using one warm worker, a long-running query's worker runs at a lower
priority until it answers."""

from __future__ import annotations

import ctypes
import mmap
import os
import signal
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pyoxigraph as ox
import pytest

from kg.serve import workers
from kg.serve.workers import (
    LONG_NICE, MEMORY_MESSAGE, MEMORY_RETRY_AFTER, PoolError, PrivateMeter, QueryJob, WorkerPool, budget_from_meminfo, default_budget_mb, execute,
    has_room, memory_key,
    over_budget, private_bytes, proc_faults, to_pause, to_resume, to_stop,
)

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
    # 1 MiB: any worker that has answered holds more of its own than that (its Python heap alone);
    # no monitor: this is the check after answers (the monitor would stop BIG while it runs)
    pool = WorkerPool(small_store, 2, budget_mb=1, check_every=0)
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
    pool = WorkerPool(small_store, 3, budget_mb=1, check_every=0)
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
    assert over_budget([Sized(0), a], 900, 100) == [a]  # a fresh fork has nothing of its own to free


@dataclass(eq=False)
class Running:
    private: int
    started: float | None


def test_to_stop_takes_the_newest_long_query_over_its_share_until_under_the_budget() -> None:
    old, mid, new = Running(400, 1.0), Running(300, 2.0), Running(300, 3.0)
    assert to_stop([old, mid, new], 1000, 1000, 250, 10.0, 0.5) == []  # at the budget: nothing
    assert to_stop([old, mid, new], 1001, 1000, 250, 10.0, 0.5) == [new]  # the one that started last
    assert to_stop([old, mid, new], 1400, 800, 250, 10.0, 0.5) == [new, mid]  # until under the budget
    small = Running(100, 4.0)  # the newest, but under its fair share: the others are bigger
    assert to_stop([old, small, new], 1001, 1000, 250, 10.0, 0.5) == [new]
    young = Running(500, 9.8)  # running for 0.2 s, under the grace: a point query answers before it counts
    assert to_stop([old, young], 1001, 1000, 250, 10.0, 0.5) == [old]
    assert to_stop([young], 1001, 1000, 250, 10.0, 0.5) == []  # waits for the next look
    assert to_stop([Running(400, None)], 1001, 1000, 250, 10.0, 0.5) == []  # answered meanwhile


def test_proc_faults_counts_this_process_like_getrusage() -> None:
    import resource

    before = proc_faults(os.getpid())
    grown = mmap.mmap(-1, 8 << 20)
    try:
        for i in range(0, len(grown), mmap.PAGESIZE):
            grown[i] = 1
        after = proc_faults(os.getpid())
        assert after - before >= (8 << 20) // mmap.PAGESIZE // 2  # huge pages aside, one fault a page
        assert abs(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - proc_faults(os.getpid())) < 64
    finally:
        grown.close()


#: a query whose worker really grows (a DISTINCT over a cross product: ≈ 40 MiB/s here) and runs far
#: longer than the tests wait; the pools below cap their workers at 1 GiB in case the monitor did not stop it
GROW = QueryJob(query="SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?c ?f ?i ?l ?o ?r "
                "{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o . ?p ?q ?r } }", kind="json", max_rows=10)
ASK = QueryJob(query="ASK {}", kind="json", max_rows=10)


def _wait(condition, what: str, seconds: float = 60) -> None:  # type: ignore[no-untyped-def]
    """Poll ``condition`` (not a timing assertion: a generous bound so a broken pool fails, not hangs)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


def _running_worker(pool: WorkerPool, exclude: set[int] = frozenset()):  # type: ignore[no-untyped-def,assignment]
    found: list = []

    def started() -> bool:
        found[:] = [w for w in pool._workers if w.started is not None and w.pid not in exclude]
        return bool(found)

    _wait(started, "a query to start")
    return found[0]


def test_a_query_growing_past_the_budget_is_stopped_with_503_and_its_worker_replaced(small_store: ox.Store) -> None:
    pool = WorkerPool(small_store, 2, memory_mb=1024, budget_mb=64, check_every=0.05, grace=0.1)
    try:
        before = set(pool.pids)
        with pytest.raises(PoolError) as error:
            pool.run(GROW, 120, 1)
        assert error.value.status == 503 and error.value.message == MEMORY_MESSAGE
        assert error.value.retry_after == MEMORY_RETRY_AFTER and "memory budget" in MEMORY_MESSAGE
        assert pool.stopped == 1 and pool.killed == 0 and len(pool.pids) == 2 and len(before & set(pool.pids)) == 1
        assert pool.run(ASK, 10, 1).status == 200  # the pool goes on, under its budget
        assert pool.private_bytes <= pool.budget_bytes
    finally:
        pool.close()


@pytest.fixture()
def sizes(monkeypatch: pytest.MonkeyPatch) -> dict[int, int]:
    """Simulated private memory of chosen (fresh) worker pids, as the pool's monitor reads it: from
    their page faults (one a page since the fork) and, before it stops a query, smaps_rollup."""
    simulated: dict[int, int] = {}
    real_private, real_faults = workers.private_bytes, workers.proc_faults
    monkeypatch.setattr(workers, "private_bytes", lambda pid=None: simulated.get(pid or 0) or real_private(pid))
    monkeypatch.setattr(workers, "proc_faults", lambda pid: simulated[pid] // mmap.PAGESIZE if pid in simulated else real_faults(pid))
    return simulated


def _frozen(pool: WorkerPool, threads: ThreadPoolExecutor, job: QueryJob):  # type: ignore[no-untyped-def]
    """Send ``job`` to the worker the pool takes next, stopped (SIGSTOP) first: it stays running
    until :func:`os.kill` ``SIGCONT``; the pool's run and the worker."""
    nxt = pool._idle[-1]
    os.kill(nxt.pid, signal.SIGSTOP)
    answer = threads.submit(pool.run, job, 120, 1)
    _wait(lambda: nxt.started is not None, "the query to start")
    return answer, nxt


def test_of_two_queries_over_the_budget_the_later_is_stopped_and_the_earlier_completes(small_store: ox.Store, sizes: dict[int, int]) -> None:
    pool = WorkerPool(small_store, 3, budget_mb=100, check_every=0.02, grace=0, exact_every=0)
    try:
        with ThreadPoolExecutor(2) as threads:
            first, early = _frozen(pool, threads, MEDIUM)
            sizes[early.pid] = 60 << 20  # over its fair share (100/3 MiB), the total under the budget
            looks = pool.looks
            _wait(lambda: pool.looks >= looks + 3, "the monitor's looks")
            assert pool.stopped == 0 and not first.done()
            later = threads.submit(pool.run, QueryJob(query=SLOW, kind="json", max_rows=10), 120, 1)  # never answers by itself
            late = _running_worker(pool, {early.pid})
            sizes[late.pid] = 60 << 20  # 120 MiB together: the idle (fresh) worker frees nothing
            with pytest.raises(PoolError) as error:
                later.result(timeout=60)
            assert error.value.status == 503 and error.value.message == MEMORY_MESSAGE
            assert pool.stopped == 1 and late.pid not in pool.pids and early.pid in pool.pids
            assert pool.peak_bytes >= 120 << 20  # what the monitor saw before it stopped the later one
            os.kill(early.pid, signal.SIGCONT)
            assert first.result(timeout=60) == execute(small_store, MEDIUM)  # the earlier one completes
        assert pool.stopped == 1 and pool.killed == 0 and pool.recycled == 0
    finally:
        pool.close()


def test_idle_workers_are_replaced_before_a_running_query_is_stopped(small_store: ox.Store, sizes: dict[int, int]) -> None:
    pool = WorkerPool(small_store, 2, budget_mb=64, check_every=0.02, grace=0, exact_every=0)
    try:
        with ThreadPoolExecutor(1) as threads:
            answer, running = _frozen(pool, threads, MEDIUM)
            assert pool.run(BIG, 30, 1) == execute(small_store, BIG)  # in the other worker, now idle and warm
            (idle,) = pool._idle
            assert idle.private > 0 and pool.recycled == 0
            sizes[running.pid] = pool.budget_bytes - idle.private // 2  # over by half the idle one's memory
            _wait(lambda: pool.recycled == 1, "the idle worker's replacement")
            assert idle.pid not in pool.pids and running.pid in pool.pids
            looks = pool.looks
            _wait(lambda: pool.looks >= looks + 3, "the monitor's looks")  # under the budget again: nothing more
            assert pool.stopped == 0 and pool.recycled == 1
            os.kill(running.pid, signal.SIGCONT)
            assert answer.result(timeout=60) == execute(small_store, MEDIUM)
        assert pool.stopped == 0 and pool.killed == 0
    finally:
        pool.close()


def test_under_the_budget_the_monitor_stops_nothing(small_store: ox.Store, sizes: dict[int, int]) -> None:
    pool = WorkerPool(small_store, 2, budget_mb=64, check_every=0.02, grace=0, exact_every=0)
    try:
        with ThreadPoolExecutor(2) as threads:
            a, wa = _frozen(pool, threads, MEDIUM)
            b, wb = _frozen(pool, threads, MEDIUM)
            sizes[wa.pid] = sizes[wb.pid] = 31 << 20  # 62 MiB: under 64
            looks = pool.looks
            _wait(lambda: pool.looks >= looks + 5, "the monitor's looks")
            assert pool.private_bytes == 62 << 20  # the monitor read them while they ran
            for pid in (wa.pid, wb.pid):
                os.kill(pid, signal.SIGCONT)
            assert a.result(timeout=60) == b.result(timeout=60) == execute(small_store, MEDIUM)
        assert pool.stopped == pool.recycled == pool.killed == 0 and pool.pids == sorted([wa.pid, wb.pid])
    finally:
        pool.close()


def test_with_confirm_a_query_is_stopped_only_on_an_exact_reading_not_on_its_faults_alone(small_store: ox.Store, monkeypatch: pytest.MonkeyPatch) -> None:
    # faults that did not stay (pages freed again, file pages mapped) overestimate; with confirm, smaps_rollup decides
    pool = WorkerPool(small_store, 2, budget_mb=64, check_every=0.02, grace=0, exact_every=0, confirm=True)
    try:
        with ThreadPoolExecutor(1) as threads:
            answer, running = _frozen(pool, threads, MEDIUM)
            real_faults = workers.proc_faults
            monkeypatch.setattr(workers, "proc_faults", lambda pid: real_faults(pid) + (1 << 30) // mmap.PAGESIZE * (pid == running.pid))
            looks = pool.looks
            _wait(lambda: pool.looks >= looks + 5, "the monitor's looks")
            assert pool.stopped == 0 and running.base_private < 64 << 20 and running.exact_at > 0  # read exactly, then spared
            os.kill(running.pid, signal.SIGCONT)
            assert answer.result(timeout=60) == execute(small_store, MEDIUM)
    finally:
        pool.close()


def test_the_monitor_outlives_a_failed_look(small_store: ox.Store, monkeypatch: pytest.MonkeyPatch) -> None:
    pool = WorkerPool(small_store, 1, budget_mb=64, check_every=0.02)
    try:
        with ThreadPoolExecutor(1) as threads:
            answer, running = _frozen(pool, threads, MEDIUM)
            monkeypatch.setattr(workers, "proc_faults", lambda pid: 1 // 0)  # a look that raises
            looks = pool.looks
            _wait(lambda: pool.looks >= looks + 3, "the monitor's looks")
            assert pool._monitor is not None and pool._monitor.is_alive()
            os.kill(running.pid, signal.SIGCONT)
            assert answer.result(timeout=60) == execute(small_store, MEDIUM)
    finally:
        pool.close()


def test_huge_pages_for_every_allocation_make_the_monitor_read_exactly_every_second(tmp_path) -> None:  # type: ignore[no-untyped-def]
    setting = tmp_path / "enabled"
    setting.write_text("[always] madvise never\n")
    assert workers.huge_page_faults_possible(str(setting)) == 1.0
    setting.write_text("always [madvise] never\n")
    assert workers.huge_page_faults_possible(str(setting)) == 0.0
    assert workers.huge_page_faults_possible(str(tmp_path / "missing")) == 0.0


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


def test_private_meter_reads_smaps_on_count_only_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    readings: list[int] = []
    real = workers.private_bytes

    def counted(pid: int | None = None) -> int:
        readings.append(1)
        return real(pid)

    monkeypatch.setattr(workers, "private_bytes", counted)
    never = PrivateMeter(slack=1 << 40, every=0)
    for _ in range(10):
        never.read()
    assert len(readings) == 1  # at start only: no fault count reaches the slack
    readings.clear()
    counting = PrivateMeter(slack=1 << 40, every=4)
    for _ in range(10):
        counting.read()
    assert len(readings) == 1 + 2  # at start, then at the 4th and the 8th query
    monkeypatch.setattr(workers, "huge_page_faults_possible", lambda: 1.0)
    assert PrivateMeter().every == 64  # a fault may map a huge page: read on count too
    monkeypatch.setattr(workers, "huge_page_faults_possible", lambda: 0.0)
    assert PrivateMeter().every == 0


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


# -- pausing below the budget -------------------------------------------------------------------


@dataclass(eq=False)
class Paused:
    started: float
    timeout: float = 10.0
    paused_for: float = 0.0

    def paused_seconds(self, now: float) -> float:
        return self.paused_for


def test_to_pause_takes_the_newest_growing_queries_expected_past_the_mark_but_never_the_oldest() -> None:
    old, mid, new = Running(400, 1.0), Running(300, 2.0), Running(300, 3.0)
    pace = {old: 10, mid: 10, new: 10}  # bytes each grew since the last look
    assert to_pause([old, mid, new], pace, 770, 800, 10.0, 0.5) == []  # expected at the mark next look: nothing
    assert to_pause([old, mid, new], pace, 771, 800, 10.0, 0.5) == [new]  # the one that started last
    assert to_pause([old, mid, new], {**pace, new: 0}, 781, 800, 10.0, 0.5) == [mid]  # the newest that still grows
    assert to_pause([old, mid, new], pace, 900, 800, 10.0, 0.5) == [new, mid]  # past the mark: all but the oldest
    assert to_pause([old, mid, new], {old: 200}, 700, 800, 10.0, 0.5) == []  # only the oldest grows: it runs on
    assert to_pause([old, mid, new], {old: 0, mid: 0, new: 300}, 700, 800, 10.0, 0.5) == [new]  # fast: paused before the mark
    assert to_pause([old], {old: 10}, 2000, 800, 10.0, 0.5) == []
    assert to_pause([old, mid, new], {old: 10, mid: 10, new: 4}, 900, 800, 10.0, 0.5, least=5) == [mid]  # new copies little: left to finish
    young = Running(500, 9.8)  # under the grace: a point query answers before it counts
    assert to_pause([old, young], {old: 10, young: 10}, 801, 800, 10.0, 0.5) == []
    assert to_pause([young, new], {young: 10, new: 10}, 801, 800, 10.0, 0.5) == []  # the only long one is the oldest


def test_to_resume_takes_the_oldest_paused_query_under_the_low_mark_or_when_nothing_else_runs() -> None:
    a, b = Paused(2.0), Paused(1.0)
    assert to_resume([], 0, 600, False, 10.0) == []
    assert to_resume([a, b], 601, 600, True, 10.0) == []  # over the low mark while another runs: they wait
    assert to_resume([a, b], 600, 600, True, 10.0) == [b]  # the one that started first, one a look
    assert to_resume([a, b], 900, 600, False, 10.0) == [b]  # nothing else runs: memory would never fall
    late = Paused(3.0, timeout=5.0, paused_for=5.0)  # waited its time limit in all: runs on regardless
    assert to_resume([a, late, b], 900, 600, True, 10.0) == [late]
    assert to_resume([a, late, b], 100, 600, True, 10.0) == [b, late]


def test_a_paused_query_is_given_its_time_limit_of_running_and_at_most_as_much_of_waiting() -> None:
    worker = workers._Worker(0, None, None, started=100.0, timeout=10.0)  # type: ignore[arg-type]
    assert worker.deadline() == 110.0
    worker.paused_for = 4.0  # paused 4 s in all: its limit moves by 4 s
    assert worker.deadline() == 114.0
    worker.paused_for = 25.0  # never by more than the limit itself: a client waits at most twice it
    assert worker.deadline() == 120.0


def test_recv_message_follows_a_deadline_that_moves() -> None:
    import socket
    import threading

    ours, theirs = socket.socketpair()
    asked: list[float] = []

    def deadline() -> float:  # near the first time, then moved on (as a paused query's is)
        asked.append(time.monotonic())
        return asked[0] + (0.05 if len(asked) == 1 else 60)

    def later() -> None:
        time.sleep(0.3)
        workers.send_message(theirs, "answer")

    try:
        sender = threading.Thread(target=later)
        sender.start()
        with pytest.raises(TimeoutError):
            workers.recv_message(ours, time.monotonic() + 0.05)  # a fixed deadline passes
        sender.join()
        assert workers.recv_message(ours) == "answer"
        threading.Thread(target=later).start()
        assert workers.recv_message(ours, deadline) == "answer"  # asked again when the first passed
        assert len(asked) >= 2
    finally:
        ours.close()
        theirs.close()


def test_past_the_pause_mark_the_newest_growing_query_waits_while_a_spare_answers_then_resumes(small_store: ox.Store, sizes: dict[int, int]) -> None:
    pool = WorkerPool(small_store, 3, budget_mb=100, check_every=0.02, grace=0, exact_every=0)
    try:
        with ThreadPoolExecutor(2) as threads:
            first, early = _frozen(pool, threads, MEDIUM)
            sizes[early.pid] = 50 << 20  # under the pause mark (80 MiB) alone
            looks = pool.looks
            _wait(lambda: pool.looks >= looks + 3, "the monitor's looks")
            assert pool.pauses == 0
            second, late = _frozen(pool, threads, MEDIUM)
            sizes[late.pid] = 40 << 20  # 90 MiB: past the mark, under the budget; the later one grew
            _wait(lambda: pool.paused == 1, "the later query to be paused")
            assert late.paused_at is not None and early.paused_at is None and pool.pauses == 1
            _wait(lambda: len(pool.pids) == 4, "a spare worker for the paused one")
            assert pool.run(ASK, 10, 1).status == 200  # a point query does not wait behind the paused one
            looks = pool.looks
            _wait(lambda: pool.looks >= looks + 3, "the monitor's looks")
            assert pool.paused == 1 and not second.done()  # still over the resume mark (60 MiB) while the earlier runs
            os.kill(early.pid, signal.SIGCONT)
            assert first.result(timeout=60) == execute(small_store, MEDIUM)
            # the earlier answered (its real memory now): under the resume mark, the later one is resumed
            # (the monitor's SIGCONT also ends this test's SIGSTOP) and completes
            assert second.result(timeout=60) == execute(small_store, MEDIUM)
        assert pool.stopped == 0 and pool.killed == 0 and pool.paused == 0
        _wait(lambda: len(pool.pids) == 3, "the spare to leave")
    finally:
        pool.close()


def test_over_the_budget_a_paused_query_is_stopped_before_an_older_running_one(small_store: ox.Store, sizes: dict[int, int]) -> None:
    pool = WorkerPool(small_store, 3, budget_mb=100, check_every=0.02, grace=0, exact_every=0)
    try:
        with ThreadPoolExecutor(2) as threads:
            first, early = _frozen(pool, threads, MEDIUM)
            sizes[early.pid] = 50 << 20
            looks = pool.looks
            _wait(lambda: pool.looks >= looks + 3, "the monitor's looks")
            second, late = _frozen(pool, threads, MEDIUM)
            sizes[late.pid] = 20 << 20  # 70 MiB, then 85 MiB: past the mark, the later one paused
            looks = pool.looks
            _wait(lambda: pool.looks >= looks + 3, "the monitor's looks")
            sizes[late.pid] = 35 << 20
            _wait(lambda: pool.paused == 1, "the later query to be paused")
            sizes[early.pid] = 80 << 20  # the older one grows on: 115 MiB, over the budget
            with pytest.raises(PoolError) as error:
                second.result(timeout=60)
            assert error.value.status == 503 and error.value.message == MEMORY_MESSAGE  # the last resort, as before
            assert pool.stopped == 1 and early.pid in pool.pids and late.pid not in pool.pids
            os.kill(early.pid, signal.SIGCONT)
            assert first.result(timeout=60) == execute(small_store, MEDIUM)
        assert pool.killed == 0
    finally:
        pool.close()


def test_a_query_paused_longer_than_its_time_limit_is_resumed_and_answers(small_store: ox.Store, sizes: dict[int, int]) -> None:
    pool = WorkerPool(small_store, 2, budget_mb=100, check_every=0.02, grace=0, exact_every=0)
    limit = 3.0
    try:
        with ThreadPoolExecutor(2) as threads:
            first, early = _frozen(pool, threads, MEDIUM)  # runs (frozen) with a 120 s limit
            sizes[early.pid] = 50 << 20
            nxt = pool._idle[-1]
            os.kill(nxt.pid, signal.SIGSTOP)
            started = time.monotonic()
            second = threads.submit(pool.run, MEDIUM, limit, 1)
            _wait(lambda: nxt.started is not None, "the query to start")
            sizes[nxt.pid] = 40 << 20  # past the mark: paused while the earlier one runs on
            _wait(lambda: pool.paused == 1, "the later query to be paused")
            # it waits until it has been paused for its whole limit, is then resumed (the monitor's SIGCONT
            # ends this test's SIGSTOP too) and answers after more wall time than its limit: the pause was not counted
            assert second.result(timeout=60) == execute(small_store, MEDIUM)
            assert time.monotonic() - started > limit and pool.killed == 0 and pool.pauses == 1
            os.kill(early.pid, signal.SIGCONT)
            assert first.result(timeout=60) == execute(small_store, MEDIUM)
    finally:
        pool.close()


def test_a_query_stopped_while_others_ran_is_run_again_once_memory_has_fallen(small_store: ox.Store, sizes: dict[int, int]) -> None:
    pool = WorkerPool(small_store, 3, budget_mb=100, check_every=0.02, grace=0, exact_every=0, requeue=True)
    try:
        with ThreadPoolExecutor(2) as threads:
            first, early = _frozen(pool, threads, MEDIUM)
            sizes[early.pid] = 70 << 20  # under the pause mark alone
            looks = pool.looks
            _wait(lambda: pool.looks >= looks + 3, "the monitor's looks")
            later = threads.submit(pool.run, QueryJob(query=SLOW, kind="json", max_rows=10), 120, 1)  # never answers by itself
            late = _running_worker(pool, {early.pid})
            sizes[late.pid] = 40 << 20  # 110 MiB in one step: over the budget, the later one stopped
            _wait(lambda: pool.stopped == 1 and pool.requeued == 1, "the later query to be stopped and queued again")
            looks = pool.looks
            _wait(lambda: pool.looks >= looks + 3, "the monitor's looks")
            assert not later.done()  # it waits (70 MiB: over the resume mark) instead of failing
            assert late.pid not in pool.pids
            os.kill(early.pid, signal.SIGCONT)
            assert first.result(timeout=60) == execute(small_store, MEDIUM)
            _wait(lambda: len(pool._running()) == 1, "the query to run again")  # in a fresh worker, memory allowing
            (again,) = pool._running()
            assert again.pid != late.pid
            sizes[again.pid] = 200 << 20  # stopped once more: the answer is 503, not a third run
            with pytest.raises(PoolError) as error:
                later.result(timeout=60)
            assert error.value.status == 503 and error.value.message == MEMORY_MESSAGE
        assert pool.stopped == 2 and pool.requeued == 1 and pool.killed == 0
    finally:
        pool.close()



# -- remembering queries that were large ----------------------------------------------------------


def test_memory_key_ignores_comments_and_spacing_but_not_strings_or_the_dataset() -> None:
    job = QueryJob(query='SELECT ?s { ?s ?p "a  b" } # fresh 1', kind="json", max_rows=10)
    same = QueryJob(query='SELECT  ?s\n{ ?s ?p "a  b" }  # fresh 2\n', kind="csv", max_rows=5, offset=5, paged=True)
    assert memory_key(job) == memory_key(same)
    assert memory_key(job) != memory_key(QueryJob(query='SELECT ?s { ?s ?p "a b" }', kind="json", max_rows=10))
    assert memory_key(job) != memory_key(QueryJob(query=job.query, kind="json", max_rows=10, default_graphs=("http://g",)))
    assert memory_key(QueryJob(query="ASK { <http://x#y> ?p ?o }", kind="json", max_rows=1))[0] == "ASK { <http://x#y> ?p ?o }"


def test_has_room_admits_under_the_mark_replacing_idle_workers_or_alone() -> None:
    mib = 1 << 20
    assert has_room([], [], 500 * mib, 80 * mib) == (True, 0)  # nothing runs: it runs alone, however large
    assert has_room([30 * mib], [10 * mib], 40 * mib, 80 * mib) == (True, 0)
    assert has_room([30 * mib], [45 * mib], 40 * mib, 80 * mib) == (True, 35 * mib)  # once idle workers make room
    assert has_room([50 * mib], [], 40 * mib, 80 * mib) == (False, 0)  # the running ones leave too little
    assert has_room([20 * mib, 30 * mib], [], 31 * mib, 80 * mib) == (False, 0)


def test_a_query_paused_once_waits_before_it_starts_while_others_fill_the_budget(small_store: ox.Store, sizes: dict[int, int]) -> None:
    pool = WorkerPool(small_store, 3, budget_mb=100, check_every=0.02, grace=0, exact_every=0)
    large = QueryJob(query=MEDIUM.query + " # first", kind="json", max_rows=10)
    again = QueryJob(query=MEDIUM.query + " # again, another comment", kind="csv", max_rows=10)
    try:
        with ThreadPoolExecutor(2) as threads:
            # first run: paused past the mark (as in the tests above), so its size is remembered
            first, early = _frozen(pool, threads, MEDIUM)
            sizes[early.pid] = 50 << 20
            looks = pool.looks
            _wait(lambda: pool.looks >= looks + 3, "the monitor's looks")
            second, late = _frozen(pool, threads, large)
            sizes[late.pid] = 40 << 20
            _wait(lambda: pool.paused == 1, "the later query to be paused")
            assert pool.remembered == 1 and pool.known_need(again) >= 40 << 20
            os.kill(early.pid, signal.SIGCONT)
            assert first.result(timeout=60) == execute(small_store, MEDIUM)
            assert second.result(timeout=60) == execute(small_store, large)
            _wait(lambda: len(pool.pids) == 3, "the spare to leave")
            assert pool.waited == 0 and pool.pauses == 1
            # second time: while another query holds 50 MiB it waits before starting (50 + 40 > 80 MiB)
            third, other = _frozen(pool, threads, MEDIUM)
            sizes[other.pid] = 50 << 20
            looks = pool.looks
            _wait(lambda: pool.looks >= looks + 3, "the monitor's looks")
            waiting = threads.submit(pool.run, again, 120, 1)
            _wait(lambda: pool.waiting == 1, "the known large query to wait for room")
            looks = pool.looks
            _wait(lambda: pool.looks >= looks + 3, "the monitor's looks")
            assert not waiting.done() and len(pool._running()) == 1 and pool.waiting == 1  # it holds no worker
            assert pool.run(ASK, 10, 1).status == 200  # other queries are not held up
            os.kill(other.pid, signal.SIGCONT)
            assert third.result(timeout=60) == execute(small_store, MEDIUM)
            assert waiting.result(timeout=60) == execute(small_store, again)  # started once the other had answered
        assert pool.waited == 1 and pool.waiting == 0 and pool.pauses == 1 and pool.stopped == 0 and pool.killed == 0
    finally:
        pool.close()


def test_the_pool_remembers_a_bounded_number_of_queries(small_store: ox.Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "REMEMBERED", 3)
    pool = WorkerPool(small_store, 1, budget_mb=100, check_every=0)
    try:
        jobs = [QueryJob(query=f"ASK {{ ?s ?p {n} }}", kind="json", max_rows=1) for n in range(5)]
        for n, job in enumerate(jobs):
            worker = pool._idle[-1]
            worker.job, worker.private = job, (n + 1) << 20
            with pool._cond:
                pool._remember(worker)
            worker.job, worker.private = None, 0
        assert pool.remembered == 3
        assert [pool.known_need(job) >> 20 for job in jobs] == [0, 0, 3, 4, 5]  # the oldest forgotten
    finally:
        pool.close()


def test_plugging_takes_the_heaps_free_chunks_so_that_forks_allocate_fresh_memory() -> None:
    # in a fork, so that this process's heap is left as it is
    ours, theirs = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            libc = ctypes.CDLL(None)
            libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
            libc.free.argtypes = [ctypes.c_void_p]
            blocks = [libc.malloc(200) for _ in range(20_000)]
            for block in blocks[::2]:
                libc.free(block)  # 10,000 free chunks between used ones, as loading the store leaves them
            before = workers.heap_free_bytes()
            made = workers.plug_free_chunks()
            os.write(theirs, f"{before} {made} {workers.heap_free_bytes()}".encode())
        finally:
            os._exit(0)
    os.close(theirs)
    before, made, after = (int(n) for n in os.read(ours, 100).split())
    os.close(ours)
    os.waitpid(pid, 0)
    assert before >= 10_000 * 200 and made >= 10_000
    assert after < before - 10_000 * 200  # the free chunks are taken (what is left: the heap's top, a few cached)
