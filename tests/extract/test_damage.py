"""Random damage to a sample never raises anything but :class:`DocumentError` from ``extract_bytes``."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.errors import DocumentError
from kg.extract import extract_bytes
from kg.extract.facts import to_json

SAMPLES = sorted((Path(__file__).resolve().parents[2] / "data" / "samples").glob("*.txt"))
SAMPLE_LINES = {p.name: p.read_bytes().split(b"\n") for p in SAMPLES}

GARBAGE = st.one_of(
    st.binary(min_size=1, max_size=40),
    st.sampled_from([
        "\t", "\t\t", "|", "| a | b |", "单位：元", "（一）", "部门职责：", "合计", "-", "１２.５万元",
        "收入预算总额为", "“三公”经费", "一、", "\t210\t卫生健康支出\t1.00", "<b>", "**", "\r",
    ]).map(lambda s: s.encode("utf-8")),
    st.text(max_size=30).map(lambda s: s.encode("utf-8", "surrogatepass")),
)


@st.composite
def damaged(draw: st.DrawFn) -> tuple[str, bytes]:
    name = draw(st.sampled_from(sorted(SAMPLE_LINES)))
    lines = list(SAMPLE_LINES[name])
    for _ in range(draw(st.integers(1, 6))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "truncate", "flip"]))
        if kind == "delete":
            del lines[i : i + draw(st.integers(1, 30))]
        elif kind == "duplicate":
            lines[i:i] = lines[i : i + draw(st.integers(1, 10))]
        elif kind == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "insert":
            lines.insert(i, draw(GARBAGE))
        elif kind == "truncate":
            lines = lines[:i] + [lines[i][: draw(st.integers(0, max(len(lines[i]) - 1, 0)))]]
        else:
            line = bytearray(lines[i])
            if line:
                k = draw(st.integers(0, len(line) - 1))
                line[k] ^= draw(st.integers(1, 255))
            lines[i] = bytes(line)
    return name, b"\n".join(lines)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(damaged())
def test_damaged_samples_give_facts_or_a_document_error(case: tuple[str, bytes]) -> None:
    name, data = case
    try:
        facts = extract_bytes(data, name)
    except DocumentError as error:
        assert error.document == name and error.detail
        return
    to_json(facts)  # the facts can always be written
    for duty in facts.duties:
        assert duty.text and duty.source.line is not None
    for statement in facts.statements:
        assert statement.source.line is not None
