"""The fast engine: compiled shapes run as set-based SPARQL on a pyoxigraph store.

The store holds one named graph per document (plus the ontology and code schemes); queries see
the union of the named graphs, so rules can use the shared code schemes, and every result is
attributed to the named graph(s) that describe its focus node (:func:`attribute_documents`).
Rules join facts through document-specific nodes (a budget, a table), never through shared
ones, so one document's figures are never mixed with another's.
"""

from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from collections.abc import Iterable, Mapping

import pyoxigraph as ox

from kg.validate.report import ValidationReport, ValidationResult, sort_results
from kg.validate.shapes import Check, ShapesIndex, compile_shapes

#: Graph IRIs that hold shared vocabulary, not documents (suffixes of the graph IRI).
SHARED_GRAPH_SUFFIXES = ("graph/ontology", "graph/codes", "graph/void", "graph/validation", "graph/default",
                         "graph/links", "graph/analysis", "graph/duty-areas")  # the last three: kg/analyze

_LINES = re.compile(r"\d+")
BUD = "https://budget-kg.org/ontology#"
SOURCE_LINE = BUD + "sourceLine"
_KINDS = (f"SELECT ?n ?l WHERE {{ ?k a <{BUD}StatementKind> ; <http://www.w3.org/2004/02/skos/core#notation> ?n ; "
          "<http://www.w3.org/2004/02/skos/core#prefLabel> ?l }")
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


def focus_lines(store: ox.Store, focus_nodes: Iterable[str]) -> dict[str, tuple[int, ...]]:
    """Focus IRI → its ``bud:sourceLine`` numbers, sorted."""
    iris = sorted({f for f in focus_nodes if not f.startswith("_:")})
    found: dict[str, set[int]] = {}
    for i in range(0, len(iris), 400):
        chunk = " ".join(f"<{f}>" for f in iris[i:i + 400])
        q = f"SELECT ?s ?n WHERE {{ VALUES ?s {{ {chunk} }} ?s <{SOURCE_LINE}> ?n }}"
        for row in store.query(q, use_default_graph_as_union=True):  # type: ignore[union-attr]
            if row["n"].value.isdigit():
                found.setdefault(row["s"].value, set()).add(int(row["n"].value))
    return {k: tuple(sorted(v)) for k, v in found.items()}


def focus_keys(store: ox.Store, focus_nodes: Iterable[str]) -> dict[str, str]:
    """Focus IRI → its ``bud:statementKey`` (statements only)."""
    iris = sorted({f for f in focus_nodes if not f.startswith("_:")})
    found: dict[str, str] = {}
    for i in range(0, len(iris), 400):
        chunk = " ".join(f"<{f}>" for f in iris[i:i + 400])
        q = f"SELECT ?s ?k WHERE {{ VALUES ?s {{ {chunk} }} ?s <{BUD}statementKey> ?k }}"
        for row in store.query(q, use_default_graph_as_union=True):  # type: ignore[union-attr]
            found[row["s"].value] = min(row["k"].value, found.get(row["s"].value, row["k"].value))
    return found


def statement_kinds(store: ox.Store) -> dict[str, dict[str, str]]:
    """Notation → {language: label} of the ontology's ``bud:StatementKind`` individuals."""
    kinds: dict[str, dict[str, str]] = {}
    for row in store.query(_KINDS, use_default_graph_as_union=True):  # type: ignore[union-attr]
        label = row["l"]
        if isinstance(label, ox.Literal) and label.language:
            kinds.setdefault(row["n"].value, {}).setdefault(label.language, label.value)
    return kinds


def kind_labels(key: str, kinds: Mapping[str, Mapping[str, str]]) -> tuple[str, str]:
    """(zh, en) name of a statement key: its kind's labels, else its base's and suffix's
    (``revenue_total.previous`` → 收入合计上年数, "revenue total (previous year)"), else the key."""
    whole = kinds.get(key, {})
    if "zh" in whole and "en" in whole:
        return whole["zh"], whole["en"].lower()
    base, _, suffix = key.rpartition(".")
    b, s = kinds.get(base, {}), kinds.get(suffix, {})
    if all(lang in kind for kind in (b, s) for lang in ("zh", "en")):
        return b["zh"] + s["zh"], f"{b['en'].lower()} ({s['en'].lower()})"
    return key, key


def cite_kind(result: ValidationResult, zh: str, en: str) -> ValidationResult:
    """The result with ``{?kind}`` in its messages filled, in each message's language."""
    return replace(result, message=fill(result.message, {"kind": en}), message_zh=fill(result.message_zh, {"kind": zh}))


def cite_lines(result: ValidationResult, lines: tuple[int, ...]) -> ValidationResult:
    """The result with the focus node's source lines merged in and named at the end of its messages."""
    if not lines:
        return result
    shown = lines[:8]
    more = "…" if len(lines) > len(shown) else ""
    en = f" (line{'s' if len(lines) > 1 else ''} {', '.join(map(str, shown))}{more})"
    zh = f"（第 {'、'.join(map(str, shown))}{more} 行）"
    return replace(
        result,
        source_lines=tuple(sorted(set(result.source_lines) | set(lines))),
        message=result.message + en if result.message else result.message,
        message_zh=result.message_zh + zh if result.message_zh else result.message_zh,
    )


def cite_document(result: ValidationResult) -> ValidationResult:
    """The result with its document's name (the graph IRI's last segment) opening its messages."""
    if not result.document:
        return result
    name = result.document.rstrip("/").rsplit("/", 1)[-1]
    return replace(result, message=f"{name}: {result.message}" if result.message else "",
                   message_zh=f"{name}：{result.message_zh}" if result.message_zh else "")


def with_documents(store: ox.Store, results: Iterable[ValidationResult], documents: tuple[str, ...],
                   cite: frozenset[str] = frozenset(), cite_docs: frozenset[str] = frozenset(),
                   cite_kinds: frozenset[str] = frozenset()) -> tuple[ValidationResult, ...]:
    """Results with their documents; for the rules in ``cite`` the focus node's source lines, for
    those in ``cite_docs`` the document's name and for those in ``cite_kinds`` the focus statement's
    kind are added to the messages (both engines alike). The kinds are looked up here, not in the
    rules' queries: label joins there made Virtuoso return wrong rows (docs/remote-store.md)."""
    results = list(results)
    where = attribute_documents(store, (r.focus for r in results), documents)
    lines = focus_lines(store, (r.focus for r in results if r.rule in cite))
    keyed = [r.focus for r in results if r.rule in cite_kinds]
    keys = focus_keys(store, keyed) if keyed else {}
    kinds = statement_kinds(store) if keys else {}
    done = []
    for r in results:
        if not r.document:
            r = replace(r, document=where.get(r.focus))
        if r.rule in cite_kinds:
            key = keys.get(r.focus)
            r = cite_kind(r, *kind_labels(key, kinds)) if key else r
        if r.rule in cite:
            r = cite_lines(r, lines.get(r.focus, ()))
        if r.rule in cite_docs:
            r = cite_document(r)
        done.append(r)
    return sort_results(done)


def run_checks(store: ox.Store, checks: Iterable[Check], pool: ThreadPoolExecutor | None = None) -> list[ValidationResult]:
    """Every check's results on ``store``, in the checks' order; on ``pool``'s threads when given
    (pyoxigraph releases the GIL while it evaluates a query)."""
    found = pool.map(lambda c: run_check(store, c), checks) if pool is not None else (run_check(store, c) for c in checks)
    return [r for part in found for r in part]


def validate_store(store: ox.Store, index: ShapesIndex, checks: tuple[Check, ...] | None = None,
                   workers: int | None = None) -> ValidationReport:
    """Run every compiled check of ``index`` on ``store``.

    pyoxigraph releases the GIL while it evaluates a query, so the checks run on ``workers`` threads
    (default: the number of CPUs); the report does not depend on the order they finish in.
    """
    checks = checks if checks is not None else compile_shapes(index)
    workers = workers or os.cpu_count() or 1
    if workers > 1 and len(checks) > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            results = run_checks(store, checks, pool)
    else:
        results = run_checks(store, checks)
    documents = document_graphs(store)
    return ValidationReport(
        results=with_documents(store, results, documents, index.cite_lines, index.cite_documents, index.cite_kinds),
        rules=index.rules,
        documents=documents,
        engine="oxigraph",
        triples=len(store),
    )
