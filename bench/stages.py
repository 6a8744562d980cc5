"""One benchmark stage per process: ``python -m bench.stages STAGE ARGS_JSON RESULT_JSON``.

The parent (:mod:`bench.run`) starts each repetition of each stage as a child process, reads the
child's peak RSS from ``os.wait4`` and the figures the child writes to ``RESULT_JSON``. A child
times only the stage's own work (not interpreter start-up or imports) with ``time.perf_counter``.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

Args = dict[str, Any]


def synth(args: Args) -> dict[str, Any]:
    from kg.synth import write_corpus

    start = time.perf_counter()
    count = write_corpus(Path(args["out"]), args["bureaus"], args["years"], args.get("seed", 0))
    return {"seconds": time.perf_counter() - start, "documents": count}


def extract(args: Args) -> dict[str, Any]:
    from kg.extract.run import extract_documents

    start = time.perf_counter()
    results = extract_documents([Path(args["documents"])], Path(args["out"]), workers=args.get("workers"))
    seconds = time.perf_counter() - start
    failed = [str(r.error) for r in results if not r.ok]
    return {"seconds": seconds, "documents": len(results), "failed": len(failed), "errors": failed[:5]}


def build(args: Args) -> dict[str, Any]:
    from kg.model.build import build as build_graph

    start = time.perf_counter()
    result = build_graph([Path(args["facts"])], Path(args["out"]))
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "quads": result.quads, "documents": len(result.documents),
            "errors": len(result.errors)}


def store(args: Args) -> dict[str, Any]:
    from kg.store import load_build

    start = time.perf_counter()
    loaded, sources = load_build(Path(args["build"]))
    return {"seconds": time.perf_counter() - start, "quads": len(loaded), "files": len(sources)}


def validate(args: Args) -> dict[str, Any]:
    from kg.store import load_build
    from kg.validate.engine import validate_store
    from kg.validate.shapes import compile_shapes, load_shapes

    start = time.perf_counter()
    index = load_shapes(None)
    checks = compile_shapes(index)
    shapes_seconds = time.perf_counter() - start
    start = time.perf_counter()
    loaded, _ = load_build(Path(args["build"]))
    load_seconds = time.perf_counter() - start
    start = time.perf_counter()
    report = validate_store(loaded, index, checks)
    seconds = time.perf_counter() - start
    checks_timed = None
    if args.get("per_check"):
        from kg.validate.engine import run_check

        checks_timed = []
        for check in checks:
            t = time.perf_counter()
            run_check(loaded, check)
            checks_timed.append((check.rule, time.perf_counter() - t))
        checks_timed.sort(key=lambda c: -c[1])
        checks_timed = checks_timed[:10]
    return {"seconds": seconds, "load_seconds": load_seconds, "shapes_seconds": shapes_seconds,
            "triples": len(loaded), "results": len(report.results), "rules": len(index.rules),
            "slowest_checks": checks_timed}


def site(args: Args) -> dict[str, Any]:
    from kg.site import build_site

    start = time.perf_counter()
    result = build_site(Path(args["build"]), Path(args["out"]))
    return {"seconds": time.perf_counter() - start, "pages": result.pages, "resources": result.resources}


def _time_queries(run_query: Callable[[str], int], texts: dict[str, str], repeat: int,
                  warm_up: bool = True) -> dict[str, Any]:
    """Per query: a warm-up run (unless ``warm_up`` is false), then ``repeat`` timed runs (ms), and
    the result size."""
    out: dict[str, Any] = {}
    for name, text in texts.items():
        rows = run_query(text) if warm_up else None
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            rows = run_query(text)
            times.append((time.perf_counter() - start) * 1000)
        out[name] = {"rows": rows, "ms": times, "p50_ms": statistics.median(times)}
    return out


def queries(args: Args) -> dict[str, Any]:
    """The query set in-process on pyoxigraph (and on rdflib with ``rdflib``), same data."""
    import pyoxigraph as ox

    from bench.queries import QUERIES, parameters, query_text
    from kg.store import QUERY_OPTIONS, load_build

    begun = start = time.perf_counter()
    loaded, _ = load_build(Path(args["build"]))
    load_seconds = time.perf_counter() - start
    params = parameters(loaded)
    texts = {name: query_text(name, params) for name in QUERIES}

    def oxigraph_query(text: str) -> int:
        return sum(1 for _ in loaded.query(text, **QUERY_OPTIONS))

    result: dict[str, Any] = {"parameters": params, "quads": len(loaded), "load_seconds": load_seconds,
                              "oxigraph": _time_queries(oxigraph_query, texts, args["repeat"])}
    if args.get("rdflib"):
        import rdflib

        data = loaded.dump(format=ox.RdfFormat.N_QUADS)
        del loaded
        start = time.perf_counter()
        dataset = rdflib.Dataset(default_union=True)
        dataset.parse(data=data, format="nquads")
        result["rdflib_load_seconds"] = time.perf_counter() - start

        def rdflib_query(text: str) -> int:
            return sum(1 for _ in dataset.query(text))

        # no warm-up: rdflib keeps no plan or result cache, and its queries take seconds each
        result["rdflib"] = _time_queries(rdflib_query, texts, args.get("rdflib_repeat", args["repeat"]), warm_up=False)
    result["seconds"] = time.perf_counter() - begun
    return result


STAGES: dict[str, Callable[[Args], dict[str, Any]]] = {
    "synth": synth, "extract": extract, "build": build, "store": store, "validate": validate,
    "site": site, "queries": queries,
}


def main(argv: list[str]) -> int:
    stage, args, out = argv[0], json.loads(argv[1]), Path(argv[2])
    figures = STAGES[stage](args)
    out.write_text(json.dumps(figures, ensure_ascii=False, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
