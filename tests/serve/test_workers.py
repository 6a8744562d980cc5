"""The worker pool driven from an event loop (``WorkerPool.arun``), as the endpoint drives it."""

from __future__ import annotations

import asyncio
import threading

import pyoxigraph as ox
import pytest

from kg.serve.workers import PoolError, QueryJob, WorkerPool, execute

SLOW = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o . ?q ?r ?t . ?u ?v ?w }"
LABELS = "SELECT ?s ?l { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } ORDER BY ?s ?l"


@pytest.fixture()
def pool(small_store: ox.Store) -> WorkerPool:
    pool = WorkerPool(small_store, 2)
    yield pool
    pool.close()


def test_arun_answers_like_run_and_execute(pool: WorkerPool, small_store: ox.Store) -> None:
    job = QueryJob(query=LABELS, kind="json", max_rows=1000)

    async def both() -> list:
        return list(await asyncio.gather(pool.arun(job, 10, 1), pool.arun(job, 10, 1)))

    answers = asyncio.run(both())
    expected = execute(small_store, job)
    assert expected.status == 200 and expected.count
    assert answers == [expected, expected]
    assert pool.run(job, 10, 1) == expected  # the same sockets still work without the loop
    assert asyncio.run(pool.arun(job, 10, 1)) == expected
    assert pool.busy == 0


def test_arun_large_answer_arrives_whole(pool: WorkerPool, small_store: ox.Store) -> None:
    # a cross product of the triples: an answer far over one socket read
    job = QueryJob(query="SELECT * { ?s ?p ?o . ?x ?y ?z . ?a ?b ?c } LIMIT 5000", kind="json", max_rows=100_000)
    answer = asyncio.run(pool.arun(job, 30, 1))
    assert answer == execute(small_store, job)
    assert len(answer.body) > 1 << 18


def test_arun_timeout_kills_and_replaces_the_worker(pool: WorkerPool) -> None:
    before = set(pool.pids)
    with pytest.raises(PoolError) as error:
        asyncio.run(pool.arun(QueryJob(query=SLOW, kind="json", max_rows=10), 0.5, 1))
    assert error.value.status == 503 and "time limit" in error.value.message
    assert pool.killed == 1 and len(pool.pids) == 2 and set(pool.pids) != before
    assert asyncio.run(pool.arun(QueryJob(query="ASK {}", kind="json", max_rows=10), 10, 1)).body == b'{"head": {}, "boolean": true}'


def test_cancelled_request_does_not_leave_a_busy_worker(pool: WorkerPool) -> None:
    async def cancel_midway() -> None:
        task = asyncio.ensure_future(pool.arun(QueryJob(query=SLOW, kind="json", max_rows=10), 30, 1))
        await asyncio.sleep(0.3)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    before = set(pool.pids)
    asyncio.run(cancel_midway())
    assert pool.killed == 1 and pool.busy == 0 and len(pool.pids) == 2 and set(pool.pids) != before


def test_arun_waits_behind_threads_for_a_free_worker(small_store: ox.Store) -> None:
    pool = WorkerPool(small_store, 1)
    try:
        slow = threading.Thread(target=lambda: pytest.raises(PoolError, pool.run, QueryJob(query=SLOW, kind="json", max_rows=10), 1, 5))
        slow.start()
        while pool.busy == 0:
            pass
        # the only worker is busy: arun waits (in a thread) and gets it when the slow query is stopped
        answer = asyncio.run(pool.arun(QueryJob(query="ASK {}", kind="json", max_rows=10), 10, 5))
        slow.join()
        assert answer.status == 200 and pool.killed == 1
        with pytest.raises(PoolError, match="busy"):
            hold = pool._idle.get()  # noqa: SLF001 - occupy the worker to see the busy answer
            try:
                asyncio.run(pool.arun(QueryJob(query="ASK {}", kind="json", max_rows=10), 10, 0.1))
            finally:
                pool._idle.put(hold)  # noqa: SLF001
    finally:
        pool.close()
