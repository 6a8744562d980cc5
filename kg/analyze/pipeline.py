"""Everything the build needs from the analysis in one pure call, plus writing it (I/O edge)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Dataset

from kg.analyze.links import LinkResult, compute_links, links_json
from kg.analyze.metrics import AnalysisReport, analyze
from kg.analyze.overrides import OverrideRow, resolve_overrides
from kg.analyze.rdf import add_to_dataset
from kg.analyze.report import analysis_json
from kg.analyze.svg import area_profile_svg, tie_graph_svg
from kg.analyze.taxonomy import load_taxonomy
from kg.extract.facts import DocumentFacts
from kg.io import write_json_atomic, write_text_atomic
from kg.model.iris import DEFAULT_BASE, document_stem


@dataclass(frozen=True)
class AnalysisOutput:
    result: LinkResult
    report: AnalysisReport
    links: list[dict[str, Any]]
    """``links.json`` entries."""
    summary: dict[str, Any]
    """``analysis.json``."""
    unresolved_overrides: tuple[OverrideRow, ...]


def run_analysis(facts_list: Sequence[DocumentFacts], base_uri: str = DEFAULT_BASE,
                 override_rows: Sequence[OverrideRow] = ()) -> AnalysisOutput:
    """Links (overrides applied), analysis, ``links.json`` entries and the JSON summary."""
    taxonomy = load_taxonomy()
    overrides, unresolved = resolve_overrides(override_rows, facts_list, base_uri)
    result = compute_links(facts_list, overrides, taxonomy)
    report = analyze(facts_list, result, taxonomy)
    summary = analysis_json(report, result, taxonomy)
    summary["overrides"] = {"applied": len(overrides), "unresolved": [r.line for r in unresolved]}
    return AnalysisOutput(result, report, links_json(result.links), summary, tuple(unresolved))


def write_analysis(build_dir: Path, output: AnalysisOutput, facts_list: Sequence[DocumentFacts],
                   dataset: Dataset | None = None, base_uri: str = DEFAULT_BASE) -> list[Path]:
    """Write ``links.json``, ``analysis.json`` and ``analysis/*.svg``; add the triples to ``dataset``."""
    written = [build_dir / "links.json", build_dir / "analysis.json"]
    write_json_atomic(written[0], output.links)
    write_json_atomic(written[1], output.summary)
    for bureau in output.summary["bureaus"]:
        path = build_dir / "analysis" / f"tie-graph-{document_stem(bureau['document'])}.svg"
        write_text_atomic(path, tie_graph_svg(bureau, output.summary["areas"]))
        written.append(path)
    path = build_dir / "analysis" / "area-profile.svg"
    write_text_atomic(path, area_profile_svg(output.summary))
    written.append(path)
    if dataset is not None:
        add_to_dataset(dataset, facts_list, output.result, output.report, base_uri)
    return written
