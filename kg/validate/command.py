"""``kg validate``: run the shapes on a build (or RDF files, or a remote SPARQL store) and report for
people and for CI.

Exit status: 0 nothing at or above ``--fail-on``; 1 there is; 2 validation could not run
(missing or unreadable input, broken shapes).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KgError, UsageError
from kg.io import write_text_atomic
from kg.store import load_build, load_files
from kg.validate.batched import DEFAULT_BATCH_DOCUMENTS, validate_build_dir
from kg.validate.render import DEFAULT_BASE, FILE_NAMES, FORMATS, render
from kg.validate.report import ValidationReport, summary_line
from kg.validate.shapes import load_shapes

_LEVELS = {"violation": "Violation", "warning": "Warning", "info": "Info"}


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "validate",
        help="check a build against the structure, arithmetic and indicator-quality shapes",
        description="Validate BUILD_DIR (its dataset.nq, ontology and codes) or RDF files (.nq .trig .ttl .nt) "
        "against shapes/*.ttl. A build directory also gets BUILD/validation/report.{json,ttl,html,xml}. "
        "Exit 0 when nothing is at or above --fail-on, 1 when something is, 2 when validation could not run.",
    )
    p.add_argument("inputs", nargs="*", type=Path, metavar="BUILD_DIR|INPUT",
                   help="a build directory (default: build) or RDF files")
    p.add_argument("--format", choices=FORMATS, default="text", help="what to print on stdout (default: text)")
    p.add_argument("--fail-on", choices=sorted(_LEVELS), default="violation",
                   help="lowest severity that fails the run (default: violation)")
    p.add_argument("--out", type=Path, help="also write report.{json,ttl,html,xml} to this directory")
    p.add_argument("--shapes", type=Path, action="append",
                   help="shape files or directories (default: the bundled shapes/)")
    p.add_argument("--engine", choices=("oxigraph", "pyshacl"), default="oxigraph",
                   help="oxigraph: compiled SPARQL (fast, default); pyshacl: the reference engine (slow)")
    p.add_argument("--batch-documents", type=int, default=DEFAULT_BATCH_DOCUMENTS, metavar="N",
                   help="validate a build directory in stores of about N documents each, with the same report "
                   f"as one store (default: {DEFAULT_BATCH_DOCUMENTS}; flat cost per document, bounded memory); "
                   "0: load the whole build into one store")
    p.add_argument("--store", metavar="URL",
                   help="validate the graphs of a SPARQL 1.1 server instead (the URL as for kg build --store: "
                   "oxigraph+http://HOST:PORT, virtuoso+http://USER:PASSWORD@HOST:PORT …); reports are "
                   "written only with --out")
    p.add_argument("--put-report", action="store_true",
                   help="with --store: also replace the graph BASE/graph/validation on the server with the report")
    p.add_argument("--base-uri", default=DEFAULT_BASE,
                   help=f"with --put-report: base IRI of the data and of the report graph (default: {DEFAULT_BASE})")
    p.set_defaults(func=run)


def load_inputs(inputs: list[Path]) -> tuple[ox.Store, Path | None]:
    """The store to validate and, for a build directory, the directory."""
    missing = [p for p in inputs if not p.exists()]
    if missing:
        raise UsageError(f"no such file or directory: {', '.join(map(str, missing))}")
    if len(inputs) == 1 and inputs[0].is_dir():
        store, _ = load_build(inputs[0])
        return store, inputs[0]
    store, _ = load_files(inputs)
    return store, None


def validate_inputs(inputs: list[Path], shapes: list[Path] | None = None, engine: str = "oxigraph",
                    batch_documents: int = DEFAULT_BATCH_DOCUMENTS) -> tuple[ValidationReport, Path | None]:
    """Load, validate, return the report (and the build directory, if one was given). A build
    directory is validated in batches of ``batch_documents`` documents by the compiled checks
    (:func:`kg.validate.batched.validate_build_dir`; 0: in one store), with the same report."""
    if batch_documents < 0:
        raise UsageError(f"--batch-documents must be 0 or more, got {batch_documents}")
    index = load_shapes(shapes)
    if engine == "oxigraph" and batch_documents > 0 and len(inputs) == 1 and inputs[0].is_dir():
        return validate_build_dir(inputs[0], index, batch_documents=batch_documents), inputs[0]
    store, build = load_inputs(inputs)
    if engine == "pyshacl":
        from kg.validate.shacl import validate_store_pyshacl

        return validate_store_pyshacl(store, index), build
    from kg.validate.engine import validate_store

    return validate_store(store, index), build


#: Where ``--put-report`` puts the report on a remote store (relative to the base IRI), the graph
#: ``kg serve`` loads ``report.ttl`` into.
VALIDATION_GRAPH = "graph/validation"


def validate_remote(url: str, shapes: list[Path] | None = None, *, timeout: float = 300.0,
                    put_report: bool = False, base_iri: str = DEFAULT_BASE,
                    fail_on: str = "Violation") -> tuple[ValidationReport, str]:
    """Validate the graphs of the SPARQL store at a ``--store`` URL with the compiled checks (the same
    queries as on the embedded store, over the union of its graphs); with ``put_report``, replace
    ``base_iri + graph/validation`` on the server with the report (Graph Store ``PUT``) and record it
    in the publication record of ``kg build --store``, so that a later incremental publication neither
    sends the same report again nor deletes it when the build has none. Returns the report and the
    server's name (without credentials)."""
    from kg.store.remote import RemoteStore, publish_graph
    from kg.validate.engine import validate_store

    index = load_shapes(shapes)
    with RemoteStore(url, timeout=timeout) as remote:
        report = validate_store(remote, index)  # type: ignore[arg-type]
        if put_report:
            ttl = render(report, "ttl", fail_on, base_iri)
            triples = [q.triple for q in ox.parse(ttl.encode("utf-8"), format=ox.RdfFormat.TURTLE)]
            publish_graph(remote, base_iri + VALIDATION_GRAPH, triples, base_iri=base_iri)
        return report, f"{remote.flavour.name} at {remote.base}"


def write_reports(report: ValidationReport, out: Path, fail_on: str) -> list[Path]:
    """``out/report.{json,ttl,html,xml}``, each written atomically."""
    written = []
    for fmt, name in FILE_NAMES.items():
        path = out / name
        write_text_atomic(path, render(report, fmt, fail_on))
        written.append(path)
    return written


def validate_build(build: Path, fail_on: str = "Violation",
                   batch_documents: int = DEFAULT_BATCH_DOCUMENTS) -> ValidationReport:
    """Validate a build directory (in batches of ``batch_documents`` documents; 0: in one store) and
    write ``build/validation/report.*`` (for ``kg run`` / ``make run``); print
    :func:`~kg.validate.report.summary_line` of the result for a short summary."""
    report, _ = validate_inputs([build], batch_documents=batch_documents)
    write_reports(report, build / "validation", fail_on)
    return report


def run(args: argparse.Namespace) -> int:
    fail_on = _LEVELS[args.fail_on]
    server = None
    try:
        if args.store:
            if args.inputs:
                raise UsageError("give either --store URL or a build directory / RDF files, not both")
            if args.engine != "oxigraph":
                raise UsageError("--store runs the compiled checks (--engine oxigraph); pyshacl needs the graphs locally")
            if not args.base_uri.startswith(("http://", "https://")):
                raise UsageError(f"--base-uri must be an http(s) IRI, got {args.base_uri!r}")
            report, server = validate_remote(args.store, args.shapes, put_report=args.put_report,
                                             base_iri=args.base_uri, fail_on=fail_on)
            build = None
        else:
            if args.put_report:
                raise UsageError("--put-report needs --store")
            report, build = validate_inputs(list(args.inputs or [Path("build")]), args.shapes, args.engine,
                                            args.batch_documents)
    except KgError as exc:
        print(f"kg validate: {exc}", file=sys.stderr)
        return 2
    out = args.out or (build / "validation" if build else None)
    if out is not None:
        write_reports(report, out, fail_on)
    sys.stdout.write(render(report, args.format, fail_on))
    if args.format != "text":
        print(summary_line(report, fail_on), file=sys.stderr)
    if server is not None:
        print(f"validated {server}" + (f"; report → {args.base_uri}{VALIDATION_GRAPH}" if args.put_report else ""),
              file=sys.stderr)
    return 0 if report.conforms(fail_on) else 1
