"""VoID + DCAT description of a build (pure): title, licence, sources, triple counts, class and
property partitions, example resources, the SPARQL endpoint and the dump links."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from itertools import groupby
from operator import itemgetter

from kg.model.iris import ONTOLOGY, Iris, short_hash
from kg.model.serialize import _prefixed, nt_term, sort_quads
from kg.model.terms import (
    BUD, DCAT, DCTERMS, FOAF, PREFIXES, QB, RDF_TYPE, SKOS, VOID, XSD, BNode, Lit, Quad, Term, en, integer, string,
    zh,
)

SD_NAME = "http://www.w3.org/ns/sparql-service-description#name"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"

#: Dump file name → (media type, dcterms:format label).
DUMPS: dict[str, str] = {
    "dataset.nq": "application/n-quads",
    "dataset.trig": "application/trig",
    "dataset.jsonld": "application/ld+json",
    "ontology.ttl": "text/turtle",
    "codes.ttl": "text/turtle",
    "budget_lines.csv": "text/csv",
    "datapackage.json": "application/json",
}

#: Classes whose first instance (in IRI order) is given as void:exampleResource.
EXAMPLE_CLASSES = (BUD + "Bureau", BUD + "Budget", BUD + "Project", BUD + "Indicator", BUD + "Duty",
                   BUD + "FunctionLine", BUD + "FunctionCode")


def _slug(iri: str) -> str:
    name = _prefixed(iri)
    return name.replace(":", "-") if name else f"h-{short_hash(iri, 12)}"


def _lines(items: set[str]) -> str:
    return "\n".join(sorted(items))


def _set(lines: str) -> set[str]:
    return set(lines.split("\n")) if lines else set()


@dataclass
class VoidStats:
    """The counts VoID states, gathered graph by graph (and merged across processes).

    Subjects and objects are kept as their N-Triples forms, which are distinct exactly when the terms
    are (and cheap to send between processes)."""

    triples: int = 0
    subjects: set[str] = field(default_factory=set)
    objects: set[str] = field(default_factory=set)
    classes: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    properties: Counter[str] = field(default_factory=Counter)
    per_graph: Counter[str] = field(default_factory=Counter)

    def add_graph(self, graph: str, quads: Sequence[Quad], nt: Callable[[Term], str] = nt_term,
                  subjects: Iterable[Term] | None = None, typed: Iterable[tuple[Term, Term]] | None = None) -> None:
        """Count the (unique) quads of one named graph; ``subjects`` (each once) and ``typed`` (the
        subject and object of each ``rdf:type`` quad) when the caller has them already."""
        self.triples += len(quads)
        self.per_graph[graph] += len(quads)
        self.subjects.update(map(nt, set(map(itemgetter(0), quads)) if subjects is None else subjects))
        self.objects.update(map(nt, set(map(itemgetter(2), quads))))
        self.properties.update(map(itemgetter(1), quads))
        classes = self.classes
        if typed is None:
            typed = [(q[0], q[2]) for q in quads if q[1] == RDF_TYPE]
        for s, o in typed:
            if isinstance(o, str) and not isinstance(o, BNode):
                classes[o].add(s)

    def merge(self, other: VoidStats) -> None:
        self.triples += other.triples
        self.per_graph.update(other.per_graph)
        self.subjects |= other.subjects
        self.objects |= other.objects
        self.properties.update(other.properties)
        for cls, members in other.classes.items():
            self.classes[cls] |= members

    def to_json(self) -> dict[str, object]:
        """The counts as JSON data, each set one string of sorted lines (N-Triples forms and IRIs hold
        no line breaks; one string reads back several times faster than a list): what the build's
        graph index keeps."""
        return {"triples": self.triples, "subjects": _lines(self.subjects), "objects": _lines(self.objects),
                "classes": {c: _lines(m) for c, m in sorted(self.classes.items())},
                "properties": dict(sorted(self.properties.items())),
                "per_graph": dict(sorted(self.per_graph.items()))}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> VoidStats:
        stats = cls(triples=data["triples"], subjects=_set(data["subjects"]), objects=_set(data["objects"]),
                    properties=Counter(data["properties"]), per_graph=Counter(data["per_graph"]))
        stats.classes.update((c, _set(m)) for c, m in data["classes"].items())
        return stats

    @classmethod
    def of(cls, quads: Iterable[Quad]) -> VoidStats:
        stats = cls()
        for graph, in_graph in groupby(sort_quads(quads).quads, itemgetter(3)):
            stats.add_graph(graph, list(in_graph))
        return stats


def void_quads(stats: VoidStats | Sequence[Quad], iris: Iris, documents: Sequence[str],
               byte_sizes: Mapping[str, int], graph: str) -> list[Quad]:
    """The description of the dataset counted in ``stats`` (or made of the quads; documents =
    document IRIs)."""
    if not isinstance(stats, VoidStats):
        stats = VoidStats.of(stats)
    ds = iris.dataset()
    out: list[Quad] = []

    def add(s: str, p: str, o: str | Lit) -> None:
        out.append((s, p, o, graph))

    subjects, objects, classes = stats.subjects, stats.objects, stats.classes
    properties, per_graph = stats.properties, stats.per_graph

    add(ds, RDF_TYPE, VOID + "Dataset")
    add(ds, RDF_TYPE, DCAT + "Dataset")
    add(ds, DCTERMS + "title", zh("部门预算信息公开知识图谱"))
    add(ds, DCTERMS + "title", en("budget-kg: Chinese government department budget disclosures"))
    add(ds, DCTERMS + "description", en(
        "Facts read from Chinese department budget disclosures (部门预算信息公开) with line provenance: "
        "bureaus, budgets, budget lines by function and economic code, projects, performance indicators, "
        "duties, 三公 expenses and operating costs."))
    add(ds, DCTERMS + "license", LICENSE)
    add(ds, DCTERMS + "creator", string("budget-kg"))
    add(ds, DCTERMS + "language", "http://id.loc.gov/vocabulary/iso639-1/zh")
    for keyword in ("部门预算", "预算公开", "budget", "China", "linked data"):
        add(ds, DCAT + "keyword", zh(keyword) if not keyword.isascii() else en(keyword))
    for feature in ("N-Quads", "TriG", "JSON-LD", "Turtle"):
        add(ds, VOID + "feature", f"http://www.w3.org/ns/formats/{feature}")
    add(ds, FOAF + "homepage", iris.base)
    add(ds, VOID + "uriSpace", string(iris.base))
    add(ds, VOID + "sparqlEndpoint", iris.base + "sparql")
    add(ds, DCAT + "landingPage", iris.base)
    for prefix, ns in PREFIXES:
        if prefix in ("bud", "skos", "qb", "prov", "org", "dcterms", "dcat"):
            add(ds, VOID + "vocabulary", ns.rstrip("#") if ns == ONTOLOGY else ns)
    add(ds, VOID + "triples", integer(stats.triples))
    add(ds, VOID + "entities", integer(len(subjects)))
    add(ds, VOID + "distinctSubjects", integer(len(subjects)))
    add(ds, VOID + "distinctObjects", integer(len(objects)))
    add(ds, VOID + "classes", integer(len(classes)))
    add(ds, VOID + "properties", integer(len(properties)))
    for doc in documents:
        add(ds, DCTERMS + "source", doc)
    for cls in EXAMPLE_CLASSES:
        if classes.get(cls):
            add(ds, VOID + "exampleResource", min(classes[cls]))
    for cls, members in sorted(classes.items()):
        part = f"{ds}/class/{_slug(cls)}"
        add(ds, VOID + "classPartition", part)
        add(part, VOID + "class", cls)
        add(part, VOID + "entities", integer(len(members)))
    for prop, count in sorted(properties.items()):
        part = f"{ds}/property/{_slug(prop)}"
        add(ds, VOID + "propertyPartition", part)
        add(part, VOID + "property", prop)
        add(part, VOID + "triples", integer(count))
    for g, count in sorted(per_graph.items()):
        sub = f"{ds}/graph/{_slug(g) if not g.startswith(iris.base) else g[len(iris.base):].replace('/', '-')}"
        add(ds, VOID + "subset", sub)
        add(sub, RDF_TYPE, VOID + "Dataset")
        add(sub, VOID + "triples", integer(count))
        add(sub, SD_NAME, g)
        if g in documents:
            add(sub, DCTERMS + "source", g)
    for name, media in sorted(DUMPS.items()):
        if name not in byte_sizes:
            continue
        url = f"{iris.base}dumps/{name}"
        if name.startswith("dataset."):
            add(ds, VOID + "dataDump", url)
        add(ds, DCAT + "distribution", url)
        add(url, RDF_TYPE, DCAT + "Distribution")
        add(url, DCTERMS + "title", string(name))
        add(url, DCAT + "downloadURL", url)
        add(url, DCAT + "mediaType", f"https://www.iana.org/assignments/media-types/{media}")
        add(url, DCAT + "byteSize", Lit(str(byte_sizes[name]), XSD + "nonNegativeInteger"))
        add(url, DCTERMS + "license", LICENSE)
    add(iris.base + "sparql", RDF_TYPE, DCAT + "DataService")
    add(iris.base + "sparql", DCAT + "endpointURL", iris.base + "sparql")
    add(iris.base + "sparql", DCAT + "servesDataset", ds)
    add(iris.base + "sparql", DCTERMS + "conformsTo", "https://www.w3.org/TR/sparql11-protocol/")
    add(ds, SKOS + "note", en("Amounts: bud:amount as printed (xsd:decimal) with bud:unitOfMeasure; "
                              "bud:amountCNY normalised to CNY."))
    add(ds, DCTERMS + "conformsTo", QB.rstrip("#"))
    return out
