"""The offline search index: a JavaScript file the search page loads with ``<script src>``.

A ``<script>`` (not ``fetch``) so that search works from ``file://`` too. Entries are compact
arrays ``[name_zh, name_en, kind, href, context]``; ``kinds`` holds each kind's zh/en label.
Matching (substring, then character bigrams) happens in ``site/static/search.js``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import pyoxigraph as ox

from kg.site.graph import BUD, DCTERMS, LABEL_PROPERTIES, NAME_PROPERTIES, QB, RDFS, SKOS, SiteGraph
from kg.site.paths import resource_path

#: Classes whose instances are not worth a search entry on their own (they are reached via others).
UNSEARCHED_CLASSES = frozenset({QB + "Observation"})

#: A resource named by one of these gets a search entry.
NAMING = frozenset(LABEL_PROPERTIES) | frozenset(NAME_PROPERTIES)

CONTEXT_PROPERTIES = (SKOS + "definition", DCTERMS + "description", RDFS + "comment")
CONTEXT_LENGTH = 80


def search_entries(graph: SiteGraph, iris: Iterable[str],
                   skip_classes: frozenset[str] = UNSEARCHED_CLASSES) -> dict[str, list]:
    """The index as plain data: ``{"kinds": [[zh, en], …], "entries": [[zh, en, kind, href, ctx], …]}``."""
    kinds: dict[str, int] = {}
    kind_labels: list[list[str]] = []
    entries = []
    for iri in iris:
        values = graph.outgoing(iri)
        if not any(p.value in NAMING and isinstance(o, ox.Literal) for p, o in values):
            continue
        types = graph.types(iri)
        if any(t in skip_classes for t in types):
            continue
        kind_iri = next((t for t in types if t.startswith(BUD)), types[0] if types else "")
        if kind_iri not in kinds:
            kinds[kind_iri] = len(kind_labels)
            label = graph.label(kind_iri) if kind_iri else None
            kind_labels.append([label.zh, label.en] if label else ["资源", "Resource"])
        path = resource_path(iri, graph.base)
        if path is None:
            continue
        name = graph.label(iri)
        context = ""
        for prop in CONTEXT_PROPERTIES:
            found = graph.value(iri, prop)
            if isinstance(found, ox.Literal):
                context = found.value if len(found.value) <= CONTEXT_LENGTH else found.value[:CONTEXT_LENGTH] + "…"
                break
        entries.append([name.zh, name.en if name.en != name.zh else "", kinds[kind_iri], path, context])
    return {"kinds": kind_labels, "entries": entries}


def search_script(index: dict[str, list]) -> str:
    """``search-index.js``: assigns the index to ``window.KG_SEARCH``."""
    text = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
    return "window.KG_SEARCH=" + text.replace("</", "<\\/") + ";\n"
