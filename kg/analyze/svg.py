"""SVG pictures of the analysis, rendered at build time (pure Python, no JavaScript needed).

``tie_graph_svg(bureau)`` draws one bureau's projects (left) and duties (right) with a curve per
link (width = score, colour = duty area); unfunded duties and projects without a duty are drawn
dashed, with the reason in a tooltip (``<title>``). For the cross-bureau comparison page,
``area_profile_svg(summary)`` draws the bureaus × duty areas matrix of spending shares and
``duty_coverage_svg(summary)`` the matrix of duties served by projects. Both take the
JSON summary (``analysis.json``) or its ``bureaus`` entries, so the site needs no other input.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from kg.analyze.taxonomy import load_taxonomy

PALETTE = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#17becf", "#bcbd22", "#8c564b", "#1f77b4", "#d62728", "#7f7f7f", "#c7c7c7",
    "#aec7e8",
)
FONT = "'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei',sans-serif"
ROW = 30
BOX_W = 300
WIDTH = 960


def _areas(areas: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    if areas is not None:
        return areas
    return [{"area": a.slug, "label_zh": a.label_zh, "label_en": a.label_en} for a in load_taxonomy().areas]


def area_colours(areas: list[dict[str, Any]] | None = None) -> dict[str, str]:
    """A fixed colour per area slug (taxonomy order)."""
    return {a["area"]: PALETTE[i % len(PALETTE)] for i, a in enumerate(_areas(areas))}


def _short(text: str, limit: int = 18) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _box(x: int, y: int, label: str, title: str, colour: str, dashed: bool, anchor_id: str) -> str:
    dash = ' stroke-dasharray="5 3"' if dashed else ""
    return (
        f'<g id="{escape(anchor_id)}"><title>{escape(title)}</title>'
        f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{ROW - 6}" rx="4" fill="#fff" stroke="{colour}" '
        f'stroke-width="2"{dash}/>'
        f'<rect x="{x}" y="{y}" width="6" height="{ROW - 6}" fill="{colour}"/>'
        f'<text x="{x + 12}" y="{y + ROW // 2 + 1}" font-size="13">{escape(label)}</text></g>'
    )


def tie_graph_svg(bureau: dict[str, Any], areas: list[dict[str, Any]] | None = None) -> str:
    """The tie graph of one ``bureaus`` entry of ``analysis.json``, as an SVG document string."""
    colours = area_colours(areas)
    labels = {a["area"]: a["label_zh"] for a in _areas(areas)}
    projects = bureau["projects"]
    duties = bureau["duties"]
    without = {p["index"]: p for p in bureau["projects_without_duty"]}
    unfunded = {u["duty"]: u for u in bureau["unfunded_duties"]}
    rows = max(len(projects), len(duties), 1)
    top = 56
    legend_areas = sorted({a for item in [*projects, *duties] for a in item["areas"][:1]},
                          key=lambda a: list(colours).index(a) if a in colours else 99)
    height = top + rows * ROW + 30 + 22 * ((len(legend_areas) + 3) // 4) + 20
    left_x, right_x = 10, WIDTH - BOX_W - 10
    py = {p["index"]: top + i * ROW for i, p in enumerate(projects)}
    dy = {d["duty"]: top + i * ROW for i, d in enumerate(duties)}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
        f'height="{height}" font-family="{FONT}" role="img" aria-labelledby="tg-title">',
        f'<title id="tg-title">{escape((bureau.get("bureau") or bureau["document"]) + " 项目—职责关联图")}</title>',
        f'<text x="{left_x}" y="24" font-size="16" font-weight="bold">{escape(bureau.get("bureau") or bureau["document"])}'
        f'{escape(" " + str(bureau["year"])) if bureau.get("year") else ""}</text>',
        f'<text x="{left_x}" y="46" font-size="13" fill="#555">项目 Projects ({len(projects)})</text>',
        f'<text x="{right_x}" y="46" font-size="13" fill="#555">职责 Duties ({len(duties)})</text>',
    ]
    for link in sorted(bureau.get("links", []), key=lambda lk: (lk["index"], lk["duty"])):
        if link["index"] not in py or link["duty"] not in dy:
            continue
        y1 = py[link["index"]] + (ROW - 6) // 2
        y2 = dy[link["duty"]] + (ROW - 6) // 2
        x1, x2 = left_x + BOX_W, right_x
        mid = (x1 + x2) // 2
        duty_areas = next((d["areas"] for d in duties if d["duty"] == link["duty"]), [])
        area = (link.get("areas") or duty_areas or [""])[0]  # curated links share no computed area
        colour = colours.get(area, "#888")
        width = 1 + 5 * float(link["score"])
        tip = f'{link["project"]} → 职责{link["duty"]} · score {link["score"]} · {"、".join(link.get("evidence", []))}'
        out.append(
            f'<path d="M{x1},{y1} C{mid},{y1} {mid},{y2} {x2},{y2}" fill="none" stroke="{colour}" '
            f'stroke-opacity="0.75" stroke-width="{width:.1f}"><title>{escape(tip)}</title></path>'
        )
    for p in projects:
        miss = without.get(p["index"])
        colour = "#999" if miss else colours.get(p["areas"][0] if p["areas"] else "", "#888")
        area_names = "、".join(labels.get(a, a) for a in p["areas"])
        title = f'{p["project"]}\n领域: {area_names}' + (f'\n无匹配职责 ({miss["reason"]}): {miss["message"]}' if miss else "")
        out.append(_box(left_x, py[p["index"]], _short(p["project"]), title, colour, bool(miss), f'p{p["index"]}'))
    for d in duties:
        gap = unfunded.get(d["duty"])
        colour = colours.get(d["areas"][0] if d["areas"] else "", "#888")
        if gap:
            colour = "#d62728" if gap["substantive"] else "#999"
        area_names = "、".join(labels.get(a, a) for a in d["areas"])
        title = f'{d["duty"]}. {d["text"]}\n领域: {area_names}' + ("\n无项目承担 (unfunded)" if gap else "")
        out.append(_box(right_x, dy[d["duty"]], _short(f'{d["duty"]}. {d["text"]}'), title, colour, bool(gap), f'd{d["duty"]}'))
    y = top + rows * ROW + 24
    out.append(f'<text x="{left_x}" y="{y}" font-size="12" fill="#555">虚线：无匹配职责的项目 / 无项目承担的职责（红色为实质性职责）'
               f' · dashed: project without duty / unfunded duty (red: substantive)</text>')
    for i, area in enumerate(legend_areas):
        lx, ly = left_x + (i % 4) * 235, y + 22 + (i // 4) * 22
        out.append(f'<rect x="{lx}" y="{ly - 11}" width="14" height="14" fill="{colours.get(area, "#888")}"/>'
                   f'<text x="{lx + 20}" y="{ly + 1}" font-size="12">{escape(labels.get(area, area))}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


Cell = tuple[str, str, str]
"""(fill colour, text shown in the cell, tooltip)."""


def _matrix_svg(summary: dict[str, Any], title: str, footer: str,
                cell_of: Callable[[dict[str, Any], dict[str, Any]], Cell], mark: Callable[[dict[str, Any]], str]) -> str:
    """Bureaus (rows) × duty areas (columns), each cell drawn by ``cell_of(bureau, area)``."""
    areas = summary["areas"]
    bureaus = summary["bureaus"]
    cell, label_w, head_h = 46, 230, 150
    width = label_w + cell * len(areas) + 20
    height = head_h + cell * max(len(bureaus), 1) + 40
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'font-family="{FONT}" role="img" aria-labelledby="m-title">',
        f'<title id="m-title">{escape(title)}</title>',
    ]
    for j, area in enumerate(areas):
        x = label_w + j * cell + cell // 2
        out.append(f'<text transform="translate({x},{head_h - 8}) rotate(-55)" font-size="12">'
                   f'<title>{escape(area["label_en"])}</title>{escape(area["label_zh"])}</text>')
    for i, b in enumerate(bureaus):
        y = head_h + i * cell
        name = f'{b.get("bureau") or b["document"]} {b.get("year") or ""}'.strip()
        out.append(f'<text x="8" y="{y + cell // 2 + 4}" font-size="12"><title>{escape(b["document"])}</title>'
                   f'{escape(_short(name, 16))}</text>')
        for j, area in enumerate(areas):
            fill, text, tip = cell_of(b, area)
            x = label_w + j * cell
            out.append(f'<rect x="{x}" y="{y}" width="{cell - 2}" height="{cell - 2}" fill="{fill}">'
                       f'<title>{escape(name)} · {escape(area["label_zh"])}: {escape(tip)}</title></rect>')
            if text:
                out.append(f'<text x="{x + cell // 2 - 1}" y="{y + cell // 2 + 4}" font-size="11" '
                           f'text-anchor="middle" fill="#222">{escape(text)}</text>')
        note = mark(b)
        if note:
            out.append(f'<text x="{label_w + cell * len(areas) + 4}" y="{y + cell // 2 + 4}" font-size="11" '
                       f'fill="#999"><title>{escape(note)}</title>*</text>')
    out.append(f'<text x="8" y="{height - 12}" font-size="11" fill="#555">{escape(footer)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def area_profile_svg(summary: dict[str, Any]) -> str:
    """Bureaus × duty areas: cell shade = share of the bureau's project spending in the area."""

    def cell(bureau: dict[str, Any], area: dict[str, Any]) -> Cell:
        share = next((s["share"] for s in bureau["spending_by_area"] if s["area"] == area["area"]), 0.0)
        shade = int(255 - 160 * share)
        return (f"rgb({shade},{shade},255)" if share else "#f4f4f4",
                f"{share:.0%}" if share >= 0.005 else "", f"{share:.1%}")

    return _matrix_svg(
        summary, "各部门职责领域支出结构 Spending by duty area",
        "格内为项目支出占比；* 有项目未列金额 · cells: share of project spending; * some projects state no amount",
        cell, lambda b: f'{b["projects_without_amount"]} projects without amount' if b["projects_without_amount"] else "")


def duty_coverage_svg(summary: dict[str, Any]) -> str:
    """Bureaus × duty areas: of the bureau's duties in the area, how many a project serves *in that
    area* (a link sharing the area, or a curated link). Green: all, amber: some, red: none, grey: no
    duty in the area or an area that ties no project (机关运转, 综合事务)."""

    def cell(bureau: dict[str, Any], area: dict[str, Any]) -> Cell:
        if not area.get("ties_duties", True):
            return "#f4f4f4", "", "not a project area / 非项目领域"
        duties = [d["duty"] for d in bureau["duties"] if area["area"] in d["areas"]]
        if not duties:
            return "#f4f4f4", "", "no duty / 无职责"
        served = {lk["duty"] for lk in bureau.get("links", [])
                  if area["area"] in lk.get("areas", []) or not lk.get("areas")}
        n = sum(d in served for d in duties)
        fill = "#b7e1b0" if n == len(duties) else "#f6d58e" if n else "#f4a6a6"
        return fill, f"{n}/{len(duties)}", f"{n} of {len(duties)} duties served / {len(duties)} 项职责中 {n} 项有项目"

    return _matrix_svg(
        summary, "各部门职责领域的项目覆盖 Duties served by projects, by area",
        "格内为该领域有项目承担的职责数/职责数；* 未列职责 · cells: duties served in the area / duties in the area;"
        " * no duties listed",
        cell, lambda b: "" if b["duties"] else "no duties listed / 未列部门职责")
