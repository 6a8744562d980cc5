"""``kg serve`` argument handling (the server itself is exercised in test_protections)."""

from __future__ import annotations

from pathlib import Path

from kg.cli import build_parser, main
from kg.serve.command import settings_from_args


def test_defaults_and_options() -> None:
    args = build_parser().parse_args(["serve", "--timeout", "3", "--workers", "4", "--base-uri", "https://example.org/kg", "a.ttl"])
    settings = settings_from_args(args, None)
    assert settings.timeout == 3 and settings.workers == 4
    assert settings.base_iri == "https://example.org/kg/"
    assert args.files == [Path("a.ttl")] and args.port == 8000 and args.host == "127.0.0.1"


def test_missing_build_is_a_usage_error(tmp_path: Path, capsys) -> None:
    assert main(["serve", "--data", str(tmp_path / "none")]) == 2
    assert "dataset.nq" in capsys.readouterr().err


def test_bad_timeout_is_a_usage_error(capsys) -> None:
    assert main(["serve", "--timeout", "0", "x.ttl"]) == 2
