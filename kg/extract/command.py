"""``kg extract``: documents → facts JSON."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg.extract.run import extract_documents, print_report


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "extract",
        help="extract budget facts from documents (.txt/.md files or directories)",
        description="Extract budget facts with line provenance; writes OUT/<stem>.json per document. "
        "Exit 0 when all documents were extracted, 1 when some failed, 2 on usage errors.",
    )
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="document files or directories")
    p.add_argument("--out", type=Path, required=True, help="directory for the JSON facts")
    p.add_argument("--quiet", action="store_true", help="print only errors")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="processes for batches of 16 or more documents (default: 1 + the CPUs the load "
                   "average leaves idle, at most one per CPU and per 8 documents; 0: one per CPU; "
                   "1: this process only)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    missing = [p for p in args.paths if not p.exists()]
    if missing:
        print(f"kg extract: no such file or directory: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    report = (lambda line: print_report(line) if line.startswith("error:") else None) if args.quiet else print_report
    if args.workers is not None and args.workers < 0:
        print("kg extract: --workers must be 0 (one per CPU) or more", file=sys.stderr)
        return 2
    results = extract_documents(args.paths, args.out, report=report, progress=sys.stderr, workers=args.workers)
    if not results:
        print("kg extract: no .txt or .md documents found", file=sys.stderr)
        return 2
    return 0 if all(r.ok for r in results) else 1
