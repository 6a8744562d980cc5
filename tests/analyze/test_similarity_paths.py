"""The numpy path of the bureau similarities keeps exactly the pairs the pure-Python heaps keep:
its sums are bit-identical and its top-k ordering handles ties (identical profiles, zero vectors)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.analyze import metrics
from kg.analyze.links import compute_links
from kg.analyze.metrics import _nearest_numpy, _nearest_python, analyze, similarities


def _unit(vector: list[float]) -> tuple[float, ...]:
    norm = sum(v * v for v in vector) ** 0.5
    return tuple(v / norm for v in vector) if norm else tuple(0.0 for _ in vector)


def _profiles(rng: random.Random, n: int, axes: int, distinct: int) -> list[tuple[float, ...]]:
    """``n`` unit vectors drawn from ``distinct`` sparse ones and the zero vector: many ties."""
    pool = [_unit([rng.random() if rng.random() < 0.4 else 0.0 for _ in range(axes)]) for _ in range(distinct)]
    pool.append(tuple(0.0 for _ in range(axes)))
    return [rng.choice(pool) for _ in range(n)]


@pytest.mark.parametrize("seed", range(12))
def test_numpy_path_keeps_the_python_pairs(seed):
    rng = random.Random(seed)
    n, axes = rng.randint(2, 90), rng.randint(0, 9)
    sv = _profiles(rng, n, axes, rng.randint(1, 12))
    dv = _profiles(rng, n, axes, rng.randint(1, 6))
    for neighbours in (1, 3, 5, n + 2):
        assert _nearest_numpy(sv, dv, neighbours) == _nearest_python(sv, dv, neighbours)


def test_numpy_path_in_small_blocks(monkeypatch):
    """Several row blocks (as at thousands of bureaus) give what one block gives."""
    rng = random.Random(99)
    sv, dv = _profiles(rng, 150, 15, 40), _profiles(rng, 150, 15, 8)
    monkeypatch.setattr(metrics, "_BLOCK_CELLS", 7 * 150)
    assert _nearest_numpy(sv, dv, 5) == _nearest_python(sv, dv, 5)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from([0.0, 0.1, 0.3, 1.0, 1e-300, 2.5]), min_size=4, max_size=4),
                          st.lists(st.sampled_from([0.0, 0.2, 1.0]), min_size=4, max_size=4)),
                min_size=1, max_size=25),
       st.integers(1, 6))
def test_numpy_path_equals_python_on_any_profiles(rows, neighbours):
    sv = [_unit(s) for s, _ in rows]
    dv = [_unit(d) for _, d in rows]
    assert _nearest_numpy(sv, dv, neighbours) == _nearest_python(sv, dv, neighbours)


def test_both_paths_give_the_same_similarities(gold_facts, monkeypatch):
    report = analyze(gold_facts, compute_links(gold_facts))
    bureaus = report.bureaus * 3  # repeated profiles: ties at every rank
    monkeypatch.setattr(metrics, "VECTOR_MIN_BUREAUS", 10**9)
    monkeypatch.setattr(metrics, "_VECTOR_MIN_IMPORTED", 10**9)
    plain = similarities(bureaus, neighbours=2)
    monkeypatch.setattr(metrics, "VECTOR_MIN_BUREAUS", 0)
    monkeypatch.setattr(metrics, "_VECTOR_MIN_IMPORTED", 0)
    assert similarities(bureaus, neighbours=2) == plain
    assert similarities(report.bureaus) == report.similarities
