from rdflib import Literal, URIRef
from rdflib.namespace import SKOS

from kg.analyze.classify import classify
from kg.analyze.taxonomy import load_taxonomy, taxonomy_graph


def test_every_area_has_zh_and_en_labels_and_definitions():
    graph = taxonomy_graph()
    taxonomy = load_taxonomy()
    assert len(taxonomy.areas) >= 14
    for area in taxonomy.areas:
        for prop in (SKOS.prefLabel, SKOS.definition):
            langs = {o.language for o in graph.objects(URIRef(area.iri), prop) if isinstance(o, Literal)}
            assert {"zh", "en"} <= langs, (area.slug, prop)
        assert area.fallback or area.terms, area.slug


def test_one_fallback_area_and_operations_do_not_tie_duties():
    taxonomy = load_taxonomy()
    assert taxonomy.fallback.slug == "general-affairs"
    assert not taxonomy.by_slug("bureau-operations").ties_duties
    assert taxonomy.by_slug("fund-supervision").ties_duties


def test_every_duty_and_project_of_the_samples_has_an_area(gold_facts):
    from kg.analyze.links import project_text

    taxonomy = load_taxonomy()
    for facts in gold_facts:
        for duty in facts.duties:
            assert classify(duty.text, taxonomy), duty
        for project in facts.projects:
            assert classify(project_text(project), taxonomy), project.name


def test_classification_examples(gold_by_doc):
    taxonomy = load_taxonomy()
    slugs = lambda text: {h.area.slug for h in classify(text, taxonomy)}  # noqa: E731
    duties = {d.ordinal: d.text for d in gold_by_doc["001"].duties}
    assert "special-groups" in slugs(duties[13])
    assert "informatization" in slugs(duties[12])
    assert slugs(duties[16]) == {"general-affairs"}
    d002 = {d.ordinal: d.text for d in gold_by_doc["002"].duties}
    # a duty item headed 职能转变 describes the bureau: only general affairs, even if it names benefits
    assert slugs(d002[10]) == {"general-affairs"}
    assert slugs("医保局办公用房租赁费") == {"bureau-operations"}
    assert slugs("与本题无关的文字") == {"general-affairs"}
