"""Budget and bureau pages: budget lines (one query for all), key figures, function chart and tables,
projects, duties, duty-area spending, the tie graph; the home page's chart by 类."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from sys import intern

import pyoxigraph as ox

from kg.site import terms
from kg.site.charts import Bar, bar_chart
from kg.site.contexts import (
    Cell,
    ChartSection,
    FactsSection,
    ImageSection,
    Link,
    LinksSection,
    Row,
    Section,
    TableSection,
)
from kg.site.graph import BUD, SKOS, Label
from kg.site.pages import SiteData
from kg.site.paths import relative_href
from kg.site.sections.common import WAN, amount_cell, cached, decimal, link_cell, text


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
    """One budget line of :data:`LINES_QUERY`. Every field but the IRI and the amounts repeats across
    lines (a budget, a table, a code, a column): those strings are interned, one object each instead
    of one per line (the lines of 350 documents took 50 MiB, inherited by every forked worker)."""

    __slots__ = ("iri", "kind", "budget", "table", "title", "code", "notation", "column", "amount", "cny", "category",
                 "printed")

    def __init__(self, row: dict) -> None:
        self.iri = row["line"].value
        self.kind = intern(row["kind"].value)
        self.budget = intern(row["budget"].value)
        self.table = intern(text(row.get("table")))
        self.title = intern(text(row.get("title")))
        self.code = intern(text(row.get("code")))
        self.notation = intern(text(row.get("notation")))
        self.column = intern(text(row.get("column")))
        self.amount = decimal(row["amount"]) or Decimal(0)
        cny = decimal(row.get("cny"))
        self.cny = cny if cny is not None else None
        self.category = intern(text(row.get("category")))
        self.printed = intern(text(row.get("printed")))


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


def category_chart_lines(data: SiteData, lines: list[Line]) -> list[Line]:
    """The expenditure category lines of the budget's fullest category table (one bar per 类)."""
    by_table: dict[str, list[Line]] = defaultdict(list)
    for ln in lines:
        if ln.kind == terms.CATEGORY_LINE and (ln.category or ln.printed) and is_total_column(data, ln.column):
            by_table[ln.table or ln.title].append(ln)
    if not by_table:
        return []
    best = max(sorted(by_table), key=lambda t: len(by_table[t]))
    return by_table[best]


#: Parts of a budget's spending that a category table may be limited to: extraction titles such a
#: table ``…（项目支出）`` or ``…（基本支出）`` (:mod:`kg.extract.tables_narrative`).
SPENDING_PARTS = {"项目支出": Label("项目支出", "project spending"), "基本支出": Label("基本支出", "basic spending")}


def spending_part(title: str) -> Label | None:
    """The part of the spending a table titled ``title`` covers, when it covers only a part.

    >>> spending_part("narrative（项目支出）").en
    'project spending'
    >>> spending_part("narrative") is None
    True
    """
    for name, part in SPENDING_PARTS.items():
        if title.endswith(f"（{name}）") or title.endswith(f"({name})"):
            return part
    return None


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
    else:  # documents without code-keyed tables: the 类 named in prose or in 收支总表 rows
        categories = category_chart_lines(data, lines)
        if categories:
            bars = [Bar(ln.printed or ln.category, ln.amount, data.href(ln.iri, page) or "") for ln in categories]
            part = spending_part(categories[0].title)
            heading, note = Label("按类的支出", "Spending by category"), None
            if part is not None:  # the document breaks down only this part of its spending by 类
                heading = Label(f"按类的{part.zh}", f"{part.en[0].upper()}{part.en[1:]} by category")
                note = Label(f"只含{part.zh}：文件只按类列出了{part.zh}，未列出全部支出。",
                             f"{part.en[0].upper()}{part.en[1:]} only: the document breaks down only its "
                             f"{part.en} by category, not all of its spending.")
            title = f"{heading.zh}（{categories[0].title or '预算表'}，{unit_of(data, iri)}）"
            sections.append(ChartSection(heading, bar_chart(bars, title, chart_id="fn-chart", unit=unit_of(data, iri)),
                                         note=note, anchor="chart"))
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
