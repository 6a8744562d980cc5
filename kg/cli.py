"""The ``kg`` command: one thin subcommand per pipeline stage.

Each stage module in :data:`COMMANDS` defines ``register(subparsers)``, which adds its subcommand
and sets ``func`` to a function of the parsed arguments returning the exit status.

Exit status: 0 success, 1 the data has problems (some documents failed, validation found
violations), 2 usage error or the command could not run.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from kg import __version__
from kg.errors import KgError

COMMANDS = (
    "kg.extract.command",
    "kg.model.command",
    "kg.validate.command",
    "kg.analyze.command",
    "kg.synth.command",
    "kg.site.command",
    "kg.serve.command",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kg",
        description="budget-kg: Chinese budget disclosures → facts → RDF → validation → SPARQL and pages.",
    )
    parser.add_argument("--version", action="version", version=f"budget-kg {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMANDS:
        importlib.import_module(module).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args))
    except KgError as exc:
        print(f"kg {args.command}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
