"""``kg analyze BUILD_DIR``: project → duty links and the tie-graph analysis of a build's facts.

Reads ``BUILD_DIR/facts/*.json`` (what ``kg extract``/``kg build`` leave there), applies the curated
overrides (``data/links.csv`` by default) and writes ``links.json``, ``analysis.json``,
``analysis/*.svg`` and ``analysis.trig`` (the links, analysis and duty-area named graphs) into
BUILD_DIR. ``kg build`` does the same as part of the build. Exit 0 on success, 2 when there are no
facts to analyse or the overrides file is malformed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kg.analyze.overrides import OVERRIDES_PATH, read_overrides
from kg.analyze.pipeline import analysis_trig, run_analysis, write_analysis_files
from kg.analyze.quality import measure_entries
from kg.io import write_text_atomic
from kg.extract.facts import DocumentFacts, from_json
from kg.io import read_json
from kg.model.iris import DEFAULT_BASE


def load_facts(path: Path) -> DocumentFacts:
    """Facts JSON (ours, or a gold file whose ``spending_plan`` is ``{period: share}``)."""
    data = read_json(path)
    for project in data.get("projects") or []:
        plan = project.get("spending_plan")
        if isinstance(plan, dict):
            project["spending_plan"] = [{"period": k, "share": v} for k, v in plan.items()]
    return from_json(data)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "analyze",
        help="tie projects to duties and analyse the tie graph of a build directory",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
    )
    p.add_argument("build_dir", type=Path, metavar="BUILD_DIR", help="build directory with facts/*.json")
    p.add_argument("--base-uri", default=DEFAULT_BASE, help=f"base IRI of the data (default {DEFAULT_BASE})")
    p.add_argument("--overrides", type=Path, default=OVERRIDES_PATH, help="curated link corrections CSV")
    p.add_argument("--labels", type=Path, metavar="DIR",
                   help="directory of hand-labelled links (*.json, as tests/data/links): print precision/recall")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    facts_dir = args.build_dir / "facts"
    paths = sorted(facts_dir.glob("*.json")) if facts_dir.is_dir() else []
    if not paths:
        print(f"kg analyze: no facts in {facts_dir} (run kg extract DOCS --out {facts_dir})", file=sys.stderr)
        return 2
    facts_list = []
    for path in paths:
        try:
            facts_list.append(load_facts(path))
        except (ValueError, KeyError, TypeError) as exc:
            print(f"kg analyze: skipped {path}: {exc}", file=sys.stderr)
    try:
        rows = read_overrides(args.overrides)
    except ValueError as exc:
        print(f"kg analyze: {args.overrides}: {exc}", file=sys.stderr)
        return 2
    output = run_analysis(facts_list, args.base_uri, rows)
    for row in output.unresolved_overrides:
        print(f"kg analyze: {args.overrides}:{row.line}: names no project/duty of these facts", file=sys.stderr)
    write_analysis_files(args.build_dir, output)
    write_text_atomic(args.build_dir / "analysis.trig", analysis_trig(facts_list, output, args.base_uri))
    counts = output.summary["counts"]
    print(f"{len(facts_list)} documents · {counts['links']} links · {counts['projects_without_duty']} projects "
          f"without duty · {counts['unfunded_substantive_duties']} unfunded duties → {args.build_dir}")
    if args.labels:
        labels = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(args.labels.glob("*.json"))]
        q = measure_entries(output.links, labels)
        print(f"labelled links ({len(labels)} documents): precision {q.precision:.3f} recall {q.recall:.3f} "
              f"({q.true_positives} of {q.predicted} predicted, {q.expected} labelled)")
    return 0
