"""The benchmark's HTTP load generator (bench.run.http_latencies) against a tiny stdlib server:
per-query p50/p95 from client processes, form-encoded POSTs with the Accept header of the query
form, and failures (HTTP 500, empty bodies) counted and reported instead of timed. No timing
assertions: the latencies are only checked to be present and ordered."""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from bench import run
from bench.queries import QUERIES

SELECT, CONSTRUCT = "bureau_lines_lookup", "construct_one_project"


class Endpoint(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.lock = threading.Lock()
        self.seen: Counter[str] = Counter()  # POSTs per query text
        self.requests: list[tuple[str, str, str]] = []  # (content-type, accept, query text)
        self.connections: set[int] = set()  # client ports: one per keep-alive connection
        self.fail_every: dict[str, int] = {}  # text → every Nth POST of it answers 500
        self.empty_every: dict[str, int] = {}  # text → every Nth POST of it answers 200 with no body


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive
    server: Endpoint

    def log_message(self, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes, kind: str = "text/plain") -> None:
        self.send_response(status)
        self.send_header("content-type", kind)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # the readiness probe, ASK {}; /health as kg serve answers it
        if self.path == "/health":
            health = {"status": "ok", "killed": 1, "recycled": 0, "stopped_for_memory": 2, "pauses_for_memory": 3,
                      "requeued_for_memory": 2, "waited_for_memory": 4, "large_queries_known": 1,
                      "waiting_for_memory": 0, "memory": {"budget_mb": 64, "workers_private_peak_mb": 70}}
            self._send(200, json.dumps(health).encode(), "application/json")
            return
        self._send(200, b'{"head": {}, "boolean": true}', "application/sparql-results+json")

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["content-length"])).decode()
        text = parse_qs(body)["query"][0]
        with self.server.lock:
            self.server.seen[text] += 1
            count = self.server.seen[text]
            self.server.requests.append((self.headers["content-type"], self.headers["accept"], text))
            self.server.connections.add(self.client_address[1])
        every = self.server.fail_every.get(text)
        if every and count % every == 0:
            self._send(500, b"internal error")
        elif self.server.empty_every.get(text) and count % self.server.empty_every[text] == 0:
            self._send(200, b"")
        else:
            self._send(200, text.encode(), self.headers["accept"])


@pytest.fixture()
def endpoint() -> Iterator[tuple[Endpoint, str]]:
    server = Endpoint()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server, f"http://127.0.0.1:{server.server_address[1]}/sparql"
    finally:
        server.shutdown()
        server.server_close()


def test_each_query_gets_its_requests_from_client_processes_with_p50_and_p95(endpoint: tuple[Endpoint, str]) -> None:
    server, url = endpoint
    texts = {SELECT: "SELECT * { ?s ?p ?o }", CONSTRUCT: "CONSTRUCT { ?s ?p ?o } { ?s ?p ?o }"}
    result = run.http_latencies(url, texts, requests=6, clients=3)
    assert result["http_client"] == "http.client, one process per client" and result["clients"] == 3
    assert result["error_count"] == 0 and result["errors"] == []
    assert result["requests"] == 12 and result["throughput_rps"] > 0
    assert result["client_cpu_ms_per_request"] >= 0
    for name, text in texts.items():
        row = result["queries"][name]
        assert row["requests"] == 6 and 0 < row["p50_ms"] <= row["p95_ms"]
        assert row["bytes"] == len(text.encode())  # the whole body was read
        assert server.seen[text] == 7  # one warm-up, six timed
    assert {kind for kind, _, _ in server.requests} == {"application/x-www-form-urlencoded"}
    accept = {text: a for _, a, text in server.requests}
    assert accept == {texts[SELECT]: "application/sparql-results+json", texts[CONSTRUCT]: "application/n-triples"}
    # keep-alive: the warm-up connection and at most one per client, not one per request
    assert 2 <= len(server.connections) <= 4


def test_failed_requests_are_counted_and_reported_not_timed(endpoint: tuple[Endpoint, str]) -> None:
    server, url = endpoint
    texts = {SELECT: "SELECT ?a { ?a ?b ?c }", "count_by_bureau": "SELECT ?x { ?x ?y ?z }",
             CONSTRUCT: "CONSTRUCT { ?a ?b ?c } { ?a ?b ?c }"}
    server.fail_every[texts[SELECT]] = 2  # POSTs 2, 4, 6, 8 of it (the warm-up is the first)
    result = run.http_latencies(url, texts, requests=8, clients=4)
    assert result["error_count"] == 4
    assert len(result["errors"]) == 4 and all(e.startswith(f"{SELECT}: HTTP 500") for e in result["errors"])
    assert result["queries"][SELECT]["requests"] == 4  # the others answered and were timed
    assert result["queries"]["count_by_bureau"]["requests"] == 8
    assert result["requests"] == 4 + 8 + 8


def test_an_empty_body_is_an_error(endpoint: tuple[Endpoint, str]) -> None:
    server, url = endpoint
    texts = {SELECT: "SELECT ?e { ?e ?f ?g }"}
    server.empty_every[texts[SELECT]] = 3  # POSTs 3 and 6 of it
    result = run.http_latencies(url, texts, requests=6, clients=2)
    assert result["error_count"] == 2 and result["errors"] == [f"{SELECT}: HTTP 200: b''"] * 2
    assert result["queries"][SELECT]["requests"] == 4


def test_a_query_failing_its_warm_up_stops_the_run(endpoint: tuple[Endpoint, str], monkeypatch: pytest.MonkeyPatch) -> None:
    server, url = endpoint
    monkeypatch.setattr(run.time, "sleep", lambda seconds: None)  # the pause between the three attempts
    texts = {SELECT: "SELECT ?h { ?h ?i ?j }"}
    server.fail_every[texts[SELECT]] = 1
    with pytest.raises(run.StageFailed, match="HTTP 500"):
        run.http_latencies(url, texts, requests=2, clients=2)
    assert server.seen[texts[SELECT]] == 3  # three attempts, no timed request


def test_the_point_page_run_sends_only_point_and_page_queries(endpoint: tuple[Endpoint, str],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """serve_and_measure's three runs on one server: the point/page run leaves the analytic queries out."""
    server, url = endpoint

    class Proc:
        pid = 0

    monkeypatch.setattr(run, "start_server", lambda build_dir, timeout: (Proc(), url, 0.1, open("/dev/null", "rb")))
    monkeypatch.setattr(run, "stop_server", lambda proc: None)
    monkeypatch.setattr(run, "child_pids", lambda pid: [])
    params = {"bureau": "https://example.org/bureau/1", "project": "https://example.org/project/1"}
    figures = run.serve_and_measure(run.ROOT, params, requests=2, timeout=30, point_requests=5)
    small = {name for name, (kind, _) in QUERIES.items() if kind in ("point", "page")}
    assert set(figures["point_page"]["queries"]) == small and len(small) == 4
    assert all(row["requests"] == 5 for row in figures["point_page"]["queries"].values())
    assert set(figures["concurrent"]["queries"]) == set(QUERIES) == set(figures["sequential"]["queries"])
    assert figures["concurrent"]["clients"] == figures["point_page"]["clients"] == 4
    assert figures["sequential"]["clients"] == 1 and figures["http_client"] == run.HTTP_CLIENT
    assert set(figures["sequential_point_page"]["queries"]) == small and figures["sequential_point_page"]["clients"] == 1
    assert figures["server_events"] == {"killed": 1, "recycled": 0, "stopped_for_memory": 2, "pauses_for_memory": 3,
                                        "requeued_for_memory": 2, "waited_for_memory": 4, "large_queries_known": 1,
                                        "workers_private_peak_mb": 70}
    table = run.query_table({"http": figures})
    for name, row in table.items():
        assert (row["http_point_page_p50_ms"] is not None) == (name in small)
