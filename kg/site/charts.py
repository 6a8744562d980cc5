"""SVG bar charts rendered at build time (no JavaScript needed to read them).

Each chart is an accessible ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` listing every
bar's value, so screen readers and text browsers get the numbers too. Bars may link to pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from markupsafe import Markup, escape


@dataclass(frozen=True)
class Bar:
    label: str
    """Text beside the bar (e.g. ``210 卫生健康支出``)."""
    value: Decimal
    href: str = ""


def format_amount(value: Decimal) -> str:
    """``1234.5`` → ``1,234.50`` (two decimals, thousands separated)."""
    return f"{value.quantize(Decimal('0.01')):,}"


def bar_chart(bars: list[Bar] | tuple[Bar, ...], title: str, chart_id: str, unit: str = "万元",
              width: int = 720) -> Markup:
    """A horizontal bar chart; negative values are drawn as zero-length bars with their value.

    ``chart_id`` must be unique within the page (it names the ``<title>``/``<desc>`` elements).
    """
    cid = chart_id
    row_h, gap, top = 26, 6, 8
    label_w = min(300, max(80, 14 * max((_text_width(b.label) for b in bars), default=4) // 2 + 16))
    value_w = 110
    plot_w = width - label_w - value_w
    height = top * 2 + len(bars) * (row_h + gap)
    peak = max((b.value for b in bars), default=Decimal(0))
    desc = "；".join(f"{b.label}：{format_amount(b.value)} {unit}" for b in bars)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" aria-labelledby="{cid}-t {cid}-d" preserveAspectRatio="xMinYMin meet">',
        f'<title id="{cid}-t">{escape(title)}</title>',
        f'<desc id="{cid}-d">{escape(desc)}</desc>',
    ]
    for i, bar in enumerate(bars):
        y = top + i * (row_h + gap)
        length = 0 if peak <= 0 or bar.value <= 0 else max(1, int(plot_w * bar.value / peak))
        label = _shorten(bar.label, label_w)
        bits = [
            f'<text class="chart-label" x="{label_w - 8}" y="{y + row_h * 0.68:.1f}" text-anchor="end">'
            f'{escape(label)}</text>',
            f'<rect class="chart-bar" x="{label_w}" y="{y}" width="{length}" height="{row_h}" rx="2">'
            f'<title>{escape(bar.label)}：{format_amount(bar.value)} {escape(unit)}</title></rect>',
            f'<text class="chart-value" x="{label_w + length + 6}" y="{y + row_h * 0.68:.1f}">'
            f'{format_amount(bar.value)}</text>',
        ]
        if bar.href:
            parts.append(f'<a href="{escape(bar.href)}">' + "".join(bits) + "</a>")
        else:
            parts.extend(bits)
    parts.append("</svg>")
    return Markup("".join(parts))


def _text_width(text: str) -> int:
    """Rough width in half-em units: CJK characters count two."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _shorten(text: str, pixels: int) -> str:
    budget = (pixels - 16) // 7
    if _text_width(text) <= budget:
        return text
    out, used = [], 0
    for ch in text:
        w = 2 if ord(ch) > 0x2E80 else 1
        if used + w > budget - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"
