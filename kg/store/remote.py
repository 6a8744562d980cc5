"""A remote SPARQL 1.1 store: the Protocol for queries and updates, the Graph Store Protocol for graphs.

budget-kg keeps one named graph per document, so publishing to any SPARQL server is a sequence of
Graph Store ``PUT`` requests (one per graph, replacing it whole) plus ``DELETE`` for documents that
left the corpus (:func:`publish_build`). Queries go through the SPARQL 1.1 Protocol and come back in
the shape of the embedded store (:mod:`kg.store`): ``SELECT`` gives a :class:`pyoxigraph.QuerySolutions`,
``ASK`` a :class:`pyoxigraph.QueryBoolean`, ``CONSTRUCT``/``DESCRIBE`` a list of
:class:`pyoxigraph.Triple` — so validation and the example queries run on either store.

Servers differ in paths, authentication and small deviations from the standards; a :class:`Flavour`
holds them. ``oxigraph`` and ``virtuoso`` are tested against real servers (``tests/store``); the other
flavours follow their documentation (see docs/remote-store.md). Quirks handled here:

- Virtuoso's JSON results use ``typed-literal``, may write numbers unquoted, write booleans as
  ``1``/``0``, name blank nodes ``nodeID://b1001`` and answer ``CONSTRUCT`` with a result table unless
  only an RDF type is acceptable; it truncates results at ``ResultSetMaxRows`` with HTTP 200 and an
  ``X-SPARQL-MaxRows`` header (raised here as an error, never returned as a complete answer).
- Virtuoso's default graph is the union of *all* its graphs, system graphs included; those are left
  out of :meth:`RemoteStore.named_graphs` and :meth:`RemoteStore.graph_sizes`.
- The union default graph is a query parameter on Oxigraph (``union-default-graph``) and server
  configuration elsewhere.

Credentials can be given in the URL (``virtuoso+http://dba:secret@host:8890``), or the user in the URL
and the password in ``KG_STORE_PASSWORD`` (kept out of process listings); error messages name the
server without them.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import httpx
import pyoxigraph as ox

from kg.errors import KgError, UsageError
from kg.store import DEFAULT_BASE_IRI, SERVED_EXTRAS, load_build


class RemoteStoreError(KgError):
    """A remote store could not be reached or refused a request; names the server and the status."""


@dataclass(frozen=True)
class Flavour:
    """How one kind of SPARQL server lays out its endpoints and where it deviates from the standards.

    Paths are relative to the store URL given by the user (joined with ``/``; ``""`` is the URL itself).
    """

    name: str
    query: str
    """SPARQL 1.1 Protocol query endpoint."""
    update: str
    """SPARQL 1.1 Protocol update endpoint."""
    graph_store: str
    """Graph Store HTTP Protocol endpoint (indirect graph identification, ``?graph=``)."""
    update_auth: str | None = None
    """Update endpoint used instead of :attr:`update` when credentials are given."""
    graph_store_auth: str | None = None
    """Graph Store endpoint used instead of :attr:`graph_store` when credentials are given."""
    auth: str = "basic"
    """``basic``, ``digest`` or ``bearer`` (the password, or the user if there is none, is the token):
    how credentials are sent."""
    union_param: str | None = None
    """Query parameter that makes the default graph the union of the named graphs; ``None`` when the
    server decides (by default or by configuration) and the client cannot switch it."""
    upload_type: str = "application/n-triples"
    """Media type of graph bodies sent with ``PUT`` (N-Triples is also valid Turtle)."""
    system_graphs: tuple[str, ...] = ()
    """Prefixes of graphs the server keeps for itself, hidden from :meth:`RemoteStore.named_graphs`."""
    tested: bool = False
    """Whether ``tests/store`` runs this flavour against a real server."""


FLAVOURS: dict[str, Flavour] = {
    f.name: f
    for f in (
        Flavour("oxigraph", query="query", update="update", graph_store="store",
                union_param="union-default-graph", tested=True),
        Flavour("virtuoso", query="sparql", update="sparql", graph_store="sparql-graph-crud",
                update_auth="sparql-auth", graph_store_auth="sparql-graph-crud-auth", auth="digest",
                upload_type="text/turtle; charset=utf-8",
                system_graphs=("http://www.openlinksw.com/", "http://www.w3.org/ns/ldp#",
                               "http://localuriqaserver/", "http://www.w3.org/2002/07/owl#",
                               "virtrdf:", "urn:virtuoso:"),
                tested=True),
        # Fuseki: the store URL is the dataset (http://host:3030/budget); union default graph by
        # `tdb2:unionDefaultGraph true` in the dataset's configuration.
        Flavour("fuseki", query="query", update="update", graph_store="data"),
        # GraphDB (RDF4J protocol): the store URL is the repository (http://host:7200/repositories/budget).
        Flavour("graphdb", query="", update="statements", graph_store="rdf-graphs/service"),
        # QLever: one URL for queries and updates (updates need the access token as a bearer token);
        # its Graph Store endpoint is experimental, see docs/remote-store.md.
        Flavour("qlever", query="", update="", graph_store="", auth="bearer"),
        # Any other SPARQL 1.1 server: give the store URL of the query endpoint and use the
        # per-endpoint options of RemoteStore.
        Flavour("generic", query="", update="", graph_store=""),
    )
}

_ACCEPT_RESULTS = "application/sparql-results+json"
_ACCEPT_GRAPH = "application/n-triples, text/turtle;q=0.9"
_GRAPH_TYPES = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"

#: Graph (relative to the base IRI) where :func:`publish_store` records what it published: one
#: ``<graph> <urn:x-budget-kg:sha256> "digest"`` per graph, so an unchanged graph is not sent again.
#: It is bookkeeping, left out of :meth:`RemoteStore.named_graphs`, ``graph_sizes`` and ``len()``.
PUBLICATION_GRAPH = "graph/publication"
DIGEST = "urn:x-budget-kg:sha256"
#: ``<graph> <urn:x-budget-kg:kept> true`` in the record: a graph put on its own by
#: :func:`publish_graph` (``kg validate --put-report``) that a publication without it keeps.
KEPT = "urn:x-budget-kg:kept"
_BNODE_CHARS = re.compile(r"[^A-Za-z0-9_]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_WORD = re.compile(r"[A-Za-z]+")
_PNAME = re.compile(r"\s*[^\s:<>]*:")


# --- pure helpers ---------------------------------------------------------------------------------

def query_form(sparql: str) -> str:
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``: the first keyword after the prologue.

    The prologue holds only comments, ``BASE <iri>`` and ``PREFIX name: <iri>``, so skipping IRIs
    and comments is enough (a ``#`` inside an IRI is not a comment).
    """
    i, n = 0, len(sparql)
    while i < n:
        c = sparql[i]
        if c.isspace():
            i += 1
        elif c == "#":
            j = sparql.find("\n", i)
            i = n if j < 0 else j + 1
        elif c == "<":
            j = sparql.find(">", i)
            i = n if j < 0 else j + 1
        else:
            m = _WORD.match(sparql, i)
            word = m.group(0).upper() if m else ""
            if word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
                return word
            if word == "PREFIX":
                pname = _PNAME.match(sparql, m.end())  # type: ignore[union-attr]
                i = pname.end() if pname else n
            elif word == "BASE":
                i = m.end()  # type: ignore[union-attr]
            else:
                break
    raise UsageError("not a SPARQL query (expected SELECT, ASK, CONSTRUCT or DESCRIBE)")


def _term_json(value: Mapping[str, Any]) -> dict[str, Any]:
    """One binding of SPARQL JSON results in the standard's form (Virtuoso's deviations undone)."""
    out = dict(value)
    kind = out.get("type")
    if not isinstance(out.get("value"), str):
        # Virtuoso writes numbers unquoted in some answers; the lexical form is what was written.
        raw = out.get("value")
        out["value"] = json.dumps(raw) if not isinstance(raw, str) else raw
    if kind == "typed-literal":
        out["type"] = "literal"
    if kind == "bnode":
        label = _BNODE_CHARS.sub("_", out["value"].removeprefix("nodeID://"))
        out["value"] = label if label[:1].isalnum() else "b" + label
    if out.get("type") == "literal" and out.get("datatype") == _BOOLEAN and out["value"] in ("1", "0"):
        out["value"] = "true" if out["value"] == "1" else "false"
    return out


def normalise_results_json(data: bytes) -> tuple[bytes, int]:
    """SPARQL JSON results rewritten to the W3C form that :func:`pyoxigraph.parse_query_results`
    reads, with the number of solutions (0 for a boolean)."""
    doc = json.loads(data, parse_float=str, parse_int=str)
    if "boolean" in doc:
        value = doc["boolean"]
        doc["boolean"] = value in (True, "true", "1", 1)
    else:
        results = doc.get("results", {})
        results["bindings"] = [
            {name: _term_json(term) for name, term in row.items()} for row in results.get("bindings", [])
        ]
        doc["results"] = {"bindings": results["bindings"]}
    head = doc.get("head", {})
    doc["head"] = {"vars": head["vars"]} if "vars" in head else {}
    rows = len(doc["results"]["bindings"]) if "results" in doc else 0
    return json.dumps(doc, ensure_ascii=False).encode("utf-8"), rows


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";")[0].strip().lower()


def graph_body(triples: Iterable[ox.Triple]) -> bytes:
    """N-Triples with every non-ASCII character escaped: valid Turtle, and immune to servers that
    guess the charset of a body."""
    text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    return _NON_ASCII.sub(_escape, text).encode("ascii")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\u{code:04X}" if code < 0x10000 else f"\\U{code:08X}"


@dataclass(frozen=True)
class StoreURL:
    """A ``--store`` URL taken apart: ``[flavour+]http(s)://[user:password@]host:port/path``."""

    flavour: Flavour
    base: str
    """The store URL without the flavour prefix and without credentials."""
    user: str | None = None
    password: str | None = field(default=None, repr=False)


def parse_store_url(url: str) -> StoreURL:
    """Parse a ``--store`` URL; a plain ``http(s)://`` URL means an Oxigraph server."""
    scheme, sep, _ = url.partition("://")
    if not sep:
        raise UsageError(f"--store must be a URL such as oxigraph+http://127.0.0.1:7878, got {url!r}")
    name, plus, transport = scheme.rpartition("+")
    name = name if plus else "oxigraph"
    if transport not in ("http", "https"):
        raise UsageError(f"--store: unsupported scheme {scheme!r} (use http or https, e.g. virtuoso+http://…)")
    if name not in FLAVOURS:
        raise UsageError(f"--store: unknown server flavour {name!r} (one of {', '.join(FLAVOURS)})")
    parts = urlsplit(transport + url[len(scheme):])
    if not parts.hostname:
        raise UsageError(f"--store: no host in {url!r}")
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    base = urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), parts.query, ""))
    user = unquote(parts.username) if parts.username is not None else None
    password = unquote(parts.password) if parts.password is not None else None
    return StoreURL(FLAVOURS[name], base, user, password)


def _join(base: str, path: str) -> str:
    return f"{base}/{path}" if path else base


# --- the client -----------------------------------------------------------------------------------

class RemoteStore:
    """A SPARQL 1.1 server seen through the methods budget-kg uses on :class:`pyoxigraph.Store`.

    ``query`` returns the embedded store's result types; ``named_graphs``, ``contains_named_graph``
    and ``len()`` mean the same. Graphs are written whole: :meth:`put_graph`, :meth:`delete_graph`.
    """

    def __init__(
        self,
        url: str,
        flavour: str | Flavour | None = None,
        *,
        auth: tuple[str, str] | None = None,
        timeout: float = 60.0,
        query_endpoint: str | None = None,
        update_endpoint: str | None = None,
        graph_store_endpoint: str | None = None,
        client: httpx.Client | None = None,
    ) -> None:
        parsed = parse_store_url(url)
        if flavour is not None:
            parsed = replace(parsed, flavour=flavour if isinstance(flavour, Flavour) else _flavour(flavour))
        self.flavour = parsed.flavour
        self.base = parsed.base
        password = parsed.password if parsed.password is not None else os.environ.get("KG_STORE_PASSWORD", "")
        credentials = auth or ((parsed.user, password) if parsed.user is not None else None)
        f = self.flavour
        self.query_url = query_endpoint or _join(self.base, f.query)
        self.update_url = update_endpoint or _join(self.base, (f.update_auth if credentials and f.update_auth else f.update))
        self.graph_store_url = graph_store_endpoint or _join(
            self.base, (f.graph_store_auth if credentials and f.graph_store_auth else f.graph_store))
        http_auth: httpx.Auth | None = None
        headers = {"User-Agent": "budget-kg"}
        if credentials and f.auth == "bearer":
            headers["Authorization"] = f"Bearer {credentials[1] or credentials[0]}"
        elif credentials:
            http_auth = httpx.DigestAuth(*credentials) if f.auth == "digest" else httpx.BasicAuth(*credentials)
        self._client = client or httpx.Client(
            auth=http_auth,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            headers=headers,
        )

    def __repr__(self) -> str:
        return f"RemoteStore({self.flavour.name} at {self.base})"

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> RemoteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- HTTP -------------------------------------------------------------------------------------

    def _request(self, method: str, url: str, *, ok: tuple[int, ...] = (200, 201, 204), **kwargs: Any) -> httpx.Response:
        where = f"{self.flavour.name} at {url}"
        try:
            response = self._client.request(method, url, **kwargs)
        except httpx.TimeoutException as exc:
            raise RemoteStoreError(f"{where}: no answer within the timeout ({type(exc).__name__})") from exc
        except httpx.HTTPError as exc:
            raise RemoteStoreError(f"{where}: cannot connect ({exc})") from exc
        if response.status_code not in ok:
            detail = " ".join(response.text.split())[:400]
            raise RemoteStoreError(f"{where}: HTTP {response.status_code} {response.reason_phrase} on {method}"
                                   + (f": {detail}" if detail else ""))
        return response

    def _check_complete(self, response: httpx.Response, rows: int) -> None:
        """Virtuoso answers HTTP 200 with partial results when a limit cuts them: refuse those."""
        state = response.headers.get("X-SQL-State")
        if state:
            message = response.headers.get("X-SQL-Message", "")
            raise RemoteStoreError(f"{self.flavour.name} at {self.query_url}: incomplete result ({state} {message})".rstrip())
        cap = response.headers.get("X-SPARQL-MaxRows")
        if cap and cap.isdigit() and rows >= int(cap):
            raise RemoteStoreError(
                f"{self.flavour.name} at {self.query_url}: result truncated at the server's limit of {cap} rows "
                "(raise ResultSetMaxRows, or page the query with LIMIT/OFFSET)")

    # -- queries and updates ----------------------------------------------------------------------

    def query(self, sparql: str, *, use_default_graph_as_union: bool = True) -> ox.QuerySolutions | ox.QueryBoolean | list[ox.Triple]:
        """Run a query; the result types are those of :meth:`pyoxigraph.Store.query`.

        The default graph is the union of the named graphs (budget-kg's served semantics); on servers
        where that is configuration (:attr:`Flavour.union_param` is ``None``) only the union is
        supported here.
        """
        form = query_form(sparql)
        params: dict[str, str] = {}
        f = self.flavour
        if f.union_param:
            if use_default_graph_as_union:
                params[f.union_param] = "true"
        elif not use_default_graph_as_union:
            raise RemoteStoreError(f"{f.name} at {self.base}: the default graph is set by the server's "
                                   "configuration; a query without the union default graph cannot be asked for")
        graph_result = form in ("CONSTRUCT", "DESCRIBE")
        response = self._request(
            "POST", self.query_url, params=params, data={"query": sparql},
            headers={"Accept": _ACCEPT_GRAPH if graph_result else _ACCEPT_RESULTS},
        )
        kind = media_type(response.headers.get("Content-Type"))
        if graph_result:
            fmt = _GRAPH_TYPES.get(kind)
            if fmt is None:
                raise RemoteStoreError(f"{f.name} at {self.query_url}: answered {form} with {kind or 'no type'}, not RDF")
            triples = [q.triple for q in ox.parse(response.content, format=fmt)]
            self._check_complete(response, len(triples))
            return triples
        if kind not in ("application/sparql-results+json", "application/json"):
            raise RemoteStoreError(f"{f.name} at {self.query_url}: answered {form} with {kind or 'no type'}, "
                                   "not SPARQL JSON results")
        try:
            data, rows = normalise_results_json(response.content)
            result = ox.parse_query_results(data, ox.QueryResultsFormat.JSON)
        except (ValueError, SyntaxError, KeyError, TypeError) as exc:
            raise RemoteStoreError(f"{f.name} at {self.query_url}: unreadable results: {exc}") from exc
        if isinstance(result, ox.QuerySolutions):
            self._check_complete(response, rows)
        return result

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update."""
        self._request("POST", self.update_url, data={"update": sparql})

    # -- graphs -----------------------------------------------------------------------------------

    def _visible(self, graph: str) -> bool:
        if graph.endswith("/" + PUBLICATION_GRAPH):
            return False
        return not graph.startswith(self.flavour.system_graphs) if self.flavour.system_graphs else True

    def graph_sizes(self) -> dict[str, int]:
        """Triples per named graph (system graphs left out), by graph IRI."""
        result = self.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        assert isinstance(result, ox.QuerySolutions)
        sizes = {}
        for row in result:
            graph = row["g"]
            if isinstance(graph, ox.NamedNode) and self._visible(graph.value):
                sizes[graph.value] = int(row["n"].value)
        return dict(sorted(sizes.items()))

    def named_graphs(self) -> Iterator[ox.NamedNode]:
        """The named graphs holding triples (system graphs left out)."""
        return iter([ox.NamedNode(g) for g in self.graph_sizes()])

    def contains_named_graph(self, graph: ox.NamedNode | str) -> bool:
        iri = graph.value if isinstance(graph, ox.NamedNode) else graph
        result = self.query(f"ASK {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}")
        return bool(result)

    def __len__(self) -> int:
        """Triples in all named graphs (system graphs left out)."""
        return sum(self.graph_sizes().values())

    def _graph_params(self, graph: str) -> dict[str, str]:
        return {"graph": graph}

    def put_graph(self, graph: str, triples: Iterable[ox.Triple]) -> None:
        """Replace a named graph with ``triples`` (Graph Store ``PUT``); no triples deletes it."""
        self.put_body(graph, graph_body(triples))

    def put_body(self, graph: str, body: bytes) -> None:
        """Replace a named graph with a body made by :func:`graph_body`; an empty body deletes it."""
        if not body:
            self.delete_graph(graph, missing_ok=True)
            return
        self._request("PUT", self.graph_store_url, params=self._graph_params(graph), content=body,
                      headers={"Content-Type": self.flavour.upload_type})

    def digests(self, publication_graph: str) -> dict[str, str]:
        """Graph → digest as recorded by :func:`publish_store` in ``publication_graph`` (empty if none)."""
        return {g: d for g, (d, _) in self.publication_record(publication_graph).items()}

    def publication_record(self, publication_graph: str) -> dict[str, tuple[str, bool]]:
        """Graph → (digest, kept) as recorded in ``publication_graph`` by :func:`publish_store` and
        :func:`publish_graph` (empty if none)."""
        result = self.query(f"SELECT ?g ?d ?k WHERE {{ GRAPH <{publication_graph}> {{ ?g <{DIGEST}> ?d "
                            f"OPTIONAL {{ ?g <{KEPT}> ?k }} }} }}")
        assert isinstance(result, ox.QuerySolutions)
        return {row["g"].value: (row["d"].value, row["k"] is not None) for row in result}

    def delete_graph(self, graph: str, *, missing_ok: bool = False) -> bool:
        """Drop a named graph (Graph Store ``DELETE``); ``False`` if it did not exist and ``missing_ok``."""
        response = self._request("DELETE", self.graph_store_url, params=self._graph_params(graph),
                                 ok=(200, 201, 204, 404) if missing_ok else (200, 201, 204))
        return response.status_code != 404

    def get_graph(self, graph: str) -> list[ox.Triple]:
        """The triples of a named graph (Graph Store ``GET``); empty if the server has no such graph."""
        response = self._request("GET", self.graph_store_url, params=self._graph_params(graph),
                                 headers={"Accept": _ACCEPT_GRAPH}, ok=(200, 404))
        if response.status_code == 404:
            return []
        kind = media_type(response.headers.get("Content-Type"))
        fmt = _GRAPH_TYPES.get(kind, ox.RdfFormat.TURTLE)
        return [q.triple for q in ox.parse(response.content, format=fmt)]


def _flavour(name: str) -> Flavour:
    try:
        return FLAVOURS[name]
    except KeyError:
        raise UsageError(f"unknown server flavour {name!r} (one of {', '.join(FLAVOURS)})") from None


# --- publishing a build ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Published:
    """What :func:`publish_build` did."""

    graphs: dict[str, int]
    """Graphs written, with their triple counts."""
    removed: tuple[str, ...]
    """Graphs under the base IRI deleted because the build no longer has them."""
    unchanged: tuple[str, ...] = ()
    """Graphs not sent again: the server has them as published last time."""
    kept: tuple[str, ...] = ()
    """Graphs the store does not have but left in place: put on their own by :func:`publish_graph`
    (the validation report of ``kg validate --put-report``)."""

    @property
    def triples(self) -> int:
        return sum(self.graphs.values())


def graphs_of(store: ox.Store) -> Iterator[tuple[str, list[ox.Triple]]]:
    """Each named graph of an embedded store with its triples, graphs in IRI order."""
    names = sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
    for name in names:
        node = ox.NamedNode(name)
        yield name, [q.triple for q in store.quads_for_pattern(None, None, None, node)]


def graph_digest(body: bytes) -> str:
    """SHA-256 of a graph body's lines in sorted order (independent of serialisation order)."""
    return hashlib.sha256(b"\n".join(sorted(body.splitlines()))).hexdigest()


def publish_store(store: ox.Store, remote: RemoteStore, *, base_iri: str = DEFAULT_BASE_IRI, prune: bool = True,
                  incremental: bool = True) -> Published:
    """Write the named graphs of ``store`` to ``remote``, one ``PUT`` each; with ``prune``, delete the
    remote graphs under ``base_iri`` that ``store`` does not have (documents removed from the corpus).

    With ``incremental``, a graph is skipped when the digest recorded at the last publication
    (:data:`PUBLICATION_GRAPH`) matches and the server still holds as many triples; the record is
    written last, so an interrupted publication only makes the next one send more.
    """
    publication = base_iri + PUBLICATION_GRAPH
    recorded = remote.publication_record(publication)
    known = {g: d for g, (d, _) in recorded.items()} if incremental else {}
    sizes = remote.graph_sizes() if incremental or prune else {}
    written: dict[str, int] = {}
    unchanged: list[str] = []
    digests: dict[str, str] = {}
    for graph, triples in graphs_of(store):
        body = graph_body(triples)
        digests[graph] = graph_digest(body)
        if incremental and known.get(graph) == digests[graph] and sizes.get(graph) == len(triples):
            unchanged.append(graph)
            continue
        remote.put_body(graph, body)
        written[graph] = len(triples)
    # A graph put on its own (the validation report) stays, with its record, until a store that has
    # that graph publishes it; the server must still hold it.
    kept = sorted(g for g, (_, keep) in recorded.items() if keep and g not in digests
                  and (g in sizes or remote.contains_named_graph(g)))
    removed: list[str] = []
    if prune:
        for graph in sizes:
            if graph.startswith(base_iri) and graph not in digests and graph not in kept:
                remote.delete_graph(graph, missing_ok=True)
                removed.append(graph)
    remote.put_graph(publication, _record({**digests, **{g: recorded[g][0] for g in kept}}, kept))
    return Published(written, tuple(removed), tuple(unchanged), tuple(kept))


def _record(digests: Mapping[str, str], kept: Iterable[str] = ()) -> list[ox.Triple]:
    """The publication record: each graph's digest, and the kept mark of graphs put on their own."""
    record = [ox.Triple(ox.NamedNode(g), ox.NamedNode(DIGEST), ox.Literal(d)) for g, d in sorted(digests.items())]
    record.extend(ox.Triple(ox.NamedNode(g), ox.NamedNode(KEPT), ox.Literal(True)) for g in sorted(kept))
    return record


def publish_graph(remote: RemoteStore, graph: str, triples: Iterable[ox.Triple], *,
                  base_iri: str = DEFAULT_BASE_IRI, keep: bool = True) -> None:
    """Replace one graph and record its digest in the publication record, so that a later
    :func:`publish_store` neither sends it again (a store with the same graph finds it unchanged)
    nor, with ``keep``, deletes it (a store without that graph leaves it and its record in place).

    The graph's entry leaves the record before the ``PUT`` and comes back after it: an interrupted
    call makes the next publication send more, never less.
    """
    publication = base_iri + PUBLICATION_GRAPH
    body = graph_body(triples)
    others = {g: entry for g, entry in remote.publication_record(publication).items() if g != graph}
    remote.put_graph(publication, _record({g: d for g, (d, _) in others.items()}, [g for g, (_, k) in others.items() if k]))
    remote.put_body(graph, body)
    kept = [g for g, (_, k) in others.items() if k] + ([graph] if keep and body else [])
    digests = {g: d for g, (d, _) in others.items()} | ({graph: graph_digest(body)} if body else {})
    remote.put_graph(publication, _record(digests, kept))


def publish_build(build_dir: Path, remote: RemoteStore, *, base_iri: str = DEFAULT_BASE_IRI, prune: bool = True,
                  incremental: bool = True, extras: tuple[tuple[str, str], ...] = SERVED_EXTRAS) -> Published:
    """Publish a build directory graph by graph: exactly what ``kg serve`` serves from it
    (:func:`kg.store.load_build` with :data:`kg.store.SERVED_EXTRAS`: ``dataset.nq`` with its
    document graphs, plus the build's other RDF files in their own graphs)."""
    store, _ = load_build(build_dir, base_iri, extras=extras)
    return publish_store(store, remote, base_iri=base_iri, prune=prune, incremental=incremental)


def open_store(url: str, *, timeout: float = 60.0) -> RemoteStore:
    """A :class:`RemoteStore` from a ``--store`` URL (see :func:`parse_store_url`)."""
    return RemoteStore(url, timeout=timeout)


def publish_to(url: str, build_dir: Path, *, base_iri: str = DEFAULT_BASE_IRI, timeout: float = 300.0) -> tuple[str, Published]:
    """Publish a build directory to the store at a ``--store`` URL; the server's name (without
    credentials) and what was done, for ``kg build --store``."""
    with RemoteStore(url, timeout=timeout) as remote:
        return f"{remote.flavour.name} at {remote.base}", publish_build(build_dir, remote, base_iri=base_iri)


__all__ = [
    "DIGEST", "FLAVOURS", "KEPT", "Flavour", "PUBLICATION_GRAPH", "Published", "RemoteStore", "RemoteStoreError", "StoreURL",
    "graph_body", "graph_digest", "graphs_of", "normalise_results_json", "open_store", "parse_store_url", "publish_build",
    "publish_graph",
    "publish_store", "publish_to", "query_form",
]
