"""``kg site``: build directory → static linked site."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from kg.site.build import build_site


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "site",
        help="render the static linked site (a page, .ttl and .jsonld per resource)",
        description="Render pages for every resource of BUILD_DIR's graph (dataset.nq from kg build, "
        "validation/report.json from kg validate when present). Exit 0 on success, 2 when it cannot run.",
    )
    p.add_argument("build_dir", nargs="?", type=Path, default=Path("build"), metavar="BUILD_DIR",
                   help="the kg build output directory (default: build)")
    p.add_argument("--out", type=Path, help="site directory (default: BUILD_DIR/site); replaced as a whole")
    p.add_argument("--base-path", default="/",
                   help="URL path the site is served under (for the 404 page and sitemap; default /)")
    p.add_argument("--base-uri", default=None,
                   help="base IRI of the resources (default: the build's void:uriSpace, else https://budget-kg.org/)")
    p.add_argument("--jobs", type=int, default=None,
                   help="processes rendering pages (default: every core for sites of 2,000 pages or more, "
                        "else 1; the output does not depend on it)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    if args.jobs is not None and args.jobs < 1:
        print("kg site: --jobs must be at least 1", file=sys.stderr)
        return 2
    result = build_site(args.build_dir, args.out, base_path=args.base_path, base_iri=args.base_uri, jobs=args.jobs)
    seconds = time.perf_counter() - start
    print(f"kg site: {result.pages} pages ({result.resources} resources with .ttl/.jsonld twins) "
          f"→ {result.out} in {seconds:.1f} s", file=sys.stderr)
    return 0
