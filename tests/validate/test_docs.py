"""docs/validation.md lists every rule; docs/ci.md carries a GitHub Actions job running kg validate."""

from __future__ import annotations

from pathlib import Path

from kg.validate.shapes import ShapesIndex

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_every_rule_is_documented(index: ShapesIndex) -> None:
    text = (DOCS / "validation.md").read_text(encoding="utf-8")
    missing = [r.id for r in index.rules if f"| `{r.id}` |" not in text]
    assert missing == []


def test_every_rule_has_titles_and_bilingual_messages(index: ShapesIndex) -> None:
    from rdflib import Literal, URIRef

    from kg.validate.shapes import SH

    g = index.graph
    for rule in index.rules:
        assert rule.title_en and rule.title_zh, rule.id
        shape = URIRef(rule.shape)
        langs = {m.language for node in (shape, *g.objects(shape, SH.sparql)) for m in g.objects(node, SH.message)
                 if isinstance(m, Literal)}
        assert langs == {"en", "zh"}, rule.id


def test_ci_snippet_runs_kg_validate_and_publishes_junit() -> None:
    text = (DOCS / "ci.md").read_text(encoding="utf-8")
    assert "runs-on: ubuntu-latest" in text and "kg validate build" in text
    assert "build/validation/report.xml" in text
