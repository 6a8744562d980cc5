"""``kg build``: documents or facts JSON → the knowledge graph's dumps."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg.model.build import build
from kg.model.iris import DEFAULT_BASE


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "build",
        help="build the RDF knowledge graph and its dumps from documents or facts JSON",
        description="Extract documents (.txt/.md) or read facts JSON and write dataset.nq, dataset.trig, "
        "dataset.jsonld, ontology.ttl, codes.ttl, void.ttl, budget_lines.csv, datapackage.json and "
        "facts/*.json into OUT (re-runs reuse OUT/.cache: unchanged documents are not extracted again, an unchanged build does nothing). Exit 0 when every input went in, 1 when some failed, 2 on usage errors.",
    )
    p.add_argument("inputs", nargs="*", type=Path, metavar="INPUT",
                   help="documents, facts JSON files or directories (default: data/samples)")
    p.add_argument("--out", type=Path, default=Path("build"), help="build directory (default: build)")
    p.add_argument("--base-uri", default=DEFAULT_BASE, help=f"base IRI of the data (default: {DEFAULT_BASE})")
    p.add_argument("--rebuild", action="store_true",
                   help="ignore OUT/.cache: extract every document again and rewrite every file")
    p.add_argument("--quiet", action="store_true", help="print only errors")
    p.add_argument("--workers", type=int, metavar="N",
                   help="processes that write the documents' graphs when there are many documents "
                   "(default 2 where two or more CPUs are usable, else 1); the files are the same")
    p.add_argument("--store", metavar="URL",
                   help="also publish the build to a SPARQL 1.1 server, one named graph per document "
                   "(Graph Store PUT; graphs of removed documents are deleted): oxigraph+http://HOST:PORT, "
                   "virtuoso+http://USER:PASSWORD@HOST:PORT, fuseki+http://HOST:PORT/DATASET … (docs/remote-store.md)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    inputs = args.inputs or [Path("data/samples")]
    missing = [p for p in inputs if not p.exists()]
    if missing:
        print(f"kg build: no such file or directory: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    if not args.base_uri.startswith(("http://", "https://")):
        print(f"kg build: --base-uri must be an http(s) IRI, got {args.base_uri!r}", file=sys.stderr)
        return 2

    def report(line: str) -> None:
        if not args.quiet or "→" not in line:
            print(line, file=sys.stderr if "→" not in line else sys.stdout)

    if args.store:
        from kg.store.remote import parse_store_url

        parse_store_url(args.store)  # a wrong URL is a usage error before the build, not after
    if args.workers is not None and args.workers < 1:
        print(f"kg build: --workers must be 1 or more, got {args.workers}", file=sys.stderr)
        return 2
    result = build(inputs, args.out, args.base_uri, report=report, incremental=not args.rebuild,
                   progress=None if args.quiet else sys.stderr, workers=args.workers)
    if not result.documents and not result.errors:
        print("kg build: no documents or facts JSON found", file=sys.stderr)
        return 2
    if args.store and result.documents:
        from kg.store.remote import publish_to

        server, published = publish_to(args.store, args.out, base_iri=args.base_uri)
        report(f"published {len(published.graphs)} graphs ({published.triples} triples), "
               f"{len(published.unchanged)} unchanged → {server}"
               + (f"; removed {len(published.removed)}" if published.removed else ""))
    return 0 if result.ok else 1
