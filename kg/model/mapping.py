"""Facts → RDF: one named graph per document (graph IRI = the document's IRI), plus the shared code
schemes and the ontology. Pure functions; the quads are :mod:`kg.model.terms` tuples.

Every BudgetLine, Project, Indicator, Duty, goal, figure and subunit has ``prov:wasDerivedFrom`` its
document and one ``bud:sourceLine`` per source line. Amounts are ``xsd:decimal`` exactly as printed
with ``bud:unitOfMeasure`` (万元 or 元) and ``bud:amountCNY`` beside them; a unit the mapping does
not know gets no CNY amount rather than a guessed one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from functools import cache, lru_cache

import rdflib

from kg.extract.facts import DocumentFacts, Indicator, Project, Source
from kg.extract.tables_narrative import NARRATIVE
from kg.model import codes
from kg.model.iris import (
    ONTOLOGY_IRI, Iris, bureau_key, document_stem, normalise_name, project_keys, region_code, unique_keys,
)
from kg.model.terms import (
    BUD, DCAT, DCTERMS, ORG, PROV, QB, RDF_TYPE, RDFS, XSD, Lit, Quad, Term, decimal, integer,
    normal_decimal, string, to_dataset, turtle_file_quads, zh,
)

ONTOLOGY_FILE = codes.ONTOLOGY_DIR / "budget.ttl"

#: Unit text → (unit individual, multiplier to CNY).
UNITS: dict[str, tuple[str, Decimal]] = {
    "万元": (BUD + "WanYuan", Decimal(10000)),
    "元": (BUD + "Yuan", Decimal(1)),
}

FUNCTION_COLUMNS = (("total", "TotalColumn"), ("basic", "BasicColumn"), ("project", "ProjectColumn"))
ECONOMIC_COLUMNS = (("total", "TotalColumn"), ("personnel", "PersonnelColumn"), ("public", "PublicColumn"))

#: Totals field → (IRI slug, figure type); three_public field → (slug, figure type).
TOTAL_FIGURES = (
    ("revenue_total", "revenue-total", "RevenueTotal"),
    ("expenditure_total", "expenditure-total", "ExpenditureTotal"),
    ("basic", "basic", "BasicExpenditure"),
    ("project", "project", "ProjectExpenditure"),
    ("personnel", "personnel", "PersonnelExpenditure"),
    ("public_operating", "public-operating", "PublicOperatingExpenditure"),
    ("carryover", "carryover", "Carryover"),
)
THREE_PUBLIC_FIGURES = (
    ("total", "three-public-total", "ThreePublicTotal"),
    ("abroad", "three-public-abroad", "AbroadTravel"),
    ("reception", "three-public-reception", "OfficialReception"),
    ("car_total", "three-public-car-total", "OfficialCars"),
    ("car_purchase", "three-public-car-purchase", "OfficialCarPurchase"),
    ("car_operation", "three-public-car-operation", "OfficialCarOperation"),
)


@lru_cache(maxsize=256)
def unit_of(text: str | None) -> tuple[str, Decimal] | None:
    if not text:
        return None
    return UNITS.get(normalise_name(text).removeprefix("单位:").removeprefix("单位："))


_DERIVED_FROM, _SOURCE_LINE = PROV + "wasDerivedFrom", BUD + "sourceLine"


@lru_cache(maxsize=8192)
def _line_number(line: int) -> Lit:
    """``bud:sourceLine``'s literal (the same line numbers recur: each cell of a row, each build)."""
    return integer(line)


class _Graph:
    """Collects the quads of one named graph, with the amount and provenance patterns."""

    def __init__(self, graph: str, document: str, unit: str | None) -> None:
        self.graph = graph
        self.document = document
        self.unit = unit_of(unit)
        self.quads: list[Quad] = []

    def add(self, s: str, p: str, o: Term | None) -> None:
        """Add a triple; a ``None`` object (a value not stated) adds nothing."""
        if o is not None:
            self.quads.append((s, p, o, self.graph))

    def text(self, s: str, p: str, value: str | None) -> None:
        """Add Chinese text (trimmed) when there is any."""
        if value:
            value = value.strip()
            if value:
                self.quads.append((s, p, Lit(value, None, "zh"), self.graph))

    def derived(self, s: str, source: Source | None) -> None:
        quads, graph = self.quads, self.graph
        quads.append((s, _DERIVED_FROM, self.document, graph))
        for line in (source.lines if source else ()):
            quads.append((s, _SOURCE_LINE, _line_number(line), graph))

    def amount(self, s: str, value: Decimal | None, unit_text: str | None = None) -> None:
        """The amount as printed, its unit (``unit_text`` over the document's) and its CNY value."""
        if value is None:
            return
        self.add(s, BUD + "amount", decimal(value))
        unit_pair = unit_of(unit_text) if unit_text else self.unit
        if unit_pair:
            unit, multiplier = unit_pair
            self.add(s, BUD + "unitOfMeasure", unit)
            self.add(s, BUD + "amountCNY", Lit(normal_decimal(value * multiplier), XSD + "decimal"))


def document_quads(facts: DocumentFacts, iris: Iris) -> list[Quad]:
    """The named graph of one document."""
    doc = iris.document(facts.document)
    g = _Graph(doc, doc, facts.unit)
    project_codes = [p.code for p in facts.projects if p.code]
    bkey = bureau_key(facts.bureau, facts.region, project_codes, facts.document)
    bureau = iris.bureau(bkey)
    budget = iris.budget(bkey, facts.year)
    src = facts.sources

    # document, bureau, budget
    g.add(doc, RDF_TYPE, BUD + "BudgetDocument")
    g.add(doc, RDF_TYPE, PROV + "Entity")
    g.add(doc, RDF_TYPE, DCAT + "Distribution")
    g.add(doc, RDFS + "label", string(facts.document))
    g.add(doc, BUD + "fileName", string(facts.document))
    g.add(doc, DCTERMS + "identifier", string(document_stem(facts.document)))
    g.add(bureau, RDF_TYPE, BUD + "Bureau")
    g.text(bureau, RDFS + "label", facts.bureau)
    g.text(bureau, BUD + "region", facts.region)
    found = _region_code(facts, project_codes)
    if found:
        g.add(bureau, BUD + "regionCode", string(found))
    g.add(bureau, BUD + "hasBudget", budget)
    g.add(budget, RDF_TYPE, BUD + "Budget")
    g.add(budget, RDF_TYPE, QB + "DataSet")
    g.add(budget, QB + "structure", BUD + "budgetLineStructure")
    if facts.bureau and facts.year:
        g.add(budget, RDFS + "label", zh(f"{facts.bureau.strip()}{facts.year}年部门预算"))
    g.add(budget, BUD + "bureau", bureau)
    if facts.year:
        g.add(budget, BUD + "budgetYear", Lit(str(facts.year), XSD + "gYear"))
    g.add(budget, BUD + "document", doc)
    if g.unit:
        g.add(budget, BUD + "unitOfMeasure", g.unit[0])
    budget_source = Source()
    for key in ("bureau", "year", "region", "unit"):
        if key in src:
            budget_source = budget_source.merge(src[key])
    g.derived(budget, budget_source)

    # subunits
    unit_iris: dict[str, str] = {}
    for sub in facts.subunits:
        unit = iris.subunit(bkey, sub.name, sub.code)
        unit_iris.setdefault(normalise_name(sub.name), unit)
        g.add(bureau, ORG + "hasUnit", unit)
        g.add(unit, RDF_TYPE, BUD + "Subunit")
        g.add(unit, ORG + "unitOf", bureau)
        g.text(unit, RDFS + "label", sub.name)
        if sub.code:
            g.add(unit, BUD + "unitCode", string(sub.code))
        g.text(unit, BUD + "unitNature", sub.nature)
        g.text(unit, BUD + "unitGrade", sub.grade)
        g.text(unit, BUD + "fundingForm", sub.funding)
        g.derived(unit, sub.source)

    # duties and document-level goals
    for duty in facts.duties:
        node = iris.duty(budget, duty.ordinal)
        g.add(budget, BUD + "hasDuty", node)
        g.add(node, RDF_TYPE, BUD + "Duty")
        g.add(node, BUD + "budget", budget)
        g.add(node, BUD + "bureau", bureau)
        g.add(node, BUD + "ordinal", integer(duty.ordinal))
        g.text(node, BUD + "text", duty.text)
        g.derived(node, duty.source)
    for n, goal in enumerate(facts.goals, 1):
        node = iris.goal(budget, n)
        g.add(budget, BUD + "hasGoal", node)
        g.add(node, RDF_TYPE, BUD + "PerformanceGoal")
        g.add(node, BUD + "budget", budget)
        g.add(node, BUD + "ordinal", integer(n))
        g.text(node, RDFS + "label", goal.name)
        g.text(node, BUD + "dutyText", goal.duty)
        g.text(node, BUD + "goalText", goal.goal)
        g.text(node, BUD + "indicatorsText", goal.indicators_text)
        g.derived(node, goal.source)

    _lines(g, facts, iris, budget)
    _figures(g, facts, iris, budget)
    keys = project_keys([p.code for p in facts.projects])
    project_nodes: list[tuple[str, str]] = []
    for n, (project, key) in enumerate(zip(facts.projects, keys, strict=True), 1):
        node = iris.project(budget, key)
        project_nodes.append((normalise_name(project.name), node))
        _project(g, project, n, node, budget, bkey, iris, unit_iris)
    for n, stmt in enumerate(facts.statements, 1):
        node = iris.statement(budget, n)
        g.add(budget, BUD + "hasStatement", node)
        g.add(node, RDF_TYPE, BUD + "Statement")
        g.add(node, BUD + "budget", budget)
        g.add(node, BUD + "statementKey", string(stmt.key))
        g.add(node, BUD + "value", decimal(stmt.value))
        if stmt.unit:
            g.add(node, BUD + "valueUnit", string(stmt.unit))
        g.text(node, BUD + "subject", stmt.subject)
        if stmt.key == "project_amount" and stmt.subject:
            about = named_project(stmt.subject, project_nodes)
            if about is not None:
                g.add(node, BUD + "aboutProject", about)
        g.text(node, BUD + "text", stmt.text)
        g.derived(node, stmt.source)
    return g.quads


def named_project(subject: str, projects: Sequence[tuple[str, str]]) -> str | None:
    """The one project a prose subject names, or None when none or several match.

    Prose shortens project names (``…代办员补助资金`` for ``冀财社 2023 年 225 号…代办员补助资金``), so a
    name matches when one contains the other or both end in the same 8 characters (names compared
    without white space, NFKC).
    """
    s = normalise_name(subject)
    tail = s[-8:] if len(s) >= 8 else None
    found = {node for name, node in projects
             if name and (s in name or name in s or (tail is not None and name.endswith(tail)))}
    return found.pop() if len(found) == 1 else None


def _region_code(facts: DocumentFacts, project_codes: Sequence[str]) -> str | None:
    """The GB/T 2260 code of the bureau's region, where it can be determined."""
    found = region_code(facts.region, facts.bureau, project_codes)
    return found[0] if found else None


def _table(g: _Graph, iris: Iris, budget: str, title: str, seen: set[str]) -> str:
    table = iris.table(budget, title)
    if table not in seen:
        seen.add(table)
        g.add(table, RDF_TYPE, BUD + "BudgetTable")
        g.add(table, RDF_TYPE, QB + "Slice")
        g.text(table, BUD + "tableTitle", title)
        g.text(table, RDFS + "label", title)
        if title.startswith(NARRATIVE):
            g.add(table, RDF_TYPE, BUD + "NarrativeTable")
        else:
            kind = table_kind(title)
            if kind is not None:
                g.add(table, BUD + "tableKind", BUD + kind)
        g.add(budget, QB + "slice", table)
        g.add(table, PROV + "wasDerivedFrom", g.document)
    return table


#: Which standard table a title names: (kind, words all in the compacted title), first match wins, so
#: the narrower titles (财政拨款收支总表 before 收支总表, 基本支出 before 支出) come first.
_TABLE_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ThreePublicTable", ("三公",)),
    ("GovernmentFundTable", ("政府性基金",)),
    ("StateCapitalTable", ("国有资本经营",)),
    ("ProjectExpenditureTable", ("项目支出",)),
    ("FiscalAppropriationSummaryTable", ("财政拨款收支",)),
    ("GeneralBudgetBasicExpenditureTable", ("一般公共预算", "基本支出")),
    ("GeneralBudgetExpenditureTable", ("一般公共预算", "支出")),
    ("BasicExpenditureTable", ("基本支出",)),
    ("RevenueExpenditureSummaryTable", ("收支总",)),
    ("RevenueSummaryTable", ("收入总",)),
    ("ExpenditureSummaryTable", ("支出总",)),
)


@lru_cache(maxsize=1024)
def table_kind(title: str) -> str | None:
    """The ``bud:TableKind`` local name of a printed table title (``部门支出总体情况表（三）`` →
    ``ExpenditureSummaryTable``), or None for a title naming no standard table."""
    compact = normalise_name(title)
    for kind, words in _TABLE_KINDS:
        if all(w in compact for w in words):
            return kind
    return None


def _cell(g: _Graph, node: str, cls: str, budget: str, table: str, column: str, value: Decimal | None,
          year: int | None, name: str | None, source: Source, unit: str | None) -> None:
    g.add(node, RDF_TYPE, BUD + cls)
    g.add(node, RDF_TYPE, QB + "Observation")
    g.add(node, QB + "dataSet", budget)
    g.add(node, BUD + "table", table)
    g.add(node, BUD + "column", BUD + column)
    if year:
        g.add(node, BUD + "budgetYear", Lit(str(year), XSD + "gYear"))
    g.text(node, BUD + "printedName", name)
    g.amount(node, value, unit)
    g.derived(node, source)


def _lines(g: _Graph, facts: DocumentFacts, iris: Iris, budget: str) -> None:
    tables: set[str] = set()
    for kind, lines, columns, cls, mint in (
        ("function", facts.function_lines, FUNCTION_COLUMNS, "FunctionLine", iris.function_code),
        ("economic", facts.economic_lines, ECONOMIC_COLUMNS, "EconomicLine", iris.economic_code),
    ):
        per_table: dict[str, int] = Counter()
        raw_keys = []
        for line in lines:
            if line.code:
                raw_keys.append(f"{line.table}\x00{line.code}")
            else:
                per_table[line.table] += 1
                raw_keys.append(f"{line.table}\x00{kind[0]}{per_table[line.table]}")
        for line, raw in zip(lines, unique_keys(raw_keys), strict=True):
            table = _table(g, iris, budget, line.table, tables)
            row_key = raw.split("\x00", 1)[1]
            code = line.code or codes.match_class(kind, line.name)
            for field, column in columns:
                value = getattr(line, field)
                if value is None:
                    continue
                node = iris.line(budget, line.table, row_key, field)
                _cell(g, node, cls, budget, table, column, value, facts.year, line.name, line.source,
                      getattr(line, "unit", None))
                if code:
                    g.add(node, BUD + f"{kind}Code", mint(code))
                    g.add(node, BUD + "classification", mint(code))
    per_side: Counter[tuple[str, str]] = Counter()
    for cline in facts.category_lines:
        table = _table(g, iris, budget, cline.table, tables)
        side = cline.side if cline.side in ("revenue", "expenditure") else "expenditure"
        per_side[(cline.table, side)] += 1
        node = iris.line(budget, cline.table, f"{side}-{per_side[(cline.table, side)]}", "amount")
        _cell(g, node, "CategoryLine", budget, table, "AmountColumn", cline.amount, facts.year, None, cline.source,
              getattr(cline, "unit", None))
        g.text(node, BUD + "category", codes.clean_name(cline.name))
        g.text(node, BUD + "printedName", cline.name)
        g.add(node, BUD + "side", BUD + ("Revenue" if side == "revenue" else "Expenditure"))
        code = codes.match_class("function", cline.name) if side == "expenditure" else None
        if code:
            g.add(node, BUD + "functionCode", iris.function_code(code))
            g.add(node, BUD + "classification", iris.function_code(code))
    for total in facts.table_totals:
        table = _table(g, iris, budget, total.table, tables)
        for field, column in FUNCTION_COLUMNS if total.kind == "function" else ECONOMIC_COLUMNS:
            value = getattr(total, field)
            if value is None:
                continue
            node = iris.table_total(table, field)
            g.add(node, RDF_TYPE, BUD + "TableTotal")
            g.add(node, BUD + "budget", budget)
            g.add(node, BUD + "totalOf", table)
            g.add(node, BUD + "totalColumn", BUD + column)
            g.amount(node, value, total.unit)
            g.derived(node, total.source)


def _figure(g: _Graph, budget: str, node: str, cls: str, ftype: str, value: Decimal | None,
            source: Source | None) -> None:
    if value is None:
        return
    g.add(budget, BUD + "hasFigure", node)
    g.add(node, RDF_TYPE, BUD + cls)
    g.add(node, BUD + "figureType", BUD + ftype)
    g.add(node, BUD + "budget", budget)
    g.amount(node, value)
    g.derived(node, source)


def _figures(g: _Graph, facts: DocumentFacts, iris: Iris, budget: str) -> None:
    for field, slug, ftype in TOTAL_FIGURES:
        _figure(g, budget, iris.figure(budget, slug), "BudgetTotal", ftype,
                getattr(facts.totals, field), facts.totals.sources.get(field))
    for field, slug, ftype in THREE_PUBLIC_FIGURES:
        _figure(g, budget, iris.figure(budget, slug), "ThreePublic", ftype,
                getattr(facts.three_public, field), facts.three_public.sources.get(field))
    _figure(g, budget, iris.figure(budget, "operating-costs"), "OperatingCosts", "OperatingCostsTotal",
            facts.operating_costs, facts.sources.get("operating_costs"))


def _project(g: _Graph, project: Project, n: int, node: str, budget: str, bkey: str, iris: Iris,
             unit_iris: dict[str, str]) -> None:
    g.add(budget, BUD + "hasProject", node)
    g.add(node, RDF_TYPE, BUD + "Project")
    g.add(node, BUD + "budget", budget)
    g.add(node, BUD + "ordinal", integer(n))
    g.text(node, RDFS + "label", project.name)
    if project.code:
        g.add(node, BUD + "projectCode", string(project.code))
    g.amount(node, project.amount)
    for code in project.function_codes:
        g.add(node, BUD + "functionCode", iris.function_code(code))
    if project.unit:
        unit = unit_iris.get(normalise_name(project.unit)) or iris.subunit(bkey, project.unit)
        g.add(node, BUD + "implementingUnit", unit)
        if normalise_name(project.unit) not in unit_iris:
            g.add(unit, RDF_TYPE, BUD + "Subunit")
            g.text(unit, RDFS + "label", project.unit)
            g.add(unit, ORG + "unitOf", iris.bureau(bkey))
            g.derived(unit, project.source)
    g.text(node, BUD + "projectKind", project.kind)
    for goal in project.goals:
        g.text(node, BUD + "goal", goal)
    if project.start_year:
        g.add(node, BUD + "startYear", string(project.start_year))
    if project.end_year:
        g.add(node, BUD + "endYear", string(project.end_year))
    g.derived(node, project.source)
    for i, indicator in enumerate(project.indicators, 1):
        _indicator(g, indicator, i, iris.indicator(node, i), node, iris)
    for i, step in enumerate(project.spending_plan, 1):
        plan = iris.plan_step(node, i)
        g.add(node, BUD + "hasPlanStep", plan)
        g.add(plan, RDF_TYPE, BUD + "PlanStep")
        g.add(plan, BUD + "ordinal", integer(i))
        g.text(plan, BUD + "period", step.period)
        if step.share is not None:
            g.add(plan, BUD + "cumulativeShare", decimal(step.share))
        g.derived(plan, step.source)


def _indicator(g: _Graph, ind: Indicator, n: int, node: str, project: str, iris: Iris) -> None:
    g.add(project, BUD + "hasIndicator", node)
    g.add(node, RDF_TYPE, BUD + "Indicator")
    g.add(node, BUD + "project", project)
    g.add(node, BUD + "ordinal", integer(n))
    top, sub = codes.indicator_categories(ind.level1, ind.level2)
    if top:
        g.add(node, BUD + "level1", iris.indicator_category(top))
    if sub:
        g.add(node, BUD + "level2", iris.indicator_category(sub))
    g.text(node, BUD + "level1Text", ind.level1)
    g.text(node, BUD + "level2Text", ind.level2)
    g.text(node, BUD + "indicatorName", ind.level3)
    g.text(node, RDFS + "label", ind.level3 or ind.level2 or ind.level1)
    g.text(node, BUD + "description", ind.description)
    g.text(node, BUD + "targetText", ind.target)
    g.text(node, BUD + "basis", ind.basis)
    target = ind.parsed_target
    if target:
        if target.comparator:
            g.add(node, BUD + "comparator", string(target.comparator))
        if target.value is not None:
            g.add(node, BUD + "targetValue", decimal(target.value))
        if target.unit:
            g.add(node, BUD + "targetUnit", string(target.unit))
    g.derived(node, ind.source)


# --- whole dataset -------------------------------------------------------------------------------


@cache
def ontology_quads(graph: str) -> tuple[Quad, ...]:
    """The ontology file's triples in ``graph`` (parsed once per file version)."""
    stat = ONTOLOGY_FILE.stat()
    return _ontology_quads(graph, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _ontology_quads(graph: str, mtime_ns: int, size: int) -> tuple[Quad, ...]:
    return tuple(turtle_file_quads(ONTOLOGY_FILE, graph))


def budget_sequence_quads(facts_list: Sequence[DocumentFacts], iris: Iris) -> list[Quad]:
    """``bud:previousBudget`` from each budget to the same bureau's latest earlier budget in the
    build (in the later budget's document graph), so year-on-year questions need no year arithmetic."""
    by_bureau: dict[str, dict[int, str]] = {}
    for facts in facts_list:
        if isinstance(facts.year, int):
            key = bureau_key(facts.bureau, facts.region, [p.code for p in facts.projects if p.code], facts.document)
            by_bureau.setdefault(key, {}).setdefault(facts.year, iris.document(facts.document))
    quads: list[Quad] = []
    for key, years in sorted(by_bureau.items()):
        ordered = sorted(years)
        for earlier, later in zip(ordered, ordered[1:], strict=False):
            quads.append((iris.budget(key, later), BUD + "previousBudget", iris.budget(key, earlier), years[later]))
    return quads


def dataset_quads(facts_list: Sequence[DocumentFacts], iris: Iris) -> list[Quad]:
    """All quads: one graph per document, ``{base}graph/codes`` and ``{base}graph/ontology``."""
    quads: list[Quad] = []
    for facts in facts_list:
        quads.extend(document_quads(facts, iris))
    quads.extend(budget_sequence_quads(facts_list, iris))
    quads.extend(codes.scheme_quads(facts_list, iris, iris.graph("codes")))
    quads.extend(ontology_quads(iris.graph("ontology")))
    return quads


def facts_to_graph(facts_list: Sequence[DocumentFacts], base_uri: str = Iris().base) -> rdflib.Dataset:
    """The knowledge graph of ``facts_list`` as an rdflib Dataset (pure; for tests and callers)."""
    return to_dataset(dataset_quads(facts_list, Iris(base_uri)))


__all__ = ["ONTOLOGY_IRI", "dataset_quads", "document_quads", "facts_to_graph", "ontology_quads"]
