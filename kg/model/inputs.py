"""Inputs of ``kg build``: documents (extracted on the fly) or facts JSON files."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.extract.facts import DocumentFacts, from_json
from kg.io import DOCUMENT_SUFFIXES, read_json
from kg.model.cache import FactsCache


@dataclass(frozen=True)
class Loaded:
    """One input read: its facts, or why it could not be read."""

    path: Path
    facts: DocumentFacts | None
    error: str | None = None
    cached: bool = False
    """The facts came from the build cache (the document was not extracted again)."""


def normalise_facts_json(data: dict[str, Any]) -> dict[str, Any]:
    """Accept the hand-written gold variants ``from_json`` does not (pure; returns a copy).

    - ``spending_plan`` as ``{"10月底": 80.0}`` → ``[{"period": "10月底", "share": 80.0}]``.
    """
    data = copy.copy(data)
    projects = []
    for project in data.get("projects") or []:
        plan = project.get("spending_plan")
        if isinstance(plan, dict):
            project = {**project, "spending_plan": [{"period": k, "share": v} for k, v in plan.items()]}
        projects.append(project)
    data["projects"] = projects
    return data


def find_inputs(paths: Iterable[Path]) -> list[Path]:
    """Files as given; under a directory (recursively, sorted) its facts ``.json`` files when it has
    any, else its ``.txt``/``.md`` documents (so a directory of gold facts skips its README)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file())
            facts = [p for p in files if p.suffix.lower() == ".json"]
            found.extend(facts or [p for p in files if p.suffix.lower() in DOCUMENT_SUFFIXES])
        else:
            found.append(path)
    return found


def load(path: Path, cache: FactsCache | None = None, key: str | None = None) -> Loaded:
    """Facts of one input: ``.json`` is read as facts, anything else is extracted (or taken from
    ``cache`` under ``key`` when an earlier build extracted the same bytes with the same code)."""
    try:
        if path.suffix.lower() == ".json":
            return Loaded(path, from_json(normalise_facts_json(read_json(path))))
        if cache is not None and key is not None:
            hit = cache.get(key)
            if hit is not None:
                return Loaded(path, hit, cached=True)
        from kg.extract.run import extract_path

        result: Any = extract_path(path)
        facts = getattr(result, "facts", result)
        if not isinstance(facts, DocumentFacts):
            return Loaded(path, None, str(getattr(result, "error", None) or "extraction gave no facts"))
        if cache is not None and key is not None:
            cache.put(key, facts)
        return Loaded(path, facts)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return Loaded(path, None, f"{type(exc).__name__}: {exc}")


def load_all(paths: Iterable[Path]) -> Iterator[Loaded]:
    for path in find_inputs(paths):
        yield load(path)
