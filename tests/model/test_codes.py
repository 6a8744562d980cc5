"""Code schemes: ancestors with names, broader from prefixes, both labels kept."""

from __future__ import annotations

import rdflib
from rdflib.namespace import SKOS

from kg.extract.facts import DocumentFacts, EconomicLine, FunctionLine
from kg.model.codes import ancestors, indicator_categories, match_class, parent, scheme_quads
from kg.model.iris import Iris
from kg.model.terms import to_dataset
from kg.vocab import BUD


def _codes_graph(quads) -> rdflib.Graph:
    graph = rdflib.Graph()
    for s, p, o, g in to_dataset(quads).quads((None, None, None, rdflib.URIRef(Iris().graph("codes")))):
        graph.add((s, p, o))
    return graph


def test_prefix_hierarchy():
    assert parent("2101501") == "21015" and parent("21015") == "210" and parent("210") is None
    assert ancestors("3010201") == ["30102", "301"]


def test_every_used_function_code_has_named_ancestors(gold_facts, gold_quads):
    graph = _codes_graph(gold_quads)
    used = {c for f in gold_facts for c in [line.code for line in f.function_lines] if c}
    used |= {c for f in gold_facts for p in f.projects for c in p.function_codes}
    iris = Iris()
    assert used
    for code in used:
        for c in [code, *ancestors(code)]:
            concept = rdflib.URIRef(iris.function_code(c))
            assert (concept, rdflib.RDF.type, BUD.FunctionCode) in graph, c
            labels = [o for o in graph.objects(concept, SKOS.prefLabel) if o.language == "zh"]
            assert len(labels) == 1, (c, labels)
            up = parent(c)
            if up:
                assert (concept, SKOS.broader, rdflib.URIRef(iris.function_code(up))) in graph


def test_same_code_named_differently_keeps_both_labels():
    facts = [
        DocumentFacts("a.txt", function_lines=(FunctionLine("表", "2101599", "其他医疗保障管理事务支出"),)),
        DocumentFacts("b.txt", function_lines=(FunctionLine("表", "2101599", "其他医疗保障支出"),),
                      economic_lines=(EconomicLine("表", "30229", "女同志卫生费"),)),
    ]
    graph = _codes_graph(scheme_quads(facts, Iris(), Iris().graph("codes")))
    concept = rdflib.URIRef(Iris().function_code("2101599"))
    names = {str(o) for o in graph.objects(concept, SKOS.prefLabel) if o.language == "zh"}
    names |= {str(o) for o in graph.objects(concept, SKOS.altLabel)}
    assert names == {"其他医疗保障管理事务支出", "其他医疗保障支出"}
    welfare = rdflib.URIRef(Iris().economic_code("30229"))
    assert {str(o) for o in graph.objects(welfare, SKOS.prefLabel) if o.language == "zh"} == {"福利费"}
    assert {str(o) for o in graph.objects(welfare, SKOS.altLabel)} == {"女同志卫生费"}
    # the ancestors come from the bundled tables
    assert (rdflib.URIRef(Iris().function_code("210")), SKOS.prefLabel, rdflib.Literal("卫生健康支出", lang="zh")) in graph
    assert (rdflib.URIRef(Iris().economic_code("302")), SKOS.prefLabel, rdflib.Literal("商品和服务支出", lang="zh")) in graph


def test_category_names_match_classes_including_former_names():
    assert match_class("function", "七、医疗卫生与计划生育支出") == "210"
    assert match_class("function", "住房保障支出") == "221"
    assert match_class("economic", "对个人和家庭的补助支出") == "303"
    assert match_class("function", "不是一个类") is None


def test_indicator_framework_matching():
    assert indicator_categories("效果指标", "社会效益指标") == ("outcome", "outcome/social")
    assert indicator_categories("服务对象满意度指标", "服务对象满意度指标") == (
        "satisfaction", "satisfaction/service-recipient")
    assert indicator_categories(None, "时效指标") == ("output", "output/timeliness")
    assert indicator_categories("奇怪指标", None) == (None, None)
