"""The reference engine: pySHACL. The only module that imports pyshacl.

Used by the tests (and ``kg validate --engine pyshacl``) to check that the fast engine gives the
same results. Safety switches (notes/security.md §2.4): no ``owl:imports`` fetching, parsed
``Graph`` objects only (never strings, which pyshacl would fetch or open), no inference, no
SHACL-JS, no advanced features, and rdflib's ``SPARQL_LOAD_GRAPHS`` off so that no query can load a
graph from a URL or file. pyshacl patches rdflib globals while it runs: do not call this
concurrently with request handling.
"""

from __future__ import annotations

import re

import pyoxigraph as ox
import rdflib.plugins.sparql
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.validate.engine import document_graphs, term_text, with_documents
from kg.validate.report import ValidationReport, ValidationResult
from kg.validate.shapes import SH, ShapesIndex, path_label, rule_id

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_CJK = re.compile(r"[\u3400-\u9fff]")
_SEVERITY = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


def store_to_graph(store: ox.Store) -> Graph:
    """The union of all graphs of a pyoxigraph store as one rdflib Graph."""
    g = Graph()
    for q in store.quads_for_pattern(None, None, None, None):
        g.add((_rdflib(q.subject), _rdflib(q.predicate), _rdflib(q.object)))
    return g


def _rdflib(term: object) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    assert isinstance(term, ox.Literal)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == _XSD_STRING:
        return Literal(term.value)  # rdflib tells "x"^^xsd:string from "x"; RDF 1.1 does not
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def _text(node: Node | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, BNode):
        return f"_:{node}"
    return str(node)


def pyshacl_results(data: Graph, index: ShapesIndex) -> list[ValidationResult]:
    """Validate ``data`` with pyshacl and read its report graph back as results."""
    import pyshacl  # the only import of pyshacl in budget-kg

    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False
    _conforms, report, _text_report = pyshacl.validate(
        data_graph=data,
        shacl_graph=index.graph,
        inference="none",
        abort_on_first=False,
        allow_infos=True,
        allow_warnings=True,
        meta_shacl=False,
        advanced=False,
        js=False,
        do_owl_imports=False,
        debug=False,
    )
    if not isinstance(report, Graph):
        raise TypeError(f"pyshacl returned {type(report).__name__}, not a report graph")
    results = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        shape = report.value(r, SH.sourceShape)
        by_lang: dict[str, list[str]] = {}
        for m in report.objects(r, SH.resultMessage):
            lang = m.language if isinstance(m, Literal) and m.language else _language(index, shape, str(m))
            by_lang.setdefault(lang, []).append(str(m))
        zh, en = sorted(by_lang.get("zh", [])), sorted(by_lang.get("en", []))
        value = report.value(r, SH.value)
        results.append(ValidationResult(
            rule=rule_id(shape),
            severity=_SEVERITY.get(report.value(r, SH.resultSeverity), "Violation"),
            focus=_text(report.value(r, SH.focusNode)) or "",
            component=str(report.value(r, SH.sourceConstraintComponent)),
            path=path_label(report, report.value(r, SH.resultPath)),
            value=term_text_rdflib(value),
            message=en[0] if en else "",
            message_zh=zh[0] if zh else "",
        ))
    return results


def _language(index: ShapesIndex, shape: Node, text: str) -> str:
    """The language of a filled message: pyshacl drops the tag, so match it against the templates."""
    g = index.graph
    nodes = [shape, *g.objects(shape, SH.sparql)]
    for node in nodes:
        for template in g.objects(node, SH.message):
            pattern = re.sub(r"\\\{\\[?$]\w+\\\}", ".*", re.escape(str(template)))
            if re.fullmatch(pattern, text, re.DOTALL):
                return (template.language if isinstance(template, Literal) else None) or "en"
    return "zh" if _CJK.search(text) else "en"


def term_text_rdflib(node: Node | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, Literal):
        return str(node)
    return _text(node)


def validate_store_pyshacl(store: ox.Store, index: ShapesIndex) -> ValidationReport:
    """The same report as :func:`kg.validate.engine.validate_store`, computed by pyshacl."""
    documents = document_graphs(store)
    results = pyshacl_results(store_to_graph(store), index)
    return ValidationReport(
        results=with_documents(store, results, documents, index.cite_lines, index.cite_documents, index.cite_kinds),
        rules=index.rules,
        documents=documents,
        engine="pyshacl",
        triples=len(store),
    )


__all__ = ["pyshacl_results", "store_to_graph", "term_text", "validate_store_pyshacl"]
