"""``kg validate``: run the shapes on a build (or RDF files) and report for people and for CI.

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
from kg.validate.render import FILE_NAMES, FORMATS, render
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
    p.add_argument("inputs", nargs="*", type=Path, default=[Path("build")], metavar="BUILD_DIR|INPUT",
                   help="a build directory (default: build) or RDF files")
    p.add_argument("--format", choices=FORMATS, default="text", help="what to print on stdout (default: text)")
    p.add_argument("--fail-on", choices=sorted(_LEVELS), default="violation",
                   help="lowest severity that fails the run (default: violation)")
    p.add_argument("--out", type=Path, help="also write report.{json,ttl,html,xml} to this directory")
    p.add_argument("--shapes", type=Path, action="append",
                   help="shape files or directories (default: the bundled shapes/)")
    p.add_argument("--engine", choices=("oxigraph", "pyshacl"), default="oxigraph",
                   help="oxigraph: compiled SPARQL (fast, default); pyshacl: the reference engine (slow)")
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


def validate_inputs(inputs: list[Path], shapes: list[Path] | None = None, engine: str = "oxigraph") -> tuple[ValidationReport, Path | None]:
    """Load, validate, return the report (and the build directory, if one was given)."""
    index = load_shapes(shapes)
    store, build = load_inputs(inputs)
    if engine == "pyshacl":
        from kg.validate.shacl import validate_store_pyshacl

        return validate_store_pyshacl(store, index), build
    from kg.validate.engine import validate_store

    return validate_store(store, index), build


def write_reports(report: ValidationReport, out: Path, fail_on: str) -> list[Path]:
    """``out/report.{json,ttl,html,xml}``, each written atomically."""
    written = []
    for fmt, name in FILE_NAMES.items():
        path = out / name
        write_text_atomic(path, render(report, fmt, fail_on))
        written.append(path)
    return written


def validate_build(build: Path, fail_on: str = "Violation") -> ValidationReport:
    """Validate a build directory and write ``build/validation/report.*`` (for ``kg run`` / ``make run``);
    print :func:`~kg.validate.report.summary_line` of the result for a short summary."""
    report, _ = validate_inputs([build])
    write_reports(report, build / "validation", fail_on)
    return report


def run(args: argparse.Namespace) -> int:
    fail_on = _LEVELS[args.fail_on]
    try:
        report, build = validate_inputs(list(args.inputs), args.shapes, args.engine)
    except KgError as exc:
        print(f"kg validate: {exc}", file=sys.stderr)
        return 2
    out = args.out or (build / "validation" if build else None)
    if out is not None:
        write_reports(report, out, fail_on)
    sys.stdout.write(render(report, args.format, fail_on))
    if args.format != "text":
        print(summary_line(report, fail_on), file=sys.stderr)
    return 0 if report.conforms(fail_on) else 1
