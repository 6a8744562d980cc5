"""The benchmark harness at a tiny scale, so it cannot rot: every stage runs once and
``results.json`` has the figures the issue asks for. No timing assertions (speed lives in bench/)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import run
from bench.queries import QUERIES

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("bench-out")
    work = tmp_path_factory.mktemp("bench-work")
    status = run.main(["--scales", "4,5", "--quick", "--repeat", "1", "--query-repeat", "1", "--rdflib-repeat", "1",
                       "--requests", "2", "--out", str(out), "--work", str(work), "--timeout", "600"])
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
        for name, row in table.items():
            for key in ("oxigraph_p50_ms", "rdflib_p50_ms", "http_p50_ms", "http_p95_ms", "http_sequential_p50_ms"):
                assert row[key] is not None and row[key] >= 0, (name, key)
            assert row["rows"] == row["rdflib_rows"], name  # the engines answer the same question
        assert scale["stages"]["http"]["concurrent"]["clients"] == 4
        assert scale["stages"]["http"]["concurrent"]["error_count"] == 0


def test_results_carry_ratios_slopes_versions_and_a_table(results: dict) -> None:
    assert results["ratios"]["endpoint_p50_over_inprocess"] > 0
    assert results["ratios"]["rdflib_over_inprocess_min"] > 0
    assert {"python", "rdflib", "pyoxigraph", "pyshacl"} <= set(results["versions"])
    assert results["machine"]["cpus"] >= 1
    assert results["slopes"]["extract"]["seconds_per_1000_documents"] is not None
    assert "| documents |" in results["_markdown"] and "broader_rollup" in results["_markdown"]


def test_the_profiler_names_the_functions_of_a_stage(capsys: pytest.CaptureFixture[str]) -> None:
    from bench import profile

    assert profile.main(["extract", "--documents", "2", "--top", "5"]) == 0
    out = capsys.readouterr().out
    assert "extract_documents" in out and "cumulative" in out
