"""The duty-area taxonomy (``ontology/duty-areas.ttl``, SKOS) as frozen dataclasses.

The Turtle file is the single source of the areas, their labels and the Chinese terms
(``skos:hiddenLabel``) that classify a text into an area; this module only reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS

BUD = Namespace("https://budget-kg.org/ontology#")
AREA = Namespace("https://budget-kg.org/ontology/duty-area/")
SCHEME = URIRef(str(AREA))
TAXONOMY_PATH = Path(__file__).resolve().parents[2] / "ontology" / "duty-areas.ttl"


@dataclass(frozen=True)
class Area:
    """One duty area (a ``skos:Concept`` of the scheme)."""

    iri: str
    slug: str
    """Last path segment of the IRI, e.g. ``fund-supervision``."""
    notation: str
    label_zh: str
    label_en: str
    terms: tuple[str, ...]
    """Chinese terms whose presence in a text puts it in the area, longest first."""
    ties_duties: bool = True
    """False for areas about the bureau itself: sharing them is no evidence of a tie."""
    fallback: bool = False


@dataclass(frozen=True)
class Taxonomy:
    """All areas in notation order."""

    areas: tuple[Area, ...]

    def by_slug(self, slug: str) -> Area:
        for area in self.areas:
            if area.slug == slug:
                return area
        raise KeyError(slug)

    @property
    def fallback(self) -> Area:
        return next(a for a in self.areas if a.fallback)


def _text(graph: Graph, subject: URIRef, predicate: URIRef, lang: str) -> str:
    values = sorted(str(o) for o in graph.objects(subject, predicate) if isinstance(o, Literal) and o.language == lang)
    return values[0] if values else ""


def _flag(graph: Graph, subject: URIRef, predicate: URIRef, default: bool) -> bool:
    value = graph.value(subject, predicate)
    return default if value is None else bool(value.toPython())


def taxonomy_from_graph(graph: Graph) -> Taxonomy:
    """Read the areas of the duty-area scheme from a graph (pure)."""
    areas = []
    for concept in set(graph.subjects(SKOS.inScheme, SCHEME)):
        if (concept, RDF.type, SKOS.Concept) not in graph or not isinstance(concept, URIRef):
            continue
        terms = sorted({str(o) for o in graph.objects(concept, SKOS.hiddenLabel)}, key=lambda t: (-len(t), t))
        areas.append(Area(
            iri=str(concept),
            slug=str(concept).rsplit("/", 1)[-1],
            notation=str(graph.value(concept, SKOS.notation) or ""),
            label_zh=_text(graph, concept, SKOS.prefLabel, "zh"),
            label_en=_text(graph, concept, SKOS.prefLabel, "en"),
            terms=tuple(terms),
            ties_duties=_flag(graph, concept, BUD.tiesDuties, True),
            fallback=_flag(graph, concept, BUD.isFallbackArea, False),
        ))
    areas.sort(key=lambda a: (a.notation, a.slug))
    if sum(a.fallback for a in areas) != 1:
        raise ValueError("the duty-area scheme needs exactly one bud:isFallbackArea concept")
    return Taxonomy(tuple(areas))


def taxonomy_graph(path: Path = TAXONOMY_PATH) -> Graph:
    """The taxonomy Turtle file as a graph (I/O)."""
    graph = Graph()
    graph.parse(path, format="turtle")
    return graph


@lru_cache(maxsize=4)
def load_taxonomy(path: Path = TAXONOMY_PATH) -> Taxonomy:
    """The taxonomy read from ``ontology/duty-areas.ttl`` (cached per path)."""
    return taxonomy_from_graph(taxonomy_graph(path))
