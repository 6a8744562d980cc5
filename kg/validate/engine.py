"""The fast engine: compiled shapes run as set-based SPARQL on a pyoxigraph store.

The store holds one named graph per document (plus the ontology and code schemes); queries see
the union of the named graphs, so rules can use the shared code schemes, and every result is
attributed to the named graph(s) that describe its focus node (:func:`attribute_documents`).
Rules join facts through document-specific nodes (a budget, a table), never through shared
ones, so one document's figures are never mixed with another's.
"""

from __future__ import annotations

import re
from dataclasses import replace
from collections.abc import Iterable, Mapping

import pyoxigraph as ox

from kg.validate.report import ValidationReport, ValidationResult, sort_results
from kg.validate.shapes import Check, ShapesIndex, compile_shapes

#: Graph IRIs that hold shared vocabulary, not documents (suffixes of the graph IRI).
SHARED_GRAPH_SUFFIXES = ("graph/ontology", "graph/codes", "graph/void", "graph/validation", "graph/default",
                         "graph/links", "graph/analysis", "graph/duty-areas")  # the last three: kg/analyze

_LINES = re.compile(r"\d+")
_RESERVED = {"this", "value", "path", "lines", "failure"}  # ?line / ?otherLine stay in values too


def term_text(term: object) -> str:
    """Lexical form of a literal, the IRI of a named node, ``_:id`` of a blank node."""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(getattr(term, "value", term))


def fill(template: str, bindings: Mapping[str, str]) -> str:
    """Fill ``{?var}`` / ``{$var}`` placeholders (as pySHACL does); unbound ones stay as written."""
    for name, text in bindings.items():
        template = template.replace("{?" + name + "}", text).replace("{$" + name + "}", text)
    return template


def parse_lines(text: str | None) -> tuple[int, ...]:
    """Source line numbers from a ``?lines`` binding such as ``"12 13,14"``."""
    return tuple(sorted({int(n) for n in _LINES.findall(text or "")}))


def result_from(check: Check, bindings: Mapping[str, str]) -> ValidationResult:
    """A result from one solution of a check's query (lexical values by variable name)."""
    focus = bindings["this"]
    value = bindings.get("value")
    if value is None and check.value_is_focus:
        value = focus
    path = bindings.get("path") or check.path
    filled = dict(bindings)
    if value is not None:
        filled["value"] = value
    msgs = {lang: (fill(t, filled) if check.fill_messages else t) for lang, t in check.messages}
    return ValidationResult(
        rule=check.rule,
        severity=check.severity,
        focus=focus,
        component=check.component,
        path=path,
        value=value,
        message=msgs.get("en", ""),
        message_zh=msgs.get("zh", ""),
        values=tuple(sorted((k, v) for k, v in bindings.items() if k not in _RESERVED)),
        source_lines=parse_lines(" ".join(bindings.get(k, "") for k in ("line", "lines", "otherLine"))),
    )


def run_check(store: ox.Store, check: Check) -> list[ValidationResult]:
    solutions = store.query(check.query, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    names = [v.value for v in solutions.variables]
    out = []
    for row in solutions:
        bindings = {n: term_text(row[n]) for n in names if row[n] is not None}
        if "this" in bindings:
            out.append(result_from(check, bindings))
    return out


def document_graphs(store: ox.Store) -> tuple[str, ...]:
    """Named graphs that hold documents (not the shared ontology / code schemes)."""
    return tuple(sorted(
        g.value for g in store.named_graphs()
        if isinstance(g, ox.NamedNode) and not g.value.endswith(SHARED_GRAPH_SUFFIXES)
    ))


def attribute_documents(store: ox.Store, focus_nodes: Iterable[str], documents: Iterable[str]) -> dict[str, str]:
    """Focus IRI → the first document graph (sorted) in which it is a subject."""
    docs = set(documents)
    iris = sorted({f for f in focus_nodes if not f.startswith("_:")})
    found: dict[str, str] = {}
    for i in range(0, len(iris), 400):
        chunk = " ".join(f"<{f}>" for f in iris[i:i + 400])
        q = f"SELECT ?s ?g WHERE {{ VALUES ?s {{ {chunk} }} GRAPH ?g {{ ?s ?p ?o }} }}"
        for row in store.query(q):  # type: ignore[union-attr]
            s, g = row["s"].value, row["g"].value
            if g in docs and (s not in found or g < found[s]):
                found[s] = g
    return found


def with_documents(store: ox.Store, results: Iterable[ValidationResult], documents: tuple[str, ...]) -> tuple[ValidationResult, ...]:
    results = list(results)
    where = attribute_documents(store, (r.focus for r in results), documents)
    return sort_results([
        r if r.document else replace(r, document=where.get(r.focus)) for r in results
    ])


def validate_store(store: ox.Store, index: ShapesIndex, checks: tuple[Check, ...] | None = None) -> ValidationReport:
    """Run every compiled check of ``index`` on ``store``."""
    checks = checks if checks is not None else compile_shapes(index)
    results: list[ValidationResult] = []
    for check in checks:
        results.extend(run_check(store, check))
    documents = document_graphs(store)
    return ValidationReport(
        results=with_documents(store, results, documents),
        rules=index.rules,
        documents=documents,
        engine="oxigraph",
        triples=len(store),
    )
