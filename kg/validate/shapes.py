"""The shapes graph: loading ``shapes/*.ttl``, the rule catalogue, and the SHACL → SPARQL compiler.

:func:`compile_shapes` turns every constraint of every active shape into one set-based SPARQL
SELECT (a :class:`Check`) that finds *all* failing focus nodes at once, instead of one query per
focus node as a SHACL engine does:

- the SHACL Core subset used here (targets ``sh:targetClass`` with ``rdfs:subClassOf*``,
  ``sh:targetNode``, ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``; predicate, inverse,
  sequence, alternative and ``*``/``+``/``?`` paths; ``sh:minCount``, ``sh:maxCount``,
  ``sh:datatype``, ``sh:class``, ``sh:nodeKind``, ``sh:pattern``, ``sh:in``, ``sh:hasValue``,
  ``sh:languageIn``, ``sh:minLength``, ``sh:maxLength``, ``sh:min/maxIn/Exclusive``) is
  compiled; any other parameter is refused (:class:`ShapesError`), never silently skipped;
- SHACL-SPARQL constraints (``sh:sparql`` / ``sh:select``) run as written: ``$this`` becomes a
  variable bound by the shape's target pattern, inserted at the start of the WHERE clause.
  They must project ``$this`` and use no outer ``GROUP BY`` (aggregate in sub-selects that do
  not mention ``$this``), so that the set-based and the per-focus-node (pyshacl) readings agree.

Everything here is pure: the shapes are an ``rdflib.Graph``; only :func:`load_shapes` reads files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from kg.errors import KgError
from kg.validate.report import Rule

SH = Namespace("http://www.w3.org/ns/shacl#")
XSD_NS = "http://www.w3.org/2001/XMLSchema#"

#: The shapes shipped with budget-kg.
SHAPES_DIR = Path(__file__).resolve().parents[2] / "shapes"

_SEVERITY = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}

#: Parameters the compiler understands (anything else on a shape is an error).
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
_NON_CONSTRAINT = {
    RDF.type, RDFS.label, RDFS.comment, RDFS.seeAlso, RDFS.isDefinedBy, SH.message, SH.severity,
    SH.deactivated, SH.name, SH.description, SH.order, SH.group, SH.path, SH.property, SH.sparql,
    SH.flags, SH.declare, SH.prefixes, *_TARGETS,
}
_CORE = {
    SH.minCount, SH.maxCount, SH.datatype, SH["class"], SH.nodeKind, SH.pattern, SH["in"], SH.hasValue,
    SH.languageIn, SH.minLength, SH.maxLength, SH.minInclusive, SH.maxInclusive, SH.minExclusive,
    SH.maxExclusive,
}
_COMPONENT = {
    SH.minCount: "MinCount", SH.maxCount: "MaxCount", SH.datatype: "Datatype", SH["class"]: "Class",
    SH.nodeKind: "NodeKind", SH.pattern: "Pattern", SH["in"]: "In", SH.hasValue: "HasValue",
    SH.languageIn: "LanguageIn", SH.minLength: "MinLength", SH.maxLength: "MaxLength",
    SH.minInclusive: "MinInclusive", SH.maxInclusive: "MaxInclusive", SH.minExclusive: "MinExclusive",
    SH.maxExclusive: "MaxExclusive",
}


class ShapesError(KgError):
    """The shapes graph uses something the compiler does not support, or is malformed."""


@dataclass(frozen=True)
class Check:
    """One constraint of one shape, compiled to a set-based SPARQL SELECT."""

    rule: str
    """Rule id (local name of the shape)."""
    shape: str
    """Shape IRI."""
    severity: str
    """``Violation`` / ``Warning`` / ``Info``."""
    component: str
    """Constraint component IRI reported for results."""
    query: str
    """SELECT projecting ``?this`` and optionally ``?value``, ``?path`` and message variables."""
    path: str | None
    """The property shape's path (IRI, or SPARQL path text), ``None`` for node shapes."""
    messages: tuple[tuple[str, str], ...]
    """(language, template) pairs; ``{?var}``/``{$var}`` are filled from the bindings (SPARQL only)."""
    value_is_focus: bool
    """Node-shape constraints report the focus node as the value when ``?value`` is unbound."""
    fill_messages: bool
    """Whether message templates are filled from the query bindings (SHACL-SPARQL)."""


@dataclass(frozen=True)
class ShapesIndex:
    """The parsed shapes graph with its rule catalogue."""

    graph: Graph
    rules: tuple[Rule, ...]
    """One rule per shape that has constraints, in id order."""
    cite_lines: frozenset[str] = frozenset()
    """Rules whose messages get the focus node's source lines appended (their templates name none)."""
    cite_documents: frozenset[str] = frozenset()
    """Rules whose messages get the document's name prefixed (their templates have no ``{?doc}``)."""
    cite_kinds: frozenset[str] = frozenset()
    """Rules whose templates name the focus statement's kind (``{?kind}``), filled after the queries
    from the ontology's ``bud:StatementKind`` labels (:func:`kg.validate.engine.kind_labels`)."""


# --- loading ----------------------------------------------------------------------------------


def shape_files(paths: Iterable[Path] | None = None) -> list[Path]:
    """``shapes/*.ttl`` (or the given files / directories), sorted."""
    found: list[Path] = []
    for p in paths or [SHAPES_DIR]:
        found.extend(sorted(p.glob("*.ttl")) if p.is_dir() else [p])
    return found


def load_shapes(paths: Iterable[Path] | None = None) -> ShapesIndex:
    """Parse shape files (Turtle, local files only) and build the rule catalogue."""
    graph = Graph()
    groups: dict[Node, str] = {}
    for path in shape_files(paths):
        part = Graph()
        try:
            part.parse(data=path.read_text(encoding="utf-8"), format="turtle", publicID=path.resolve().as_uri())
        except OSError as exc:
            raise ShapesError(f"cannot read shapes file {path}: {exc.strerror}") from exc
        except Exception as exc:  # rdflib raises several parser exception types
            raise ShapesError(f"{path.name}: not valid Turtle: {exc}") from exc
        for shape in _shapes_in(part):
            groups.setdefault(shape, path.stem.split(".")[0])
        graph += part
    for prefix, ns in graph.namespaces():
        graph.bind(prefix, ns, override=False)
    return index_shapes(graph, groups)


def index_shapes(graph: Graph, groups: dict[Node, str] | None = None) -> ShapesIndex:
    """The rule catalogue of an already parsed shapes graph."""
    rules = []
    for shape in _shapes_in(graph):
        if not _has_constraints(graph, shape) or _deactivated(graph, shape):
            continue
        rules.append(Rule(
            id=rule_id(shape),
            severity=severity_of(graph, shape),
            group=(groups or {}).get(shape, "shapes"),
            title_en=_label(graph, shape, "en"),
            title_zh=_label(graph, shape, "zh"),
            shape=str(shape),
        ))
    ids = [r.id for r in rules]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ShapesError(f"rule ids must be unique; repeated: {', '.join(dupes)}")
    cite = frozenset(r.id for r in rules if not _templates_name(graph, URIRef(r.shape), "line"))
    docs = frozenset(r.id for r in rules if not _templates_name(graph, URIRef(r.shape), "doc"))
    kinds = frozenset(r.id for r in rules if _templates_name(graph, URIRef(r.shape), "kind}"))
    return ShapesIndex(graph, tuple(sorted(rules, key=lambda r: r.id)), cite, docs, kinds)


def _templates_name(g: Graph, shape: Node, var: str) -> bool:
    """Whether the shape's message templates have a ``{?var…}`` placeholder."""
    nodes = [shape, *g.objects(shape, SH.sparql)]
    return any(f"{{?{var}" in str(m) or f"{{${var}" in str(m) for n in nodes for m in g.objects(n, SH.message))


def subset(index: ShapesIndex, rule_ids: Iterable[str]) -> ShapesIndex:
    """The shapes graph reduced to some rules (their shapes, property shapes and prefixes)."""
    wanted = set(rule_ids)
    unknown = wanted - {r.id for r in index.rules}
    if unknown:
        raise ShapesError(f"unknown rule(s): {', '.join(sorted(unknown))}")
    g = index.graph
    out = Graph()
    for prefix, ns in g.namespaces():
        out.bind(prefix, ns)
    todo: list[Node] = [URIRef(r.shape) for r in index.rules if r.id in wanted]
    seen: set[Node] = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in g.predicate_objects(node):
            out.add((node, p, o))
            if not isinstance(o, Literal) and (p in (SH.property, SH.sparql, SH.prefixes, SH.declare, SH.path)
                                               or not isinstance(o, URIRef) or p in (RDF.first, RDF.rest)):
                todo.append(o)
    groups = {URIRef(r.shape): r.group for r in index.rules if r.id in wanted}
    return index_shapes(out, groups)


def _shapes_in(g: Graph) -> list[Node]:
    found = set(g.subjects(RDF.type, SH.NodeShape)) | set(g.subjects(RDF.type, SH.PropertyShape))
    found |= set(g.objects(None, SH.property))
    for t in _TARGETS:
        found |= set(g.subjects(t, None))
    return sorted(found, key=str)


def _has_constraints(g: Graph, shape: Node) -> bool:
    return any(p in _CORE or p == SH.sparql for p in g.predicates(shape, None))


def _deactivated(g: Graph, shape: Node) -> bool:
    return any(isinstance(v, Literal) and v.toPython() is True for v in g.objects(shape, SH.deactivated))


def _label(g: Graph, shape: Node, lang: str) -> str:
    for lit in g.objects(shape, RDFS.label):
        if isinstance(lit, Literal) and (lit.language or "en") == lang:
            return str(lit)
    return ""


def rule_id(shape: Node) -> str:
    """The stable id of a shape: its IRI's local name. Blank-node shapes have no stable id."""
    if not isinstance(shape, URIRef):
        raise ShapesError("every shape with constraints needs an IRI (its local name is the rule id)")
    return re.split(r"[#/]", str(shape))[-1]


def severity_of(g: Graph, shape: Node) -> str:
    sev = g.value(shape, SH.severity)
    if sev is None:
        return "Violation"
    if sev not in _SEVERITY:
        raise ShapesError(f"{rule_id(shape)}: unknown severity {sev}")
    return _SEVERITY[sev]


# --- paths and terms --------------------------------------------------------------------------


def term_sparql(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3()
    raise ShapesError(f"blank node {term} cannot be used as a constant")


def path_sparql(g: Graph, path: Node) -> str:
    """SPARQL property-path text for a SHACL path node."""
    if isinstance(path, URIRef):
        return f"<{path}>"
    if (path, RDF.first, None) in g:
        return "(" + "/".join(path_sparql(g, p) for p in Collection(g, path)) + ")"
    for prop, fmt in ((SH.inversePath, "^({})"), (SH.zeroOrMorePath, "({})*"),
                      (SH.oneOrMorePath, "({})+"), (SH.zeroOrOnePath, "({})?")):
        inner = g.value(path, prop)
        if inner is not None:
            return fmt.format(path_sparql(g, inner))
    alt = g.value(path, SH.alternativePath)
    if alt is not None:
        return "(" + "|".join(path_sparql(g, p) for p in Collection(g, alt)) + ")"
    raise ShapesError(f"unsupported path {path}")


def path_label(g: Graph, path: Node | None) -> str | None:
    """How a result path is reported: the IRI for a predicate path, else its SPARQL text."""
    if path is None:
        return None
    return str(path) if isinstance(path, URIRef) else path_sparql(g, path)


def _messages(g: Graph, *nodes: Node) -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = []
    for node in nodes:
        for m in g.objects(node, SH.message):
            if isinstance(m, Literal):
                out.append((m.language or "en", str(m)))
    return tuple(sorted(set(out)))


# --- targets ----------------------------------------------------------------------------------


def target_pattern(g: Graph, shape: Node) -> str | None:
    """A group pattern binding ``?this`` to each focus node of ``shape`` (no duplicates)."""
    parts: list[str] = []
    for cls in sorted(g.objects(shape, SH.targetClass), key=str):
        # The instances of cls and of its subclasses, without a zero-length path (`a/rdfs:subClassOf*`):
        # Virtuoso evaluates that form wrongly once the pattern is joined with others.
        c = term_sparql(cls)
        parts.append(f"{{ SELECT DISTINCT ?this WHERE {{ {{ ?this <{RDF.type}> {c} }} UNION "
                     f"{{ ?this <{RDF.type}> ?_tc . ?_tc <{RDFS.subClassOf}>+ {c} }} }} }}")
    nodes = sorted(g.objects(shape, SH.targetNode), key=str)
    if nodes:
        parts.append("{ VALUES ?this { " + " ".join(term_sparql(n) for n in nodes) + " } }")
    for p in sorted(g.objects(shape, SH.targetSubjectsOf), key=str):
        parts.append(f"{{ SELECT DISTINCT ?this WHERE {{ ?this {term_sparql(p)} ?_t }} }}")
    for p in sorted(g.objects(shape, SH.targetObjectsOf), key=str):
        parts.append(f"{{ SELECT DISTINCT ?this WHERE {{ ?_t {term_sparql(p)} ?this }} }}")
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(parts) + " } }"


# --- compiling --------------------------------------------------------------------------------


def compile_shapes(index: ShapesIndex) -> tuple[Check, ...]:
    """Every constraint of every active shape as a set-based SPARQL query."""
    g = index.graph
    checks: list[Check] = []
    for shape in _shapes_in(g):
        if _deactivated(g, shape) or not _has_targets(g, shape):
            continue  # shapes without targets of their own are compiled with their node shape
        target = target_pattern(g, shape)
        assert target is not None
        checks.extend(_compile_shape(g, shape, target))
        for prop in sorted(g.objects(shape, SH.property), key=str):
            if _deactivated(g, prop):
                continue
            checks.extend(_compile_shape(g, prop, target))
    return tuple(sorted(checks, key=lambda c: (c.rule, c.component, c.query)))


def _has_targets(g: Graph, shape: Node) -> bool:
    return any((shape, t, None) in g for t in _TARGETS)


def _compile_shape(g: Graph, shape: Node, target: str) -> list[Check]:
    for p in set(g.predicates(shape, None)):
        if p not in _CORE and p not in _NON_CONSTRAINT:
            raise ShapesError(f"{shape}: unsupported SHACL parameter {p}")
    if not _has_constraints(g, shape):
        return []
    rid = rule_id(shape)
    severity = severity_of(g, shape)
    path_node = g.value(shape, SH.path)
    path = path_sparql(g, path_node) if path_node is not None else None
    messages = _messages(g, shape)
    checks = []
    for param in sorted(set(g.predicates(shape, None)) & _CORE, key=str):
        for arg in sorted(g.objects(shape, param), key=str):
            body = _core_body(g, shape, param, arg, path)
            if param in (SH.minCount, SH.maxCount):
                query = body.replace("TARGET", target)
            else:
                query = f"SELECT DISTINCT ?this ?value WHERE {{ {target} {body} }}"
            checks.append(Check(
                rule=rid, shape=str(shape), severity=severity,
                component=f"{SH}{_COMPONENT[param]}ConstraintComponent",
                query=query, path=path_label(g, path_node), messages=messages,
                value_is_focus=False, fill_messages=False,
            ))
    for constraint in sorted(g.objects(shape, SH.sparql), key=str):
        if _deactivated(g, constraint):
            continue
        checks.append(Check(
            rule=rid, shape=str(shape), severity=severity,
            component=f"{SH}SPARQLConstraintComponent",
            query=sparql_constraint_query(g, constraint, target, path),
            path=path_label(g, path_node), messages=_messages(g, constraint, shape),
            value_is_focus=path_node is None, fill_messages=True,
        ))
    return checks


def _same_term(term: Node, var: str = "?value") -> str:
    """``sameTerm(var, term)`` in a form Virtuoso evaluates as written: its ``sameTerm`` is false
    for an equal IRI or string, so IRIs are compared with ``=`` (term equality for IRIs) and
    literals by lexical form, datatype and language tag."""
    if isinstance(term, URIRef):
        return f"(isIRI({var}) && {var} = <{term}>)"
    if isinstance(term, Literal):
        lexical = Literal(str(term)).n3()
        if term.language:
            return f"(isLiteral({var}) && LANG({var}) = {Literal(term.language).n3()} && STR({var}) = {lexical})"
        datatype = term.datatype or URIRef(XSD_NS + "string")
        return (f"(isLiteral({var}) && LANG({var}) = \"\" && datatype({var}) = <{datatype}> "
                f"&& STR({var}) = {lexical})")
    raise ShapesError(f"blank node {term} cannot be used as a constant")


def _core_body(g: Graph, shape: Node, param: Node, arg: Node, path: str | None) -> str:
    """The WHERE body (after the target) finding ``?this``/``?value`` that fail one parameter."""
    values = f"?this {path} ?value ." if path else "BIND(?this AS ?value)"
    if param == SH.minCount:
        n = int(arg)
        if path is None:
            raise ShapesError(f"{shape}: sh:minCount needs a sh:path")
        if n == 1:
            return f"SELECT DISTINCT ?this WHERE {{ TARGET FILTER NOT EXISTS {{ ?this {path} ?_v }} }}"
        return (f"SELECT ?this WHERE {{ TARGET OPTIONAL {{ ?this {path} ?_v }} }} "
                f"GROUP BY ?this HAVING (COUNT(DISTINCT ?_v) < {n})")
    if param == SH.maxCount:
        if path is None:
            raise ShapesError(f"{shape}: sh:maxCount needs a sh:path")
        return (f"SELECT ?this WHERE {{ TARGET ?this {path} ?_v }} "
                f"GROUP BY ?this HAVING (COUNT(DISTINCT ?_v) > {int(arg)})")
    if param == SH.datatype:
        return f"{values} FILTER(!isLiteral(?value) || datatype(?value) != {term_sparql(arg)})"
    if param == SH["class"]:
        # Not ``?value a/rdfs:subClassOf* C``: Virtuoso keeps every row when a zero-length path is
        # inside NOT EXISTS. The direct type and the ``+`` path in a UNION mean the same everywhere.
        cls = term_sparql(arg)
        return (f"{values} FILTER NOT EXISTS {{ {{ ?value <{RDF.type}> {cls} }} UNION "
                f"{{ ?value <{RDF.type}> ?_c . ?_c <{RDFS.subClassOf}>+ {cls} }} }}")
    if param == SH.nodeKind:
        tests = {
            SH.IRI: "isIRI(?value)", SH.Literal: "isLiteral(?value)", SH.BlankNode: "isBlank(?value)",
            SH.BlankNodeOrIRI: "(isBlank(?value) || isIRI(?value))",
            SH.BlankNodeOrLiteral: "(isBlank(?value) || isLiteral(?value))",
            SH.IRIOrLiteral: "(isIRI(?value) || isLiteral(?value))",
        }
        if arg not in tests:
            raise ShapesError(f"{shape}: unknown sh:nodeKind {arg}")
        return f"{values} FILTER(!{tests[arg]})"
    if param == SH.pattern:
        flags = g.value(shape, SH.flags)
        flag_arg = f", {Literal(str(flags)).n3()}" if flags is not None else ""
        return (f"{values} FILTER(isBlank(?value) || "
                f"!REGEX(STR(?value), {Literal(str(arg)).n3()}{flag_arg}))")
    if param == SH["in"]:
        members = list(Collection(g, arg))
        tests = " || ".join(_same_term(m) for m in members) or "false"
        return f"{values} FILTER(!({tests}))"
    if param == SH.hasValue:
        if path is None:
            return f"FILTER(!{_same_term(arg, '?this')}) BIND(?this AS ?value)"
        return f"FILTER NOT EXISTS {{ ?this {path} {term_sparql(arg)} }}"
    if param == SH.languageIn:
        langs = [str(x) for x in Collection(g, arg)]
        tests = " || ".join(f"langMatches(lang(?value), {Literal(x).n3()})" for x in langs) or "false"
        return f"{values} FILTER(!isLiteral(?value) || !({tests}))"
    if param in (SH.minLength, SH.maxLength):
        op = "<" if param == SH.minLength else ">"
        return f"{values} FILTER(isBlank(?value) || STRLEN(STR(?value)) {op} {int(arg)})"
    ops = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}
    if param in ops:
        return f"{values} FILTER(!COALESCE(?value {ops[param]} {term_sparql(arg)}, false))"
    raise ShapesError(f"{shape}: unsupported parameter {param}")  # pragma: no cover (guarded above)


# --- SHACL-SPARQL -----------------------------------------------------------------------------

_THIS = re.compile(r"[?$]this\b")
_PATH = re.compile(r"\$PATH\b")


def prefixes_of(g: Graph, constraint: Node) -> str:
    """PREFIX lines from the ``sh:declare`` entries of the constraint's ``sh:prefixes`` nodes."""
    lines = []
    for holder in g.objects(constraint, SH.prefixes):
        for decl in g.objects(holder, SH.declare):
            prefix, ns = g.value(decl, SH.prefix), g.value(decl, SH.namespace)
            if prefix is None or ns is None:
                raise ShapesError(f"{constraint}: sh:declare needs sh:prefix and sh:namespace")
            lines.append(f"PREFIX {prefix}: <{ns}>")
    return "\n".join(sorted(set(lines)))


def sparql_constraint_query(g: Graph, constraint: Node, target: str, path: str | None) -> str:
    """The constraint's ``sh:select`` run for all focus nodes at once."""
    select = g.value(constraint, SH.select)
    if select is None:
        raise ShapesError(f"{constraint}: only sh:select SPARQL constraints are supported")
    text = str(select)
    if _PATH.search(text):
        if path is None:
            raise ShapesError(f"{constraint}: $PATH used outside a property shape")
        text = _PATH.sub(path, text)
    code = "".join(c for _, c in _scan(text))
    forbidden = re.search(r"\b(SERVICE|LOAD|FROM)\b", code, re.IGNORECASE)
    if forbidden:
        # pyoxigraph would fetch a SERVICE or LOAD IRI (notes/security.md §2.3); FROM has no place in a shape.
        raise ShapesError(f"{constraint}: {forbidden.group(1).upper()} is not allowed in a SPARQL constraint")
    head, brace, body = split_where(text)
    if not _THIS.search(head) and "*" not in head:
        raise ShapesError(f"{constraint}: a SPARQL constraint must project $this")
    if re.search(r"\bGROUP\s+BY\b", _outer_tail(body), re.IGNORECASE):
        raise ShapesError(f"{constraint}: no outer GROUP BY in SPARQL constraints (aggregate in a sub-select)")
    query = head + brace + " " + target + " " + body
    return prefixes_of(g, constraint) + "\n" + _THIS.sub("?this", query)


def _scan(text: str) -> Iterable[tuple[int, str]]:
    """Yield (index, char) of the characters outside strings, IRIs and comments."""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            while i < n and text[i] != "\n":
                i += 1
            continue
        if c in "\"'":
            quote = text[i:i + 3] if text[i:i + 3] in ('"""', "'''") else c
            i += len(quote)
            while i < n and not text.startswith(quote, i):
                i += 2 if text[i] == "\\" else 1
            i += len(quote)
            continue
        if c == "<" and re.match(r"<[^\s<>\"{}|^`\\]*>", text[i:]):
            i = text.index(">", i) + 1
            continue
        yield i, c
        i += 1


def split_where(text: str) -> tuple[str, str, str]:
    """(text before the WHERE group's ``{``, ``{``, rest) of a SELECT query."""
    m = re.search(r"\bSELECT\b", text, re.IGNORECASE)
    if not m:
        raise ShapesError("sh:select must be a SELECT query")
    for i, c in _scan(text):
        if i > m.start() and c == "{":
            return text[:i], "{", text[i + 1:]
    raise ShapesError("sh:select has no WHERE clause")


def _outer_tail(body: str) -> str:
    """The solution modifiers after the WHERE group closes (body starts inside the group)."""
    depth = 1
    for i, c in _scan(body):
        depth += (c == "{") - (c == "}")
        if depth == 0:
            return body[i + 1:]
    return ""


__all__ = [
    "SH", "SHAPES_DIR", "Check", "ShapesError", "ShapesIndex", "compile_shapes", "index_shapes",
    "load_shapes", "path_label", "path_sparql", "rule_id", "severity_of", "shape_files", "subset",
    "sparql_constraint_query", "split_where", "target_pattern",
]
