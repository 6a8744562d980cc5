"""Endpoint benchmark: request latency and CPU per request over HTTP, and in-memory vs on-disk store.

    .venv/bin/python -m bench.serve_endpoint BUILD_DIR [--clients 4] [--workers 4] [--requests 20]
        [--cache off|on|both] [--seconds 5] [--no-disk] [--server-root DIR]
    .venv/bin/python -m bench.serve_endpoint BUILD_DIR --small [--client http.client|httpx] [--server-root DIR]

For each cache mode, starts ``kg serve`` on the build in its own process (as bench/run.py does, so
the client threads here never share an interpreter with the server), waits until it answers, then
measures with ``http.client`` keep-alive connections:

(1) sequential point queries (a resource's label by IRI, 200 IRIs) on one connection,
(2) point-query throughput with N client threads,
(3) the 7 benchmark queries (bench/queries.py): in-process p50 on pyoxigraph, then over HTTP with 1
    client and with N clients (requests shuffled), p50/p95 per query, and
(4) the CPU per request of the server process and of its query workers (from /proc; unlike wall
    time, barely affected by other load on the machine).

``--cache off`` serves with ``--cache-mb 0`` (every request is evaluated; what bench/run.py
measures), ``on`` with the default answer cache (repeated texts are answered from it). Then (5) the
example queries in ``queries/`` on the in-memory store and on an on-disk store (tmp dir). Prints one
line per measurement; the numbers go into docs/endpoint.md.

``--small`` measures only the small queries, cache off: the point query and the four point/page
queries of bench/queries.py, 400 sequential requests each with CPU per request of client, server and
workers (``--client httpx`` for httpx's cost), then four client *processes* on the point/page queries
(as bench/run.py's judged run does). Run it alternately with ``--server-root`` for before/after.

``--floor`` measures what any server costs on this machine, for the same 1-client request (a
0.5 KB form POST answered with 21.7 KB, the size of construct_one_project's answer): a bare socket
server writing a fixed answer; a trivial ASGI app on uvicorn as ``kg serve`` runs it (httptools,
uvloop, no access log); the same app handing each request to a forked process over a socketpair
and waiting for it in a thread of an executor (the shape of ``kg serve``'s worker hop, without
pickling or evaluation); then ``kg serve`` itself on ``ASK {}`` (cache off: through a worker; on:
answered by the server). 2,000 requests each, CPU per request of client and server (its processes
together), wall p50/p95.

``--memory`` measures the server's process tree instead (server, zygote, query workers): start-up
wall and CPU, and the tree's PSS after start-up, after each of three rounds of the 7 benchmark
queries (one client, cache off), after the example queries and 400 project CONSTRUCTs, and after two
full scans per worker: reading pyoxigraph's in-memory store copies the pages read into the
reading worker (docs/endpoint.md). ``--memory-budget-mb`` and ``--recycle-mb`` are passed on to
``kg serve`` (every mode but ``--small``); the main run ends with ``/health`` and the tree's PSS.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox

from bench.queries import QUERIES, parameters, query_text
from bench.run import child_pids, free_port, proc_mb
from kg.serve.examples import load_examples
from kg.store import QUERY_OPTIONS, SERVED_EXTRAS, load_build

ROOT = Path(__file__).resolve().parent.parent
CLOCK_TICK = os.sysconf("SC_CLK_TCK")
POINT = "SELECT ?label WHERE {{ <{iri}> <http://www.w3.org/2000/01/rdf-schema#label> ?label }}"


def _subjects(store: ox.Store, limit: int = 200) -> list[str]:
    query = "SELECT DISTINCT ?s { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(isIRI(?s)) } LIMIT %d" % limit
    return [row[0].value for row in store.query(query, **QUERY_OPTIONS)]


def _percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile, as bench/run.py computes it."""
    ordered = sorted(values)
    return ordered[max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5))) - 1]


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of one process, threads that ended included (clock ticks: take many
    requests for a precise mean); 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICK


class Server:
    """``kg serve`` on a free loopback port, in its own process."""

    def __init__(self, build_dir: Path, workers: int, cache_mb: int, root: Path = ROOT, extra: tuple[str, ...] = ()) -> None:
        self.port = free_port()
        self.log = tempfile.TemporaryFile()
        self.started = time.perf_counter()
        cmd = [sys.executable, "-m", "kg", "serve", "--data", str(build_dir.resolve()), "--port", str(self.port),
               "--workers", str(workers), "--cache-mb", str(cache_mb), *extra]
        env = {**os.environ, "PYTHONPATH": str(root)}  # root's kg package, for before/after comparisons
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT, cwd=root, env=env)
        started = time.perf_counter()
        while time.perf_counter() - started < 300:
            if self.proc.poll() is not None:
                break
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                conn.request("GET", "/sparql?" + urlencode({"query": "ASK {}"}), headers={"accept": "application/sparql-results+json"})
                if conn.getresponse().status == 200:
                    conn.close()
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        self.log.seek(0)
        raise RuntimeError("kg serve did not start: " + self.log.read()[-1500:].decode(errors="replace"))

    def connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)

    def cpu(self) -> tuple[float, float]:
        """CPU seconds so far of the server process and of its workers (and zygote)."""
        return _cpu_seconds(self.proc.pid), sum(_cpu_seconds(p) for p in child_pids(self.proc.pid))

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def _get(conn: http.client.HTTPConnection, path: str) -> int:
    conn.request("GET", path, headers={"accept": "application/sparql-results+json"})
    response = conn.getresponse()
    response.read()
    return response.status


def _post(conn: http.client.HTTPConnection, name: str, text: str, allow_503: bool = False) -> float:
    """One form POST of a benchmark query, as bench/run.py sends it; milliseconds (``allow_503``:
    NaN for a 503, a query stopped at the time limit or refused as busy)."""
    accept = "application/n-triples" if QUERIES[name][1].lstrip().startswith("CONSTRUCT") else "application/sparql-results+json"
    t0 = time.perf_counter()
    conn.request("POST", "/sparql", body=urlencode({"query": text}),
                 headers={"accept": accept, "content-type": "application/x-www-form-urlencoded"})
    response = conn.getresponse()
    response.read()
    if allow_503 and response.status == 503:
        return float("nan")
    assert response.status == 200, (name, response.status)
    return (time.perf_counter() - t0) * 1000


def point_queries(server: Server, paths: list[str], clients: int, seconds: float) -> None:
    conn = server.connect()
    for path in paths[:50]:
        _get(conn, path)
    latencies = []
    cpu0 = server.cpu()
    for i in range(500):
        t0 = time.perf_counter()
        assert _get(conn, paths[i % len(paths)]) == 200
        latencies.append((time.perf_counter() - t0) * 1000)
    cpu1 = server.cpu()
    conn.close()
    print(f"point query, 1 client: median {statistics.median(latencies):.2f} ms, p95 {_percentile(latencies, 95):.2f} ms; "
          f"CPU per request: server {(cpu1[0] - cpu0[0]) / 0.5:.2f} ms, workers {(cpu1[1] - cpu0[1]) / 0.5:.2f} ms")

    counts = [0] * clients
    stop = time.perf_counter() + seconds

    def client(index: int) -> None:
        c = server.connect()
        i = index
        while time.perf_counter() < stop:
            assert _get(c, paths[i % len(paths)]) == 200
            counts[index] += 1
            i += clients
        c.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(f"point queries, {clients} clients: {sum(counts) / seconds:.0f} req/s")


def query_set(server: Server, texts: dict[str, str], inproc: dict[str, float], clients: int, requests: int, label: str) -> None:
    """The 7 benchmark queries: HTTP p50/p95 with ``clients`` threads and the CPU per request."""
    conn = server.connect()
    for name, text in texts.items():
        _post(conn, name, text)  # warm-up (and with the cache on, the cache fill)
    conn.close()
    order = [name for name in texts for _ in range(requests)]
    random.Random(8).shuffle(order)
    timings: dict[str, list[float]] = {name: [] for name in texts}
    lock = threading.Lock()

    def client(index: int) -> None:
        c = server.connect()
        for name in order[index::clients]:
            ms = _post(c, name, texts[name], allow_503=True)
            with lock:
                timings[name].append(ms)
        c.close()

    cpu0, t0 = server.cpu(), time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    cpu1, wall = server.cpu(), time.perf_counter() - t0
    n = len(order)
    print(f"bench queries, {label}, {clients} client(s), {requests} requests each, load {os.getloadavg()[0]:.1f}: "
          f"{n / wall:.0f} req/s; CPU per request (all queries): server {(cpu1[0] - cpu0[0]) / n * 1000:.2f} ms, "
          f"workers {(cpu1[1] - cpu0[1]) / n * 1000:.2f} ms")
    worst = 0.0
    for name, every in timings.items():
        ms = [t for t in every if t == t]  # 503s (NaN) counted apart
        stopped = f"  {len(every) - len(ms)} × 503" if len(ms) < len(every) else ""
        if not ms:
            print(f"  {name:36s} in-process {inproc[name]:7.2f} ms  every request answered 503")
            continue
        p50 = _percentile(ms, 50)
        worst = max(worst, p50 / inproc[name])
        print(f"  {name:36s} in-process {inproc[name]:7.2f} ms  HTTP p50 {p50:7.2f} p95 {_percentile(ms, 95):7.2f} ms  ratio {p50 / inproc[name]:5.1f}{stopped}")
    print(f"  worst HTTP p50 / in-process p50: {worst:.1f}")


def per_query_cpu(server: Server, texts: dict[str, str], requests: int) -> None:
    """CPU per request of each query alone (1 client), server and workers: the load-insensitive cost."""
    conn = server.connect()
    print("CPU per request, 1 client, each query alone (server / workers, ms; wall p50):")
    for name, text in texts.items():
        _post(conn, name, text)
        cpu0 = server.cpu()
        walls = [_post(conn, name, text) for _ in range(requests)]
        cpu1 = server.cpu()
        print(f"  {name:36s} {(cpu1[0] - cpu0[0]) / requests * 1000:6.2f} / {(cpu1[1] - cpu0[1]) / requests * 1000:6.2f}"
              f"   wall p50 {statistics.median(walls):7.2f}")
    conn.close()


def disk_comparison(build_dir: Path, store: ox.Store) -> None:
    examples = load_examples(ROOT / "queries")
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        disk, _ = load_build(build_dir, store=ox.Store(tmp), extras=SERVED_EXTRAS)
        disk.flush()
        print(f"load: {len(disk)} quads in {time.perf_counter() - t0:.2f} s (on disk)")
        for example in examples:
            timings = {}
            for name, target in (("memory", store), ("disk", disk)):
                best = float("inf")
                for _ in range(3):
                    t0 = time.perf_counter()
                    list(target.query(example.query, **QUERY_OPTIONS))
                    best = min(best, time.perf_counter() - t0)
                timings[name] = best * 1000
            print(f"{example.name}: memory {timings['memory']:.1f} ms, disk {timings['disk']:.1f} ms")


def run(build_dir: Path, seconds: float, clients: int, workers: int = 4, cache: str = "both", disk: bool = True, requests: int = 20,
        root: Path = ROOT, extra: tuple[str, ...] = (), cpu_each: bool = True) -> None:
    started = time.perf_counter()
    store, _ = load_build(build_dir, extras=SERVED_EXTRAS)
    print(f"load: {len(store)} quads in {time.perf_counter() - started:.2f} s (in memory)")
    paths = ["/sparql?" + urlencode({"query": POINT.format(iri=iri)}) for iri in _subjects(store)]
    texts = {name: query_text(name, parameters(store)) for name in QUERIES}
    inproc = {}
    for name, text in texts.items():
        timings = []
        for _ in range(7):
            t0 = time.perf_counter()
            list(store.query(text, **QUERY_OPTIONS))
            timings.append((time.perf_counter() - t0) * 1000)
        inproc[name] = statistics.median(timings)
    if not disk:
        del store  # its memory back before the server loads its own copy (5,000 documents: 4 GiB each)
    modes = ["off", "on"] if cache == "both" else [cache]
    for mode in modes:
        server = Server(build_dir, workers, 0 if mode == "off" else 64, root, extra)
        try:
            print(f"== kg serve --workers {workers} --cache-mb {0 if mode == 'off' else 64} {' '.join(extra)} (answer cache {mode})")
            point_queries(server, paths, clients, seconds)
            label = "every request evaluated" if mode == "off" else "answer cache"
            query_set(server, texts, inproc, 1, max(3, requests // 2), label)
            query_set(server, texts, inproc, clients, requests, label)
            if cpu_each:
                per_query_cpu(server, texts, max(5 * requests, 50))
            _health(server)
        finally:
            server.stop()
    if disk:
        disk_comparison(build_dir, store)


SMALL = ("construct_one_project", "bureau_lines_lookup", "chinese_contains_filter", "projects_with_quantity_indicators")


def _small_request(client: str, port: int):  # type: ignore[no-untyped-def]
    """A function sending one request (method, query, accept) on a keep-alive connection; returns its size."""
    if client == "httpx":
        import httpx

        session = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60)

        def send_httpx(method: str, text: str, accept: str) -> int:
            if method == "GET":
                response = session.get("/sparql", params={"query": text}, headers={"accept": accept})
            else:
                response = session.post("/sparql", data={"query": text}, headers={"accept": accept})
            assert response.status_code == 200, response.text
            return len(response.content)

        return send_httpx
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def send(method: str, text: str, accept: str) -> int:
        if method == "GET":
            conn.request("GET", "/sparql?" + urlencode({"query": text}), headers={"accept": accept})
        else:
            conn.request("POST", "/sparql", body=urlencode({"query": text}),
                         headers={"accept": accept, "content-type": "application/x-www-form-urlencoded"})
        response = conn.getresponse()
        body = response.read()
        assert response.status == 200, body
        return len(body)

    return send


def _small_client(port: int, cases: dict[str, tuple[str, str, str]], seed: int, out) -> None:  # type: ignore[no-untyped-def]
    send = _small_request("http.client", port)
    names = [name for name in SMALL for _ in range(60)]
    random.Random(seed).shuffle(names)
    timings = []
    for name in names:
        t0 = time.perf_counter()
        send(*cases[name])
        timings.append((name, (time.perf_counter() - t0) * 1000))
    out.put(timings)


def small(build_dir: Path, client: str, root: Path, requests: int = 400) -> None:
    """Small queries only, cache off: per-request CPU of client, server and workers; 4 client processes."""
    import multiprocessing

    store, _ = load_build(build_dir, extras=SERVED_EXTRAS)
    params = parameters(store)
    cases = {"point (label of one IRI)": ("GET", POINT.format(iri=_subjects(store, 1)[0]), "application/sparql-results+json")}
    for name in SMALL:
        text = query_text(name, params)
        cases[name] = ("POST", text, "application/n-triples" if QUERIES[name][1].lstrip().startswith("CONSTRUCT") else "application/sparql-results+json")
    inproc = {}
    for name, (_method, text, _accept) in cases.items():
        timings = []
        for _ in range(21):
            t0 = time.perf_counter()
            list(store.query(text, **QUERY_OPTIONS))
            timings.append((time.perf_counter() - t0) * 1000)
        inproc[name] = statistics.median(timings)
    del store
    server = Server(build_dir, 4, 0, root)
    try:
        send = _small_request(client, server.port)
        print(f"small queries, 1 {client} client, {requests} requests each (ms; CPU per request):")
        for name, case in cases.items():
            for _ in range(30):
                size = send(*case)
            walls = []
            cpu0, own0 = server.cpu(), time.process_time()
            for _ in range(requests):
                t0 = time.perf_counter()
                send(*case)
                walls.append((time.perf_counter() - t0) * 1000)
            own1, cpu1 = time.process_time(), server.cpu()
            print(f"  {name:26s} {size:6d} B  in-process {inproc[name]:5.2f}  wall p50 {statistics.median(walls):5.2f} "
                  f"p95 {_percentile(walls, 95):5.2f}  CPU client {(own1 - own0) / requests * 1000:4.2f} server "
                  f"{(cpu1[0] - cpu0[0]) / requests * 1000:4.2f} workers {(cpu1[1] - cpu0[1]) / requests * 1000:4.2f}  "
                  f"load {os.getloadavg()[0]:.1f}", flush=True)
        context = multiprocessing.get_context("fork")
        out = context.Queue()
        cpu0 = server.cpu()
        procs = [context.Process(target=_small_client, args=(server.port, cases, seed, out)) for seed in range(4)]
        for proc in procs:
            proc.start()
        timings = [t for _ in procs for t in out.get()]
        for proc in procs:
            proc.join()
        cpu1, n = server.cpu(), len(timings)
        every = [ms for _, ms in timings]
        per_query = "  ".join(f"{name} {statistics.median([ms for q, ms in timings if q == name]):.2f}" for name in SMALL)
        print(f"4 client processes, point/page queries: p50 {statistics.median(every):.2f} p95 {_percentile(every, 95):.2f} ms "
              f"({per_query}); CPU per request server {(cpu1[0] - cpu0[0]) / n * 1000:.2f} workers "
              f"{(cpu1[1] - cpu0[1]) / n * 1000:.2f} ms; load {os.getloadavg()[0]:.1f}")
    finally:
        server.stop()


FLOOR_BODY = (b"<https://budget-kg.org/x> <https://budget-kg.org/p> \"value value value\" .\n" * 300)[:21660]
FLOOR_FORM = urlencode({"query": "CONSTRUCT { ?p ?x ?y } WHERE { <https://budget-kg.org/project/abc> ?x ?y . ?p ?x ?y } # " + "x" * 400})
FLOOR_MODES = ("socket", "asgi", "asgi+hop")


def _floor_hop(sock) -> None:  # type: ignore[no-untyped-def]
    """The forked process of ``asgi+hop``: a length-prefixed message in, the fixed answer out."""
    while True:
        head = sock.recv(8)
        if not head:
            os._exit(0)
        size, data = int.from_bytes(head, "big"), b""
        while len(data) < size:
            data += sock.recv(size - len(data))
        sock.sendall(len(FLOOR_BODY).to_bytes(8, "big") + FLOOR_BODY)


def _floor_app(mode: str):  # type: ignore[no-untyped-def]
    """A trivial ASGI app answering FLOOR_BODY (``asgi``), through a forked process (``asgi+hop``)."""
    import asyncio
    import socket
    from concurrent.futures import ThreadPoolExecutor

    ours = None
    if mode == "asgi+hop":
        ours, theirs = socket.socketpair()
        if os.fork() == 0:
            ours.close()
            _floor_hop(theirs)
        theirs.close()
    threads = ThreadPoolExecutor(4)

    def roundtrip(job: bytes) -> bytes:
        ours.sendall(len(job).to_bytes(8, "big") + job)
        size, chunks = int.from_bytes(ours.recv(8), "big"), []
        while size:
            chunks.append(ours.recv(min(size, 1 << 20)))
            size -= len(chunks[-1])
        return b"".join(chunks)

    async def app(scope, receive, send):  # type: ignore[no-untyped-def]
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        body, more = b"", True
        while more:
            message = await receive()
            body, more = body + message.get("body", b""), message.get("more_body", False)
        out = FLOOR_BODY if ours is None else await asyncio.get_running_loop().run_in_executor(threads, roundtrip, body)
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/n-triples"), (b"content-length", str(len(out)).encode())]})
        await send({"type": "http.response.body", "body": out})

    return app


def _floor_server(mode: str, sock) -> None:  # type: ignore[no-untyped-def]
    if mode == "socket":
        conn, _ = sock.accept()
        buf = b""
        while True:
            while b"\r\n\r\n" not in buf:
                data = conn.recv(65536)
                if not data:
                    os._exit(0)
                buf += data
            head, _, rest = buf.partition(b"\r\n\r\n")
            length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")), 0)
            while len(rest) < length:
                rest += conn.recv(65536)
            buf = rest[length:]
            conn.sendall(b"HTTP/1.1 200 OK\r\ncontent-type: application/n-triples\r\ncontent-length: %d\r\n\r\n" % len(FLOOR_BODY)
                         + FLOOR_BODY)
    import uvicorn

    uvicorn.Server(uvicorn.Config(_floor_app(mode), log_level="warning", access_log=False, proxy_headers=False)).run(sockets=[sock])
    os._exit(0)


def _floor_measure(label: str, port: int, pids: list[int], requests: int, form: str, accept: str) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"accept": accept, "content-type": "application/x-www-form-urlencoded"}

    def one() -> None:
        conn.request("POST", "/sparql", body=form, headers=headers)
        response = conn.getresponse()
        body = response.read()
        assert response.status == 200, body

    for _ in range(200):
        one()
    cpu0, own0, walls = sum(_cpu_seconds(p) for p in pids), time.process_time(), []
    for _ in range(requests):
        t0 = time.perf_counter()
        one()
        walls.append((time.perf_counter() - t0) * 1000)
    own1, cpu1 = time.process_time(), sum(_cpu_seconds(p) for p in pids)
    conn.close()
    print(f"  {label:34s} wall p50 {statistics.median(walls):5.3f} p95 {_percentile(walls, 95):5.3f} ms  CPU per request: client "
          f"{(own1 - own0) / requests * 1000:5.3f} server {(cpu1 - cpu0) / requests * 1000:5.3f} ms  load {os.getloadavg()[0]:.2f}", flush=True)


def floor(build_dir: Path, root: Path, requests: int = 2000) -> None:
    """The floor of one small request on this machine (see above)."""
    import signal
    import socket

    print(f"floor of one request, 1 http.client client, {requests} requests each:")
    for mode in FLOOR_MODES:
        sock = socket.create_server(("127.0.0.1", 0))
        pid = os.fork()
        if pid == 0:
            _floor_server(mode, sock)
        port = sock.getsockname()[1]
        sock.close()
        time.sleep(1.0)
        _floor_measure(mode + " (21.7 KB)", port, [pid, *child_pids(pid)], requests, FLOOR_FORM, "application/n-triples")
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
    for cache_mb, label in ((0, "kg serve, ASK {}, cache off"), (64, "kg serve, ASK {}, answered from cache")):
        server = Server(build_dir, 4, cache_mb, root)
        try:
            _floor_measure(label, server.port, [server.proc.pid, *child_pids(server.proc.pid)], requests, urlencode({"query": "ASK {}"}),
                           "application/sparql-results+json")
        finally:
            server.stop()


def _tree_pss(server: Server, label: str) -> None:
    """One line: the tree's PSS and each process's PSS / private dirty / RSS (MiB)."""
    rows = [(proc_mb(p, "smaps_rollup", "Pss"), proc_mb(p, "smaps_rollup", "Private_Dirty"), proc_mb(p, "status", "VmRSS"))
            for p in [server.proc.pid, *child_pids(server.proc.pid)]]
    print(f"{label}: tree PSS {sum(r[0] for r in rows):.0f} MiB; per process PSS/private dirty/RSS "
          + ", ".join(f"{a:.0f}/{b:.0f}/{c:.0f}" for a, b, c in rows if c), flush=True)


def _health(server: Server) -> None:
    conn = server.connect()
    conn.request("GET", "/health")
    print("health:", conn.getresponse().read().decode(), flush=True)
    _tree_pss(server, "memory")
    conn.close()


def memory(build_dir: Path, workers: int, root: Path, extra: tuple[str, ...] = ()) -> None:
    server = Server(build_dir, workers, 0, root, extra)
    try:
        wall = time.perf_counter() - server.started
        cpu = server.cpu()
        print(f"start-up (until ASK answers): wall {wall:.1f} s, CPU server {cpu[0]:.1f} s + workers {cpu[1]:.1f} s; "
              f"load {os.getloadavg()[0]:.1f}", flush=True)
        _tree_pss(server, "after start-up")
        conn = server.connect()
        prefix = "PREFIX bud: <https://budget-kg.org/ontology#> "
        rows = []
        for key, limit in (("Bureau", 1), ("Project", 400)):
            conn.request("POST", "/sparql", body=urlencode({"query": prefix + f"SELECT ?x {{ ?x a bud:{key} }} ORDER BY ?x LIMIT {limit}"}),
                         headers={"accept": "text/csv", "content-type": "application/x-www-form-urlencoded"})
            rows.append(conn.getresponse().read().decode().split()[1:])
        params = {"bureau": rows[0][0], "project": rows[1][0]}
        texts = {name: query_text(name, params) for name in QUERIES}
        for round_ in range(3):
            times = [f"{name} {_post(conn, name, text):.0f}" for name, text in texts.items()]
            _tree_pss(server, f"after round {round_ + 1} of the 7 queries (ms: {', '.join(times)})")
        for example in load_examples(ROOT / "queries"):
            _get(conn, "/sparql?" + urlencode({"query": example.query}))
        for project in rows[1]:
            _post(conn, "construct_one_project", query_text("construct_one_project", {**params, "project": project}))
        _tree_pss(server, f"after the {len(load_examples(ROOT / 'queries'))} example queries and {len(rows[1])} project CONSTRUCTs")
        for i in range(2 * workers):
            _get(conn, "/sparql?" + urlencode({"query": f"SELECT (COUNT(*) AS ?n) {{ ?s ?p ?o FILTER(?p != <urn:x:{i}>) }}"}))
        _tree_pss(server, "after two full scans per worker")
        conn.request("GET", "/health")
        print("health:", conn.getresponse().read().decode(), flush=True)
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("build_dir", type=Path)
    parser.add_argument("--seconds", type=float, default=5.0, help="duration of the point-query throughput run")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=4, help="query workers (kg serve's default, as bench/run.py serves)")
    parser.add_argument("--requests", type=int, default=20, help="requests per benchmark query with N clients (half that with 1)")
    parser.add_argument("--cache", choices=("off", "on", "both"), default="both", help="answer cache off (every request evaluated), on, or both in turn")
    parser.add_argument("--no-disk", action="store_true", help="skip the in-memory vs on-disk comparison")
    parser.add_argument("--server-root", type=Path, default=ROOT, help="directory whose kg/ package the server runs (e.g. an "
                        "export of an older commit, for before/after comparisons; default this checkout)")
    parser.add_argument("--small", action="store_true", help="only the small queries, cache off, CPU per request (see above)")
    parser.add_argument("--client", choices=("http.client", "httpx"), default="http.client", help="client library for --small's 1-client run")
    parser.add_argument("--floor", action="store_true", help="only the floor of one request: bare socket, trivial ASGI app, "
                        "ASGI + process hop, kg serve on ASK {} (see above)")
    parser.add_argument("--memory", action="store_true", help="only the process tree's memory and start-up (see above)")
    parser.add_argument("--recycle-mb", type=int, default=None, help="kg serve --recycle-mb (default: kg serve's)")
    parser.add_argument("--memory-budget-mb", type=int, default=None, help="kg serve --memory-budget-mb (default: kg serve's)")
    parser.add_argument("--long-query-after", type=float, default=None, help="kg serve --long-query-after (default: kg serve's)")
    parser.add_argument("--no-cpu-each", action="store_true", help="skip the CPU per request of each query alone (long at 5,000 documents)")
    args = parser.parse_args()
    extra: tuple[str, ...] = ()
    for flag, value in (("--recycle-mb", args.recycle_mb), ("--memory-budget-mb", args.memory_budget_mb),
                        ("--long-query-after", args.long_query_after)):
        if value is not None:
            extra += (flag, str(value))
    if args.floor:
        floor(args.build_dir, args.server_root.resolve())
        return
    if args.memory:
        memory(args.build_dir, args.workers, args.server_root.resolve(), extra)
        return
    if args.small:
        small(args.build_dir, args.client, args.server_root.resolve())
        return
    run(args.build_dir, args.seconds, args.clients, args.workers, args.cache, not args.no_disk, args.requests, args.server_root.resolve(),
        extra, not args.no_cpu_each)


if __name__ == "__main__":
    main()
