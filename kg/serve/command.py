"""``kg serve``: the SPARQL endpoint and linked-data server over a build directory or RDF files."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from kg.errors import UsageError
from kg.serve import serve
from kg.serve.settings import ServeSettings
from kg.store import DEFAULT_BASE_IRI, SERVED_EXTRAS, load_build, load_files


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "serve",
        help="serve the SPARQL endpoint and linked-data pages",
        description="Load a build directory (dataset.nq, void.ttl, validation report, site/) or RDF files "
        "(.ttl .nt .nq .trig .jsonld .rdf) into memory and serve SPARQL at /sparql, a query page at /query "
        "and every IRI under the base URI at its path. Exit 2 when the data cannot be loaded.",
    )
    p.add_argument("files", nargs="*", type=Path, metavar="FILE", help="RDF files to serve (each triples file becomes a named graph)")
    p.add_argument("--data", type=Path, default=None, help="build directory (default: build/ when no FILE is given)")
    p.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--timeout", type=float, default=10.0, help="seconds a query may run before it is killed (default 10)")
    p.add_argument("--workers", type=int, default=4, help="query worker processes (default 4)")
    p.add_argument("--memory-budget-mb", type=int, default=None, help="MiB of private memory (pages of the store copied by reading them "
                   "included) all query workers may hold together, also while queries run; past it the largest idle ones are "
                   "replaced by fresh ones, then the newest query is stopped (run once more later if others were in flight, else 503; "
                   "see --memory-pause-at and --memory-requeue) (default: half of the memory "
                   "available once the data is loaded; 0: no budget)")
    p.add_argument("--memory-pause-at", type=float, default=0.8, help="share of the memory budget past which the newest growing "
                   "query is paused while an older one runs on, and resumed under 60 %% of it: it waits instead of being "
                   "stopped at 100 %%; its time limit counts running, not waiting; 0: never pause (default 0.8)")
    p.add_argument("--memory-requeue", action=argparse.BooleanOptionalAction, default=True, help="run a query stopped for memory "
                   "while others were in flight once more when memory has fallen, instead of answering 503 at once (default: on)")
    p.add_argument("--recycle-mb", type=int, default=0, help="MiB of private memory after which one query worker is replaced by a fresh "
                   "one, whatever the budget; 0: never (default 0)")
    p.add_argument("--long-query-after", type=float, default=0.0, help="seconds after which a running query's worker gets a lower CPU "
                   "priority (nice 10) until it answers, e.g. 0.05 on a dedicated machine; 0: never (default 0)")
    p.add_argument("--cache-mb", type=int, default=64, help="MiB of finished answers kept for repeated queries; 0 turns the cache off (default 64)")
    p.add_argument("--max-rows", type=int, default=100_000, help="most rows or triples a query may return (default 100000)")
    p.add_argument("--base-uri", default=DEFAULT_BASE_IRI, help=f"base IRI of the served resources (default {DEFAULT_BASE_IRI})")
    p.add_argument("--queries", type=Path, default=None, help="directory of example queries (*.rq) for the query page")
    p.add_argument("--access-log", action="store_true", help="log one line per request (off by default: it costs about as much server CPU "
                   "as the rest of a cached request's handling)")
    p.set_defaults(func=run)


def settings_from_args(args: argparse.Namespace, data_dir: Path | None) -> ServeSettings:
    base = args.base_uri if args.base_uri.endswith("/") else args.base_uri + "/"
    extra = {"queries_dir": args.queries} if args.queries else {}
    try:
        return ServeSettings(
            base_iri=base, timeout=args.timeout, workers=args.workers, max_rows=args.max_rows,
            result_cache_mb=args.cache_mb, worker_recycle_mb=args.recycle_mb,
            memory_budget_mb=args.memory_budget_mb, memory_pause_at=args.memory_pause_at, memory_requeue=args.memory_requeue, long_query_after=args.long_query_after, data_dir=data_dir, access_log=args.access_log, **extra,
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from exc


def run(args: argparse.Namespace) -> int:
    data_dir = args.data if args.data is not None else (None if args.files else Path("build"))
    settings = settings_from_args(args, data_dir)
    started = time.perf_counter()
    store = None
    sources = []
    if data_dir is not None:
        store, sources = load_build(data_dir, settings.base_iri, extras=SERVED_EXTRAS)
    if args.files:
        store, more = load_files(args.files, settings.base_iri, store)
        sources += more
    assert store is not None
    print(
        f"kg serve: {len(store)} quads from {len(sources)} file(s) in {time.perf_counter() - started:.1f} s; "
        f"http://{args.host}:{args.port}/sparql (query page /query)",
        file=sys.stderr,
    )
    serve(settings, store, args.host, args.port)
    return 0
