"""A time budget per rdflib query, without making the rdflib/pyoxigraph ratio dishonest.

rdflib takes seconds to minutes on some queries of the set (``broader_rollup`` ≈ 12 s at 100
documents) where pyoxigraph takes milliseconds. Timing those to the end buys nothing the ratio needs:
a query stopped after ``budget`` seconds still proves rdflib took *at least* that long, so
``elapsed / pyoxigraph p50`` is a **lower bound** of its ratio, and it is reported as one.

The one figure that must be exact is ``rdflib_over_inprocess_min`` (the smallest ratio over the
set). :func:`resolve_minimum` guarantees the query that sets it was timed to the end: while the
smallest ratio (exact ones and lower bounds together) is a lower bound, that query runs again with
twice its budget, at most a little more than it would need to tie the smallest exact ratio — so in
the end either it finishes (an exact ratio) or its lower bound rises above that ratio and it no
longer sets the minimum. Doubling rather than jumping to that ceiling matters under load: the first
exact ratios can be large (fast queries), and a cheaper query finishing meanwhile lowers the ceiling
of all the others.

The budget is enforced in-process with ``SIGALRM`` (rdflib evaluates in pure Python, so the
handler's exception stops it between two bytecodes): a killable child per query would reload the
data each time, which costs more than most queries. The alarm repeats every 50 ms until the
exception gets through, because rdflib has bare ``except:`` clauses that can swallow one.
"""

from __future__ import annotations

import signal
import statistics
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

#: how often the alarm fires again once the budget is spent (see the module docstring)
REARM_SECONDS = 0.05
#: the re-run budget is this much above the time that would tie the smallest exact ratio
MARGIN = 1.1


class QueryBudgetExceeded(BaseException):  # noqa: N818 - a signal, not an error
    """The alarm fired: the query ran past its budget. A ``BaseException`` so that rdflib's
    ``except Exception`` clauses let it through."""


def run_with_budget(fn: Callable[[], Any], budget_seconds: float | None) -> tuple[Any, float, bool]:
    """``(result, elapsed seconds, exceeded)``: ``fn()`` stopped once ``budget_seconds`` (wall) have
    passed (``None`` or ≤ 0: no budget). When exceeded, the result is ``None`` and the elapsed time
    (≥ the budget) is a lower bound of what ``fn`` needs. Main thread only (``SIGALRM``)."""
    if not budget_seconds or budget_seconds <= 0:
        start = time.perf_counter()
        result = fn()
        return result, time.perf_counter() - start, False
    active = [True]

    def on_alarm(signum: int, frame: Any) -> None:
        if active[0]:
            raise QueryBudgetExceeded

    previous = signal.signal(signal.SIGALRM, on_alarm)
    start = time.perf_counter()
    try:
        signal.setitimer(signal.ITIMER_REAL, budget_seconds, REARM_SECONDS)
        try:
            result = fn()
        finally:
            active[0] = False
            signal.setitimer(signal.ITIMER_REAL, 0)
        return result, time.perf_counter() - start, False
    except QueryBudgetExceeded:
        return None, time.perf_counter() - start, True
    finally:
        active[0] = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def timed_runs(fn: Callable[[], int], repeat: int, budget_seconds: float | None) -> dict[str, Any]:
    """``repeat`` timed runs of ``fn`` (returns a row count) under a budget each; the first run over
    budget ends the series and turns the entry into a lower bound."""
    times: list[float] = []
    rows = None
    for _ in range(max(1, repeat)):
        result, elapsed, exceeded = run_with_budget(fn, budget_seconds)
        if exceeded:
            return {"rows": None, "ms": times, "p50_ms": None, "exceeded_budget": True,
                    "budget_ms": budget_seconds * 1000 if budget_seconds else None,
                    "lower_bound_ms": elapsed * 1000}
        rows = result
        times.append(elapsed * 1000)
    return {"rows": rows, "ms": times, "p50_ms": statistics.median(times), "exceeded_budget": False,
            "budget_ms": budget_seconds * 1000 if budget_seconds else None, "lower_bound_ms": None}


def ratio(entry: Mapping[str, Any] | None, baseline_ms: float | None) -> tuple[float | None, bool]:
    """``(rdflib ms / baseline ms, is_lower_bound)``; ``(None, False)`` when either is missing."""
    if not entry or not baseline_ms or baseline_ms <= 0:
        return None, False
    if entry.get("exceeded_budget"):
        return entry["lower_bound_ms"] / baseline_ms, True
    if entry.get("p50_ms") is None:
        return None, False
    return entry["p50_ms"] / baseline_ms, False


def smallest(entries: Mapping[str, Mapping[str, Any]], baselines: Mapping[str, float]) -> tuple[str | None, float | None, bool]:
    """The query with the smallest ratio (exact or lower bound), that ratio, and whether it is a
    lower bound. On a tie an exact ratio wins: it settles the minimum."""
    best: tuple[float, bool, str] | None = None
    for name, entry in entries.items():
        value, lower = ratio(entry, baselines.get(name))
        if value is not None and (best is None or (value, lower) < best[:2]):
            best = (value, lower, name)
    if best is None:
        return None, None, False
    return best[2], best[0], best[1]


def resolve_minimum(measure: Callable[[str, float | None], dict[str, Any]], names: Iterable[str],
                    baselines: Mapping[str, float], budget_seconds: float | None) -> dict[str, dict[str, Any]]:
    """Every query measured with ``measure(name, budget)`` under ``budget_seconds``, then the one
    with the smallest ratio re-run while that ratio is a lower bound (see the module docstring):
    with twice its last budget, capped at ``MARGIN`` × the time that would tie the smallest exact
    ratio. Each entry says how many re-runs it took (``reruns``)."""
    entries = {name: {**measure(name, budget_seconds), "reruns": 0} for name in names}
    while True:
        name, _, lower = smallest(entries, baselines)
        if name is None or not lower:
            return entries
        exact = [v for v, lb in (ratio(e, baselines.get(n)) for n, e in entries.items()) if v is not None and not lb]
        budget = 2 * entries[name]["budget_ms"] / 1000
        if exact:
            budget = min(budget, MARGIN * min(exact) * baselines[name] / 1000)
        reruns = entries[name]["reruns"] + 1
        entries[name] = {**measure(name, budget), "reruns": reruns}
