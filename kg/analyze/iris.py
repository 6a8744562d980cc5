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

from dataclasses import dataclass, field

from kg.extract.facts import DocumentFacts
from kg.model.iris import Iris, budget_of, segment
from kg.model.iris import project_keys as model_project_keys


def project_keys(facts: DocumentFacts) -> list[str]:
    """The IRI keys of a document's projects, exactly as :mod:`kg.model.mapping` mints them."""
    return model_project_keys([p.code for p in facts.projects])


def budget_key(facts: DocumentFacts) -> tuple[str, int | str | None]:
    """(bureau key, year) of a document's budget, as :mod:`kg.model` derives them."""
    return budget_of(facts.bureau, facts.region, facts.year, (p.code for p in facts.projects), facts.document)


@dataclass(frozen=True)
class AnalysisIris:
    """IRIs of one build's link and analysis resources.

    A document's budget key and project keys are worked out once per document and kept while this
    object lives: each one reads all the document's projects, and the analysis asks for them per
    project, duty and finding (100 documents: ≈ 3,200 times)."""

    iris: Iris = Iris()
    _keys: dict[int, tuple[DocumentFacts, tuple[str, int | str | None], str, list[str]]] = field(
        default_factory=dict, compare=False, repr=False)
    """id(facts) → (facts, kept so that its id is not reused; budget key; budget IRI; project keys)."""

    def _of(self, facts: DocumentFacts) -> tuple[DocumentFacts, tuple[str, int | str | None], str, list[str]]:
        found = self._keys.get(id(facts))
        if found is None or found[0] is not facts:
            key = budget_key(facts)
            found = self._keys[id(facts)] = (facts, key, self.iris.budget(*key), project_keys(facts))
        return found

    def budget(self, facts: DocumentFacts) -> str:
        return self._of(facts)[2]

    def projects(self, facts: DocumentFacts) -> list[str]:
        """IRIs of all the document's projects, in order."""
        _, _, budget, keys = self._of(facts)
        return [self.iris.project(budget, key) for key in keys]

    def project(self, facts: DocumentFacts, index: int) -> str:
        _, _, budget, keys = self._of(facts)
        return self.iris.project(budget, keys[index])

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
            bureau, year = self._of(f)[1]
            return f"{bureau}-{year if year is not None else 'unknown-year'}"

        return f"{self.iris.base}analysis/similarity/{segment(key(a))}--{segment(key(b))}"

    def graph(self, name: str) -> str:
        return self.iris.graph(name)
