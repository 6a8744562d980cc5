"""Class-specific page sections (charts, tables), built from batched SPARQL results.

:data:`SECTION_BUILDERS` maps a class IRI to a function ``(data, iri, page) → sections``. Each
builder reads results that one query computed for all resources of its kind (cached in
``data.cache`` by :func:`cached`), never a query per page.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import TypeVar

import pyoxigraph as ox

from kg.site import terms
from kg.site.charts import Bar, bar_chart, format_amount
from kg.site.contexts import (
    Cell,
    ChartSection,
    FactsSection,
    ImageSection,
    Link,
    LinksSection,
    Page,
    Row,
    Section,
    SectionsBody,
    TableSection,
    TreeNode,
    TreeSection,
)
from kg.site.graph import BUD, OWL, PROV, RDF, RDF_TYPE, SKOS, Label
from kg.site.pages import SectionBuilder, SiteData
from kg.site.paths import relative_href
from kg.site.ui import UI

T = TypeVar("T")

WAN = Decimal(10000)


def cached(data: SiteData, key: str, compute: Callable[[SiteData], T]) -> T:
    if key not in data.cache:
        data.cache[key] = compute(data)
    return data.cache[key]  # type: ignore[return-value]


def decimal(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> Decimal | None:
    if not isinstance(term, ox.Literal):
        return None
    try:
        return Decimal(term.value)
    except InvalidOperation:
        return None


def text(term: object) -> str:
    return term.value if isinstance(term, (ox.Literal, ox.NamedNode)) else ""


# -- provenance and figure cells ---------------------------------------------------------------

def source_of(data: SiteData, iri: str) -> tuple[str, str]:
    """(lines, document file name) a fact was read from: ``("L412–414", "000_….txt")``."""
    g = data.graph
    docs = [g.value(d, BUD + "fileName") for d in g.objects(iri, PROV + "wasDerivedFrom")
            if isinstance(d, ox.NamedNode)]
    name = next((d.value for d in docs if isinstance(d, ox.Literal)), "")
    lines = sorted({int(o.value) for o in g.objects(iri, BUD + "sourceLine")
                    if isinstance(o, ox.Literal) and o.value.isdigit()})
    return (f"L{line_ranges(lines)}" if lines else ""), name


def line_ranges(lines: list[int]) -> str:
    """``[3, 4, 5, 9]`` → ``3–5,9``."""
    parts: list[str] = []
    start = prev = None
    for n in lines + [None]:  # type: ignore[list-item]
        if start is None:
            start = prev = n
        elif n is not None and n == prev + 1:  # type: ignore[operator]
            prev = n
        else:
            parts.append(str(start) if start == prev else f"{start}–{prev}")
            start = prev = n
    return ",".join(parts)


def source_text(data: SiteData, iri: str) -> str:
    """``000_….txt L412–414``: the document and lines a fact was read from (``""`` if unknown)."""
    lines, name = source_of(data, iri)
    return f"{name} {lines}".strip()


def source_cell(data: SiteData, iri: str, **kwargs: object) -> Cell:
    lines, name = source_of(data, iri)
    return Cell(source=lines, source_doc=name, **kwargs)  # type: ignore[arg-type]


def amount_cell(data: SiteData, iri: str, page: str, value: Decimal | None = None, link: bool = False) -> Cell:
    if value is None:
        value = decimal(data.graph.value(iri, BUD + "amount"))
    shown = "" if value is None else format_amount(value) if value == value.quantize(Decimal("0.01")) else str(value)
    return source_cell(data, iri, text=shown, link=Link(shown, data.href(iri, page), iri=iri) if link and shown else None,
                       numeric=True, badges=data.badges(iri, page))


def link_cell(data: SiteData, iri: str, page: str, text_: str | None = None) -> Cell:
    return Cell(link=data.link(iri, page, text_), badges=data.badges(iri, page))


# -- budget lines (one query for all of them) ----------------------------------------------------

LINES_QUERY = """
SELECT ?line ?kind ?budget ?table ?title ?code ?notation ?column ?amount ?cny ?category ?printed WHERE {
  VALUES ?kind { bud:FunctionLine bud:EconomicLine bud:CategoryLine }
  ?line a ?kind ; qb:dataSet|bud:budget ?budget ; bud:amount ?amount .
  OPTIONAL { ?line bud:table ?table OPTIONAL { ?table bud:tableTitle ?title } }
  OPTIONAL { ?line bud:classification|bud:functionCode|bud:economicCode ?code . ?code skos:notation ?notation }
  OPTIONAL { ?line bud:column ?column }
  OPTIONAL { ?line bud:amountCNY ?cny }
  OPTIONAL { ?line bud:category ?category }
  OPTIONAL { ?line bud:printedName ?printed }
}
"""


class Line:
    __slots__ = ("iri", "kind", "budget", "table", "title", "code", "notation", "column", "amount", "cny", "category",
                 "printed")

    def __init__(self, row: dict) -> None:
        self.iri = row["line"].value
        self.kind = row["kind"].value
        self.budget = row["budget"].value
        self.table = text(row.get("table"))
        self.title = text(row.get("title"))
        self.code = text(row.get("code"))
        self.notation = text(row.get("notation"))
        self.column = text(row.get("column"))
        self.amount = decimal(row["amount"]) or Decimal(0)
        cny = decimal(row.get("cny"))
        self.cny = cny if cny is not None else None
        self.category = text(row.get("category"))
        self.printed = text(row.get("printed"))


def budget_lines(data: SiteData) -> dict[str, list[Line]]:
    """Lines by budget, each budget's lines in table, code, column order."""
    seen: set[str] = set()
    by_budget: dict[str, list[Line]] = defaultdict(list)
    for row in data.graph.select(LINES_QUERY):
        line = Line(row)
        if line.iri in seen:  # a line with both classification and functionCode
            continue
        seen.add(line.iri)
        by_budget[line.budget].append(line)
    for lines in by_budget.values():
        lines.sort(key=lambda ln: (ln.title, ln.table, ln.notation, ln.category, ln.column, ln.iri))
    return dict(by_budget)


def lines_by_code(data: SiteData) -> dict[str, list[Line]]:
    by_code: dict[str, list[Line]] = defaultdict(list)
    for lines in cached(data, "lines", budget_lines).values():
        for line in lines:
            if line.code:
                by_code[line.code].append(line)
    return dict(by_code)


COLUMN_ORDER = ("total", "amount", "basic", "project", "personnel", "public")


def column_label(data: SiteData, column: str) -> Label:
    return data.graph.label(column) if column else Label("金额", "Amount")


def column_key(data: SiteData, column: str) -> tuple[int, str]:
    notation = text(data.graph.value(column, SKOS + "notation")) if column else "amount"
    return (COLUMN_ORDER.index(notation) if notation in COLUMN_ORDER else len(COLUMN_ORDER), column)


def is_total_column(data: SiteData, column: str) -> bool:
    return not column or text(data.graph.value(column, SKOS + "notation")) in ("total", "amount")


def line_tables(data: SiteData, lines: list[Line], kind: str, page: str) -> list[Section]:
    """One table per source table: rows by code (or category) in code order, columns by column."""
    sections: list[Section] = []
    by_table: dict[str, list[Line]] = defaultdict(list)
    for line in lines:
        if line.kind == kind:
            by_table[line.table or line.title].append(line)
    for key, tlines in by_table.items():
        columns = sorted({ln.column for ln in tlines}, key=lambda c: column_key(data, c))
        rows: dict[tuple[str, str], dict[str, Line]] = defaultdict(dict)
        for ln in tlines:
            rows[(ln.notation, ln.category if not ln.notation else ln.code)][ln.column] = ln
        out_rows = []
        for (notation, ident), cells in sorted(rows.items()):
            printed = next((ln.printed for ln in cells.values() if ln.printed), "")
            if notation:
                name = printed or data.graph.label(ident).zh
                head = (Cell(link=data.link(ident, page, notation)), Cell(text=name if name != notation else ""))
                level = {3: 0, 5: 1, 7: 2}.get(len(notation), 0)
            else:
                head = (Cell(text=""), Cell(text=printed or ident))
                level = 0
            amounts = tuple(amount_cell(data, cells[c].iri, page, cells[c].amount, link=True) if c in cells
                            else Cell(numeric=True) for c in columns)
            out_rows.append(Row(cells=head + amounts, level=level))
        title = tlines[0].title or data.graph.label(key).zh if key else ""
        sections.append(TableSection(
            title=Label(title, "") if title else Label("预算表", "Budget table"),
            columns=(Label("科目编码", "Code"), Label("科目名称", "Name"),
                     *(column_label(data, c) for c in columns)),
            rows=tuple(out_rows),
            anchor=f"table-{len(sections) + 1}-{kind.rsplit('#', 1)[-1]}",
        ))
    return sections


def function_chart_lines(data: SiteData, lines: list[Line]) -> list[Line]:
    """The total-column function lines of the budget's fullest function table."""
    by_table: dict[str, list[Line]] = defaultdict(list)
    for ln in lines:
        if ln.kind == terms.FUNCTION_LINE and ln.notation and is_total_column(data, ln.column):
            by_table[ln.table or ln.title].append(ln)
    if not by_table:
        return []
    best = max(sorted(by_table), key=lambda t: len(by_table[t]))
    return sorted(by_table[best], key=lambda ln: ln.notation)


def chart_level(lines: list[Line]) -> list[Line]:
    """The 款 (five-digit) lines when there are any, else the 类 lines: bars of one level."""
    for length in (5, 3, 7):
        chosen = [ln for ln in lines if len(ln.notation) == length]
        if chosen:
            return chosen
    return lines


# -- budgets -------------------------------------------------------------------------------------

FIGURE_ORDER = ("revenue-total", "expenditure-total", "basic", "project", "personnel", "public-operating",
                "carryover", "three-public-total", "abroad", "car-total", "car-purchase", "car-operation",
                "reception", "operating-costs")


def figure_items(data: SiteData, budget: str, page: str) -> tuple[tuple[Label, Cell], ...]:
    g = data.graph
    items = []
    for fig in g.objects(budget, BUD + "hasFigure"):
        if not isinstance(fig, ox.NamedNode):
            continue
        ftype = g.value(fig, BUD + "figureType")
        notation = text(g.value(ftype, SKOS + "notation")) if isinstance(ftype, ox.NamedNode) else ""
        label = g.label(ftype.value) if isinstance(ftype, ox.NamedNode) else g.label(fig.value)
        order = FIGURE_ORDER.index(notation) if notation in FIGURE_ORDER else len(FIGURE_ORDER)
        items.append((order, fig.value, label, amount_cell(data, fig.value, page, link=True)))
    items.sort(key=lambda x: (x[0], x[1]))
    return tuple((label, cell) for _, _, label, cell in items)


def projects_table(data: SiteData, projects: list[str], page: str) -> TableSection:
    g = data.graph
    rows = []
    for p in projects:
        codes = [o.value for o in g.objects(p, BUD + "functionCode") if isinstance(o, ox.NamedNode)]
        duties = [s.value for s in g.objects(p, BUD + "servesDuty") if isinstance(s, ox.NamedNode)]
        rows.append(Row(cells=(
            link_cell(data, p, page),
            Cell(text=text(g.value(p, BUD + "projectCode"))),
            amount_cell(data, p, page),
            Cell(text=" ".join(text(g.value(c, SKOS + "notation")) or g.label(c).zh for c in codes)),
            Cell(text=str(len(g.objects(p, BUD + "hasIndicator"))), numeric=True),
            Cell(text=" ".join(f"#{text(g.value(d, BUD + 'ordinal')) or '?'}" for d in duties)),
        )))
    return TableSection(
        title=Label("项目", "Projects"),
        columns=(Label("项目名称", "Project"), Label("项目编码", "Code"), Label("金额", "Amount"),
                 Label("功能科目", "Function codes"), Label("指标数", "Indicators"), Label("服务职责", "Duties served")),
        rows=tuple(rows), anchor="projects")


def duties_table(data: SiteData, duties: list[str], page: str) -> TableSection:
    g = data.graph
    rows = []
    for d in duties:
        serving = g.subjects(BUD + "servesDuty", d)
        rows.append(Row(cells=(
            Cell(text=text(g.value(d, BUD + "ordinal")), numeric=True),
            link_cell(data, d, page, text(g.value(d, BUD + "text")) or None),
            Cell(text=str(len(serving)), numeric=True),
        ), anchor=f"duty-{text(g.value(d, BUD + 'ordinal'))}"))
    return TableSection(title=Label("部门职责", "Duties"),
                        columns=(Label("序号", "No."), Label("职责", "Duty"), Label("服务项目数", "Projects serving it")),
                        rows=tuple(rows), anchor="duties")


def by_ordinal(data: SiteData, iris: list[str]) -> list[str]:
    def key(i: str) -> tuple[int, str]:
        o = text(data.graph.value(i, BUD + "ordinal"))
        return (int(o) if o.isdigit() else 10**9, i)
    return sorted(iris, key=key)


def document_findings(data: SiteData, budget: str, page: str) -> list[Section]:
    g = data.graph
    documents = [d.value for d in g.objects(budget, BUD + "document") if isinstance(d, ox.NamedNode)]
    names = {text(g.value(d, BUD + "fileName")) for d in documents} | set(documents)
    names.discard("")
    found = [f for f in data.findings if f.document in names or f.focus.startswith(budget + "/")]
    if not found:
        return []
    rows = tuple(Row(cells=(
        Cell(text=f.severity, link=Link(f.severity, relative_href(page, f"validation.html#{f.anchor}"))),
        Cell(text=f.rule),
        Cell(link=data.link(f.focus, page)) if f.focus else Cell(),
        Cell(text=f.message),
        Cell(text=", ".join(map(str, f.lines)), numeric=True),
    )) for f in found)
    return [TableSection(title=Label("校验发现", "Validation findings"),
                         columns=(Label("级别", "Severity"), Label("规则", "Rule"), Label("对象", "Focus"),
                                  Label("说明", "Message"), Label("行", "Lines")),
                         rows=rows, anchor="findings")]


def budget_sections(data: SiteData, iri: str, page: str) -> tuple[Section, ...]:
    g = data.graph
    lines = cached(data, "lines", budget_lines).get(iri, [])
    sections: list[Section] = []
    figures = figure_items(data, iri, page)
    if figures:
        sections.append(FactsSection(Label("主要数字", "Key figures"), figures, anchor="figures"))
    chart_lines = chart_level(function_chart_lines(data, lines))
    if chart_lines:
        bars = [Bar(f"{ln.notation} {g.label(ln.code).zh}", ln.amount, data.href(ln.code, page) or "")
                for ln in chart_lines]
        title = f"按功能分类科目的支出（{chart_lines[0].title or '预算表'}，{unit_of(data, iri)}）"
        sections.append(ChartSection(Label("按功能分类科目的支出", "Spending by function code"),
                                     bar_chart(bars, title, chart_id="fn-chart", unit=unit_of(data, iri)),
                                     anchor="chart"))
    sections.extend(line_tables(data, lines, terms.FUNCTION_LINE, page))
    sections.extend(line_tables(data, lines, terms.ECONOMIC_LINE, page))
    sections.extend(line_tables(data, lines, terms.CATEGORY_LINE, page))
    projects = by_ordinal(data, [o.value for o in g.objects(iri, BUD + "hasProject") if isinstance(o, ox.NamedNode)])
    if projects:
        sections.append(projects_table(data, projects, page))
    duties = by_ordinal(data, [o.value for o in g.objects(iri, BUD + "hasDuty") if isinstance(o, ox.NamedNode)])
    if duties:
        sections.append(duties_table(data, duties, page))
    bureau = g.value(iri, BUD + "bureau")
    if isinstance(bureau, ox.NamedNode):
        units = [o.value for o in g.objects(bureau, terms.HAS_UNIT) if isinstance(o, ox.NamedNode)]
        if units:
            sections.append(LinksSection(Label("所属单位", "Units"), tuple(data.link(u, page) for u in sorted(units)),
                                         anchor="units"))
    sections.extend(budget_analysis_sections(data, iri, page))
    sections.extend(document_findings(data, iri, page))
    return tuple(sections)


def unit_of(data: SiteData, budget: str) -> str:
    for line in cached(data, "lines", budget_lines).get(budget, [])[:1]:
        unit = data.graph.value(line.iri, BUD + "unitOfMeasure")
        if isinstance(unit, ox.NamedNode):
            return data.graph.label(unit.value).zh
    return "万元"


def bureau_sections(data: SiteData, iri: str, page: str) -> tuple[Section, ...]:
    g = data.graph
    budgets = sorted((o.value for o in g.objects(iri, BUD + "hasBudget") if isinstance(o, ox.NamedNode)),
                     key=lambda b: text(g.value(b, BUD + "budgetYear")))
    budgets += sorted(s.value for s in g.subjects(BUD + "bureau", iri)
                      if isinstance(s, ox.NamedNode) and s.value not in budgets and terms.BUDGET in g.types(s.value))
    rows = []
    for b in budgets:
        total = next((cell for label, cell in figure_items(data, b, page)
                      if label.en in ("Expenditure total", "Revenue total")), Cell(numeric=True))
        rows.append(Row(cells=(
            link_cell(data, b, page, text(g.value(b, BUD + "budgetYear")) or None),
            total,
            Cell(text=str(len(g.objects(b, BUD + "hasProject"))), numeric=True),
            Cell(text=str(len(g.objects(b, BUD + "hasDuty"))), numeric=True),
        )))
    sections: list[Section] = []
    if rows:
        sections.append(TableSection(Label("年度预算", "Budgets"),
                                     (Label("年度", "Year"), Label("支出合计", "Expenditure total"),
                                      Label("项目数", "Projects"), Label("职责数", "Duties")),
                                     tuple(rows), anchor="budgets"))
    units = [o.value for o in g.objects(iri, terms.HAS_UNIT) if isinstance(o, ox.NamedNode)]
    if units:
        sections.append(LinksSection(Label("所属单位", "Units"), tuple(data.link(u, page) for u in sorted(units)),
                                     anchor="units"))
    return tuple(sections)


# -- projects, indicators, duties ----------------------------------------------------------------

INDICATORS_QUERY = """
SELECT ?project ?indicator ?ordinal ?l1 ?l1text ?l2 ?l2text ?name ?target ?basis WHERE {
  ?indicator a bud:Indicator ; bud:project ?project .
  OPTIONAL { ?indicator bud:ordinal ?ordinal }
  OPTIONAL { ?indicator bud:level1 ?l1 } OPTIONAL { ?indicator bud:level1Text ?l1text }
  OPTIONAL { ?indicator bud:level2 ?l2 } OPTIONAL { ?indicator bud:level2Text ?l2text }
  OPTIONAL { ?indicator bud:indicatorName ?name } OPTIONAL { ?indicator bud:targetText ?target }
  OPTIONAL { ?indicator bud:basis ?basis }
}
"""


def indicators_by_project(data: SiteData) -> dict[str, list[dict]]:
    out: dict[str, dict[str, dict]] = defaultdict(dict)
    for row in data.graph.select(INDICATORS_QUERY):
        out[row["project"].value].setdefault(row["indicator"].value, row)
    result = {}
    for project, rows in out.items():
        def key(r: dict) -> tuple[int, str]:
            o = text(r.get("ordinal"))
            tail = r["indicator"].value.rsplit("/", 1)[-1]
            n = o if o.isdigit() else tail if tail.isdigit() else ""
            return (int(n) if n else 10**9, r["indicator"].value)
        result[project] = sorted(rows.values(), key=key)
    return result


def level_cell(data: SiteData, concept: object, raw: object, page: str) -> Cell:
    if isinstance(concept, ox.NamedNode):
        shown = text(raw) or data.graph.label(concept.value).zh
        return Cell(link=data.link(concept.value, page, shown))
    return Cell(text=text(raw))


def project_sections(data: SiteData, iri: str, page: str) -> tuple[Section, ...]:
    g = data.graph
    sections: list[Section] = []
    items: list[tuple[Label, Cell]] = [(Label("金额", "Amount"), amount_cell(data, iri, page))]
    for prop, label in ((BUD + "projectCode", Label("项目编码", "Project code")),
                        (BUD + "projectKind", Label("项目类型", "Kind")),
                        (BUD + "startYear", Label("起始年度", "Start year"))):
        value = g.value(iri, prop)
        if value is not None:
            items.append((label, Cell(text=text(value))))
    unit = g.value(iri, BUD + "implementingUnit")
    if isinstance(unit, ox.NamedNode):
        items.append((Label("实施单位", "Unit"), link_cell(data, unit.value, page)))
    for code in g.objects(iri, BUD + "functionCode"):
        if isinstance(code, ox.NamedNode):
            notation = text(g.value(code, SKOS + "notation"))
            items.append((Label("功能科目", "Function code"),
                          link_cell(data, code.value, page, f"{notation} {g.label(code.value).zh}".strip())))
    sections.append(FactsSection(Label("概况", "Overview"), tuple(items), anchor="overview"))
    goals = [text(o) for o in g.objects(iri, BUD + "goal")]
    if goals:
        sections.append(TableSection(Label("绩效目标", "Goals"), (Label("目标", "Goal"),),
                                     tuple(Row(cells=(Cell(text=t),)) for t in goals), anchor="goals"))
    steps = []
    for step in g.objects(iri, BUD + "hasPlanStep"):
        share = decimal(g.value(step, BUD + "cumulativeShare"))
        ordinal = text(g.value(step, BUD + "ordinal"))
        steps.append((int(ordinal) if ordinal.isdigit() else 0, text(g.value(step, BUD + "period")), share, step))
    if steps:
        steps.sort(key=lambda s: (s[0], s[1]))
        sections.append(TableSection(
            Label("资金支出计划", "Spending plan"), (Label("时点", "By"), Label("累计支出比例（%）", "Cumulative share (%)")),
            tuple(Row(cells=(Cell(text=period), Cell(text="" if share is None else str(share), numeric=True,
                                                     badges=data.badges(step.value, page)
                                                     if isinstance(step, ox.NamedNode) else ())))
                  for _, period, share, step in steps), anchor="plan"))
    indicators = cached(data, "indicators", indicators_by_project).get(iri, [])
    if indicators:
        rows = tuple(Row(cells=(
            level_cell(data, r.get("l1"), r.get("l1text"), page),
            level_cell(data, r.get("l2"), r.get("l2text"), page),
            link_cell(data, r["indicator"].value, page, text(r.get("name")) or None),
            Cell(text=text(r.get("target")), badges=data.badges(r["indicator"].value, page)),
            Cell(text=text(r.get("basis"))),
            source_cell(data, r["indicator"].value),
        )) for r in indicators)
        sections.append(TableSection(
            Label("绩效指标", "Indicators"),
            (Label("一级指标", "Level 1"), Label("二级指标", "Level 2"), Label("三级指标", "Level 3"),
             Label("指标值", "Target"), Label("确定依据", "Basis"), Label("来源", "Source")),
            rows, anchor="indicators"))
    sections.extend(duty_link_sections(data, iri, page, project_side=True))
    sections.extend(analysis_findings(data, iri, page))
    return tuple(sections)


def duty_link_sections(data: SiteData, iri: str, page: str, project_side: bool) -> list[Section]:
    """The duties a project serves (or the projects serving a duty), with link scores and evidence."""
    g = data.graph
    mine, other = (BUD + "linkProject", BUD + "linkDuty") if project_side else (BUD + "linkDuty", BUD + "linkProject")
    rows = []
    linked: set[str] = set()
    for link in g.subjects(mine, iri):
        target = g.value(link, other)
        if not isinstance(target, ox.NamedNode):
            continue
        linked.add(target.value)
        score = decimal(g.value(link, BUD + "linkScore"))
        evidence = "、".join(text(o) for o in g.objects(link, BUD + "evidence"))
        rows.append((-(score or 0), target.value, Row(cells=(
            link_cell(data, target.value, page, _duty_or_project_name(data, target.value)),
            Cell(text="" if score is None else f"{score:.2f}", numeric=True),
            Cell(text=evidence),
            Cell(link=data.link(link.value, page, text(g.value(link, BUD + "linkMethod")) or "link")
                 if isinstance(link, ox.NamedNode) else None),
        ))))
    shortcuts = g.objects(iri, BUD + "servesDuty") if project_side else g.subjects(BUD + "servesDuty", iri)
    for target in shortcuts:
        if isinstance(target, ox.NamedNode) and target.value not in linked:
            rows.append((0, target.value, Row(cells=(
                link_cell(data, target.value, page, _duty_or_project_name(data, target.value)),
                Cell(numeric=True), Cell(), Cell()))))
    title = Label("服务的部门职责", "Duties it serves") if project_side else Label("服务于此职责的项目", "Projects serving this duty")
    if not rows:
        return [LinksSection(title, (), note=Label("没有关联", "No links"), anchor="duty-links")]
    rows.sort(key=lambda r: (r[0], r[1]))
    return [TableSection(title, (Label("名称", "Name"), Label("得分", "Score"), Label("证据", "Evidence"),
                                 Label("方法", "Method")), tuple(r[2] for r in rows), anchor="duty-links")]


def _duty_or_project_name(data: SiteData, iri: str) -> str | None:
    value = data.graph.value(iri, BUD + "text")
    return value.value if isinstance(value, ox.Literal) else None


def duty_sections(data: SiteData, iri: str, page: str) -> tuple[Section, ...]:
    g = data.graph
    items: list[tuple[Label, Cell]] = []
    ordinal = text(g.value(iri, BUD + "ordinal"))
    if ordinal:
        items.append((Label("序号", "No."), Cell(text=ordinal)))
    items.append((Label("来源", "Source"), Cell(text=source_text(data, iri))))
    for area in g.objects(iri, BUD + "dutyArea"):
        if isinstance(area, ox.NamedNode):
            items.append((Label("职责领域", "Duty area"), link_cell(data, area.value, page)))
    sections: list[Section] = [FactsSection(Label("概况", "Overview"), tuple(items), anchor="overview")]
    sections.extend(duty_link_sections(data, iri, page, project_side=False))
    sections.extend(analysis_findings(data, iri, page))
    return tuple(sections)


def indicator_sections(data: SiteData, iri: str, page: str) -> tuple[Section, ...]:
    g = data.graph
    items: list[tuple[Label, Cell]] = []
    project = g.value(iri, BUD + "project")
    if isinstance(project, ox.NamedNode):
        items.append((Label("所属项目", "Project"), link_cell(data, project.value, page)))
    for concept_prop, text_prop, label in ((BUD + "level1", BUD + "level1Text", Label("一级指标", "Level 1")),
                                           (BUD + "level2", BUD + "level2Text", Label("二级指标", "Level 2"))):
        items.append((label, level_cell(data, g.value(iri, concept_prop), g.value(iri, text_prop), page)))
    for prop, label in ((BUD + "indicatorName", Label("三级指标", "Level 3")),
                        (BUD + "targetText", Label("指标值", "Target")),
                        (BUD + "comparator", Label("比较符", "Comparator")),
                        (BUD + "targetValue", Label("目标数值", "Target value")),
                        (BUD + "targetUnit", Label("目标单位", "Target unit")),
                        (BUD + "basis", Label("确定依据", "Basis"))):
        value = g.value(iri, prop)
        if value is not None:
            items.append((label, Cell(text=text(value), badges=data.badges(iri, page) if prop.endswith("targetText")
                                      else ())))
    items.append((Label("来源", "Source"), Cell(text=source_text(data, iri))))
    return (FactsSection(Label("指标", "Indicator"), tuple(items), anchor="overview"),)


# -- classification codes ------------------------------------------------------------------------

def code_tree(data: SiteData, iri: str, page: str) -> TreeSection | None:
    """Ancestors down to the code, then its children, in notation order."""
    g = data.graph
    chain = [iri]
    while len(chain) < 8:
        parent = g.value(chain[-1], SKOS + "broader")
        if not isinstance(parent, ox.NamedNode) or parent.value in chain:
            break
        chain.append(parent.value)
    children = sorted((s.value for s in g.subjects(SKOS + "broader", iri) if isinstance(s, ox.NamedNode)),
                      key=lambda c: text(g.value(c, SKOS + "notation")) or c)
    if len(chain) == 1 and not children:
        return None

    def node(code: str, kids: tuple[TreeNode, ...] = (), current: bool = False) -> TreeNode:
        notation = text(g.value(code, SKOS + "notation"))
        return TreeNode(link=data.link(code, page, f"{notation} {g.label(code).zh}".strip() if notation != g.label(
            code).zh else notation), current=current, children=kids)

    tree = node(iri, tuple(node(c) for c in children), current=True)
    for ancestor in chain[1:]:
        tree = node(ancestor, (tree,))
    return TreeSection(Label("科目层级", "Code hierarchy"), (tree,), anchor="hierarchy")


def code_sections(data: SiteData, iri: str, page: str) -> tuple[Section, ...]:
    g = data.graph
    sections: list[Section] = []
    tree = code_tree(data, iri, page)
    if tree is not None:
        sections.append(tree)
    lines = cached(data, "lines-by-code", lines_by_code).get(iri, [])
    if lines:
        rows = []
        totals: dict[str, Decimal] = {}
        for ln in sorted(lines, key=lambda ln: (ln.budget, ln.title, column_key(data, ln.column))):
            rows.append(Row(cells=(
                link_cell(data, ln.budget, page),
                Cell(text=ln.title),
                Cell(text=column_label(data, ln.column).zh),
                amount_cell(data, ln.iri, page, ln.amount, link=True),
            )))
            if is_total_column(data, ln.column) and ln.budget not in totals:
                totals[ln.budget] = ln.cny / WAN if ln.cny is not None else ln.amount
        if len(totals) > 1:
            bars = [Bar(g.label(b).zh, v, data.href(b, page) or "") for b, v in sorted(totals.items())]
            sections.append(ChartSection(Label("各部门各年度金额（万元）", "Amount by bureau and year (10,000 yuan)"),
                                         bar_chart(bars, f"{g.label(iri).zh}：各部门各年度金额（万元）",
                                                   chart_id="code-chart"), anchor="chart"))
        sections.append(TableSection(Label("各部门各年度金额", "Amounts across bureaus and years"),
                                     (Label("预算", "Budget"), Label("表", "Table"), Label("栏目", "Column"),
                                      Label("金额", "Amount")), tuple(rows), anchor="amounts"))
    return tuple(sections)


def scheme_sections(data: SiteData, iri: str, page: str) -> tuple[Section, ...]:
    """A concept scheme: its whole tree in notation order."""
    g = data.graph
    members = [s.value for s in g.subjects(SKOS + "inScheme", iri) if isinstance(s, ox.NamedNode)]
    if not members:
        return ()
    children: dict[str, list[str]] = defaultdict(list)
    member_set = set(members)
    roots = []
    for m in members:
        parent = g.value(m, SKOS + "broader")
        if isinstance(parent, ox.NamedNode) and parent.value in member_set:
            children[parent.value].append(m)
        else:
            roots.append(m)

    def key(c: str) -> str:
        return text(g.value(c, SKOS + "notation")) or g.label(c).zh

    def node(c: str, depth: int) -> TreeNode:
        notation = text(g.value(c, SKOS + "notation"))
        name = g.label(c).zh
        kids = tuple(node(k, depth + 1) for k in sorted(children.get(c, ()), key=key)) if depth < 6 else ()
        return TreeNode(link=data.link(c, page, f"{notation} {name}" if notation and notation != name else name),
                        children=kids)

    return (TreeSection(Label("科目表", "Scheme"), tuple(node(r, 0) for r in sorted(roots, key=key)), anchor="scheme"),)


# -- ontology terms -----------------------------------------------------------------------------

def usage_counts(data: SiteData) -> tuple[Counter[str], Counter[str]]:
    """(instances per class, triples per property) over the whole graph."""
    classes: Counter[str] = Counter()
    properties: Counter[str] = Counter()
    for values in data.graph.out.values():
        for p, o in values:
            properties[p.value] += 1
            if p.value == RDF_TYPE and isinstance(o, ox.NamedNode):
                classes[o.value] += 1
    return classes, properties


def class_usage(data: SiteData, iri: str, page: str) -> tuple[Section, ...]:
    classes, _ = cached(data, "usage", usage_counts)
    return (FactsSection(Label("用量", "Usage"), ((Label("实例数", "Instances"),
                                                  Cell(text=str(classes.get(iri, 0)), numeric=True)),)),)


def property_usage(data: SiteData, iri: str, page: str) -> tuple[Section, ...]:
    _, properties = cached(data, "usage", usage_counts)
    return (FactsSection(Label("用量", "Usage"), ((Label("三元组数", "Triples"),
                                                  Cell(text=str(properties.get(iri, 0)), numeric=True)),)),)


TERM_KINDS = (
    (OWL + "Class", Label("类", "Class")),
    (OWL + "ObjectProperty", Label("对象属性", "Object property")),
    (OWL + "DatatypeProperty", Label("数据属性", "Datatype property")),
    (OWL + "AnnotationProperty", Label("注释属性", "Annotation property")),
    (RDF + "Property", Label("属性", "Property")),
)


def ontology_sections(data: SiteData, iri: str, page: str) -> tuple[Section, ...]:
    """The ontology's terms (its fragment IRIs on this page) with labels, definitions and usage."""
    g = data.graph
    classes, properties = cached(data, "usage", usage_counts)
    prefix = iri.rstrip("#/") + "#"
    rows = []
    for term in data.pages.get(page, ()):
        if not term.startswith(prefix):
            continue
        types = g.types(term)
        kind = next(((i, label) for i, (cls, label) in enumerate(TERM_KINDS) if cls in types), None)
        if kind is None:
            continue
        definition = {(o.language or "")[:2]: o.value for o in g.objects(term, SKOS + "definition")
                      if isinstance(o, ox.Literal)}
        label = g.label(term)
        usage = classes.get(term, 0) if kind[0] == 0 else properties.get(term, 0)
        rows.append((kind[0], term, Row(cells=(
            Cell(link=Link(term[len(prefix):], data.href(term, page), iri=term)),
            Cell(text=kind[1].zh + " / " + kind[1].en),
            Cell(text=label.zh), Cell(text=label.en if label.en != label.zh else ""),
            Cell(text=definition.get("zh", "")), Cell(text=definition.get("en", "")),
            Cell(text=str(usage), numeric=True),
        ))))
    if not rows:
        return ()
    rows.sort(key=lambda r: (r[0], r[1]))
    return (TableSection(Label("术语", "Terms"),
                         (Label("术语", "Term"), Label("种类", "Kind"), Label("中文名", "Chinese label"),
                          Label("英文名", "English label"), Label("定义", "Definition"),
                          Label("英文定义", "Definition (English)"), Label("用量", "Usage")),
                         tuple(r[2] for r in rows),
                         note=Label("用量：类为实例数，属性为三元组数。", "Usage: instances of a class, triples of a property."),
                         anchor="terms"),)


# -- home ----------------------------------------------------------------------------------------

def home_sections(data: SiteData, page: str) -> tuple[Section, ...]:
    """Spending by 类 over all budgets (normalised to 万元), from each budget's fullest function table."""
    g = data.graph
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for budget, lines in sorted(cached(data, "lines", budget_lines).items()):
        for ln in function_chart_lines(data, lines):
            if len(ln.notation) == 3:
                totals[ln.code] += ln.cny / WAN if ln.cny is not None else ln.amount
    if not totals:
        return ()
    ordered = sorted(totals, key=lambda c: text(g.value(c, SKOS + "notation")) or c)
    bars = [Bar(f"{text(g.value(c, SKOS + 'notation'))} {g.label(c).zh}", totals[c], data.href(c, page) or "")
            for c in ordered]
    return (ChartSection(Label("按类的支出（全部部门与年度，万元）", "Spending by 类 (all bureaus and years, 10,000 yuan)"),
                         bar_chart(bars, "按类的支出（全部部门与年度，万元）", chart_id="home-chart"), anchor="by-class"),)


# -- analysis (kg analyze) -------------------------------------------------------------------------

def analysis_findings(data: SiteData, iri: str, page: str) -> list[Section]:
    """Findings of the analysis about this resource (unfunded duty, project without duty, …)."""
    g = data.graph
    rows = []
    for finding in g.subjects(BUD + "findingAbout", iri):
        if not isinstance(finding, ox.NamedNode):
            continue
        kinds = [t for t in g.types(finding.value) if t.startswith(BUD)]
        details = "；".join(o.value for p, o in g.outgoing(finding)
                           if isinstance(o, ox.Literal) and p.value not in (RDF_TYPE,))
        rows.append(Row(cells=(Cell(link=data.link(finding.value, page, g.label(kinds[0]).zh if kinds else None)),
                               Cell(text=details))))
    if not rows:
        return []
    return [TableSection(Label("分析发现", "Analysis findings"), (Label("发现", "Finding"), Label("详情", "Details")),
                         tuple(rows), anchor="analysis")]


AREA_SPENDING_QUERY = """
SELECT ?budget ?row ?area ?amount ?share ?count WHERE {
  ?row a bud:AreaSpending ; bud:ofBudget ?budget ; bud:area ?area .
  OPTIONAL { ?row bud:amount ?amount } OPTIONAL { ?row bud:share ?share } OPTIONAL { ?row bud:projectCount ?count }
}
"""


def area_spending(data: SiteData) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for row in data.graph.select(AREA_SPENDING_QUERY):
        out[row["budget"].value].append(row)
    for rows in out.values():
        rows.sort(key=lambda r: (-(decimal(r.get("amount")) or Decimal(0)), r["area"].value))
    return dict(out)


def budget_analysis_sections(data: SiteData, iri: str, page: str) -> list[Section]:
    g = data.graph
    sections: list[Section] = []
    rows = cached(data, "area-spending", area_spending).get(iri, [])
    if rows:
        unit = unit_of(data, iri)
        bars = [Bar(g.label(r["area"].value).zh, decimal(r.get("amount")) or Decimal(0),
                    data.href(r["area"].value, page) or "") for r in rows]
        sections.append(ChartSection(Label("按职责领域的项目支出", "Project spending by duty area"),
                                     bar_chart(bars, f"按职责领域的项目支出（{unit}）", chart_id="area-chart", unit=unit),
                                     anchor="areas"))
    for document in g.objects(iri, BUD + "document"):
        stem = text(document).rstrip("/").rsplit("/", 1)[-1]
        figure = f"figures/tie-graph-{stem}.svg"
        if figure in data.files:
            sections.append(ImageSection(
                Label("项目与职责的关联图", "How projects tie to duties"), relative_href(page, figure),
                alt=f"{g.label(iri).zh}：左列为项目，右列为部门职责，连线为推断的关联 / "
                    "projects on the left, duties on the right, lines are the inferred links",
                anchor="tie-graph"))
    return sections


SIMILARITY_QUERY = """
SELECT ?row ?a ?b ?spending ?duties WHERE {
  ?row a bud:BureauSimilarity ; bud:comparedBudget ?a , ?b .
  FILTER(STR(?a) < STR(?b))
  OPTIONAL { ?row bud:spendingSimilarity ?spending } OPTIONAL { ?row bud:dutySimilarity ?duties }
}
"""

#: A query with a row when the graph holds anything for the comparison page.
SIMILARITY_PRESENT = "SELECT ?row WHERE { ?row a bud:BureauSimilarity } LIMIT 1"


def compare_sections(data: SiteData, page: str) -> tuple[Section, ...]:
    sections: list[Section] = []
    if "figures/area-profile.svg" in data.files:
        sections.append(ImageSection(
            Label("各部门职责领域支出占比", "Spending shares by duty area, per bureau"),
            relative_href(page, "figures/area-profile.svg"),
            alt="部门 × 职责领域的支出占比矩阵 / bureaus × duty areas matrix of spending shares", anchor="profile"))
    rows = sorted(data.graph.select(SIMILARITY_QUERY),
                  key=lambda r: (-(decimal(r.get("spending")) or Decimal(0)), r["a"].value, r["b"].value))
    if rows:
        sections.append(TableSection(
            Label("部门相似度", "Bureau similarity"),
            (Label("预算", "Budget"), Label("预算", "Budget"), Label("支出相似度", "Spending similarity"),
             Label("职责相似度", "Duty similarity")),
            tuple(Row(cells=(link_cell(data, r["a"].value, page), link_cell(data, r["b"].value, page),
                             Cell(text=text(r.get("spending")), numeric=True),
                             Cell(text=text(r.get("duties")), numeric=True))) for r in rows),
            anchor="similarity"))
    table = area_matrix(data, page)
    if table is not None:
        sections.append(table)
    return tuple(sections)


def area_matrix(data: SiteData, page: str) -> TableSection | None:
    """Budgets × duty areas: each budget's share of project spending per area."""
    g = data.graph
    spending = cached(data, "area-spending", area_spending)
    if not spending:
        return None
    areas = sorted({r["area"].value for rows in spending.values() for r in rows}, key=lambda a: g.label(a).zh)
    rows = []
    for budget in sorted(spending):
        shares = {r["area"].value: text(r.get("share")) for r in spending[budget]}
        rows.append(Row(cells=(link_cell(data, budget, page),
                               *(Cell(text=shares.get(a, ""), numeric=True) for a in areas))))
    return TableSection(Label("职责领域支出占比", "Share of project spending by duty area"),
                        (Label("预算", "Budget"), *(g.label(a) for a in areas)), tuple(rows), anchor="area-shares")


def compare_page(data: SiteData) -> Page | None:
    page = "compare.html"
    sections = compare_sections(data, page)
    if not sections:
        return None
    return Page(path=page, root="", title=f"{UI['compare'].zh} · {UI['site'].zh}", heading=UI["compare"],
                body=SectionsBody(sections), nav=data.nav(page))


def dataset_sections(data: SiteData, iri: str, page: str) -> tuple[Section, ...]:
    """The dataset description page: the downloads this site carries and the validation report."""
    links = [Link(path.rsplit("/", 1)[-1], relative_href(page, path)) for path in sorted(data.files)
             if path.startswith("dumps/")]
    links.append(Link(UI["validation"].zh, relative_href(page, "validation.html"), en=UI["validation"].en, ui=True))
    return (LinksSection(Label("下载", "Downloads"), tuple(links), anchor="downloads"),)


PROPERTY_CLASSES = (OWL + "ObjectProperty", OWL + "DatatypeProperty", OWL + "AnnotationProperty", RDF + "Property")

SECTION_BUILDERS: dict[str, SectionBuilder] = {
    terms.BUDGET: budget_sections,
    terms.BUREAU: bureau_sections,
    terms.PROJECT: project_sections,
    terms.INDICATOR: indicator_sections,
    terms.DUTY: duty_sections,
    terms.FUNCTION_CODE: code_sections,
    terms.ECONOMIC_CODE: code_sections,
    SKOS + "ConceptScheme": scheme_sections,
    OWL + "Class": class_usage,
    OWL + "Ontology": ontology_sections,
    **{c: dataset_sections for c in terms.DATASET_CLASSES},
    **{c: property_usage for c in PROPERTY_CLASSES},
}
