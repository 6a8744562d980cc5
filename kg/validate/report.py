"""The validation report: frozen dataclasses (errors as data) and the JSON/text views of them.

Both engines (:mod:`kg.validate.engine` on pyoxigraph and :mod:`kg.validate.shacl` on pyshacl)
produce a :class:`ValidationReport`; :meth:`ValidationReport.flatten` is the view tests compare.
The Turtle, JUnit and HTML renderers live in :mod:`kg.validate.render`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

#: Severities from most to least severe (the local names of sh:Violation, sh:Warning, sh:Info).
SEVERITIES = ("Violation", "Warning", "Info")
_RANK = {name: i for i, name in enumerate(SEVERITIES)}


def severity_rank(severity: str) -> int:
    """0 for Violation, 1 for Warning, 2 for Info (unknown severities rank as Violation)."""
    return _RANK.get(severity, 0)


def at_or_above(severity: str, level: str) -> bool:
    """Whether ``severity`` is at least as severe as ``level``."""
    return severity_rank(severity) <= severity_rank(level)


@dataclass(frozen=True)
class Rule:
    """A rule of the catalogue: one shape of ``shapes/*.ttl``."""

    id: str
    """Stable id: the local name of the shape IRI (``arith-parent-sum``)."""
    severity: str
    """``Violation``, ``Warning`` or ``Info``."""
    group: str
    """The shapes file it comes from (``structure``, ``arithmetic``, ``indicators``)."""
    title_en: str = ""
    """One-line English title (the shape's ``rdfs:label@en``)."""
    title_zh: str = ""
    """One-line Chinese title (the shape's ``rdfs:label@zh``)."""
    shape: str = ""
    """The shape IRI."""


@dataclass(frozen=True)
class ValidationResult:
    """One finding: a focus node that fails one constraint of one rule."""

    rule: str
    """Stable rule id (see :class:`Rule`)."""
    severity: str
    """``Violation``, ``Warning`` or ``Info``."""
    focus: str
    """IRI (or blank-node label) of the focus node."""
    component: str
    """The SHACL constraint component IRI (``…#SPARQLConstraintComponent``, ``…#MinCountConstraintComponent``)."""
    document: str | None = None
    """IRI of the named graph (document) the focus node is described in."""
    path: str | None = None
    """The result path (property shapes), as an IRI or SPARQL path text."""
    value: str | None = None
    """The value node: lexical form of a literal or an IRI."""
    message: str = ""
    """The message in English (placeholders filled)."""
    message_zh: str = ""
    """The message in Chinese (placeholders filled)."""
    values: tuple[tuple[str, str], ...] = ()
    """Other variables bound by the rule (name, lexical value), e.g. ``expected`` or ``code``."""
    source_lines: tuple[int, ...] = ()
    """Lines of the source document the facts involved were read from."""

    def key(self) -> tuple[str, str, str, str, str, str]:
        """Identity of a result regardless of engine-specific detail (values, lines, document)."""
        return (self.rule, self.focus, self.component, self.path or "", self.value or "", self.severity)

    def to_json(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "severity": self.severity,
            "rule": self.rule,
            "focus": self.focus,
            "path": self.path,
            "value": self.value,
            "component": self.component,
            "message": self.message,
            "message_zh": self.message_zh,
            "values": dict(self.values),
            "source_lines": list(self.source_lines),
        }


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of validating a dataset against the rule catalogue."""

    results: tuple[ValidationResult, ...]
    """Findings, sorted by document, severity, rule and focus."""
    rules: tuple[Rule, ...] = ()
    """The rules that were run."""
    documents: tuple[str, ...] = ()
    """The named graphs (documents) that were validated."""
    engine: str = "oxigraph"
    """``oxigraph`` (the fast SPARQL engine) or ``pyshacl`` (the reference engine)."""
    triples: int = 0
    """Size of the validated data."""
    labels: dict[str, str] = field(default_factory=dict)
    """Short readable names of documents (graph IRI → file name) for the renderers."""

    def counts(self) -> dict[str, int]:
        """Number of results per severity (every severity present, possibly 0)."""
        c = Counter(r.severity for r in self.results)
        return {s: c.get(s, 0) for s in SEVERITIES}

    def conforms(self, fail_on: str = "Violation") -> bool:
        """True when no result is at or above ``fail_on``."""
        return not any(at_or_above(r.severity, fail_on) for r in self.results)

    def by_rule(self, rule: str) -> tuple[ValidationResult, ...]:
        return tuple(r for r in self.results if r.rule == rule)

    def flatten(self, keys: tuple[str, ...] = ("rule", "focus", "severity")) -> list[tuple[Any, ...]]:
        """Sorted, de-duplicated rows of the chosen fields (the comparison view for tests)."""
        return sorted({tuple(getattr(r, k) or "" for k in keys) for r in self.results})

    def label(self, document: str | None) -> str:
        if not document:
            return "-"
        return self.labels.get(document) or document.rstrip("/").rsplit("/", 1)[-1]

    def to_json(self) -> dict[str, Any]:
        return {
            "conforms": self.conforms(),
            "engine": self.engine,
            "triples": self.triples,
            "counts": self.counts(),
            "documents": [{"iri": d, "name": self.label(d)} for d in self.documents],
            "rules": [
                {"id": r.id, "severity": r.severity, "group": r.group, "title": r.title_en, "title_zh": r.title_zh}
                for r in self.rules
            ],
            "results": [r.to_json() for r in self.results],
        }

    def to_text(self, fail_on: str = "Violation", limit: int | None = None) -> str:
        """A readable listing, one block per result, then a summary line."""
        lines: list[str] = []
        shown = self.results if limit is None else self.results[:limit]
        for r in shown:
            where = f"{self.label(r.document)}"
            if r.source_lines:
                where += ":" + ",".join(str(n) for n in r.source_lines[:8])
            lines.append(f"{r.severity.upper():9} {r.rule}  {where}")
            lines.append(f"          {r.message or r.message_zh}")
            if r.message_zh and r.message:
                lines.append(f"          {r.message_zh}")
            lines.append(f"          focus {r.focus}" + (f"  value {r.value}" if r.value and r.value != r.focus else ""))
        if limit is not None and len(self.results) > limit:
            lines.append(f"… {len(self.results) - limit} more")
        lines.append(summary_line(self, fail_on))
        return "\n".join(lines) + "\n"


def summary_line(report: ValidationReport, fail_on: str = "Violation") -> str:
    c = report.counts()
    verdict = "conforms" if report.conforms(fail_on) else "does not conform"
    return (
        f"{len(report.documents)} documents, {len(report.rules)} rules ({report.engine}): "
        f"{c['Violation']} violations, {c['Warning']} warnings, {c['Info']} infos — {verdict} "
        f"(fail on {fail_on.lower()})"
    )


def sort_results(results: list[ValidationResult] | tuple[ValidationResult, ...]) -> tuple[ValidationResult, ...]:
    """Deterministic order; duplicates (same key and message) removed."""
    seen: dict[tuple[Any, ...], ValidationResult] = {}
    for r in results:
        seen.setdefault(r.key() + (r.message, r.message_zh), r)
    return tuple(sorted(seen.values(), key=lambda r: (
        r.document or "", severity_rank(r.severity), r.rule, r.focus, r.path or "", r.value or "", r.message)))
