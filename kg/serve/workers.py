"""Query evaluation in worker processes that can be killed.

pyoxigraph cannot cancel a running query from Python, so a timeout that only abandons the HTTP
response would leave the query burning a core. Queries therefore run in worker processes:

* :class:`WorkerPool` forks a *zygote* once, while the server is still single-threaded; the zygote
  holds the loaded store (shared copy-on-write) and forks a worker whenever the pool asks for one,
  handing back the worker's socket over a Unix socket (``SCM_RIGHTS``).
* Each worker evaluates :class:`QueryJob` messages one at a time and answers with a
  :class:`JobResult` whose body is already serialised in the requested format (rows are never
  pickled; the server copies the bytes to the client unchanged). A worker that overruns its deadline is killed (``SIGKILL`` through a pidfd, so
  a recycled pid is never hit) and replaced by a fresh fork; the store is not reloaded.
* Workers and zygote exit when their socket closes, so they never outlive the server.
* Reading the store dirties it: pyoxigraph's in-memory store walks ``Arc``/``Weak`` linked lists
  and locks a mutex on every quad it visits, so each page a query reads becomes a private
  copy-on-write copy in that worker, and after a few analytic queries every worker holds its own
  copy of most of the store (docs/endpoint.md, "Memory"). Each answer therefore carries the
  worker's private memory, and when the workers' total passes the pool's *memory budget* the
  largest idle workers are replaced by fresh forks of the (clean) zygote. Under the budget a warm
  worker stays warm: re-faulting the store costs a fresh worker 2–10× the CPU of a warm one.
* Queries copy the store while they run, gigabytes each at 14.6M quads, before they answer: a
  monitor thread therefore looks at the running queries' workers every ``check_every`` seconds
  (their page faults: microseconds to read, and an upper bound of what they copied) and, over the budget, replaces the largest idle workers, then stops the query that started last
  among those running for ``grace`` seconds whose worker holds at least its fair share of the
  budget (503 "memory budget exceeded"): the least work lost, and never a small query for a big one.
* Before that, at ``pause_at`` of the budget (80 %), the monitor *pauses* (``SIGSTOP``) the newest
  queries whose workers are still growing (as many as would take the workers past that mark by
  its next look at their last look's pace) while the oldest runs on; it resumes them
  (``SIGCONT``), oldest first, once the workers are back under ``resume_at`` (60 %: idle workers
  are replaced to make room for a waiting query) or nothing else runs. A paused query waits
  instead of failing; its worker slot is lent to a spare fork meanwhile, so point queries do not
  queue behind it, and its time limit counts the seconds it ran, not those it waited (at most its
  time limit of waiting). On 2 cores, two analytic queries at once finish no later than four.
  A query stopped over the budget while others were in flight is run once more when memory has
  fallen (``requeue``): the client waits instead of being told to retry.
* The pool remembers the memory a query reached when it was paused or stopped (by its text without
  comments and spacing, and its dataset; a bounded LRU), and the next time holds it before it
  starts until the running queries leave room for it under the pause mark (:func:`has_room`), or
  nothing else runs: known to be large, it waits instead of starting, growing and being paused or
  stopped again.
* Free workers are taken last-in first-out, so a lone client keeps using the same warm worker and
  a fresh fork waits at the bottom of the stack until the others are busy.
* A worker whose query is still running after ``long_after`` seconds is given a lower CPU priority
  (nice 10) until it answers, so that on a machine with fewer cores than running queries the cheap
  queries, and the server relaying them, are not time-sliced with the analytic ones.

:func:`execute` is the evaluation itself, a plain function of a store and a job.
"""

from __future__ import annotations

import ctypes
import gc
import logging
import os
import pickle
import resource
import select
import signal
import socket
import struct
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Protocol, TypeVar

import pyoxigraph as ox

from kg.serve import results
from kg.serve.query_check import normalise, syntax_message
from kg.store import QUERY_OPTIONS

_HEADER = struct.Struct("!Q")
_log = logging.getLogger(__name__)
LONG_NICE = 10
"""Niceness of a worker while its query runs past the pool's ``long_after``."""
PAUSE_AT = 0.8
"""Share of the memory budget past which the monitor pauses the newest growing query."""
PAUSE_GRACE = 0.2
"""Seconds a query runs before it may be paused (stopping waits for ``grace``, 0.5 s): a cold worker
copies the store at up to ≈ 0.8 GiB/s, so waiting longer lets two of them pass the budget between
the mark and the next look; a point query answers well within it (or copies too little to be paused)."""
TIGHT_LOOKS = 5
"""Past ``resume_at`` of the budget the monitor looks this many times as often (every 0.05 s): a look
reads ``/proc/PID/stat`` of each running worker, ≈ 15 µs each."""
PAUSE_GROWTH = 256
"""A query is paused only if its worker grew by 1/256 of the budget or more since the monitor's last
look (25 MiB of a 6.4 GiB budget, 100 MiB/s at 0.25 s a look): what a cold worker copies."""
RESUME_AT = 0.6
"""Share of the memory budget under which the monitor resumes the oldest paused query (lower than
``PAUSE_AT``, so that a resumed query does not push the workers straight back over it)."""
REMEMBERED = 256
"""Queries whose memory the pool remembers (those paused or stopped for memory; least recently seen
forgotten first)."""
ROOM_EVERY = 0.05
"""Seconds between two looks of a query waiting for room in the memory budget (it is also woken
whenever a worker is freed)."""

MemoryKey = tuple[str, "tuple[str, ...] | None", "tuple[str, ...] | None", bool]
"""What makes two jobs the same query for the memory they need: the normalised text and the dataset."""


def memory_key(job: QueryJob) -> MemoryKey:
    """The job's query as the pool remembers its memory: comments and spacing do not count
    (:func:`kg.serve.query_check.normalise`), the dataset does; format and page do not (the same
    evaluation)."""
    return (normalise(job.query), job.default_graphs, job.named_graphs, job.union_default_graph)


def has_room(busy: Collection[int], idle: Collection[int], need: int, high: int) -> tuple[bool, int]:
    """Whether a query known to reach ``need`` bytes may start now, and how many bytes of idle
    workers must be replaced first: yes when the busy workers (their sizes) and the idle ones plus
    ``need`` stay under ``high`` (the pause mark), or would once idle workers are replaced, or when
    nothing runs (it then runs alone, however large)."""
    if not busy:
        return True, 0
    running = sum(busy)
    if running + need > high:
        return False, 0
    return True, max(0, running + sum(idle) + need - high)


@dataclass(frozen=True)
class QueryJob:
    query: str
    kind: str
    """Result format: ``json``/``xml``/``csv``/``tsv`` for SELECT/ASK, ``turtle``/``ntriples``/``jsonld``/``rdfxml`` for graphs."""
    max_rows: int
    default_graphs: tuple[str, ...] | None = None
    """``default-graph-uri`` values; ``None`` → the union of all named graphs."""
    named_graphs: tuple[str, ...] | None = None
    """``named-graph-uri`` values; ``None`` → all named graphs."""
    prefixes: dict[str, str] = field(default_factory=dict)
    """Prefixes predeclared for the query (it may redeclare them) and used in Turtle/RDF-XML output."""
    base_iri: str | None = None
    union_default_graph: bool = True
    """Query the union of the named graphs as default graph (off when the query has FROM clauses)."""
    offset: int = 0
    """Solutions or triples skipped before the answer starts (paging)."""
    paged: bool = False
    """Answer one page of ``max_rows`` rows, saying whether more follow, instead of 422 when over."""
    query_limit: int | None = None
    """The query's outermost ``LIMIT`` (:class:`kg.serve.query_check.QueryInfo`), if any: at most
    ``max_rows`` → the answer cannot reach the cap, and pyoxigraph writes SELECT JSON itself."""


@dataclass(frozen=True)
class JobResult:
    status: int
    """200 on success, else the HTTP status of the error."""
    kind: str = ""
    """The format the body is in (may differ from the job's when the query form did)."""
    body: bytes = b""
    count: int | None = None
    """Solutions or triples returned (``None`` for ASK)."""
    message: str = ""
    """What went wrong, for the client (never a traceback or a path)."""
    more: bool = False
    """A paged answer stopped at ``max_rows``: more rows follow."""


class PoolError(RuntimeError):
    """A query could not be answered by a worker; ``status`` is the HTTP status."""

    def __init__(self, status: int, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.retry_after = retry_after
        """Seconds after which the client may try again (``Retry-After``), when that is the advice."""


def execute(store: ox.Store, job: QueryJob) -> JobResult:
    """Evaluate one query and serialise at most ``job.max_rows`` rows; more → status 422, or for a
    paged job (rows from ``job.offset`` on) the page with ``more`` set."""
    options: dict = {}
    if job.default_graphs is not None:
        options["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs]
    elif job.union_default_graph:
        options.update(QUERY_OPTIONS)
    if job.named_graphs is not None:
        options["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    try:
        result = store.query(job.query, base_iri=job.base_iri, prefixes=job.prefixes or None, **options)
        if isinstance(result, ox.QueryBoolean):
            kind = job.kind if job.kind in results.RESULT_FORMATS else "json"
            return JobResult(200, kind, results.boolean(bool(result), kind))
        limit, more = job.max_rows, False
        if job.offset:
            deque(islice(result, job.offset), maxlen=0)  # skipped, never converted to Python terms
        if isinstance(result, ox.QuerySolutions):
            kind = job.kind if job.kind in results.RESULT_FORMATS else "json"
            if kind == "json" and job.query_limit is not None and job.query_limit <= limit:
                # No row cap to stop at: pyoxigraph's writer, byte-identical to ours, without
                # building a Python term per binding (≈ 0.4 ms less for 100 rows × 5 variables).
                body = result.serialize(format=ox.QueryResultsFormat.JSON)
                return JobResult(200, kind, body, results.json_row_count(body))
            variables = [v.value for v in result.variables]
            rows = []
            for solution in result:
                if len(rows) == limit:
                    if not job.paged:
                        return _too_many("solutions", limit)
                    more = True
                    break
                rows.append(tuple(solution))
            return JobResult(200, kind, results.solutions(variables, rows, kind), len(rows), more=more)
        kind = job.kind if job.kind in results.RDF_FORMATS else "turtle"
        triples = []
        for triple in result:
            if len(triples) == limit:
                if not job.paged:
                    return _too_many("triples", limit)
                more = True
                break
            triples.append(triple)
        return JobResult(200, kind, results.graph(triples, kind, job.prefixes), len(triples), more=more)
    except SyntaxError as exc:
        return JobResult(400, message=syntax_message(str(exc), job.query, job.prefixes or ()))
    except (OSError, ValueError, TypeError, RuntimeError):
        return JobResult(500, message="the query could not be evaluated")


def _too_many(what: str, limit: int) -> JobResult:
    return JobResult(
        422,
        message=f"the result has more than {limit} {what}, the most this endpoint returns in one answer; "
        "narrow the query or page through it with the limit and offset parameters",
    )


# -- framing ------------------------------------------------------------------------------------


def send_message(sock: socket.socket, obj: object) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    sock.sendall(_HEADER.pack(len(data)) + data)


Deadline = float | Callable[[], float] | None
"""Monotonic seconds after which a read gives up: fixed, or asked again (it may have moved) each
time the last one passes."""


def _recv_exact(sock: socket.socket, size: int, deadline: Deadline) -> bytes:
    chunks, remaining = [], size
    while remaining:
        if deadline is not None:
            left = (deadline() if callable(deadline) else deadline) - time.monotonic()
            if left <= 0:
                raise TimeoutError
            sock.settimeout(left)
        try:
            chunk = sock.recv(min(remaining, 1 << 20))
        except TimeoutError:
            if callable(deadline):
                continue  # the deadline may have moved meanwhile (a paused query's did)
            raise
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def recv_message(sock: socket.socket, deadline: Deadline = None) -> object:
    """The next message; :class:`EOFError` when the peer is gone, :class:`TimeoutError` past ``deadline``."""
    (size,) = _HEADER.unpack(_recv_exact(sock, _HEADER.size, deadline))
    return pickle.loads(_recv_exact(sock, size, deadline))


# -- processes ----------------------------------------------------------------------------------


def _limit_memory(extra_bytes: int) -> None:
    """Cap this process's address space at its current size plus ``extra_bytes`` (0: no cap)."""
    if extra_bytes <= 0:
        return
    with open("/proc/self/statm", encoding="ascii") as handle:
        current = int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = current + extra_bytes
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def private_bytes(pid: int | None = None) -> int:
    """Memory of process ``pid`` (default: this one) that no other process shares (``Private_*`` of
    smaps_rollup: the kernel walks the page tables, milliseconds for a worker of gigabytes)."""
    total = 0
    with open(f"/proc/{pid or 'self'}/smaps_rollup", encoding="ascii") as handle:
        for line in handle:
            if line.startswith(("Private_Clean:", "Private_Dirty:")):
                total += int(line.split()[1]) * 1024
    return total


def proc_faults(pid: int) -> int:
    """Minor page faults of process ``pid`` so far (``/proc/PID/stat`` field 10; microseconds to read).

    Each page a worker copies on write (reading the store dirties it) or allocates anew is one
    fault, so their growth times the page size bounds the growth of its private memory from above
    (pages freed, or file pages mapped, only make it an overestimate). A transparent huge page would
    be one fault for 2 MiB, but a write to a shared huge page splits it and copies 4 KiB, and the
    workers' allocators do not ask for huge pages (the kernel's default ``madvise`` mode)."""
    with open(f"/proc/{pid}/stat", "rb") as handle:
        return int(handle.read().rsplit(b")", 1)[1].split()[7])


def huge_page_faults_possible(path: str = "/sys/kernel/mm/transparent_hugepage/enabled") -> float:
    """1.0 when the kernel gives transparent huge pages to every anonymous mapping (``[always]``),
    so that counting faults could underestimate what a worker allocates; else 0.0 (``madvise``,
    ``never``, or no such file)."""
    try:
        return 1.0 if "[always]" in Path(path).read_text(encoding="ascii") else 0.0
    except OSError:
        return 0.0


class PrivateMeter:
    """This process's private memory after each query, cheaply enough to ask every time.

    Reading smaps_rollup walks the page tables (milliseconds for a store of gigabytes), so it is
    read only once the page faults since the last reading (each copied or new page is one fault,
    a ``getrusage`` call to count) add up to ``slack`` bytes, or every ``every`` queries (0: never
    on count; by default 64 when the kernel gives transparent huge pages to every allocation, when
    one fault may map 2 MiB, else 0: a reading costs 25 ms of CPU at 1,000 documents and over
    0.1 s at 5,000, ≈ 2 ms a query spread over 64 point queries); in between the last reading plus
    the faults' pages is reported, an overestimate by at most ``slack``."""

    def __init__(self, slack: int = 32 << 20, every: int | None = None) -> None:
        self.slack = slack
        self.every = (64 if huge_page_faults_possible() else 0) if every is None else every
        self._page = os.sysconf("SC_PAGE_SIZE")
        self._queries = 0
        self.faults = self._faults_then = self._faults()
        """Minor page faults of this process at the last :meth:`read` (the value it reported is as of then)."""
        self._value = private_bytes()

    @staticmethod
    def _faults() -> int:
        return resource.getrusage(resource.RUSAGE_SELF).ru_minflt

    def read(self) -> int:
        self._queries += 1
        faults = self.faults = self._faults()
        grown = (faults - self._faults_then) * self._page
        if grown < self.slack and not (self.every and self._queries % self.every == 0):
            return self._value + grown
        self._value, self._faults_then = private_bytes(), faults
        return self._value


def budget_from_meminfo(meminfo: str) -> int:
    """Half of ``MemAvailable`` in a ``/proc/meminfo`` text, in MiB (0 when it is not there)."""
    for line in meminfo.splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) // 1024 // 2
    return 0


def default_budget_mb() -> int:
    """Half the memory the kernel reports available now (``MemAvailable``): the default share the
    query workers may copy of the store, decided once the store is loaded (0 when unknown)."""
    try:
        return budget_from_meminfo(Path("/proc/meminfo").read_text(encoding="ascii"))
    except OSError:
        return 0


def _worker_main(store: ox.Store, sock: socket.socket, memory_bytes: int) -> None:
    try:
        _limit_memory(memory_bytes)
        meter = PrivateMeter()
        while True:
            try:
                job = recv_message(sock)
            except (EOFError, OSError):
                return
            result = execute(store, job)  # type: ignore[arg-type]
            private = meter.read()
            send_message(sock, (result, private, meter.faults))
    finally:
        os._exit(0)


PLUG_SIZES = (512, 128, 32, 16)
"""Request sizes :func:`plug_free_chunks` allocates, largest first (each takes a free chunk of its
size or splits a larger one; 16 bytes takes the smallest chunks glibc has)."""


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]


def heap_free_bytes() -> int:
    """Bytes in free chunks of this process's malloc heaps (glibc's ``mallinfo2``; 0 without it)."""
    try:
        info = ctypes.CDLL(None).mallinfo2
    except (OSError, AttributeError):
        return 0
    info.restype = _MallInfo2
    return int(info().fordblks)


def plug_free_chunks(sizes: Collection[int] = PLUG_SIZES, batch: int = 100) -> int:
    """Allocate, and never free, every free chunk of this process's main malloc heap (glibc), so
    that processes forked from it allocate from fresh memory instead of from those chunks.

    Why: loading the store leaves its heap full of small free chunks between the store's nodes
    (215,000 chunks, 32 MiB, at 1,000 documents). A forked worker's queries allocate from them,
    and each first write to one copies its whole 4 KiB page from the parent, one after the other
    as the free lists cycle: the same point query then page-faulted 100–1,000 times a run for
    hundreds of runs (3.4 ms of CPU against 0.14 ms, and 437 MiB of private memory after 400
    runs of one 114-triple CONSTRUCT; docs/endpoint.md, *The floor of a small query*). Taken in
    the process that forks (before it forks: taken in a fork, each chunk's page would be copied
    there instead, 440 MiB at 1,000 documents), those chunks stay shared and unwritten. Allocates in batches of ``batch`` per size until
    the heap's end (``sbrk(0)``) moves, i.e. the free chunks that size can use are gone, and in
    all at most the free bytes there were plus one batch of each size (a heap that does not grow by
    ``sbrk`` is then not filled further). Returns the allocations made (0 without glibc)."""
    try:
        libc = ctypes.CDLL(None)
        malloc, sbrk = libc.malloc, libc.sbrk
    except (OSError, AttributeError):
        return 0
    trim = getattr(libc, "malloc_trim", None)
    if trim is not None:
        trim.argtypes = [ctypes.c_size_t]
        trim(0)  # merges the fast bins' chunks into the bins first, so that they can be taken below
    free = heap_free_bytes()
    if not free:
        return 0
    malloc.restype, malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
    sbrk.restype, sbrk.argtypes = ctypes.c_void_p, [ctypes.c_ssize_t]
    made = taken = 0
    for size in sizes:
        while taken < free + len(sizes) * batch * max(sizes):
            end = sbrk(0)
            for _ in range(batch):
                malloc(size)
            made, taken = made + batch, taken + batch * size
            if sbrk(0) != end:
                break
    return made


def _zygote_main(store: ox.Store, ctl: socket.socket, memory_bytes: int) -> None:
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # workers are reaped automatically
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # exit on EOF instead, after the server
        while ctl.recv(1):
            ours, theirs = socket.socketpair()
            pid = os.fork()
            if pid == 0:
                ctl.close()
                ours.close()
                _worker_main(store, theirs, memory_bytes)
            theirs.close()
            socket.send_fds(ctl, [struct.pack("!q", pid)], [ours.fileno()])
            ours.close()
    finally:
        os._exit(0)


class _Sized(Protocol):
    private: int


class _Running(Protocol):
    private: int
    started: float | None


class _Pausable(Protocol):
    started: float | None
    timeout: float

    def paused_seconds(self, now: float) -> float: ...


_S = TypeVar("_S", bound=_Sized)
_R = TypeVar("_R", bound=_Running)
_W = TypeVar("_W", bound=_Pausable)


def over_budget(idle: list[_S], total: int, budget: int) -> list[_S]:
    """The idle workers to replace so that ``total`` (all workers' private memory) comes back
    under ``budget``: the largest first, since each frees the most memory for one fresh fork's
    faults; none when under it, and never a fresh fork (nothing of its own to free). Busy workers
    are not candidates: they are judged at their answer, or by :func:`to_stop`."""
    victims = []
    for worker in sorted(idle, key=lambda w: w.private, reverse=True):
        if total <= budget or not worker.private:
            break
        victims.append(worker)
        total -= worker.private
    return victims


def to_stop(busy: list[_R], total: int, budget: int, share: int, now: float, grace: float, paused: Collection[_R] = ()) -> list[_R]:
    """The running queries to stop so that ``total`` (all workers' private memory, idle ones
    already replaced) comes back under ``budget``: of the queries running for ``grace`` seconds or
    more (a point query answers well within it, and its worker is judged at its answer) whose
    worker holds at least its fair ``share`` of the budget, and of the ``paused`` ones whatever
    their size (they wait anyway, and were paused for being the newest), the one that started last
    first (the least work lost). A running worker under its share is never stopped: while the
    total is over the budget some busy worker is over its share."""
    victims = []
    for worker in sorted(busy, key=lambda w: w.started or 0.0, reverse=True):
        if total <= budget:
            break
        if worker.started is None:
            continue
        if worker in paused or (worker.private >= share and now - worker.started >= grace):
            victims.append(worker)
            total -= worker.private
    return victims


def to_pause(running: list[_R], growth: Mapping[_R, int], total: int, high: int, now: float, grace: float,
             least: int = 1) -> list[_R]:
    """The queries to pause so that the workers are not expected past ``high`` (the pause watermark)
    at the monitor's next look: expected = ``total`` + what each running worker ``grew`` since the
    last look (bytes). While it is over ``high``, the newest of the queries running (not paused)
    for ``grace`` seconds or more whose worker grew by ``least`` bytes or more is paused, then the
    next newest, but never the oldest of them, which runs on (pausing every query would free
    nothing and finish nothing). A query in a warm worker that copies little is left to finish:
    pausing it would save little and keep its memory. Empty when under the mark or none qualifies."""
    expected = total + sum(max(0, growth.get(w, 0)) for w in running)
    long = sorted((w for w in running if w.started is not None and now - w.started >= grace), key=lambda w: w.started or 0.0)
    victims = []
    for worker in reversed(long[1:]):
        if expected <= high:
            break
        if growth.get(worker, 0) >= least:
            victims.append(worker)
            expected -= growth[worker]
    return victims


def to_resume(paused: list[_W], total: int, low: int, others_running: bool, now: float) -> list[_W]:
    """The paused queries to resume at this look: the oldest (earliest started) when ``total`` is
    at or under ``low`` (the resume watermark) or no other query runs (something must finish for
    memory to fall), and every one that has waited its own time limit in all (it then runs on,
    and the budget's stop is its limit)."""
    if not paused:
        return []
    paused = sorted(paused, key=lambda w: w.started or 0.0)
    resume = [w for w in paused if w.paused_seconds(now) >= w.timeout]
    if (total <= low or not others_running) and paused[0] not in resume:
        resume.insert(0, paused[0])
    return resume


@dataclass(eq=False)
class _Worker:
    pid: int
    sock: socket.socket
    pidfd: int | None
    private: int = 0
    """Private memory at its last answer or, while a query runs, at the memory monitor's last look
    (bytes; an overestimate: by at most 32 MiB at an answer)."""
    base_private: int = 0
    base_faults: int = 0
    """An exact-enough reading of its private memory and its page faults then: ``private`` while a
    query runs is ``base_private`` plus a page per fault since."""
    exact_at: float = 0.0
    """When the monitor last read its private memory from smaps_rollup (monotonic seconds)."""
    started: float | None = None
    """When its running query was sent (monotonic seconds); ``None`` while idle."""
    stopped: bool = False
    """Killed by the memory monitor while busy: the thread waiting on it answers 503 and replaces it."""
    nice: int = 0
    """The niceness the pool gave it (0 unless its query is running long, or could not be restored)."""
    timeout: float = 0.0
    """Its running query's time limit (seconds it may run, pauses not counted)."""
    paused_at: float | None = None
    """When the memory monitor paused it (``SIGSTOP``; monotonic seconds); ``None`` while not paused."""
    paused_for: float = 0.0
    """Seconds its running query spent paused before its current pause."""
    grew: int = 0
    """Bytes its private memory grew between the monitor's last two looks."""
    crowded: bool = False
    """Other queries were in flight when the monitor stopped it (so it may fit once they are done)."""
    job: QueryJob | None = None
    """Its running query (``None`` while idle): the monitor remembers its memory if it pauses or stops it."""
    expected: int = 0
    """The memory its running query was known to reach when it was admitted (0: not known); counted
    for it until its worker has grown that large."""

    def paused_seconds(self, now: float) -> float:
        """Seconds its running query has spent paused so far."""
        return self.paused_for + (now - self.paused_at if self.paused_at is not None else 0.0)

    def deadline(self) -> float:
        """When its running query's time limit passes: ``timeout`` seconds of running after it
        started, pauses not counted, up to ``timeout`` seconds of them (so a client waits at most
        twice the limit)."""
        return (self.started or 0.0) + self.timeout + min(self.paused_seconds(time.monotonic()), self.timeout)

    def pause(self, now: float) -> None:
        self.send_signal(signal.SIGSTOP)
        self.paused_at = now

    def resume(self, now: float) -> None:
        if self.paused_at is not None:
            self.paused_for += now - self.paused_at
            self.paused_at = None
        self.send_signal(signal.SIGCONT)

    def set_nice(self, value: int) -> None:
        """Lowering the niceness again needs ``CAP_SYS_NICE`` (or ``RLIMIT_NICE``): without it the
        worker keeps the lower priority, which only matters when the cores are oversubscribed."""
        try:
            os.setpriority(os.PRIO_PROCESS, self.pid, value)
            self.nice = value
        except OSError:
            pass

    def send_signal(self, sig: int) -> None:
        """Through its pidfd, so a recycled pid is never hit."""
        try:
            if self.pidfd is not None:
                signal.pidfd_send_signal(self.pidfd, sig)
            else:
                os.kill(self.pid, sig)
        except (ProcessLookupError, OSError):
            pass

    def signal_kill(self) -> None:
        """``SIGKILL``; its socket stays open for the thread reading it, which then sees the end of
        the stream (a paused worker is killed as well: ``SIGKILL`` ends a stopped process)."""
        self.send_signal(signal.SIGKILL)

    def kill(self) -> None:
        try:
            self.signal_kill()
        finally:
            self.sock.close()
            if self.pidfd is not None:
                os.close(self.pidfd)
                self.pidfd = None


MEMORY_MESSAGE = ("the query was stopped: the query workers' memory budget was exceeded while it ran; "
                  "try again shortly")
MEMORY_RETRY_AFTER = 2
"""Seconds a client is asked to wait before repeating a query stopped for memory (``Retry-After``)."""


class _MemoryStop(PoolError):
    """A query stopped by the memory monitor; ``crowded``: other queries were in flight then."""

    def __init__(self, crowded: bool) -> None:
        super().__init__(503, MEMORY_MESSAGE, retry_after=MEMORY_RETRY_AFTER)
        self.crowded = crowded


class WorkerPool:
    """``size`` forked workers evaluating queries with a wall-clock deadline each.

    ``memory_mb`` caps each worker's address space above what it shares with the store; a query
    that needs more fails inside its worker, which is then replaced. ``budget_mb`` bounds the
    private memory of all workers together (store pages copied by reading them included; ``None``:
    :func:`default_budget_mb`; 0: no budget). It is enforced after every answer, and while queries
    run by a monitor thread that looks every ``check_every`` seconds: over the budget, the largest
    idle workers are replaced by fresh forks first, then the running queries :func:`to_stop` names
    are stopped (their workers killed, 503 "memory budget exceeded"). Below that, past ``pause_at``
    of the budget (0: never), it pauses the newest growing query and resumes paused ones under
    ``resume_at`` (:func:`to_pause`, :func:`to_resume`); each paused worker is matched by a spare
    fork while it waits, so ``size`` workers can always take queries. ``recycle_mb`` (0: never)
    also replaces a worker, after its answer, once its own private memory has passed that size.
    """

    def __init__(self, store: ox.Store, size: int, memory_mb: int = 0, recycle_mb: int = 0, budget_mb: int | None = 0,
                 long_after: float = 0.0, check_every: float = 0.25, grace: float = 0.5, exact_every: float | None = None,
                 confirm: bool = False, pause_at: float = PAUSE_AT, resume_at: float = RESUME_AT, requeue: bool = False) -> None:
        self.size = size
        self.pause_at = pause_at
        """Share of the budget past which the newest growing query is paused (0: never pause)."""
        self.resume_at = min(resume_at, pause_at)
        """Share of the budget under which the oldest paused query is resumed."""
        self.requeue = requeue
        """Run a query stopped for memory while others were in flight once more when memory allows (:meth:`run`)."""
        self.requeued = 0
        """Queries stopped for memory and run again since start."""
        self._large: OrderedDict[MemoryKey, int] = OrderedDict()
        """The memory (bytes) queries reached when the monitor paused or stopped them, by
        :func:`memory_key`, at most ``REMEMBERED`` (least recently seen forgotten first)."""
        self._reserved = 0
        """Memory of queries admitted by :meth:`_wait_for_room` that have not taken a worker yet."""
        self.waiting = 0
        """Queries known to be large waiting now for room in the budget before they start."""
        self.waited = 0
        """Queries known to be large that waited for room before they started, since start."""
        self.long_after = long_after
        """Seconds after which a running query's worker gets nice 10 until it answers (0: never)."""
        self.check_every = check_every
        """Seconds between the memory monitor's looks at the running queries' workers."""
        self.grace = grace
        """Seconds a query runs before the monitor may stop it (point queries answer well within)."""
        self.pause_grace = min(grace, PAUSE_GRACE)
        """Seconds a query runs before the monitor may pause it."""
        self._tight = False
        """The workers were past ``resume_at`` of the budget at the last look: look ``TIGHT_LOOKS`` times as often."""
        self.confirm = confirm
        """Read a running worker exactly (smaps_rollup) before stopping its query, not on its faults alone."""
        self.exact_every = huge_page_faults_possible() if exact_every is None else exact_every
        """Seconds after which a running query's worker is measured exactly again, not from its faults
        (0: only before stopping it; by default 1 s when transparent huge pages are on for every
        allocation, when one fault may map 2 MiB, else 0)."""
        self._closed = False
        self._lock = threading.Lock()
        """Serialises fork requests to the zygote."""
        self._cond = threading.Condition()
        """Guards ``_idle``, ``_workers`` and the workers' memory and state; signalled when a worker is freed."""
        self._idle: list[_Worker] = []
        """Free workers; the last is the most recently used (taken first), fresh forks go first."""
        self._workers: set[_Worker] = set()
        self._page = os.sysconf("SC_PAGE_SIZE")
        self.killed = 0
        """Workers killed for overrunning their deadline (or dying) since start."""
        self.recycled = 0
        """Workers replaced since start because of their or the pool's memory (budget or ``recycle_mb``)."""
        self.stopped = 0
        """Running queries stopped since start because the workers were over the memory budget."""
        self.pauses = 0
        """Times since start the monitor paused a query (past ``pause_at`` of the budget)."""
        self._pending = 0
        """Forks asked for and not yet idle (so that concurrent replacements do not overshoot)."""
        self.peak_bytes = 0
        """The most private memory the workers held together, as the monitor and the answers saw it."""
        self.looks = 0
        """Times the memory monitor has woken up (it reads workers only while queries run)."""
        self.recycle_bytes = recycle_mb * 1024 * 1024
        self.budget_bytes = (default_budget_mb() if budget_mb is None else budget_mb) * 1024 * 1024
        """The workers' private memory together is kept under this, after answers and while queries run (0: unbounded)."""
        ctl, ctl_child = socket.socketpair()
        # Objects alive now are never collected in a fork: the collector's visits would write to
        # (and so copy) their pages in every worker (about 6 MiB each).
        gc.freeze()
        # The free chunks of the heap that holds the store are taken here, in the server's own pages
        # (in the zygote each would be a copy-on-write copy): the workers then allocate from fresh pages.
        plug_free_chunks()
        pid = os.fork()
        if pid == 0:
            ctl.close()
            _zygote_main(store, ctl_child, memory_mb * 1024 * 1024)
        ctl_child.close()
        self._zygote_pid, self._ctl = pid, ctl
        for _ in range(size):
            self._add_idle(self._spawn())
        self._stop = threading.Event()
        self._monitor: threading.Thread | None = None
        if self.budget_bytes and check_every > 0:
            # started after the zygote's fork: only the zygote forks, so the thread is never copied
            self._monitor = threading.Thread(target=self._watch, name="kg-serve-memory", daemon=True)
            self._monitor.start()

    def _spawn(self) -> _Worker:
        with self._lock:
            self._ctl.sendall(b"F")
            msg, fds, _flags, _addr = socket.recv_fds(self._ctl, 8, 1)
            (pid,) = struct.unpack("!q", msg)
            try:
                pidfd: int | None = os.pidfd_open(pid)
            except OSError:
                pidfd = None
            return _Worker(pid, socket.socket(fileno=fds[0]), pidfd)

    def _add_idle(self, worker: _Worker, pending: bool = False) -> None:
        """A fresh worker joins at the bottom of the free stack: warm ones are taken before it."""
        with self._cond:
            if pending:
                self._pending -= 1
            if self._closed:
                worker.kill()
                return
            self._workers.add(worker)
            self._idle.insert(0, worker)
            self._cond.notify_all()  # not one: it could go to a thread waiting for memory, not for a worker

    def _target(self) -> int:
        """Workers the pool keeps: ``size``, plus a spare for each paused one (held under ``_cond``)."""
        return self.size + sum(1 for w in self._workers if w.paused_at is not None and not w.stopped)

    def _fill(self) -> None:
        """Fork workers until the pool has its :meth:`_target`."""
        with self._cond:
            spawn = max(0, self._target() - len(self._workers) - self._pending)
            self._pending += spawn
        for _ in range(spawn):
            if self._closed:
                with self._cond:
                    self._pending -= 1
                continue
            self._add_idle(self._spawn(), pending=True)

    def _spares(self, leaving: int = 0) -> list[_Worker]:
        """Idle workers beyond :meth:`_target` (a paused query resumed or ended), the smallest first:
        fresh forks before warm ones; ``leaving`` workers are about to be retired (held under ``_cond``)."""
        excess = len(self._workers) - leaving + self._pending - self._target()
        spares = sorted(self._idle, key=lambda w: w.private)[:max(0, excess)]
        for worker in spares:
            self._idle.remove(worker)
        return spares

    @property
    def busy(self) -> int:
        with self._cond:
            return sum(1 for w in self._workers if w.started is not None)

    @property
    def paused(self) -> int:
        """Queries paused now by the memory monitor."""
        with self._cond:
            return sum(1 for w in self._workers if w.paused_at is not None)

    @property
    def pids(self) -> list[int]:
        with self._cond:
            return sorted(w.pid for w in self._workers)

    @property
    def private_bytes(self) -> int:
        """The workers' private memory together: idle ones at their last answers, busy ones at the
        monitor's last look (ones it has just stopped, exiting, left out)."""
        with self._cond:
            return sum(w.private for w in self._workers if not w.stopped)

    def _take(self, queue_wait: float, timeout: float = 0.0, job: QueryJob | None = None, need: int = 0) -> _Worker:
        """A free worker for ``job``; ``need``: the memory the query is known to reach, reserved by
        :meth:`_wait_for_room` (released here, then counted as the worker's ``expected``)."""
        deadline = time.monotonic() + queue_wait
        with self._cond:
            try:
                while not self._idle:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        raise PoolError(503, "all query workers are busy; try again shortly", retry_after=1)
                    self._cond.wait(left)
            finally:
                self._reserved -= need
            worker = self._idle.pop()
            worker.started, worker.timeout, worker.paused_for, worker.grew = time.monotonic(), timeout, 0.0, 0
            worker.job, worker.expected = job, need
            return worker

    def known_need(self, job: QueryJob) -> int:
        """The memory ``job``'s query reached when it was last paused or stopped for memory (bytes;
        0 when not remembered, or without a budget)."""
        if not self.budget_bytes or not self._large:
            return 0
        key = memory_key(job)
        with self._cond:
            need = self._large.get(key, 0)
            if need:
                self._large.move_to_end(key)
            return need

    def _remember(self, worker: _Worker) -> None:
        """Keep the memory ``worker``'s query has reached (held under ``_cond``; the largest seen)."""
        if worker.job is None:
            return
        key = memory_key(worker.job)
        self._large[key] = max(self._large.get(key, 0), worker.private)
        self._large.move_to_end(key)
        while len(self._large) > REMEMBERED:
            self._large.popitem(last=False)

    @property
    def remembered(self) -> int:
        """Queries whose memory the pool remembers."""
        with self._cond:
            return len(self._large)

    def _wait_for_room(self, need: int, deadline: float) -> None:
        """Before a query known to reach ``need`` bytes starts: wait until :func:`has_room` says it
        fits under the pause mark (the running queries at their sizes, or at what they were known to
        need, and those admitted but not started yet), replacing idle workers to make room when the
        running ones leave enough, or until nothing runs (it then runs alone), or ``deadline``
        (its time limit: it then starts whatever the memory, and the monitor's pauses and stops
        apply as to any query). Reserves ``need`` for it until it has taken a worker."""
        high = int(self.budget_bytes * (self.pause_at or 1.0))
        victims: list[_Worker] = []
        waited = False
        with self._cond:
            while not self._closed:
                live = [w for w in self._workers if not w.stopped and w not in victims]
                busy = [max(w.private, w.expected) for w in live if w.started is not None]
                if self._reserved:
                    busy.append(self._reserved)
                fits, free = has_room(busy, [w.private for w in self._idle], need, high)
                if fits or time.monotonic() >= deadline:
                    for worker in over_budget(self._idle, free, 0) if fits else []:  # the largest idle ones first
                        self._idle.remove(worker)
                        victims.append(worker)
                    break
                if not waited:
                    waited = True
                    self.waiting += 1
                    self.waited += 1
                    _log.info("kg serve: a query known to reach %d MiB waits for room in the memory budget "
                              "(workers %d MiB, pause mark %d MiB)", need >> 20, sum(w.private for w in live) >> 20, high >> 20)
                self._cond.wait(ROOM_EVERY)
            if waited:
                self.waiting -= 1
            self._reserved += need
        if victims:
            self._retire(victims, "recycled")

    def run(self, job: QueryJob, timeout: float, queue_wait: float) -> JobResult:
        """Evaluate ``job`` in a free worker; :class:`PoolError` on timeout, overload, memory or a lost worker.

        A query stopped for memory while other queries were in flight (their copies, not its own
        alone, passed the budget) is run once more, from the start, as soon as the workers are back
        under ``resume_at`` of the budget (waiting at most ``timeout``), with a time limit of its
        own; stopped again, or alone, it is answered 503. With ``requeue`` off it is answered 503 at once."""
        try:
            return self._attempt(job, timeout, queue_wait)
        except _MemoryStop as stop:
            if not (self.requeue and stop.crowded):
                raise
        with self._cond:
            self.requeued += 1
        self._wait_for_memory(time.monotonic() + timeout)
        return self._attempt(job, timeout, queue_wait)

    def _wait_for_memory(self, deadline: float) -> None:
        """Until the workers are under ``resume_at`` of the budget, or no query runs, or ``deadline``."""
        low = self.budget_bytes * (self.resume_at if self.pause_at else 1.0)
        with self._cond:
            while time.monotonic() < deadline and not self._closed:
                live = [w for w in self._workers if not w.stopped]
                if sum(w.private for w in live) <= low or not any(w.started is not None for w in live):
                    return
                self._cond.wait(0.05)

    def _attempt(self, job: QueryJob, timeout: float, queue_wait: float) -> JobResult:
        if self._closed:
            raise PoolError(503, "the server is shutting down")
        need = self.known_need(job)
        if need:
            self._wait_for_room(need, time.monotonic() + timeout)
        worker = self._take(queue_wait, timeout, job, need)
        answer = None
        try:
            send_message(worker.sock, job)
            if self.long_after and not select.select([worker.sock], [], [], min(self.long_after, timeout))[0]:
                worker.set_nice(LONG_NICE)
            answer = recv_message(worker.sock, worker.deadline)  # moves on while the monitor pauses it
            return answer[0]  # type: ignore[index,no-any-return]
        except TimeoutError:
            raise PoolError(503, f"the query exceeded the time limit of {timeout:g} s and was stopped") from None
        except (EOFError, OSError, pickle.UnpicklingError):
            if worker.stopped:
                raise _MemoryStop(worker.crowded) from None
            raise PoolError(503, "the query was stopped: it ran out of memory or its worker failed") from None
        finally:
            with self._cond:
                worker.started = None  # the monitor leaves it alone from now on
                worker.expected = 0
                if worker.paused_at is not None:  # paused as it answered (or killed): never left stopped
                    worker.resume(time.monotonic())
            if answer is None:
                self._retire([worker], None if worker.stopped else "killed")
            else:
                _result, private, faults = answer  # type: ignore[misc]
                self._release(worker, private, faults)

    def _release(self, worker: _Worker, private: int, faults: int) -> None:
        """Free ``worker`` after an answer, then replace workers while memory is over its bounds:
        the worker itself when past ``recycle_mb`` (or stopped by the monitor after it had
        answered), and the largest idle ones (it included) while all workers together are over the
        budget."""
        if worker.nice:
            worker.set_nice(0)
        victims = []
        with self._cond:
            worker.private = worker.base_private = private
            worker.base_faults = faults
            if self._large and worker.job is not None and memory_key(worker.job) in self._large:
                self._remember(worker)  # known to be large: keep the most it has reached
            worker.job = None
            if worker.stopped or (self.recycle_bytes and private >= self.recycle_bytes):
                victims.append(worker)
            else:
                self._idle.append(worker)
            self.peak_bytes = max(self.peak_bytes, sum(w.private for w in self._workers if not w.stopped))
            if self.budget_bytes:
                total = sum(w.private for w in self._workers if w not in victims and not w.stopped)
                for candidate in over_budget(self._idle, total, self.budget_bytes):
                    self._idle.remove(candidate)
                    victims.append(candidate)
            spares = self._spares(len(victims))
            self._cond.notify_all()  # threads waiting for a worker, and for memory (_wait_for_memory, _wait_for_room)
        if victims:
            self._retire(victims, "recycled")
        if spares:
            self._retire(spares, None)

    def _retire(self, workers: list[_Worker], reason: str | None) -> None:
        """Kill ``workers`` and fork replacements up to :meth:`_target`; ``reason`` is the counter it
        adds to (``killed``: overran or died; ``recycled``: replaced for memory after answering;
        ``None``: a worker the monitor stopped, counted then, or a spare no longer needed)."""
        with self._cond:
            for worker in workers:
                worker.kill()
                self._workers.discard(worker)
                if worker.stopped and reason == "recycled":
                    continue  # stopped after it had answered: counted as stopped
                if reason == "recycled":
                    self.recycled += 1
                elif reason == "killed":
                    self.killed += 1
        self._fill()

    # -- the memory monitor -------------------------------------------------------------------

    def _watch(self) -> None:
        while not self._stop.wait(self.check_every / TIGHT_LOOKS if self._tight else self.check_every):
            try:
                self.check_memory()
            except Exception:  # noqa: BLE001 - the monitor must outlive one bad look (logged, then the next)
                _log.exception("kg serve: the memory monitor's look failed")
            self.looks += 1

    def _read(self, workers: list[_Worker], exact: bool) -> None:
        """Update the running queries' workers' ``private``: from their page faults since their
        last exact reading, or (``exact``) from smaps_rollup. A worker that answered meanwhile
        keeps its own, newer reading; one that is gone is skipped."""
        now = time.monotonic()
        readings = []
        for worker in workers:
            try:
                faults = proc_faults(worker.pid)
                readings.append((worker, faults, private_bytes(worker.pid) if exact else None))
            except OSError:
                continue
        with self._cond:
            for worker, faults, private in readings:
                if worker.started is None or worker.stopped:
                    continue
                before = worker.private
                if private is None:
                    worker.private = worker.base_private + max(0, faults - worker.base_faults) * self._page
                else:
                    worker.private = worker.base_private = private
                    worker.base_faults, worker.exact_at = faults, now
                worker.grew = worker.private - before

    def _running(self) -> list[_Worker]:
        with self._cond:
            return [w for w in self._workers if w.started is not None and not w.stopped]

    def check_memory(self) -> None:
        """One look of the monitor: estimate the running queries' workers from their page faults;
        over the budget, replace the largest idle workers, then stop the queries :func:`to_stop`
        names. The estimate is an upper bound, so acting on it keeps the bound; with ``confirm`` a
        query is stopped only after an exact reading of its worker (smaps_rollup: 25 ms of CPU at
        1,000 documents, 110–140 ms and over a second of wall at 5,000, while the others go on
        copying), which spares a query whose faults overstate it but lets the tree pass the budget
        meanwhile. Under the budget, past ``pause_at`` of it, pause the query :func:`to_pause`
        names (those expected past it at the next look); with queries paused, replace idle workers
        down to ``resume_at`` of it and resume the ones :func:`to_resume` names."""
        running = self._running()
        self._tight = False
        if not running or self._closed:
            return
        now = time.monotonic()
        stale = [w for w in running if self.exact_every and now - max(w.exact_at, w.started or now) >= self.exact_every]
        self._read([w for w in running if w not in stale], exact=False)
        self._read(stale, exact=True)
        victims, stop, confirmed = [], [], set(stale) if self.confirm else set(running)
        with self._cond:
            total = sum(w.private for w in self._workers if not w.stopped)
            self.peak_bytes = max(self.peak_bytes, total)
            self._tight = bool(self.pause_at) and total >= self.budget_bytes * self.resume_at
            if total <= self.budget_bytes:
                victims, spares = self._pause_or_resume(total) if self.pause_at else ([], [])
        if total <= self.budget_bytes:
            if victims:
                self._retire(victims, "recycled")
            if spares:
                self._retire(spares, None)
            self._fill()  # a spare for each query just paused
            return
        with self._cond:
            for worker in over_budget(self._idle, total, self.budget_bytes):
                self._idle.remove(worker)
                victims.append(worker)
        while True:
            with self._cond:
                total = sum(w.private for w in self._workers if not w.stopped and w not in victims)
                busy = [w for w in self._workers if w.started is not None and not w.stopped]
                paused = {w for w in busy if w.paused_at is not None}
                stop = to_stop(busy, total, self.budget_bytes, self.budget_bytes // self.size, time.monotonic(), self.grace, paused)
                unsure = [w for w in stop if w not in confirmed]
                if not unsure:
                    for worker in stop:
                        worker.crowded = len(busy) > 1
                        _log.warning("kg serve: a query stopped for memory (%s, its worker %d MiB, %.1f s since it started; "
                                     "workers %d MiB, budget %d MiB)", "paused" if worker in paused else "running", worker.private >> 20,
                                     time.monotonic() - (worker.started or 0.0), total >> 20, self.budget_bytes >> 20)
                        worker.stopped = True
                        self._remember(worker)
                        worker.signal_kill()  # the thread waiting on it sees the end of its stream, answers 503 and replaces it
                        self.stopped += 1
                    break
            self._read(unsure, exact=True)
            confirmed.update(unsure)
        if victims:
            self._retire(victims, "recycled")

    def _pause_or_resume(self, total: int) -> tuple[list[_Worker], list[_Worker]]:
        """Under the budget (``total``; held under ``_cond``): with queries paused, pick idle workers
        to replace down to ``resume_at`` and resume the queries :func:`to_resume` names; if none was
        resumed, pause those :func:`to_pause` names (their spares are forked after; at most ``size``
        paused at once).
        Signals are sent under the lock, so a query that has answered is never paused after. Returns
        the idle workers to replace and the spares no longer needed."""
        now = time.monotonic()
        busy = [w for w in self._workers if w.started is not None and not w.stopped]
        paused = [w for w in busy if w.paused_at is not None]
        running = [w for w in busy if w.paused_at is None]
        victims: list[_Worker] = []
        resumed: list[_Worker] = []
        if paused:
            low = int(self.budget_bytes * self.resume_at)
            for worker in over_budget(self._idle, total, low):  # warm idle workers make room for a waiting query
                self._idle.remove(worker)
                victims.append(worker)
                total -= worker.private
            others = any(now - (w.started or now) >= self.grace for w in running)
            resumed = to_resume(paused, total, low, others, now)
            for worker in resumed:
                _log.info("kg serve: a query resumed (its worker %d MiB, paused %.1f s; workers %d MiB)", worker.private >> 20,
                          worker.paused_seconds(now), total >> 20)
                worker.resume(now)
        if not resumed:
            growth = {w: w.grew for w in running}
            high = int(self.budget_bytes * self.pause_at)
            pausable = to_pause(running, growth, total, high, now, self.pause_grace, self.budget_bytes // PAUSE_GROWTH)
            for worker in pausable[:self.size - len(paused)]:
                _log.info("kg serve: a query paused for memory (its worker %d MiB, +%d MiB at the last look, %.1f s since it started; "
                          "workers %d MiB)", worker.private >> 20, worker.grew >> 20, now - (worker.started or now), total >> 20)
                worker.pause(now)
                self._remember(worker)
                self.pauses += 1
        return victims, self._spares(len(victims))

    def close(self) -> None:
        """Stop the monitor, every worker and the zygote."""
        if self._closed:
            return
        self._closed = True
        self._stop.set()
        if self._monitor is not None and self._monitor is not threading.current_thread():
            self._monitor.join(timeout=5)
        with self._lock, self._cond:
            for worker in list(self._workers):
                worker.kill()
            self._workers.clear()
            self._idle.clear()
            self._ctl.close()
        try:
            os.waitpid(self._zygote_pid, 0)
        except ChildProcessError:
            pass
