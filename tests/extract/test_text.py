from decimal import Decimal

import pytest

from kg.errors import DocumentError
from kg.extract.text import decode_document, parse_amount, split_lines


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("2582.46 ", Decimal("2582.46")),
        ("2,582.46", Decimal("2582.46")),
        ("２５８２.４６", Decimal("2582.46")),
        ("2.50 万元", Decimal("2.50")),
        ("<b>419.03</b>", Decimal("419.03")),
        ("0.00", Decimal("0.00")),
        ("", None),
        ("-", None),
        ("卫生健康支出", None),
    ],
)
def test_parse_amount_keeps_the_printed_decimal(printed: str, expected: Decimal | None) -> None:
    assert parse_amount(printed) == expected


def test_decode_accepts_bom_crlf_and_gb18030() -> None:
    text = "部门收支总表\n单位：万元\n"
    assert decode_document(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode(), "a.txt") == text
    assert decode_document(text.encode("gb18030"), "b.txt") == text


def test_decode_rejects_empty_and_binary_with_the_file_name() -> None:
    with pytest.raises(DocumentError, match="e.txt.*empty"):
        decode_document(b"  \n", "e.txt")
    with pytest.raises(DocumentError, match="bin.txt.*binary"):
        decode_document(bytes(range(256)) * 4, "bin.txt")


def test_line_numbers_survive_decoding() -> None:
    lines = split_lines(decode_document("a\r\nb\r\n\r\nc".encode(), "x.txt"))
    assert [(line.number, line.text) for line in lines] == [(1, "a"), (2, "b"), (3, ""), (4, "c")]


def test_from_json_reads_gold_spending_plans_given_as_a_mapping(gold: dict) -> None:
    from kg.extract.facts import from_json

    facts = from_json(gold["003_ce8a5d0d2740704b.txt"])
    plans = [p.spending_plan for p in facts.projects if p.spending_plan]
    assert plans and all(step.period.endswith("月底") for plan in plans for step in plan)
