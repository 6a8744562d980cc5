"""The facts extraction produces: frozen dataclasses in the form of the gold JSON schema.

Amounts are ``Decimal`` exactly as printed, in the document's unit; ``None`` means the document
does not state the value (never ``0``). Every fact carries a :class:`Source`: the 1-based line
numbers of the document text it was read from.

``to_json`` gives the JSON form of ``tests/data/gold/SCHEMA.md`` plus extra fields (``source``,
``kind``, parsed targets …); ``from_json`` reads it back (also accepting gold files, which have
no provenance).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields, is_dataclass
from decimal import Decimal
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from operator import attrgetter
from typing import Any

from kg.io import JSON_SCALAR_TEXT, dumps_json


@dataclass(frozen=True)
class Source:
    """Where a fact was read: 1-based line numbers in the document text."""

    lines: tuple[int, ...] = ()

    @property
    def line(self) -> int | None:
        return self.lines[0] if self.lines else None

    def merge(self, other: Source) -> Source:
        return Source(tuple(sorted(set(self.lines) | set(other.lines))))

    def to_json(self) -> dict[str, Any]:
        return {"line": self.line, "lines": list(self.lines)}

    @classmethod
    def from_json(cls, data: Any) -> Source:
        if not data:
            return cls()
        if isinstance(data, int):
            return cls((data,))
        lines = data.get("lines") or ([data["line"]] if data.get("line") is not None else [])
        return cls(tuple(map(int, lines)))

    @classmethod
    def of(cls, *lines: int) -> Source:
        return cls(tuple(sorted(set(lines))))


NO_SOURCE = Source()


@dataclass(frozen=True)
class Subunit:
    """A unit inside the department (机构设置 / 单位编码 rows)."""

    name: str
    code: str | None = None
    nature: str | None = None
    grade: str | None = None
    funding: str | None = None
    source: Source = NO_SOURCE


@dataclass(frozen=True)
class Duty:
    """One item of 部门职责, full text as printed."""

    text: str
    ordinal: int
    source: Source = NO_SOURCE


@dataclass(frozen=True)
class Goal:
    """A document-level performance goal (分项绩效目标): its area, duty, goal and indicator text."""

    name: str
    duty: str | None = None
    goal: str | None = None
    indicators_text: str | None = None
    source: Source = NO_SOURCE


@dataclass(frozen=True)
class Totals:
    """Headline totals of the budget, with the source of each stated value."""

    revenue_total: Decimal | None = None
    expenditure_total: Decimal | None = None
    basic: Decimal | None = None
    project: Decimal | None = None
    personnel: Decimal | None = None
    public_operating: Decimal | None = None
    carryover: Decimal | None = None
    sources: dict[str, Source] = field(default_factory=dict)


@dataclass(frozen=True)
class ThreePublic:
    """三公经费: 因公出国（境）, 公务接待, 公务用车购置及运行 (with its two parts)."""

    total: Decimal | None = None
    abroad: Decimal | None = None
    reception: Decimal | None = None
    car_total: Decimal | None = None
    car_purchase: Decimal | None = None
    car_operation: Decimal | None = None
    sources: dict[str, Source] = field(default_factory=dict)


@dataclass(frozen=True)
class FunctionLine:
    """A table row keyed by a 功能分类科目编码 (210 > 21015 > 2101501)."""

    table: str
    code: str
    name: str
    total: Decimal | None = None
    basic: Decimal | None = None
    project: Decimal | None = None
    source: Source = NO_SOURCE
    unit: str | None = None
    """The unit printed over the row's table (``万元``/``元``) when it states one; amounts are as printed."""


@dataclass(frozen=True)
class EconomicLine:
    """A table row keyed by a 经济分类科目编码 (301 > 30101)."""

    table: str
    code: str
    name: str
    total: Decimal | None = None
    personnel: Decimal | None = None
    public: Decimal | None = None
    source: Source = NO_SOURCE
    unit: str | None = None
    """The unit printed over the row's table (``万元``/``元``) when it states one; amounts are as printed."""


@dataclass(frozen=True)
class CategoryLine:
    """A 收支总表 row named by category only (一、一般公共服务支出 …)."""

    table: str
    name: str
    amount: Decimal | None = None
    side: str = "expenditure"
    """``revenue`` or ``expenditure``: which half of a two-sided 收支总表 the row is on."""
    source: Source = NO_SOURCE
    unit: str | None = None
    """The unit printed over the row's table (``万元``/``元``) when it states one; amounts are as printed."""


@dataclass(frozen=True)
class TableTotal:
    """A code table's printed 合计 row: kept beside its rows so that rules can compare the two."""

    table: str
    kind: str
    """``function`` or ``economic``: the kind of the table's code rows."""
    total: Decimal | None = None
    basic: Decimal | None = None
    project: Decimal | None = None
    personnel: Decimal | None = None
    public: Decimal | None = None
    source: Source = NO_SOURCE
    unit: str | None = None


@dataclass(frozen=True)
class Target:
    """A parsed indicator target: ``≥95%`` → (``>=``, 95, ``%``)."""

    comparator: str | None = None
    value: Decimal | None = None
    unit: str | None = None


@dataclass(frozen=True)
class Indicator:
    """A row of a performance indicator table (一级/二级/三级指标, 指标值)."""

    level1: str | None
    level2: str | None
    level3: str | None
    target: str | None = None
    description: str | None = None
    basis: str | None = None
    parsed_target: Target | None = None
    source: Source = NO_SOURCE


@dataclass(frozen=True)
class PlanStep:
    """One step of a project's 资金支出计划: cumulative share spent by a date."""

    period: str
    share: Decimal | None
    source: Source = NO_SOURCE


@dataclass(frozen=True)
class Project:
    """A budget project (专项资金 / 预算项目) with its goals and indicators."""

    name: str
    code: str | None = None
    amount: Decimal | None = None
    function_codes: tuple[str, ...] = ()
    unit: str | None = None
    kind: str | None = None
    goals: tuple[str, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    spending_plan: tuple[PlanStep, ...] = ()
    start_year: str | None = None
    source: Source = NO_SOURCE
    end_year: str | None = None
    """项目终止时间 as printed (gold ``end_year``); last, so positional construction is unchanged."""


@dataclass(frozen=True)
class ExtractionIssue:
    """Something extraction noticed but could not turn into facts (errors as data)."""

    code: str
    """A stable slug, e.g. ``truncated-table``."""
    message: str
    line: int | None = None
    severity: str = "warning"


@dataclass(frozen=True)
class DocumentFacts:
    """Everything extracted from one document."""

    document: str
    bureau: str | None = None
    region: str | None = None
    year: int | None = None
    unit: str | None = None
    subunits: tuple[Subunit, ...] = ()
    duties: tuple[Duty, ...] = ()
    goals: tuple[Goal, ...] = ()
    totals: Totals = field(default_factory=Totals)
    function_lines: tuple[FunctionLine, ...] = ()
    category_lines: tuple[CategoryLine, ...] = ()
    economic_lines: tuple[EconomicLine, ...] = ()
    three_public: ThreePublic = field(default_factory=ThreePublic)
    operating_costs: Decimal | None = None
    projects: tuple[Project, ...] = ()
    statements: tuple[Statement, ...] = ()
    issues: tuple[ExtractionIssue, ...] = ()
    sources: dict[str, Source] = field(default_factory=dict)
    """Provenance of the scalar facts (``bureau``, ``year``, ``operating_costs`` …)."""
    table_totals: tuple[TableTotal, ...] = ()
    """The printed 合计 rows of code tables (not in the gold schema: an extra field)."""


@dataclass(frozen=True)
class Statement:
    """A figure stated in prose (收入合计, 增长率, a per-project amount …) kept for cross-checks.

    ``key`` is a stable slug (``revenue_total``, ``three_public.total``, ``growth_rate`` …),
    ``subject`` what it is about (a project name, a code) where that applies.
    """

    key: str
    value: Decimal
    text: str
    subject: str | None = None
    unit: str | None = None
    source: Source = NO_SOURCE


# --- JSON -------------------------------------------------------------------------------------

_SCHEMA_LISTS = {"duties"}


def _jsonify(value: Any) -> Any:
    """Plain JSON data, Decimals kept (``kg.io.dumps_json`` writes them with their printed digits).

    Dispatches on the exact class (one dictionary look-up instead of isinstance chains and
    ``dataclasses.fields`` per object: a document has ~1,200 objects to convert); any class not
    listed takes :func:`_jsonify_any`, the general rules.
    """
    cls = value.__class__
    if cls in _PLAIN:
        return value
    if cls is Source:
        lines = value.lines
        return {"line": lines[0] if lines else None, "lines": list(lines)}
    if cls is tuple or cls is list:
        return [v if v.__class__ in _PLAIN else _jsonify(v) for v in value]
    if cls is dict:
        return {k: v if v.__class__ in _PLAIN else _jsonify(v) for k, v in value.items()}
    spec = _DATACLASSES.get(cls)
    if spec is None:
        return _jsonify_any(value)
    names, values = spec
    return {k: v if v.__class__ in _PLAIN else _jsonify(v) for k, v in zip(names, values(value))}


def _jsonify_any(value: Any) -> Any:
    """The general rules behind :func:`_jsonify`; a dataclass met here is registered for the fast path."""
    if isinstance(value, Source):
        return value.to_json()
    if isinstance(value, tuple | list):
        return [_jsonify(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonify(v) for k, v in value.items()}
    if is_dataclass(value):
        names = tuple(f.name for f in fields(value))
        if not isinstance(value, type) and len(names) > 1:  # attrgetter of one name: no tuple
            _DATACLASSES[value.__class__] = (names, attrgetter(*names))
        return {name: _jsonify(getattr(value, name)) for name in names}
    return value


_PLAIN = frozenset({str, int, float, bool, Decimal, type(None)})
"""Classes returned as they are (exact classes: a subclass takes the general rules)."""
_DATACLASSES: dict[type, tuple[tuple[str, ...], Callable[[Any], tuple[Any, ...]]]] = {}


def to_json(facts: DocumentFacts) -> dict[str, Any]:
    """The gold-schema JSON form; ``duties`` is a list of strings, details in ``duty_items``."""
    data = _jsonify(facts)
    data["duty_items"] = data["duties"]
    data["duties"] = [d.text for d in facts.duties]
    data["operating_costs_source"] = data["sources"].get("operating_costs")
    data["inconsistencies"] = []
    return data


def _dec(value: Any) -> Decimal | None:
    if value.__class__ is Decimal:  # facts JSON is read with parse_float=Decimal: no text round trip
        return value
    if value is None or value == "":
        return None
    return Decimal(str(value))


#: Sources of one line by line number, shared (a source is immutable): most facts have one, and the
#: same line numbers recur from document to document. Lines past the cap are not kept.
_ONE_LINE: dict[int, Source] = {}
_ONE_LINE_CAP = 1 << 16


def _src(data: dict[str, Any]) -> Source:
    return _source(data.get("source"))


def _source(source: Any) -> Source:
    """:meth:`Source.from_json`, one-line sources shared."""
    if source.__class__ is dict:  # {"line": n, "lines": [n]}: one look-up (reading 100 files: ≈ 40 % of from_json)
        lines = source.get("lines")  # type: ignore[union-attr]
        if lines.__class__ is list and len(lines) == 1 and lines[0].__class__ is int:
            found = _ONE_LINE.get(lines[0])
            if found is None:
                found = Source((lines[0],))
                if 0 <= lines[0] < _ONE_LINE_CAP:
                    _ONE_LINE[lines[0]] = found
            return found
    return Source.from_json(source)


def _sources(data: dict[str, Any] | None) -> dict[str, Source]:
    return {k: _source(v) for k, v in (data or {}).items()}


def _target(data: dict[str, Any] | None) -> Target | None:
    if not data:
        return None
    return Target(data.get("comparator"), _dec(data.get("value")), data.get("unit"))


def _year_text(value: Any) -> str | None:
    """A year as printed; gold files may give it as a number (``2022``)."""
    return None if value is None or value == "" else str(value)


def _plan(data: Any) -> tuple[PlanStep, ...]:
    """Our list of steps, or the gold files' ``{"10月底": 80.0}`` mapping."""
    if isinstance(data, dict):
        return tuple(PlanStep(period, _dec(share)) for period, share in data.items())
    return tuple(PlanStep(s["period"], _dec(s.get("share")), _src(s)) for s in data or [])


def from_json(data: dict[str, Any]) -> DocumentFacts:
    """Read facts JSON (ours, or a gold file without provenance) back into dataclasses."""
    duty_items = data.get("duty_items")
    if duty_items:
        duties = tuple(Duty(d["text"], d["ordinal"], _src(d)) for d in duty_items)
    else:
        duties = tuple(Duty(t, i) for i, t in enumerate(data.get("duties") or [], 1))
    t = data.get("totals") or {}
    tp = data.get("three_public") or {}
    return DocumentFacts(
        document=data["document"],
        bureau=data.get("bureau"),
        region=data.get("region"),
        year=data.get("year"),
        unit=data.get("unit"),
        subunits=tuple(
            Subunit(s["name"], s.get("code"), s.get("nature"), s.get("grade"), s.get("funding"), _src(s))
            for s in data.get("subunits") or []
        ),
        duties=duties,
        goals=tuple(
            Goal(g["name"], g.get("duty"), g.get("goal"), g.get("indicators_text"), _src(g))
            if isinstance(g, dict) else Goal(str(g))
            for g in data.get("goals") or []
        ),
        totals=Totals(**{k: _dec(t.get(k)) for k in (
            "revenue_total", "expenditure_total", "basic", "project", "personnel",
            "public_operating", "carryover")}, sources=_sources(t.get("sources"))),
        function_lines=tuple(
            FunctionLine(x["table"], str(x["code"]), x.get("name") or "", _dec(x.get("total")),
                         _dec(x.get("basic")), _dec(x.get("project")), _src(x), x.get("unit"))
            for x in data.get("function_lines") or []
        ),
        category_lines=tuple(
            CategoryLine(x["table"], x["name"], _dec(x.get("amount")), x.get("side", "expenditure"), _src(x),
                         x.get("unit"))
            for x in data.get("category_lines") or []
        ),
        economic_lines=tuple(
            EconomicLine(x["table"], str(x["code"]) if x.get("code") is not None else "", x.get("name") or "",
                         _dec(x.get("total")), _dec(x.get("personnel")), _dec(x.get("public")), _src(x),
                         x.get("unit"))
            for x in data.get("economic_lines") or []
        ),
        three_public=ThreePublic(**{k: _dec(tp.get(k)) for k in (
            "total", "abroad", "reception", "car_total", "car_purchase", "car_operation")},
            sources=_sources(tp.get("sources"))),
        operating_costs=_dec(data.get("operating_costs")),
        projects=tuple(
            Project(
                name=p["name"], code=p.get("code"), amount=_dec(p.get("amount")),
                function_codes=tuple(str(c) for c in p.get("function_codes") or []),
                unit=p.get("unit"), kind=p.get("kind"), goals=tuple(p.get("goals") or []),
                indicators=tuple(
                    Indicator(i.get("level1"), i.get("level2"), i.get("level3"), i.get("target"),
                              i.get("description"), i.get("basis"), _target(i.get("parsed_target")), _src(i))
                    for i in p.get("indicators") or []
                ),
                spending_plan=_plan(p.get("spending_plan")),
                start_year=_year_text(p.get("start_year")),
                source=_src(p),
                end_year=_year_text(p.get("end_year")),
            )
            for p in data.get("projects") or []
        ),
        statements=tuple(
            Statement(s["key"], Decimal(str(s["value"])), s.get("text", ""), s.get("subject"),
                      s.get("unit"), _src(s))
            for s in data.get("statements") or []
        ),
        issues=tuple(
            ExtractionIssue(i["code"], i["message"], i.get("line"), i.get("severity", "warning"))
            for i in data.get("issues") or []
        ),
        sources=_sources(data.get("sources")),
        table_totals=tuple(
            TableTotal(x["table"], x["kind"], *(_dec(x.get(k)) for k in (
                "total", "basic", "project", "personnel", "public")), _src(x), x.get("unit"))
            for x in data.get("table_totals") or []
        ),
    )


# --- JSON text ---------------------------------------------------------------------------------


class _Unlisted(Exception):
    """A value :func:`to_json_text` leaves to ``dumps_json(to_json(...))``."""


#: ``"{\n" + indent`` / ``",\n" + indent`` and the closing brackets, by level (grown on demand).
_OPEN_DICT: list[str] = []
_OPEN_LIST: list[str] = []
_ITEM: list[str] = []
_CLOSE_DICT: list[str] = []
_CLOSE_LIST: list[str] = []
#: (dataclass, level) → the texts before each field's value: ``{`` or ``,``, newline, indent, name.
_FIELD_TEXTS: dict[tuple[type, int], tuple[str, ...]] = {}


def _deepen(level: int) -> None:
    while len(_ITEM) <= level:
        depth = len(_ITEM)
        inner = "\n" + " " * (depth + 1)
        _OPEN_DICT.append("{" + inner)
        _OPEN_LIST.append("[" + inner)
        _ITEM.append("," + inner)
        _CLOSE_DICT.append("\n" + " " * depth + "}")
        _CLOSE_LIST.append("\n" + " " * depth + "]")


def _field_texts(cls: type, names: tuple[str, ...], level: int) -> tuple[str, ...]:
    _deepen(level)
    texts = _FIELD_TEXTS[(cls, level)] = tuple(
        (_ITEM[level] if i else _OPEN_DICT[level]) + encode_basestring(name) + ": " for i, name in enumerate(names))
    return texts


def _put(value: Any, out: list[str], level: int) -> None:
    """Append the ``dumps_json`` text of ``_jsonify(value)`` (``value`` not a str, int, Decimal or None:
    the callers write those themselves)."""
    cls = value.__class__
    if cls is Source:
        lines = value.lines
        if not lines:
            out.append(_field_texts_of_source(level)[0] + "null" + _field_texts_of_source(level)[1] + "[]"
                       + _CLOSE_DICT[level])
            return
        for line in lines:
            if line.__class__ is not int:
                raise _Unlisted
        first, second = _field_texts_of_source(level)
        out.append(first + int.__repr__(lines[0]) + second + _OPEN_LIST[level + 1]
                   + _ITEM[level + 1].join(map(int.__repr__, lines)) + _CLOSE_LIST[level + 1] + _CLOSE_DICT[level])
        return
    if cls is tuple or cls is list:
        if not value:
            out.append("[]")
            return
        _deepen(level)
        append = out.append
        separator = _OPEN_LIST[level]
        for item in value:
            append(separator)
            separator = _ITEM[level]
            kind = item.__class__
            scalar = _SCALAR_TEXT.get(kind)
            if scalar is not None:
                append(scalar(item))
            else:
                _put_nested(item, kind, out, level + 1)
        append(_CLOSE_LIST[level])
        return
    if cls is dict:
        if not value:
            out.append("{}")
            return
        _deepen(level)
        texts = [(_ITEM[level] if i else _OPEN_DICT[level]) + encode_basestring(key) + ": "
                 for i, key in enumerate(value) if key.__class__ is str]
        if len(texts) != len(value):
            raise _Unlisted
        _items(texts, value.values(), out, level)
        return
    spec = _DATACLASSES.get(cls)
    if spec is None:
        if value is True or value is False:
            out.append("true" if value else "false")
            return
        raise _Unlisted  # floats, subclasses, dataclasses not yet met: the general rules
    names, values = spec
    texts = _FIELD_TEXTS.get((cls, level)) or _field_texts(cls, names, level)
    _items(texts, values(value), out, level)


#: :data:`kg.io.JSON_SCALAR_TEXT` but floats: they take the general rules (``dumps_json``'s text).
_SCALAR_TEXT = {kind: text for kind, text in JSON_SCALAR_TEXT.items() if kind is not float}


def _items(texts: Iterable[str], values: Iterable[Any], out: list[str], level: int) -> None:
    """An object's members (``texts``: what goes before each value) and its closing bracket; the
    commonest values (scalars, one-line sources, dataclasses) without a call to :func:`_put`."""
    append = out.append
    one_line: tuple[str, str, str] | None = None
    for text, item in zip(texts, values):
        append(text)
        kind = item.__class__
        scalar = _SCALAR_TEXT.get(kind)
        if scalar is not None:
            append(scalar(item))
        elif kind is Source and len(item.lines) == 1 and item.lines[0].__class__ is int:
            if one_line is None:
                one_line = _one_line_source(level + 1)
            line = int.__repr__(item.lines[0])
            append(one_line[0] + line + one_line[1] + line + one_line[2])
        else:
            _put_nested(item, kind, out, level + 1)
    append(_CLOSE_DICT[level])


def _put_nested(item: Any, kind: type, out: list[str], level: int) -> None:
    """A member that is not a scalar: a known dataclass through :func:`_items`, the rest by :func:`_put`."""
    spec = _DATACLASSES.get(kind)
    if spec is None:
        _put(item, out, level)
    else:
        _items(_FIELD_TEXTS.get((kind, level)) or _field_texts(kind, spec[0], level), spec[1](item), out, level)


def _one_line_source(level: int) -> tuple[str, str, str]:
    """The text of a :class:`Source` of one line at ``level`` around the line number (twice)."""
    first, second = _field_texts_of_source(level)
    return first, second + _OPEN_LIST[level + 1], _CLOSE_LIST[level + 1] + _CLOSE_DICT[level]


def _field_texts_of_source(level: int) -> tuple[str, ...]:
    texts = _FIELD_TEXTS.get((Source, level))
    if texts is None:
        texts = _field_texts(Source, ("line", "lines"), level)
        _deepen(level + 1)
    return texts


def _register_dataclasses() -> None:
    """This module's dataclasses on :func:`_jsonify`'s fast path from the start (as the first one of
    each class it meets would put them), so that :func:`to_json_text` takes its own path at once."""
    for cls in list(globals().values()):
        if isinstance(cls, type) and is_dataclass(cls) and cls is not Source and cls not in _DATACLASSES:
            names = tuple(f.name for f in fields(cls))
            if len(names) > 1:
                _DATACLASSES[cls] = (names, attrgetter(*names))


_register_dataclasses()


def to_json_text(facts: DocumentFacts) -> str:
    """``kg.io.dumps_json(to_json(facts))``, the facts JSON files' text, written straight from the
    dataclasses: no dicts and lists made first, each field name's text made once per class and level
    (a build writes every document's facts file). Anything :func:`_jsonify` would not take on its
    fast path (subclasses, floats, a dataclass not met yet …) goes the long way round."""
    if facts.__class__ is DocumentFacts and DocumentFacts in _DATACLASSES:
        names, values = _DATACLASSES[DocumentFacts]
        top: dict[str, Any] = dict(zip(names, values(facts)))  # to_json's keys, in its order
        top["duty_items"] = facts.duties
        top["duties"] = [d.text for d in facts.duties]
        sources = facts.sources
        if sources.__class__ is dict:
            top["operating_costs_source"] = sources.get("operating_costs")
            top["inconsistencies"] = []
            out: list[str] = []
            try:
                _put(top, out, 0)
            except _Unlisted:
                pass
            else:
                text = "".join(out) + "\n"
                if "\ue000" not in text and "\ue001" not in text:  # dumps_json's Decimal markers
                    return text
    return dumps_json(to_json(facts))
