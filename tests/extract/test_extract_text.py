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


def test_facts_json_keeps_the_printed_digits(tmp_path) -> None:
    """A regression: writing amounts as floats turned 20.10 into 20.1 in facts JSON."""
    from kg.extract.facts import DocumentFacts, FunctionLine, from_json, to_json
    from kg.io import read_json, write_json_atomic

    facts = DocumentFacts("d.txt", function_lines=(FunctionLine("表", "221", "住房保障支出", Decimal("20.10")),))
    write_json_atomic(tmp_path / "d.json", to_json(facts))
    assert '"total": 20.10' in (tmp_path / "d.json").read_text(encoding="utf-8")
    back = from_json(read_json(tmp_path / "d.json"))
    assert str(back.function_lines[0].total) == "20.10"


def test_outputs_are_readable_by_others(tmp_path) -> None:
    """A regression: atomic writes kept mkstemp's 0600, so a web server could not read the dumps."""
    import os

    from kg.io import write_text_atomic

    write_text_atomic(tmp_path / "out.ttl", "x")
    umask = os.umask(0o022)
    os.umask(umask)
    assert (tmp_path / "out.ttl").stat().st_mode & 0o777 == 0o666 & ~umask
