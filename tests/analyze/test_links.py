import json

from kg.analyze.links import Override, compute_links, links_json
from kg.analyze.quality import measure


def _by_project(result, document_prefix):
    out = {}
    for lk in result.links:
        if lk.document.startswith(document_prefix):
            out.setdefault(lk.project, set()).add(lk.duty)
    return out


def test_every_project_has_a_link_or_a_no_duty_finding(gold_facts):
    result = compute_links(gold_facts)
    linked = {(lk.document, lk.project_index) for lk in result.links}
    found = {(f.document, f.project_index) for f in result.findings}
    assert not linked & found
    for facts in gold_facts:
        for index, _ in enumerate(facts.projects):
            assert (facts.document, index) in linked | found
    for finding in result.findings:
        assert finding.reason and finding.message


def test_document_without_duties_gives_findings(gold_facts):
    result = compute_links(gold_facts)
    f003 = [f for f in result.findings if f.document.startswith("003")]
    assert len(f003) == 5
    assert {f.reason for f in f003} == {"no-duties-listed"}


def test_bureau_running_costs_have_no_duty(gold_facts):
    result = compute_links(gold_facts)
    reasons = {(f.document[:3], f.project): f.reason for f in result.findings}
    assert reasons[("000", "医保局办公用房租赁费")] == "bureau-operations"
    assert reasons[("004", "燃气费、医疗保障经费")] == "bureau-operations"


def test_clear_links_are_found(gold_facts):
    links = _by_project(compute_links(gold_facts), "001")
    assert 13 in links["离休、二等乙级伤残军人和伤残人民警察、建国初期参加革命工作人员医疗费用"]
    assert 9 in links["医保工作专项经费"]
    links004 = _by_project(compute_links(gold_facts), "004")
    assert 3 in links004["长期护理保险专项经费"]
    assert 1 in links004["医疗救助经费"]


def test_links_json_shape_and_determinism(gold_facts):
    first = links_json(compute_links(gold_facts).links)
    second = links_json(compute_links(list(gold_facts)).links)
    assert first == second
    assert first
    for entry in first:
        assert set(entry) == {"document", "project", "duty", "score", "evidence"}
        assert 0 <= entry["score"] <= 1
        assert isinstance(entry["duty"], int) and entry["duty"] >= 1
        assert entry["evidence"] and all(isinstance(e, str) for e in entry["evidence"])
    json.dumps(first, ensure_ascii=False)


def test_overrides_win(gold_facts):
    base = compute_links(gold_facts)
    doc = gold_facts[0].document
    assert (doc, "城乡医疗救助县级补助资金", 1) in {(lk.document, lk.project, lk.duty) for lk in base.links}
    result = compute_links(gold_facts, [
        Override(doc, "城乡医疗救助县级补助资金", 1, "remove", "test"),
        Override(doc, "医保局办公用房租赁费", 8, "add", "office houses the service hall"),
    ])
    keys = {(lk.document, lk.project, lk.duty): lk for lk in result.links}
    assert (doc, "城乡医疗救助县级补助资金", 1) not in keys
    added = keys[(doc, "医保局办公用房租赁费", 8)]
    assert added.method == "curated" and added.score == 1.0
    findings = {(f.document, f.project): f.reason for f in result.findings}
    assert (doc, "医保局办公用房租赁费") not in findings
    assert findings[(doc, "城乡医疗救助县级补助资金")] == "removed-by-override"


def test_overrides_naming_unknown_projects_are_ignored(gold_facts):
    base = compute_links(gold_facts)
    result = compute_links(gold_facts, [Override("nope.txt", "x", 1, "add"), Override(gold_facts[0].document, "x", 1, "add")])
    assert result == base


def test_quality_on_labelled_samples(gold_facts, link_labels):
    """Precision ≥ 0.8 and recall ≥ 0.7 on the hand-labelled samples (000 and 004)."""
    quality = measure(compute_links(gold_facts).links, link_labels)
    assert quality.expected >= 20
    assert quality.precision >= 0.8, quality
    assert quality.recall >= 0.7, quality
