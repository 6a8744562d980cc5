"""IRIs of link and analysis resources, minted with :class:`kg.model.iris.Iris` conventions.

Layout (``{budget}`` and ``{project}``/``{duty}`` as in :mod:`kg.model.iris`)::

    {project}/link/{duty ordinal}                      DutyLink
    {project}/finding/no-duty                          ProjectWithoutDuty
    {project}/finding/missing-indicator-kinds          MissingIndicatorKind
    {duty}/finding/unfunded                            UnfundedDuty
    {budget}/analysis/area/{area slug}                 AreaSpending
    {budget}/analysis/code/{code}/{area slug}/{basis}  CodeAreaFunding
    {base}analysis/similarity/{budget a}--{budget b}   BureauSimilarity (budget = {bureau key}-{year})
    {base}graph/links, {base}graph/analysis            named graphs of links and analysis results
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.extract.facts import DocumentFacts
from kg.model.iris import Iris, bureau_key, project_key, segment


def budget_key(facts: DocumentFacts) -> tuple[str, int | str | None]:
    """(bureau key, year) of a document's budget, as :mod:`kg.model` derives them."""
    codes = tuple(p.code for p in facts.projects if p.code)
    return bureau_key(facts.bureau, facts.region, codes), facts.year


@dataclass(frozen=True)
class AnalysisIris:
    """IRIs of one build's link and analysis resources."""

    iris: Iris = Iris()

    def budget(self, facts: DocumentFacts) -> str:
        return self.iris.budget(*budget_key(facts))

    def project(self, facts: DocumentFacts, index: int) -> str:
        return self.iris.project(self.budget(facts), project_key(facts.projects[index].code, index + 1))

    def duty(self, facts: DocumentFacts, ordinal: int) -> str:
        return self.iris.duty(self.budget(facts), ordinal)

    def link(self, project: str, duty_ordinal: int) -> str:
        return f"{project}/link/{duty_ordinal}"

    def no_duty(self, project: str) -> str:
        return f"{project}/finding/no-duty"

    def missing_kinds(self, project: str) -> str:
        return f"{project}/finding/missing-indicator-kinds"

    def unfunded(self, duty: str) -> str:
        return f"{duty}/finding/unfunded"

    def area_spending(self, budget: str, slug: str) -> str:
        return f"{budget}/analysis/area/{slug}"

    def code_area(self, budget: str, code: str, slug: str, basis: str) -> str:
        return f"{budget}/analysis/code/{segment(code)}/{slug}/{basis}"

    def similarity(self, a: DocumentFacts, b: DocumentFacts) -> str:
        def key(f: DocumentFacts) -> str:
            bureau, year = budget_key(f)
            return f"{bureau}-{year if year is not None else 'unknown-year'}"

        return f"{self.iris.base}analysis/similarity/{segment(key(a))}--{segment(key(b))}"

    def graph(self, name: str) -> str:
        return self.iris.graph(name)
