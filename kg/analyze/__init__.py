"""How projects tie to duties: links with evidence, duty areas, and graph analysis.

Library API (pure unless noted):

- :func:`compute_links` (facts, overrides) → :class:`LinkResult` (links + no-duty findings);
  :func:`links_json` → ``BUILD/links.json`` entries;
- :func:`analyze` (facts, link result) → :class:`AnalysisReport`; :func:`analysis_json` → the
  ``BUILD/analysis.json`` summary;
- :func:`links_to_graph`, :func:`analysis_to_graph`, :func:`add_to_dataset` → RDF;
- :func:`tie_graph_svg`, :func:`area_profile_svg`, :func:`duty_coverage_svg` → SVG pictures for the site;
- :func:`run_analysis` (facts, base IRI, override rows) → everything at once; :func:`analysis_quads`
  and :func:`analysis_files` / :func:`write_analysis_files` give what ``kg build`` writes.

See ``docs/analysis.md``.
"""

from __future__ import annotations

from kg.analyze.links import DutyLink, LinkResult, LinkSettings, NoDutyFinding, Override, compute_links, links_json
from kg.analyze.metrics import AnalysisReport, analyze
from kg.analyze.overrides import OverrideRow, parse_overrides_csv, read_overrides, resolve_overrides
from kg.analyze.pipeline import AnalysisOutput, analysis_files, analysis_quads, run_analysis, write_analysis_files
from kg.analyze.rdf import add_to_dataset, analysis_to_graph, links_to_graph
from kg.analyze.report import analysis_json
from kg.analyze.svg import area_profile_svg, duty_coverage_svg, tie_graph_svg
from kg.analyze.taxonomy import Taxonomy, load_taxonomy

__all__ = [
    "AnalysisOutput",
    "AnalysisReport",
    "DutyLink",
    "LinkResult",
    "LinkSettings",
    "NoDutyFinding",
    "Override",
    "OverrideRow",
    "Taxonomy",
    "add_to_dataset",
    "analysis_files",
    "analysis_json",
    "analysis_quads",
    "analysis_to_graph",
    "analyze",
    "area_profile_svg",
    "compute_links",
    "duty_coverage_svg",
    "links_json",
    "links_to_graph",
    "load_taxonomy",
    "parse_overrides_csv",
    "read_overrides",
    "resolve_overrides",
    "run_analysis",
    "tie_graph_svg",
    "write_analysis_files",
]
