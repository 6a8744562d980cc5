"""Writes tests/validate/data/rules/<rule>/{valid,invalid}.ttl: a minimal passing and failing graph per rule.

Run ``python tests/validate/data/make_rule_fixtures.py`` after changing a case below; the files are
committed so that each case can be read (and loaded into any SHACL tool) on its own. The tests load
every file together with ontology/budget.ttl (column notations, figure types, bud:partOf, statement
kinds).
"""

from __future__ import annotations

from pathlib import Path

HEADER = """@prefix bud: <https://budget-kg.org/ontology#> .
@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://example.org/> .

ex:doc a bud:BudgetDocument ; bud:fileName "t.txt" .
ex:b a bud:Budget .
"""

TABLE = """ex:t a bud:BudgetTable ; bud:tableTitle "表三"@zh . ex:b qb:slice ex:t .
ex:c210 a bud:FunctionCode ; skos:notation "210" ; bud:level 1 .
ex:c21001 a bud:FunctionCode ; skos:notation "21001" ; bud:level 2 ; skos:broader ex:c210 .
ex:c21002 a bud:FunctionCode ; skos:notation "21002" ; bud:level 2 ; skos:broader ex:c210 .
"""
PARTIAL = """ex:t5 a bud:BudgetTable ; bud:tableTitle "一般公共预算支出情况表（五）"@zh ; bud:tableKind ex:general .
ex:b qb:slice ex:t5 . ex:general a bud:TableKind , bud:PartialTableKind .
"""
TOTAL_ROW = """ex:t-total a bud:TableTotal ; bud:budget ex:b ; bud:totalOf ex:t ; bud:totalColumn bud:TotalColumn ;
    bud:amount {amount} ; prov:wasDerivedFrom ex:doc ; bud:sourceLine 2 .
"""
NARRATIVE = """ex:tn a bud:BudgetTable , bud:NarrativeTable ; bud:tableTitle "正文"@zh . ex:b qb:slice ex:tn .
"""


def dec(value: str) -> str:
    """A Turtle decimal: ``5`` → ``5.0`` (a bare ``5`` would be an xsd:integer); quoted text stays."""
    return value if value.startswith('"') or "." in value else f"{value}.0"


def line(name: str, code: str, amount: str, column: str = "TotalColumn", table: str = "ex:t", cls: str = "FunctionLine",
         extra: str = "") -> str:
    prop = "bud:functionCode" if cls == "FunctionLine" else "bud:economicCode"
    return (f"ex:{name} a bud:{cls} ; qb:dataSet ex:b ; bud:table {table} ; bud:column bud:{column} ; "
            f"{prop} ex:c{code} ; bud:amount {dec(amount)} ; prov:wasDerivedFrom ex:doc ; bud:sourceLine 3 {extra}.\n")


def figure(slug: str, ftype: str, amount: str, cls: str = "BudgetTotal") -> str:
    return (f"ex:figure\\/{slug} a bud:{cls} ; bud:budget ex:b ; bud:figureType bud:{ftype} ; bud:amount {dec(amount)} ; "
            f"prov:wasDerivedFrom ex:doc .\n")


def statement(n: int, key: str, value: str, line_no: int = 5, subject: str | None = None, unit: str = "万元",
              about: str | None = None) -> str:
    subj = f' ; bud:subject "{subject}"@zh' if subject else ""
    subj += f" ; bud:aboutProject ex:{about}" if about else ""
    return (f'ex:s{n} a bud:Statement ; bud:budget ex:b ; bud:statementKey "{key}" ; bud:value {dec(value)} ; '
            f'bud:valueUnit "{unit}" ; bud:sourceLine {line_no} ; prov:wasDerivedFrom ex:doc{subj} .\n')


def project(name: str, label: str, amount: str | None, extra: str = "") -> str:
    amt = f" ; bud:amount {dec(amount)}" if amount is not None else ""
    return (f'ex:{name} a bud:Project ; bud:budget ex:b ; rdfs:label "{label}"@zh{amt} ; '
            f"prov:wasDerivedFrom ex:doc ; bud:sourceLine 7 {extra}. ex:b bud:hasProject ex:{name} .\n")


CATS = """ex:output a bud:IndicatorCategory ; skos:notation "output" ; skos:prefLabel "产出指标"@zh .
ex:outcome a bud:IndicatorCategory ; skos:notation "outcome" ; skos:prefLabel "效益指标"@zh .
ex:satisfaction a bud:IndicatorCategory ; skos:notation "satisfaction" ; skos:prefLabel "满意度指标"@zh .
ex:quantity a bud:IndicatorCategory ; skos:notation "output/quantity" ; skos:prefLabel "数量指标"@zh ; skos:broader ex:output .
ex:timeliness a bud:IndicatorCategory ; skos:notation "output/timeliness" ; skos:prefLabel "时效指标"@zh ; skos:broader ex:output .
ex:cost a bud:IndicatorCategory ; skos:notation "output/cost" ; skos:prefLabel "成本指标"@zh ; skos:broader ex:output .
ex:p a bud:Project ; bud:budget ex:b ; rdfs:label "项目"@zh .
"""


def indicator(name: str, l2: str, nm: str, comparator: str | None, value: str | None, unit: str | None,
              target: str, l1: str = "output") -> str:
    parts = [f"ex:{name} a bud:Indicator ; bud:project ex:p ; bud:level1 ex:{l1} ; bud:level2 ex:{l2}",
             f'bud:indicatorName "{nm}"@zh ; bud:targetText "{target}"@zh']
    if comparator:
        parts.append(f'bud:comparator "{comparator}"')
    if value is not None:
        parts.append(f"bud:targetValue {dec(value)}")
    if unit:
        parts.append(f'bud:targetUnit "{unit}"')
    return " ; ".join(parts) + f" . ex:p bud:hasIndicator ex:{name} .\n"


def plan(proj: str, *shares: str | None) -> str:
    """Plan steps of ``proj``; a ``None`` share is a period printed blank (no ``bud:cumulativeShare``)."""
    out = ""
    for i, share in enumerate(shares, 1):
        value = "" if share is None else f" ; bud:cumulativeShare {dec(share)}"
        out += f'ex:{proj} bud:hasPlanStep ex:{proj}-plan{i} . ex:{proj}-plan{i} a bud:PlanStep ; bud:period "{3 * i}月底"@zh{value} .\n'
    return out


CASES: dict[str, tuple[str, str]] = {
    # --- structure ---
    "budget-document": ("ex:b bud:document ex:doc .\n", ""),
    "budget-year": ('ex:b bud:budgetYear "2022"^^xsd:gYear .\n', 'ex:b bud:budgetYear "2022022"^^xsd:gYear .\n'),
    "budget-bureau": ("ex:b bud:bureau ex:bu . ex:bu a bud:Bureau .\n", "ex:b bud:bureau ex:bu .\n"),
    "bureau-label": ('ex:bu a bud:Bureau ; rdfs:label "某局"@zh .\n', 'ex:bu a bud:Bureau ; rdfs:label "某局" .\n'),
    "line-amount": (TABLE + line("l", "210", "1.00"), TABLE + line("l", "210", '"1.00"')),
    "line-table": (TABLE + line("l", "210", "1.00"), TABLE + line("l", "210", "1.00", table="ex:t2")),
    "line-column": (TABLE + line("l", "210", "1.00"), TABLE + line("l", "210", "1.00", column="Column")),
    "line-dataset": (TABLE + line("l", "210", "1.00"), TABLE + line("l", "210", "1.00", extra="; qb:dataSet ex:b2 ")),
    "function-line-code": (TABLE + line("l", "210", "1.00"), TABLE + line("l", "210", "1.00", extra="; bud:functionCode ex:c21001 ")),
    "economic-line-code": (
        "ex:c301 a bud:EconomicCode ; skos:notation \"301\" .\n" + TABLE + line("l", "301", "1.00", cls="EconomicLine"),
        TABLE + line("l", "210", "1.00", cls="EconomicLine")),
    "amount-negative": (TABLE + line("l", "210", "0.00"), TABLE + line("l", "210", "-1.00")),
    "function-code-notation": (TABLE, TABLE + 'ex:cx a bud:FunctionCode ; skos:notation "2101" .\n'),
    "economic-code-notation": ('ex:e a bud:EconomicCode ; skos:notation "3010201" .\n', 'ex:e a bud:EconomicCode ; skos:notation "30102a" .\n'),
    "code-broader-prefix": (TABLE, TABLE + 'ex:c2100 a bud:FunctionCode ; skos:notation "21101" ; skos:broader ex:c210 .\n'),
    "code-label": ('ex:e a bud:EconomicCode ; skos:prefLabel "基本工资"@zh .\n', 'ex:e a bud:EconomicCode ; skos:prefLabel "基本工资" .\n'),
    "provenance-document": ('ex:d a bud:Duty ; prov:wasDerivedFrom ex:doc .\n', 'ex:d a bud:Duty ; prov:wasDerivedFrom ex:b .\n'),
    "provenance-line": ('ex:d a bud:Duty ; bud:sourceLine 4 .\n', 'ex:d a bud:Duty ; bud:sourceLine 0 .\n'),
    "project-label": (project("p", "项目", "1"), 'ex:p a bud:Project ; rdfs:label "项目"@zh, "另一名称"@zh .\n'),
    "project-amount": (project("p", "项目", "1.5"), project("p", "项目", '"1.5"')),
    "indicator-level1": (CATS + indicator("i", "quantity", "人数", ">=", "5", "人", "≥5人"),
                         CATS + 'ex:i a bud:Indicator ; bud:level2 ex:quantity .\n'),
    "indicator-level2": (CATS + indicator("i", "quantity", "人数", ">=", "5", "人", "≥5人"),
                         CATS + 'ex:i a bud:Indicator ; bud:level1 ex:output ; bud:level2 ex:unknown .\n'),
    "indicator-project": (CATS + indicator("i", "quantity", "人数", ">=", "5", "人", "≥5人"), CATS + "ex:i a bud:Indicator .\n"),
    "indicator-target-value": (CATS + indicator("i", "quantity", "人数", ">=", "5", "人", "≥5人"),
                               CATS + indicator("i", "quantity", "人数", ">=", '"5"', "人", "≥5人")),
    "indicator-comparator": (CATS + indicator("i", "quantity", "人数", ">=", "5", "人", "≥5人"),
                             CATS + indicator("i", "quantity", "人数", "≥", "5", "人", "≥5人")),
    "duty-text": ('ex:d a bud:Duty ; bud:text "负责……"@zh .\n', 'ex:d a bud:Duty .\n'),
    "figure-amount": (figure("basic", "BasicExpenditure", "1.00"), 'ex:f a bud:BudgetTotal ; bud:amount 1.0, 2.0 .\n'),
    "statement-value": (statement(1, "project", "187.00"), 'ex:s a bud:Statement ; bud:value 1.0, 2.0 .\n'),
    # --- arithmetic ---
    "parent-equals-children": (
        TABLE + line("a", "210", "10.00") + line("b", "21001", "4.00") + line("c", "21002", "6.00"),
        TABLE + line("a", "210", "10.00") + line("b", "21001", "4.00") + line("c", "21002", "5.00")),
    "parent-equals-children-rounding": (
        TABLE + line("a", "210", "10.00") + line("b", "21001", "4.00") + line("c", "21002", "6.00"),
        TABLE + line("a", "210", "10.00") + line("b", "21001", "4.00") + line("c", "21002", "5.99")),
    "row-total-equals-parts": (
        TABLE + line("solo", "21002", "3.00") + line("t", "210", "10.00") + line("bas", "210", "4.00", "BasicColumn") + line("pro", "210", "6.00", "ProjectColumn"),
        TABLE + line("t", "210", "10.00") + line("bas", "210", "4.00", "BasicColumn") + line("pro", "210", "5.00", "ProjectColumn")),
    "row-total-equals-parts-rounding": (
        TABLE + line("t", "210", "10.00") + line("bas", "210", "4.00", "BasicColumn") + line("pro", "210", "6.00", "ProjectColumn"),
        TABLE + line("t", "210", "10.00") + line("bas", "210", "4.00", "BasicColumn") + line("pro", "210", "5.99", "ProjectColumn")),
    "table-total-equals-top-rows": (
        # a 一般公共预算 table (a partial kind) may sum to less than the whole; a narrative table is not checked
        TABLE + line("a", "210", "10.00") + figure("expenditure-total", "ExpenditureTotal", "10.00")
        + PARTIAL + line("g", "210", "8.00", table="ex:t5")
        + NARRATIVE + line("n", "210", "3.00", table="ex:tn"),
        TABLE + line("a", "210", "10.00") + figure("expenditure-total", "ExpenditureTotal", "12.00")
        + PARTIAL + line("g", "210", "13.00", table="ex:t5")),
    "table-total-row-equals-top-rows": (
        TABLE + line("a", "210", "10.00") + TOTAL_ROW.format(amount="10.00"),
        TABLE + line("a", "210", "10.00") + TOTAL_ROW.format(amount="9.99")),
    "revenue-equals-expenditure": (
        figure("revenue-total", "RevenueTotal", "10.00") + figure("expenditure-total", "ExpenditureTotal", "12.00")
        + figure("carryover", "Carryover", "2.00"),
        figure("revenue-total", "RevenueTotal", "10.00") + figure("expenditure-total", "ExpenditureTotal", "12.00")),
    "figure-parts-sum": (
        figure("carryover", "Carryover", "1.00") + figure("basic", "BasicExpenditure", "10.00") + figure("personnel", "PersonnelExpenditure", "7.00")
        + figure("public-operating", "PublicOperatingExpenditure", "3.00"),
        figure("basic", "BasicExpenditure", "10.00") + figure("personnel", "PersonnelExpenditure", "7.00")
        + figure("public-operating", "PublicOperatingExpenditure", "2.00")),
    "figure-parts-sum-rounding": (
        figure("basic", "BasicExpenditure", "10.00") + figure("personnel", "PersonnelExpenditure", "7.00")
        + figure("public-operating", "PublicOperatingExpenditure", "3.00"),
        figure("basic", "BasicExpenditure", "10.00") + figure("personnel", "PersonnelExpenditure", "7.00")
        + figure("public-operating", "PublicOperatingExpenditure", "2.99")),
    "figure-part-not-above-whole": (
        figure("three-public-car-total", "OfficialCars", "3.10", "ThreePublic")
        + figure("three-public-car-operation", "OfficialCarOperation", "3.10", "ThreePublic"),
        figure("three-public-car-total", "OfficialCars", "0.00", "ThreePublic")
        + figure("three-public-car-operation", "OfficialCarOperation", "3.10", "ThreePublic")),
    "category-agrees-across-tables": (
        'ex:t1 a bud:BudgetTable ; bud:tableTitle "表一"@zh . ex:t4 a bud:BudgetTable ; bud:tableTitle "表四"@zh .\n'
        'ex:k1 a bud:CategoryLine ; qb:dataSet ex:b ; bud:table ex:t1 ; bud:side bud:Expenditure ; bud:category "卫生健康支出"@zh ; bud:amount 5.00 .\n'
        'ex:k4 a bud:CategoryLine ; qb:dataSet ex:b ; bud:table ex:t4 ; bud:side bud:Expenditure ; bud:category "卫生健康支出"@zh ; bud:amount 5.00 .\n'
        + NARRATIVE + 'ex:kn a bud:CategoryLine ; qb:dataSet ex:b ; bud:table ex:tn ; bud:side bud:Expenditure ; bud:category "卫生健康支出"@zh ; bud:amount 2.00 .\n',
        'ex:t1 a bud:BudgetTable ; bud:tableTitle "表一"@zh . ex:t4 a bud:BudgetTable ; bud:tableTitle "表四"@zh .\n'
        'ex:k1 a bud:CategoryLine ; qb:dataSet ex:b ; bud:table ex:t1 ; bud:side bud:Expenditure ; bud:category "卫生健康支出"@zh ; bud:amount 5.00 .\n'
        'ex:k4 a bud:CategoryLine ; qb:dataSet ex:b ; bud:table ex:t4 ; bud:side bud:Expenditure ; bud:category "卫生健康支出"@zh ; bud:amount 0.00 .\n'),
    "code-agrees-across-tables": (
        TABLE + 'ex:t5 a bud:BudgetTable ; bud:tableTitle "表五"@zh .\n' + line("a", "21001", "4.00") + line("b", "21001", "4.00", table="ex:t5")
        + NARRATIVE + line("n", "21001", "3.00", table="ex:tn"),
        TABLE + 'ex:t5 a bud:BudgetTable ; bud:tableTitle "表五"@zh .\n' + line("a", "21001", "4.00") + line("b", "21001", "5.00", table="ex:t5")),
    "name-under-two-codes": (
        TABLE + 'ex:t5 a bud:BudgetTable ; bud:tableTitle "表五"@zh .\n'
        + line("a", "21001", "4.00", extra='; bud:printedName "补助"@zh ') + line("b", "21001", "4.00", table="ex:t5", extra='; bud:printedName "补助"@zh '),
        TABLE + 'ex:t5 a bud:BudgetTable ; bud:tableTitle "表五"@zh .\n'
        + line("a", "21001", "4.00", extra='; bud:printedName "补助"@zh ') + line("b", "21002", "4.00", table="ex:t5", extra='; bud:printedName "补助"@zh ')),
    "project-amounts-sum": (
        figure("project", "ProjectExpenditure", "3.00") + project("p1", "甲", "1.00") + project("p2", "乙", "2.00")
        + 'ex:b2 a bud:Budget . ex:figure2 a bud:BudgetTotal ; bud:budget ex:b2 ; bud:figureType bud:ProjectExpenditure ; bud:amount 5.0 .\n',
        figure("project", "ProjectExpenditure", "3.00") + project("p1", "甲", "1.00") + project("p2", "乙", "2.50")),
    # --- prose ---
    # The figure's IRI does not end in the key's slug: the statement finds it through its kind.
    "statement-agrees-with-figure": (figure("f1", "ProjectExpenditure", "187.00") + statement(1, "project", "187.00"),
                                     figure("f1", "ProjectExpenditure", "187.00") + statement(1, "project", "186.00")),
    "statements-agree": (statement(1, "operating_costs", "10") + statement(2, "operating_costs", "10", 9),
                         statement(1, "operating_costs", "10") + statement(2, "operating_costs", "12", 9)),
    "stated-change-recomputes": (
        statement(1, "operating_costs", "410.01") + statement(2, "operating_costs.previous", "32.51") + statement(3, "operating_costs.increase", "377.5"),
        statement(1, "operating_costs", "410.01") + statement(2, "operating_costs.previous", "32.51") + statement(3, "operating_costs.increase", "370.5")),
    "stated-rate-recomputes": (
        statement(1, "three_public.reception", "0.61") + statement(2, "three_public.reception.previous", "0.76")
        + statement(3, "three_public.reception.decline_rate", "19.74", unit="%"),
        statement(1, "operating_costs", "410.01") + statement(2, "operating_costs.previous", "32.51")
        + statement(3, "operating_costs.growth_rate", "57.13", unit="%")),
    "stated-breakdown-sum": (
        statement(1, "revenue_total", "10.00") + statement(2, "economic_category", "3.00", subject="工资福利支出")
        + statement(3, "economic_category", "2.00", subject="商品和服务支出") + statement(4, "project", "5.00"),
        statement(1, "revenue_total", "10.07") + statement(2, "economic_category", "3.00", subject="工资福利支出")
        + statement(3, "economic_category", "2.00", subject="商品和服务支出") + statement(4, "project", "5.00")),
    "stated-project-amount": (
        # the model links a statement to its project only when its subject names exactly one (s2 names none)
        project("p1", "省级财政城乡居民社会保险代办员补助资金", "4.00")
        + statement(1, "project_amount", "4", subject="城乡社会保险代办员补助资金", about="p1")
        + statement(2, "project_amount", "3", subject="补助资金"),
        project("p1", "省级财政城乡居民社会保险代办员补助资金", "4.00")
        + statement(1, "project_amount", "3", subject="城乡社会保险代办员补助资金", about="p1")),
    "stated-project-listing": (
        figure("project", "ProjectExpenditure", "3.00") + project("p1", "甲", "1.00") + project("p2", "乙", "2.00")
        + statement(1, "project_amount", "1", subject="甲") + statement(2, "project_amount", "2", subject="乙"),
        figure("project", "ProjectExpenditure", "3.00") + project("p1", "甲", "1.00") + project("p2", "乙", "2.00")
        + statement(1, "project_amount", "1", subject="甲") + statement(2, "project_amount", "1", subject="乙")),
    # --- indicators ---
    "project-indicator-kinds": (
        CATS + indicator("i1", "quantity", "人数", ">=", "5", "人", "≥5人") + indicator("i2", "quantity", "受益率", ">=", "90", "%", "≥90%", "outcome")
        + indicator("i3", "quantity", "满意度", ">=", "90", "%", "≥90%", "satisfaction") + project("p2", "无指标项目", "1"),
        CATS + indicator("i1", "quantity", "人数", ">=", "5", "人", "≥5人") + indicator("i2", "quantity", "受益率", ">=", "90", "%", "≥90%", "outcome")),
    "indicator-target-quantified": (CATS + indicator("i", "quantity", "人数", ">=", "5", "人", "≥5人"),
                                    CATS + indicator("i", "quantity", "人数", None, None, None, "按规定执行")),
    "indicator-rate-ceiling": (CATS + indicator("i", "quantity", "差错率", "<=", "5", "%", "≤5%"),
                               CATS + indicator("i", "quantity", "权益保障率", "<=", "95", "%", "≤95%")),
    "indicator-cost-floor": (CATS + indicator("i", "cost", "资金成本", "<=", "20", "万元", "≤20万元"),
                             CATS + indicator("i", "cost", "资金成本", ">=", "20", "万元", "≥20万元")),
    "indicator-vacuous-floor": (CATS + indicator("i", "quantity", "增长率", ">=", "90", None, "≥90超过90%"),
                                CATS + indicator("i", "quantity", "增长率", ">=", "0", None, "≥0优95%以上")),
    "indicator-kind-mismatch": (CATS + indicator("i", "timeliness", "完成及时率", ">=", "99", "%", "≥99%"),
                                CATS + indicator("i", "timeliness", "资金成本", "<=", "10", "万元", "≤10万元")),
    "plan-reaches-full": (project("p1", "甲", "1") + plan("p1", "25", "50", "75", "100"),
                          project("p1", "甲", "1") + plan("p1", "25", "50", "75")),
    "plan-blank": (project("p1", "甲", "1") + plan("p1", "100") + project("p2", "乙", "1") + plan("p2", None, "100")
                   + project("p3", "丙", "1"),
                   project("p1", "甲", "1") + plan("p1", "100") + project("p2", "乙", "1") + plan("p2", None, None)),
    "project-start-year": (project("p1", "甲", "1", '; bud:startYear "2022" '), project("p1", "甲", "1", '; bud:startYear "2022022" ')),
    "project-end-year": (project("p1", "甲", "1", '; bud:endYear "2024" '), project("p1", "甲", "1", '; bud:endYear "20224" ')),
    "project-years-in-order": (project("p1", "甲", "1", '; bud:startYear "2022" ; bud:endYear "2024" ')
                               + project("p2", "乙", "1", '; bud:startYear "2022022" ; bud:endYear "2022" '),
                               project("p1", "甲", "1", '; bud:startYear "2024" ; bud:endYear "2022" ')),
}


def main() -> None:
    root = Path(__file__).parent / "rules"
    for rule, (valid, invalid) in sorted(CASES.items()):
        folder = root / rule
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "valid.ttl").write_text(f"# {rule}: passes\n" + HEADER + valid, encoding="utf-8")
        (folder / "invalid.ttl").write_text(f"# {rule}: fails\n" + HEADER + invalid, encoding="utf-8")


if __name__ == "__main__":
    main()
