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
    """What ``kg validate BUILD_DIR`` does: batched validation of the build directory
    (:func:`kg.validate.validate_build_dir`, about 100 documents per store). ``seconds`` is the
    whole call (reading the dump, filling the batch stores, the checks, the report: what a user
    waits for), ``load_seconds`` its reading and loading, ``checks_seconds`` the checks and the
    report. ``per_check`` times each check alone on one store of the whole build instead."""
    from kg.validate.batched import Phases, validate_build_dir
    from kg.validate.shapes import compile_shapes, load_shapes

    start = time.perf_counter()
    index = load_shapes(None)
    checks = compile_shapes(index)
    shapes_seconds = time.perf_counter() - start
    if args.get("per_check"):
        return _validate_by_check(Path(args["build"]), index, checks, shapes_seconds)
    batch = int(args.get("batch_documents", 100))
    phases = Phases()
    start = time.perf_counter()
    report = validate_build_dir(Path(args["build"]), index, checks, batch_documents=batch, phases=phases)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "load_seconds": phases.wall["scan"] + phases.wall["load"],
            "checks_seconds": phases.wall["checks"] + phases.wall["report"],
            "phases_wall_seconds": phases.wall, "phases_cpu_seconds": phases.cpu,
            "shapes_seconds": shapes_seconds, "batch_documents": batch, "batches": phases.batches,
            "peak_batch_quads": phases.peak_batch_quads, "whole_store": phases.whole_store,
            "triples": report.triples, "results": len(report.results), "rules": len(index.rules)}


def _validate_by_check(build: Path, index: Any, checks: Any, shapes_seconds: float) -> dict[str, Any]:
    """Each check alone on one store of the whole build: where validation's time goes, slowest first."""
    from kg.store import load_build
    from kg.validate.engine import run_check

    start = time.perf_counter()
    loaded, _ = load_build(build)
    load_seconds = time.perf_counter() - start
    timed = []
    for check in checks:
        t = time.perf_counter()
        run_check(loaded, check)
        timed.append((check.rule, time.perf_counter() - t))
    timed.sort(key=lambda c: -c[1])
    return {"seconds": sum(t for _, t in timed), "load_seconds": load_seconds, "shapes_seconds": shapes_seconds,
            "triples": len(loaded), "rules": len(index.rules), "slowest_checks": timed[:10]}


def site(args: Args) -> dict[str, Any]:
    """A cold build into a fresh directory under ``out`` (one per run): into the previous run's
    directory, kg/site would hard-link the unchanged pages and time a re-build instead."""
    import os

    from kg.site import build_site

    out = Path(args["out"]) / f"run-{os.getpid()}"
    start = time.perf_counter()
    result = build_site(Path(args["build"]), out)
    return {"seconds": time.perf_counter() - start, "pages": result.pages, "resources": result.resources,
            "out": str(out)}


def _time_queries(run_query: Callable[[str], int], texts: dict[str, str], repeat: int,
                  warm_up: bool = True, budget_seconds: float | None = None) -> dict[str, Any]:
    """Per query: a warm-up run (unless ``warm_up`` is false), then up to ``repeat`` timed runs (ms),
    and the result size. With ``budget_seconds``, a query's runs stop once they (warm-up included)
    have taken that long, after at least one timed run: at 5,000 documents an analytic query takes
    seconds, and a fixed count of them would cost minutes without changing its median much."""
    out: dict[str, Any] = {}
    for name, text in texts.items():
        begun = time.perf_counter()
        rows = run_query(text) if warm_up else None
        times: list[float] = []
        for _ in range(max(1, repeat)):
            if times and budget_seconds and time.perf_counter() - begun >= budget_seconds:
                break
            start = time.perf_counter()
            rows = run_query(text)
            times.append((time.perf_counter() - start) * 1000)
        out[name] = {"rows": rows, "ms": times, "p50_ms": statistics.median(times),
                     "stopped_by_budget": len(times) < max(1, repeat)}
    return out


def to_rdflib(store: Any) -> Any:
    """The store's quads in an rdflib ``Dataset`` (union default graph), built from pyoxigraph's
    terms: half the CPU of dumping N-Quads and parsing them with rdflib (6.5 s against 13.9 s at
    282k quads), and the same quads — a literal typed ``xsd:string`` becomes a plain literal, as
    rdflib's own parser makes it, so both engines see the same terms."""
    import pyoxigraph as ox
    import rdflib

    xsd_string = "http://www.w3.org/2001/XMLSchema#string"
    dataset = rdflib.Dataset(default_union=True)
    terms: dict[Any, Any] = {}
    graphs: dict[Any, Any] = {}

    def term(t: Any) -> Any:
        found = terms.get(t)
        if found is None:
            if isinstance(t, ox.NamedNode):
                found = rdflib.URIRef(t.value)
            elif isinstance(t, ox.BlankNode):
                found = rdflib.BNode(t.value)
            elif t.language:
                found = rdflib.Literal(t.value, lang=t.language)
            elif t.datatype.value == xsd_string:
                found = rdflib.Literal(t.value)
            else:
                found = rdflib.Literal(t.value, datatype=rdflib.URIRef(t.datatype.value))
            terms[t] = found
        return found

    def graph(g: Any) -> Any:
        found = graphs.get(g)
        if found is None:
            found = graphs[g] = (dataset.default_context if isinstance(g, ox.DefaultGraph)
                                 else dataset.graph(term(g)))
        return found

    # straight into the store with one context object per graph: Dataset.addN would look the
    # context up again for every quad (a third of the time)
    dataset.store.addN((term(q.subject), term(q.predicate), term(q.object), graph(q.graph_name)) for q in store)
    return dataset


def sample_store(store: Any, max_quads: int) -> tuple[Any, dict[str, Any]]:
    """A store small enough for rdflib: every graph that is not a document's (codes, ontology,
    analysis, links …) and whole document graphs, first by IRI, while the total stays within
    ``max_quads``. Whole graphs, so every document in the sample is complete.

    The analysis and links graphs grow with the corpus (≈ 190 quads per document): at 5,000
    documents the shared graphs alone hold more than 600k quads, and the sample would keep a single
    document. So the limit is raised to the shared graphs plus half of ``max_quads`` when they take
    more than half (``limit_quads`` records it): the documents keep at least half of the budget.
    Graph sizes are counted by iterating each graph's quads, the document graphs only until the
    sample is full: a ``GROUP BY ?g`` over every quad cost 4 s CPU at 1,000 documents."""
    import pyoxigraph as ox

    def size(graph: str) -> int:
        return sum(1 for _ in store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))

    names = sorted(g.value for g in store.named_graphs())
    documents = [g for g in names if "/document/" in g]
    chosen = [g for g in names if "/document/" not in g]
    shared = total = sum(size(g) for g in chosen)
    limit = max(max_quads, shared + max_quads // 2)
    taken = 0
    for g in documents:
        count = size(g)
        if total + count > limit and taken:
            break
        chosen.append(g)
        total += count
        taken += 1
    sample = ox.Store()
    for g in chosen:
        sample.extend(store.quads_for_pattern(None, None, None, ox.NamedNode(g)))
    return sample, {"sample": True, "quads": len(sample), "document_graphs": taken,
                    "document_graphs_total": len(documents), "max_quads": max_quads,
                    "shared_quads": shared, "limit_quads": limit}


def queries(args: Args) -> dict[str, Any]:
    """The query set in-process on pyoxigraph, and with ``rdflib`` on rdflib over the same data —
    or, above ``rdflib_max_quads``, over a sample of whole documents (:func:`sample_store`) on which
    pyoxigraph is timed again, so each ratio compares the two engines on the same quads. rdflib's
    queries run under ``rdflib_budget`` seconds each (:mod:`bench.budget`: lower bounds, and an
    exact minimum)."""
    from bench.budget import resolve_minimum, timed_runs
    from bench.queries import QUERIES, parameters, query_text
    from kg.store import QUERY_OPTIONS, load_build

    begun = start = time.perf_counter()
    loaded, _ = load_build(Path(args["build"]))
    load_seconds = time.perf_counter() - start
    params = parameters(loaded)
    texts = {name: query_text(name, params) for name in QUERIES}
    query_budget = args.get("query_seconds") or None  # seconds of timed runs per query (None: ``repeat`` runs)

    def oxigraph_runner(store: Any) -> Callable[[str], int]:
        return lambda text: sum(1 for _ in store.query(text, **QUERY_OPTIONS))

    result: dict[str, Any] = {"parameters": params, "quads": len(loaded), "load_seconds": load_seconds,
                              "query_seconds": query_budget,
                              "oxigraph": _time_queries(oxigraph_runner(loaded), texts, args["repeat"],
                                                          budget_seconds=query_budget)}
    if args.get("rdflib"):
        max_quads = args.get("rdflib_max_quads") or 0
        if max_quads and len(loaded) > max_quads:
            loaded, data = sample_store(loaded, max_quads)
            data["parameters"] = parameters(loaded)
            texts = {name: query_text(name, data["parameters"]) for name in QUERIES}
            data["oxigraph"] = _time_queries(oxigraph_runner(loaded), texts, args["repeat"], budget_seconds=query_budget)
            baseline = {name: t["p50_ms"] for name, t in data["oxigraph"].items()}
        else:
            data = {"sample": False, "quads": len(loaded)}
            baseline = {name: t["p50_ms"] for name, t in result["oxigraph"].items()}
        start = time.perf_counter()
        dataset = to_rdflib(loaded)
        result["rdflib_load_seconds"] = time.perf_counter() - start
        del loaded
        budget = args.get("rdflib_budget") or None
        repeat = args.get("rdflib_repeat", args["repeat"])

        def measure(name: str, seconds: float | None) -> dict[str, Any]:
            # no warm-up: rdflib keeps no plan or result cache, and its queries take seconds each
            return timed_runs(lambda: sum(1 for _ in dataset.query(texts[name])), repeat, seconds)

        result["rdflib"] = resolve_minimum(measure, texts, baseline, budget)
        result["rdflib_data"] = {**data, "budget_seconds": budget, "repeat": repeat, "baseline_p50_ms": baseline}
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
