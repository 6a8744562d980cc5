"""The analysis names the same resources as the knowledge graph (kg.model) and feeds kg build."""

from kg.analyze.iris import AnalysisIris
from kg.analyze.overrides import read_overrides
from kg.analyze.pipeline import analysis_files, analysis_quads, run_analysis
from kg.model.iris import Iris
from kg.model.mapping import dataset_quads

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
BUD = "https://budget-kg.org/ontology#"


def _typed(quads, cls):
    return {q[0] for q in quads if q[1] == RDF_TYPE and q[2] == BUD + cls}


def test_project_and_duty_iris_match_the_model(gold_facts):
    quads = dataset_quads(gold_facts, Iris())
    ids = AnalysisIris()
    mine_projects = {iri for f in gold_facts for iri in ids.projects(f)}
    mine_duties = {ids.duty(f, d.ordinal) for f in gold_facts for d in f.duties}
    assert mine_projects == _typed(quads, "Project")
    assert mine_duties == _typed(quads, "Duty")


def test_analysis_quads_link_model_resources(gold_facts):
    output = run_analysis(gold_facts, "https://budget-kg.org/", read_overrides())
    quads = analysis_quads(gold_facts, output)
    graphs = {q[3] for q in quads}
    assert graphs == {f"https://budget-kg.org/graph/{n}" for n in ("links", "analysis", "duty-areas")}
    model = dataset_quads(gold_facts, Iris())
    projects, duties = _typed(model, "Project"), _typed(model, "Duty")
    serves = [(q[0], q[2]) for q in quads if q[1] == BUD + "servesDuty"]
    assert len(serves) == len(output.links)
    assert all(p in projects and d in duties for p, d in serves)


def test_other_base_uri(gold_facts):
    output = run_analysis(gold_facts, "http://example.org/kg/")
    quads = analysis_quads(gold_facts, output, "http://example.org/kg/")
    links = {q[0] for q in quads if q[1] == BUD + "linkProject"}
    assert links and all(s.startswith("http://example.org/kg/budget/") for s in links)


def test_analysis_files(gold_facts):
    files = analysis_files(run_analysis(gold_facts))
    assert {"links.json", "analysis.json", "analysis/area-profile.svg"} <= set(files)
    assert sum(name.startswith("analysis/tie-graph-") for name in files) == len(gold_facts)


def test_analysis_output_is_deterministic(gold_facts):
    first = analysis_files(run_analysis(gold_facts, "https://budget-kg.org/", read_overrides()))
    second = analysis_files(run_analysis(list(gold_facts), "https://budget-kg.org/", read_overrides()))
    assert first == second
