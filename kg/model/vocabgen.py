"""Generate ``kg/vocab.py`` (an rdflib ``DefinedNamespace``) from ``ontology/budget.ttl``.

``render`` is pure (graph in, Python source out); ``python -m kg.model.vocabgen`` rewrites the file.
A test (tests/model/test_vocab.py) fails when the two disagree, so the ontology stays the source.
"""

from __future__ import annotations

import sys
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.namespace import SKOS

from kg.io import write_text_atomic

ONTOLOGY_NS = "https://budget-kg.org/ontology#"
ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY_FILE = ROOT / "ontology" / "budget.ttl"
VOCAB_FILE = ROOT / "kg" / "vocab.py"

_KINDS = (
    (OWL.Class, "Classes"),
    (OWL.ObjectProperty, "Object properties"),
    (OWL.DatatypeProperty, "Datatype properties"),
)


def _kind(graph: Graph, term: URIRef) -> str:
    types = set(graph.objects(term, RDF.type))
    for cls, title in _KINDS:
        if cls in types:
            return title
    return "Individuals"


def _english(graph: Graph, term: URIRef, prop: URIRef) -> str:
    for value in sorted(graph.objects(term, prop)):
        if getattr(value, "language", None) == "en":
            return " ".join(str(value).split())
    return ""


def terms(graph: Graph) -> list[str]:
    """Local names of every subject in the ontology namespace, sorted."""
    return sorted({str(s)[len(ONTOLOGY_NS):] for s in graph.subjects()
                   if isinstance(s, URIRef) and str(s).startswith(ONTOLOGY_NS) and str(s) != ONTOLOGY_NS})


def render(graph: Graph) -> str:
    """The source of ``kg/vocab.py`` for the ontology ``graph``."""
    groups: dict[str, list[str]] = {title: [] for _, title in _KINDS}
    groups["Individuals"] = []
    for name in terms(graph):
        term = URIRef(ONTOLOGY_NS + name)
        label = _english(graph, term, RDFS.label)
        definition = _english(graph, term, SKOS.definition)
        comment = f"{label}: {definition}" if definition else label
        groups[_kind(graph, term)].append(f"    {name}: URIRef  # {comment}")
    lines = [
        '"""The budget-kg ontology (``bud:``) as an rdflib DefinedNamespace.',
        "",
        "GENERATED from ontology/budget.ttl by ``python -m kg.model.vocabgen``; do not edit by hand.",
        '"""',
        "",
        "from rdflib.namespace import DefinedNamespace, Namespace",
        "from rdflib.term import URIRef",
        "",
        "",
        "class BUD(DefinedNamespace):",
        '    """Terms of https://budget-kg.org/ontology# (see ontology/README.md)."""',
        "",
        "    _fail = True",
        f'    _NS = Namespace("{ONTOLOGY_NS}")',
    ]
    for title, entries in groups.items():
        if entries:
            lines += ["", f"    # {title}", *entries]
    lines.append("")
    return "\n".join(lines)


def main() -> int:
    graph = Graph().parse(ONTOLOGY_FILE, format="turtle")
    write_text_atomic(VOCAB_FILE, render(graph))
    print(f"wrote {VOCAB_FILE} ({len(terms(graph))} terms)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
