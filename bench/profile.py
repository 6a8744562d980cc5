"""Where a stage's time goes: ``python -m bench.profile STAGE [--documents N] [--top K]``.

Synthesises ``N`` documents (default 100) with :mod:`kg.synth`, runs the stages before ``STAGE``
unprofiled and ``STAGE`` itself under :mod:`cProfile` (standard library: no profiler to install),
then prints the functions with the most cumulative and own time. STAGE is one of extract, build,
validate, site, queries. The numbers behind bench/RESULTS.md's "Where the time goes".
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
from pathlib import Path

STAGES = ("extract", "build", "validate", "site", "queries")


def prepare(stage: str, work: Path, documents: int) -> dict[str, Path]:
    """Everything ``stage`` reads: the corpus, and the facts and build directory when needed."""
    from bench.run import corpus_shape
    from kg.synth import write_corpus

    bureaus, years = corpus_shape(documents)
    paths = {"documents": work / "corpus" / "documents", "facts": work / "facts", "build": work / "build",
             "site": work / "site"}
    write_corpus(work / "corpus", bureaus, years)
    if STAGES.index(stage) > 0:
        from kg.extract.run import extract_documents
        from kg.model.build import build

        extract_documents([paths["documents"]], paths["facts"])
        build([paths["facts"]], paths["build"])
    return paths


def target(stage: str, paths: dict[str, Path]):  # type: ignore[no-untyped-def]
    """The stage's work as a function of nothing (imports done beforehand)."""
    if stage == "extract":
        from kg.extract.run import extract_documents

        return lambda: extract_documents([paths["documents"]], work_out(paths), workers=1)
    if stage == "build":
        from kg.model.build import build

        return lambda: build([paths["facts"]], paths["build"])
    if stage == "validate":
        from kg.store import load_build
        from kg.validate.engine import validate_store
        from kg.validate.shapes import load_shapes

        index = load_shapes(None)
        store, _ = load_build(paths["build"])
        return lambda: validate_store(store, index)
    if stage == "site":
        from kg.site import build_site

        return lambda: build_site(paths["build"], paths["site"])
    from bench.queries import QUERIES, parameters, query_text
    from kg.store import QUERY_OPTIONS, load_build

    store, _ = load_build(paths["build"])
    texts = [query_text(name, parameters(store)) for name in QUERIES]
    return lambda: [list(store.query(t, **QUERY_OPTIONS)) for t in texts]


def work_out(paths: dict[str, Path]) -> Path:
    return paths["facts"].parent / "facts-profiled"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__.split("\n\n")[0])
    p.add_argument("stage", choices=STAGES)
    p.add_argument("--documents", type=int, default=100)
    p.add_argument("--top", type=int, default=30)
    p.add_argument("--save", type=Path, help="also write the raw profile (pstats format) here")
    opts = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kg-profile-") as tmp:
        paths = prepare(opts.stage, Path(tmp), opts.documents)
        run = target(opts.stage, paths)
        profiler = cProfile.Profile()
        profiler.runcall(run)
    if opts.save:
        profiler.dump_stats(opts.save)
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("cumulative").print_stats(opts.top)
    stats.sort_stats("tottime").print_stats(opts.top)
    print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
