"""Everything the build needs from the analysis in one pure call, plus writing it (I/O edge)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import URIRef

from kg.analyze.links import LinkResult, compute_links, links_json
from kg.analyze.metrics import AnalysisReport, analyze
from kg.analyze.overrides import OverrideRow, resolve_overrides
from kg.analyze.rdf import (
    LINKS_TERMS_PATH, TAXONOMY_PATH, analysis_to_graph, analysis_triples, links_to_graph, links_triples, terms_graph,
)
from kg.analyze.report import analysis_json
from kg.analyze.svg import area_profile_svg, duty_coverage_svg, tie_graph_svg
from kg.analyze.taxonomy import load_taxonomy
from kg.extract.facts import DocumentFacts
from kg.io import dumps_json, write_text_atomic
from kg.model.iris import DEFAULT_BASE, Iris, document_stem
from kg.model.terms import Quad, turtle_file_quads


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


def analysis_quads(facts_list: Sequence[DocumentFacts], output: AnalysisOutput,
                   base_uri: str = DEFAULT_BASE) -> list[Quad]:
    """The links, analysis and duty-area named graphs as :mod:`kg.model.terms` quads (for ``kg build``)."""
    iris = Iris(base_uri)
    quads: list[Quad] = []
    for name, triples in (("links", links_triples(facts_list, output.result, base_uri)),
                          ("analysis", analysis_triples(facts_list, output.report, base_uri))):
        graph = iris.graph(name)
        quads.extend([(s, p, o, graph) for s, p, o in triples])
    for path in (TAXONOMY_PATH, LINKS_TERMS_PATH):  # terms_graph()'s two files (read without rdflib's parser)
        quads.extend(turtle_file_quads(path, iris.graph("duty-areas")))
    return quads


def analysis_trig(facts_list: Sequence[DocumentFacts], output: AnalysisOutput,
                  base_uri: str = DEFAULT_BASE) -> str:
    """The three named graphs as TriG text, triples sorted (``kg analyze`` writes ``analysis.trig``)."""
    iris = Iris(base_uri)
    parts = []
    for name, graph in (("analysis", analysis_to_graph(facts_list, output.report, base_uri)),
                        ("duty-areas", terms_graph()),
                        ("links", links_to_graph(facts_list, output.result, base_uri))):
        lines = sorted(f"    {s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in graph)
        parts.append(f"{URIRef(iris.graph(name)).n3()} {{\n{''.join(lines)}}}\n")
    return "\n".join(parts)


def analysis_files(output: AnalysisOutput) -> dict[str, str]:
    """File name (relative to the build directory) → text of everything the analysis writes."""
    files = {
        "links.json": dumps_json(output.links),
        "analysis.json": dumps_json(output.summary),
    }
    for bureau in output.summary["bureaus"]:
        files[f"analysis/tie-graph-{document_stem(bureau['document'])}.svg"] = tie_graph_svg(
            bureau, output.summary["areas"])
    files["analysis/area-profile.svg"] = area_profile_svg(output.summary)
    files["analysis/duty-coverage.svg"] = duty_coverage_svg(output.summary)
    return files


def write_analysis_files(build_dir: Path, output: AnalysisOutput) -> list[str]:
    """Write :func:`analysis_files` into ``build_dir`` (atomically); returns the names written."""
    files = analysis_files(output)
    for name, text in files.items():
        write_text_atomic(build_dir / name, text)
    return sorted(files)
