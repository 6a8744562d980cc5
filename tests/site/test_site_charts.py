from decimal import Decimal

from bs4 import BeautifulSoup

from kg.site.charts import Bar, bar_chart, format_amount


def test_chart_is_accessible_svg_with_every_value() -> None:
    svg = bar_chart([Bar("210 卫生健康支出", Decimal("2740.82"), "code/function/210.html"),
                     Bar("208 社会保障和就业支出", Decimal("12.5"))], "按类 / by 类", chart_id="c1")
    soup = BeautifulSoup(svg, "html.parser")
    root = soup.find("svg")
    assert root["role"] == "img" and root["aria-labelledby"] == "c1-t c1-d"
    assert soup.find("title", id="c1-t").text == "按类 / by 类"
    desc = soup.find("desc", id="c1-d").text
    assert "2,740.82" in desc and "12.50" in desc
    bars = soup.find_all("rect", class_="chart-bar")
    assert [int(b["width"]) for b in bars][0] > int(bars[1]["width"]) > 0
    assert soup.find("a")["href"] == "code/function/210.html"


def test_bar_lengths_are_proportional_and_never_negative() -> None:
    svg = bar_chart([Bar("a", Decimal("100")), Bar("b", Decimal("50")), Bar("c", Decimal("-3"))], "t", chart_id="x")
    widths = [int(r["width"]) for r in BeautifulSoup(svg, "html.parser").find_all("rect")]
    assert widths[0] == 2 * widths[1] or abs(widths[0] - 2 * widths[1]) <= 1
    assert widths[2] == 0


def test_escaping_and_format() -> None:
    svg = bar_chart([Bar("<b>&", Decimal("1"))], "<script>", chart_id="e")
    assert "<script>" not in svg and "<b>" not in svg
    assert format_amount(Decimal("1234.5")) == "1,234.50"
