"""Links and analysis results as RDF (terms in ``ontology/links.ttl``, areas in ``duty-areas.ttl``).

Three named graphs: ``{base}graph/links`` (DutyLink resources, ``bud:servesDuty`` shortcuts,
duty areas of duties and projects, no-duty findings), ``{base}graph/analysis`` (unfunded duties,
missing indicator kinds, spending by area, function codes → areas, bureau similarity) and
``{base}graph/duty-areas`` (the SKOS scheme and the link/analysis terms).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import PROV

from kg.analyze.classify import classify
from kg.analyze.iris import AnalysisIris
from kg.analyze.links import LinkResult, project_text
from kg.analyze.metrics import AnalysisReport
from kg.analyze.taxonomy import BUD, TAXONOMY_PATH, Taxonomy, load_taxonomy
from kg.extract.facts import DocumentFacts
from kg.model.iris import DEFAULT_BASE, Iris
from kg.model.terms import Lit, Term

LINKS_TERMS_PATH = TAXONOMY_PATH.with_name("links.ttl")


def _dec(value: float | Decimal) -> Literal:
    return Literal(Decimal(str(value)), datatype=XSD.decimal)


def _bind(graph: Graph) -> Graph:
    graph.bind("bud", BUD)
    graph.bind("area", "https://budget-kg.org/ontology/duty-area/")
    return graph


def _links(facts_list: Sequence[DocumentFacts], result: LinkResult, base_uri: str, taxonomy: Taxonomy,
           g: Any, t: Any) -> None:
    ids = AnalysisIris(Iris(base_uri))
    by_doc = {f.document: f for f in facts_list}
    project_iris = {f.document: ids.projects(f) for f in facts_list}
    BUD, URIRef, Literal, _dec = t.BUD, t.iri, t.lit, t.dec  # noqa: N806 (the rdflib names they stand for)
    for facts in facts_list:
        for duty in facts.duties:
            duty_iri = URIRef(ids.duty(facts, duty.ordinal))
            for hit in classify(duty.text, taxonomy):
                g.add((duty_iri, BUD.dutyArea, URIRef(hit.area.iri)))
        for index, project in enumerate(facts.projects):
            project_iri = URIRef(project_iris[facts.document][index])
            for hit in classify(project_text(project), taxonomy):
                g.add((project_iri, BUD.dutyArea, URIRef(hit.area.iri)))
    for link in result.links:
        facts = by_doc[link.document]
        project = URIRef(project_iris[link.document][link.project_index])
        duty = URIRef(ids.duty(facts, link.duty))
        node = URIRef(ids.link(str(project), link.duty))
        g.add((node, t.type, BUD.DutyLink))
        g.add((node, BUD.linkProject, project))
        g.add((node, BUD.linkDuty, duty))
        g.add((node, BUD.linkScore, _dec(link.score)))
        g.add((node, BUD.linkMethod, Literal(link.method)))
        g.add((node, t.derived, project))
        g.add((node, t.derived, duty))
        for piece in link.evidence:
            g.add((node, BUD.evidence, Literal(piece, lang="zh")))
        for slug in link.areas:
            g.add((node, BUD.sharedArea, URIRef(taxonomy.by_slug(slug).iri)))
        if link.note:
            g.add((node, t.comment, Literal(link.note)))
        g.add((project, BUD.servesDuty, duty))
    for finding in result.findings:
        project = URIRef(project_iris[finding.document][finding.project_index])
        node = URIRef(ids.no_duty(str(project)))
        g.add((node, t.type, BUD.ProjectWithoutDuty))
        g.add((node, BUD.findingAbout, project))
        g.add((node, BUD.reason, Literal(finding.reason)))
        g.add((node, t.comment, Literal(finding.message, lang="en")))


def _analysis(facts_list: Sequence[DocumentFacts], report: AnalysisReport, base_uri: str, taxonomy: Taxonomy,
              g: Any, t: Any) -> None:
    ids = AnalysisIris(Iris(base_uri))
    by_doc = {f.document: f for f in facts_list}
    BUD, URIRef, Literal, _dec = t.BUD, t.iri, t.lit, t.dec  # noqa: N806 (the rdflib names they stand for)
    for bureau in report.bureaus:
        facts = by_doc[bureau.document]
        budget = URIRef(ids.budget(facts))
        for unfunded in bureau.unfunded_duties:
            duty = URIRef(ids.duty(facts, unfunded.duty))
            node = URIRef(ids.unfunded(str(duty)))
            g.add((node, t.type, BUD.UnfundedDuty))
            g.add((node, BUD.findingAbout, duty))
            g.add((node, BUD.ofBudget, budget))
            g.add((node, BUD.substantive, Literal(unfunded.substantive)))
            g.add((node, BUD.reason, Literal("no-project-serves")))
        for missing in bureau.missing_indicator_kinds:
            project = URIRef(ids.project(facts, missing.project_index))
            node = URIRef(ids.missing_kinds(str(project)))
            g.add((node, t.type, BUD.MissingIndicatorKind))
            g.add((node, BUD.findingAbout, project))
            g.add((node, BUD.reason, Literal("no-indicators" if len(missing.missing) == 3 else "missing-level1-kind")))
            for kind in missing.missing:
                g.add((node, BUD.missingKind, Literal(kind, lang="zh")))
        for spend in bureau.spending_by_area:
            node = URIRef(ids.area_spending(str(budget), spend.area))
            g.add((node, t.type, BUD.AreaSpending))
            g.add((node, BUD.ofBudget, budget))
            g.add((node, BUD.area, URIRef(taxonomy.by_slug(spend.area).iri)))
            g.add((node, BUD.amount, _dec(spend.amount)))
            g.add((node, BUD.share, _dec(round(spend.share, 4))))
            g.add((node, BUD.projectCount, Literal(spend.projects)))
        for ca in bureau.code_areas:
            node = URIRef(ids.code_area(str(budget), ca.code, ca.area, ca.basis))
            g.add((node, t.type, BUD.CodeAreaFunding))
            g.add((node, BUD.ofBudget, budget))
            g.add((node, BUD.functionCode, URIRef(ids.iris.function_code(ca.code))))
            g.add((node, BUD.area, URIRef(taxonomy.by_slug(ca.area).iri)))
            g.add((node, BUD.attributionBasis, Literal(ca.basis)))
            if ca.amount is not None:
                g.add((node, BUD.amount, _dec(ca.amount)))
    for sim in report.similarities:
        a, b = by_doc[sim.a], by_doc[sim.b]
        node = URIRef(ids.similarity(a, b))
        g.add((node, t.type, BUD.BureauSimilarity))
        g.add((node, BUD.comparedBudget, URIRef(ids.budget(a))))
        g.add((node, BUD.comparedBudget, URIRef(ids.budget(b))))
        if sim.spending is not None:
            g.add((node, BUD.spendingSimilarity, _dec(sim.spending)))
        if sim.duties is not None:
            g.add((node, BUD.dutySimilarity, _dec(sim.duties)))


class _RdflibTerms:
    """rdflib terms, for the ``Graph`` builders."""

    BUD = BUD
    iri = URIRef
    lit = Literal
    dec = staticmethod(_dec)
    type, comment, derived = RDF.type, RDFS.comment, PROV.wasDerivedFrom


class _Names(dict):  # type: ignore[type-arg]
    """``names.X`` → the IRI ``namespace + X`` as a plain ``str`` (memoised)."""

    def __init__(self, namespace: str) -> None:
        super().__init__()
        self._namespace = namespace

    def __missing__(self, name: str) -> str:
        iri = self[name] = self._namespace + name
        return iri

    def __getattr__(self, name: str) -> str:
        return self[name]


def _plain_lit(value: object, lang: str | None = None) -> Lit:
    """What ``rdflib.Literal(value, lang=lang)`` is, as a :class:`~kg.model.terms.Lit` (the value types
    the builders use: text, bool, int)."""
    if isinstance(value, str):
        return Lit(value, None, lang)
    if isinstance(value, bool):
        return Lit("true" if value else "false", str(XSD.boolean))
    if type(value) is int:
        return Lit(str(value), str(XSD.integer))
    raise TypeError(f"no plain literal for {value!r}")


class _PlainTerms:
    """:mod:`kg.model.terms` terms (IRIs as ``str``, literals as ``Lit``), equal to the rdflib terms
    the same builders make once converted (:func:`kg.model.terms.from_rdflib`), without making them:
    what ``kg build`` needs (tests/analyze check the two agree)."""

    BUD = _Names(str(BUD))
    iri = str
    lit = staticmethod(_plain_lit)
    type, comment, derived = str(RDF.type), str(RDFS.comment), str(PROV.wasDerivedFrom)

    @staticmethod
    def dec(value: float | Decimal) -> Lit:
        return Lit(f"{Decimal(str(value)):f}", str(XSD.decimal))


def links_to_graph(facts_list: Sequence[DocumentFacts], result: LinkResult, base_uri: str = DEFAULT_BASE,
                   taxonomy: Taxonomy | None = None, into: Graph | None = None) -> Graph:
    """Link resources, ``bud:servesDuty``, areas of duties and projects, and no-duty findings
    (added to ``into`` when given, else to a new ``Graph``)."""
    g = _bind(Graph()) if into is None else into
    _links(facts_list, result, base_uri, taxonomy or load_taxonomy(), g, _RdflibTerms)
    return g  # type: ignore[return-value]


def analysis_to_graph(facts_list: Sequence[DocumentFacts], report: AnalysisReport, base_uri: str = DEFAULT_BASE,
                      taxonomy: Taxonomy | None = None, into: Graph | None = None) -> Graph:
    """Unfunded duties, missing indicator kinds, spending by area, codes → areas, similarity
    (added to ``into`` when given, else to a new ``Graph``)."""
    g = _bind(Graph()) if into is None else into
    _analysis(facts_list, report, base_uri, taxonomy or load_taxonomy(), g, _RdflibTerms)
    return g  # type: ignore[return-value]


def links_triples(facts_list: Sequence[DocumentFacts], result: LinkResult, base_uri: str = DEFAULT_BASE,
                  taxonomy: Taxonomy | None = None) -> set[tuple[str, str, Term]]:
    """:func:`links_to_graph`'s triples as :mod:`kg.model.terms` terms (made directly: no rdflib terms)."""
    triples: set[tuple[str, str, Term]] = set()
    _links(facts_list, result, base_uri, taxonomy or load_taxonomy(), triples, _PlainTerms)
    return triples


def analysis_triples(facts_list: Sequence[DocumentFacts], report: AnalysisReport, base_uri: str = DEFAULT_BASE,
                     taxonomy: Taxonomy | None = None) -> set[tuple[str, str, Term]]:
    """:func:`analysis_to_graph`'s triples as :mod:`kg.model.terms` terms."""
    triples: set[tuple[str, str, Term]] = set()
    _analysis(facts_list, report, base_uri, taxonomy or load_taxonomy(), triples, _PlainTerms)
    return triples


def terms_graph(taxonomy_path: Path = TAXONOMY_PATH, terms_path: Path = LINKS_TERMS_PATH) -> Graph:
    """The duty-area scheme and the link/analysis terms (I/O: reads the two Turtle files)."""
    g = _bind(Graph())
    g.parse(taxonomy_path, format="turtle")
    g.parse(terms_path, format="turtle")
    return g


def add_to_dataset(dataset: Dataset, facts_list: Sequence[DocumentFacts], result: LinkResult,
                   report: AnalysisReport, base_uri: str = DEFAULT_BASE) -> None:
    """Add the three named graphs (links, analysis, duty-areas) to a build's dataset."""
    ids = AnalysisIris(Iris(base_uri))
    for name, graph in (("links", links_to_graph(facts_list, result, base_uri)),
                        ("analysis", analysis_to_graph(facts_list, report, base_uri)),
                        ("duty-areas", terms_graph())):
        target = dataset.graph(URIRef(ids.graph(name)))
        for triple in graph:
            target.add(triple)
