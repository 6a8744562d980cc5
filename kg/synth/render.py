"""Rendering a synthetic budget as a disclosure document, and its truth in the gold form.

The layout follows the national template as exported from PDF to markdown (the layout of sample
004): tab-separated rows with a 序号 column, tables continuing across pages with the page
furniture and the header repeated, prose sections with duties, totals, 三公 and 机关运行经费.
The truth records what the document *prints*, injected faults included.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kg.synth import catalogue as cat
from kg.synth.generate import SynthBudget, money

ROWS_PER_PAGE = 18
ORDINALS = (
    "一 二 三 四 五 六 七 八 九 十 十一 十二 十三 十四 十五 十六 十七 十八 十九 二十 二十一 二十二 "
    "二十三 二十四 二十五 二十六 二十七 二十八 二十九 三十 三十一 三十二"
).split()


def amount_cell(cents: int | None) -> str:
    return "" if not cents else str(money(cents))


def truth_amount(cents: int | None) -> Decimal | None:
    return None if not cents else money(cents)


class _Writer:
    def __init__(self, budget: SynthBudget) -> None:
        self.budget = budget
        self.out: list[str] = []
        self.page_head = (
            f"{budget.region.code[-3:]} {budget.bureau}", "", f"预算年度：{budget.year}", "", "单位：万元", "",
        )

    def lines(self, *lines: str) -> None:
        self.out.extend(lines)

    def table(self, title: str, header: list[str], rows: list[str]) -> None:
        self.lines(f"## {title}", "")
        for start in range(0, max(len(rows), 1), ROWS_PER_PAGE):
            if start:
                self.lines("")
            self.lines(*self.page_head, *header, *rows[start:start + ROWS_PER_PAGE])
        self.lines("")


def render_document(budget: SynthBudget, name: str) -> tuple[str, dict[str, Any]]:
    """The document text and its truth (gold-schema dict) for ``name``."""
    b = budget
    w = _Writer(b)
    o = b.overrides
    truth: dict[str, Any] = {
        "document": name, "bureau": b.bureau, "region": b.region.county, "year": b.year, "unit": "万元",
        "subunits": [{"name": f"{b.bureau}本级", "code": None, "nature": "行政", "grade": "正科级",
                      "funding": "财政拨款"}],
        "duties": list(b.duties), "function_lines": [], "category_lines": [], "economic_lines": [],
        "projects": [], "inconsistencies": [f.sentence() for f in b.faults],
        "faults": [f.__dict__ for f in b.faults],
    }
    w.lines("", f"# {b.year} 年部门预算信息公开目录", "")
    fn_rows = b.function_rows()
    names = cat.FUNCTION_NAMES
    used_classes = {code: basic + project for code, basic, project in fn_rows if len(code) == 3}
    total = b.total

    # 收支总表
    title = "部门预算收支总表"
    header = ["序号\t收入\t\t支出\t", "\t项目\t预算数\t项目\t预算数", "栏次\t1\t2\t3\t4"]
    revenue = ["一、一般公共预算拨款收入", "二、政府性基金预算拨款收入", "三、国有资本经营预算拨款收入",
               "四、财政专户管理资金收入", "五、单位资金"]
    rows = []
    for i, (code, cname) in enumerate(cat.FUNCTION_CLASSES):
        left = revenue[i] if i < len(revenue) else ""
        left_amount = amount_cell(total) if i == 0 else ""
        cents = used_classes.get(code)
        rows.append(f"{i + 1}\t{left}\t{left_amount}\t{ORDINALS[i]}、{cname}\t{amount_cell(cents)}")
        if cents:
            truth["category_lines"].append({"table": title, "name": cname, "amount": money(cents)})
    n = len(cat.FUNCTION_CLASSES)
    rows += [f"{n + 1}\t本年收入合计\t{amount_cell(total)}\t本年支出合计\t{amount_cell(total)}",
             f"{n + 2}\t上年结转结余\t\t年终结转结余\t",
             f"{n + 3}\t收入总计\t{amount_cell(total)}\t支出总计\t{amount_cell(total)}"]
    w.table(title, header, rows)

    # 收入总表
    title = "部门预算收入总表"
    header = ["序号\t功能分类科目\t\t合计\t本年收入\t\t\t上年结转",
              "\t科目编码\t科目名称\t\t小计\t财政拨款收入\t其他收入\t", "栏次\t1\t2\t3\t4\t5\t6\t7"]
    rows = [f"1\t\t合计\t{amount_cell(total)}\t{amount_cell(total)}\t{amount_cell(total)}\t\t"]
    for i, (code, basic, project) in enumerate(fn_rows, 2):
        t = basic + project
        rows.append(f"{i}\t{code}\t{names[code]}\t{amount_cell(t)}\t{amount_cell(t)}\t{amount_cell(t)}\t\t")
        truth["function_lines"].append({"table": title, "code": code, "name": names[code],
                                        "total": truth_amount(t), "basic": None, "project": None})
    w.table(title, header, rows)

    # 支出总表 and 一般公共预算财政拨款支出表
    for title, key in (("部门预算支出总表", "expenditure"), ("部门预算一般公共预算财政拨款支出表", "general")):
        header = ["序号\t功能分类科目\t\t合计\t基本支出\t项目支出", "\t科目编码\t科目名称\t\t\t", "栏次\t1\t2\t3\t4\t5"]
        rows = [f"1\t\t合计\t{amount_cell(total)}\t{amount_cell(b.basic)}\t{amount_cell(b.project)}"]
        for i, (code, basic, project) in enumerate(fn_rows, 2):
            t = o.get((key, code, "total"), basic + project)
            rows.append(f"{i}\t{code}\t{names[code]}\t{amount_cell(t)}\t{amount_cell(basic)}\t{amount_cell(project)}")
            truth["function_lines"].append({"table": title, "code": code, "name": names[code],
                                            "total": truth_amount(t), "basic": truth_amount(basic),
                                            "project": truth_amount(project)})
        w.table(title, header, rows)

    # 财政拨款收支总表
    title = "部门预算财政拨款收支总表"
    header = ["序号\t收入\t\t支出\t\t\t", "\t项目\t金额\t项目\t合计\t一般公共预算财政拨款\t政府性基金预算财政拨款",
              "栏次\t1\t2\t3\t4\t5\t6"]
    rows = []
    for i, (code, cname) in enumerate(cat.FUNCTION_CLASSES):
        left = ("一、一般公共预算拨款", "二、政府性基金预算拨款", "三、国有资本经营预算拨款")[i] if i < 3 else ""
        left_amount = amount_cell(total) if i == 0 else ""
        cents = used_classes.get(code)
        rows.append(f"{i + 1}\t{left}\t{left_amount}\t{ORDINALS[i]}、{cname}\t{amount_cell(cents)}\t{amount_cell(cents)}\t")
        if cents:
            truth["category_lines"].append({"table": title, "name": cname, "amount": money(cents)})
    rows.append(f"{n + 1}\t收入总计\t{amount_cell(total)}\t支出总计\t{amount_cell(total)}\t{amount_cell(total)}\t")
    w.table(title, header, rows)

    # 基本支出表 (economic classification)
    title = "部门预算一般公共预算财政拨款基本支出表"
    header = ["序号\t支出部门经济分类科目\t\t一般公共预算基本支出\t\t", "\t科目编码\t科目名称\t合计\t人员经费\t公用经费",
              "栏次\t1\t2\t3\t4\t5"]
    rows = [f"1\t\t合计\t{amount_cell(b.basic)}\t{amount_cell(b.personnel)}\t{amount_cell(b.public)}"]
    for i, (code, ename, t, pers, pub) in enumerate(b.economic_rows(), 2):
        t = o.get(("economic", code, "total"), t)
        rows.append(f"{i}\t{code}\t{ename}\t{amount_cell(t)}\t{amount_cell(pers)}\t{amount_cell(pub)}")
        truth["economic_lines"].append({"table": title, "code": code, "name": ename, "total": truth_amount(t),
                                        "personnel": truth_amount(pers), "public": truth_amount(pub)})
    w.table(title, header, rows)

    # 三公
    tp = b.three_public
    tp_total = sum(tp.values())
    car = tp["car_purchase"] + tp["car_operation"]
    printed_total = o.get(("three_public", "合计", "total"), tp_total)
    title = "部门预算财政拨款“三公”经费支出表"
    header = ["序号\t项 目\t资 金 性 质\t\t", "\t\t合计\t一般公共预算 财政拨款\t政府性基金 预算拨款", "栏次\t1\t2\t3\t4"]
    rows = [
        f"1\t合计\t{amount_cell(printed_total)}\t{amount_cell(printed_total)}\t",
        f"2\t“三公”经费小计\t{amount_cell(printed_total)}\t{amount_cell(printed_total)}\t",
        f"3\t一、因公出国（境）费\t{amount_cell(tp['abroad'])}\t{amount_cell(tp['abroad'])}\t",
        f"4\t二、公务用车购置及运维费\t{amount_cell(car)}\t{amount_cell(car)}\t",
        f"5\t其中：公务用车购置费\t{amount_cell(tp['car_purchase'])}\t{amount_cell(tp['car_purchase'])}\t",
        f"6\t公务用车运行维护费\t{amount_cell(tp['car_operation'])}\t{amount_cell(tp['car_operation'])}\t",
        f"7\t三、公务接待费\t{amount_cell(tp['reception'])}\t{amount_cell(tp['reception'])}\t",
    ]
    w.table(title, header, rows)

    # prose
    w.lines(f"# {b.bureau} {b.year} 年部门预算信息公开情况说明", "",
            f"按照《中华人民共和国预算法》规定，现将{b.bureau} {b.year} 年部门预算公开如下：", "",
            "## 一、部门职责及机构设置情况", "", "### 部门职责：", "")
    for i, duty in enumerate(b.duties):
        w.lines(f"({ORDINALS[i]}){duty}", "")
    w.lines("## 机构设置：", "", "### 部门机构设置情况", "", "单位名称\t单位性质\t单位规格\t经费保障形式",
            f"{b.bureau}本级\t行政\t正科级\t财政拨款", "", "## 二、部门预算安排的总体情况", "", "### 1、收入说明", "",
            f"反映本部门当年全部收入。{b.year}年预算收入{money(total)}万元，其中：一般公共预算收入{money(total)}万元，"
            f"上年结转结余0.00万元。", "", "### 2、支出说明", "")
    project_parts = "；".join(
        f"{p.name}{money(o.get(('prose', p.name, 'amount'), p.amount_cents))}万元" for p in b.projects)
    w.lines(f"{b.year}年支出预算{money(total)}万元，其中基本支出{money(b.basic)}万元，包括人员经费"
            f"{money(b.personnel)}万元和日常公用经费{money(b.public)}万元；项目支出{money(b.project)}万元，"
            f"主要为{project_parts}。", "")
    change = total - b.previous_total
    w.lines("### 3、比上年增减情况", "",
            f"{b.year}年预算收支安排{money(total)}万元，较{b.year - 1}年预算{'增加' if change >= 0 else '减少'}"
            f"{money(abs(change))}万元。", "",
            "### 三、机关运行经费安排情况", "",
            f"{b.year}年，我部门机关运行经费共计安排{money(b.operating_costs)}万元，主要用于日常维修、办公用房水电费等日常运行支出。", "",
            "### 四、财政拨款“三公”经费预算情况及增减变化原因", "",
            f"{b.year}年，我部门财政拨款“三公”经费预算安排{money(tp_total)}万元，其中因公出国（境）费"
            f"{money(tp['abroad'])}万元；公务用车购置及运维费{money(car)}万元（其中：公务用车购置费为"
            f"{money(tp['car_purchase'])}万元，公务用车运维费{money(tp['car_operation'])}万元）；公务接待费"
            f"{money(tp['reception'])}万元。", "")
    truth["totals"] = {"revenue_total": money(total), "expenditure_total": money(total), "basic": money(b.basic),
                       "project": money(b.project), "personnel": money(b.personnel),
                       "public_operating": money(b.public), "carryover": Decimal(0)}
    truth["three_public"] = {"total": money(printed_total), "abroad": money(tp["abroad"]),
                             "reception": money(tp["reception"]), "car_total": money(car),
                             "car_purchase": money(tp["car_purchase"]), "car_operation": money(tp["car_operation"])}
    truth["operating_costs"] = money(b.operating_costs)

    w.lines("### 七、部门项目预算安排情况及绩效目标", "")
    for i, p in enumerate(b.projects, 1):
        amount = str(money(p.amount_cents))
        plan = [f"{share}%" for share in p.plan]
        goals = [p.goal, f"保障{p.name}按计划使用"]
        w.lines(f"### {i}、{p.name}绩效目标表", "", "单位：万元", "",
                f"项目编码\t{p.code}\t\t项目名称\t{p.name}\t\t",
                f"预算规模及 资金用途\t预算数\t{amount}\t其中：财政资金\t{amount}\t其他资金\t",
                f"\t{p.name}\t\t\t\t\t",
                f"资金支出计 划（%）\t{cat.PLAN_PERIODS[0]}\t\t{cat.PLAN_PERIODS[1]}\t{cat.PLAN_PERIODS[2]}\t{cat.PLAN_PERIODS[3]}\t",
                f"\t{plan[0]}\t\t{plan[1]}\t{plan[2]}\t{plan[3]}\t",
                f"绩效目标\t1. {goals[0]} 2. {goals[1]}\t\t\t\t\t",
                "一级指标\t二级指标\t三级指标\t绩效指标描述\t指标值\t指标值确定依据\t")
        previous = None
        for ind in p.indicators:
            level1 = "" if ind.level1 == previous else ind.level1
            previous = ind.level1
            w.lines(f"{level1}\t{ind.level2}\t{ind.level3}\t{ind.description}\t{ind.target}\t{ind.basis}\t")
        w.lines("")
        truth["projects"].append({
            "name": p.name, "code": p.code, "kind": "预算项目", "amount": money(p.amount_cents),
            "function_codes": None, "unit": None, "goals": goals,
            "spending_plan": dict(zip(cat.PLAN_PERIODS, (Decimal(s) for s in p.plan), strict=True)),
            "indicators": [{"level1": ind.level1, "level2": ind.level2, "level3": ind.level3,
                            "description": ind.description, "target": ind.target, "basis": ind.basis}
                           for ind in p.indicators],
        })
    return "\n".join(w.out) + "\n", truth
