"""SPARQL endpoint and dereferenceable linked data over an in-memory pyoxigraph store.

``create_app(settings, store)`` (:mod:`kg.serve.app`) builds the FastAPI app; :func:`serve` runs it
under uvicorn. See docs/endpoint.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.serve.settings import ServeSettings


def serve(settings: ServeSettings, store: ox.Store, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve ``store`` until interrupted; the query workers stop with the server."""
    import uvicorn

    from kg.serve.app import close_app, create_app

    app = create_app(settings, store)  # forks the workers before uvicorn starts any thread
    try:
        uvicorn.run(app, host=host, port=port, log_level="info", access_log=settings.access_log, proxy_headers=False)
    finally:
        close_app(app)


def serve_build(build_dir: Path, host: str = "127.0.0.1", port: int = 8000, **settings: Any) -> None:
    """Load a build directory (with the analysis graphs) and serve it; ``settings`` as in :class:`ServeSettings`."""
    from kg.store import SERVED_EXTRAS, load_build

    config = ServeSettings(data_dir=build_dir, **settings)
    store, _sources = load_build(build_dir, config.base_iri, extras=SERVED_EXTRAS)
    serve(config, store, host, port)


__all__ = ["ServeSettings", "serve", "serve_build"]
