"""Project, indicator and duty pages: indicators (one query for all), spending plan, duty links."""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from kg.site.contexts import Cell, FactsSection, LinksSection, Row, Section, TableSection
from kg.site.graph import BUD, SKOS, Label
from kg.site.pages import SiteData
from kg.site.sections.analysis import analysis_findings
from kg.site.sections.common import amount_cell, cached, decimal, link_cell, source_cell, source_text, text


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
