"""kg/vocab.py is generated from ontology/budget.ttl and must agree with it."""

from rdflib import RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from kg.model import vocabgen
from kg.vocab import BUD


def _ontology() -> Graph:
    return Graph().parse(vocabgen.ONTOLOGY_FILE, format="turtle")


def test_vocab_file_is_generated_from_the_ontology():
    expected = vocabgen.render(_ontology())
    actual = vocabgen.VOCAB_FILE.read_text(encoding="utf-8")
    assert actual == expected, "run: .venv/bin/python -m kg.model.vocabgen"


def test_every_term_resolves_and_unknown_terms_fail():
    for name in vocabgen.terms(_ontology()):
        assert BUD[name] == URIRef(vocabgen.ONTOLOGY_NS + name)
    try:
        BUD.NoSuchTerm  # noqa: B018
    except AttributeError:
        pass
    else:
        raise AssertionError("BUD must reject undefined terms")


def test_every_term_has_chinese_and_english_labels_and_definitions():
    graph = _ontology()
    for name in vocabgen.terms(graph):
        term = URIRef(vocabgen.ONTOLOGY_NS + name)
        for prop in (RDFS.label, SKOS.definition):
            languages = {o.language for o in graph.objects(term, prop) if isinstance(o, Literal)}
            assert {"zh", "en"} <= languages, f"{name} lacks a zh/en {prop}"


def test_every_term_is_defined_by_the_ontology():
    graph = _ontology()
    ontology = URIRef("https://budget-kg.org/ontology")
    for name in vocabgen.terms(graph):
        assert (URIRef(vocabgen.ONTOLOGY_NS + name), RDFS.isDefinedBy, ontology) in graph, name
