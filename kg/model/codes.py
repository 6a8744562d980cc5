"""Code schemes: function and economic classification (SKOS, broader from the code prefix) and the
performance-indicator framework; names from the documents plus the bundled tables in ``ontology/``.

A code's ``skos:prefLabel`` is its bundled standard name where there is one, else the name the
documents print most often (ties: the smallest string); every other name a document prints for it is
kept as ``skos:altLabel``, so two documents naming one code differently are both visible.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from kg.extract.facts import DocumentFacts
from kg.model.iris import Iris
from kg.model.terms import BUD, RDF_TYPE, SKOS, Quad, en, integer, string, zh

ONTOLOGY_DIR = Path(__file__).resolve().parents[2] / "ontology"
KINDS = ("function", "economic")


@dataclass(frozen=True)
class BundledName:
    """A row of ``ontology/{kind}-classes.csv``."""

    code: str
    name_zh: str
    name_en: str
    former_names: tuple[str, ...] = ()


@cache
def bundled(kind: str) -> dict[str, BundledName]:
    """The bundled names of ``function`` or ``economic`` codes, by code."""
    path = ONTOLOGY_DIR / f"{kind}-classes.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            row["code"]: BundledName(row["code"], row["name_zh"], row["name_en"],
                                     tuple(n for n in (row.get("former_names_zh") or "").split("|") if n))
            for row in csv.DictReader(handle)
        }


def parent(code: str) -> str | None:
    """210 > 21015 > 2101501: the code two digits shorter, down to three digits."""
    return code[:-2] if len(code) - 2 >= 3 else None


def ancestors(code: str) -> list[str]:
    out = []
    current = parent(code)
    while current:
        out.append(current)
        current = parent(current)
    return out


def level(code: str) -> int:
    return max(1, (len(code) - 1) // 2)


_ORDINAL = re.compile(r"^[（(]?[一二三四五六七八九十廿百零〇\d]+[)）]?[、.．]?")


@lru_cache(maxsize=1 << 14)
def clean_name(name: str) -> str:
    """NFKC, no white space, no leading ordinal (``一、一般公共服务支出`` → ``一般公共服务支出``)."""
    text = "".join(unicodedata.normalize("NFKC", name).split())
    stripped = _ORDINAL.sub("", text)
    return stripped or text


@cache
def _names_index(kind: str, top_level_only: bool) -> dict[str, str]:
    index: dict[str, str] = {}
    for code, row in bundled(kind).items():
        if top_level_only and len(code) != 3:
            continue
        for name in (row.name_zh, *row.former_names):
            key = clean_name(name)
            index.setdefault(key, code)
            index.setdefault(key.removesuffix("支出"), code)
    return index


@lru_cache(maxsize=1 << 14)
def match_class(kind: str, name: str | None) -> str | None:
    """The 类 code a code-less row names (收支总表 categories, prose), by the bundled names."""
    if not name:
        return None
    key = clean_name(name)
    index = _names_index(kind, True)
    return index.get(key) or index.get(key.removesuffix("支出"))


def code_names(facts_list: Iterable[DocumentFacts]) -> dict[str, dict[str, Counter[str]]]:
    """``{kind: {code: Counter(name printed)}}`` over the documents, codes of projects included."""
    names: dict[str, dict[str, Counter[str]]] = {k: defaultdict(Counter) for k in KINDS}
    for facts in facts_list:
        for line in facts.function_lines:
            if line.code:
                names["function"][line.code].update([line.name.strip()] if line.name.strip() else [])
        for eline in facts.economic_lines:
            if eline.code:
                names["economic"][eline.code].update([eline.name.strip()] if eline.name.strip() else [])
        for project in facts.projects:
            for code in project.function_codes:
                names["function"][code].update([])
    return names


def _labels(code: str, printed: Counter[str], standard: BundledName | None) -> tuple[str | None, list[str]]:
    names = sorted(printed, key=lambda n: (-printed[n], n))
    pref = standard.name_zh if standard else (names[0] if names else None)
    return pref, sorted(n for n in names if n != pref)


def scheme_quads(facts_list: Sequence[DocumentFacts], iris: Iris, graph: str) -> list[Quad]:
    """The function and economic code schemes (used codes and all their ancestors) and the indicator
    framework, as quads in ``graph``."""
    quads: list[Quad] = []
    add = quads.append
    titles = {"function": ("支出功能分类科目", "Expenditure function classification", BUD + "FunctionCode"),
              "economic": ("部门预算支出经济分类科目", "Economic classification of department budget expenditure",
                           BUD + "EconomicCode")}
    mint = {"function": iris.function_code, "economic": iris.economic_code}
    for kind, used in code_names(facts_list).items():
        scheme = iris.scheme(kind)
        title_zh, title_en, cls = titles[kind]
        add((scheme, RDF_TYPE, SKOS + "ConceptScheme", graph))
        add((scheme, SKOS + "prefLabel", zh(title_zh), graph))
        add((scheme, SKOS + "prefLabel", en(title_en), graph))
        codes = set(used)
        for code in list(codes):
            codes.update(ancestors(code))
        table = bundled(kind)
        for code in sorted(codes):
            concept = mint[kind](code)
            standard = table.get(code)
            pref, alts = _labels(code, used.get(code, Counter()), standard)
            add((concept, RDF_TYPE, cls, graph))
            add((concept, RDF_TYPE, BUD + "ClassificationCode", graph))
            add((concept, RDF_TYPE, SKOS + "Concept", graph))
            add((concept, SKOS + "inScheme", scheme, graph))
            add((concept, SKOS + "notation", string(code), graph))
            add((concept, BUD + "level", integer(level(code)), graph))
            if pref:
                add((concept, SKOS + "prefLabel", zh(pref), graph))
            if standard:
                add((concept, SKOS + "prefLabel", en(standard.name_en), graph))
                for former in standard.former_names:
                    if former != pref:
                        add((concept, SKOS + "hiddenLabel", zh(former), graph))
            for alt in alts:
                add((concept, SKOS + "altLabel", zh(alt), graph))
            up = parent(code)
            if up:
                add((concept, SKOS + "broader", mint[kind](up), graph))
                add((mint[kind](up), SKOS + "narrower", concept, graph))
            else:
                add((concept, SKOS + "topConceptOf", scheme, graph))
                add((scheme, SKOS + "hasTopConcept", concept, graph))
    quads.extend(indicator_framework_quads(iris, graph))
    return quads


# --- performance-indicator framework -------------------------------------------------------------

@dataclass(frozen=True)
class Category:
    """A level-1 or level-2 concept of the indicator framework."""

    path: str
    """``output`` or ``output/quantity``: the IRI path under ``code/indicator/``."""
    name_zh: str
    name_en: str
    alt_zh: tuple[str, ...] = ()


FRAMEWORK: tuple[Category, ...] = (
    Category("output", "产出指标", "Output"),
    Category("output/quantity", "数量指标", "Quantity"),
    Category("output/quality", "质量指标", "Quality"),
    Category("output/timeliness", "时效指标", "Timeliness"),
    Category("output/cost", "成本指标", "Cost"),
    Category("outcome", "效益指标", "Outcome", ("效果指标",)),
    Category("outcome/economic", "经济效益指标", "Economic benefit"),
    Category("outcome/social", "社会效益指标", "Social benefit"),
    Category("outcome/ecological", "生态效益指标", "Ecological benefit"),
    Category("outcome/sustainability", "可持续影响指标", "Sustainable impact"),
    Category("satisfaction", "满意度指标", "Satisfaction", ("服务对象满意度指标",)),
    Category("satisfaction/service-recipient", "服务对象满意度指标", "Service-recipient satisfaction",
             ("满意度指标",)),
    Category("cost", "成本指标", "Cost (level 1, 2021 framework)"),
    Category("cost/economic", "经济成本指标", "Economic cost"),
    Category("cost/social", "社会成本指标", "Social cost"),
    Category("cost/ecological", "生态环境成本指标", "Ecological and environmental cost"),
)

_LEVEL2_DEFAULT_PARENT = {"quantity": "output", "quality": "output", "timeliness": "output",
                          "economic": "outcome", "social": "outcome", "ecological": "outcome",
                          "sustainability": "outcome", "service-recipient": "satisfaction"}


def _key(text: str) -> str:
    return clean_name(text).removesuffix("指标")


@cache
def _framework_index() -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    level1: dict[str, str] = {}
    level2: dict[tuple[str, str], str] = {}
    for cat in FRAMEWORK:
        for name in (cat.name_zh, *cat.alt_zh):
            if "/" in cat.path:
                top, _ = cat.path.split("/")
                level2.setdefault((top, _key(name)), cat.path)
            else:
                level1.setdefault(_key(name), cat.path)
    return level1, level2


@lru_cache(maxsize=1 << 12)
def indicator_categories(level1: str | None, level2: str | None) -> tuple[str | None, str | None]:
    """Framework paths of a row's level-1 and level-2 texts (``None`` where the text is unknown)."""
    index1, index2 = _framework_index()
    top = index1.get(_key(level1)) if level1 else None
    sub = None
    if level2:
        key = _key(level2)
        if top:
            sub = index2.get((top, key))
        else:
            for (parent_path, name), path in sorted(index2.items()):
                if name == key and _LEVEL2_DEFAULT_PARENT.get(path.split("/")[1]) == parent_path:
                    sub, top = path, parent_path
                    break
    return top, sub


def indicator_framework_quads(iris: Iris, graph: str) -> list[Quad]:
    scheme = iris.scheme("indicator")
    quads: list[Quad] = [
        (scheme, RDF_TYPE, SKOS + "ConceptScheme", graph),
        (scheme, SKOS + "prefLabel", zh("预算绩效指标体系"), graph),
        (scheme, SKOS + "prefLabel", en("Budget performance indicator framework"), graph),
    ]
    for cat in FRAMEWORK:
        concept = iris.indicator_category(cat.path)
        quads += [
            (concept, RDF_TYPE, BUD + "IndicatorCategory", graph),
            (concept, RDF_TYPE, SKOS + "Concept", graph),
            (concept, SKOS + "inScheme", scheme, graph),
            (concept, SKOS + "notation", string(cat.path), graph),
            (concept, SKOS + "prefLabel", zh(cat.name_zh), graph),
            (concept, SKOS + "prefLabel", en(cat.name_en), graph),
            (concept, BUD + "level", integer(cat.path.count("/") + 1), graph),
        ]
        quads += [(concept, SKOS + "altLabel", zh(alt), graph) for alt in cat.alt_zh]
        if "/" in cat.path:
            top = iris.indicator_category(cat.path.split("/")[0])
            quads += [(concept, SKOS + "broader", top, graph), (top, SKOS + "narrower", concept, graph)]
        else:
            quads += [(concept, SKOS + "topConceptOf", scheme, graph), (scheme, SKOS + "hasTopConcept", concept, graph)]
    return quads
