"""Analysis over the tie graph: per bureau and across bureaus (pure; the graph is ``kg.analyze.graph.TieGraph``).

Per bureau: duties no project serves (unfunded), projects serving no duty, spending by duty area
(a project's amount split over its areas in proportion to the area terms its text matches),
projects whose indicators miss a level-1 kind, function codes → duty areas. Across bureaus:
cosine similarity of spending profiles (shares of project spending by area) and of duty profiles
(shares of duties by area).
"""

from __future__ import annotations

import heapq
import math
import operator
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol, TypeVar

from kg.analyze.graph import (
    build_graph,
    code_node,
    duty_node,
    edges_of,
    in_edges_of,
    leaf_function_lines,
    project_node,
    split,
)
from kg.analyze.links import LinkResult, NoDutyFinding
from kg.analyze.taxonomy import Taxonomy, load_taxonomy
from kg.extract.facts import DocumentFacts


class _OfDocument(Protocol):
    @property
    def document(self) -> str: ...


T = TypeVar("T", bound=_OfDocument)

LEVEL1_KINDS = ("产出指标", "效益指标", "满意度指标")
"""The level-1 indicator kinds every project should have (2018–2020 framework; 效果指标 = 效益指标)."""
_KIND_MARKERS = {"产出指标": ("产出",), "效益指标": ("效益", "效果"), "满意度指标": ("满意",)}
PLACES = Decimal("0.0001")
NEIGHBOURS = 5
"""Similar bureaus kept per bureau in the similarity results."""


def level1_kind(level1: str | None) -> str | None:
    """The normalised level-1 kind of an indicator row (``效果指标`` → ``效益指标``), or None."""
    for kind, markers in _KIND_MARKERS.items():
        if level1 and any(m in level1 for m in markers):
            return kind
    return None


def _q(amount: Decimal) -> Decimal:
    return amount.quantize(PLACES) if amount else Decimal(0)


@dataclass(frozen=True)
class ItemAreas:
    """A duty (``key`` = ordinal) or project (``key`` = index) with its areas, strongest first."""

    key: int
    label: str
    areas: tuple[str, ...]


@dataclass(frozen=True)
class UnfundedDuty:
    duty: int
    text: str
    areas: tuple[str, ...]
    substantive: bool
    """False for duties only in areas that tie no project (other tasks, 职能转变 …)."""


@dataclass(frozen=True)
class MissingKinds:
    project: str
    project_index: int
    missing: tuple[str, ...]


@dataclass(frozen=True)
class AreaAmount:
    area: str
    amount: Decimal
    share: float
    projects: int


@dataclass(frozen=True)
class CodeArea:
    """Spending under a function code attributed to a duty area."""

    code: str
    area: str
    amount: Decimal | None
    basis: str
    """``function-line`` (the code's leaf line, classified by its name) or ``project`` (a project
    listing the code, through the project's areas)."""


@dataclass(frozen=True)
class BureauAnalysis:
    document: str
    bureau: str | None
    region: str | None
    year: int | None
    unit: str | None
    duties: tuple[ItemAreas, ...]
    projects: tuple[ItemAreas, ...]
    unfunded_duties: tuple[UnfundedDuty, ...]
    projects_without_duty: tuple[NoDutyFinding, ...]
    spending_by_area: tuple[AreaAmount, ...]
    projects_without_amount: int
    missing_indicator_kinds: tuple[MissingKinds, ...]
    code_areas: tuple[CodeArea, ...]


@dataclass(frozen=True)
class Similarity:
    a: str
    b: str
    spending: float | None
    """Cosine of the spending-by-area shares; None when a bureau has no project amounts."""
    duties: float | None
    """Cosine of the duty-area profiles; None when a bureau lists no duties."""


@dataclass(frozen=True)
class AnalysisReport:
    bureaus: tuple[BureauAnalysis, ...]
    similarities: tuple[Similarity, ...]
    nodes: int
    edges: int


def _weighted_areas(graph: Any, node: str) -> list[tuple[str, int]]:
    """(area slug, matched terms) of a node, strongest first (taxonomy order breaks ties)."""
    edges = edges_of(graph, node, "in-area")
    edges.sort(key=lambda e: -e[1]["weight"])
    return [(graph.nodes[v]["slug"], e["weight"]) for v, e in edges]


def _areas_of(graph: Any, node: str) -> tuple[str, ...]:
    return tuple(slug for slug, _ in _weighted_areas(graph, node))


def code_area_edges(graph: Any) -> dict[tuple[str, str], list[tuple[str, dict[str, Any]]]]:
    """A code node's ``in-area`` edges by (code node, document), each list in ``edges_of`` order.

    A code node is shared by every document that prints the code, so filtering its edges by document
    for each bureau would cost documents² (≈ 270 s of a 5,000-document build)."""
    index: dict[tuple[str, str], list[tuple[str, dict[str, Any]]]] = {}
    for node, attrs in graph.nodes.items():
        if attrs.get("kind") == "code":
            for v, data in edges_of(graph, node, "in-area"):
                index.setdefault((node, data.get("document")), []).append((v, data))
    return index


def by_document(items: Iterable[T]) -> dict[str, list[T]]:
    """Items with a ``document`` attribute grouped by it, in their order (one pass, not one per bureau)."""
    groups: dict[str, list[T]] = {}
    for item in items:
        groups.setdefault(item.document, []).append(item)
    return groups


def _bureau(graph: Any, facts: DocumentFacts, findings: Sequence[NoDutyFinding], taxonomy: Taxonomy,
            code_edges: dict[tuple[str, str], list[tuple[str, dict[str, Any]]]]) -> BureauAnalysis:
    """The analysis of one document; ``findings`` are its own, ``code_edges`` from :func:`code_area_edges`."""
    doc = facts.document
    duties, unfunded = [], []
    for duty in facts.duties:
        node = duty_node(doc, duty.ordinal)
        areas = _areas_of(graph, node)
        duties.append(ItemAreas(duty.ordinal, duty.text, areas))
        if not in_edges_of(graph, node, "serves"):
            substantive = any(taxonomy.by_slug(a).ties_duties for a in areas)
            unfunded.append(UnfundedDuty(duty.ordinal, duty.text, areas, substantive))
    projects, missing = [], []
    spending: dict[str, Decimal] = {}
    counts: dict[str, int] = {}
    without_amount = 0
    code_areas: list[CodeArea] = []
    for index, project in enumerate(facts.projects):
        node = project_node(doc, index)
        weighted = _weighted_areas(graph, node)
        areas = tuple(slug for slug, _ in weighted)
        total_weight = sum(w for _, w in weighted)
        projects.append(ItemAreas(index, project.name, areas))
        kinds = {level1_kind(graph.nodes[v]["level1"]) for v, _ in edges_of(graph, node, "has-indicator")}
        lacking = tuple(k for k in LEVEL1_KINDS if k not in kinds)
        if lacking:
            missing.append(MissingKinds(project.name, index, lacking))
        amount = graph.nodes[node]["amount"]
        if amount is None:
            without_amount += 1
        for area, weight in weighted:
            counts[area] = counts.get(area, 0) + 1
            part = split(amount, weight, total_weight)
            if part is not None:
                spending[area] = spending.get(area, Decimal(0)) + part
            for code, _ in edges_of(graph, node, "funded-by"):
                code_areas.append(CodeArea(graph.nodes[code]["label"], area, part, "project"))
    for line in leaf_function_lines(facts):
        for v, data in code_edges.get((code_node(line.code), doc), ()):
            code_areas.append(CodeArea(line.code, graph.nodes[v]["slug"], data["amount"], "function-line"))
    total = sum(spending.values(), Decimal(0))
    order = {a.slug: n for n, a in enumerate(taxonomy.areas)}
    by_area = tuple(
        AreaAmount(area, _q(amount), float(amount / total) if total else 0.0, counts.get(area, 0))
        for area, amount in sorted(spending.items(), key=lambda kv: order[kv[0]])
    )
    merged: dict[tuple[str, str, str], Decimal | None] = {}
    for ca in code_areas:
        key = (ca.code, ca.area, ca.basis)
        prev = merged.get(key)
        merged[key] = ca.amount if prev is None else (prev + ca.amount if ca.amount is not None else prev)
    codes = tuple(CodeArea(c, a, None if amt is None else _q(amt), b)
                  for (c, a, b), amt in sorted(merged.items(), key=lambda kv: (kv[0][0], order[kv[0][1]], kv[0][2])))
    return BureauAnalysis(
        document=doc, bureau=facts.bureau, region=facts.region, year=facts.year, unit=facts.unit,
        duties=tuple(duties), projects=tuple(projects), unfunded_duties=tuple(unfunded),
        projects_without_duty=tuple(findings),
        spending_by_area=by_area, projects_without_amount=without_amount,
        missing_indicator_kinds=tuple(missing), code_areas=codes,
    )


def _unit(vector: dict[str, float], axes: Sequence[str]) -> tuple[float, ...] | None:
    """The vector over ``axes`` scaled to length 1 (None for the zero vector)."""
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return tuple(vector.get(a, 0.0) / norm for a in axes) if norm else None


def _dot(a: tuple[float, ...] | None, b: tuple[float, ...] | None) -> float | None:
    if a is None or b is None:
        return None
    return round(min(1.0, sum(map(operator.mul, a, b))), 3)


def _duty_profile(bureau: BureauAnalysis) -> dict[str, float]:
    profile: dict[str, float] = {}
    for duty in bureau.duties:
        for area in duty.areas:
            profile[area] = profile.get(area, 0.0) + 1 / len(duty.areas)
    return profile


VECTOR_MIN_BUREAUS = 400
"""From this many bureaus on, pairs are compared with numpy: below, importing it (≈ 0.07 s CPU)
costs more than the pure-Python loop (0.09 s at 350) — unless something imported it already
(docs/analysis.md, "Similarities at scale")."""
_VECTOR_MIN_IMPORTED = 40
"""The numpy path's threshold once numpy is imported: its per-call overheads still lose below."""
_BLOCK_CELLS = 1 << 16
"""Pair scores held at once by the numpy path (rows × bureaus): 512 KiB per float64 matrix
stays in cache, which the axis-by-axis sums need more than fewer, larger numpy calls."""


def _nearest_python(sv: Sequence[tuple[float, ...]], dv: Sequence[tuple[float, ...]],
                    neighbours: int) -> set[tuple[int, int]]:
    """Index pairs ``(i, j)``, ``i < j``, where ``j`` is among the ``neighbours`` most similar of
    ``i`` or the reverse, the key being (spending dot, duty dot, earlier document)."""
    mul = operator.mul
    heaps: list[list[tuple[float, float, int]]] = [[] for _ in sv]
    for i in range(len(sv)):
        si, di, hi = sv[i], dv[i], heaps[i]
        for j in range(i + 1, len(sv)):
            sd = sum(map(mul, si, sv[j]))
            dd = sum(map(mul, di, dv[j]))
            for heap, other in ((hi, -j), (heaps[j], -i)):  # most similar, then earliest document
                if len(heap) < neighbours:
                    heapq.heappush(heap, (sd, dd, other))
                elif (sd, dd, other) > heap[0]:
                    heapq.heapreplace(heap, (sd, dd, other))
    return {(min(i, -o), max(i, -o)) for i, heap in enumerate(heaps) for *_, o in heap}


def _dots(rows: Any, table: Any, np: Any) -> Any:
    """``rows[i] · table[j]`` for every i, j, summed axis by axis left to right in float64 —
    bit-identical to ``sum(map(mul, a, b))`` (no BLAS: its summation order and FMA vary by machine)."""
    acc = np.zeros((rows.shape[0], table.shape[0]))
    if rows.shape[1]:
        np.multiply.outer(rows[:, 0], table[:, 0], out=acc)
        term = np.empty_like(acc)
        for k in range(1, rows.shape[1]):
            np.multiply.outer(rows[:, k], table[:, k], out=term)
            acc += term
    return acc


def _pair_dots(left: Any, right: Any, np: Any) -> Any:
    """``left[n] · right[n]`` for every n, summed as :func:`_dots` sums."""
    acc = np.zeros(left.shape[0])
    if left.shape[1]:
        acc = left[:, 0] * right[:, 0]
        for k in range(1, left.shape[1]):
            acc += left[:, k] * right[:, k]
    return acc


def _nearest_numpy(sv: Sequence[tuple[float, ...]], dv: Sequence[tuple[float, ...]],
                   neighbours: int) -> set[tuple[int, int]]:
    """What :func:`_nearest_python` returns, with the scores of a block of rows at a time in
    numpy: each row's top ``neighbours`` are the candidates scoring at least its k-th best
    spending dot (every tie included), ordered exactly by the same key."""
    import numpy as np

    n = len(sv)
    k = min(neighbours, n - 1)
    if k <= 0:
        return set()
    axes = len(sv[0])
    spend = np.array(sv, dtype=np.float64).reshape(n, axes)
    duty = np.array(dv, dtype=np.float64).reshape(n, axes)
    block = max(1, _BLOCK_CELLS // n)
    kept: set[tuple[int, int]] = set()
    for start in range(0, n, block):
        stop = min(n, start + block)
        sd = _dots(spend[start:stop], spend, np)
        local = np.arange(stop - start)
        sd[local, start + local] = -np.inf  # a bureau is not its own neighbour
        threshold = np.partition(sd, n - k, axis=1)[:, n - k]  # each row's k-th largest
        r, c = np.nonzero(sd >= threshold[:, None])
        dd = _pair_dots(duty[r + start], duty[c], np)  # only where the order needs it
        order = np.lexsort((c, -dd, -sd[r, c], r))  # by row; then most similar, earliest
        r, c = r[order], c[order]
        top = np.arange(len(r)) - np.searchsorted(r, r) < k
        i, j = r[top] + start, c[top]
        kept.update(zip(np.minimum(i, j).tolist(), np.maximum(i, j).tolist()))
    return kept


def similarities(bureaus: Sequence[BureauAnalysis], neighbours: int = NEIGHBOURS) -> tuple[Similarity, ...]:
    """Similarity of bureau pairs, each unordered pair once in document order.

    Every pair is compared; a pair is kept when it is among the ``neighbours`` most similar of
    either bureau (by spending, then duties, then document order), so the output grows linearly
    with the corpus. With ``neighbours + 1`` bureaus or fewer, every pair is kept.
    """
    axes = sorted({a for b in bureaus for a in (*(x.area for x in b.spending_by_area), *_duty_profile(b))})
    spend = [_unit({x.area: x.share for x in b.spending_by_area}, axes) for b in bureaus]
    duty = [_unit(_duty_profile(b), axes) for b in bureaus]
    zero = tuple(0.0 for _ in axes)
    sv = [v or zero for v in spend]
    dv = [v or zero for v in duty]
    least = _VECTOR_MIN_IMPORTED if "numpy" in sys.modules else VECTOR_MIN_BUREAUS
    nearest = _nearest_numpy if len(bureaus) >= least else _nearest_python
    return tuple(
        Similarity(bureaus[i].document, bureaus[j].document, _dot(spend[i], spend[j]), _dot(duty[i], duty[j]))
        for i, j in sorted(nearest(sv, dv, neighbours))
    )


def analyze(facts_list: Sequence[DocumentFacts], result: LinkResult, taxonomy: Taxonomy | None = None) -> AnalysisReport:
    """The full analysis of the documents, given their links and no-duty findings."""
    taxonomy = taxonomy or load_taxonomy()
    graph = build_graph(facts_list, result.links, taxonomy)
    findings = by_document(result.findings)
    code_edges = code_area_edges(graph)
    bureaus = tuple(_bureau(graph, f, findings.get(f.document, ()), taxonomy, code_edges) for f in facts_list)
    return AnalysisReport(bureaus, similarities(bureaus), graph.number_of_nodes(), graph.number_of_edges())
