"""Endpoint benchmark: point-query latency and throughput over HTTP, and in-memory vs on-disk store.

    .venv/bin/python -m bench.serve_endpoint BUILD_DIR [--seconds 5] [--clients 4]

Starts the app under uvicorn on 127.0.0.1 (ephemeral port), warms it up, then measures
(1) sequential point queries (a resource's label by IRI) on one keep-alive connection,
(2) throughput with N client threads, each on its own keep-alive connection,
(3) the example queries in ``queries/`` on the in-memory store and on an on-disk store (tmp dir).
Prints one line per measurement; numbers go into docs/endpoint.md.
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pyoxigraph as ox
import uvicorn

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


def run(build_dir: Path, seconds: float, clients: int) -> None:
    started = time.perf_counter()
    store, _ = load_build(build_dir, extras=SERVED_EXTRAS)
    print(f"load: {len(store)} quads in {time.perf_counter() - started:.2f} s (in memory)")
    iris = _subjects(store)
    paths = ["/sparql?" + urlencode({"query": POINT.format(iri=iri)}) for iri in iris]
    app = create_app(ServeSettings(data_dir=build_dir, workers=max(2, clients)), store)
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
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        close_app(app)

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
    args = parser.parse_args()
    run(args.build_dir, args.seconds, args.clients)


if __name__ == "__main__":
    main()
