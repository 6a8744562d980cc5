"""The rdflib time budget (bench/budget.py) and the figures built on it (bench/run.py): a query stopped
at its budget is a lower bound, never an exact ratio, and the smallest ratio is always an exact one.
Fake timings throughout, except for the alarm itself, which must stop pure-Python loops."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from bench import budget, run, stages
from bench.budget import resolve_minimum, run_with_budget, smallest, timed_runs
from bench.queries import QUERIES


def spin_forever() -> int:
    while True:
        pass


def test_the_alarm_stops_a_pure_python_loop_and_reports_a_lower_bound() -> None:
    result, elapsed, exceeded = run_with_budget(spin_forever, 0.05)
    assert exceeded and result is None
    assert elapsed >= 0.05  # the bound is what was actually spent, never less than the budget


def test_the_alarm_fires_again_when_a_bare_except_swallows_it() -> None:
    swallowed = []

    def stubborn() -> int:  # like rdflib's `except:` clauses, once
        try:
            spin_forever()
        except BaseException as exc:  # noqa: BLE001
            swallowed.append(type(exc))
        spin_forever()
        return 0

    _, _, exceeded = run_with_budget(stubborn, 0.05)
    assert exceeded and swallowed == [budget.QueryBudgetExceeded]


def test_a_query_within_its_budget_is_exact_and_leaves_no_alarm_behind() -> None:
    import signal

    before = signal.getsignal(signal.SIGALRM)
    entry = timed_runs(lambda: 7, 3, 5.0)
    assert entry["rows"] == 7 and len(entry["ms"]) == 3 and not entry["exceeded_budget"]
    assert entry["p50_ms"] is not None and entry["lower_bound_ms"] is None
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is before
    assert run_with_budget(lambda: "x", None) == ("x", pytest.approx(0, abs=1), False)


def test_a_series_ends_at_the_first_run_over_budget() -> None:
    entry = timed_runs(spin_forever, 3, 0.02)
    assert entry["exceeded_budget"] and entry["rows"] is None and entry["p50_ms"] is None
    assert entry["ms"] == [] and entry["lower_bound_ms"] >= 20 and entry["budget_ms"] == 20


# --- resolve_minimum on fake timings -------------------------------------------------------------------


class Fake:
    """``measure`` for resolve_minimum: each query "takes" its fixed milliseconds."""

    def __init__(self, ms: dict[str, float]) -> None:
        self.ms = ms
        self.calls: list[tuple[str, float | None]] = []

    def __call__(self, name: str, seconds: float | None) -> dict[str, Any]:
        self.calls.append((name, seconds))
        took = self.ms[name]
        if seconds is not None and took > seconds * 1000:
            return {"rows": None, "ms": [], "p50_ms": None, "exceeded_budget": True,
                    "budget_ms": seconds * 1000, "lower_bound_ms": seconds * 1000}
        return {"rows": 1, "ms": [took], "p50_ms": took, "exceeded_budget": False,
                "budget_ms": None if seconds is None else seconds * 1000, "lower_bound_ms": None}


def test_lower_bounds_above_the_smallest_exact_ratio_are_not_run_again() -> None:
    ox_ms = {"a": 10.0, "b": 1.0, "c": 2.0}
    fake = Fake({"a": 120.0, "b": 5_000.0, "c": 3_000.0})  # ratios 12, ≥ 1000, ≥ 500
    entries = resolve_minimum(fake, ox_ms, ox_ms, 1.0)
    assert len(fake.calls) == 3
    assert smallest(entries, ox_ms) == ("a", 12.0, False)
    assert entries["b"]["exceeded_budget"] and entries["b"]["reruns"] == 0


def test_a_lower_bound_below_the_smallest_exact_ratio_is_run_again_until_exact() -> None:
    ox_ms = {"a": 10.0, "slow": 500.0}
    fake = Fake({"a": 120.0, "slow": 2_500.0})  # ratios 12 and 5, but "slow" exceeds 1 s: ≥ 2 < 12
    entries = resolve_minimum(fake, ox_ms, ox_ms, 1.0)
    assert fake.calls == [("a", 1.0), ("slow", 1.0), ("slow", 2.0), ("slow", 4.0)]  # doubled: 2.5 s fits 4
    assert smallest(entries, ox_ms) == ("slow", 5.0, False)  # the minimum is exact, and it is "slow"
    assert entries["slow"]["reruns"] == 2


def test_a_rerun_over_its_raised_budget_proves_the_query_is_not_the_minimum() -> None:
    ox_ms = {"a": 10.0, "slow": 100.0}
    fake = Fake({"a": 120.0, "slow": 60_000.0})  # ≥ 10 at 1 s, < 12: run again under 1.32 s, not 2
    entries = resolve_minimum(fake, ox_ms, ox_ms, 1.0)
    assert fake.calls == [("a", 1.0), ("slow", 1.0), ("slow", pytest.approx(budget.MARGIN * 12 * 100 / 1000))]
    name, value, lower = smallest(entries, ox_ms)
    assert (name, value, lower) == ("a", 12.0, False)
    assert entries["slow"]["exceeded_budget"] and entries["slow"]["lower_bound_ms"] / 100 > 12


def test_when_every_query_is_over_budget_the_smallest_bound_runs_without_one() -> None:
    ox_ms = {"a": 100.0, "b": 1.0}
    fake = Fake({"a": 3_000.0, "b": 4_000.0})  # both over 1 s: bounds ≥ 10 and ≥ 1000
    entries = resolve_minimum(fake, ox_ms, ox_ms, 1.0)
    assert fake.calls[2:] == [("a", 2.0), ("a", 4.0)]  # no exact ratio to cap it: doubled until it ends
    assert smallest(entries, ox_ms) == ("a", 30.0, False)


def test_a_cheap_query_finishing_first_lowers_the_ceiling_of_the_others() -> None:
    ox_ms = {"fast": 0.5, "mid": 60.0, "heavy": 100.0}
    # "fast" is exact at 100×; "mid" (really 25×: ≥ 16.7 at 1 s) and "heavy" (really 120×: ≥ 10) are not
    fake = Fake({"fast": 50.0, "mid": 1_500.0, "heavy": 12_000.0})
    entries = resolve_minimum(fake, ox_ms, ox_ms, 1.0)
    # heavy (≥ 10) goes first with 2 s, not 1.1 × 100 × 100 ms = 11 s: ≥ 20 then; mid (≥ 16.7) finishes
    # in 2 s: 25×, the minimum, and heavy's bound of 20 stays below it: one more run, capped at 2.75 s
    assert fake.calls[3:] == [("heavy", 2.0), ("mid", 2.0), ("heavy", pytest.approx(budget.MARGIN * 25 * 0.1))]
    assert smallest(entries, ox_ms) == ("mid", 25.0, False)
    assert entries["heavy"]["exceeded_budget"] and entries["heavy"]["lower_bound_ms"] / 100 > 25


def test_no_budget_measures_everything_once() -> None:
    ox_ms = {"a": 1.0, "b": 2.0}
    fake = Fake({"a": 50.0, "b": 30_000.0})
    entries = resolve_minimum(fake, ox_ms, ox_ms, None)
    assert fake.calls == [("a", None), ("b", None)] and not any(e["exceeded_budget"] for e in entries.values())


# --- the tables ------------------------------------------------------------------------------------------


def fake_scale() -> dict[str, Any]:
    names = list(QUERIES)
    oxigraph = {n: {"rows": 3, "p50_ms": 2.0} for n in names}
    fake = Fake({n: (2_000.0 if n == "broader_rollup" else 40.0 + i) for i, n in enumerate(names)})
    rdflib = resolve_minimum(fake, names, {n: 2.0 for n in names}, 1.0)
    queries = {"oxigraph": oxigraph, "rdflib": rdflib,
               "rdflib_data": {"sample": False, "quads": 100, "budget_seconds": 1.0, "repeat": 1,
                               "baseline_p50_ms": {n: 2.0 for n in names}}}
    scale = {"documents": 4, "stages": {"queries": queries}}
    scale["queries"] = run.query_table(scale["stages"])
    return scale


def test_the_table_marks_a_budgeted_query_as_a_lower_bound_and_the_minimum_as_exact() -> None:
    scale = fake_scale()
    row = scale["queries"]["broader_rollup"]
    assert row["rdflib_p50_ms"] is None and row["rdflib_lower_bound_ms"] == 1000
    assert row["rdflib_over_oxigraph"] == 500 and row["rdflib_over_oxigraph_is_lower_bound"] is True
    first = next(iter(QUERIES))
    assert scale["queries"][first]["rdflib_over_oxigraph_is_lower_bound"] is False
    r = run.ratios(scale)
    assert r["rdflib_over_inprocess_min"] == 20.0 and r["rdflib_over_inprocess_min_query"] == first
    assert r["rdflib_over_inprocess_min_is_lower_bound"] is False
    assert r["rdflib_lower_bound_queries"] == ["broader_rollup"]


def test_the_markdown_shows_bounds_and_targets_with_verdicts() -> None:
    scale = fake_scale()
    scale["targets"] = run.targets(scale, {})
    results = {"started": "t", "versions": {"python": "3", "pyoxigraph": "x", "rdflib": "y", "pyshacl": "z"},
               "machine": {"cpus": 2}, "scales": [scale], "ratios": run.ratios(scale), "slopes": {}}
    text = run.markdown(results)
    assert "| 2.00 | > 1000 (budget) | ≥ 500 |" in text and "| broader_rollup | analytic | 3 | 2.00 |" in text
    verdicts = {t["target"]: t["met"] for t in scale["targets"]}
    assert verdicts["rdflib / in-process, every query"] is True  # 20× ≥ 10×
    assert verdicts["site"] is None and verdicts["linear cost"] is None  # no figure: no verdict
    assert "| rdflib / in-process, every query | ≥ 10× | 20.0× (aggregate_by_function_code) | met |" in text


def test_targets_judge_the_figures() -> None:
    scale = {"documents": 100, "queries": {}, "stages": {
        "extract": {"docs_per_second": 120.0, "peak_rss_mb": 50},
        "build": {"quads_per_second": 150_000.0, "quads": 500_000, "peak_rss_mb": 1_500},
        "validate": {"seconds": 6.0, "triples": 500_000, "peak_rss_mb": 400},
        "queries": {"peak_rss_mb": 9_000}}}
    slope = {"extract": {"cpu_per_document_cost_largest_over_smallest": 1.1},
             "site": {"cpu_per_document_cost_largest_over_smallest": 1.4}}
    verdicts = {t["target"].split(" (")[0]: (t["met"], t["figure"]) for t in run.targets(scale, slope)}
    assert verdicts["extraction"][0] is True and verdicts["build"][0] is False
    assert verdicts["validation"] == (True, "6.00 s at 500,000 triples → 12.0 s per 1M (linear)")
    assert verdicts["peak RSS"][0] is None  # 1,500 MiB at 500k → ≤ 3,000 per 1M: unproven; rdflib's 9 GB not counted
    scale["stages"]["build"]["peak_rss_mb"] = 900  # → ≤ 1,800 MiB per 1M
    assert {t["target"].split(" (")[0]: t["met"] for t in run.targets(scale, slope)}["peak RSS"] is True
    scale["stages"]["build"]["peak_rss_mb"] = 1_500
    assert verdicts["linear cost"] == (False, "worst 1.40 over 2 stages")
    scale["stages"]["build"]["quads"] = 3_000_000  # above 1M: 1.5 GB proves the target, 3 GB would not
    assert {t["target"].split(" (")[0]: t["met"] for t in run.targets(scale, slope)}["peak RSS"] is True
    scale["stages"]["build"]["peak_rss_mb"] = 3_000
    assert {t["target"].split(" (")[0]: t["met"] for t in run.targets(scale, slope)}["peak RSS"] is None


# --- the harness -------------------------------------------------------------------------------------------


def test_a_stage_whose_first_run_is_long_is_not_repeated(monkeypatch: pytest.MonkeyPatch) -> None:
    seconds = iter([400.0, 1.0, 1.0])
    monkeypatch.setattr(run, "run_child", lambda *a: {"seconds": (s := next(seconds)), "wall_seconds": s,
                                                        "peak_rss_mb": 1.0, "cpu_seconds": s})
    long = run.repeated("x", {}, 3, 10, max_repeat_seconds=300)
    assert long["repeat"] == 1 and long["repeat_requested"] == 3 and long["runs_seconds"] == [400.0]
    seconds = iter([2.0, 4.0, 3.0])
    short = run.repeated("x", {}, 3, 10, max_repeat_seconds=300)
    assert short["repeat"] == 3 and short["seconds"] == 3.0


def test_the_corpus_is_written_once_per_size_and_seed_then_reused(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first, figures = run.cached_corpus(cache, tmp_path / "w1", 1, 2, 0, 300)
    again, cached = run.cached_corpus(cache, tmp_path / "w2", 1, 2, 0, 300)
    other, _ = run.cached_corpus(cache, tmp_path / "w3", 1, 2, 1, 300)
    assert first == again != other and not figures["cached"] and cached["cached"]
    assert cached["documents"] == figures["documents"] == 2 and len(list((first / "documents").iterdir())) == 2
    assert json.loads((first / "bench-synth.json").read_text())["documents"] == 2
    assert sorted(p.name for p in cache.iterdir() if p.name.startswith(".")) == []  # no partial left
    assert not (tmp_path / "w1").exists()
    uncached, _ = run.cached_corpus(None, tmp_path / "w4", 1, 2, 0, 300)
    assert uncached == tmp_path / "w4" / "corpus" and (uncached / "documents").is_dir()


def test_a_sample_takes_every_shared_graph_and_whole_documents_first_by_iri() -> None:
    store = ox.Store()
    base = "https://budget-kg.org/"

    def add(graph: str, count: int) -> None:
        for i in range(count):
            store.add(ox.Quad(ox.NamedNode(f"{base}s/{graph}/{i}"), ox.NamedNode(f"{base}p"), ox.Literal(str(i)),
                              ox.NamedNode(base + graph)))

    add("graph/codes", 2)
    add("document/b", 3)
    add("document/a", 3)
    add("document/c", 1)
    sample, info = stages.sample_store(store, 6)
    graphs = {g.value for g in sample.named_graphs()}
    assert graphs == {base + "graph/codes", base + "document/a"}  # b would pass 6; c comes after b
    assert info == {"sample": True, "quads": 5, "document_graphs": 1, "document_graphs_total": 3, "max_quads": 6,
                    "shared_quads": 2, "limit_quads": 6}
    # shared graphs over half the budget (they grow with the corpus): the documents still get half of it
    add("graph/analysis", 4)
    sample, info = stages.sample_store(store, 6)
    assert {g.value for g in sample.named_graphs()} == {base + "graph/codes", base + "graph/analysis",
                                                        base + "document/a"}  # 6 + 3 ≤ 9; b would pass 9
    assert info["shared_quads"] == 6 and info["limit_quads"] == 9 and info["quads"] == 9


def test_rdflib_gets_the_same_quads_as_pyoxigraph() -> None:
    import rdflib

    store = ox.Store()
    g = ox.NamedNode("https://budget-kg.org/document/a")
    s, p = ox.NamedNode("https://x/s"), ox.NamedNode("https://x/p")
    for o in (ox.Literal("plain"), ox.Literal("中文", language="zh"), ox.Literal("1.50", datatype=ox.NamedNode(
            "http://www.w3.org/2001/XMLSchema#decimal")), ox.BlankNode("b0"), ox.NamedNode("https://x/o")):
        store.add(ox.Quad(s, p, o, g))
    dataset = stages.to_rdflib(store)
    parsed = rdflib.Dataset(default_union=True)
    parsed.parse(data=store.dump(format=ox.RdfFormat.N_QUADS), format="nquads")

    def quads(ds: Any) -> set[tuple[str, ...]]:
        return {(s.n3(), p.n3(), o.n3() if not isinstance(o, rdflib.BNode) else "_", str(c))
                for s, p, o, c in ds.quads((None, None, None, None))}

    assert quads(dataset) == quads(parsed) and len(quads(dataset)) == 5


def test_a_stage_over_the_memory_limit_or_its_time_is_killed_with_the_reason(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # 1,000 documents take seconds: the guard, polling every 0.1 s, stops them long before
    long = {"out": str(tmp_path / "long"), "bureaus": 500, "years": 2, "seed": 0}
    monkeypatch.setattr(run, "memory_limit_mb", 1.0)  # any Python process holds more than 1 MiB
    with pytest.raises(run.StageFailed, match="over --memory-limit-gb"):
        run.run_child("synth", long, 600)
    monkeypatch.setattr(run, "memory_limit_mb", None)
    with pytest.raises(run.StageFailed, match="timed out after 0 s"):
        run.run_child("synth", long, 0.01)
    short = {"out": str(tmp_path / "short"), "bureaus": 2, "years": 1, "seed": 0}
    assert run.run_child("synth", short, 600)["documents"] == 2


def test_a_server_over_the_memory_limit_is_killed_with_the_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess
    import sys
    import time

    monkeypatch.setattr(run, "memory_limit_mb", 1.0)
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        run._guards[proc.pid] = run.memory_guard(proc)
        assert proc.wait(timeout=30) == -9  # well before the minute: killed by the guard
        for _ in range(50):  # the reason is appended just before the kill
            if run.over_memory(proc):
                break
            time.sleep(0.1)
        assert "over --memory-limit-gb" in run.over_memory(proc)
    finally:
        run.stop_server(proc)
        run._guards.pop(proc.pid, None)


def test_a_stage_with_workers_is_judged_by_its_processes_together() -> None:
    """A forked site build's largest process can be small while the workers together are not."""
    scale = {"documents": 350, "queries": {}, "stages": {
        "build": {"quads_per_second": 150_000.0, "quads": 1_020_000, "peak_rss_mb": 400},
        "site": {"pages_per_second": 900.0, "peak_rss_mb": 800, "peak_pss_tree_mb": 2_400}}}
    verdicts = {t["target"].split(" (")[0]: (t["met"], t["figure"]) for t in run.targets(scale, {})}
    assert verdicts["peak RSS"] == (None, "2,400 MiB at 1,020,000 quads (≥ 1M: judged only if within 2 GB)")
    scale["stages"]["site"]["peak_pss_tree_mb"] = 1_900
    assert {t["target"].split(" (")[0]: t["met"] for t in run.targets(scale, {})}["peak RSS"] is True
    assert run.stage_memory_mb({"peak_rss_mb": 300, "pss_total_mb": 470}) == 470  # the server's tree


def test_run_child_records_the_peak_of_the_stage_and_its_workers(tmp_path: Path) -> None:
    figures = run.run_child("synth", {"bureaus": 1, "years": 1, "seed": 0, "out": str(tmp_path / "synth")}, timeout=120)
    assert figures["peak_pss_tree_mb"] > 0 and figures["peak_rss_mb"] > 0


def test_memory_readings_are_paced_by_their_cost() -> None:
    """Reading smaps_rollup walks every mapped page: at 5,000 documents one reading of the server's
    tree cost ≈ 0.7 s of CPU, and the guard's fixed 0.5 s pace kept a core busy (regression)."""
    assert run.sample_wait(0.001, floor=0.1) == 0.1  # cheap readings: the floor
    assert run.sample_wait(0.02, floor=0.1) == pytest.approx(0.02 / run.SAMPLER_CPU_SHARE)
    assert run.sample_wait(0.7, floor=0.5) == run.SAMPLER_MAX_WAIT  # capped: the limit still reacts


def test_run_child_says_how_often_it_read_the_memory_and_at_what_cost(tmp_path: Path) -> None:
    figures = run.run_child("synth", {"bureaus": 2, "years": 1, "seed": 0, "out": str(tmp_path / "synth")}, timeout=120)
    assert figures["pss_readings"] >= 1
    assert 0 <= figures["pss_sampler_cpu_seconds"] <= figures["wall_seconds"]
