"""Every bench test notes its background removals in its own temporary registry, never in the one
real benchmark runs share (bench.run.REMOVALS)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import run


@pytest.fixture(autouse=True)
def own_removal_registry(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    registry = tmp_path / "removals"
    monkeypatch.setattr(run, "REMOVALS", registry)
    return registry
