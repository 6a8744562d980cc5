"""Project → duty links: which of the bureau's duties (部门职责) each budget project carries out.

The documents never state the tie, so it is inferred (deterministically) from two signals:

- **shared areas**: the project and the duty fall into a common duty area of the taxonomy
  (``ontology/duty-areas.ttl``) that ties duties (not bureau operations, not general affairs);
  this is required for a link;
- **shared terms**: cosine similarity of the project text (name, goals, indicator names) and the
  duty text over terms (character bigrams by default), each weighted by how rare it is among the
  document's duties (a term in every duty says nothing).

``score = (area similarity + term similarity) / 2``; a project keeps its links scoring at least
``min_score`` and at least ``relative`` times its best link. A project with no link gets a
:class:`NoDutyFinding` with the reason. Curated overrides (``data/links.csv``) win over both.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kg.analyze.classify import AreaHit, classify
from kg.analyze.taxonomy import Taxonomy, load_taxonomy
from kg.analyze.text import TOKENIZERS, Tokenizer, shared_phrases
from kg.extract.facts import DocumentFacts, Duty, Project

METHOD = "area+term-cosine/v1"
NAME_WEIGHT = 2.0
"""A project's name states its purpose: area terms found in it count this much extra."""
CURATED = "curated"


@dataclass(frozen=True)
class LinkSettings:
    """Parameters of the linker (defaults chosen on the labelled samples, see docs/analysis.md)."""

    tokenizer: str = "char-bigram"
    min_score: float = 0.2
    relative: float = 0.0
    max_evidence: int = 6


@dataclass(frozen=True)
class DutyLink:
    """A project carries out a duty of the same document."""

    document: str
    project: str
    """Project name as extracted."""
    project_index: int
    """0-based position of the project in the document's facts (names may repeat)."""
    duty: int
    """1-based ordinal of the duty in the document's list."""
    score: float
    evidence: tuple[str, ...]
    """Shared area terms and phrases, most telling first."""
    areas: tuple[str, ...]
    """Slugs of the duty areas the project and the duty share."""
    method: str = METHOD
    note: str | None = None


@dataclass(frozen=True)
class NoDutyFinding:
    """A project with no duty link, and why."""

    document: str
    project: str
    project_index: int
    reason: str
    """Stable slug: ``no-duties-listed``, ``bureau-operations``, ``no-shared-area``,
    ``below-threshold`` or ``removed-by-override``."""
    message: str


@dataclass(frozen=True)
class Override:
    """One row of ``data/links.csv``: add or remove the link project → duty."""

    document: str
    project: str
    duty: int
    action: str
    """``add`` or ``remove``."""
    note: str = ""


@dataclass(frozen=True)
class LinkResult:
    links: tuple[DutyLink, ...]
    findings: tuple[NoDutyFinding, ...]


def project_text(project: Project) -> str:
    """The text a project is matched on: name, goals and indicator names (三级指标)."""
    parts = [project.name, *project.goals]
    parts.extend(i.level3 or "" for i in project.indicators)
    return "\n".join(p for p in parts if p)


def _idf(duty_terms: Sequence[frozenset[str]]) -> dict[str, float]:
    n = len(duty_terms)
    df: dict[str, int] = {}
    for terms in duty_terms:
        for t in terms:
            df[t] = df.get(t, 0) + 1
    return {t: math.log(1 + n / c) for t, c in df.items()}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    dot = sum(w * b[k] for k, w in a.items() if k in b)
    if not dot:
        return 0.0
    return dot / (math.sqrt(sum(w * w for w in a.values())) * math.sqrt(sum(w * w for w in b.values())))


def _area_vector(hits: Iterable[AreaHit], idf: dict[str, float], name_hits: Iterable[AreaHit] = ()) -> dict[str, float]:
    """Area strengths (terms matched, those in the project name counted ``NAME_WEIGHT`` more) × area idf."""
    vec = {h.area.slug: float(h.strength) for h in hits if h.area.ties_duties and h.strength}
    for h in name_hits:
        if h.area.slug in vec:
            vec[h.area.slug] += NAME_WEIGHT * h.strength
    return {a: w * idf.get(a, 0.0) for a, w in vec.items()}


def _evidence(ptext: str, dtext: str, p_hits: Sequence[AreaHit], d_hits: Sequence[AreaHit],
              shared: set[str], idf: dict[str, float], tokenize: Tokenizer, limit: int) -> tuple[str, ...]:
    """Area terms in both texts, then the phrases both texts contain by weight."""
    out: list[str] = []
    d_by_slug = {h.area.slug: h for h in d_hits}
    for hit in p_hits:
        if hit.area.slug in shared:
            d_terms = d_by_slug[hit.area.slug].terms
            both = [t for t in sorted(set(hit.terms) | set(d_terms), key=lambda t: (-len(t), t))
                    if t in ptext and t in dtext]
            # different words for the same area: show the pair that put both texts in it
            out.extend(both or [f"{hit.area.label_zh}（{hit.terms[0]}≈{d_terms[0]}）"])
    words = shared_phrases(ptext, dtext)
    # a word is telling when its terms are, on average, in at most half of the document's duties
    floor = math.log(3)
    weight = {w: sum(idf.get(t, 0.0) for t in terms) / len(terms) for w in words if (terms := tokenize(w))}
    out.extend(sorted((w for w, v in weight.items() if v >= floor), key=lambda w: (-weight[w], w)))
    kept = [e for e in out if not any(e != o and e in o for o in out)]
    return tuple(dict.fromkeys(kept))[:limit]


@dataclass(frozen=True)
class Candidate:
    """A (project, duty) pair of one document that shares a tying area, scored."""

    project_index: int
    duty: Duty
    score: float
    evidence: tuple[str, ...]
    areas: tuple[str, ...]


def score_document(facts: DocumentFacts, taxonomy: Taxonomy | None = None,
                   settings: LinkSettings = LinkSettings()) -> list[Candidate]:
    """Every (project, duty) pair of a document that shares a tying area, with score and evidence
    (evidence only for pairs reaching ``settings.min_score``: the others are never shown)."""
    taxonomy = taxonomy or load_taxonomy()
    tokenize = TOKENIZERS[settings.tokenizer]
    duties = [d for d in facts.duties if d.text]
    duty_terms = [tokenize(d.text) for d in duties]
    idf = _idf(duty_terms)
    duty_vecs = [{t: idf[t] for t in terms} for terms in duty_terms]
    duty_hits = [classify(d.text, taxonomy) for d in duties]
    area_idf = _idf([frozenset(h.area.slug for h in hits) for hits in duty_hits])
    duty_areas = [_area_vector(hits, area_idf) for hits in duty_hits]
    out = []
    for index, project in enumerate(facts.projects):
        ptext = project_text(project)
        p_hits = classify(ptext, taxonomy)
        p_area = _area_vector(p_hits, area_idf, classify(project.name, taxonomy))
        p_vec = {t: idf[t] for t in tokenize(ptext) if t in idf}
        for duty, d_vec, d_hits, d_area in zip(duties, duty_vecs, duty_hits, duty_areas, strict=True):
            shared = set(p_area) & set(d_area)
            if not shared:
                continue
            score = round((_cosine(p_area, d_area) + _cosine(p_vec, d_vec)) / 2, 3)
            evidence = (_evidence(ptext, duty.text, p_hits, d_hits, shared, idf, tokenize, settings.max_evidence)
                        if score >= settings.min_score else ())
            areas = tuple(h.area.slug for h in d_hits if h.area.slug in shared)
            out.append(Candidate(index, duty, score, evidence, areas))
    return out


def _no_link_reason(facts: DocumentFacts, project: Project, taxonomy: Taxonomy, scored: bool) -> tuple[str, str]:
    if not facts.duties:
        return "no-duties-listed", "the document lists no duties (部门职责), so no project can be tied to one"
    hits = classify(project_text(project), taxonomy)
    tying = [h for h in hits if h.area.ties_duties]
    if not tying:
        areas = "、".join(h.area.label_zh for h in hits)
        if any(h.area.slug == "bureau-operations" for h in hits):
            return "bureau-operations", f"a running cost of the bureau itself ({areas}), not work under a listed duty"
        return "no-shared-area", f"the project falls only in {areas}, which ties no project to a duty"
    names = "、".join(h.area.label_zh for h in tying)
    if not scored:
        return "no-shared-area", f"no duty of the document falls in the project's areas ({names})"
    return "below-threshold", f"duties sharing the project's areas ({names}) match too weakly"


def document_links(facts: DocumentFacts, taxonomy: Taxonomy | None = None,
                   settings: LinkSettings = LinkSettings()) -> LinkResult:
    """Computed links and no-duty findings of one document (before overrides)."""
    taxonomy = taxonomy or load_taxonomy()
    by_project: dict[int, list[Candidate]] = {}
    for candidate in score_document(facts, taxonomy, settings):
        by_project.setdefault(candidate.project_index, []).append(candidate)
    links: list[DutyLink] = []
    findings: list[NoDutyFinding] = []
    for index, project in enumerate(facts.projects):
        candidates = by_project.get(index, [])
        best = max((c.score for c in candidates), default=0.0)
        kept = [c for c in candidates if c.score >= settings.min_score and c.score >= settings.relative * best]
        for c in sorted(kept, key=lambda c: c.duty.ordinal):
            links.append(DutyLink(facts.document, project.name, index, c.duty.ordinal, c.score, c.evidence, c.areas))
        if not kept:
            reason, message = _no_link_reason(facts, project, taxonomy, bool(candidates))
            findings.append(NoDutyFinding(facts.document, project.name, index, reason, message))
    return LinkResult(tuple(links), tuple(findings))


def apply_overrides(result: LinkResult, facts_list: Sequence[DocumentFacts],
                    overrides: Sequence[Override]) -> LinkResult:
    """Curated corrections win: ``remove`` drops a computed link, ``add`` adds (or replaces) one."""
    links = list(result.links)
    findings = list(result.findings)
    index_of = {(f.document, p.name): i for f in facts_list for i, p in reversed(list(enumerate(f.projects)))}
    duties_of = {f.document: {d.ordinal for d in f.duties} for f in facts_list}
    for o in overrides:
        key = (o.document, o.project)
        if key not in index_of or o.duty not in duties_of.get(o.document, set()):
            continue  # the override names a project or duty these facts do not have
        links = [lk for lk in links if not (lk.document == o.document and lk.project == o.project and lk.duty == o.duty)]
        if o.action == "add":
            links.append(DutyLink(o.document, o.project, index_of[key], o.duty, 1.0,
                                  (f"curated: {o.note}" if o.note else "curated",), (), CURATED, o.note or None))
            findings = [f for f in findings if not (f.document == o.document and f.project == o.project)]
    linked = {(lk.document, lk.project) for lk in links}
    found = {(f.document, f.project) for f in findings}
    for o in overrides:
        key = (o.document, o.project)
        if o.action == "remove" and key in index_of and key not in linked and key not in found:
            findings.append(NoDutyFinding(o.document, o.project, index_of[key], "removed-by-override",
                                          f"curated override removed the computed link(s): {o.note}".rstrip(": ")))
            found.add(key)
    order = {f.document: n for n, f in enumerate(facts_list)}
    links.sort(key=lambda lk: (order.get(lk.document, 0), lk.project_index, lk.duty))
    findings.sort(key=lambda f: (order.get(f.document, 0), f.project_index))
    return LinkResult(tuple(links), tuple(findings))


def compute_links(facts_list: Sequence[DocumentFacts], overrides: Sequence[Override] = (),
                  taxonomy: Taxonomy | None = None, settings: LinkSettings = LinkSettings()) -> LinkResult:
    """Links and no-duty findings of all documents, with curated overrides applied."""
    taxonomy = taxonomy or load_taxonomy()
    links: list[DutyLink] = []
    findings: list[NoDutyFinding] = []
    for facts in facts_list:
        result = document_links(facts, taxonomy, settings)
        links.extend(result.links)
        findings.extend(result.findings)
    return apply_overrides(LinkResult(tuple(links), tuple(findings)), facts_list, overrides)


def links_json(links: Iterable[DutyLink]) -> list[dict[str, object]]:
    """``BUILD/links.json`` entries: one per kept link."""
    return [
        {"document": lk.document, "project": lk.project, "duty": lk.duty, "score": lk.score,
         "evidence": list(lk.evidence)}
        for lk in links
    ]
