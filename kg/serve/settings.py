"""Settings of the SPARQL endpoint and linked-data server (documented in docs/endpoint.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kg.store import DEFAULT_BASE_IRI

ROOT = Path(__file__).resolve().parent.parent.parent


@dataclass(frozen=True)
class ServeSettings:
    """Everything :func:`kg.serve.app.create_app` needs besides the store."""

    base_iri: str = DEFAULT_BASE_IRI
    """Resources ``<base_iri>x/y`` are served at the request path ``/x/y``."""
    timeout: float = 10.0
    """Wall-clock seconds a query may run before its worker process is killed (→ 503)."""
    workers: int = 4
    """Query worker processes (forked with the store loaded); at most this many queries run at once.
    More than the cores pays: a worker waits on its socket while the server writes the response."""
    worker_memory_mb: int = 2048
    """Memory (MiB) each query worker may allocate beyond the shared store; 0 → no cap (→ 503)."""
    memory_budget_mb: int | None = None
    """Private memory (MiB) of all query workers together, kept after every answer and, by a monitor
    looking every 0.25 s, while queries run: over it the largest idle workers are replaced by fresh
    forks, then the newest query (paused, or running over its fair share) is stopped (→ run once
    more later, or 503: ``memory_requeue``); before that, past ``memory_pause_at`` of it, queries
    wait paused. Reading the
    in-memory store copies the pages read into the reading worker (docs/endpoint.md, "Memory"), so
    without a bound every worker ends up with its own copy of it; under the bound warm workers stay
    warm. ``None`` → half of ``MemAvailable`` once the store is loaded; 0 → no budget."""
    memory_pause_at: float = 0.8
    """Share of the memory budget past which the newest growing query is paused (``SIGSTOP``) while an
    older one runs on, and resumed once the workers are back under 60 % of it (or nothing else runs):
    it waits instead of being stopped at 100 %. Its time limit counts running, not waiting (at most
    ``timeout`` of waiting), and a spare worker takes its place meanwhile. 0 → never pause."""
    memory_requeue: bool = True
    """Run a query stopped for memory while other queries were in flight once more, from the start,
    when the workers are back under 60 % of the budget (waiting at most ``timeout``), instead of
    answering 503 at once; a query stopped alone, or twice, is answered 503."""
    worker_recycle_mb: int = 0
    """Private memory (MiB) after which one query worker is replaced by a fresh fork once it has
    answered, whatever the budget; 0 → never."""
    long_query_after: float = 0.0
    """Seconds after which a running query's worker gets a lower CPU priority (nice 10) until it
    answers, so cheap queries are not time-sliced with analytic ones on busy cores; 0 → never (the
    default: on a shared machine the lowered queries yield to everyone's jobs and reach the
    wall-clock timeout sooner, and the gain measured was within the noise; docs/endpoint.md)."""
    queue_wait: float = 10.0
    """Seconds a query may wait for a free worker before the server answers 503 (busy)."""
    result_cache_mb: int = 64
    """Memory (MiB) for finished answers, reused for the same query, format and dataset; 0 → off."""
    max_query_bytes: int = 32_768
    """Longest accepted query text, in UTF-8 bytes (→ 413)."""
    max_nesting: int = 40
    """Deepest accepted nesting of ``{`` ``(`` ``[`` in a query (→ 400)."""
    max_rows: int = 100_000
    """Most solutions (SELECT) or triples (CONSTRUCT/DESCRIBE) a query may return; more → 422."""
    max_inverse_links: int = 500
    """Most inverse links a resource description lists (a note on the page says when cut)."""
    data_dir: Path | None = None
    """Build directory: its ``site/`` pages are served and its dumps under ``/dumps/``."""
    queries_dir: Path = field(default_factory=lambda: ROOT / "queries")
    """Directory of curated example queries (``*.rq``) offered by the query page."""
    title: str = "budget-kg"
    """Name shown on generated pages and in the service description."""
    access_log: bool = False
    """Log one line per request (uvicorn's access log): about 0.3–0.5 ms of server CPU per request."""

    def __post_init__(self) -> None:
        if not self.base_iri.endswith("/"):
            raise ValueError("base_iri must end with '/'")
        sizes = (self.result_cache_mb, self.worker_recycle_mb, self.memory_budget_mb or 0)
        if self.timeout <= 0 or self.workers < 1 or min(sizes) < 0 or self.long_query_after < 0:
            raise ValueError("timeout must be positive, workers at least 1 and the cache and memory sizes not negative")
        if not 0 <= self.memory_pause_at <= 1:
            raise ValueError("the memory pause mark is a share of the budget, from 0 (never pause) to 1")

    @property
    def site_dir(self) -> Path | None:
        return self.data_dir / "site" if self.data_dir else None
