"""The JSON summary of the analysis (``BUILD/analysis.json``): plain dicts and lists, deterministic."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from kg.analyze.links import METHOD, DutyLink, LinkResult, LinkSettings
from kg.analyze.metrics import LEVEL1_KINDS, AnalysisReport, BureauAnalysis, by_document
from kg.analyze.taxonomy import Taxonomy, load_taxonomy


def _num(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _bureau_json(b: BureauAnalysis, links: Sequence[DutyLink]) -> dict[str, Any]:
    """One bureau's entry; ``links`` are its own."""
    served: dict[int, list[str]] = {}
    serves: dict[int, list[int]] = {}
    for lk in links:
        served.setdefault(lk.duty, []).append(lk.project)
        serves.setdefault(lk.project_index, []).append(lk.duty)
    return {
        "document": b.document, "bureau": b.bureau, "region": b.region, "year": b.year, "unit": b.unit,
        "duties": [{"duty": d.key, "text": d.label, "areas": list(d.areas), "projects": served.get(d.key, [])}
                   for d in b.duties],
        "projects": [{"project": p.label, "index": p.key, "areas": list(p.areas), "duties": serves.get(p.key, [])}
                     for p in b.projects],
        "links": [{"index": lk.project_index, "project": lk.project, "duty": lk.duty, "score": lk.score,
                   "areas": list(lk.areas), "evidence": list(lk.evidence), "method": lk.method} for lk in links],
        "unfunded_duties": [{"duty": u.duty, "text": u.text, "areas": list(u.areas), "substantive": u.substantive}
                            for u in b.unfunded_duties],
        "projects_without_duty": [{"project": f.project, "index": f.project_index, "reason": f.reason,
                                   "message": f.message} for f in b.projects_without_duty],
        "spending_by_area": [{"area": s.area, "amount": _num(s.amount), "share": round(s.share, 4),
                              "projects": s.projects} for s in b.spending_by_area],
        "projects_without_amount": b.projects_without_amount,
        "missing_indicator_kinds": [{"project": m.project, "index": m.project_index, "missing": list(m.missing)}
                                    for m in b.missing_indicator_kinds],
        "function_code_areas": [{"code": c.code, "area": c.area, "amount": _num(c.amount), "basis": c.basis}
                                for c in b.code_areas],
    }


def analysis_json(report: AnalysisReport, result: LinkResult, taxonomy: Taxonomy | None = None,
                  settings: LinkSettings = LinkSettings()) -> dict[str, Any]:
    """The summary: areas, per-bureau results, cross-bureau similarity and code → area table."""
    taxonomy = taxonomy or load_taxonomy()
    links_by_document = by_document(result.links)
    codes: dict[tuple[str, str], set[str]] = {}
    for b in report.bureaus:
        for c in b.code_areas:
            codes.setdefault((c.code, c.area), set()).add(b.document)
    order = {a.slug: n for n, a in enumerate(taxonomy.areas)}
    return {
        "method": {"links": METHOD, "tokenizer": settings.tokenizer, "min_score": settings.min_score,
                   "relative": settings.relative},
        "areas": [{"area": a.slug, "iri": a.iri, "label_zh": a.label_zh, "label_en": a.label_en,
                   "ties_duties": a.ties_duties} for a in taxonomy.areas],
        "level1_kinds": list(LEVEL1_KINDS),
        "graph": {"nodes": report.nodes, "edges": report.edges},
        "counts": {
            "links": len(result.links),
            "projects_without_duty": len(result.findings),
            "unfunded_duties": sum(len(b.unfunded_duties) for b in report.bureaus),
            "unfunded_substantive_duties": sum(u.substantive for b in report.bureaus for u in b.unfunded_duties),
        },
        "bureaus": [_bureau_json(b, links_by_document.get(b.document, ())) for b in report.bureaus],
        "similarity": [{"a": s.a, "b": s.b, "spending": s.spending, "duties": s.duties}
                       for s in report.similarities],
        "function_code_areas": [{"code": code, "area": area, "documents": sorted(docs)}
                                for (code, area), docs in sorted(codes.items(), key=lambda kv: (kv[0][0], order[kv[0][1]]))],
    }
