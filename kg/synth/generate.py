"""Synthetic budget facts: random, but internally consistent until faults are injected.

Amounts are generated as integer cents so that every parent line is exactly the sum of its
children; a fault then changes one printed figure and is recorded in the truth, the way a real
document misprints one cell.
"""

from __future__ import annotations

import functools
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal

from kg.synth import catalogue as cat

CENT = Decimal("0.01")


def money(cents: int) -> Decimal:
    return (Decimal(cents) * CENT).quantize(CENT)


@dataclass(frozen=True)
class Region:
    code: str
    province: str
    city: str
    county: str


@dataclass(frozen=True)
class SynthIndicator:
    level1: str
    level2: str
    level3: str
    description: str
    target: str
    basis: str


@dataclass(frozen=True)
class SynthProject:
    name: str
    code: str
    amount_cents: int
    function_code: str
    goal: str
    plan: tuple[int, ...]
    indicators: tuple[SynthIndicator, ...]


@dataclass(frozen=True)
class Fault:
    """An injected inconsistency: which figure was changed, from what to what."""

    kind: str
    table: str
    subject: str
    printed: str
    expected: str

    def sentence(self) -> str:
        return f"{self.table} {self.subject}: printed {self.printed}, expected {self.expected} ({self.kind})"


@dataclass(frozen=True)
class SynthBudget:
    """The true facts of one synthetic document, before rendering."""

    region: Region
    year: int
    basic_by_leaf: dict[str, int]
    project_by_leaf: dict[str, int]
    economic: dict[str, int]
    three_public: dict[str, int]
    projects: tuple[SynthProject, ...]
    duties: tuple[str, ...]
    operating_costs: int
    previous_total: int
    faults: tuple[Fault, ...] = ()
    overrides: dict[tuple[str, str, str], int] = field(default_factory=dict)
    """Printed values that differ from the computed ones: (table key, row key, column) → cents."""

    @property
    def bureau(self) -> str:
        return f"{self.region.county}医疗保障局"

    def leaf_codes(self) -> list[str]:
        return sorted(set(self.basic_by_leaf) | set(self.project_by_leaf))

    def function_rows(self) -> list[tuple[str, int, int]]:
        """(code, basic, project) for every code used, parents included, in code order."""
        sums: dict[str, list[int]] = {}
        for leaf in self.leaf_codes():
            b, p = self.basic_by_leaf.get(leaf, 0), self.project_by_leaf.get(leaf, 0)
            for code in (leaf[:3], leaf[:5], leaf):
                acc = sums.setdefault(code, [0, 0])
                acc[0] += b
                acc[1] += p
        return [(code, v[0], v[1]) for code, v in sorted(sums.items())]

    def economic_rows(self) -> list[tuple[str, str, int, int, int]]:
        """(code, name, total, personnel, public) for classes and items, in code order."""
        kinds = {code: kind for code, _, kind in cat.ECONOMIC_ITEMS}
        names = {code: name for code, name, _ in cat.ECONOMIC_ITEMS} | cat.ECONOMIC_CLASSES
        sums: dict[str, list[int]] = {}
        for code, cents in self.economic.items():
            col = 0 if kinds[code] == "personnel" else 1
            for key in (code[:3], code):
                acc = sums.setdefault(key, [0, 0])
                acc[col] += cents
        return [(c, names[c], v[0] + v[1], v[0], v[1]) for c, v in sorted(sums.items())]

    @property
    def personnel(self) -> int:
        return sum(r[3] for r in self.economic_rows() if len(r[0]) == 3)

    @property
    def public(self) -> int:
        return sum(r[4] for r in self.economic_rows() if len(r[0]) == 3)

    @property
    def basic(self) -> int:
        return sum(self.basic_by_leaf.values())

    @property
    def project(self) -> int:
        return sum(p.amount_cents for p in self.projects)

    @property
    def total(self) -> int:
        return self.basic + self.project


def _made_up_names() -> Iterator[str]:
    """County names that no real entry of the catalogue has, in a fixed order, without end."""
    real = {c[3] for c in cat.COUNTIES}
    for generation in itertools.count():
        prefix = "" if generation == 0 else cat.NAME_PARTS_A[(generation - 1) % len(cat.NAME_PARTS_A)] * (
            1 + (generation - 1) // len(cat.NAME_PARTS_A))
        for b in cat.NAME_PARTS_B:
            for a in cat.NAME_PARTS_A:
                name = f"{a}{prefix}{b}县"
                if name not in real:
                    yield name


@functools.cache
def _made_up_name(k: int) -> str:
    return next(itertools.islice(_made_up_names(), k, None))


def make_region(index: int) -> Region:
    """The index-th county: real ones first, then made-up names with 99xxxx codes."""
    if index < len(cat.COUNTIES):
        return Region(*cat.COUNTIES[index])
    k = index - len(cat.COUNTIES)
    return Region(f"99{k:04d}", "示例省", "示例市", _made_up_name(k))


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """``total`` cents split into ``parts`` positive amounts (whole 100-yuan steps where possible)."""
    if parts == 1:
        return [total]
    cuts = sorted(rng.sample(range(1, max(total // 100, parts + 1)), parts - 1))
    bounds = [0, *[c * 100 for c in cuts], total]
    return [b - a for a, b in zip(bounds, bounds[1:], strict=False)]


def generate_budget(rng: random.Random, region: Region, year: int) -> SynthBudget:
    items = rng.sample(cat.ECONOMIC_ITEMS, rng.randint(7, len(cat.ECONOMIC_ITEMS)))
    if not any(kind == "public" for _, _, kind in items):
        items.append(next(i for i in cat.ECONOMIC_ITEMS if i[2] == "public"))
    economic = {code: rng.randint(1, 150) * 100 + rng.choice((0, 0, rng.randint(1, 99))) for code, _, _ in items}
    basic_total = sum(economic.values())
    leaves = sorted(rng.sample(cat.BASIC_LEAVES, rng.randint(3, len(cat.BASIC_LEAVES))))
    basic_by_leaf = dict(zip(leaves, _split(rng, basic_total, len(leaves)), strict=True))

    chosen = rng.sample(cat.PROJECTS, rng.randint(2, 6))
    projects = []
    for name, goal, indicators in chosen:
        amount = rng.randint(2, 400) * 100
        amount_text = f"{amount // 100}"
        projects.append(SynthProject(
            name=name,
            code=f"{region.code}{year % 100:02d}P{rng.randint(10**11, 10**12 - 1)}",
            amount_cents=amount,
            function_code=rng.choice(cat.PROJECT_LEAVES),
            goal=goal,
            plan=(25, 50, 75, 100) if rng.random() < 0.8 else (30, 60, 90, 100),
            indicators=tuple(SynthIndicator(l1, l2, l3, d, t.replace("{amount}", amount_text), b)
                             for l1, l2, l3, d, t, b in indicators),
        ))
    project_by_leaf: dict[str, int] = {}
    for p in projects:
        project_by_leaf[p.function_code] = project_by_leaf.get(p.function_code, 0) + p.amount_cents

    car_operation = economic.get("30231", 0)
    reception = rng.choice((0, rng.randint(1, 30) * 10))
    three_public = {"abroad": 0, "reception": reception, "car_purchase": 0, "car_operation": car_operation}
    duties = tuple(rng.sample(cat.DUTIES[:-1], rng.randint(5, len(cat.DUTIES) - 1))) + (cat.DUTIES[-1],)
    return SynthBudget(
        region=region, year=year, basic_by_leaf=basic_by_leaf, project_by_leaf=project_by_leaf,
        economic=economic, three_public=three_public, projects=tuple(projects), duties=duties,
        operating_costs=sum(v for c, v in economic.items() if c.startswith("302")),
        previous_total=basic_total + sum(p.amount_cents for p in projects) + rng.randint(-5000, 5000) * 100,
    )


FAULT_KINDS = ("parent-sum", "three-public-total", "project-prose-amount", "economic-total")


def inject_fault(rng: random.Random, budget: SynthBudget, kind: str) -> SynthBudget:
    """Change one printed figure so that a validation rule must fire; record it as a Fault."""
    delta = rng.choice((1, -1)) * rng.randint(1, 50) * 100
    if kind == "parent-sum":
        parents = [r for r in budget.function_rows() if len(r[0]) == 5]
        code, b, p = rng.choice(parents)
        printed = b + p + delta
        fault = Fault(kind, "部门预算支出总表", code, str(money(printed)), str(money(b + p)))
        key = ("expenditure", code, "total")
    elif kind == "three-public-total":
        right = sum(budget.three_public.values())
        printed = max(right + abs(delta), 100)
        fault = Fault(kind, "部门预算财政拨款“三公”经费支出表", "合计", str(money(printed)), str(money(right)))
        key = ("three_public", "合计", "total")
    elif kind == "project-prose-amount":
        project = rng.choice(budget.projects)
        printed = project.amount_cents + abs(delta) * 10
        fault = Fault(kind, "说明", project.name, str(money(printed)), str(money(project.amount_cents)))
        key = ("prose", project.name, "amount")
    elif kind == "economic-total":
        rows = [r for r in budget.economic_rows() if len(r[0]) == 3]
        code, _, total, _, _ = rng.choice(rows)
        printed = total + abs(delta)
        fault = Fault(kind, "部门预算一般公共预算财政拨款基本支出表", code, str(money(printed)), str(money(total)))
        key = ("economic", code, "total")
    else:
        raise ValueError(f"unknown fault kind {kind!r}; expected one of {', '.join(FAULT_KINDS)}")
    return replace(budget, faults=(*budget.faults, fault), overrides={**budget.overrides, key: printed})
