"""Incremental builds: unchanged → nothing to do; a changed document is extracted again alone and
the result equals a full build; a removed document's graph and files disappear."""

from __future__ import annotations

import shutil
from pathlib import Path

from kg.model.build import build
from kg.model.cache import FactsCache
from kg.model.inputs import load

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
PICK = ("001_3b6ab00976185b7d.txt", "003_ce8a5d0d2740704b.txt")
DUMPS = ("dataset.nq", "dataset.trig", "dataset.jsonld", "void.ttl", "budget_lines.csv", "codes.ttl")


def _corpus(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in PICK:
        shutil.copy(SAMPLES / name, docs / name)
    return docs


def test_unchanged_rebuild_does_nothing_and_changes_are_picked_up(tmp_path):
    docs, out = _corpus(tmp_path), tmp_path / "out"
    messages: list[str] = []
    first = build([docs], out, report=messages.append, incremental=True)
    assert first.ok and len(first.documents) == 2
    before = {name: (out / name).read_bytes() for name in DUMPS}
    second = build([docs], out, report=messages.append, incremental=True)
    assert "nothing to do" in messages[-1]
    assert second.quads == first.quads and second.files == first.files
    assert {name: (out / name).read_bytes() for name in DUMPS} == before

    # one document changes: only it is extracted again; the dumps equal a full, fresh build
    changed = docs / PICK[1]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    third = build([docs], out, report=messages.append, incremental=True)
    assert "1 documents from the cache" in messages[-1]
    fresh = build([docs], tmp_path / "fresh", incremental=False)
    for name in DUMPS:
        assert (out / name).read_bytes() == (tmp_path / "fresh" / name).read_bytes(), name
    assert third.quads == fresh.quads

    # a removed document: its graph and its facts file are gone
    changed.unlink()
    fourth = build([docs], out, incremental=True)
    assert fourth.documents == (PICK[0],)
    assert not (out / "facts" / f"{Path(PICK[1]).stem}.json").exists()
    assert "003_ce8a5d0d2740704b" not in (out / "dataset.nq").read_text(encoding="utf-8")


def test_a_deleted_output_forces_a_rebuild(tmp_path):
    docs, out = _corpus(tmp_path), tmp_path / "out"
    build([docs], out, incremental=True)
    (out / "dataset.trig").unlink()
    messages: list[str] = []
    build([docs], out, report=messages.append, incremental=True)
    assert "nothing to do" not in messages[-1]
    assert (out / "dataset.trig").exists()


def test_cached_facts_come_back_exactly(tmp_path, gold_paths):
    import dataclasses
    from decimal import Decimal

    facts = load(gold_paths[-1]).facts
    project = dataclasses.replace(facts.projects[0], amount=Decimal("18.00"))
    facts = dataclasses.replace(facts, projects=(project, *facts.projects[1:]))
    cache = FactsCache(tmp_path)
    cache.put("k", facts)
    back = cache.get("k")
    assert back == facts
    assert str(back.projects[0].amount) == "18.00"
    assert cache.get("missing") is None
