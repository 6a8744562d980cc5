import json
import shutil

import pytest

from kg.analyze.overrides import OVERRIDES_PATH, parse_overrides_csv, read_overrides, resolve_overrides
from kg.cli import main

P4 = "https://budget-kg.org/budget/130634-medical-insurance/2020/project/4"
D8 = "https://budget-kg.org/budget/130634-medical-insurance/2020/duty/8"


def test_parse_and_resolve(gold_facts):
    rows = parse_overrides_csv(f"# comment\nproject,duty,action,note\n{P4},{D8},add,network is informatization\n"
                               f"{P4},https://example.org/duty/1,remove,\n")
    assert [r.action for r in rows] == ["add", "remove"]
    resolved, unresolved = resolve_overrides(rows, gold_facts)
    assert [(o.document[:3], o.project, o.duty) for o in resolved] == [("000", "医保局网络建设费用", 8)]
    assert [r.line for r in unresolved] == [3]


def test_bad_csv_is_rejected():
    with pytest.raises(ValueError):
        parse_overrides_csv("a,b,c\n1,2,3\n")
    with pytest.raises(ValueError):
        parse_overrides_csv(f"project,duty,action,note\n{P4},{D8},maybe,\n")


def test_curated_file_resolves_on_the_samples(gold_facts):
    rows = read_overrides(OVERRIDES_PATH)
    assert rows
    resolved, unresolved = resolve_overrides(rows, gold_facts)
    assert not unresolved and len(resolved) == len(rows)
    assert all(r.note for r in rows)


def test_kg_analyze_writes_outputs(tmp_path, gold_dir):
    facts = tmp_path / "facts"
    facts.mkdir()
    for path in sorted(gold_dir.glob("*.json")):
        shutil.copy(path, facts / path.name)
    assert main(["analyze", str(tmp_path)]) == 0
    links = json.loads((tmp_path / "links.json").read_text(encoding="utf-8"))
    assert {"document": "000_01bf5e7cfe21490d.txt", "project": "医保局网络建设费用", "duty": 8} in [
        {k: e[k] for k in ("document", "project", "duty")} for e in links]  # added by data/links.csv
    summary = json.loads((tmp_path / "analysis.json").read_text(encoding="utf-8"))
    assert summary["overrides"] == {"applied": 2, "unresolved": []}
    assert len(list((tmp_path / "analysis").glob("tie-graph-*.svg"))) == 5
    import pyoxigraph as ox

    store = ox.Store()
    store.load(path=str(tmp_path / "analysis.trig"), format=ox.RdfFormat.TRIG)
    graphs = {q.graph_name.value for q in store}
    assert graphs == {f"https://budget-kg.org/graph/{n}" for n in ("links", "analysis", "duty-areas")}
    links_rows = list(store.query("SELECT ?l WHERE { GRAPH ?g { ?l a <https://budget-kg.org/ontology#DutyLink> } }"))
    assert len(links_rows) == len(links)


def test_kg_analyze_reports_quality_on_labels(tmp_path, gold_dir, capsys):
    facts = tmp_path / "facts"
    facts.mkdir()
    for path in sorted(gold_dir.glob("*.json")):
        shutil.copy(path, facts / path.name)
    assert main(["analyze", str(tmp_path), "--labels", str(gold_dir.parent / "links")]) == 0
    line = capsys.readouterr().out.strip().splitlines()[-1]
    assert line.startswith("labelled links (2 documents): precision 1.000 recall 0.880")


def test_kg_analyze_without_facts(tmp_path):
    assert main(["analyze", str(tmp_path)]) == 2
