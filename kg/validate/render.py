"""Renderers of a :class:`~kg.validate.report.ValidationReport`: text, JSON, Turtle, JUnit XML, HTML.

All are pure functions of the report returning ``str``; :func:`render` picks one by name.
The Turtle form is a standard ``sh:ValidationReport`` (plus ``kgv:`` properties for the document,
rule and source lines) with deterministic result IRIs, so the endpoint can load it as a graph.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from xml.etree import ElementTree as ET

from jinja2 import Environment, StrictUndefined

from kg.validate.report import SEVERITIES, ValidationReport, ValidationResult, at_or_above, summary_line

FORMATS = ("text", "json", "junit", "ttl", "html")
#: File name of each format in ``BUILD/validation/``.
FILE_NAMES = {"json": "report.json", "ttl": "report.ttl", "junit": "report.xml", "html": "report.html"}

KGV = "https://budget-kg.org/ontology/validation#"
DEFAULT_BASE = "https://budget-kg.org/"


def render(report: ValidationReport, fmt: str, fail_on: str = "Violation", base: str = DEFAULT_BASE) -> str:
    if fmt == "text":
        return report.to_text(fail_on)
    if fmt == "json":
        data = report.to_json()
        data["conforms"] = report.conforms(fail_on)
        data["fail_on"] = fail_on
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    if fmt == "ttl":
        return to_turtle(report, fail_on, base)
    if fmt == "junit":
        return to_junit(report, fail_on)
    if fmt == "html":
        return to_html(report, fail_on)
    raise ValueError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")


# --- Turtle -------------------------------------------------------------------------------------

def _lit(text: str, lang: str | None = None) -> str:
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r"))
    return f'"{escaped}"' + (f"@{lang}" if lang else "")


def result_iri(result: ValidationResult, base: str = DEFAULT_BASE) -> str:
    digest = hashlib.sha1("\x1f".join(result.key() + (result.message,)).encode("utf-8")).hexdigest()[:16]
    return f"{base}validation/result/{digest}"


def _node(text: str) -> str:
    return text if text.startswith("_:") else f"<{text}>"


def to_turtle(report: ValidationReport, fail_on: str = "Violation", base: str = DEFAULT_BASE) -> str:
    out = [
        "@prefix sh: <http://www.w3.org/ns/shacl#> .",
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
        f"@prefix kgv: <{KGV}> .",
        "",
        f"<{base}validation/report> a sh:ValidationReport ;",
        f"    sh:conforms {'true' if report.conforms(fail_on) else 'false'} ;",
        f"    kgv:engine {_lit(report.engine)} ;",
        f"    kgv:triples {report.triples} .",
        "",
    ]
    for r in report.results:
        iri = result_iri(r, base)
        props = [
            "a sh:ValidationResult",
            f"sh:resultSeverity sh:{r.severity}",
            f"sh:focusNode {_node(r.focus)}",
            f"sh:sourceShape <{_shape_iri(report, r.rule)}>",
            f"sh:sourceConstraintComponent <{r.component}>",
            f"kgv:rule {_lit(r.rule)}",
        ]
        if r.path:
            props.append(f"sh:resultPath {_node(r.path)}" if not r.path.startswith(("(", "^")) else f"kgv:pathText {_lit(r.path)}")
        if r.value is not None:
            props.append(f"sh:value {_node(r.value) if r.value.startswith(('http://', 'https://', 'urn:')) else _lit(r.value)}")
        if r.message:
            props.append(f"sh:resultMessage {_lit(r.message, 'en')}")
        if r.message_zh:
            props.append(f"sh:resultMessage {_lit(r.message_zh, 'zh')}")
        if r.document:
            props.append(f"kgv:document <{r.document}>")
        props += [f"kgv:sourceLine {n}" for n in r.source_lines]
        out.append(f"<{base}validation/report> sh:result <{iri}> .")
        out.append(f"<{iri}> " + " ;\n    ".join(props) + " .")
        out.append("")
    return "\n".join(out)


def _shape_iri(report: ValidationReport, rule: str) -> str:
    for r in report.rules:
        if r.id == rule and r.shape:
            return r.shape
    return f"https://budget-kg.org/shapes#{rule}"


# --- JUnit --------------------------------------------------------------------------------------

def to_junit(report: ValidationReport, fail_on: str = "Violation") -> str:
    """One ``testcase`` per document × rule; a ``failure`` when a result is at or above ``fail_on``."""
    grouped: dict[tuple[str, str], list[ValidationResult]] = defaultdict(list)
    for r in report.results:
        grouped[(r.document or "", r.rule)].append(r)
    documents = list(report.documents) or sorted({d for d, _ in grouped})
    rules = [r.id for r in report.rules] or sorted({rule for _, rule in grouped})
    root = ET.Element("testsuites", name="budget-kg validation")
    total_failures = 0
    for doc in documents + ([""] if any(d == "" for d, _ in grouped) else []):
        suite = ET.SubElement(root, "testsuite", name=report.label(doc) if doc else "(shared)")
        failures = 0
        for rule in rules:
            case = ET.SubElement(suite, "testcase", classname=report.label(doc) if doc else "shared", name=rule)
            found = grouped.get((doc, rule), [])
            failing = [r for r in found if at_or_above(r.severity, fail_on)]
            if failing:
                failures += 1
                ET.SubElement(case, "failure", message=f"{len(failing)} {failing[0].severity.lower()}(s)",
                              type=failing[0].severity).text = "\n".join(_line(r) for r in failing)
            other = [r for r in found if r not in failing]
            if other:
                ET.SubElement(case, "system-out").text = "\n".join(_line(r) for r in other)
        suite.set("tests", str(len(rules)))
        suite.set("failures", str(failures))
        total_failures += failures
    root.set("failures", str(total_failures))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _line(r: ValidationResult) -> str:
    lines = f" (lines {', '.join(map(str, r.source_lines))})" if r.source_lines else ""
    return f"[{r.severity}] {r.message or r.message_zh} / {r.message_zh}{lines} <{r.focus}>"


# --- HTML ---------------------------------------------------------------------------------------

_HTML = """<!DOCTYPE html>
<html lang="zh">
<head><meta charset="utf-8"><title>Validation report · 校验报告</title>
<style>
body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;margin:2rem;max-width:72rem}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3rem;vertical-align:top;text-align:left}
.Violation{color:#a00}.Warning{color:#a60}.Info{color:#06a}code{font-size:.85em}
</style></head>
<body>
<h1>Validation report · 校验报告</h1>
<p class="summary">{{ summary }}</p>
<table class="counts"><tr>{% for s, n in counts %}<th class="{{ s }}">{{ s }}</th><td>{{ n }}</td>{% endfor %}</tr></table>
<h2>Rules · 规则</h2>
<table class="rules"><tr><th>rule</th><th>severity</th><th>title</th><th>标题</th><th>results</th></tr>
{% for rule in rules %}<tr><td><code>{{ rule.id }}</code></td><td class="{{ rule.severity }}">{{ rule.severity }}</td><td>{{ rule.title_en }}</td><td>{{ rule.title_zh }}</td><td>{{ per_rule.get(rule.id, 0) }}</td></tr>
{% endfor %}</table>
{% for doc, results in documents %}
<section class="document" id="{{ doc.anchor }}">
<h2>{{ doc.name }}</h2>
{% if results %}<table class="results"><tr><th>severity</th><th>rule</th><th>message · 说明</th><th>lines</th><th>focus</th></tr>
{% for r in results %}<tr class="{{ r.severity }}"><td>{{ r.severity }}</td><td><code>{{ r.rule }}</code></td>
<td>{{ r.message }}<br>{{ r.message_zh }}</td><td>{{ r.source_lines|join(", ") }}</td><td><a href="{{ r.focus }}">{{ r.focus }}</a></td></tr>
{% endfor %}</table>{% else %}<p>No findings · 无问题</p>{% endif %}
</section>
{% endfor %}
</body></html>
"""


def to_html(report: ValidationReport, fail_on: str = "Violation") -> str:
    env = Environment(autoescape=True, undefined=StrictUndefined)
    by_doc: dict[str, list[ValidationResult]] = defaultdict(list)
    for r in report.results:
        by_doc[r.document or ""].append(r)
    docs = list(report.documents) + ([""] if "" in by_doc else [])
    per_rule: dict[str, int] = defaultdict(int)
    for r in report.results:
        per_rule[r.rule] += 1
    return env.from_string(_HTML).render(
        summary=summary_line(report, fail_on),
        counts=[(s, report.counts()[s]) for s in SEVERITIES],
        rules=report.rules,
        per_rule=dict(per_rule),
        documents=[({"name": report.label(d) if d else "(shared)", "anchor": report.label(d) if d else "shared"},
                    by_doc.get(d, [])) for d in docs],
    )
