"""Bad input: each case gives the right facts or an error naming the file, the line and what was
expected; one bad document never stops the others; exit status 0/1/2."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from kg.cli import main
from kg.errors import DocumentError
from kg.extract import extract_bytes
from kg.extract.facts import DocumentFacts, to_json
from kg.extract.run import extract_documents

PROSE_SAMPLE = "001_3b6ab00976185b7d.txt"


@pytest.fixture(scope="module")
def prose_bytes(samples_dir: Path) -> bytes:
    return (samples_dir / PROSE_SAMPLE).read_bytes()


@pytest.fixture(scope="module")
def prose_facts(prose_bytes: bytes) -> DocumentFacts:
    return extract_bytes(prose_bytes, PROSE_SAMPLE)


def comparable(facts: DocumentFacts) -> dict:
    """The facts as JSON, without the document name: what must not change with the encoding."""
    data = to_json(facts)
    data.pop("document")
    return data


def test_empty_file_is_an_error_naming_file_and_line() -> None:
    with pytest.raises(DocumentError) as error:
        extract_bytes(b" \r\n\n", "empty.txt")
    assert error.value.document == "empty.txt" and error.value.line == 1
    assert str(error.value).startswith("empty.txt:1: ") and "expected" in str(error.value)


def test_binary_file_is_an_error_naming_the_line_of_the_first_nul_byte() -> None:
    data = "部门预算\n单位：万元\n".encode() + bytes(range(256))
    with pytest.raises(DocumentError) as error:
        extract_bytes(data, "scan.txt")
    assert (error.value.document, error.value.line) == ("scan.txt", 3)
    assert "binary" in error.value.detail and "expected" in error.value.detail


@pytest.mark.parametrize("encoding", ["gb18030", "gbk"])
def test_gb18030_and_gbk_text_gives_the_same_facts(prose_bytes: bytes, prose_facts: DocumentFacts, encoding: str) -> None:
    data = prose_bytes.decode("utf-8").encode(encoding)
    assert comparable(extract_bytes(data, PROSE_SAMPLE)) == comparable(prose_facts)


def test_utf8_bom_gives_the_same_facts_and_line_numbers(prose_bytes: bytes, prose_facts: DocumentFacts) -> None:
    assert comparable(extract_bytes(b"\xef\xbb\xbf" + prose_bytes, PROSE_SAMPLE)) == comparable(prose_facts)


def test_crlf_gives_the_same_facts_and_line_numbers(prose_bytes: bytes, prose_facts: DocumentFacts) -> None:
    data = prose_bytes.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    assert comparable(extract_bytes(data, PROSE_SAMPLE)) == comparable(prose_facts)


def test_full_width_digits_give_the_same_amounts(prose_bytes: bytes, prose_facts: DocumentFacts) -> None:
    wide = str.maketrans("0123456789", "０１２３４５６７８９")
    data = prose_bytes.decode("utf-8").translate(wide).encode("utf-8")
    facts = extract_bytes(data, PROSE_SAMPLE)
    assert facts.totals == prose_facts.totals
    assert facts.three_public == prose_facts.three_public
    assert facts.operating_costs == prose_facts.operating_costs == Decimal("410.01")
    assert [d.text for d in facts.duties] == [d.text for d in prose_facts.duties]


def test_text_without_budget_content_is_an_error_saying_what_was_expected() -> None:
    text = "米易县医疗保障局\n\n关于开展医保宣传月活动的通知\n\n各乡镇：现将有关事项通知如下，请认真贯彻执行。\n"
    with pytest.raises(DocumentError) as error:
        extract_bytes(text.encode(), "notice.txt")
    assert error.value.document == "notice.txt" and error.value.line == 1
    assert "no recognisable budget content" in error.value.detail and "expected" in error.value.detail


def test_truncated_prose_keeps_what_was_stated_and_invents_nothing(prose_bytes: bytes) -> None:
    text = prose_bytes.decode("utf-8")
    cut = text.index("公务接待费0.61万元")
    facts = extract_bytes(text[: cut + len("公务接")].encode(), "cut.txt")
    assert facts.totals.revenue_total == Decimal("481.28")
    assert (facts.three_public.total, facts.three_public.abroad) == (Decimal("0.61"), Decimal("0"))
    assert facts.three_public.reception is None and facts.operating_costs is None


def test_truncated_table_gives_gold_facts_or_a_clear_error(samples_dir: Path, gold: dict) -> None:
    name = "002_df29ae28ecb651dd.txt"
    lines = (samples_dir / name).read_text(encoding="utf-8").split("\n")
    cut = next(i for i, line in enumerate(lines) if "部门支出总体情况表" in line) + 40
    try:
        facts = extract_bytes("\n".join(lines[:cut]).encode(), name)
    except DocumentError as error:
        assert error.document == name and error.line is not None and "expected" in error.detail
        return
    expected = gold[name]
    for group in ("function_lines", "category_lines", "economic_lines"):
        gold_rows = [(r.get("code"), r["name"]) for r in expected[group]]
        for row in getattr(facts, group):
            assert (getattr(row, "code", None), row.name) in gold_rows, f"{group}: invented {row}"
            assert row.source.line is not None and row.source.line <= cut
    for key, value in vars(facts.totals).items():
        if key != "sources" and value is not None:
            assert value == Decimal(str(expected["totals"][key])), key


# --- many documents -------------------------------------------------------------------------------


@pytest.fixture()
def mixed_dir(tmp_path: Path, samples_dir: Path) -> Path:
    docs = tmp_path / "docs"
    (docs / "nested").mkdir(parents=True)
    shutil.copy(samples_dir / PROSE_SAMPLE, docs / "a_good.txt")
    shutil.copy(samples_dir / "004_79c49c8e4410479a.txt", docs / "nested" / "z_good.md")
    (docs / "b_empty.txt").write_bytes(b"")
    (docs / "c_binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (docs / "d_notice.txt").write_text("关于放假的通知\n\n全体职工：国庆节放假七天。\n", encoding="utf-8")
    (docs / "ignored.pdf").write_bytes(b"%PDF-1.4")
    return docs


def test_one_bad_document_never_stops_the_others(mixed_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    lines: list[str] = []
    results = extract_documents([mixed_dir], out, report=lines.append)
    assert [(r.path.name, r.ok) for r in results] == [
        ("a_good.txt", True), ("b_empty.txt", False), ("c_binary.txt", False), ("d_notice.txt", False),
        ("z_good.md", True),
    ]
    assert sorted(p.name for p in out.iterdir()) == ["a_good.json", "z_good.json"]
    assert not list(out.glob(".*")), "temporary files left behind"
    errors = [line for line in lines if line.startswith("error:")]
    assert len(errors) == 3 and all(":1: " in e or ":1:" in e for e in errors)
    assert any("a_good.txt: 米易县医疗保障局 2020" in line for line in lines)


def test_exit_status_0_when_all_documents_are_extracted(samples_dir: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["extract", str(samples_dir / PROSE_SAMPLE), "--out", str(tmp_path)]) == 0
    assert "米易县医疗保障局 2020" in capsys.readouterr().out


def test_exit_status_1_when_some_documents_failed(mixed_dir: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["extract", str(mixed_dir), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "b_empty.txt:1: the file is empty" in err and "c_binary.txt:1: binary content" in err


def test_exit_status_2_on_usage_errors(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["extract", str(tmp_path / "missing.txt"), "--out", str(tmp_path)]) == 2
    assert "no such file" in capsys.readouterr().err
    (tmp_path / "empty_dir").mkdir()
    assert main(["extract", str(tmp_path / "empty_dir"), "--out", str(tmp_path / "out")]) == 2
    with pytest.raises(SystemExit) as exit_:
        main(["extract", "--out", str(tmp_path)])
    assert exit_.value.code == 2


def test_an_unexpected_failure_on_one_document_is_that_documents_error(
    mixed_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    import kg.extract.run as run

    real = run.extract_bytes

    def flaky(data: bytes, name: str) -> DocumentFacts:
        if name == "a_good.txt":
            raise IndexError("boom")
        return real(data, name)

    monkeypatch.setattr(run, "extract_bytes", flaky)
    results = extract_documents([mixed_dir], tmp_path / "out")
    failed = {r.path.name: str(r.error) for r in results if not r.ok}
    assert "internal error (IndexError: boom)" in failed["a_good.txt"]
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["z_good.json"]


def test_documents_with_the_same_name_do_not_overwrite_each_other(samples_dir: Path, tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        shutil.copy(samples_dir / PROSE_SAMPLE, tmp_path / folder / "report.txt")
    results = extract_documents([tmp_path / "a", tmp_path / "b"], tmp_path / "out")
    assert [r.ok for r in results] == [True, False]
    assert "already written" in str(results[1].error)


def test_a_progress_bar_when_there_are_many_documents(samples_dir: Path, tmp_path: Path) -> None:
    import io

    for i in range(21):
        (tmp_path / "docs").mkdir(exist_ok=True)
        shutil.copy(samples_dir / PROSE_SAMPLE, tmp_path / "docs" / f"doc{i:02}.txt")
    bar = io.StringIO()
    results = extract_documents([tmp_path / "docs"], None, progress=bar)
    assert len(results) == 21 and all(r.ok for r in results)
    assert "0/21" in bar.getvalue() and "doc" in bar.getvalue()


def test_utf16_with_its_byte_order_mark_gives_the_same_facts(prose_bytes: bytes, prose_facts: DocumentFacts) -> None:
    data = prose_bytes.decode("utf-8").encode("utf-16")
    assert comparable(extract_bytes(data, PROSE_SAMPLE)) == comparable(prose_facts)
