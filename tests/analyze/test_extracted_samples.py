"""The analysis on facts extracted from data/samples (not only on the gold facts)."""

import pytest

from kg.analyze.links import compute_links
from kg.analyze.metrics import analyze
from kg.analyze.quality import measure
from kg.extract.run import extract_path


@pytest.fixture(scope="module")
def extracted(samples_dir):
    results = [extract_path(p) for p in sorted(samples_dir.glob("*.txt"))]
    assert all(r.facts is not None for r in results)
    return [r.facts for r in results]


def test_quality_on_extracted_facts(extracted, link_labels):
    quality = measure(compute_links(extracted).links, link_labels)
    assert quality.precision >= 0.8, quality
    assert quality.recall >= 0.7, quality


def test_extracted_000_reports_unfunded_procurement_duty(extracted):
    result = compute_links(extracted)
    report = analyze(extracted, result)
    b000 = next(b for b in report.bureaus if b.document.startswith("000"))
    procurement = [u for u in b000.unfunded_duties if "procurement" in u.areas]
    assert procurement and procurement[0].substantive
    for facts in extracted:
        linked = {lk.project_index for lk in result.links if lk.document == facts.document}
        found = {f.project_index for f in result.findings if f.document == facts.document}
        assert linked | found == set(range(len(facts.projects)))
