from decimal import Decimal
from xml.etree import ElementTree

import pytest
from rdflib import URIRef

from kg.analyze.links import compute_links
from kg.analyze.metrics import analyze, level1_kind
from kg.analyze.rdf import BUD, analysis_to_graph, links_to_graph, terms_graph
from kg.analyze.report import analysis_json
from kg.analyze.svg import area_profile_svg, duty_coverage_svg, tie_graph_svg

Q = "PREFIX bud: <https://budget-kg.org/ontology#>\n"


@pytest.fixture(scope="module")
def analysed(gold_facts):
    result = compute_links(gold_facts)
    return result, analyze(gold_facts, result)


def _bureau(report, prefix):
    return next(b for b in report.bureaus if b.document.startswith(prefix))


def test_unfunded_duties_of_000(analysed):
    _, report = analysed
    b = _bureau(report, "000")
    unfunded = {u.duty: u for u in b.unfunded_duties}
    # 招标采购 (6) and 医药价格 (5): no project of 曲阳 serves them
    assert unfunded[6].substantive and unfunded[5].substantive
    assert "procurement" in unfunded[6].areas
    assert not unfunded[9].substantive  # 完成县委、县政府交办的其他任务
    assert 2 not in unfunded and 3 not in unfunded


def test_projects_without_duty_and_missing_kinds(analysed):
    _, report = analysed
    b001 = _bureau(report, "001")
    assert [f.project for f in b001.projects_without_duty] == ["办公室物业管理费"]
    # 米易 prints no indicator tables: every project misses all three level-1 kinds
    assert len(b001.missing_indicator_kinds) == 4
    assert all(m.missing == ("产出指标", "效益指标", "满意度指标") for m in b001.missing_indicator_kinds)
    # 002 prints 服务对象满意度指标 as level 1: still a satisfaction indicator
    assert not _bureau(report, "002").missing_indicator_kinds
    assert level1_kind("效果指标") == "效益指标"
    assert level1_kind("数量指标") is None


def test_spending_by_area_adds_up(analysed, gold_by_doc):
    _, report = analysed
    b = _bureau(report, "004")
    total = sum((p.amount for p in gold_by_doc["004"].projects), Decimal(0))
    assert abs(sum(s.amount for s in b.spending_by_area) - total) < Decimal("0.01")
    assert abs(sum(s.share for s in b.spending_by_area) - 1) < 1e-6
    shares = {s.area: s.share for s in _bureau(report, "001").spending_by_area}
    assert max(shares, key=shares.get) == "special-groups"  # 150 of 174.7 for 离休 medical costs
    assert _bureau(report, "000").projects_without_amount == 9


def test_function_codes_to_areas(analysed):
    _, report = analysed
    codes = {(c.code, c.area, c.basis): c.amount for c in _bureau(report, "004").code_areas}
    assert codes[("2101504", "informatization", "function-line")] == Decimal("30")
    assert codes[("2101506", "service-administration", "function-line")] == Decimal("38")
    assert codes[("2101501", "bureau-operations", "function-line")] == Decimal("170.78")
    assert any(c.basis == "project" and c.code == "21015" for c in _bureau(report, "002").code_areas)


def test_similarity_pairs(analysed, gold_facts):
    _, report = analysed
    n = len(gold_facts)
    assert len(report.similarities) == n * (n - 1) // 2
    for s in report.similarities:
        for value in (s.spending, s.duties):
            assert value is None or 0 <= value <= 1
    no_duties = [s for s in report.similarities if "003" in s.a[:3] + s.b[:3]]
    assert all(s.duties is None for s in no_duties)


def test_results_are_queryable_in_rdf(analysed, gold_facts):
    result, report = analysed
    graph = links_to_graph(gold_facts, result) + analysis_to_graph(gold_facts, report)
    unfunded = {str(r.duty) for r in graph.query(Q + "SELECT ?duty WHERE { ?f a bud:UnfundedDuty ; bud:findingAbout ?duty ; bud:substantive true }")}
    assert any(d.endswith("/duty/6") and "130634" in d for d in unfunded)  # 曲阳 = 130634
    links = list(graph.query(Q + "SELECT ?l ?p ?d ?s WHERE { ?l a bud:DutyLink ; bud:linkProject ?p ; bud:linkDuty ?d ; bud:linkScore ?s . ?p bud:servesDuty ?d }"))
    assert len(links) == len(result.links)
    no_duty = list(graph.query(Q + "SELECT ?p ?r WHERE { ?f a bud:ProjectWithoutDuty ; bud:findingAbout ?p ; bud:reason ?r }"))
    assert len(no_duty) == len(result.findings)
    areas_without = list(graph.query(Q + "SELECT ?d WHERE { ?l bud:linkDuty ?d . FILTER NOT EXISTS { ?d bud:dutyArea ?a } }"))
    assert not areas_without
    assert (None, BUD.spendingSimilarity, None) in graph


def test_terms_graph_has_scheme_and_link_terms():
    graph = terms_graph()
    assert (URIRef("https://budget-kg.org/ontology#DutyLink"), None, None) in graph
    assert (URIRef("https://budget-kg.org/ontology/duty-area/fund-supervision"), None, None) in graph


def test_json_summary_and_svgs(analysed):
    result, report = analysed
    summary = analysis_json(report, result)
    assert summary["counts"]["links"] == len(result.links)
    b000 = next(b for b in summary["bureaus"] if b["document"].startswith("000"))
    assert 6 in [u["duty"] for u in b000["unfunded_duties"]]
    for bureau in summary["bureaus"]:
        svg = tie_graph_svg(bureau, summary["areas"])
        root = ElementTree.fromstring(svg)
        assert root.tag.endswith("svg")
        paths = [e for e in root.iter() if e.tag.endswith("path")]
        assert len(paths) == len(bureau["links"])
        dashed = [e for e in root.iter() if e.tag.endswith("rect") and e.get("stroke-dasharray")]
        assert len(dashed) == len(bureau["projects_without_duty"]) + len(bureau["unfunded_duties"])
    profile = ElementTree.fromstring(area_profile_svg(summary))
    assert profile.tag.endswith("svg")
    coverage = duty_coverage_svg(summary)
    root = ElementTree.fromstring(coverage)
    cells = [e for e in root.iter() if e.tag.endswith("rect")]
    assert len(cells) == len(summary["bureaus"]) * len(summary["areas"])
    assert "0/1" in coverage  # e.g. 曲阳's one procurement duty, served by no project


def test_similarity_keeps_nearest_neighbours(analysed):
    from kg.analyze.metrics import similarities

    _, report = analysed
    nearest = similarities(report.bureaus, neighbours=1)
    assert len(report.bureaus) // 2 <= len(nearest) <= len(report.bureaus)
    full = {(s.a, s.b): s for s in report.similarities}
    for s in nearest:
        assert full[(s.a, s.b)] == s
    # each bureau keeps its most similar partner by spending
    for b in report.bureaus:
        mine = [s for s in report.similarities if b.document in (s.a, s.b)]
        best = max(mine, key=lambda s: (s.spending or 0.0, s.duties or 0.0))
        assert best in nearest


def test_edge_cases_run_cleanly():
    from kg.analyze.pipeline import analysis_files, run_analysis
    from kg.extract.facts import DocumentFacts, Duty, Indicator, Project

    empty = run_analysis([])
    assert empty.links == [] and empty.summary["bureaus"] == [] and empty.summary["similarity"] == []
    facts = DocumentFacts(
        document="x.txt", bureau="某县医疗保障局", year=2023, unit="元",
        duties=(Duty("负责全县医疗救助工作。", 1), Duty("", 2)),
        projects=(Project("医疗救助资金", amount=Decimal("1000"),
                          indicators=(Indicator("产出指标", "数量指标", "救助人数", "≥100人"),)),
                  Project("")),
    )
    out = run_analysis([facts])
    assert [(e["project"], e["duty"]) for e in out.links] == [("医疗救助资金", 1)]
    bureau = out.summary["bureaus"][0]
    assert [f["index"] for f in bureau["projects_without_duty"]] == [1]
    assert bureau["missing_indicator_kinds"][0]["missing"] == ["效益指标", "满意度指标"]
    assert bureau["spending_by_area"] == [{"area": "medical-assistance", "amount": 1000, "share": 1.0, "projects": 1}]
    assert "analysis/tie-graph-x.svg" in analysis_files(out)
