"""Issue 8's targets table (bench.run.targets) computed from a scale's figures: which run each
target is judged on, and that the figure shown is the one judged."""

from __future__ import annotations

from typing import Any

from bench import run
from bench.queries import QUERIES


def scale(point_page: bool = True, docs_per_second: float = 120.0) -> dict[str, Any]:
    """A 100-document scale whose figures differ per run: mixed 4 clients slow, point/page alone
    fast, 1 client in between."""
    table = {}
    for i, (name, (kind, _)) in enumerate(QUERIES.items()):
        small = kind in ("point", "page")
        table[name] = {"kind": kind, "oxigraph_p50_ms": 2.0,
                       "http_p50_ms": 30.0 + i, "http_p95_ms": 60.0 + i, "http_sequential_p50_ms": 2.5 + i / 10,
                       "http_point_page_p50_ms": 4.0 + i if small and point_page else None,
                       "http_point_page_p95_ms": 9.0 + i if small and point_page else None,
                       "rdflib_over_oxigraph": 20.0 + i, "rdflib_over_oxigraph_is_lower_bound": False}
        table[name]["http_over_oxigraph"] = table[name]["http_p50_ms"] / 2.0
        table[name]["http_sequential_over_oxigraph"] = table[name]["http_sequential_p50_ms"] / 2.0
    return {"documents": 100, "queries": table,
            "stages": {"extract": {"docs_per_second": docs_per_second}, "build": {"quads": 280_000}}}


def test_point_and_page_latency_is_judged_on_the_run_of_those_queries_alone() -> None:
    s = scale()
    rows = {t["target"]: t for t in run.targets(s, {})}
    small = [row for row in s["queries"].values() if row["kind"] in ("point", "page")]
    p50 = rows["point/page queries p50, 4 clients sending only point/page queries"]
    p95 = rows["point/page queries p95, 4 clients sending only point/page queries"]
    worst_alone = max(r["http_point_page_p50_ms"] for r in small)
    worst_mixed = max(r["http_p50_ms"] for r in small)
    assert p50["figure"] == f"{worst_alone:.1f} ms (worst of 4); mixed workload: {worst_mixed:.1f} ms (not judged)"
    assert p50["met"] is True  # ≤ 10 ms alone, though the mixed figure is 30 ms and more
    assert p95["met"] is True and p95["figure"].startswith(f"{max(r['http_point_page_p95_ms'] for r in small):.1f} ms")
    s["queries"]["construct_one_project"]["http_point_page_p95_ms"] = 25.5
    p95 = {t["target"]: t for t in run.targets(s, {})}["point/page queries p95, 4 clients sending only point/page queries"]
    assert p95["met"] is False and p95["figure"].startswith("25.5 ms")


def test_without_the_point_page_run_the_latency_target_is_not_judged() -> None:
    rows = {t["target"]: t for t in run.targets(scale(point_page=False), {})}
    p50 = rows["point/page queries p50, 4 clients sending only point/page queries"]
    assert p50["met"] is None and p50["figure"].startswith("—; mixed workload:")


def test_endpoint_ratio_compares_one_client_with_in_process_and_shows_the_concurrent_one() -> None:
    s = scale()
    r = run.ratios(s)
    seq = {name: row["http_sequential_p50_ms"] / row["oxigraph_p50_ms"] for name, row in s["queries"].items()}
    con = {name: row["http_p50_ms"] / row["oxigraph_p50_ms"] for name, row in s["queries"].items()}
    assert r["endpoint_p50_over_inprocess"] == max(seq.values()) == r["endpoint_sequential_p50_over_inprocess"]
    assert r["endpoint_p50_over_inprocess_query"] == max(seq, key=seq.get)
    assert r["endpoint_concurrent_p50_over_inprocess"] == max(con.values())
    assert r["rdflib_over_inprocess_min"] == 20.0
    row = next(t for t in run.targets(s, {}) if t["target"].startswith("endpoint p50 / in-process"))
    assert row["figure"].startswith(f"{max(seq.values()):.1f}× (") and "4 clients, mixed workload: " in row["figure"]
    assert row["met"] is (max(seq.values()) <= 1.5)


def test_a_rate_just_under_its_goal_is_not_printed_as_the_goal() -> None:
    row = next(t for t in run.targets(scale(docs_per_second=99.96), {}) if t["target"] == "extraction")
    assert row["met"] is False and row["figure"] == "99.9 docs/s"


def test_the_http_summary_names_the_client_and_the_first_error() -> None:
    runs = {"concurrent": {"clients": 4, "requests": 80, "throughput_rps": 50.0, "error_count": 4,
                           "errors": ["bureau_lines_lookup: HTTP 500: b'boom'"], "client_cpu_ms_per_request": 0.4},
            "sequential": {"clients": 1, "requests": 40, "throughput_rps": 30.0, "error_count": 0, "errors": [],
                           "client_cpu_ms_per_request": None}}
    line = run.http_summary({"http_client": run.HTTP_CLIENT, **runs})
    assert line.startswith("HTTP client: http.client, one process per client. mixed (4 clients): 80 requests, 50 req/s, 4 errors")
    assert "first error**: bureau_lines_lookup: HTTP 500" in line
    assert "sequential (1 client): 40 requests, 30 req/s, 0 errors, client CPU — ms per request." in line
    assert "point/page only" not in line


def test_the_point_page_queries_alone_with_one_client_give_a_second_endpoint_ratio_shown_not_judged() -> None:
    """In the 1-client run of the 7 queries most point queries follow an analytic one (its pages
    evict theirs); the run of the point and page queries alone shows the endpoint's own overhead."""
    s = scale()
    for i, row in enumerate(s["queries"].values()):
        if row["kind"] in ("point", "page"):
            row["http_sequential_point_page_p50_ms"] = 2.2 + i / 100
            row["http_sequential_point_page_over_oxigraph"] = row["http_sequential_point_page_p50_ms"] / 2.0
    r = run.ratios(s)
    alone = {name: row["http_sequential_point_page_over_oxigraph"] for name, row in s["queries"].items()
             if "http_sequential_point_page_over_oxigraph" in row}
    assert len(alone) == 4
    assert r["endpoint_point_page_alone_p50_over_inprocess"] == max(alone.values())
    assert r["endpoint_point_page_alone_query"] == max(alone, key=alone.get)
    row = next(t for t in run.targets(s, {}) if t["target"].startswith("endpoint p50 / in-process"))
    assert f"point/page queries alone, 1 client: {max(alone.values()):.1f}× (" in row["figure"]
    assert row["met"] is (r["endpoint_p50_over_inprocess"] <= 1.5)  # judged on all 7, as before
    assert "endpoint_point_page_alone_p50_over_inprocess" in run.ratios(scale())  # None without the run
    assert run.ratios(scale())["endpoint_point_page_alone_p50_over_inprocess"] is None
