"""Site fixtures: a small hand-written graph (``data/mini.trig``) and, when ``kg build`` exists,
a real build of the bundled samples. Each site is rendered once per session."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

from kg.site.build import build_site, site_data, write_site
from kg.site.graph import load_build, store_from_text
from kg.site.pages import SiteData

DATA = Path(__file__).resolve().parent / "data"
SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"

#: A validation report in the form ``kg validate --format json`` writes, about the mini graph.
MINI_REPORT = {
    "results": [
        {"document": "t1.txt", "severity": "violation", "rule": "function-children-sum",
         "focus": "https://budget-kg.org/budget/130634-ybj/2020/line/t-a/210/total",
         "message": {"zh": "210 不等于其款之和", "en": "210 is not the sum of its 款"},
         "values": {"expected": "2740.83", "found": "2740.82"}, "source_lines": [40, 41]},
        {"document": "t1.txt", "severity": "warning", "rule": "indicator-satisfaction",
         "focus": "https://budget-kg.org/budget/130634-ybj/2020/project/1",
         "message": "项目没有满意度指标 / the project has no satisfaction indicator",
         "values": {}, "source_lines": [120]},
    ]
}


@pytest.fixture(scope="session")
def mini_data() -> SiteData:
    return site_data(store_from_text((DATA / "mini.trig").read_text(encoding="utf-8")), validation=MINI_REPORT)


@pytest.fixture(scope="session")
def mini_site(mini_data: SiteData, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("mini") / "site"
    dump = out.parent / "dataset.nq"
    dump.write_text("", encoding="utf-8")
    report = out.parent / "report.json"
    report.write_text(json.dumps(MINI_REPORT, ensure_ascii=False), encoding="utf-8")
    write_site(mini_data, out, base_path="/kg/", files={"dumps/dataset.nq": dump})
    return out


@pytest.fixture(scope="session")
def samples_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``kg build`` (and ``kg analyze``, ``kg validate``) of the bundled samples, once per session."""
    from kg.cli import COMMANDS, main

    out = tmp_path_factory.mktemp("samples") / "build"
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        main(["build", str(SAMPLES), "--out", str(out), "--quiet"])
        assert (out / "dataset.nq").is_file(), "kg build wrote no dataset.nq"
        if "kg.analyze.command" in COMMANDS:
            main(["analyze", str(out)])
        if "kg.validate.command" in COMMANDS:
            main(["validate", str(out), "--format", "json"])  # exit 1 on the samples' known violations
    return out


@pytest.fixture(scope="session")
def samples_site(samples_build: Path) -> Path:
    """The site of the samples' build, rendered once per session."""
    return build_site(samples_build).out


@pytest.fixture(scope="session")
def samples_data(samples_build: Path) -> SiteData:
    report = samples_build / "validation" / "report.json"
    return site_data(load_build(samples_build),
                     validation=json.loads(report.read_text(encoding="utf-8")) if report.is_file() else None)


@pytest.fixture(scope="session")
def site_under_test(samples_site: Path) -> Path:
    """The site the browser tests walk through."""
    return samples_site
