"""What the app's handlers share: settings, the store, the worker pool and derived facts."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from kg.serve import results
from kg.serve.cache import ResultCache
from kg.serve.describe import hash_index
from kg.serve.examples import Example, load_examples
from kg.serve.service import service_description
from kg.serve.settings import ServeSettings
from kg.serve.workers import WorkerPool

HERE = Path(__file__).resolve().parent

#: Prefixes offered to every Turtle/RDF-XML serialisation and shown in the query page.
COMMON_PREFIXES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "qb": "http://purl.org/linked-data/cube#",
    "void": "http://rdfs.org/ns/void#",
    "sh": "http://www.w3.org/ns/shacl#",
}
BUD = "https://budget-kg.org/ontology#"
PREFIXES = {**COMMON_PREFIXES, "bud": BUD}


def graph_sizes(store: ox.Store) -> dict[str, int]:
    """Triples per named graph."""
    counts: dict[str, int] = {}
    query = "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    for g, n in store.query(query):  # type: ignore[misc]
        if isinstance(g, ox.NamedNode):
            counts[g.value] = int(n.value)
    return counts


def templates() -> Environment:
    return Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@dataclass
class ServerState:
    settings: ServeSettings
    store: ox.Store
    pool: WorkerPool
    graphs: dict[str, int]
    total: int
    examples: list[Example]
    hash_parts: dict[str, list[str]]
    cache: ResultCache = field(default_factory=lambda: ResultCache(0))
    env: Environment = field(default_factory=templates)

    @classmethod
    def create(cls, settings: ServeSettings, store: ox.Store) -> ServerState:
        graphs = graph_sizes(store)
        examples = load_examples(settings.queries_dir)
        parts = hash_index(store, settings.base_iri)
        pool = WorkerPool(store, settings.workers, settings.worker_memory_mb, settings.worker_recycle_mb, settings.memory_budget_mb,
                          settings.long_query_after, pause_at=settings.memory_pause_at,
                          requeue=settings.memory_requeue)  # fork before any server thread exists
        cache = ResultCache(settings.result_cache_mb * 1024 * 1024)
        return cls(settings, store, pool, graphs, sum(graphs.values()), examples, parts, cache)

    @property
    def prefixes(self) -> dict[str, str]:
        """Prefixes predeclared in queries and used when writing Turtle and RDF/XML."""
        return dict(PREFIXES)

    @property
    def void_graph(self) -> str:
        return self.settings.base_iri + "graph/void"

    def void_triples(self) -> list[ox.Triple]:
        graph = ox.NamedNode(self.void_graph)
        return [ox.Triple(q.subject, q.predicate, q.object) for q in self.store.quads_for_pattern(None, None, None, graph)]

    def service_description(self, endpoint: str, kind: str) -> bytes:
        triples = service_description(endpoint, self.graphs, self.total, self.void_triples())
        return results.graph(triples, kind, {**self.prefixes, "sd": "http://www.w3.org/ns/sparql-service-description#"})

    def render(self, template: str, status: int = 200, headers: dict[str, str] | None = None, **context: object) -> HTMLResponse:
        html = self.env.get_template(template).render(title=self.settings.title, **context)
        return HTMLResponse(html, status_code=status, headers=headers)

    def query_page(self, request: Request) -> HTMLResponse:
        return self.render(
            "query.html",
            headers={"Vary": "Accept"},
            examples=[e.as_dict() for e in self.examples],
            prefixes=self.prefixes,
            base_iri=self.settings.base_iri,
            initial_query=request.query_params.get("query", ""),
            max_rows=self.settings.max_rows,
            timeout=self.settings.timeout,
        )
