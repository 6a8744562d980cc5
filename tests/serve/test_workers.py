"""The worker pool used directly: answers equal in-process evaluation, large answers arrive whole,
an overrunning worker is killed and replaced, a worker past its private memory is recycled."""

from __future__ import annotations

import mmap
from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from kg.serve.workers import MemoryWatch, PoolError, QueryJob, WorkerPool, execute, private_bytes

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


def test_memory_watch_reads_private_memory_only_when_it_may_have_passed_the_limit() -> None:
    assert private_bytes() > 0
    assert not MemoryWatch(0).over()  # 0: never
    assert not MemoryWatch(private_bytes() + (1 << 30)).over()
    watch = MemoryWatch(private_bytes() + (8 << 20), every=1000)
    assert not watch.over()
    # A fresh anonymous mapping, not a bytearray: after a long test session glibc serves 16 MiB from
    # heap pages already resident (its mmap threshold grows), which adds neither faults nor memory.
    grown = mmap.mmap(-1, 16 << 20)
    if hasattr(mmap, "MADV_NOHUGEPAGE"):
        grown.madvise(mmap.MADV_NOHUGEPAGE)  # one fault per 4 KiB page, as the watch counts them
    try:
        for i in range(0, len(grown), mmap.PAGESIZE):
            grown[i] = 1
        assert watch.over()
    finally:
        grown.close()
