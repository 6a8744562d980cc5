"""Deterministic IRIs for everything the graph describes, minted from natural keys.

This is the only module that builds IRIs of our data. Layout (``{base}`` defaults to
:data:`DEFAULT_BASE`, ends with ``/``)::

    {base}bureau/{bureau-key}                         Bureau (stable across years)
    {base}bureau/{bureau-key}/unit/{unit-key}         Subunit (its code, else u-{hash} of its name)
    {base}budget/{bureau-key}/{year}                  Budget (a qb:DataSet)
    …/{year}/project/{project-key}                    Project (its code, else its 1-based ordinal)
    …/project/{project-key}/indicator/{n}             Indicator (1-based ordinal in the project)
    …/project/{project-key}/plan/{n}                  spending-plan step
    …/{year}/duty/{n}                                 Duty (its ordinal)
    …/{year}/goal/{n}                                 document-level performance goal
    …/{year}/table/{table-key}                        BudgetTable (t-{hash} of its title)
    …/{year}/line/{table-key}/{row-key}/{column}      BudgetLine (one cell; row key = code, or r{n})
    …/{year}/figure/{slug}                            total / 三公 / operating-costs figure
    …/{year}/statement/{n}                            prose statement
    {base}document/{stem}                             BudgetDocument = IRI of its named graph
    {base}code/function[/{code}]                      function classification scheme / FunctionCode
    {base}code/economic[/{code}]                      economic classification scheme / EconomicCode
    {base}code/indicator[/{path}]                     indicator framework scheme / categories
    {base}graph/codes, {base}graph/ontology           named graphs of the shared schemes / ontology

Keys: a bureau key is ``{GB/T 2260 code}-{department slug}`` when the region can be determined
from the bundled table (:mod:`kg.model.regions`) — by the region or bureau name, or by a project
code beginning with a known region code (巨鹿: 13052924P…) — or, for a county not in the table, from
several long project codes that all begin with the same valid county code; else ``n-{hash}``. Hashes are the first
hex digits of SHA-1 over the NFKC-normalised, white-space-free name (pinyin is not available):
deterministic, and the same name always gives the same key. Project codes are used only when they
cannot be mistaken for an ordinal (they contain a non-digit or have six or more characters).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote

from kg.model.regions import DEPARTMENT_SLUGS, REGION_CODES

DEFAULT_BASE = "https://budget-kg.org/"
ONTOLOGY = "https://budget-kg.org/ontology#"
ONTOLOGY_IRI = "https://budget-kg.org/ontology"


def normalise_name(name: str) -> str:
    """NFKC, with all white space removed: the form names are compared and hashed in."""
    return "".join(unicodedata.normalize("NFKC", name).split())


def short_hash(text: str, length: int = 10) -> str:
    return hashlib.sha1(normalise_name(text).encode("utf-8")).hexdigest()[:length]


@lru_cache(maxsize=1 << 16)
def segment(text: str) -> str:
    """One path segment, percent-encoded where needed (codes are normally left as they are)."""
    return quote(unicodedata.normalize("NFKC", text).strip(), safe="-._~")


def region_code(region: str | None, bureau: str | None, project_codes: Iterable[str] = ()) -> tuple[str, str] | None:
    """``(code, region name)`` of the most specific known region, or ``None``."""
    texts = [normalise_name(t) for t in (region, bureau) if t]
    hits = [(name, code) for name, code in REGION_CODES.items() if any(name in t for t in texts)]
    if hits:
        # the most specific level: a county code does not end in 00, a city ends in 00, a province in 0000
        name, code = max(hits, key=lambda h: (not h[1].endswith("0000"), not h[1].endswith("00"), len(h[0])))
        return code, name
    by_code = {code: name for name, code in REGION_CODES.items()}
    for pcode in sorted(project_codes):
        head = pcode[:6]
        if head in by_code and not head.endswith("00"):
            return head, by_code[head]
    head = county_code_of_projects(project_codes)
    if head:
        return head, normalise_name(region) if region else ""
    return None


#: First two digits of GB/T 2260 codes (provinces, autonomous regions, municipalities, HK/MO/TW).
PROVINCE_PREFIXES = frozenset("11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 "
                              "61 62 63 64 65 71 81 82".split())


def county_code_of_projects(project_codes: Iterable[str]) -> str | None:
    """A county code not in the bundled table, read from project codes that begin with it.

    Only when it is unambiguous: at least two long codes (12+ characters) whose first six
    characters are the same digits, a valid province prefix and not a city/province code (…00).
    """
    heads = {c[:6] for c in project_codes if len(c) >= 12 and c[:6].isdigit()}
    numbered = [c for c in project_codes if len(c) >= 12 and c[:6].isdigit()]
    if len(heads) != 1 or len(numbered) < 2:
        return None
    head = heads.pop()
    return head if head[:2] in PROVINCE_PREFIXES and not head.endswith("00") else None


def department_name(bureau: str, region_name: str | None) -> str:
    """The bureau's name without its region prefix (河北省曲阳县医疗保障局 → 医疗保障局)."""
    name = normalise_name(bureau)
    if region_name and region_name in name:
        name = name[name.rindex(region_name) + len(region_name):]
    return name


def department_slug(department: str) -> str:
    return DEPARTMENT_SLUGS.get(department) or f"d-{short_hash(department)}"


def bureau_key(bureau: str | None, region: str | None = None, project_codes: Iterable[str] = (),
               document: str | None = None) -> str:
    """The stable key of a bureau: ``130529-medical-insurance``, else ``n-{hash of the name}``.

    A document that names no bureau gets ``unknown-{document stem}`` (when ``document`` is given), so
    two such documents never share a bureau or a budget.
    """
    if not (bureau and bureau.strip()) and document:
        return f"unknown-{segment(document_stem(document))}"
    return _bureau_key(bureau, region, tuple(sorted(set(project_codes))))


@lru_cache(maxsize=1 << 14)
def _bureau_key(bureau: str | None, region: str | None, codes: tuple[str, ...]) -> str:
    found = region_code(region, bureau, codes)
    if bureau and found:
        code, name = found
        department = department_name(bureau, name)
        if department:
            return f"{code}-{department_slug(department)}"
    if bureau:
        return f"n-{short_hash(bureau)}"
    if found:
        return f"{found[0]}-unknown"
    return "unknown"


@lru_cache(maxsize=1 << 12)
def table_key(title: str) -> str:
    """``t-{hash}`` of a table title: the same title gives the same key in every document."""
    return f"t-{short_hash(title, 8)}"


def project_key(code: str | None, ordinal: int) -> str:
    """The project's code when it cannot collide with an ordinal, else its ordinal."""
    if code:
        code = normalise_name(code)
        if code and (not code.isdigit() or len(code) >= 6):
            return segment(code)
    return str(ordinal)


def unique_keys(keys: Iterable[str]) -> list[str]:
    """``a, a, b`` → ``a, a-2, b``: keys made unique in order (a suffix never meets a real key)."""
    used: set[str] = set()
    out = []
    for key in keys:
        candidate, n = key, 1
        while candidate in used:
            n += 1
            candidate = f"{key}-{n}"
        used.add(candidate)
        out.append(candidate)
    return out


def project_keys(codes: Sequence[str | None]) -> list[str]:
    """The IRI keys of a document's projects, given their codes in document order: the code, or
    the 1-based ordinal, made unique. Use this (not a copy) wherever project IRIs are rebuilt."""
    return unique_keys(project_key(code, n) for n, code in enumerate(codes, 1))


def budget_of(bureau: str | None, region: str | None, year: int | str | None,
              project_codes: Iterable[str | None] = (), document: str | None = None) -> tuple[str, int | str | None]:
    """``(bureau key, year)`` of a document's budget, as the mapping derives them."""
    return bureau_key(bureau, region, [c for c in project_codes if c], document), year


def document_stem(document: str) -> str:
    """``000_01bf5e7cfe21490d.txt`` → ``000_01bf5e7cfe21490d`` (the last path part, no suffix)."""
    name = re.split(r"[\\/]", document)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    return stem or "document"


@dataclass(frozen=True)
class Iris:
    """IRI minting under one base IRI (``https://budget-kg.org/`` unless configured)."""

    base: str = DEFAULT_BASE

    def __post_init__(self) -> None:
        if not self.base.endswith(("/", "#")):
            object.__setattr__(self, "base", self.base + "/")

    # organisations and documents
    def bureau(self, key: str) -> str:
        return f"{self.base}bureau/{key}"

    def subunit(self, bureau_key: str, name: str, code: str | None = None) -> str:
        key = segment(code) if code else f"u-{short_hash(name)}"
        return f"{self.bureau(bureau_key)}/unit/{key}"

    def document(self, document: str) -> str:
        return f"{self.base}document/{segment(document_stem(document))}"

    def budget(self, bureau_key: str, year: int | str | None) -> str:
        return f"{self.base}budget/{bureau_key}/{year if year is not None else 'unknown-year'}"

    # parts of a budget
    def project(self, budget: str, key: str) -> str:
        return f"{budget}/project/{key}"

    def indicator(self, project: str, ordinal: int) -> str:
        return f"{project}/indicator/{ordinal}"

    def plan_step(self, project: str, ordinal: int) -> str:
        return f"{project}/plan/{ordinal}"

    def duty(self, budget: str, ordinal: int) -> str:
        return f"{budget}/duty/{ordinal}"

    def goal(self, budget: str, ordinal: int) -> str:
        return f"{budget}/goal/{ordinal}"

    def table(self, budget: str, title: str) -> str:
        return f"{budget}/table/{table_key(title)}"

    def line(self, budget: str, title: str, row_key: str, column: str) -> str:
        return f"{budget}/line/{table_key(title)}/{segment(row_key)}/{column}"

    def table_total(self, table: str, column: str) -> str:
        """A table's printed 合计 in one column, under the table's own IRI."""
        return f"{table}/total/{column}"

    def figure(self, budget: str, slug: str) -> str:
        return f"{budget}/figure/{slug}"

    def statement(self, budget: str, ordinal: int) -> str:
        return f"{budget}/statement/{ordinal}"

    # shared schemes and graphs
    def scheme(self, name: str) -> str:
        return f"{self.base}code/{name}"

    def function_code(self, code: str) -> str:
        return f"{self.base}code/function/{segment(code)}"

    def economic_code(self, code: str) -> str:
        return f"{self.base}code/economic/{segment(code)}"

    def indicator_category(self, path: str) -> str:
        return f"{self.base}code/indicator/{path}"

    def graph(self, name: str) -> str:
        return f"{self.base}graph/{name}"

    def dataset(self) -> str:
        """The VoID/DCAT dataset of the whole build."""
        return f"{self.base}dataset"
