"""The SPARQL 1.1 Protocol at ``/sparql``: query via GET, form POST and direct POST; read-only.

Queries reach :func:`_handle` through :class:`SparqlEndpoint`, an ASGI middleware that skips
FastAPI's routing (the router keeps the same route for other methods). Request handling happens on
the event loop: reading a size-capped body, the admission checks (cached
by query text), a lookup in the answer cache (:mod:`kg.serve.cache`), and otherwise evaluation in
the worker pool (:mod:`kg.serve.workers`), awaited from a thread so other requests proceed. ``limit``/``offset`` parameters ask for one page of an answer (over the row
cap or not); the response links the next page (docs/endpoint.md, *Paging*).
"""

from __future__ import annotations

import asyncio
import codecs
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from functools import lru_cache
from urllib.parse import unquote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from kg.serve import negotiation as neg
from kg.serve.errors import error_response
from kg.serve.query_check import QueryInfo, QueryRejected, inspect_query
from kg.serve.state import PREFIXES, ServerState
from kg.serve.workers import JobResult, PoolError, QueryJob

router = APIRouter()

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
_PREFIX_DECL = re.compile(r"PREFIX\s+([A-Za-z][\w.\-]*)?:\s*<([^<>\s]*)>", re.IGNORECASE)


class ProtocolError(ValueError):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _single(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name, [])
    if len(values) > 1:
        raise ProtocolError(400, f"more than one {name!r} parameter")
    return values[0] if values else None


def _media_parameters(content_type: str) -> tuple[str, dict[str, str]]:
    media, *params = (p.strip() for p in content_type.split(";"))
    parsed = {}
    for param in params:
        key, _, value = param.partition("=")
        parsed[key.strip().lower()] = value.strip().strip('"').lower()
    return media.lower(), parsed


def _decode(body: bytes, charset: str | None) -> str:
    if charset not in (None, "utf-8", "utf8"):
        raise ProtocolError(415, f"unsupported charset {charset!r}: queries must be UTF-8")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError(400, "the request body is not valid UTF-8") from None


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise ProtocolError(413, f"request body over {limit} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ProtocolError(413, f"request body over {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


_NOT_AN_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _unquote_plus(text: str) -> str:
    """``urllib.parse.unquote_plus(text, errors="replace")``, 10–25× faster on query texts.

    urllib decodes escape by escape in Python (≈ 0.1–0.4 ms for a 0.5–1 KB form-encoded query, on
    every request); here ``%XX`` become ``\\xXX`` (backslashes doubled first) for the C-level
    ``codecs.escape_decode``. Anything unusual (a ``%`` without two hex digits, unencodable text)
    goes to urllib.
    """
    text = text.replace("+", " ")
    if "%" not in text:
        return text
    if _NOT_AN_ESCAPE.search(text) is None:
        try:
            raw = text.replace("\\", "\\\\").replace("%", "\\x").encode("utf-8")
        except UnicodeEncodeError:
            pass
        else:
            return codecs.escape_decode(raw)[0].decode("utf-8", "replace")  # type: ignore[no-any-return]
    return unquote(text, errors="replace")


def parse_form(text: str) -> dict[str, list[str]]:
    """``urllib.parse.parse_qs(text, keep_blank_values=True)`` with the fast :func:`_unquote_plus`."""
    params: dict[str, list[str]] = {}
    for field in text.split("&"):
        if field:
            name, _, value = field.partition("=")
            params.setdefault(_unquote_plus(name), []).append(_unquote_plus(value))
    return params


def _url_params(request: Request) -> dict[str, list[str]]:
    return parse_form(request.url.query)


async def _operation(request: Request, state: ServerState) -> tuple[str | None, dict[str, list[str]]]:
    """The query text (``None`` if absent) and the protocol parameters, or :class:`ProtocolError`."""
    params = _url_params(request)
    if request.method == "GET":
        if "update" in params:
            raise ProtocolError(403, "this endpoint is read-only: SPARQL Update is not accepted")
        return _single(params, "query"), params
    media, media_params = _media_parameters(request.headers.get("content-type", ""))
    if media == UPDATE:
        raise ProtocolError(403, "this endpoint is read-only: SPARQL Update is not accepted")
    body = await _read_body(request, state.settings.max_query_bytes * 3 + 4096)
    if media == FORM:
        form = parse_form(_decode(body, media_params.get("charset")))
        if "update" in form:
            raise ProtocolError(403, "this endpoint is read-only: SPARQL Update is not accepted")
        for key, values in form.items():
            if key != "query":
                params.setdefault(key, []).extend(values)
        query = _single(form, "query")
        if query is None:
            raise ProtocolError(400, "missing 'query' parameter in the form body")
        if "query" in params:
            raise ProtocolError(400, "more than one 'query' parameter")
        return query, params
    if media == DIRECT:
        if "query" in params:
            raise ProtocolError(400, "'query' given both in the URL and in the body")
        return _decode(body, media_params.get("charset")), params
    shown = media or "none"
    raise ProtocolError(415, f"unsupported content type {shown}: use {FORM} or {DIRECT}")


@lru_cache(maxsize=512)
def _inspect(query: str, max_bytes: int, max_nesting: int) -> QueryInfo:
    """:func:`inspect_query`, once per query text (a refusal raises and is not cached)."""
    return inspect_query(query, max_bytes, max_nesting)


@lru_cache(maxsize=512)
def _prefixes(query: str) -> dict[str, str]:
    """The predeclared prefixes with the query's own declarations (shared: never modify)."""
    found = dict(PREFIXES)
    found.update({(name or ""): iri for name, iri in _PREFIX_DECL.findall(query) if iri})
    found.pop("", None)
    return found


#: Threads that wait on the query workers: as many as anyio's default thread limit (40), which
#: ``run_in_threadpool`` applied before; created on first use (after the pool's zygote has forked).
EVALUATORS = 40
_evaluators: ThreadPoolExecutor | None = None


async def _evaluate(state: ServerState, job: QueryJob) -> JobResult:
    """``state.pool.run(job, …)`` in a thread of a dedicated executor, so the event loop keeps
    answering meanwhile. Why not starlette's ``run_in_threadpool``: anyio's capacity limiter,
    cancellation scope and context copy cost ≈ 10–25 µs of server CPU per request and buy nothing
    here (the call is never cancelled and reads no context variable)."""
    global _evaluators
    if _evaluators is None:
        _evaluators = ThreadPoolExecutor(EVALUATORS, thread_name_prefix="kg-serve-query")
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_evaluators, state.pool.run, job, state.settings.timeout, state.settings.queue_wait)


#: Worker answers that depend only on the cache key (not 500s, which may be a worker's own failure).
_CACHEABLE = (200, 400, 422)


def _choose(request: Request, params: dict[str, list[str]], offers: tuple[neg.MediaType, ...]) -> neg.MediaType:
    fmt = _single(params, "format")
    if fmt:
        return neg.by_format(fmt, offers)
    return neg.negotiate(request.headers.get("accept"), offers)


#: The longest ``Link`` header written; longer query texts page by ``X-Next-Offset`` alone (clients
#: such as h11 refuse response heads over 16 KiB).
LINK_LIMIT = 8192


def _page(params: dict[str, list[str]], max_rows: int) -> tuple[int, int] | None:
    """``(size, offset)`` from the ``limit``/``offset`` parameters, ``None`` when neither is given."""
    limit, offset = _single(params, "limit"), _single(params, "offset")
    if limit is None and offset is None:
        return None
    size = _count(limit, "limit", 1, max_rows) if limit is not None else max_rows
    return size, _count(offset, "offset", 0, 10**15) if offset is not None else 0


def _count(text: str, name: str, low: int, high: int) -> int:
    if not (text.isascii() and text.isdigit() and len(text) <= 16 and low <= int(text) <= high):
        raise ProtocolError(400, f"{name!r} must be a whole number from {low} to {high}")
    return int(text)


def _page_links(request: Request, query: str, params: dict[str, list[str]], page: tuple[int, int], more: bool) -> dict[str, str]:
    """``Link`` (``rel="next"``/``"prev"``, GET URLs repeating the request) and ``X-Next-Offset``."""
    size, offset = page
    keep = [(k, v) for k, values in params.items() if k in ("default-graph-uri", "named-graph-uri", "format") for v in values]
    links = []
    targets = ([("next", offset + size)] if more else []) + ([("prev", max(offset - size, 0))] if offset else [])
    for rel, at in targets:
        url = request.url.path + "?" + urlencode([("query", query), *keep, ("limit", str(size)), ("offset", str(at))])
        links.append(f'<{url}>; rel="{rel}"')
    headers = {"X-Next-Offset": str(offset + size)} if more else {}
    link = ", ".join(links)
    if link and len(link) <= LINK_LIMIT:
        headers["Link"] = link
    return headers


def _headers(state: ServerState, extra: dict[str, str] | None = None) -> dict[str, str]:
    headers = {"Vary": "Accept", "X-Max-Rows": str(state.settings.max_rows)}
    headers.update(extra or {})
    return headers


async def _handle(request: Request, state: ServerState | None = None) -> Response:
    if state is None:
        state = request.app.state.kg
    try:
        query, params = await _operation(request, state)
        if query is None:
            if "format" not in params and neg.negotiate(request.headers.get("accept"), (*neg.RDF, neg.HTML)) is neg.HTML:
                return state.query_page(request)
            media = _choose(request, params, neg.RDF)
            body = state.service_description(str(request.url.remove_query_params(["format"])), media.kind)
            return Response(body, media_type=media.content_type, headers=_headers(state))
        info = _inspect(query, state.settings.max_query_bytes, state.settings.max_nesting)
        offers = neg.RDF if info.form in ("CONSTRUCT", "DESCRIBE") else neg.RESULTS
        media = _choose(request, params, offers)
        # A dataset given in the protocol replaces the whole default dataset (SPARQL 1.1 Protocol §2.1.4).
        default_graphs: tuple[str, ...] | None = tuple(params.get("default-graph-uri", ()))
        named_graphs: tuple[str, ...] | None = tuple(params.get("named-graph-uri", ()))
        if not default_graphs and not named_graphs:
            default_graphs = named_graphs = None
        base_iri = str(request.url.replace(query=""))  # the service-defined base IRI is the endpoint
        page = _page(params, state.settings.max_rows)
        # The store is read-only: the same question in the same format has the same answer.
        key = (query, media.kind, default_graphs, named_graphs, base_iri, state.settings.max_rows, page)
        result = state.cache.get(key)
        if result is None:
            job = QueryJob(
                query=query,
                kind=media.kind,
                max_rows=state.settings.max_rows,
                default_graphs=default_graphs,
                named_graphs=named_graphs,
                prefixes=_prefixes(query),
                union_default_graph=not info.has_dataset,
                base_iri=base_iri,
                query_limit=info.limit,
            )
            if page is not None:
                job = replace(job, max_rows=page[0], offset=page[1], paged=True)
            result = await _evaluate(state, job)
            if result.status in _CACHEABLE:
                state.cache.put(key, result)
    except ProtocolError as exc:
        return error_response(exc.status, exc.message)
    except QueryRejected as exc:
        return error_response(exc.status, exc.message)
    except neg.NotAcceptable as exc:
        return error_response(406, str(exc))
    except PoolError as exc:
        return error_response(exc.status, exc.message, {"Retry-After": str(exc.retry_after)} if exc.retry_after else None)
    if result.status != 200:
        return error_response(result.status, result.message, _headers(state))
    out = next(m for m in (*neg.RESULTS, *neg.RDF) if m.kind == result.kind)
    extra = {"X-Result-Count": str(result.count)} if result.count is not None else {}
    if page is not None and result.count is not None:
        extra.update(_page_links(request, query, params, page, result.more))
    if "format" in params:  # a download link from the query page or a browser
        extra["Content-Disposition"] = f'attachment; filename="results{out.suffix}"'
    return Response(result.body, media_type=out.content_type, headers=_headers(state, extra))


@router.api_route("/sparql", methods=["GET", "POST", "HEAD"])
@router.api_route("/sparql/", methods=["GET", "POST", "HEAD"], include_in_schema=False)
async def sparql(request: Request) -> Response:
    """SPARQL 1.1 Protocol query operation; without a query, the service description (or the UI)."""
    return await _handle(request)


#: Paths and methods :class:`SparqlEndpoint` answers itself; anything else (e.g. ``PUT /sparql`` → 405)
#: goes through the app's router, which has the same route.
PATHS = frozenset({"/sparql", "/sparql/"})
METHODS = frozenset({"GET", "POST", "HEAD"})


class SparqlEndpoint:
    """ASGI middleware answering the SPARQL queries at ``/sparql`` without FastAPI's routing.

    Why: the layers between the app's outer middleware and the handler (exception and exit-stack
    middleware, router, dependency solving, the route's exception wrapper) cost ≈ 0.12 ms of server
    CPU per request, more than our own protocol handling (docs/endpoint.md, *Where a small query's
    time goes*). The handler is the same :func:`_handle`, behind a CORS middleware with the app's
    options (``cors``); an unexpected exception travels up to the app's outermost middleware, as
    from a route, which answers the one-line 500 and re-raises it for the server's log.
    """

    def __init__(self, app: ASGIApp, state: ServerState, cors: dict) -> None:
        self.app = app
        self.state = state
        self.endpoint = CORSMiddleware(self._answer, **cors)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] in PATHS and scope["method"] in METHODS:
            await self.endpoint(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _answer(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await _handle(Request(scope, receive), self.state)
        await response(scope, receive, send)
