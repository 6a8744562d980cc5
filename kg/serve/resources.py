"""Dereferenceable linked data: every IRI under the base answers at its path.

``GET /bureau/x`` (IRI ``<base>bureau/x``) negotiates between the HTML page — the static site's page
from ``build/site/`` when there is one, else a generic page — and RDF descriptions (Turtle, JSON-LD,
N-Triples, RDF/XML). ``/bureau/x.ttl`` (``.jsonld``, ``.nt``, ``.rdf``, ``.html``) asks for one
format without negotiation. Negotiated answers carry ``Vary: Accept``; all carry ``Link``
``rel="alternate"`` headers to the suffixed forms. Unknown IRIs get a 404 page.

Also here: ``/health``, ``/.well-known/void``, ``/void.ttl``, ``/dumps/…`` and the site's own files.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote, unquote

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from kg.serve import negotiation as neg
from kg.serve import results
from kg.serve.describe import RDF_TYPE, Description, best_label, describe
from kg.serve.errors import error_response
from kg.serve.state import ServerState

router = APIRouter()

#: Build-directory files offered under ``/dumps/`` (besides ``validation/report.*``).
DUMP_SUFFIXES = (".nq", ".trig", ".jsonld", ".ttl", ".nt", ".csv", ".json")
_DUMP_TYPES = {
    ".nq": "application/n-quads",
    ".trig": "application/trig",
    ".jsonld": "application/ld+json",
    ".ttl": "text/turtle; charset=utf-8",
    ".nt": "application/n-triples",
    ".csv": "text/csv; charset=utf-8",
    ".json": "application/json",
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml",
}


def _state(request: Request) -> ServerState:
    return request.app.state.kg


def safe_file(root: Path | None, relative: str) -> Path | None:
    """``root/relative`` if it is an existing file inside ``root`` (no traversal, no hidden files)."""
    if root is None or not relative or any(p.startswith(".") for p in relative.split("/")):
        return None
    try:
        candidate = (root / relative).resolve()
        base = root.resolve()
    except (OSError, ValueError):
        return None
    if candidate.is_file() and candidate.is_relative_to(base):
        return candidate
    return None


def dump_files(data_dir: Path | None) -> dict[str, Path]:
    """Dump name → file: top-level build outputs and the validation report."""
    if data_dir is None or not data_dir.is_dir():
        return {}
    files = {p.name: p for p in sorted(data_dir.iterdir()) if p.is_file() and p.suffix in DUMP_SUFFIXES and not p.name.startswith(".")}
    report_dir = data_dir / "validation"
    if report_dir.is_dir():
        files.update({f"validation/{p.name}": p for p in sorted(report_dir.glob("report.*")) if p.is_file()})
    return files


def path_of(iri: str, base: str) -> str | None:
    """The request path of an IRI under the base (percent-encoded), or ``None``."""
    if not iri.startswith(base):
        return None
    return "/" + quote(iri[len(base):], safe="/#:@!$&'()*+,;=-._~%")


def _alternates(path: str) -> str:
    links = [f'<{path}.{ext}>; rel="alternate"; type="{media}"' for ext, media in (("ttl", "text/turtle"), ("jsonld", "application/ld+json"), ("nt", "application/n-triples"), ("rdf", "application/rdf+xml"), ("html", "text/html"))]
    return ", ".join(links)


def _rdf_body(state: ServerState, desc: Description, media: neg.MediaType) -> bytes:
    return results.graph(desc.triples, media.kind, state.prefixes)


def _compact(iri: str, prefixes: dict[str, str]) -> str:
    for prefix, namespace in prefixes.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def _term_view(state: ServerState, term: object, labels: dict[str, list[ox.Literal]]) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"kind": "iri", "text": best_label(labels.get(term.value)) or _compact(term.value, state.prefixes), "iri": term.value, "href": path_of(term.value, state.settings.base_iri), "note": ""}
    if isinstance(term, ox.Literal):
        extra = f"@{term.language}" if term.language else ("" if term.datatype.value.endswith("#string") else term.datatype.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1])
        return {"kind": "literal", "text": term.value, "note": extra, "iri": None, "href": None}
    return {"kind": "bnode", "text": f"_:{getattr(term, 'value', term)}", "iri": None, "href": None, "note": ""}


def _page_context(state: ServerState, desc: Description, path: str) -> dict[str, object]:
    labels = desc.labels
    grouped: dict[str, list[dict[str, object]]] = {}
    subjects: dict[str, str] = {}
    for triple in desc.outgoing:
        subject = triple.subject.value if isinstance(triple.subject, ox.NamedNode) else f"_:{triple.subject.value}"
        subjects.setdefault(subject, subject)
        key = f"{subject}\n{triple.predicate.value}"
        grouped.setdefault(key, []).append(_term_view(state, triple.object, labels))
    rows = []
    first = {RDF_TYPE: 0, "http://www.w3.org/2000/01/rdf-schema#label": 1, "http://www.w3.org/2004/02/skos/core#prefLabel": 2}

    def order(key: str) -> tuple[int, int, str]:
        subject, predicate = key.split("\n")
        return (subject != desc.iri, first.get(predicate, 9), _compact(predicate, state.prefixes))

    for key in sorted(grouped, key=order):
        values = grouped[key]
        subject, predicate = key.split("\n")
        rows.append({"subject": None if subject == desc.iri else subject, "predicate": _term_view(state, ox.NamedNode(predicate), labels), "objects": values})
    inverse = [
        {"subject": _term_view(state, t.subject, labels), "predicate": _term_view(state, t.predicate, labels)}
        for t in desc.incoming
    ]
    types = [_term_view(state, t.object, labels) for t in desc.outgoing if t.subject.value == desc.iri and t.predicate.value == RDF_TYPE]
    return {
        "iri": desc.iri,
        "label": best_label(labels.get(desc.iri)) or desc.iri,
        "types": types,
        "rows": rows,
        "inverse": inverse,
        "inverse_truncated": desc.inverse_truncated,
        "alternates": [(f"{path}.{ext}", name) for ext, name in (("ttl", "Turtle"), ("jsonld", "JSON-LD"), ("nt", "N-Triples"), ("rdf", "RDF/XML"))],
    }


def not_found(state: ServerState, request: Request) -> Response:
    accept = request.headers.get("accept")
    try:
        wants_html = neg.negotiate(accept, neg.RESOURCE) is neg.HTML
    except neg.NotAcceptable:
        wants_html = False
    if not wants_html:
        return error_response(404, f"no resource at {request.url.path}", {"Vary": "Accept"})
    site_404 = safe_file(state.settings.site_dir, "404.html")
    if site_404 is not None:
        return HTMLResponse(site_404.read_bytes(), status_code=404, headers={"Vary": "Accept"})
    return state.render("404.html", status=404, headers={"Vary": "Accept"}, path=request.url.path)


def _site_page(state: ServerState, iri: str) -> Path | None:
    """The static site's page for ``iri`` (``<path>.html`` or ``<path>/index.html``)."""
    rest = unquote(iri[len(state.settings.base_iri):].partition("#")[0]).strip("/")
    if not rest:
        return safe_file(state.settings.site_dir, "index.html")
    return safe_file(state.settings.site_dir, rest + ".html") or safe_file(state.settings.site_dir, rest + "/index.html")


def _request_paths(request: Request) -> list[str]:
    """The request path without its leading slash: as sent (percent-encoded) and decoded."""
    raw = request.scope.get("raw_path") or request.url.path.encode()
    sent = raw.decode("latin-1").split("?", 1)[0].lstrip("/")
    decoded = unquote(sent)
    return [sent] if decoded == sent else [sent, decoded]


def _lookup(state: ServerState, paths: list[str]) -> tuple[Description, str, neg.MediaType | None] | None:
    """The description for the first path naming a known IRI, directly or with a format suffix."""
    limit = state.settings.max_inverse_links
    for path in paths:
        iri = state.settings.base_iri + path
        desc = describe(state.store, iri, state.hash_parts.get(iri, ()), limit)
        if desc.found:
            return desc, path, None
    for path in paths:
        stem, dot, ext = path.rpartition(".")
        fixed = neg.by_suffix(f".{ext}", neg.RESOURCE) if dot and "/" not in ext else None
        if fixed is None:
            continue
        iri = state.settings.base_iri + stem
        desc = describe(state.store, iri, state.hash_parts.get(iri, ()), limit)
        if desc.found:
            return desc, stem, fixed
    return None


def serve_resource(request: Request, state: ServerState) -> Response:
    """Dereference the IRI named by the request path."""
    paths = _request_paths(request)
    found = _lookup(state, paths)
    if found is None:
        return _static_or_404(request, state, paths[-1])
    desc, stem, fixed = found
    url_path = path_of(desc.iri, state.settings.base_iri) or "/" + stem
    headers = {"Link": _alternates(url_path)}
    if fixed is None:
        headers["Vary"] = "Accept"
        try:
            media = neg.negotiate(request.headers.get("accept"), neg.RESOURCE)
        except neg.NotAcceptable as exc:
            return error_response(406, str(exc), headers)
    else:
        media = fixed
    if media is neg.HTML:
        page = _site_page(state, desc.iri)
        if page is not None:
            return HTMLResponse(page.read_bytes(), headers=headers)
        return state.render("resource.html", headers=headers, **_page_context(state, desc, url_path))
    return Response(_rdf_body(state, desc, media), media_type=media.content_type, headers=headers)


def _static_or_404(request: Request, state: ServerState, path: str) -> Response:
    found = safe_file(state.settings.site_dir, unquote(path))
    if found is not None:
        return FileResponse(found, media_type=_DUMP_TYPES.get(found.suffix))
    return not_found(state, request)


@router.get("/health")
def health(request: Request) -> JSONResponse:
    state = _state(request)
    pool = state.pool
    return JSONResponse({"status": "ok", "triples": state.total, "graphs": len(state.graphs), "workers": pool.size, "busy": pool.busy,
                         "killed": pool.killed, "recycled": pool.recycled, "stopped_for_memory": pool.stopped,
                         "paused_for_memory": pool.paused, "pauses_for_memory": pool.pauses, "requeued_for_memory": pool.requeued,
                         "waiting_for_memory": pool.waiting, "waited_for_memory": pool.waited, "large_queries_known": pool.remembered,
                         "memory": {"budget_mb": pool.budget_bytes >> 20, "workers_private_mb": pool.private_bytes >> 20,
                                    "workers_private_peak_mb": pool.peak_bytes >> 20},
                         "cache": {"entries": len(state.cache), "bytes": state.cache.size, "hits": state.cache.hits, "misses": state.cache.misses}})


@router.api_route("/void.ttl", methods=["GET", "HEAD"])
@router.api_route("/.well-known/void", methods=["GET", "HEAD"])
def void(request: Request) -> Response:
    """The build's VoID description (Turtle by default, negotiable), or a minimal one."""
    state = _state(request)
    triples = state.void_triples()
    if not triples:
        dataset = ox.NamedNode(state.settings.base_iri + "dataset")
        void_ns = "http://rdfs.org/ns/void#"
        triples = [
            ox.Triple(dataset, ox.NamedNode(RDF_TYPE), ox.NamedNode(void_ns + "Dataset")),
            ox.Triple(dataset, ox.NamedNode(void_ns + "sparqlEndpoint"), ox.NamedNode(str(request.base_url) + "sparql")),
            ox.Triple(dataset, ox.NamedNode(void_ns + "triples"), ox.Literal(str(state.total), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))),
            ox.Triple(dataset, ox.NamedNode(void_ns + "uriSpace"), ox.Literal(state.settings.base_iri)),
        ]
    if request.url.path.endswith(".ttl"):
        media, headers = neg.TURTLE, {}
    else:
        try:
            media, headers = neg.negotiate(request.headers.get("accept"), neg.RDF), {"Vary": "Accept"}
        except neg.NotAcceptable as exc:
            return error_response(406, str(exc))
    return Response(results.graph(triples, media.kind, state.prefixes), media_type=media.content_type, headers=headers)


@router.get("/dumps/")
@router.get("/dumps")
def dumps_index(request: Request) -> Response:
    state = _state(request)
    files = dump_files(state.settings.data_dir)
    listing = [{"name": name, "href": f"/dumps/{name}", "bytes": path.stat().st_size} for name, path in files.items()]
    if neg.negotiate(request.headers.get("accept"), (neg.HTML, neg.SPARQL_JSON)) is neg.HTML:
        return state.render("dumps.html", files=listing)
    return Response(json.dumps(listing, ensure_ascii=False), media_type="application/json")


@router.api_route("/dumps/{name:path}", methods=["GET", "HEAD"])
def dump(request: Request, name: str) -> Response:
    state = _state(request)
    path = dump_files(state.settings.data_dir).get(name)
    if path is None:
        return error_response(404, f"no dump named {name!r}; see /dumps/")
    return FileResponse(path, media_type=_DUMP_TYPES.get(path.suffix, "application/octet-stream"), filename=path.name)


@router.api_route("/", methods=["GET", "HEAD"])
def home(request: Request) -> Response:
    state = _state(request)
    if describe(state.store, state.settings.base_iri, (), 1).found:
        return serve_resource(request, state)
    page = safe_file(state.settings.site_dir, "index.html")
    if page is not None:
        return HTMLResponse(page.read_bytes())
    files = dump_files(state.settings.data_dir)
    return state.render("home.html", graphs=len(state.graphs), triples=state.total, dumps=list(files), examples=state.examples)


@router.api_route("/{path:path}", methods=["GET", "HEAD"])
async def resource(request: Request, path: str) -> Response:
    return await run_in_threadpool(serve_resource, request, _state(request))
