"""``python -m bench.run --scales 100,1000,5000 [--quick]``: budget-kg's stages at scale.

For each scale (a number of documents) the synthetic corpus is written with :mod:`kg.synth`, then
every stage runs in child processes (:mod:`bench.stages`), repeated, and the medians are kept:

- extraction docs/s (all CPUs, and one process), build (facts → dumps) quads/s, store load
  quads/s, validation seconds, site pages/s;
- SPARQL latency of a fixed 7-query set (:mod:`bench.queries`) over HTTP — ``kg serve`` (the
  kg/serve app under uvicorn) on 127.0.0.1 in a subprocess, 4 concurrent clients (one process
  each, a keep-alive ``http.client`` connection), a bounded number of requests: the 7 queries
  mixed, then the point and page queries alone (issue 8's latency target), then 1 client — and
  in-process on pyoxigraph and on rdflib, as ratios.
  rdflib runs each query under a time budget (:mod:`bench.budget`: a stopped query is a marked
  lower bound, the smallest ratio is always measured to the end), and above ``--rdflib-max-quads``
  on a sample of whole documents, with pyoxigraph timed again on the same sample;
- peak RSS of each stage's process (``os.wait4``; ``/proc/PID/status`` VmHWM for the server);
- the slope of each stage's cost against the number of documents.

Large scales stay affordable: the corpus is cached by size, seed and kg/synth version
(``--corpus-cache``), a stage whose first run exceeds ``--max-repeat-seconds`` is not repeated,
every run has a time limit (``--timeout``), and the working directory (the sites too) is removed in
the background at the end.
In-process query repetitions stop after ``--query-seconds`` per query and each HTTP run after
``--http-seconds``. Before a scale, each stage's wall, CPU and memory are estimated from the smaller
scales of the run (linear in documents). A stage can be left out — ``--skip STAGE[@MIN_DOCS]``,
``--skip-if-over-limit`` (its estimated memory over ``--memory-limit-gb``), or a site that would not
fit on the disk — and is then recorded as not run, with the reason, never silently.

Writes ``OUT/results.json`` and ``OUT/results.md`` (default ``bench/out``), the latter with issue 8's
targets next to the figures (met / not met). Numbers on a shared
machine are noisy: the load average before and after each scale is recorded with the figures.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import math
import multiprocessing
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from bench.queries import QUERIES, query_text

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "bench" / "out"
CLIENTS = 4


# --- child processes --------------------------------------------------------------------------------


class StageFailed(RuntimeError):
    pass


#: a stage's process tree (the child and its workers) is killed above this proportional set size, so that a
#: scale too large for the machine fails on its own instead of the kernel's OOM killer picking some
#: other process of a shared machine (set by ``main`` from ``--memory-limit-gb``)
memory_limit_mb: float | None = None


def proc_mb(pid: int, file: str, field: str) -> float:
    """A ``field: N kB`` line of ``/proc/PID/FILE``, in MiB; 0 when the process is gone."""
    prefix = field + ":"
    try:
        for line in Path(f"/proc/{pid}/{file}").read_text().splitlines():
            if line.startswith(prefix):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def rss_mb(pid: int) -> float:
    """Resident size (VmRSS) of a live process, in MiB; 0 when it is gone."""
    return proc_mb(pid, "status", "VmRSS")


def pss_mb(pid: int) -> float:
    """Proportional set size of a live process, in MiB (0 when it is gone).

    Forked processes share their parent's pages until they write them, so adding up the VmRSS of a
    server and its workers counts the shared store once per process; PSS charges each shared page
    to its sharers in equal parts, so the PSS of a process tree adds up to the memory it occupies."""
    return proc_mb(pid, "smaps_rollup", "Pss") or rss_mb(pid)


#: the share of one core the memory samplers may spend reading smaps_rollup. Its cost grows with
#: the pages a process maps: at 5,000 documents one reading of a server tree took ≈ 0.7 s of CPU,
#: so the former fixed 0.1 / 0.5 s intervals kept one of the two cores busy measuring.
SAMPLER_CPU_SHARE = 0.05
#: the longest wait between two readings, however costly (the memory limit's reaction time)
SAMPLER_MAX_WAIT = 5.0


def sample_wait(cost_seconds: float, floor: float) -> float:
    """Seconds to wait after a reading that cost ``cost_seconds`` of CPU: at least ``floor``, and long
    enough that readings take at most :data:`SAMPLER_CPU_SHARE` of a core, up to :data:`SAMPLER_MAX_WAIT`."""
    return max(floor, min(cost_seconds / SAMPLER_CPU_SHARE, SAMPLER_MAX_WAIT))


class TreeMemory:
    """PSS of a process and its descendants, read at a pace set by what the readings cost."""

    def __init__(self, pid: int, floor: float) -> None:
        self.pid, self.floor = pid, floor
        self.wait, self.readings, self.cpu_seconds = floor, 0, 0.0

    def read(self) -> float:
        begun = time.thread_time()  # this thread's CPU: the kernel's page walks included
        total = sum(pss_mb(p) for p in [self.pid, *child_pids(self.pid)])
        cost = time.thread_time() - begun
        self.readings += 1
        self.cpu_seconds += cost
        self.wait = sample_wait(cost, self.floor)
        return total


def run_child(stage: str, args: dict[str, Any], timeout: float) -> dict[str, Any]:
    """Run one stage in a child process; its figures plus ``peak_rss_mb`` (the child and the
    processes it waited for, e.g. extraction workers) and ``wall_seconds`` (with start-up). The
    child's process group is killed after ``timeout`` seconds or above :data:`memory_limit_mb`."""
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        result_file = Path(tmp) / "result.json"
        log = Path(tmp) / "log.txt"
        cmd = [sys.executable, "-m", "bench.stages", stage, json.dumps(args), str(result_file)]
        started = time.perf_counter()
        killed: list[str] = []
        peak_tree = [0.0]  # the most the child and its workers held together (PSS, sampled from 0.1 s apart)
        done = threading.Event()
        with log.open("wb") as out:
            proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True)
            sampler = TreeMemory(proc.pid, floor=0.1)

            def watch() -> None:
                while not done.is_set():
                    why = ""
                    tree = sampler.read()
                    peak_tree[0] = max(peak_tree[0], tree)
                    if time.perf_counter() - started > timeout:
                        why = f"timed out after {timeout:.0f} s"
                    elif memory_limit_mb and tree > memory_limit_mb:
                        why = f"proportional set size {tree:,.0f} MiB over --memory-limit-gb ({memory_limit_mb:,.0f} MiB)"
                    if why:
                        killed.append(why)
                        try:
                            os.killpg(proc.pid, 9)
                        except OSError:
                            pass
                        return
                    done.wait(sampler.wait)

            watcher = threading.Thread(target=watch, daemon=True)
            watcher.start()
            try:
                _, status, usage = os.wait4(proc.pid, 0)
            finally:
                done.set()
                watcher.join()
            proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        if proc.returncode != 0 or not result_file.exists():
            tail = log.read_text(encoding="utf-8", errors="replace")[-1500:]
            why = killed[0] if killed else f"exit {proc.returncode}"
            raise StageFailed(f"stage {stage} failed ({why}):\n{tail}")
        figures = json.loads(result_file.read_text(encoding="utf-8"))
    figures["peak_rss_mb"] = usage.ru_maxrss / 1024  # Linux: KiB; the largest single process
    figures["peak_pss_tree_mb"] = peak_tree[0]
    figures["pss_readings"], figures["pss_sampler_cpu_seconds"] = sampler.readings, sampler.cpu_seconds
    figures["wall_seconds"] = wall
    # CPU time of the child and its workers, start-up included: steadier than wall time under load
    figures["cpu_seconds"] = usage.ru_utime + usage.ru_stime
    return figures


def repeated(stage: str, args: dict[str, Any], repeat: int, timeout: float,
             max_repeat_seconds: float | None = None) -> dict[str, Any]:
    """``repeat`` runs of a stage: the median of every number, the runs' seconds, the worst RSS.
    A first run longer than ``max_repeat_seconds`` is not repeated (large scales: one run of a
    many-minute stage says enough; ``repeat`` then records 1 and ``repeat_requested`` the ask)."""
    runs = [run_child(stage, args, timeout)]
    if max_repeat_seconds is None or runs[0]["wall_seconds"] <= max_repeat_seconds:
        runs += [run_child(stage, args, timeout) for _ in range(repeat - 1)]
    summary: dict[str, Any] = {}
    for key, value in runs[0].items():
        if isinstance(value, int | float) and not isinstance(value, bool):
            summary[key] = statistics.median(r[key] for r in runs)
        else:
            summary[key] = value
    summary["runs_seconds"] = [r["seconds"] for r in runs]
    summary["peak_rss_mb"] = max(r["peak_rss_mb"] for r in runs)
    summary["peak_pss_tree_mb"] = max(r.get("peak_pss_tree_mb", 0.0) for r in runs)
    summary["repeat"] = len(runs)
    summary["repeat_requested"] = repeat
    return summary


# --- the synthetic corpus, cached ---------------------------------------------------------------------


def synth_fingerprint() -> str:
    """A hash of kg/synth's source: a cached corpus is reused only if the generator is unchanged."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "kg" / "synth").glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def cached_corpus(cache: Path | None, work: Path, bureaus: int, years: int, seed: int,
                  timeout: float) -> tuple[Path, dict[str, Any]]:
    """The corpus directory for (bureaus, years, seed) and the synth figures. With a ``cache``, a
    corpus written once (by an unchanged kg/synth) is reused — the stages only read it — and the
    figures of the run that wrote it are returned with ``cached: true``; without, it is written
    into ``work``. A corpus lands in the cache by renaming a finished directory, so an interrupted
    run leaves nothing half-written there."""
    args = {"bureaus": bureaus, "years": years, "seed": seed}
    if cache is None:
        target = work / "corpus"
        return target, {**repeated("synth", {**args, "out": str(target)}, 1, timeout), "cached": False}
    target = cache / f"synth-b{bureaus}-y{years}-s{seed}-{synth_fingerprint()}"
    meta = target / "bench-synth.json"
    if meta.is_file():
        return target, {**json.loads(meta.read_text(encoding="utf-8")), "cached": True}
    cache.mkdir(parents=True, exist_ok=True)
    partial = cache / f".{target.name}.{os.getpid()}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    figures = repeated("synth", {**args, "out": str(partial)}, 1, timeout)
    (partial / "bench-synth.json").write_text(json.dumps(figures), encoding="utf-8")
    try:
        partial.rename(target)
    except OSError:  # another run cached the same corpus meanwhile: theirs is as good
        shutil.rmtree(partial, ignore_errors=True)
    return target, {**figures, "cached": False}


# --- the endpoint over HTTP ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def vm_hwm_mb(pid: int) -> float:
    """Peak RSS (VmHWM) of a live process, in MiB; 0 when it is gone."""
    return proc_mb(pid, "status", "VmHWM")


def child_pids(pid: int) -> list[int]:
    """Every live descendant of ``pid`` (the server's zygote and the query workers it forked)."""
    found = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            found += [int(c) for c in (task / "children").read_text().split()]
    except OSError:
        pass
    return found + [d for c in found for d in child_pids(c)]


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty sample."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def _accept(name: str) -> str:
    """The Accept header of a query, as a SPARQL client sends it: N-Triples for CONSTRUCT."""
    return "application/n-triples" if QUERIES[name][1].lstrip().startswith("CONSTRUCT") else "application/sparql-results+json"


def _request(conn: http.client.HTTPConnection, path: str, name: str, text: str) -> tuple[float, int]:
    """One form-encoded POST on a keep-alive connection, the whole body read: (milliseconds, bytes).
    A status other than 200 or an empty body raises :class:`StageFailed`."""
    body = urlencode({"query": text})
    headers = {"accept": _accept(name), "content-type": "application/x-www-form-urlencoded"}
    start = time.perf_counter()
    conn.request("POST", path, body=body, headers=headers)
    response = conn.getresponse()
    content = response.read()
    elapsed = (time.perf_counter() - start) * 1000
    if response.status != 200 or not content:
        raise StageFailed(f"{name}: HTTP {response.status}: {content[:300]!r}")
    return elapsed, len(content)


def _connect(url: str) -> tuple[http.client.HTTPConnection, str]:
    parts = urlsplit(url)
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=120), parts.path or "/"


def _client_process(url: str, texts: dict[str, str], order: list[str], next_job: Any, ready: Any,
                    results: Any, seconds: float | None = None) -> None:
    """One benchmark client in its own process: takes the next job of ``order`` (a shared counter)
    until none is left — or, with ``seconds``, until that long after the start, the request under
    way still finishing — and sends back ``(name, ms)`` timings, error texts and its own CPU seconds."""
    timings: list[tuple[str, float]] = []
    errors: list[str] = []
    conn, path = _connect(url)
    try:
        conn.connect()  # the TCP handshake is no request's latency
    except OSError as exc:
        errors.append(f"connect: {exc}"[:300])
    ready.wait(timeout=READY_SECONDS)
    cpu = time.process_time()
    deadline = time.perf_counter() + seconds if seconds else None
    while deadline is None or time.perf_counter() < deadline:
        with next_job.get_lock():
            index = next_job.value
            next_job.value += 1
        if index >= len(order):
            break
        name = order[index]
        try:
            timings.append((name, _request(conn, path, name, texts[name])[0]))
        except StageFailed as exc:  # an answer, read to its end: the connection stays usable
            errors.append(str(exc)[:300])
        except Exception as exc:  # noqa: BLE001 - counted and reported, the others go on
            errors.append(f"{name}: {type(exc).__name__}: {exc}"[:300])
            conn.close()  # a broken connection is opened again by the next request
    cpu = time.process_time() - cpu
    conn.close()
    results.send((timings, errors, cpu))
    results.close()


#: seconds the client processes may take to start (spawn: a fresh interpreter importing bench.run)
READY_SECONDS = 120

#: what measured the HTTP latencies (recorded with them)
HTTP_CLIENT = "http.client, one process per client"


def http_latencies(url: str, texts: dict[str, str], requests: int, clients: int,
                   seconds: float | None = None) -> dict[str, Any]:
    """``requests`` timed requests per query, in a fixed-seed shuffled order, shared by ``clients``
    client processes (after one warm-up request per query). With ``seconds``, the clients send no
    new request once that long has passed (large scales: analytic queries take seconds each there);
    the shuffled order keeps the requests sent a mix of every query, and ``stopped_by_time`` says so.

    Each client is a process of its own with one keep-alive ``http.client`` connection: threads of
    this process would share one GIL, and the load generator's CPU (≈ 1.5 ms per request with
    httpx) would be measured as the server's latency on a 2-core machine."""
    order = [name for name in texts for _ in range(requests)]
    random.Random(8).shuffle(order)
    sizes: dict[str, int] = {}
    conn, path = _connect(url)
    try:
        for name, text in texts.items():
            for attempt in range(3):
                try:
                    sizes[name] = _request(conn, path, name, text)[1]
                    break
                except (StageFailed, OSError, http.client.HTTPException):
                    conn.close()
                    if attempt == 2:
                        raise
                    time.sleep(1)
    finally:
        conn.close()
    ctx = multiprocessing.get_context("spawn")  # no fork of this process's threads (memory guards)
    next_job, ready = ctx.Value("l", 0), ctx.Barrier(clients + 1)
    pipes, procs = [], []
    for _ in range(clients):
        receive, send = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_client_process, args=(url, texts, order, next_job, ready, send, seconds),
                           daemon=True)
        proc.start()
        send.close()
        pipes.append(receive)
        procs.append(proc)
    outcomes: list[tuple[list[tuple[str, float]], list[str], float]] = []
    try:
        try:  # every client has started and connected before the clock starts
            ready.wait(timeout=READY_SECONDS)
        except threading.BrokenBarrierError:
            raise StageFailed(f"the {clients} HTTP client processes did not start within {READY_SECONDS} s") from None
        started = time.perf_counter()
        for receive, proc in zip(pipes, procs):
            try:
                outcomes.append(receive.recv())
            except EOFError:
                outcomes.append(([], [f"client process exited {proc.exitcode} without results"], 0.0))
        elapsed = time.perf_counter() - started
    finally:
        for proc in procs:
            proc.join(timeout=30)
            if proc.is_alive():
                proc.kill()
                proc.join()
    timings: dict[str, list[float]] = {name: [] for name in texts}
    errors: list[str] = []
    for got, failed, _ in outcomes:
        for name, ms in got:
            timings[name].append(ms)
        errors += failed
    per_query = {
        name: {"p50_ms": percentile(ms, 50), "p95_ms": percentile(ms, 95), "requests": len(ms), "bytes": sizes[name]}
        for name, ms in timings.items() if ms
    }
    done = sum(len(ms) for ms in timings.values())
    client_cpu = sum(cpu for _, _, cpu in outcomes)
    return {"clients": clients, "http_client": HTTP_CLIENT, "queries": per_query, "errors": errors[:5],
            "error_count": len(errors), "requests": done, "requests_planned": len(order), "seconds": elapsed,
            "time_budget_seconds": seconds, "stopped_by_time": done + len(errors) < len(order),
            "throughput_rps": done / elapsed if elapsed else None,
            "client_cpu_ms_per_request": client_cpu * 1000 / (done + len(errors)) if done + len(errors) else None}


def _answers(url: str) -> bool:
    """Whether the endpoint at ``url`` answers ``ASK {}`` with 200 (the server is up)."""
    conn, path = _connect(url)
    conn.timeout = 10
    try:
        conn.request("GET", path + "?" + urlencode({"query": "ASK {}"}), headers={"accept": "application/sparql-results+json"})
        response = conn.getresponse()
        response.read()
        return response.status == 200
    except (OSError, http.client.HTTPException):
        return False
    finally:
        conn.close()


#: seconds ``kg serve`` lets one query run (its ``--timeout``; set by ``main`` from
#: ``--server-query-timeout``): its default of 10 s would kill analytic queries at 5,000 documents,
#: where they take seconds each and wait for a core behind each other with 4 clients
server_query_timeout: float | None = None


def start_server(build_dir: Path, timeout: float, attempts: int = 3) -> tuple[subprocess.Popen[bytes], str, float, Any]:
    """``kg serve`` on a free port, once it answers ``ASK {}``; a server that exits during start-up
    (e.g. its port was taken meanwhile) is started again on another port."""
    failure = ""
    for _ in range(attempts):
        port = free_port()
        url = f"http://127.0.0.1:{port}/sparql"
        log = tempfile.TemporaryFile()
        # the answer cache off: requests repeat the same texts, and the bench measures evaluation
        cmd = [sys.executable, "-m", "kg", "serve", "--data", str(build_dir), "--port", str(port), "--cache-mb", "0"]
        if server_query_timeout:
            cmd += ["--timeout", f"{server_query_timeout:g}"]
        if memory_limit_mb:
            # the workers' copies of the store within half the harness's limit, so that the tree
            # (store + copies) stays under it while the store is under the other half; kg serve's own
            # default (half of MemAvailable after loading) knows nothing of the limit
            cmd += ["--memory-budget-mb", str(int(memory_limit_mb // 2))]
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        _guards[proc.pid] = memory_guard(proc)
        while proc.poll() is None and time.perf_counter() - started < timeout:
            if _answers(url):
                return proc, url, time.perf_counter() - started, log
            time.sleep(0.2)
        stop_server(proc)
        if over_memory(proc):
            log.close()
            raise StageFailed(f"kg serve killed: {over_memory(proc)}")
        log.seek(0)
        failure = f"kg serve exited {proc.returncode} or did not answer within {timeout:.0f} s: " + \
            log.read()[-1500:].decode(errors="replace")
        log.close()
    raise StageFailed(failure)


@dataclass
class ServerGuard:
    """The watch kept on one ``kg serve`` tree: its peak PSS, and why it was killed, if it was."""

    stop: threading.Event = field(default_factory=threading.Event)
    reasons: list[str] = field(default_factory=list)
    peak_pss_mb: float = 0.0
    readings: int = 0
    sampler_cpu_seconds: float = 0.0


#: the memory guard of each server started, by pid
_guards: dict[int, ServerGuard] = {}


def memory_guard(proc: subprocess.Popen[bytes]) -> ServerGuard:
    """Follow the PSS of ``proc`` and its workers (pages the forked workers still share with the
    server count once) for the HTTP stage's peak, and kill the tree when together they hold more
    than :data:`memory_limit_mb`; the reason is kept."""
    guard = ServerGuard()
    sampler = TreeMemory(proc.pid, floor=0.5)

    def watch() -> None:
        while not guard.stop.wait(sampler.wait):
            pss = sampler.read()
            guard.peak_pss_mb = max(guard.peak_pss_mb, pss)
            guard.readings, guard.sampler_cpu_seconds = sampler.readings, sampler.cpu_seconds
            if memory_limit_mb and pss > memory_limit_mb:
                tree = [proc.pid, *child_pids(proc.pid)]
                guard.reasons.append(f"proportional set size {pss:,.0f} MiB (server and workers) over --memory-limit-gb "
                                     f"({memory_limit_mb:,.0f} MiB)")
                for pid in reversed(tree):
                    try:
                        os.kill(pid, 9)
                    except OSError:
                        pass
                return

    threading.Thread(target=watch, daemon=True).start()
    return guard


def over_memory(proc: subprocess.Popen[bytes]) -> str:
    """Why the memory guard killed ``proc``, or ''."""
    guard = _guards.get(proc.pid)
    return guard.reasons[0] if guard and guard.reasons else ""


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    guard = _guards.get(proc.pid)
    if guard:
        guard.stop.set()
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


#: the kinds of query issue 8 holds to p50 ≤ 10 ms and p95 ≤ 25 ms with 4 concurrent clients
POINT_PAGE = ("point", "page")


def stat_fields(pid: int) -> list[str] | None:
    """The fields of ``/proc/PID/stat`` after the command name (field 3, the state, comes first),
    or None if there is no such process. The name is cut at its last ``)``: it may hold spaces."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def cpu_seconds_of(pids: Sequence[int]) -> float:
    """User + system CPU seconds of live processes, with their children already reaped
    (``/proc/PID/stat`` fields 14–17): a server's CPU, which ``os.wait4`` cannot give while it runs."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = stat_fields(pid)
        if fields is not None:
            total += sum(int(v) for v in fields[11:15])  # utime stime cutime cstime (fields 14-17 of stat)
    return total / ticks


def serve_and_measure(build_dir: Path, params: dict[str, str], requests: int, timeout: float,
                      point_requests: int | None = None, seconds: float | None = None) -> dict[str, Any]:
    """Start ``kg serve`` on the build and measure, with one server: 4 concurrent clients on the 7
    queries mixed (point queries then wait for a core behind 20–40 ms analytic ones: the harder
    figure), 4 concurrent clients on the point and page queries alone (``point_requests`` each,
    default ``requests``; what issue 8's latency target is about), 1 sequential client on the 7
    queries, and 1 on the point and page queries alone; stop it.
    ``seconds`` bounds each of the three runs (:func:`http_latencies`). The server's CPU (start-up,
    and in all) is read from ``/proc`` before it stops; the tree's peak PSS (``peak_pss_tree_mb``) is
    the most its memory guard read while it ran, or at the end if more."""
    begun = time.perf_counter()
    proc, url, ready, log = start_server(build_dir, timeout)
    try:
        startup_cpu = cpu_seconds_of([proc.pid, *child_pids(proc.pid)])
        texts = {name: query_text(name, params) for name in QUERIES}
        concurrent = http_latencies(url, texts, requests, CLIENTS, seconds)
        small = {name: text for name, text in texts.items() if QUERIES[name][0] in POINT_PAGE}
        point_page = http_latencies(url, small, point_requests or requests, CLIENTS, seconds)
        sequential = http_latencies(url, texts, max(3, requests // 2), 1, seconds)
        # the point and page queries alone, 1 client: no analytic query between them to evict the
        # caches, as in-process pyoxigraph is timed (query by query, the same text repeated)
        sequential_point_page = http_latencies(url, small, max(3, requests // 2), 1, seconds)
        health = server_health(url)
        pids = [proc.pid, *child_pids(proc.pid)]
        rss = {pid: vm_hwm_mb(pid) for pid in pids}
        pss = sum(pss_mb(pid) for pid in pids)
        server_cpu = cpu_seconds_of(pids)
    finally:
        stop_server(proc)
        log.close()
        killed = over_memory(proc)
        guard = _guards.pop(proc.pid, None)
        if killed:
            raise StageFailed(f"kg serve killed: {killed}")
    sampled = {"peak_pss_tree_mb": max(guard.peak_pss_mb, pss), "pss_readings": guard.readings,
               "pss_sampler_cpu_seconds": guard.sampler_cpu_seconds} if guard else {}
    return {"seconds": time.perf_counter() - begun, "startup_seconds": ready, "startup_cpu_seconds": startup_cpu,
            "server_cpu_seconds": server_cpu, "http_client": HTTP_CLIENT,
            "concurrent": concurrent, "point_page": point_page, "sequential": sequential,
            "sequential_point_page": sequential_point_page,
            "peak_rss_mb": max(rss.values()), "peak_rss_total_mb": sum(rss.values()),
            "pss_total_mb": pss, **sampled, "processes": len(pids), "server_events": health_events(health)}


#: What ``/health`` counts over the server's life that the latencies alone do not show: workers
#: killed at their time limit or recycled, queries stopped (503), paused, run again, and held back
#: before starting for memory (``waited_for_memory``; ``large_queries_known``: queries remembered
#: as large).
HEALTH_EVENTS = ("killed", "recycled", "stopped_for_memory", "pauses_for_memory", "requeued_for_memory",
                 "waited_for_memory", "large_queries_known")


def server_health(url: str) -> dict[str, Any]:
    """``kg serve``'s ``/health`` answer (beside ``url``'s ``/sparql``), or {} if it gives none."""
    conn, _ = _connect(url)
    try:
        conn.request("GET", "/health")
        response = conn.getresponse()
        body = response.read()
        return json.loads(body) if response.status == 200 else {}
    except (OSError, ValueError, http.client.HTTPException):
        return {}
    finally:
        conn.close()


def health_events(health: dict[str, Any]) -> dict[str, Any]:
    """:data:`HEALTH_EVENTS` and the workers' peak private memory, from a ``/health`` answer."""
    events = {key: health[key] for key in HEALTH_EVENTS if key in health}
    peak = (health.get("memory") or {}).get("workers_private_peak_mb")
    if peak is not None:
        events["workers_private_peak_mb"] = peak
    return events


# --- one scale ------------------------------------------------------------------------------------------


def loadavg() -> list[float]:
    try:
        return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]
    except OSError:
        return []


def corpus_shape(documents: int) -> tuple[int, int]:
    """(bureaus, years) giving ``documents`` documents: two years per bureau when it divides."""
    return (documents // 2, 2) if documents % 2 == 0 and documents >= 4 else (documents, 1)


def stage_timeout(opts: argparse.Namespace, documents: int) -> float:
    """Seconds any one run of a stage may take: ``--timeout``, or by default 600 s plus 2 s per
    document (the slowest stage, the site, takes ≈ 0.4 s per document here)."""
    return opts.timeout if opts.timeout else 600 + 2 * documents


#: what each stage needs to have run before it (the corpus is always there)
NEEDS: dict[str, str] = {"build": "extract", "store_load": "build", "validate": "build", "validate_by_check": "build",
                         "site": "build", "queries": "build", "http": "queries"}
#: the stages ``--skip`` can leave out, in the order they run
STAGE_NAMES = ("extract", "extract_one_process", "build", "store_load", "validate", "validate_by_check", "site",
               "queries", "http")

#: a site's disk use per document when no smaller scale of the run has measured it (5,000 documents:
#: ≈ 32 GB of allocated blocks for 26.5 GB of contents in 3.68M files, bench/RESULTS.md); rounded up
SITE_MB_PER_DOCUMENT = 7.0
SITE_FILES_PER_DOCUMENT = 750
#: disk space left free after the site's estimated size (the builds and other sessions need some)
DISK_MARGIN_MB = 2048


def parse_skip(values: Sequence[str]) -> dict[str, int]:
    """``--skip`` values (``STAGE`` or ``STAGE@MIN_DOCS``, comma-separated, repeatable) as
    stage → the smallest scale it is left out at (1: every scale)."""
    out: dict[str, int] = {}
    for value in values:
        for item in value.split(","):
            item = item.strip()
            if not item:
                continue
            name, _, at = item.partition("@")
            if name not in STAGE_NAMES:
                raise ValueError(f"--skip {item}: no stage {name!r} (one of {', '.join(STAGE_NAMES)})")
            try:
                minimum = int(at) if at else 1
            except ValueError:
                raise ValueError(f"--skip {item}: {at!r} is not a number of documents") from None
            out[name] = min(minimum, out.get(name, minimum))
    return out


def estimates(previous: Sequence[dict[str, Any]], documents: int) -> dict[str, Any]:
    """Each stage's expected wall and CPU seconds per run and peak memory at ``documents``, from the
    smaller scales of this run: a least-squares line through two or more, proportional to one (an
    overestimate: fixed costs scale too). The HTTP stage's wall is its server's start-up, which
    grows with the data (the requests are bounded by count and ``--http-seconds``)."""
    out: dict[str, Any] = {}
    names = [n for n in dict.fromkeys(n for s in previous for n in s.get("stages", {})) if n != "synth"]
    for name in names:
        runs = [(s["documents"], s["stages"][name]) for s in previous if name in s.get("stages", {})]
        entry: dict[str, Any] = {"from_documents": [d for d, _ in runs]}
        series = {"wall_seconds": [(d, st.get("startup_seconds") if name == "http" else st.get("wall_seconds", st.get("seconds")))
                                   for d, st in runs],
                  "cpu_seconds": [(d, st.get("startup_cpu_seconds") if name == "http" else st.get("cpu_seconds"))
                                  for d, st in runs],
                  "memory_mb": [(d, stage_memory_mb(st)) for d, st in runs]}
        if name == "http":  # the requests after start-up: bounded by --http-seconds per run
            series["requests_seconds"] = [(d, st["seconds"] - st["startup_seconds"]) for d, st in runs]
        for key, points in series.items():
            points = [(d, v) for d, v in points if v is not None]
            if not points:
                entry[key] = None
                continue
            largest = max(points)
            proportional = largest[1] * documents / largest[0]
            if len({d for d, _ in points}) >= 2:
                fit = _fit(sorted(points))
                line = fit["intercept"] + fit["per_1000_documents"] * documents / 1000
                # a line bent down by noise must not promise less than the largest scale measured
                entry[key] = max(line, largest[1]) if documents >= largest[0] else max(line, 0.0)
            else:
                entry[key] = proportional
        entry["basis"] = "least squares" if len(runs) >= 2 else "proportional"
        out[name] = entry
    return out


def log_estimates(found: dict[str, Any], documents: int, opts: argparse.Namespace, timeout: float, log: Any) -> None:
    """The estimates, one stage a line, with a warning where a stage would exceed the memory limit
    or the time limit, and the scale's expected wall (runs counted as ``repeated`` would)."""
    if not found:
        log(f"  no estimates for {documents} documents (no smaller scale in this run)")
        return
    log(f"  estimates for {documents} documents (linear in documents, from the smaller scales of this run):")
    total = 0.0
    skip = getattr(opts, "skip", None) or {}
    for name, e in found.items():
        wall, cpu, mem = e.get("wall_seconds"), e.get("cpu_seconds"), e.get("memory_mb")
        runs = 1 if name in ("queries", "http", "validate_by_check") or (opts.quick and name == "validate") else opts.repeat
        if wall is not None and opts.max_repeat_seconds is not None and wall > opts.max_repeat_seconds:
            runs = 1
        warn = []
        over = mem is not None and bool(memory_limit_mb) and mem > memory_limit_mb
        if over:
            warn.append(f"over --memory-limit-gb ({memory_limit_mb:,.0f} MiB)"
                        + (": will not run" if getattr(opts, "skip_if_over_limit", False) else ": would be killed"))
        if wall is not None and wall > timeout:
            warn.append(f"over the {timeout:.0f} s stage timeout")
        if name in skip and documents >= skip[name]:
            warn.append("skipped by --skip")
        elif over and getattr(opts, "skip_if_over_limit", False):
            pass
        elif name == "http" and wall is not None:  # start-up, then 3 runs of requests, each bounded
            requests = e.get("requests_seconds") or 0.0
            total += wall + (min(requests, 3 * opts.http_seconds) if opts.http_seconds else requests)
        elif wall is not None:
            total += wall * runs
        what = "server start-up " if name == "http" else ""
        log(f"    {name:<20} {what}wall ≈ {_fmt(wall, ',.0f')} s, CPU ≈ {_fmt(cpu, ',.0f')} s, "
            f"memory ≈ {_fmt(mem, ',.0f')} MiB, ×{runs} ({e['basis']} from {e['from_documents']})"
            + (f"  ** {'; '.join(warn)}" if warn else ""))
    log(f"    expected wall for this scale ≈ {total / 60:.0f} min (the stages that will run; any not estimated excluded)")


def free_disk(path: Path) -> tuple[float, int]:
    """Free MiB and free inodes where ``path`` is (the nearest existing parent)."""
    while not path.exists():
        path = path.parent
    st = os.statvfs(path)
    return st.f_bavail * st.f_frsize / 2**20, st.f_favail


def site_disk_need(previous: Sequence[dict[str, Any]], documents: int) -> tuple[float, float, str]:
    """(MiB, files) one site build writes at ``documents``, from the largest smaller scale of this
    run that measured it, or :data:`SITE_MB_PER_DOCUMENT` / :data:`SITE_FILES_PER_DOCUMENT`; and
    the basis."""
    for s in sorted(previous, key=lambda s: -s["documents"]):
        site = s.get("stages", {}).get("site") or {}
        if site.get("disk_mb") and site.get("disk_files"):
            n = s["documents"]
            return site["disk_mb"] * documents / n, site["disk_files"] * documents / n, f"{n} documents in this run"
    return SITE_MB_PER_DOCUMENT * documents, SITE_FILES_PER_DOCUMENT * documents, "bench/RESULTS.md (5,000 documents)"


def measure_scale(documents: int, work: Path, opts: argparse.Namespace, log: Any,
                  previous: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    """Every stage at ``documents``, in order, each in its own processes. A stage left out — by
    ``--skip``, for lack of disk, by ``--skip-if-over-limit``, or because a stage it needs did not
    run — is recorded in ``not_run`` with the reason; a failed stage in ``errors``. ``previous``:
    the smaller scales of this run, for the estimates printed first (and kept as ``estimates``)."""
    repeat, timeout = opts.repeat, stage_timeout(opts, documents)
    facts, build_dir, site_dir = work / "facts", work / "build", work / "site"
    bureaus, years = corpus_shape(documents)
    figures: dict[str, Any] = {"documents": documents, "bureaus": bureaus, "years": years,
                               "loadavg_before": loadavg(), "stage_timeout_seconds": timeout}
    stages: dict[str, Any] = {}
    errors: dict[str, str] = {}
    not_run: dict[str, str] = {}
    skip = getattr(opts, "skip", None) or {}
    expected = estimates(previous, documents)
    log_estimates(expected, documents, opts, timeout, log)

    def left_out(name: str) -> bool:
        """Whether ``name`` is not to run at this scale (the reason recorded and logged)."""
        need = NEEDS.get(name)
        why = ""
        if need and need not in stages:
            why = f"not run: needs {need}, which " + ("was not run" if need in not_run else "failed")
        elif name in skip and documents >= skip[name]:
            why = f"not run: skipped by --skip {name}" + (f"@{skip[name]}" if skip[name] > 1 else "")
        elif getattr(opts, "skip_if_over_limit", False) and name in expected:
            mem = expected[name].get("memory_mb")
            if mem is not None and memory_limit_mb and mem > memory_limit_mb:
                why = (f"not run: estimated {mem:,.0f} MiB ({expected[name]['basis']} from "
                       f"{expected[name]['from_documents']} documents) over --memory-limit-gb "
                       f"({memory_limit_mb:,.0f} MiB), --skip-if-over-limit")
        if why:
            not_run[name] = why
            log(f"  {name}: {why}")
        return bool(why)

    def stage(name: str, kind: str, args: dict[str, Any], reps: int) -> dict[str, Any] | None:
        if left_out(name):
            return None
        log(f"  {name} ×{reps} …")
        try:
            stages[name] = repeated(kind, args, reps, timeout, opts.max_repeat_seconds)
            log(f"  {name}: {stages[name]['seconds']:.2f} s (median of {stages[name]['repeat']}), "
                f"CPU {stages[name].get('cpu_seconds', 0):.1f} s, wall {stages[name].get('wall_seconds', 0):.1f} s, "
                f"peak memory {stage_memory_mb(stages[name]):.0f} MiB")
            return stages[name]
        except StageFailed as exc:
            errors[name] = str(exc)
            log(f"  {name}: FAILED {str(exc).splitlines()[0]}")
            return None

    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    log("  synth …")
    try:
        corpus, stages["synth"] = cached_corpus(opts.corpus_cache, work, bureaus, years, opts.seed, timeout)
        log(f"  synth: {corpus}{' (cached)' if stages['synth']['cached'] else ''}")
    except StageFailed as exc:
        errors["synth"] = str(exc)
        for name in STAGE_NAMES:
            not_run[name] = "not run: needs synth, which failed"
        return {**figures, "stages": stages, "errors": errors, "not_run": not_run, "estimates": expected}
    docs = stages["synth"]["documents"]
    ext = stage("extract", "extract", {"documents": str(corpus / "documents"), "out": str(facts)}, repeat)
    if ext:
        ext["docs_per_second"] = docs / ext["seconds"]
    if not opts.quick:
        one = stage("extract_one_process", "extract",
                    {"documents": str(corpus / "documents"), "out": str(work / "facts1"), "workers": 1}, repeat)
        shutil.rmtree(work / "facts1", ignore_errors=True)
        if one:
            one["docs_per_second"] = docs / one["seconds"]
    built = stage("build", "build", {"facts": str(facts), "out": str(build_dir)}, repeat)
    if built:
        built["quads_per_second"] = built["quads"] / built["seconds"]
    # the whole build in one store, as kg serve loads it (validation reads it in batches)
    loaded = stage("store_load", "store", {"build": str(build_dir)}, 1 if opts.quick else repeat)
    stage("validate", "validate", {"build": str(build_dir)}, 1 if opts.quick else repeat)
    if loaded:
        loaded["quads_per_second"] = loaded["quads"] / loaded["seconds"]
    if not opts.quick:  # one more run timing each check alone: where validation's time goes
        stage("validate_by_check", "validate", {"build": str(build_dir), "per_check": True}, 1)
    site_reps = repeat
    if "build" in stages and not (("site" in skip and documents >= skip["site"])):
        need_mb, need_files, basis = site_disk_need(previous, documents)
        free_mb, free_files = free_disk(work)
        fit = min(math.floor((free_mb - DISK_MARGIN_MB) / need_mb) if need_mb else repeat,
                  math.floor(free_files / need_files) if need_files else repeat)
        log(f"  site: needs ≈ {need_mb:,.0f} MiB and {need_files:,.0f} files per run (from {basis}); "
            f"{free_mb / 1024:,.1f} GiB and {free_files:,} inodes free")
        if fit < 1:
            not_run["site"] = (f"not run: needs ≈ {need_mb / 1024:,.1f} GiB and {need_files:,.0f} files (from {basis}), "
                               f"{free_mb / 1024:,.1f} GiB ({DISK_MARGIN_MB / 1024:.0f} GiB kept free) and "
                               f"{free_files:,} inodes free under {work}")
            log(f"  site: {not_run['site']}")
        site_reps = max(1, min(repeat, fit))
    site = None if "site" in not_run else stage("site", "site", {"build": str(build_dir), "out": str(site_dir)}, site_reps)
    if site:
        site["pages_per_second"] = site["pages"] / site["seconds"]
        site["disk_mb"], site["disk_files"], site["disk_content_mb"] = disk_usage(Path(site["out"]))
        if site_reps < repeat:
            site["repeat_limited_by_disk"] = True
    # the sites stay until the end: deleting 235 files per document takes longer than writing
    # them on a disk mounted with `discard`, and would slow the stages measured next
    q = stage("queries", "queries", {"build": str(build_dir), "repeat": opts.query_repeat,
                                     "query_seconds": getattr(opts, "query_seconds", None),
                                     "rdflib": opts.rdflib, "rdflib_repeat": opts.rdflib_repeat,
                                     "rdflib_budget": opts.rdflib_budget,
                                     "rdflib_max_quads": opts.rdflib_max_quads}, 1)
    if q and not opts.rdflib:
        errors["rdflib"] = "skipped: --no-rdflib"
    if q and not left_out("http"):
        log(f"  http: kg serve, {CLIENTS} clients, {opts.requests} requests per query"
            + (f", at most {opts.http_seconds:.0f} s per run" if getattr(opts, "http_seconds", None) else "") + " …")
        try:
            stages["http"] = serve_and_measure(build_dir, q["parameters"], opts.requests, timeout,
                                               opts.point_requests, getattr(opts, "http_seconds", None))
            log(f"  http: start-up {stages['http']['startup_seconds']:.1f} s, {stages['http']['seconds']:.1f} s in all, "
                f"server memory {stage_memory_mb(stages['http']):.0f} MiB"
                + "".join(f", {key.replace('_', ' ')} {value}" for key, value in stages["http"].get("server_events", {}).items()
                          if value and key != "workers_private_peak_mb"))
        except Exception as exc:  # noqa: BLE001 - reported with the results, the run goes on
            errors["http"] = str(exc)
            log(f"  http: FAILED {str(exc).splitlines()[0]}")
    elif not q and "http" not in not_run:
        left_out("http")
    figures.update(stages=stages, errors=errors, not_run=not_run, estimates=expected, loadavg_after=loadavg())
    figures["queries"] = query_table(stages)
    return figures


def disk_usage(path: Path) -> tuple[float, int, float]:
    """What a stage leaves on disk under ``path``: the MiB its files occupy (allocated blocks: a site's
    7 KB pages each take whole 4 KiB blocks, so at 5,000 documents 26.5 GB of contents took ≈ 32 GB),
    how many files, and the MiB of their contents."""
    if not path.exists():
        return 0.0, 0, 0.0
    stats = [f.stat() for f in path.rglob("*") if f.is_file()]
    allocated = sum(st.st_blocks for st in stats) * 512
    return allocated / 2**20, len(stats), sum(st.st_size for st in stats) / 2**20


def disk_mb(path: Path) -> float:
    """MiB the files under ``path`` occupy on disk (what a stage leaves there)."""
    return disk_usage(path)[0]


def query_table(stages: dict[str, Any]) -> dict[str, Any]:
    """Per query: in-process pyoxigraph and rdflib p50, HTTP p50/p95 (4 clients on the 7 queries
    mixed; and, for point and page queries, 4 clients on those alone), and their ratios. rdflib's
    ratio is over pyoxigraph on the same quads (the whole store, or the sample rdflib ran on); a
    query stopped at its budget has ``rdflib_p50_ms`` null, its elapsed time in
    ``rdflib_lower_bound_ms`` and ``rdflib_over_oxigraph_is_lower_bound`` true."""
    from bench.budget import ratio

    q = stages.get("queries") or {}
    http = (stages.get("http") or {}).get("concurrent", {}).get("queries", {})
    seq = (stages.get("http") or {}).get("sequential", {}).get("queries", {})
    alone = (stages.get("http") or {}).get("point_page", {}).get("queries", {})
    seq_alone = (stages.get("http") or {}).get("sequential_point_page", {}).get("queries", {})
    rdflib_baseline = (q.get("rdflib_data") or {}).get("baseline_p50_ms", {})
    table = {}
    for name, (kind, _) in QUERIES.items():
        ox = q.get("oxigraph", {}).get(name)
        rd = q.get("rdflib", {}).get(name)
        h, s, a, sa = http.get(name), seq.get(name), alone.get(name), seq_alone.get(name)
        row: dict[str, Any] = {"kind": kind, "rows": ox["rows"] if ox else None,
                               "oxigraph_p50_ms": ox["p50_ms"] if ox else None,
                               "rdflib_p50_ms": rd["p50_ms"] if rd else None,
                               "rdflib_rows": rd["rows"] if rd else None,
                               "rdflib_lower_bound_ms": rd.get("lower_bound_ms") if rd else None,
                               "rdflib_baseline_p50_ms": rdflib_baseline.get(name),
                               "http_p50_ms": h["p50_ms"] if h else None, "http_p95_ms": h["p95_ms"] if h else None,
                               "http_sequential_p50_ms": s["p50_ms"] if s else None,
                               "http_point_page_p50_ms": a["p50_ms"] if a else None,
                               "http_point_page_p95_ms": a["p95_ms"] if a else None,
                               "http_sequential_point_page_p50_ms": sa["p50_ms"] if sa else None}
        value, lower = ratio(rd, rdflib_baseline.get(name))
        if value is not None:
            row["rdflib_over_oxigraph"] = value
            row["rdflib_over_oxigraph_is_lower_bound"] = lower
        if ox and ox["p50_ms"] > 0:
            if h:
                row["http_over_oxigraph"] = h["p50_ms"] / ox["p50_ms"]
            if s:
                row["http_sequential_over_oxigraph"] = s["p50_ms"] / ox["p50_ms"]
            if sa:
                row["http_sequential_point_page_over_oxigraph"] = sa["p50_ms"] / ox["p50_ms"]
        table[name] = row
    return table


def ratios(scale: dict[str, Any]) -> dict[str, Any]:
    table = scale.get("queries", {})

    def pick(key: str, fn: Any) -> Any:
        values = [(row[key], name) for name, row in table.items() if row.get(key) is not None]
        if not values:
            return None, None
        return fn(values)

    worst_http, worst_q = pick("http_over_oxigraph", max)
    worst_seq, worst_seq_q = pick("http_sequential_over_oxigraph", max)
    worst_alone, worst_alone_q = pick("http_sequential_point_page_over_oxigraph", max)
    # an exact ratio wins a tie with a lower bound (bench.budget.smallest)
    rd = [(row["rdflib_over_oxigraph"], row["rdflib_over_oxigraph_is_lower_bound"], name)
          for name, row in table.items() if row.get("rdflib_over_oxigraph") is not None]
    min_rdflib, min_lower, min_rdflib_q = min(rd) if rd else (None, None, None)
    data = ((scale.get("stages") or {}).get("queries") or {}).get("rdflib_data") or {}
    # issue 8's "endpoint p50 within 1.5× of in-process" compares like with like: in-process
    # pyoxigraph runs one query at a time, so the endpoint is timed with 1 client; 4 clients on the
    # 7 queries mixed wait for one of 2 cores, and that figure is kept beside it
    return {"endpoint_p50_over_inprocess": worst_seq, "endpoint_p50_over_inprocess_query": worst_seq_q,
            "endpoint_p50_over_inprocess_clients": 1,
            "endpoint_sequential_p50_over_inprocess": worst_seq, "endpoint_sequential_query": worst_seq_q,
            "endpoint_concurrent_p50_over_inprocess": worst_http, "endpoint_concurrent_query": worst_q,
            # the same 1 client on the point and page queries alone (none of them follows an
            # analytic query): the endpoint's own overhead on small queries
            "endpoint_point_page_alone_p50_over_inprocess": worst_alone,
            "endpoint_point_page_alone_query": worst_alone_q,
            "rdflib_over_inprocess_min": min_rdflib, "rdflib_over_inprocess_min_query": min_rdflib_q,
            "rdflib_over_inprocess_min_is_lower_bound": min_lower,
            "rdflib_lower_bound_queries": sorted(n for v, lb, n in rd if lb),
            "rdflib_on_sample": data.get("sample"), "rdflib_quads": data.get("quads"),
            "documents": scale["documents"]}


def _fit(points: list[tuple[int, float]]) -> dict[str, Any]:
    """Least-squares seconds per 1,000 documents, the intercept, and the per-document cost at the
    largest scale over that at the smallest (1.0 = linear)."""
    mx = statistics.fmean(x for x, _ in points)
    my = statistics.fmean(y for _, y in points)
    slope = sum((x - mx) * (y - my) for x, y in points) / sum((x - mx) ** 2 for x, _ in points)
    per_doc = [y / x for x, y in points]
    return {"per_1000_documents": slope * 1000, "intercept": my - slope * mx,
            "per_document_cost_largest_over_smallest": per_doc[-1] / per_doc[0] if per_doc[0] else None}


def slopes(scales: list[dict[str, Any]]) -> dict[str, Any]:
    """Each stage's cost against documents: wall seconds (the medians) and CPU seconds (steadier
    on a shared machine; start-up included, hence the intercept)."""
    out: dict[str, Any] = {}
    names = {n for s in scales for n in s.get("stages", {}) if n != "http"}
    series = {name: [(s["documents"], s["stages"][name]) for s in scales if name in s.get("stages", {})]
              for name in names}
    # the HTTP stage's requests are bounded by count and time: its server's start-up is what grows
    series["http_startup"] = [(s["documents"], {"seconds": s["stages"]["http"]["startup_seconds"],
                                                **({"cpu_seconds": s["stages"]["http"]["startup_cpu_seconds"]}
                                                   if "startup_cpu_seconds" in s["stages"]["http"] else {})})
                              for s in scales if "http" in s.get("stages", {})]
    for name in sorted(series):
        runs = series[name]
        if not runs:
            continue
        points = [(d, st["seconds"]) for d, st in runs]
        if len(points) < 2:
            out[name] = {"points": points, "seconds_per_1000_documents": None,
                         "note": "ran at one scale only: no slope"}
            continue
        wall = _fit(points)
        entry = {"points": points, "seconds_per_1000_documents": wall["per_1000_documents"],
                 "intercept_seconds": wall["intercept"],
                 "per_document_cost_largest_over_smallest": wall["per_document_cost_largest_over_smallest"]}
        cpu_points = [(d, st["cpu_seconds"]) for d, st in runs if "cpu_seconds" in st]
        if len(cpu_points) == len(points):
            cpu = _fit(cpu_points)
            entry.update(cpu_points=cpu_points, cpu_seconds_per_1000_documents=cpu["per_1000_documents"],
                         cpu_intercept_seconds=cpu["intercept"],
                         cpu_per_document_cost_largest_over_smallest=cpu["per_document_cost_largest_over_smallest"])
        out[name] = entry
    return out


# --- environment and report -------------------------------------------------------------------------


def versions() -> dict[str, Any]:
    from importlib.metadata import PackageNotFoundError, version

    found: dict[str, Any] = {"python": platform.python_version()}
    for package in ("budget-kg", "rdflib", "pyoxigraph", "pyshacl", "fastapi", "uvicorn", "httpx"):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = None
    return found


def machine() -> dict[str, Any]:
    info: dict[str, Any] = {"platform": platform.platform(), "machine": platform.machine(), "cpus": os.cpu_count()}
    try:
        info["cpus_available"] = len(os.sched_getaffinity(0))
    except AttributeError:
        pass
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                info["memory_gb"] = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return info


def _fmt(value: Any, spec: str = ".1f") -> str:
    return "—" if value is None else format(value, spec)


def stage_memory_mb(stage: dict[str, Any]) -> float:
    """A stage's peak memory: its processes together (forked workers included) by proportional set
    size, or its largest single process's peak RSS when that is more (the tree is sampled every
    0.1 s, the single peak is exact)."""
    return max(stage.get("peak_rss_mb", 0), stage.get("peak_pss_tree_mb", 0), stage.get("pss_total_mb", 0))


def targets(scale: dict[str, Any], slope: dict[str, Any]) -> list[dict[str, Any]]:
    """Issue 8's targets next to this scale's figures: ``met`` true, false, or null when the figure
    is missing. Targets stated at 1M triples are judged on the figure scaled linearly to 1M (the
    ``figure`` says so): the measured slopes are linear, and fixed costs make it an overestimate."""
    st = scale.get("stages", {})
    r = ratios(scale)
    table = scale.get("queries", {})
    out: list[dict[str, Any]] = []

    def add(name: str, target: str, figure: str | None, met: bool | None) -> None:
        out.append({"target": name, "goal": target, "figure": figure, "met": met})

    def at_least(value: float | None, goal: float) -> bool | None:
        return None if value is None else value >= goal

    def at_most(value: float | None, goal: float) -> bool | None:
        return None if value is None else value <= goal

    val = st.get("validate") or {}
    if val.get("triples"):
        per_m = val["seconds"] * 1e6 / val["triples"]
        add("validation", "≤ 15 s at 1M triples",
            f"{val['seconds']:.2f} s at {val['triples']:,} triples → {per_m:.1f} s per 1M (linear)", at_most(per_m, 15))
    else:
        add("validation", "≤ 15 s at 1M triples", None, None)
    e = r["endpoint_p50_over_inprocess"]
    figure = None if e is None else f"{e:.1f}× ({r['endpoint_p50_over_inprocess_query']})"
    if r.get("endpoint_point_page_alone_p50_over_inprocess") is not None:
        figure = (f"{figure or '—'}; point/page queries alone, 1 client: "
                  f"{r['endpoint_point_page_alone_p50_over_inprocess']:.1f}× ({r['endpoint_point_page_alone_query']}, not judged)")
    if r["endpoint_concurrent_p50_over_inprocess"] is not None:
        figure = (f"{figure or '—'}; 4 clients, mixed workload: {r['endpoint_concurrent_p50_over_inprocess']:.1f}× "
                  f"({r['endpoint_concurrent_query']}, not judged)")
    add("endpoint p50 / in-process, worst query, 1 client (requests one at a time, as in-process)", "≤ 1.5×",
        figure, at_most(e, 1.5))
    m = r["rdflib_over_inprocess_min"]
    where = " on a sample" if r.get("rdflib_on_sample") else ""
    add("rdflib / in-process, every query", "≥ 10×",
        None if m is None else f"{'≥ ' if r['rdflib_over_inprocess_min_is_lower_bound'] else ''}{m:.1f}× "
        f"({r['rdflib_over_inprocess_min_query']}{where})", at_least(m, 10))
    small = [row for row in table.values() if row["kind"] in POINT_PAGE]

    def worst(key: str) -> float | None:
        values = [row[key] for row in small if row.get(key) is not None]
        return max(values) if values and len(values) == len(small) else None

    for stat, goal in (("p50", 10.0), ("p95", 25.0)):
        alone, mixed = worst(f"http_point_page_{stat}_ms"), worst(f"http_{stat}_ms")
        figure = None if alone is None else f"{alone:.1f} ms (worst of {len(small)})"
        if mixed is not None:
            figure = f"{figure or '—'}; mixed workload: {mixed:.1f} ms (not judged)"
        add(f"point/page queries {stat}, 4 clients sending only point/page queries", f"≤ {goal:.0f} ms",
            figure, at_most(alone, goal))
    for name, key, goal, unit in (("extraction", "extract", 100, "docs_per_second"),
                                  ("build", "build", 200_000, "quads_per_second"),
                                  ("site", "site", 1_000, "pages_per_second")):
        value = (st.get(key) or {}).get(unit)
        label = unit.replace("_per_second", "/s").replace("_", " ")
        # rounded down, so that a figure just under its goal never prints as the goal
        add(name, f"≥ {goal:,} {label}", None if value is None else f"{math.floor(value * 10) / 10:,.1f} {label}",
            at_least(value, goal))
    quads = (st.get("build") or {}).get("quads")
    # budget-kg's own processes: the query stage also holds rdflib, which is only the comparison
    rss = max((stage_memory_mb(v) for k, v in st.items() if k != "queries"), default=0)
    if quads and rss:
        if quads < 1e6:
            per_m = rss * 1e6 / quads
            add("peak RSS (any stage's processes together, by PSS, or its largest process's RSS if more; the rdflib comparison excluded, server included)", "≤ 2 GB at 1M triples",
                f"{rss:,.0f} MiB at {quads:,} quads → {per_m:,.0f} MiB per 1M (linear: an overestimate, "
                "fixed costs scaled too; judged only if within 2 GB)", True if per_m <= 2048 else None)
        else:  # RSS grows with the data: within 2 GB here is within 2 GB at 1M; above proves nothing
            add("peak RSS (any stage's processes together, by PSS, or its largest process's RSS if more; the rdflib comparison excluded, server included)", "≤ 2 GB at 1M triples",
                f"{rss:,.0f} MiB at {quads:,} quads (≥ 1M: judged only if within 2 GB)",
                True if rss <= 2048 else None)
    else:
        add("peak RSS", "≤ 2 GB at 1M triples", None, None)
    growth = [v.get("cpu_per_document_cost_largest_over_smallest") for v in slope.values()]
    growth = [g for g in growth if g is not None]
    add("linear cost", "per-document CPU cost, largest/smallest scale ≤ 1.25",
        f"worst {max(growth):.2f} over {len(growth)} stages" if growth else None,
        at_most(max(growth), 1.25) if growth else None)
    return out


def _rdflib_cell(row: dict[str, Any]) -> str:
    if row.get("rdflib_lower_bound_ms") is not None:
        return f"> {row['rdflib_lower_bound_ms']:.0f} (budget)"
    return _fmt(row["rdflib_p50_ms"], ".1f")


def _rdflib_ratio_cell(row: dict[str, Any]) -> str:
    value = _fmt(row.get("rdflib_over_oxigraph"), ".0f")
    return f"≥ {value}" if row.get("rdflib_over_oxigraph_is_lower_bound") else value


def _verdict(met: bool | None) -> str:
    return "—" if met is None else ("met" if met else "**not met**")


def http_summary(http: dict[str, Any]) -> str:
    """One sentence on the HTTP runs: the client, and per run its requests, throughput, errors and
    the client's own CPU per request (what the load generator cost)."""
    runs = []
    for key, label in (("concurrent", "mixed"), ("point_page", "point/page only"), ("sequential", "sequential"),
                       ("sequential_point_page", "sequential point/page only")):
        run = http.get(key)
        if not run:
            continue
        cpu = run.get("client_cpu_ms_per_request")
        runs.append(f"{label} ({run['clients']} client{'s' if run['clients'] > 1 else ''}): {run['requests']} requests, "
                    f"{_fmt(run.get('throughput_rps'), '.0f')} req/s, {run['error_count']} errors, "
                    f"client CPU {_fmt(cpu, '.2f')} ms per request"
                    + (f" (stopped at the {run['time_budget_seconds']:.0f} s budget, {run['requests_planned']} planned)"
                       if run.get("stopped_by_time") else "")
                    + (f" (**first error**: {run['errors'][0]})" if run.get("errors") else ""))
    return f"HTTP client: {http.get('http_client', '?')}. " + "; ".join(runs) + "."


def markdown(results: dict[str, Any]) -> str:
    lines = ["# budget-kg benchmark results", "",
             f"{results['started']} · Python {results['versions']['python']} · pyoxigraph {results['versions']['pyoxigraph']} · "
             f"rdflib {results['versions']['rdflib']} · pyshacl {results['versions']['pyshacl']} · "
             f"{results['machine'].get('cpu', '?')} × {results['machine'].get('cpus_available', results['machine']['cpus'])} · "
             f"{results['machine'].get('memory_gb', '?')} GB", "",
             "Medians of repeated runs; each stage in its own process; peak memory = its processes together by PSS "
             "(forked workers included) or its largest process's RSS, whichever is more.", "",
             "| documents | quads | extract docs/s | extract 1-proc docs/s | build quads/s | store load quads/s | "
             "validate s | site pages/s | peak memory MiB (max stage) | load avg |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for s in results["scales"]:
        st = s.get("stages", {})
        rss = max((stage_memory_mb(v) for v in st.values()), default=None)
        lines.append(
            f"| {s['documents']} | {_fmt(st.get('build', {}).get('quads'), 'd')} | "
            f"{_fmt(st.get('extract', {}).get('docs_per_second'))} | {_fmt(st.get('extract_one_process', {}).get('docs_per_second'))} | "
            f"{_fmt(st.get('build', {}).get('quads_per_second'), ',.0f')} | {_fmt(st.get('store_load', {}).get('quads_per_second'), ',.0f')} | "
            f"{_fmt(st.get('validate', {}).get('seconds'), '.2f')} | {_fmt(st.get('site', {}).get('pages_per_second'))} | "
            f"{_fmt(rss, '.0f')} | {s.get('loadavg_before')} → {s.get('loadavg_after')} |")
    for s in results["scales"]:
        lines += ["", f"## SPARQL at {s['documents']} documents (ms; HTTP with {CLIENTS} concurrent clients)", "",
                  "| query | kind | rows | pyoxigraph p50 | HTTP p50 | HTTP p95 | HTTP p50 point/page only "
                  "| HTTP p95 point/page only | HTTP 1-client p50 | HTTP 1-client p50 point/page only | HTTP/ox "
                  "| pyoxigraph p50 on rdflib's quads | rdflib p50 | rdflib/ox |",
                  "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for name, row in s.get("queries", {}).items():
            lines.append(
                f"| {name} | {row['kind']} | {_fmt(row['rows'], 'd')} | {_fmt(row['oxigraph_p50_ms'], '.2f')} | "
                f"{_fmt(row['http_p50_ms'], '.2f')} | {_fmt(row['http_p95_ms'], '.2f')} | "
                f"{_fmt(row.get('http_point_page_p50_ms'), '.2f')} | {_fmt(row.get('http_point_page_p95_ms'), '.2f')} | "
                f"{_fmt(row['http_sequential_p50_ms'], '.2f')} | {_fmt(row.get('http_sequential_point_page_p50_ms'), '.2f')} | "
                f"{_fmt(row.get('http_over_oxigraph'), '.2f')} | "
                f"{_fmt(row.get('rdflib_baseline_p50_ms'), '.2f')} | {_rdflib_cell(row)} | {_rdflib_ratio_cell(row)} |")
        http = s.get("stages", {}).get("http")
        if http:
            lines.append("\n" + http_summary(http))
        data = (s.get("stages", {}).get("queries") or {}).get("rdflib_data")
        if data:
            lines.append(
                f"\nrdflib/ox compares both engines on the same {data['quads']:,} quads"
                + (f" — a sample of {data['document_graphs']} of {data['document_graphs_total']} documents "
                   f"(above --rdflib-max-quads {data['max_quads']:,}"
                   + (f"; limit raised to {data['limit_quads']:,}: the shared graphs hold {data['shared_quads']:,}"
                      if data.get("limit_quads", 0) > data["max_quads"] else "")
                   + "), on which pyoxigraph was timed again"
                   if data.get("sample") else "")
                + f"; rdflib budget {data['budget_seconds'] or 'none'} s per query, ×{data['repeat']}: "
                  "\"> N (budget)\" means stopped after N ms, and its ratio \"≥\" is a lower bound.")
        for name, error in s.get("errors", {}).items():
            lines.append(f"\n- **{name}**: {error.splitlines()[0]}")
        for name, why in s.get("not_run", {}).items():
            lines.append(f"\n- **{name}**: {why}")
        lines += ["", f"### Stages at {s['documents']} documents (each run in its own process)", "",
                  "| stage | median s (stage's own work) | CPU s (process) | wall s (process) | runs | peak RSS MiB | peak PSS MiB, all its processes |",
                  "|---|---:|---:|---:|---:|---:|---:|"]
        for name, st in s.get("stages", {}).items():
            runs = "cached" if st.get("cached") else st.get("repeat", 1)
            cpu = st.get("cpu_seconds", st.get("server_cpu_seconds"))
            lines.append(f"| {name} | {_fmt(st.get('seconds'), '.2f')} | {_fmt(cpu, '.2f')} | "
                         f"{_fmt(st.get('wall_seconds'), '.2f')} | {runs} | {_fmt(st.get('peak_rss_mb'), '.0f')} | "
                         f"{_fmt(st.get('peak_pss_tree_mb') or st.get('pss_total_mb'), '.0f')} |")
        for name, why in s.get("not_run", {}).items():
            lines.append(f"| {name} | {why} | | | | | |")
        lines += ["", f"### Targets (issue 8) at {s['documents']} documents", "",
                  "| target | goal | figure | verdict |", "|---|---|---|---|"]
        for t in s.get("targets", []):
            lines.append(f"| {t['target']} | {t['goal']} | {t['figure'] or '—'} | {_verdict(t['met'])} |")
    r = results["ratios"]
    lines += ["", "## Ratios (largest scale)", "", "```json", json.dumps(r, indent=1, ensure_ascii=False), "```",
              "", "## Cost against documents (seconds per 1,000 documents, least squares)", "",
              "A stage's figures are its own work (wall) and its processes' CPU, start-up included (hence the "
              "intercept); largest/smallest is the per-document cost at the largest scale the stage ran at over "
              "that at the smallest (1.00 = linear). http_startup: `kg serve` until it answers.", "",
              "| stage | documents | wall s / 1000 docs | per-doc wall largest/smallest | CPU s / 1000 docs | CPU intercept s "
              "| per-doc CPU largest/smallest | note |", "|---|---|---:|---:|---:|---:|---:|---|"]
    for name, sl in results["slopes"].items():
        lines.append(f"| {name} | {', '.join(str(d) for d, _ in sl.get('points', []))} | "
                     f"{_fmt(sl.get('seconds_per_1000_documents'), '.2f')} | "
                     f"{_fmt(sl.get('per_document_cost_largest_over_smallest'), '.2f')} | "
                     f"{_fmt(sl.get('cpu_seconds_per_1000_documents'), '.2f')} | {_fmt(sl.get('cpu_intercept_seconds'), '.2f')} | "
                     f"{_fmt(sl.get('cpu_per_document_cost_largest_over_smallest'), '.2f')} | {sl.get('note', '')} |")
    return "\n".join(lines) + "\n"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    p.add_argument("--scales", default="100,1000,5000", help="documents per scale, comma-separated")
    p.add_argument("--quick", action="store_true", help="fewer repetitions and requests, no one-process extraction")
    p.add_argument("--repeat", type=int, default=None, help="runs per stage (default 3, quick 1)")
    p.add_argument("--query-repeat", type=int, default=None, help="timed in-process runs per query (default 20, quick 5)")
    p.add_argument("--rdflib-repeat", type=int, default=None, help="timed rdflib runs per query (default 3, quick 1)")
    p.add_argument("--rdflib-max-quads", type=int, default=600_000,
                   help="above this many quads, rdflib (and pyoxigraph again, for its ratio) runs on a sample of "
                        "whole documents up to this size: rdflib holds ≈ 2 KiB per quad (0: never sample; "
                        "default 600k ≈ 200 documents)")
    p.add_argument("--rdflib-budget", type=float, default=None,
                   help="seconds an rdflib query may run; one stopped there counts as a lower bound of its ratio, "
                        "and the query setting the smallest ratio always runs to the end (default 5, quick 0.5; 0: none)")
    p.add_argument("--no-rdflib", dest="rdflib", action="store_false", help="leave rdflib out")
    p.add_argument("--requests", type=int, default=None, help="HTTP requests per query (default 40, quick 12)")
    p.add_argument("--point-requests", type=int, default=None,
                   help="HTTP requests per point or page query in the run of those queries alone (default 100, "
                        "quick too: they take milliseconds, and with 40 a query the judged p50 flipped on noise)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--timeout", type=float, default=None,
                   help="seconds any one run of a stage may take (default 600 + 2 per document)")
    p.add_argument("--memory-limit-gb", type=float, default=None,
                   help="kill a stage whose processes hold more (default: 60%% of the memory available at start)")
    p.add_argument("--max-repeat-seconds", type=float, default=300,
                   help="a stage whose first run takes longer is not repeated (default 300)")
    p.add_argument("--query-seconds", type=float, default=None,
                   help="in-process pyoxigraph runs of a query stop once they took this long, after one timed run "
                        "(large scales: analytic queries take seconds each; default 10, quick 5; 0: always "
                        "--query-repeat)")
    p.add_argument("--http-seconds", type=float, default=None,
                   help="each HTTP run (4 clients mixed, 4 clients point/page, 1 client) sends no new request after "
                        "this many seconds (default 180, quick 90; 0: every request)")
    p.add_argument("--server-query-timeout", type=float, default=120,
                   help="kg serve's --timeout, seconds one query may run (default 120; kg serve's own default is 10, "
                        "less than an analytic query takes at 5,000 documents with 4 clients on 2 cores)")
    p.add_argument("--skip", action="append", default=[], metavar="STAGE[@MIN_DOCS]",
                   help="leave a stage out (at scales of MIN_DOCS documents and more), recorded as not run; "
                        "comma-separated or repeated; stages: " + ", ".join(STAGE_NAMES))
    p.add_argument("--skip-if-over-limit", action="store_true",
                   help="leave out a stage whose memory, estimated from the smaller scales of the run, is over "
                        "--memory-limit-gb (recorded as not run, with the estimate) instead of starting it to be killed")
    p.add_argument("--corpus-cache", type=Path, default=DEFAULT_OUT / "corpora",
                   help="synthetic corpora kept by size, seed and kg/synth version, reused across runs "
                        "(default bench/out/corpora)")
    p.add_argument("--no-corpus-cache", dest="corpus_cache", action="store_const", const=None,
                   help="write the corpus afresh into the working directory")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="results directory (default bench/out)")
    p.add_argument("--work", type=Path, default=None, help="working directory for corpora and builds (default: temporary)")
    p.add_argument("--keep", action="store_true", help="keep the working directory")
    p.add_argument("--removal-wait", type=float, default=1800.0,
                   help="seconds to wait, before measuring, for earlier runs' background removals of their "
                        "working directories to finish (recent deletions slow file writing on ext4; default 1800)")
    opts = p.parse_args(argv)
    opts.repeat = opts.repeat or (1 if opts.quick else 3)
    opts.query_repeat = opts.query_repeat or (5 if opts.quick else 20)
    opts.rdflib_repeat = opts.rdflib_repeat or (1 if opts.quick else 3)
    opts.requests = opts.requests or (12 if opts.quick else 40)
    opts.point_requests = opts.point_requests or 100  # the judged p50 and p95: 40 a query flipped on noise
    if opts.rdflib_budget is None:
        opts.rdflib_budget = 0.5 if opts.quick else 5.0
    if opts.query_seconds is None:
        opts.query_seconds = 5.0 if opts.quick else 10.0
    if opts.http_seconds is None:
        opts.http_seconds = 90.0 if opts.quick else 180.0
    opts.query_seconds = opts.query_seconds or None
    opts.http_seconds = opts.http_seconds or None
    try:
        opts.skip = parse_skip(opts.skip)
    except ValueError as exc:
        p.error(str(exc))
    opts.scales = [int(s) for s in opts.scales.split(",") if s.strip()]
    if not opts.scales or min(opts.scales) < 1:
        p.error("--scales needs positive numbers of documents")
    return opts


#: where :func:`remove_in_background` notes its removals (one file per ``rm`` process, named by its
#: pid, holding its start time and the path), so that the next run can wait for them
REMOVALS = Path(tempfile.gettempdir()) / "kg-bench-removals"


def process_state(pid: int) -> tuple[str, int] | None:
    """The state letter of process ``pid`` and when it started (clock ticks after boot,
    ``/proc/PID/stat`` fields 3 and 22), or None if there is no such process. With the pid, the
    start time names one process even if the pid is reused."""
    fields = stat_fields(pid)
    return None if fields is None else (fields[0], int(fields[19]))


def still_running(pid: int, start: int) -> bool:
    """Whether the process that started at ``start`` with this pid is running (not ended, not a zombie)."""
    state = process_state(pid)
    return state is not None and state[1] == start and state[0] not in ("Z", "X")


def remove_in_background(path: Path, log: Any, registry: Path | None = None) -> None:
    """``rm -rf path`` in a detached process: a scale leaves hundreds of thousands of site files,
    whose deletion (minutes on a disk mounted with ``discard``) is no figure of the benchmark.
    The removal is noted in ``registry`` (default :data:`REMOVALS`) for :func:`wait_for_removals`."""
    registry = registry or REMOVALS
    proc = subprocess.Popen(["rm", "-rf", "--", str(path)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    state = process_state(proc.pid)
    if state is not None:
        started = state[1]
        try:
            registry.mkdir(parents=True, exist_ok=True)
            (registry / str(proc.pid)).write_text(f"{started}\n{path}", encoding="utf-8")
        except OSError as exc:
            log(f"could not note the removal in {registry}: {exc}")
    log(f"removing {path} in the background (pid {proc.pid})")


def wait_for_removals(log: Any, limit: float, registry: Path | None = None) -> float:
    """Wait (at most ``limit`` seconds) until earlier runs' background removals have finished, and
    return the seconds waited. On this VM's ext4 a deletion in progress, and the freed inodes it
    leaves, slow every stage that writes files (docs/site.md, "eighth pass"): a run started right
    after another would measure the previous run's clean-up."""
    registry = registry or REMOVALS
    started = time.perf_counter()
    try:
        notes = sorted(registry.iterdir())
    except OSError:
        return 0.0
    said = False
    for note in notes:
        try:
            pid = int(note.name)
            start, path = note.read_text(encoding="utf-8").split("\n", 1)
            start_ticks = int(start)
        except (OSError, ValueError):
            note.unlink(missing_ok=True)  # not a note of ours
            continue

        def removing() -> bool:
            return still_running(pid, start_ticks)

        while removing() and time.perf_counter() - started < limit:
            if not said:
                log(f"waiting for the removal of {path} (pid {pid}) to finish before measuring")
                said = True
            time.sleep(0.5)
        if not removing():
            note.unlink(missing_ok=True)
    waited = time.perf_counter() - started
    if said:
        log(f"waited {waited:.1f} s for earlier runs' removals" +
            (" (limit reached; measuring anyway)" if waited >= limit else ""))
    return waited


def memory_available_mb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def main(argv: list[str] | None = None) -> int:
    global memory_limit_mb, server_query_timeout
    opts = parse_args(argv)
    server_query_timeout = opts.server_query_timeout
    available = memory_available_mb()
    memory_limit_mb = opts.memory_limit_gb * 1024 if opts.memory_limit_gb else (0.6 * available if available else None)
    opts.memory_limit_gb = memory_limit_mb / 1024 if memory_limit_mb else None
    work_root = opts.work or Path(tempfile.mkdtemp(prefix="kg-bench-work-"))

    def log(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    waited = wait_for_removals(log, opts.removal_wait)
    results: dict[str, Any] = {"started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "versions": versions(),
                               "machine": machine(), "options": {k: (str(v) if isinstance(v, Path) else v)
                                                                 for k, v in vars(opts).items()},
                               "waited_for_removals_seconds": waited, "scales": []}
    started = time.perf_counter()
    try:
        for documents in opts.scales:
            log(f"scale {documents} documents (load {loadavg()})")
            results["scales"].append(measure_scale(documents, work_root / f"n{documents}", opts, log,
                                                   previous=results["scales"]))
    finally:
        if not opts.keep and opts.work is None:
            remove_in_background(work_root, log)
    results["seconds"] = time.perf_counter() - started
    results["ratios"] = ratios(results["scales"][-1]) if results["scales"] else {}
    results["ratios_by_scale"] = [ratios(s) for s in results["scales"]]
    results["slopes"] = slopes(results["scales"])
    for scale in results["scales"]:
        scale["targets"] = targets(scale, results["slopes"])
    opts.out.mkdir(parents=True, exist_ok=True)
    (opts.out / "results.json").write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    table = markdown(results)
    (opts.out / "results.md").write_text(table, encoding="utf-8")
    print(table)
    log(f"wrote {opts.out / 'results.json'} and results.md in {results['seconds']:.0f} s")
    failed = [name for s in results["scales"] for name in s.get("errors", {}) if name != "rdflib"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
