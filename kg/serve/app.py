"""The FastAPI application: SPARQL endpoint, query page, linked data, dumps.

``create_app(settings, store)`` forks the query worker pool at once (while the process is still
single-threaded) and stops it at shutdown; call :func:`close_app` when not running under a server
that sends the lifespan shutdown event.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pyoxigraph as ox
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.cors import CORSMiddleware

from kg import __version__
from kg.serve import resources, sparql
from kg.serve.errors import error_response
from kg.serve.settings import ServeSettings
from kg.serve.state import HERE, ServerState


#: Cross-origin policy of every route (the SPARQL endpoint applies it too, see sparql.SparqlEndpoint).
CORS: dict = {
    "allow_origins": ["*"],
    "allow_credentials": False,
    "allow_methods": ["GET", "POST", "HEAD", "OPTIONS"],
    "allow_headers": ["accept", "content-type"],
    "expose_headers": ["x-result-count", "x-max-rows", "x-next-offset", "link", "retry-after"],
    "max_age": 86400,
}


def create_app(settings: ServeSettings, store: ox.Store) -> FastAPI:
    """The app serving ``store`` (queried with the union of its named graphs as default graph)."""
    state = ServerState.create(settings, store)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        state.pool.close()

    app = FastAPI(title=settings.title, version=__version__, docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.kg = state
    app.add_middleware(CORSMiddleware, **CORS)
    app.add_middleware(sparql.SparqlEndpoint, state=state, cors=CORS)  # outside the others: the hot path

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> Response:
        return error_response(exc.status_code, str(exc.detail), dict(exc.headers or {}))

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, _exc: RequestValidationError) -> Response:
        return error_response(400, "invalid request parameters")

    @app.exception_handler(Exception)
    async def internal(_request: Request, _exc: Exception) -> Response:
        return error_response(500, "internal error")

    @app.get("/query", include_in_schema=False)
    def query_page(request: Request) -> Response:
        return state.query_page(request)

    @app.get("/queries.json", include_in_schema=False)
    def examples() -> Response:
        return Response(json.dumps([e.as_dict() for e in state.examples], ensure_ascii=False), media_type="application/json")

    app.mount("/_kg", StaticFiles(directory=HERE / "static"), name="kg-static")
    app.include_router(sparql.router)
    app.include_router(resources.router)  # last: its catch-all route serves resources
    return app


def close_app(app: FastAPI) -> None:
    """Stop the app's worker processes (idempotent)."""
    app.state.kg.pool.close()
