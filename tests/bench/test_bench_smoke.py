"""The benchmark harness at a tiny scale, so it cannot rot: every stage runs once and
``results.json`` has the figures the issue asks for. No timing assertions (speed lives in bench/)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import run
from bench.queries import QUERIES

pytestmark = pytest.mark.slow

#: between the two scales' sizes (≈ 3,100 quads per document): 4 documents in full, 5 as a sample
RDFLIB_MAX_QUADS = 14_000


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("bench-out")
    work = tmp_path_factory.mktemp("bench-work")
    status = run.main(["--scales", "4,5", "--quick", "--repeat", "1", "--query-repeat", "1", "--rdflib-repeat", "1",
                       "--requests", "2", "--out", str(out), "--work", str(work), "--timeout", "600",
                       "--corpus-cache", str(work / "corpora"), "--rdflib-max-quads", str(RDFLIB_MAX_QUADS)])
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    data["_status"] = status
    data["_markdown"] = (out / "results.md").read_text(encoding="utf-8")
    return data


def test_every_stage_ran_at_every_scale(results: dict) -> None:
    assert results["_status"] == 0, [s["errors"] for s in results["scales"]]
    assert [s["documents"] for s in results["scales"]] == [4, 5]
    for scale in results["scales"]:
        stages = scale["stages"]
        assert not scale["errors"], scale["errors"]
        assert {"synth", "extract", "build", "store_load", "validate", "site", "queries", "http"} <= set(stages)
        assert stages["synth"]["documents"] == scale["documents"]
        assert stages["extract"]["documents"] == scale["documents"] and stages["extract"]["failed"] == 0
        for key in ("docs_per_second",):
            assert stages["extract"][key] > 0
        assert stages["build"]["quads"] > 0 and stages["build"]["quads_per_second"] > 0
        assert stages["site"]["pages"] > 0 and stages["site"]["pages_per_second"] > 0
        assert stages["validate"]["triples"] > 0
        for name in ("synth", "extract", "build", "store_load", "validate", "site", "queries", "http"):
            assert stages[name]["peak_rss_mb"] > 0, name


def test_each_query_has_in_process_rdflib_and_http_figures_with_the_same_answer_size(results: dict) -> None:
    for scale in results["scales"]:
        assert not scale["errors"], scale["errors"]
        table = scale["queries"]
        assert set(table) == set(QUERIES) and len(QUERIES) == 7
        data = scale["stages"]["queries"]["rdflib_data"]
        same_data = data["oxigraph"] if data["sample"] else scale["stages"]["queries"]["oxigraph"]
        for name, row in table.items():
            for key in ("oxigraph_p50_ms", "http_p50_ms", "http_p95_ms", "http_sequential_p50_ms"):
                assert row[key] is not None and row[key] >= 0, (name, key)
            assert row["rdflib_over_oxigraph"] > 0, name
            if row["rdflib_over_oxigraph_is_lower_bound"]:  # stopped at the budget: no answer, a bound
                assert row["rdflib_p50_ms"] is None and row["rdflib_lower_bound_ms"] >= 500, name
            else:
                assert row["rdflib_p50_ms"] >= 0 and row["rdflib_lower_bound_ms"] is None, name
                assert same_data[name]["rows"] == row["rdflib_rows"], name  # the engines answer alike
        full = scale["stages"]["queries"]["quads"]
        assert data["sample"] == (full > RDFLIB_MAX_QUADS)
        if data["sample"]:  # rdflib and pyoxigraph again on the same whole documents
            assert data["quads"] <= RDFLIB_MAX_QUADS and 0 < data["document_graphs"] < scale["documents"]
            assert set(data["oxigraph"]) == set(QUERIES) and data["baseline_p50_ms"] == {
                n: t["p50_ms"] for n, t in data["oxigraph"].items()}
        else:
            assert data["quads"] == full
        http = scale["stages"]["http"]
        assert http["http_client"] == run.HTTP_CLIENT
        assert http["concurrent"]["clients"] == http["point_page"]["clients"] == 4
        assert http["concurrent"]["error_count"] == http["point_page"]["error_count"] == 0
        small = {name for name, (kind, _) in QUERIES.items() if kind in ("point", "page")}
        assert set(http["point_page"]["queries"]) == small
        for name, row in table.items():
            for key in ("http_point_page_p50_ms", "http_point_page_p95_ms"):
                assert (row[key] is not None) == (name in small), (name, key)


def test_results_carry_ratios_slopes_versions_and_a_table(results: dict) -> None:
    assert results["ratios"]["endpoint_p50_over_inprocess"] > 0
    assert results["ratios"]["rdflib_over_inprocess_min"] > 0
    assert results["ratios"]["rdflib_over_inprocess_min_is_lower_bound"] is False  # the minimum is measured
    min_query = results["ratios"]["rdflib_over_inprocess_min_query"]
    assert results["scales"][-1]["queries"][min_query]["rdflib_rows"] is not None
    targets = {t["target"]: t for t in results["scales"][-1]["targets"]}
    assert {"validation", "site", "build", "extraction", "linear cost"} <= set(targets)
    table = results["scales"][-1]["queries"]
    small = [row for row in table.values() if row["kind"] in ("point", "page")]
    for stat in ("p50", "p95"):  # judged on the point/page-only run, the mixed run shown beside
        target = targets[f"point/page queries {stat}, 4 clients sending only point/page queries"]
        alone = max(row[f"http_point_page_{stat}_ms"] for row in small)
        mixed = max(row[f"http_{stat}_ms"] for row in small)
        assert target["figure"].startswith(f"{alone:.1f} ms (worst of 4); mixed workload: {mixed:.1f} ms")
        assert target["met"] == (alone <= (10 if stat == "p50" else 25))
    assert "### Targets (issue 8) at 5 documents" in results["_markdown"]
    assert {"python", "rdflib", "pyoxigraph", "pyshacl"} <= set(results["versions"])
    assert results["machine"]["cpus"] >= 1
    assert results["slopes"]["extract"]["seconds_per_1000_documents"] is not None
    assert "| documents |" in results["_markdown"] and "broader_rollup" in results["_markdown"]


def test_the_profiler_names_the_functions_of_a_stage(capsys: pytest.CaptureFixture[str]) -> None:
    from bench import profile

    assert profile.main(["extract", "--documents", "2", "--top", "5"]) == 0
    out = capsys.readouterr().out
    assert "extract_documents" in out and "cumulative" in out
