"""``kg validate``: exit codes, formats, the report files of a build directory, and the renderers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from rdflib import Graph, Literal, Namespace, URIRef

from kg.cli import main
from kg.model.iris import Iris
from kg.model.mapping import dataset_quads
from kg.model.serialize import nquads
from kg.validate.render import render
from kg.validate.report import ValidationReport
from kg.validate.shapes import ShapesIndex

SH = Namespace("http://www.w3.org/ns/shacl#")
RULES = Path(__file__).parent / "data" / "rules"


@pytest.fixture(scope="module")
def build_dir(tmp_path_factory: pytest.TempPathFactory, sample_facts: dict[str, Any]) -> Path:
    """A build directory holding only dataset.nq of the 002 and 003 samples."""
    out = tmp_path_factory.mktemp("build")
    (out / "dataset.nq").write_text(nquads(dataset_quads([sample_facts["002"], sample_facts["003"]], Iris())), encoding="utf-8")
    return out


def test_a_build_with_violations_exits_1_and_writes_the_reports(build_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(build_dir)]) == 1
    out = capsys.readouterr().out
    assert "VIOLATION" in out and "does not conform" in out.splitlines()[-1]
    names = sorted(p.name for p in (build_dir / "validation").iterdir())
    assert names == ["report.html", "report.json", "report.ttl", "report.xml"]
    data = json.loads((build_dir / "validation" / "report.json").read_text(encoding="utf-8"))
    assert data["conforms"] is False and data["counts"]["Violation"] > 0
    first = data["results"][0]
    assert set(first) >= {"document", "severity", "rule", "focus", "message", "values", "source_lines"}


def test_fail_on_warning_and_only_warnings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "only-a-warning.ttl"
    path.write_text((RULES / "plan-reaches-full" / "invalid.ttl").read_text(encoding="utf-8")
                    + "ex:b bud:document ex:doc ; bud:bureau ex:bu . ex:bu a bud:Bureau ; rdfs:label \"局\"@zh .\n",
                    encoding="utf-8")
    assert main(["validate", str(path), "--format", "json", "--out", str(tmp_path / "out")]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["counts"]["Warning"] == 1 and data["conforms"] is True
    assert main(["validate", str(path), "--fail-on", "warning", "--format", "json"]) == 1


def test_cannot_run_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path / "missing")]) == 2
    assert main(["validate", str(tmp_path)]) == 2  # a directory without dataset.nq
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> . <urn:s> sh:targetClass <urn:C> ; sh:uniqueLang true .")
    assert main(["validate", str(RULES / "plan-blank" / "valid.ttl"), "--shapes", str(broken)]) == 2
    assert "kg validate:" in capsys.readouterr().err


def test_turtle_is_a_standard_validation_report(sample_report: ValidationReport) -> None:
    g = Graph().parse(data=render(sample_report, "ttl"), format="turtle")
    report = next(g.subjects(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), SH.ValidationReport))
    assert (report, SH.conforms, Literal(False)) in g
    results = list(g.objects(report, SH.result))
    assert len(results) == len(sample_report.results)
    for r in results:
        assert g.value(r, SH.focusNode) is not None and g.value(r, SH.resultSeverity) is not None
        assert {m.language for m in g.objects(r, SH.resultMessage)} <= {"en", "zh"}


def test_junit_has_one_case_per_document_and_rule(sample_report: ValidationReport) -> None:
    root = ET.fromstring(render(sample_report, "junit"))
    cases = root.findall("./testsuite/testcase")
    assert len(cases) == len(sample_report.documents) * len(sample_report.rules)
    failing = {(c.get("classname"), c.get("name")) for c in cases if c.find("failure") is not None}
    assert ("002_df29ae28ecb651dd", "row-total-equals-parts") in failing
    assert not any(doc.startswith("000") for doc, _ in failing)
    warned = root.find("./testsuite/testcase[@name='plan-blank']/system-out")
    assert warned is not None or any(c.get("name") == "plan-blank" for c in cases)


def test_html_lists_rules_and_findings_escaped(sample_report: ValidationReport) -> None:
    soup = BeautifulSoup(render(sample_report, "html"), "html.parser")
    assert len(soup.select("table.rules tr")) == len(sample_report.rules) + 1
    assert len(soup.select("section.document")) == len(sample_report.documents)
    rows = soup.select("table.results tr.Violation")
    assert len(rows) == sample_report.counts()["Violation"]
    assert "<script" not in render(sample_report, "html").lower()


def test_text_summary(sample_report: ValidationReport, index: ShapesIndex) -> None:
    last = render(sample_report, "text").splitlines()[-1]
    assert last.startswith(f"5 documents, {len(index.rules)} rules (oxigraph):") and "does not conform" in last


def test_validate_build_writes_the_reports_for_kg_run(build_dir: Path) -> None:
    from kg.validate.command import validate_build

    report = validate_build(build_dir)
    assert not report.conforms() and (build_dir / "validation" / "report.ttl").is_file()
    assert len(report.documents) == 2
