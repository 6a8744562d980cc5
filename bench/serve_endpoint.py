"""Endpoint benchmark: point-query latency and throughput over HTTP, and in-memory vs on-disk store.

    .venv/bin/python -m bench.serve_endpoint BUILD_DIR [--seconds 5] [--clients 4] [--workers 2] [--no-cache] [--no-disk]

Starts the app under uvicorn on 127.0.0.1 (ephemeral port), warms it up, then measures
(1) sequential point queries (a resource's label by IRI) on one keep-alive connection,
(2) throughput with N client threads, each on its own keep-alive connection,
(3) the 7 benchmark queries (bench/queries.py): in-process p50 on pyoxigraph, then over HTTP with
    N clients, p50/p95 per query, twice: each text repeated (answered from the answer cache after
    the first time) and with a fresh comment per request (always evaluated by a worker),
(4) the example queries in ``queries/`` on the in-memory store and on an on-disk store (tmp dir).
The 200 point-query IRIs repeat, so with the answer cache on (the default) (1) and (2) are mostly
cache hits; ``--no-cache`` measures evaluation. Prints one line per measurement; numbers go into
docs/endpoint.md.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import os
import random
import statistics
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pyoxigraph as ox
import uvicorn

from bench.queries import QUERIES, parameters, query_text
from kg.serve.app import close_app, create_app
from kg.serve.examples import load_examples
from kg.serve.settings import ServeSettings
from kg.store import QUERY_OPTIONS, SERVED_EXTRAS, load_build

POINT = "SELECT ?label WHERE {{ <{iri}> <http://www.w3.org/2000/01/rdf-schema#label> ?label }}"


def _subjects(store: ox.Store, limit: int = 200) -> list[str]:
    query = "SELECT DISTINCT ?s { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(isIRI(?s)) } LIMIT %d" % limit
    return [row[0].value for row in store.query(query, **QUERY_OPTIONS)]


def _get(conn: http.client.HTTPConnection, path: str) -> int:
    conn.request("GET", path, headers={"accept": "application/sparql-results+json"})
    response = conn.getresponse()
    response.read()
    return response.status


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5))) - 1]


def query_set(store: ox.Store, host: str, port: int, clients: int, requests: int) -> None:
    """The 7 benchmark queries: in-process p50, then HTTP p50/p95 with ``clients`` threads."""
    texts = {name: query_text(name, parameters(store)) for name in QUERIES}
    inproc = {}
    for name, text in texts.items():
        timings = []
        for _ in range(7):
            t0 = time.perf_counter()
            list(store.query(text, **QUERY_OPTIONS))
            timings.append((time.perf_counter() - t0) * 1000)
        inproc[name] = statistics.median(timings)
    fresh_ids = itertools.count()

    def post(conn: http.client.HTTPConnection, name: str, fresh: bool) -> float:
        text = f"# {next(fresh_ids)}\n{texts[name]}" if fresh else texts[name]
        accept = "application/n-triples" if QUERIES[name][1].lstrip().startswith("CONSTRUCT") else "application/sparql-results+json"
        t0 = time.perf_counter()
        conn.request("POST", "/sparql", body=urlencode({"query": text}),
                     headers={"accept": accept, "content-type": "application/x-www-form-urlencoded"})
        response = conn.getresponse()
        response.read()
        assert response.status == 200, (name, response.status)
        return (time.perf_counter() - t0) * 1000

    for fresh in (False, True):
        conn = http.client.HTTPConnection(host, port, timeout=120)
        for name in texts:
            post(conn, name, fresh)  # warm-up (and, repeated, the cache fill)
        conn.close()
        order = [name for name in texts for _ in range(requests)]
        random.Random(8).shuffle(order)
        timings: dict[str, list[float]] = {name: [] for name in texts}
        lock = threading.Lock()

        def client(index: int) -> None:
            c = http.client.HTTPConnection(host, port, timeout=120)
            for name in order[index::clients]:
                ms = post(c, name, fresh)
                with lock:
                    timings[name].append(ms)
            c.close()

        threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        label = "fresh text (evaluated)" if fresh else "repeated text (answer cache)"
        print(f"bench queries, {clients} clients, {label}, load {os.getloadavg()[0]:.1f}:")
        worst = 0.0
        for name, ms in timings.items():
            p50 = _percentile(ms, 50)
            worst = max(worst, p50 / inproc[name])
            print(f"  {name:36s} in-process {inproc[name]:7.2f} ms  HTTP p50 {p50:7.2f} p95 {_percentile(ms, 95):7.2f} ms  ratio {p50 / inproc[name]:5.1f}")
        print(f"  worst HTTP p50 / in-process p50: {worst:.1f}")


def run(build_dir: Path, seconds: float, clients: int, workers: int = 2, cache: bool = True, disk: bool = True, requests: int = 20) -> None:
    started = time.perf_counter()
    store, _ = load_build(build_dir, extras=SERVED_EXTRAS)
    print(f"load: {len(store)} quads in {time.perf_counter() - started:.2f} s (in memory)")
    iris = _subjects(store)
    paths = ["/sparql?" + urlencode({"query": POINT.format(iri=iri)}) for iri in iris]
    settings = ServeSettings(data_dir=build_dir, workers=workers, result_cache_mb=64 if cache else 0)
    app = create_app(settings, store)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    host = urlsplit(f"http://127.0.0.1:{port}")
    try:
        conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
        for path in paths[:50]:
            _get(conn, path)
        latencies = []
        for i in range(500):
            t0 = time.perf_counter()
            assert _get(conn, paths[i % len(paths)]) == 200
            latencies.append((time.perf_counter() - t0) * 1000)
        conn.close()
        latencies.sort()
        print(f"point query, 1 client: median {statistics.median(latencies):.2f} ms, p95 {latencies[int(0.95 * len(latencies))]:.2f} ms")

        counts = [0] * clients
        stop = time.perf_counter() + seconds

        def client(index: int) -> None:
            c = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
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
        query_set(store, host.hostname, host.port, clients, requests)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        close_app(app)

    if not disk:
        return
    examples = load_examples(Path(__file__).resolve().parent.parent / "queries")
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("build_dir", type=Path)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2, help="query workers (bench/run.py serves with 2)")
    parser.add_argument("--requests", type=int, default=20, help="requests per benchmark query and mode")
    parser.add_argument("--no-cache", action="store_true", help="turn the answer cache off")
    parser.add_argument("--no-disk", action="store_true", help="skip the in-memory vs on-disk comparison")
    args = parser.parse_args()
    run(args.build_dir, args.seconds, args.clients, args.workers, not args.no_cache, not args.no_disk, args.requests)


if __name__ == "__main__":
    main()
