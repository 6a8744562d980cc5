"""``kg synth``: write a synthetic corpus with its true facts."""

from __future__ import annotations

import argparse
from pathlib import Path

from kg.synth import write_corpus


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "synth",
        help="write synthetic disclosure documents and their true facts (for scale tests)",
        description="Writes OUT/documents/*.md and OUT/truth/*.json (gold form, injected faults listed).",
    )
    p.add_argument("--bureaus", type=int, default=10, help="number of bureaus (default 10)")
    p.add_argument("--years", type=int, default=1, help="budget years per bureau (default 1)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--faults", type=float, default=0.0, metavar="RATE",
                   help="share of documents with one injected inconsistency (0..1, default 0)")
    p.add_argument("--out", type=Path, required=True, help="output directory")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.bureaus < 1 or args.years < 1 or not 0 <= args.faults <= 1:
        print("kg synth: --bureaus and --years must be ≥ 1 and --faults within 0..1")
        return 2
    count = write_corpus(args.out, args.bureaus, args.years, args.seed, args.faults)
    print(f"wrote {count} documents to {args.out / 'documents'} and their truth to {args.out / 'truth'}")
    return 0
