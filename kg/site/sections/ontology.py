"""The ontology page (terms with labels, definitions, usage), term usage, the dataset page."""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox

from kg.site import terms
from kg.site.contexts import Cell, FactsSection, Link, LinksSection, Row, Section, TableSection
from kg.site.graph import OWL, RDF, SKOS, Label
from kg.site.pages import SiteData
from kg.site.paths import relative_href
from kg.site.sections.common import cached, text
from kg.site.ui import UI


# -- ontology terms -----------------------------------------------------------------------------

def usage_counts(data: SiteData) -> tuple[Counter[str], Counter[str]]:
    """(instances per class, triples per property) over the whole graph."""
    return data.graph.usage()


def class_usage(data: SiteData, iri: str, page: str) -> tuple[Section, ...]:
    classes, _ = cached(data, "usage", usage_counts)
    return (FactsSection(Label("用量", "Usage"), ((Label("实例数", "Instances"),
                                                  Cell(text=str(classes.get(iri, 0)), numeric=True)),)),)


def property_usage(data: SiteData, iri: str, page: str) -> tuple[Section, ...]:
    _, properties = cached(data, "usage", usage_counts)
    return (FactsSection(Label("用量", "Usage"), ((Label("三元组数", "Triples"),
                                                  Cell(text=str(properties.get(iri, 0)), numeric=True)),)),)


TERM_KINDS = (
    (OWL + "Class", Label("类", "Class")),
    (OWL + "ObjectProperty", Label("对象属性", "Object property")),
    (OWL + "DatatypeProperty", Label("数据属性", "Datatype property")),
    (OWL + "AnnotationProperty", Label("注释属性", "Annotation property")),
    (RDF + "Property", Label("属性", "Property")),
)


def ontology_sections(data: SiteData, iri: str, page: str) -> tuple[Section, ...]:
    """The ontology's terms (its fragment IRIs on this page) with labels, definitions and usage."""
    g = data.graph
    classes, properties = cached(data, "usage", usage_counts)
    prefix = iri.rstrip("#/") + "#"
    rows = []
    for term in data.pages.get(page, ()):
        if not term.startswith(prefix):
            continue
        types = g.types(term)
        kind = next(((i, label) for i, (cls, label) in enumerate(TERM_KINDS) if cls in types), None)
        if kind is None:
            continue
        definition = {(o.language or "")[:2]: o.value for o in g.objects(term, SKOS + "definition")
                      if isinstance(o, ox.Literal)}
        label = g.label(term)
        usage = classes.get(term, 0) if kind[0] == 0 else properties.get(term, 0)
        rows.append((kind[0], term, Row(cells=(
            Cell(link=Link(term[len(prefix):], data.href(term, page), iri=term)),
            Cell(text=kind[1].zh + " / " + kind[1].en),
            Cell(text=label.zh), Cell(text=label.en if label.en != label.zh else ""),
            Cell(text=definition.get("zh", "")), Cell(text=definition.get("en", "")),
            Cell(text=str(usage), numeric=True),
        ))))
    if not rows:
        return ()
    rows.sort(key=lambda r: (r[0], r[1]))
    return (TableSection(Label("术语", "Terms"),
                         (Label("术语", "Term"), Label("种类", "Kind"), Label("中文名", "Chinese label"),
                          Label("英文名", "English label"), Label("定义", "Definition"),
                          Label("英文定义", "Definition (English)"), Label("用量", "Usage")),
                         tuple(r[2] for r in rows),
                         note=Label("用量：类为实例数，属性为三元组数。", "Usage: instances of a class, triples of a property."),
                         anchor="terms"),)


def dataset_sections(data: SiteData, iri: str, page: str) -> tuple[Section, ...]:
    """The dataset description page: the downloads this site carries and the validation report."""
    links = [Link(path.rsplit("/", 1)[-1], relative_href(page, path)) for path in sorted(data.files)
             if path.startswith("dumps/")]
    links.append(Link(UI["validation"].zh, relative_href(page, "validation.html"), en=UI["validation"].en, ui=True))
    return (LinksSection(Label("下载", "Downloads"), tuple(links), anchor="downloads"),)
