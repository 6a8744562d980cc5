"""Curated link corrections (``data/links.csv``): project IRI, duty IRI, add/remove, note.

The CSV names projects and duties by their graph IRIs (as minted by :mod:`kg.model.iris`), so a
correction survives re-extraction as long as the IRIs are stable. Rows whose IRIs name nothing in
the facts at hand are returned as unresolved (another corpus, or a renamed project) and ignored.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.analyze.iris import AnalysisIris
from kg.analyze.links import Override
from kg.extract.facts import DocumentFacts
from kg.model.iris import DEFAULT_BASE, Iris

OVERRIDES_PATH = Path(__file__).resolve().parents[2] / "data" / "links.csv"
COLUMNS = ("project", "duty", "action", "note")
ACTIONS = ("add", "remove")


@dataclass(frozen=True)
class OverrideRow:
    """One CSV row as written: IRIs and action."""

    project: str
    duty: str
    action: str
    note: str = ""
    line: int = 0


def parse_overrides_csv(text: str) -> list[OverrideRow]:
    """Rows of the CSV text (header ``project,duty,action,note``; ``#`` lines are comments)."""
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)))
    if reader.fieldnames is None or tuple(f.strip() for f in reader.fieldnames[:3]) != COLUMNS[:3]:
        raise ValueError(f"links overrides need the header {','.join(COLUMNS)}")
    rows = []
    for n, rec in enumerate(reader, 2):
        action = (rec.get("action") or "").strip().lower()
        if action not in ACTIONS:
            raise ValueError(f"links overrides row {n}: action must be add or remove, not {action!r}")
        rows.append(OverrideRow((rec.get("project") or "").strip(), (rec.get("duty") or "").strip(), action,
                                (rec.get("note") or "").strip(), n))
    return rows


def resolve_overrides(rows: Sequence[OverrideRow], facts_list: Sequence[DocumentFacts],
                      base_uri: str = DEFAULT_BASE) -> tuple[list[Override], list[OverrideRow]]:
    """Overrides keyed by (document, project name, duty ordinal), and the rows that name nothing here."""
    ids = AnalysisIris(Iris(base_uri))
    projects: dict[str, tuple[str, str]] = {}
    duties: dict[str, tuple[str, int]] = {}
    for facts in facts_list:
        for iri, project in zip(ids.projects(facts), facts.projects, strict=True):
            projects.setdefault(iri, (facts.document, project.name))
        for duty in facts.duties:
            duties[ids.duty(facts, duty.ordinal)] = (facts.document, duty.ordinal)
    resolved, unresolved = [], []
    for row in rows:
        project, duty = projects.get(row.project), duties.get(row.duty)
        if project is None or duty is None or project[0] != duty[0]:
            unresolved.append(row)
            continue
        resolved.append(Override(project[0], project[1], duty[1], row.action, row.note))
    return resolved, unresolved


def read_overrides(path: Path = OVERRIDES_PATH) -> list[OverrideRow]:
    """The override rows of a CSV file; none when the file does not exist (I/O)."""
    if not path.exists():
        return []
    return parse_overrides_csv(path.read_text(encoding="utf-8"))
