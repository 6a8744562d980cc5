"""Function and economic code pages (hierarchy, amounts across budgets) and concept schemes."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pyoxigraph as ox

from kg.site.charts import Bar, bar_chart
from kg.site.contexts import Cell, ChartSection, Row, Section, TableSection, TreeNode, TreeSection
from kg.site.graph import SKOS, Label
from kg.site.pages import SiteData
from kg.site.sections.budgets import column_key, column_label, is_total_column, lines_by_code
from kg.site.sections.common import WAN, amount_cell, cached, link_cell, text


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
