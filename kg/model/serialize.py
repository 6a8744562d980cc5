"""Deterministic writers: N-Quads, TriG / Turtle and JSON-LD from :mod:`kg.model.terms` quads.

Every writer sorts its output (graphs, subjects, predicates, objects), so the same quads always give
the same bytes, whatever order they were produced in. rdflib's serialisers are not used for the
dumps: they are slow at a million triples and their order depends on hashing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from itertools import groupby
from typing import Any

from kg.model.terms import PREFIXES, RDF_TYPE, BNode, Lit, Quad, Term

_IRI_UNSAFE = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_STRING_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _iri(iri: str) -> str:
    if _IRI_UNSAFE.search(iri):
        iri = _IRI_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04X}", iri)
    return f"<{iri}>"


def nt_term(term: Term) -> str:
    """A term in N-Triples / N-Quads syntax."""
    if isinstance(term, Lit):
        text = '"' + term.lexical.translate(_STRING_ESCAPES) + '"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype:
            return f"{text}^^{_iri(term.datatype)}"
        return text
    if isinstance(term, BNode):
        return f"_:{term}"
    return _iri(term)


def nquads(quads: Iterable[Quad]) -> str:
    """Sorted N-Quads, one statement per line, duplicates dropped."""
    lines = {f"{nt_term(s)} {nt_term(p)} {nt_term(o)} {nt_term(g)} .\n" for s, p, o, g in quads}
    return "".join(sorted(lines))


# --- Turtle / TriG -----------------------------------------------------------------------------


def _prefixed(iri: str) -> str | None:
    for prefix, ns in PREFIXES:
        if iri.startswith(ns) and _LOCAL.match(iri[len(ns):]):
            return f"{prefix}:{iri[len(ns):]}"
    return None


def ttl_term(term: Term) -> str:
    if isinstance(term, Lit):
        text = '"' + term.lexical.translate(_STRING_ESCAPES) + '"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype:
            return f"{text}^^{_prefixed(term.datatype) or _iri(term.datatype)}"
        return text
    if isinstance(term, BNode):
        return f"_:{term}"
    return _prefixed(term) or _iri(term)


def _prefix_block(prefixes: Sequence[tuple[str, str]] = PREFIXES) -> str:
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in prefixes) + "\n"


def _subject_blocks(rows: list[tuple[str, str, str]], indent: str) -> list[str]:
    """Turtle for (subject, predicate, object) rows already in Turtle syntax, grouped by subject."""
    out: list[str] = []
    for subject, items in groupby(sorted(rows, key=lambda r: (r[0], r[1] != "a", r[1], r[2])), key=lambda r: r[0]):
        preds = []
        for predicate, objs in groupby(items, key=lambda r: r[1]):
            values = sorted({o for _, _, o in objs})
            preds.append(f"{predicate} " + " ,\n{0}        ".format(indent).join(values))
        out.append(f"{indent}{subject} " + f" ;\n{indent}    ".join(preds) + " .\n")
    return out


def _ttl_rows(quads: Iterable[Quad]) -> dict[str, list[tuple[str, str, str]]]:
    graphs: dict[str, list[tuple[str, str, str]]] = {}
    for s, p, o, g in quads:
        graphs.setdefault(g, []).append((ttl_term(s), "a" if p == RDF_TYPE else ttl_term(p), ttl_term(o)))
    return graphs


def turtle(quads: Iterable[Quad], header: str = "") -> str:
    """Sorted Turtle of the triples of ``quads`` (graph names ignored)."""
    rows = [row for graph_rows in _ttl_rows(quads).values() for row in graph_rows]
    return header + _prefix_block() + "\n".join(_subject_blocks(rows, ""))


def trig(quads: Iterable[Quad], header: str = "") -> str:
    """Sorted TriG: one ``GRAPH`` block per named graph."""
    parts = [header + _prefix_block()]
    for g, rows in sorted(_ttl_rows(quads).items()):
        parts.append(f"{_iri(g)} {{\n" + "\n".join(_subject_blocks(rows, "    ")) + "}\n\n")
    return "".join(parts).rstrip("\n") + "\n"


# --- JSON-LD -----------------------------------------------------------------------------------


def _compact(iri: str) -> str:
    return _prefixed(iri) or iri


def _jsonld_value(term: Term) -> dict[str, str]:
    if isinstance(term, Lit):
        value = {"@value": term.lexical}
        if term.language:
            value["@language"] = term.language
        elif term.datatype:
            value["@type"] = _compact(term.datatype)
        return value
    return {"@id": f"_:{term}" if isinstance(term, BNode) else term}


def jsonld_document(quads: Iterable[Quad]) -> dict[str, Any]:
    """JSON-LD (flattened per graph, compact IRIs for vocabulary terms) of ``quads``."""
    graphs: dict[str, dict[str, dict[str, Any]]] = {}
    for s, p, o, g in quads:
        node = graphs.setdefault(g, {}).setdefault(f"_:{s}" if isinstance(s, BNode) else s, {})
        if p == RDF_TYPE and not isinstance(o, Lit):
            node.setdefault("@type", set()).add(_compact(o) if not isinstance(o, BNode) else f"_:{o}")
        else:
            node.setdefault(_compact(p), {})[json.dumps(_jsonld_value(o), sort_keys=True, ensure_ascii=False)] = None
    out_graphs = []
    for g in sorted(graphs):
        nodes = []
        for sid in sorted(graphs[g]):
            props = graphs[g][sid]
            node: dict[str, Any] = {"@id": sid}
            for key in sorted(props):
                if key == "@type":
                    node["@type"] = sorted(props[key])
                else:
                    node[key] = [json.loads(v) for v in sorted(props[key])]
            nodes.append(node)
        out_graphs.append({"@id": g, "@graph": nodes})
    return {"@context": {p: ns for p, ns in PREFIXES}, "@graph": out_graphs}


def jsonld(quads: Iterable[Quad]) -> str:
    return json.dumps(jsonld_document(quads), ensure_ascii=False, indent=1) + "\n"
