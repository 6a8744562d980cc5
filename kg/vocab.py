"""The budget-kg ontology (``bud:``) as an rdflib DefinedNamespace.

GENERATED from ontology/budget.ttl by ``python -m kg.model.vocabgen``; do not edit by hand.
"""

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef


class BUD(DefinedNamespace):
    """Terms of https://budget-kg.org/ontology# (see ontology/README.md)."""

    _fail = True
    _NS = Namespace("https://budget-kg.org/ontology#")

    # Classes
    Budget: URIRef  # Budget: A bureau's department budget for one budget year; its budget lines are the qb:Observations of this data set.
    BudgetDocument: URIRef  # Budget document: A published department-budget disclosure, the source of the facts; its IRI is also the IRI of the named graph built from it.
    BudgetLine: URIRef  # Budget line: The amount in one cell of a budget table, keyed by a classification (a function or economic code, or a revenue/expenditure category), its table, its column (total / basic / project / personnel / public) and the budget year.
    BudgetTable: URIRef  # Budget table: A table of a budget document, told apart by its title (e.g. 部门收支总体情况表（一）); figures from prose go to a table titled narrative.
    BudgetTotal: URIRef  # Budget total: Revenue total, expenditure total, basic, project, personnel, public operating expenditure or carry-over.
    Bureau: URIRef  # Bureau: A government department that draws up and discloses a department budget (e.g. a county medical-insurance bureau); its IRI stays the same across years.
    CategoryLine: URIRef  # Category line: A row of a 收支总表 named by category only, without a code (一、一般公共服务支出 …).
    ClassificationCode: URIRef  # Classification code: A code of the government revenue and expenditure classification: a function or an economic code.
    Column: URIRef  # Column: An amount column of a budget table: total, basic, project, personnel, public, or the amount column of a 收支总表.
    CurrencyUnit: URIRef  # Currency unit: A unit of Renminbi amounts, with its multiplier to CNY.
    Duty: URIRef  # Duty: One item of the bureau's duties (部门职责), full text as printed, with its ordinal, as stated in one year's budget document.
    EconomicCode: URIRef  # Economic code: A department-budget economic classification code: 类 (3 digits), 款 (5) and local sub-items (7); skos:broader follows the code prefix (301 > 30101 > 3010201).
    EconomicLine: URIRef  # Economic line: A budget line keyed by an economic classification code (also economic classes named in prose without a code).
    Figure: URIRef  # Figure: An amount of the budget with provenance (a total, a 三公 item, operating costs …) carrying amount, unit and CNY amount.
    FigureType: URIRef  # Figure type: An item of budget figures; bud:partOf gives the 其中 relation (the parts sum to the whole).
    FunctionCode: URIRef  # Function code: An expenditure function classification code of the government revenue and expenditure classification: 类 (3 digits), 款 (5), 项 (7); skos:broader follows the code prefix (210 > 21015 > 2101501).
    FunctionLine: URIRef  # Function line: A budget line keyed by an expenditure function classification code.
    Indicator: URIRef  # Indicator: A row of a project's performance-goal table: level-1 and level-2 indicators (concepts of the indicator framework), the level-3 name, description, target (raw text plus the parsed comparator, value and unit) and basis.
    IndicatorCategory: URIRef  # Indicator category: A level-1 or level-2 indicator of the performance-indicator framework (产出, 效益/效果, 满意度, 成本; 数量, 质量, 时效 …).
    NarrativeTable: URIRef  # Narrative table: The table that amounts enumerated by class in prose go to, in a document printing no tables (its title begins with narrative).
    OperatingCosts: URIRef  # Operating costs: The public operating expenses of administrative units (and units managed like them).
    PartialTableKind: URIRef  # Partial table kind: A table kind covering part of the money only (一般公共预算, 政府性基金, 项目支出 …): its totals may be below the whole budget's.
    PerformanceGoal: URIRef  # Performance goal: One item of the department's overall performance goals (分项绩效目标): its area name, duty, goal and indicator text.
    PlanStep: URIRef  # Spending plan step: A step of a 资金支出计划（%）: the cumulative share spent by a date.
    Project: URIRef  # Project: A project of a department budget (专项资金 or 预算项目) with its amount, code, function codes, implementing unit, goals and spending plan.
    Side: URIRef  # Side: Revenue or expenditure.
    Statement: URIRef  # Prose statement: A figure stated in prose (revenue total, growth rate, a project's amount …), kept for cross-checks.
    StatementKind: URIRef  # Statement kind: What a prose figure states; its skos:notation is a statement key (bud:statementKey) or the suffix after its last dot (previous, increase, growth_rate …).
    Subunit: URIRef  # Subunit: A unit inside the department (a row of 机构设置 or the budget-unit code table), linked from its bureau by org:hasUnit.
    TableKind: URIRef  # Table kind: One of the standard tables of a department budget disclosure (收支总表, 支出总表, 一般公共预算支出表 …), told from the title.
    TableTotal: URIRef  # Table total: The amount a code table's printed 合计 row gives in one column (bud:totalOf, bud:totalColumn, bud:amount).
    ThreePublic: URIRef  # Three public expenses: An item of the 三公 expenses: total, official travel abroad, official reception, official cars (with purchase and operation).

    # Object properties
    aboutProject: URIRef  # about project: The project a prose project amount (project_amount) is about: given when its subject names exactly one project of the budget.
    budget: URIRef  # budget: The budget a project, duty, goal or figure belongs to.
    bureau: URIRef  # bureau: The bureau a budget, duty or subunit belongs to.
    classification: URIRef  # classification: The classification code a budget line is keyed by (function or economic); stated on every coded budget line next to the more specific bud:functionCode or bud:economicCode.
    column: URIRef  # column: The column the amount is printed in.
    document: URIRef  # document: The document that discloses this budget.
    economicCode: URIRef  # economic code: A department-budget economic classification code (类, 款).
    figureType: URIRef  # figure type: Which item the figure is.
    functionCode: URIRef  # function code: An expenditure function classification code (类, 款 or 项).
    hasBudget: URIRef  # has budget: A budget of the bureau for some year.
    hasDuty: URIRef  # has duty: A duty listed in the budget's document.
    hasFigure: URIRef  # has figure: A figure of the budget.
    hasGoal: URIRef  # has goal: An item of the budget's overall performance goals.
    hasIndicator: URIRef  # has indicator: A performance indicator of the project.
    hasPlanStep: URIRef  # spending plan step: A step of the project's spending plan.
    hasProject: URIRef  # has project: A project of the budget.
    hasStatement: URIRef  # has statement: A figure stated in the prose of the budget's document.
    implementingUnit: URIRef  # implementing unit: The unit that carries out the project.
    level1: URIRef  # level-1 indicator: The level-1 category of the indicator.
    level2: URIRef  # level-2 indicator: The level-2 category of the indicator.
    partOf: URIRef  # part of: This item is a part (其中) of another; the parts sum to the whole.
    previousBudget: URIRef  # previous budget: The same bureau's budget for the latest earlier year in the dataset (for year-on-year comparison).
    project: URIRef  # project: The project the indicator belongs to.
    side: URIRef  # side: Whether a 收支总表 row is on the revenue or the expenditure side.
    statesFigure: URIRef  # states figure: The type of budget figure that statements of this kind state (revenue total, basic expenditure, 三公 expenses …).
    table: URIRef  # table: The table the budget line is printed in.
    tableKind: URIRef  # table kind: Which standard table a budget table is (told from its title; not given where the title names none).
    totalColumn: URIRef  # total column: The amount column of a table total.
    totalOf: URIRef  # total of: The budget table whose printed 合计 this is.
    unitOfMeasure: URIRef  # unit of measure: The unit of bud:amount (万元 or 元).

    # Datatype properties
    amount: URIRef  # amount: The amount exactly as printed (xsd:decimal, trailing zeros kept), in the unit given by bud:unitOfMeasure.
    amountCNY: URIRef  # amount in CNY: The amount normalised to CNY (bud:amount times the unit's multiplier), an exact decimal.
    basis: URIRef  # basis: The basis of the target value, as printed.
    budgetYear: URIRef  # budget year: The budget year (a calendar year).
    category: URIRef  # category: The category name of a 收支总表 row, as printed without its ordinal.
    comparator: URIRef  # comparator: The comparator parsed from the target (>=, <=, >, <, =).
    cumulativeShare: URIRef  # cumulative share: The cumulative share spent by the date, in per cent.
    description: URIRef  # description: The indicator description, as printed.
    dutyText: URIRef  # duty text: The duty text of a performance-goal item.
    endYear: URIRef  # end year: The project's end year (项目终止时间), as printed.
    fileName: URIRef  # file name: The file name of the source document.
    fundingForm: URIRef  # funding form: How the unit is funded (财政拨款 …), as printed.
    goal: URIRef  # goal: One performance goal of the project, as printed.
    goalText: URIRef  # goal text: The goal text of a performance-goal item.
    indicatorName: URIRef  # indicator name: The level-3 indicator name, as printed.
    indicatorsText: URIRef  # indicators text: The indicator text of a performance-goal item.
    level: URIRef  # level: The level of a code or indicator concept in its scheme, from 1 (类, level-1 indicator).
    level1Text: URIRef  # level-1 text: The level-1 indicator as printed.
    level2Text: URIRef  # level-2 text: The level-2 indicator as printed.
    multiplier: URIRef  # multiplier: How many CNY one unit is.
    ordinal: URIRef  # ordinal: The 1-based position in its list.
    period: URIRef  # period: The date of a spending-plan step, as printed.
    printedName: URIRef  # printed name: The name printed for the row's code in this document (one code may be named differently in different documents; every name is kept).
    projectCode: URIRef  # project code: The project code as printed (some provinces begin it with the region code).
    projectKind: URIRef  # project kind: The kind of project, as printed (专项资金, 预算项目).
    region: URIRef  # region: The name of the bureau's administrative region, as printed.
    regionCode: URIRef  # region code: The six-digit GB/T 2260 code of the bureau's administrative region, where it can be determined.
    sourceLine: URIRef  # source line: A 1-based line number of the source document's text that the fact was read from; one value per line.
    startYear: URIRef  # start year: The project's start year, as printed.
    statementKey: URIRef  # statement key: A stable slug of what a prose figure states (revenue_total, three_public.total, growth_rate …).
    subject: URIRef  # subject: What a prose figure is about (a project name, a code), where that applies.
    tableTitle: URIRef  # table title: The title of the table, as printed.
    targetText: URIRef  # target text: The target as printed (e.g. ≥95%).
    targetUnit: URIRef  # target unit: The unit parsed from the target (%, 人, 万元 …).
    targetValue: URIRef  # target value: The number parsed from the target (exact decimal).
    text: URIRef  # text: The full text of a duty or statement, as printed.
    unitCode: URIRef  # unit code: The local budget-unit code (e.g. 058001); not a national identifier.
    unitGrade: URIRef  # unit grade: The administrative rank of the unit (正科级 …), as printed.
    unitNature: URIRef  # unit nature: The nature of the unit (行政, 事业, 公益一类 …), as printed.
    value: URIRef  # value: The number of a prose figure, as printed (exact decimal).
    valueUnit: URIRef  # value unit: The unit of a prose figure (万元, 元, % …), as printed.

    # Individuals
    AbroadTravel: URIRef  # Official travel abroad: Official travel abroad (including Hong Kong, Macao, Taiwan).
    AmountColumn: URIRef  # Amount: The amount column of a category row of a 收支总表.
    BasicColumn: URIRef  # Basic expenditure: The basic-expenditure column.
    BasicExpenditure: URIRef  # Basic expenditure: Total basic expenditure.
    BasicExpenditureTable: URIRef  # Basic expenditure: All basic expenditure, by economic code.
    Carryover: URIRef  # Carry-over: Funds carried over from last year.
    Expenditure: URIRef  # Expenditure: The expenditure side of a 收支总表.
    ExpenditureSummaryTable: URIRef  # Expenditure summary: All expenditure by function code, split into basic and project.
    ExpenditureTotal: URIRef  # Expenditure total: Total expenditure of the year.
    FiscalAppropriationSummaryTable: URIRef  # Fiscal appropriation summary: Fiscal appropriations only.
    GeneralBudgetBasicExpenditureTable: URIRef  # General public budget basic expenditure: Basic expenditure from the general public budget only, by economic code.
    GeneralBudgetExpenditureTable: URIRef  # General public budget expenditure: General public budget money only.
    GovernmentFundTable: URIRef  # Government fund budget expenditure: Government fund budget money only.
    OfficialCarOperation: URIRef  # Official car operation: Of which: running and maintenance of official cars.
    OfficialCarPurchase: URIRef  # Official car purchase: Of which: purchase of official cars.
    OfficialCars: URIRef  # Official cars: Purchase and running of official cars.
    OfficialReception: URIRef  # Official reception: Official reception expenses.
    OperatingCostsTotal: URIRef  # Operating costs: Total operating costs.
    PersonnelColumn: URIRef  # Personnel expenses: The personnel-expenses column.
    PersonnelExpenditure: URIRef  # Personnel expenses: Personnel expenses within basic expenditure.
    ProjectColumn: URIRef  # Project expenditure: The project-expenditure column.
    ProjectExpenditure: URIRef  # Project expenditure: Total project expenditure.
    ProjectExpenditureTable: URIRef  # Project expenditure: Project expenditure only.
    PublicColumn: URIRef  # Public operating expenses: The public-operating-expenses column.
    PublicOperatingExpenditure: URIRef  # Public operating expenses: (Daily) public operating expenses within basic expenditure.
    Revenue: URIRef  # Revenue: The revenue side of a 收支总表.
    RevenueExpenditureSummaryTable: URIRef  # Revenue and expenditure summary: All revenue and expenditure of the department.
    RevenueSummaryTable: URIRef  # Revenue summary: All revenue, by source or code.
    RevenueTotal: URIRef  # Revenue total: Total revenue of the year.
    StateCapitalTable: URIRef  # State capital operation budget expenditure: State capital operation budget money only.
    StatedAbroadTravel: URIRef  # Official travel abroad: Official travel abroad stated in prose.
    StatedAmount: URIRef  # Amount: Any other amount stated in prose (bud:subject is the label before it).
    StatedBasic: URIRef  # Basic expenditure: Basic expenditure stated in prose.
    StatedBudgetTotal: URIRef  # Budget total (revenue and expenditure): The total of revenue and expenditure stated in prose (both sides alike).
    StatedCarryover: URIRef  # Carry-over: Funds carried over from last year, stated in prose.
    StatedChange: URIRef  # Change: Suffix: a change from the previous year whose direction is not printed.
    StatedChangeRate: URIRef  # Rate of change: Suffix: a rate of change from the previous year (%) whose direction is not printed.
    StatedDeclineRate: URIRef  # Decline rate: Suffix: the rate of decline from the previous year (%).
    StatedDecrease: URIRef  # Decrease: Suffix: the amount of a decrease from the previous year.
    StatedEconomicCategory: URIRef  # Economic category: Spending of an economic category stated in prose (bud:subject names the category).
    StatedExpenditureTotal: URIRef  # Expenditure total: The expenditure total stated in prose.
    StatedFunctionCategory: URIRef  # Function category: Spending of a function category stated in prose (bud:subject names the category).
    StatedGrowthRate: URIRef  # Growth rate: Suffix: the growth rate over the previous year (%).
    StatedIncrease: URIRef  # Increase: Suffix: the amount of an increase over the previous year.
    StatedOfficialCarOperation: URIRef  # Official car operation: Running and maintenance of official cars stated in prose.
    StatedOfficialCarPurchase: URIRef  # Official car purchase: Purchase of official cars stated in prose.
    StatedOfficialCars: URIRef  # Official cars: Purchase and running of official cars, stated in prose.
    StatedOfficialReception: URIRef  # Official reception: Official reception expenses stated in prose.
    StatedOperatingCosts: URIRef  # Operating costs: Operating costs stated in prose.
    StatedPersonnel: URIRef  # Personnel expenses: Personnel expenses stated in prose.
    StatedPrevious: URIRef  # Previous year: Suffix: the value of the previous (or another) year.
    StatedProject: URIRef  # Project expenditure: Project expenditure stated in prose.
    StatedProjectAmount: URIRef  # Project amount: The amount of one project stated in prose (bud:subject names the project).
    StatedPublicOperating: URIRef  # Public operating expenses: (Daily) public operating expenses stated in prose.
    StatedRate: URIRef  # Rate: Suffix (or alone): a percentage of nothing named.
    StatedRevenueItem: URIRef  # Revenue item: A source of revenue stated in prose (bud:subject names it).
    StatedRevenueTotal: URIRef  # Revenue total: The revenue total stated in prose.
    StatedShare: URIRef  # Share: Suffix (or alone): a share of a whole (%).
    StatedThreePublicTotal: URIRef  # Three public expenses total: The 三公 expenses total stated in prose.
    TableKinds: URIRef  # Table kinds: The standard tables of a department budget disclosure.
    ThreePublicTable: URIRef  # Three public expenses: The three public expenses (travel abroad, official reception, official cars).
    ThreePublicTotal: URIRef  # Three public expenses total: Total of the 三公 expenses.
    TotalColumn: URIRef  # Total: The total column.
    WanYuan: URIRef  # 10,000 yuan: Ten thousand Renminbi yuan.
    Yuan: URIRef  # yuan (CNY): One Renminbi yuan.
    budgetLineStructure: URIRef  # Budget line structure: The Data Cube structure of budget lines: dimensions budget year, table, column and classification; measure amount; attribute unit of measure.
