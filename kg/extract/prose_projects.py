"""Projects stated in prose, and how they complete the table projects of the same document.

Three forms are read:

* numbered items under a heading about projects (``十、重点项目的绩效目标…`` then
  ``1.医保工作专项经费11.7万元。用于……``): a project with its amount and goal;
* enumerations in the spending narrative (``项目支出187.00万元，主要为A 60万元；B 18万元；…``):
  amounts only, used to fill table projects by name;
* a narrative paragraph that repeats a table project's goal and states the money it needs
  (``…需申请经费2万元…保证申报慢病患者及时享受门诊报销待遇``): the amount of that project.

Tables are more precise than sentences: prose only fills fields a table project leaves empty, and
adds projects of its own only to a document whose tables state none.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache

from kg.extract.document import Document
from kg.extract.facts import Project, Source
from kg.extract.text import parse_amount

_AMOUNT = r"(?P<amount>\d[\d,]*(?:\.\d+)?)\s*万元"
_ITEM_ORDINAL = r"(?:\d{1,2}\s*[.、．)）]|[（(]\d{1,2}[)）]|[（(][一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}是)"
_NUMBERED_ITEM = re.compile(
    r"^\s*" + _ITEM_ORDINAL + r"\s*(?P<name>[^，。；,;：:\s][^，。；,;：:]{1,59}?)\s*"
    + r"(?:[：:，,]\s*)?(?:项目)?(?:预算资金|预算数|预算|安排资金|安排|资金|金额)?(?:为|是|共计)?\s*" + _AMOUNT
    + r"\s*(?:[。，,；;：:]\s*(?P<rest>.*))?$"
)
_PROJECT_ENDINGS = ("费", "费用", "资金", "补助", "补贴", "项目", "工程", "专项", "奖励", "奖补", "金", "款")
_HEADING = re.compile(r"^\s*(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])")
_NOT_A_PROJECT = ("支出", "合计", "总计", "共计", "总额", "收入", "经费预算", "预算")
_ENUMERATION = re.compile(r"项目支出[^，。；]*?万元[，,]\s*(?:主要(?:为|是|包括|用于)|其中[：:]?|包括[：:]?)(?P<list>[^。]*)")
_ENUMERATED = re.compile(r"^\s*(?P<name>[^，。；,;：:]{2,60}?)\s*" + _AMOUNT + r"\s*$")
_FUNDING = re.compile(r"(?:经费|资金|预算|安排|需要|共计|合计)[^\d，。；]{0,4}" + _AMOUNT)


@dataclass(frozen=True)
class AmountMention:
    """A project named with an amount in a sentence (fill-only)."""

    name: str
    amount: Decimal
    source: Source


@dataclass(frozen=True)
class FundingParagraph:
    """A narrative paragraph stating the money some work needs."""

    text: str
    amount: Decimal
    source: Source


@dataclass(frozen=True)
class ProseProjects:
    items: tuple[Project, ...] = ()
    mentions: tuple[AmountMention, ...] = ()
    funding: tuple[FundingParagraph, ...] = ()


@lru_cache(maxsize=1 << 14)
def name_key(text: str | None) -> str:
    """A name as compared across tables and prose: width-folded, no spaces or punctuation.

    Memoised: merging compares every project name with every other one, character by character.
    """
    folded = unicodedata.normalize("NFKC", text or "")
    return "".join(ch for ch in folded if not (ch.isspace() or unicodedata.category(ch).startswith("P")))


def _is_project_name(name: str) -> bool:
    return len(name_key(name)) >= 2 and not name.endswith(_NOT_A_PROJECT) and not re.search(r"\d{4}年", name)


def _is_listed_project_name(name: str) -> bool:
    """A numbered item names a project when its name ends like one (…经费, …资金, …补助)."""
    return _is_project_name(name) and name.strip().endswith(_PROJECT_ENDINGS)


def prose_projects(doc: Document) -> ProseProjects:
    items: list[Project] = []
    mentions: list[AmountMention] = []
    funding: list[FundingParagraph] = []
    heading = ""
    for paragraph in doc.paragraphs:
        text = paragraph.text
        number = paragraph.line.number
        item = _NUMBERED_ITEM.match(text) if "项目" in heading else None
        if item is None and _HEADING.match(text) and len(text) <= 40:
            heading = text
            continue
        if item and _is_listed_project_name(item.group("name")):
            amount = parse_amount(item.group("amount"))
            rest = (item.group("rest") or "").strip()
            items.append(Project(
                name=item.group("name").strip(), amount=amount, goals=(rest,) if rest else (),
                source=Source.of(number),
            ))
            continue
        for enumeration in _ENUMERATION.finditer(text):
            for part in re.split(r"[；;]", enumeration.group("list")):
                mention = _ENUMERATED.match(part)
                if mention and _is_project_name(mention.group("name")):
                    amount = parse_amount(mention.group("amount"))
                    if amount is not None:
                        mentions.append(AmountMention(mention.group("name").strip(), amount, Source.of(number)))
        need = _FUNDING.search(text)
        if need:
            amount = parse_amount(need.group("amount"))
            if amount is not None:
                funding.append(FundingParagraph(text, amount, Source.of(number)))
    return ProseProjects(tuple(items), tuple(mentions), tuple(funding))


def _match(name: str, projects: list[Project]) -> int | None:
    """The index of the one project named ``name`` (equal, else one name containing the other)."""
    key = name_key(name)
    exact = [i for i, p in enumerate(projects) if name_key(p.name) == key]
    if len(exact) == 1:
        return exact[0]
    if exact or len(key) < 4:
        return None
    contained = [i for i, p in enumerate(projects)
                 if len(name_key(p.name)) >= 4 and (key in name_key(p.name) or name_key(p.name) in key)]
    return contained[0] if len(contained) == 1 else None


def _fill(project: Project, amount: Decimal | None, goals: tuple[str, ...], source: Source) -> Project:
    if project.amount is not None or amount is None:
        return replace(project, goals=project.goals or goals)
    return replace(project, amount=amount, goals=project.goals or goals, source=project.source.merge(source))


def merge_prose_projects(tables: tuple[Project, ...], prose: ProseProjects) -> tuple[Project, ...]:
    """Table projects completed by prose; prose items become projects only when no table has any."""
    projects = list(tables)
    for item in prose.items:
        index = _match(item.name, projects)
        if index is not None:
            projects[index] = _fill(projects[index], item.amount, item.goals, item.source)
        elif not tables:
            projects.append(item)
    for mention in prose.mentions:
        index = _match(mention.name, projects)
        if index is not None:
            projects[index] = _fill(projects[index], mention.amount, (), mention.source)
    return tuple(_fill_from_funding(projects, prose.funding))


def _fill_from_funding(projects: list[Project], funding: tuple[FundingParagraph, ...]) -> list[Project]:
    """Amounts from paragraphs that repeat one project's goal word for word (and no other's)."""
    matches: dict[int, list[FundingParagraph]] = {}
    for paragraph in funding:
        text = name_key(paragraph.text)
        owners = [i for i, p in enumerate(projects) if p.amount is None
                  and any(len(g) >= 10 and g in text for g in map(name_key, p.goals))]
        if len(owners) == 1:
            matches.setdefault(owners[0], []).append(paragraph)
    for index, paragraphs in matches.items():
        if len(paragraphs) == 1:
            projects[index] = _fill(projects[index], paragraphs[0].amount, (), paragraphs[0].source)
    return projects
