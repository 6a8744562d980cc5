"""What a large run needs from the harness (bench.run): stages left out by ``--skip``, for lack of disk
or by their estimated memory — each recorded as not run with its reason, never silently — estimates
from the smaller scales, and time budgets for query repetitions and HTTP runs. The stages are fakes
(no child processes): these tests are about the plan, not the figures."""

from __future__ import annotations

import argparse
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench import run, stages
from tests.bench.test_http_load import Endpoint


def options(tmp_path: Path, *argv: str) -> argparse.Namespace:
    return run.parse_args(["--quick", "--corpus-cache", str(tmp_path / "corpora"), *argv])


@pytest.fixture()
def fake_stages(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """Every stage answers at once with figures proportional to its documents; the kinds run are
    listed in order. The site writes nothing: its disk use is faked too."""
    ran: list[str] = []
    documents = [0]

    def repeated(kind: str, args: dict[str, Any], reps: int, timeout: float, max_repeat: float | None = None):
        ran.append(kind)
        n = documents[0]
        figures = {"seconds": n / 100, "wall_seconds": n / 50, "cpu_seconds": n / 80, "peak_rss_mb": 10.0 * n,
                   "peak_pss_tree_mb": 12.0 * n, "repeat": reps, "documents": n, "quads": 3000 * n,
                   "triples": 3000 * n, "load_seconds": n / 200, "pages": 200 * n, "out": str(tmp_path / "site"),
                   "parameters": {"bureau": "b", "project": "p"}}
        return figures

    def corpus(cache, work, bureaus, years, seed, timeout):  # noqa: ANN001
        documents[0] = bureaus * years
        return tmp_path / "corpus", {"documents": bureaus * years, "seconds": 0.1, "cached": True}

    def serve(build_dir, params, requests, timeout, point_requests=None, seconds=None):  # noqa: ANN001
        ran.append("http")
        n = documents[0]
        return {"seconds": n / 10, "startup_seconds": n / 20, "startup_cpu_seconds": n / 40, "peak_rss_mb": 20.0 * n,
                "pss_total_mb": 30.0 * n}

    monkeypatch.setattr(run, "repeated", repeated)
    monkeypatch.setattr(run, "cached_corpus", corpus)
    monkeypatch.setattr(run, "serve_and_measure", serve)
    monkeypatch.setattr(run, "disk_usage", lambda path: (5.0 * documents[0], 700 * documents[0], 4.0 * documents[0]))
    monkeypatch.setattr(run, "memory_limit_mb", None)
    return ran


def scale(documents: int, tmp_path: Path, opts: argparse.Namespace, previous: list[dict[str, Any]] | None = None,
          log: list[str] | None = None) -> dict[str, Any]:
    lines = log if log is not None else []
    return run.measure_scale(documents, tmp_path / f"n{documents}", opts, lines.append, previous or [])


def test_skip_values_name_a_stage_and_optionally_the_smallest_scale() -> None:
    assert run.parse_skip(["site@1000,http@5000", "extract_one_process"]) == {
        "site": 1000, "http": 5000, "extract_one_process": 1}
    assert run.parse_skip(["site@5000", "site@1000"]) == {"site": 1000}  # the smaller scale wins
    with pytest.raises(ValueError, match="no stage 'sites'"):
        run.parse_skip(["sites"])
    with pytest.raises(ValueError, match="not a number"):
        run.parse_skip(["site@many"])
    with pytest.raises(SystemExit):
        run.parse_args(["--skip", "nothing"])


def test_a_stage_is_skipped_from_its_scale_on_and_recorded_as_not_run(fake_stages: list[str], tmp_path: Path) -> None:
    opts = options(tmp_path, "--skip", "site@20")
    small = scale(10, tmp_path, opts)
    assert "site" in small["stages"] and small["not_run"] == {}
    fake_stages.clear()
    log: list[str] = []
    large = scale(20, tmp_path, opts, [small], log)
    assert "site" not in large["stages"] and "site" not in fake_stages
    # the estimates came first, the skipped site marked and left out of the expected wall
    site_line = next(line for line in log if line.strip().startswith("site ") and "wall ≈" in line)
    assert "skipped by --skip" in site_line and log.index(site_line) < log.index("  synth …")
    assert any("expected wall for this scale ≈" in line for line in log)
    assert large["estimates"]["build"]["wall_seconds"] == pytest.approx(0.4)  # 10 docs: 0.2 s, proportional
    assert large["not_run"] == {"site": "not run: skipped by --skip site@20"}
    assert {"extract", "build", "validate", "queries", "http"} <= set(large["stages"])
    assert not large["errors"]
    table = run.markdown({**results_of([small, large]), "scales": [small, large]})
    assert "| site | not run: skipped by --skip site@20 |" in table
    assert "- **site**: not run: skipped by --skip site@20" in table


def test_the_stages_after_a_skipped_one_say_what_they_needed(fake_stages: list[str], tmp_path: Path) -> None:
    figures = scale(10, tmp_path, options(tmp_path, "--skip", "build"))
    assert set(figures["stages"]) == {"synth", "extract"}
    assert figures["not_run"]["build"] == "not run: skipped by --skip build"
    for name in ("validate", "site", "queries"):
        assert figures["not_run"][name] == "not run: needs build, which was not run", name
    assert figures["not_run"]["http"] == "not run: needs queries, which was not run"
    assert figures["not_run"]["store_load"] == "not run: needs build, which was not run"
    skipped = scale(10, tmp_path, options(tmp_path, "--skip", "queries"))
    assert skipped["not_run"] == {"queries": "not run: skipped by --skip queries",
                                  "http": "not run: needs queries, which was not run"}


def test_a_site_that_does_not_fit_on_disk_is_not_run(fake_stages: list[str], tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    small = scale(10, tmp_path, options(tmp_path))
    assert small["stages"]["site"]["disk_mb"] == 50.0
    # 1,000 documents need 5,000 MiB by the 10-document site; 6 GiB free minus the 2 GiB kept free is less
    monkeypatch.setattr(run, "free_disk", lambda path: (6 * 1024.0, 10**9))
    large = scale(1000, tmp_path, options(tmp_path), [small])
    assert "site" not in large["stages"]
    why = large["not_run"]["site"]
    assert why.startswith("not run: needs ≈ 4.9 GiB and 700,000 files (from 10 documents in this run)")
    monkeypatch.setattr(run, "free_disk", lambda path: (10**6, 10**5))  # space, but too few inodes
    assert "site" in scale(1000, tmp_path, options(tmp_path), [small])["not_run"]
    monkeypatch.setattr(run, "free_disk", lambda path: (2048 + 5000 * 2 + 1.0, 10**9))  # two of three runs fit
    limited = scale(1000, tmp_path, options(tmp_path, "--repeat", "3"), [small])
    assert limited["stages"]["site"]["repeat"] == 2 and limited["stages"]["site"]["repeat_limited_by_disk"]


def test_without_a_smaller_scale_the_site_is_judged_by_the_recorded_size_per_document(tmp_path: Path) -> None:
    mb, files, basis = run.site_disk_need([], 5000)
    assert mb == run.SITE_MB_PER_DOCUMENT * 5000 and files == run.SITE_FILES_PER_DOCUMENT * 5000
    assert "RESULTS.md" in basis


def test_estimates_are_a_line_through_two_scales_and_proportional_to_one() -> None:
    def at(n: int, wall: float, cpu: float, mem: float) -> dict[str, Any]:
        return {"documents": n, "stages": {"build": {"seconds": wall, "wall_seconds": wall, "cpu_seconds": cpu,
                                                     "peak_rss_mb": mem},
                                           "http": {"seconds": 50.0 + wall, "startup_seconds": wall,
                                                    "startup_cpu_seconds": cpu, "pss_total_mb": mem}}}

    one = run.estimates([at(100, 12.0, 6.0, 300.0)], 1000)
    assert one["build"]["basis"] == "proportional" and one["build"]["wall_seconds"] == pytest.approx(120.0)
    assert one["build"]["memory_mb"] == pytest.approx(3000.0) and one["build"]["from_documents"] == [100]
    two = run.estimates([at(100, 12.0, 6.0, 300.0), at(1000, 102.0, 51.0, 2100.0)], 5000)
    assert two["build"]["basis"] == "least squares"
    assert two["build"]["wall_seconds"] == pytest.approx(502.0)  # 2 + 0.1 s per document
    assert two["build"]["cpu_seconds"] == pytest.approx(251.0)
    assert two["build"]["memory_mb"] == pytest.approx(10100.0)
    assert two["http"]["wall_seconds"] == pytest.approx(502.0)  # the server's start-up
    assert two["http"]["requests_seconds"] == pytest.approx(50.0)
    assert run.estimates([], 1000) == {}


def test_a_stage_estimated_over_the_memory_limit_is_left_out_only_when_asked(
        fake_stages: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    small = scale(10, tmp_path, options(tmp_path))
    # at 100 documents: the server ≈ 3,000 MiB, every other stage ≈ 1,200 MiB
    monkeypatch.setattr(run, "memory_limit_mb", 2000.0)
    log: list[str] = []
    fake_stages.clear()
    asked = scale(100, tmp_path, options(tmp_path, "--skip-if-over-limit"), [small], log)
    assert "http" not in asked["stages"] and "http" not in fake_stages
    assert list(asked["not_run"]) == ["http"]
    assert asked["not_run"]["http"].startswith("not run: estimated 3,000 MiB (proportional from [10] documents)")
    assert any("over --memory-limit-gb" in line for line in log)  # the estimate warned first
    assert asked["estimates"]["http"]["memory_mb"] == pytest.approx(3000.0)
    unasked = scale(100, tmp_path, options(tmp_path), [small])
    assert "http" in unasked["stages"] and unasked["not_run"] == {}


def results_of(scales: list[dict[str, Any]]) -> dict[str, Any]:
    out = {"started": "now", "versions": {"python": "3", "pyoxigraph": "x", "rdflib": "y", "pyshacl": "z"},
           "machine": {"cpus": 2}, "scales": scales, "ratios": run.ratios(scales[-1]), "slopes": run.slopes(scales)}
    for s in scales:
        s["targets"] = run.targets(s, out["slopes"])
    return out


def test_results_show_every_stage_s_slope_with_its_scales(fake_stages: list[str], tmp_path: Path) -> None:
    opts = options(tmp_path, "--skip", "site@20")
    small = scale(10, tmp_path, opts)
    large = scale(20, tmp_path, opts, [small])
    slopes = run.slopes([small, large])
    assert slopes["build"]["cpu_seconds_per_1000_documents"] == pytest.approx(1000 / 80)
    assert slopes["build"]["cpu_per_document_cost_largest_over_smallest"] == pytest.approx(1.0)
    assert slopes["http_startup"]["cpu_seconds_per_1000_documents"] == pytest.approx(1000 / 40)
    assert slopes["site"]["seconds_per_1000_documents"] is None and "one scale" in slopes["site"]["note"]
    assert slopes["store_load"]["cpu_per_document_cost_largest_over_smallest"] == pytest.approx(1.0)  # its own run
    table = run.markdown(results_of([small, large]))
    assert "| build | 10, 20 | 10.00 | 1.00 | 12.50 |" in table
    assert "| site | 10 | — |" in table


def test_query_repetitions_stop_at_their_time_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [0.0]
    monkeypatch.setattr(stages.time, "perf_counter", lambda: clock[0])
    cost = {"slow": 4.0, "fast": 0.001}

    def run_query(text: str) -> int:
        clock[0] += cost[text]
        return 1

    timed = stages._time_queries(run_query, {"slow": "slow", "fast": "fast"}, repeat=5, budget_seconds=10)
    assert len(timed["slow"]["ms"]) == 2 and timed["slow"]["stopped_by_budget"]  # warm-up 4 s, runs at 4 and 8 s
    assert len(timed["fast"]["ms"]) == 5 and not timed["fast"]["stopped_by_budget"]
    once = stages._time_queries(run_query, {"slow": "slow"}, repeat=5, budget_seconds=1)
    assert len(once["slow"]["ms"]) == 1  # at least one timed run
    assert len(stages._time_queries(run_query, {"slow": "slow"}, repeat=3)["slow"]["ms"]) == 3


@pytest.fixture()
def endpoint() -> Iterator[str]:
    server = Endpoint()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    finally:
        server.shutdown()
        server.server_close()


def test_an_http_run_sends_no_request_after_its_time_budget(endpoint: str) -> None:
    texts = {"bureau_lines_lookup": "SELECT * { ?s ?p ?o }"}
    stopped = run.http_latencies(endpoint, texts, requests=8, clients=2, seconds=1e-9)
    assert stopped["requests"] == 0 and stopped["requests_planned"] == 8 and stopped["stopped_by_time"]
    assert "stopped at the 0 s budget, 8 planned" in run.http_summary({"concurrent": stopped})
    whole = run.http_latencies(endpoint, texts, requests=8, clients=2, seconds=600)
    assert whole["requests"] == 8 and not whole["stopped_by_time"]


def test_the_cpu_of_a_live_process_is_read_from_proc() -> None:
    import os

    sum(i * i for i in range(200_000))  # some CPU of this process
    assert run.cpu_seconds_of([os.getpid()]) > 0
    assert run.cpu_seconds_of([2**22 + 7]) == 0  # no such process


def test_the_server_is_started_with_the_query_timeout_and_memory_budget_asked_for(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """kg serve's own 10 s would kill analytic queries at 5,000 documents, and its own memory budget
    knows nothing of the harness's --memory-limit-gb: the harness passes both."""
    started: list[list[str]] = []

    class Exited:
        pid, returncode = 2**22 + 11, 3

        def __init__(self, cmd: list[str], **kwargs: Any) -> None:
            started.append(cmd)

        def poll(self) -> int:
            return self.returncode

    monkeypatch.setattr(run.subprocess, "Popen", Exited)
    monkeypatch.setattr(run, "memory_limit_mb", None)
    monkeypatch.setattr(run, "server_query_timeout", 120.0)
    with pytest.raises(run.StageFailed, match="exited 3"):
        run.start_server(tmp_path, timeout=5, attempts=1)
    assert started[0][started[0].index("--timeout") + 1] == "120"
    monkeypatch.setattr(run, "server_query_timeout", None)
    with pytest.raises(run.StageFailed):
        run.start_server(tmp_path, timeout=5, attempts=1)
    assert "--timeout" not in started[1]
    assert run.parse_args([]).server_query_timeout == 120
    assert "--memory-budget-mb" not in started[1]  # no harness limit: kg serve's own default
    monkeypatch.setattr(run, "memory_limit_mb", 13_916.0)
    with pytest.raises(run.StageFailed):
        run.start_server(tmp_path, timeout=5, attempts=1)
    assert started[2][started[2].index("--memory-budget-mb") + 1] == "6958"  # half the harness's limit


def test_a_raised_sample_limit_is_said_in_the_results(fake_stages: list[str], tmp_path: Path) -> None:
    figures = scale(10, tmp_path, options(tmp_path))
    data = {"sample": True, "quads": 1_240_000, "document_graphs": 100, "document_graphs_total": 5000,
            "max_quads": 600_000, "shared_quads": 940_000, "limit_quads": 1_240_000, "budget_seconds": 0.5, "repeat": 1}
    figures["stages"]["queries"]["rdflib_data"] = data
    table = run.markdown(results_of([figures]))
    assert "a sample of 100 of 5000 documents (above --rdflib-max-quads 600,000; limit raised to 1,240,000: " \
           "the shared graphs hold 940,000)" in table
    data["limit_quads"] = 600_000
    assert "limit raised" not in run.markdown(results_of([figures]))


def test_disk_usage_counts_the_blocks_files_occupy_not_only_their_contents(tmp_path: Path) -> None:
    """The site's disk check is judged by what its pages occupy: many small files take whole blocks,
    so their contents understated the 5,000-document site by 5 GB (regression)."""
    site = tmp_path / "site" / "a"
    site.mkdir(parents=True)
    for i in range(3):
        (site / f"p{i}.html").write_bytes(b"x" * 100)
    (site.parent / "big.bin").write_bytes(os.urandom(3 * 4096))
    occupied, files, contents = run.disk_usage(tmp_path / "site")
    assert files == 4
    assert contents * 2**20 == 3 * 100 + 3 * 4096
    blocks = sum(f.stat().st_blocks for f in (tmp_path / "site").rglob("*") if f.is_file()) * 512
    assert occupied * 2**20 == blocks >= 3 * 4096  # the big file's blocks, at least
    assert run.disk_usage(tmp_path / "missing") == (0.0, 0, 0.0)
