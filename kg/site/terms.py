"""The ontology terms the site gives special sections, in one place.

Everything else on a page is generic (properties, inverse links), so a new class or property in
the ontology shows up without changes here.
"""

from __future__ import annotations

from kg.site.graph import BUD, DCAT, ORG, PROV, VOID

BUREAU = BUD + "Bureau"
BUDGET = BUD + "Budget"
BUDGET_LINE = BUD + "BudgetLine"
PROJECT = BUD + "Project"
INDICATOR = BUD + "Indicator"
DUTY = BUD + "Duty"
DOCUMENT = BUD + "BudgetDocument"
FUNCTION_CODE = BUD + "FunctionCode"
ECONOMIC_CODE = BUD + "EconomicCode"

DATASET_CLASSES = (VOID + "Dataset", DCAT + "Dataset")
DERIVED_FROM = PROV + "wasDerivedFrom"
FUNCTION_LINE = BUD + "FunctionLine"
ECONOMIC_LINE = BUD + "EconomicLine"
CATEGORY_LINE = BUD + "CategoryLine"
HAS_UNIT = ORG + "hasUnit"
