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


def _mapped(monkeypatch) -> list[str]:
    """Documents mapped to quads from now on (not spliced from the previous build's dumps)."""
    from kg.model import dumps

    mapped: list[str] = []
    original = dumps.document_quads

    def counting(facts, iris):
        mapped.append(facts.document)
        return original(facts, iris)

    monkeypatch.setattr(dumps, "document_quads", counting)
    return mapped


def test_unchanged_documents_are_spliced_from_the_previous_dumps(tmp_path, gold_paths, monkeypatch):
    """An incremental build maps only the changed document; the other graphs' texts are copied from
    the previous build's dumps, and every file equals a fresh full build. Dumps changed since (here
    touched) are not trusted."""
    import json
    import os

    facts_dir, out, fresh = tmp_path / "facts", tmp_path / "out", tmp_path / "fresh"
    facts_dir.mkdir()
    for path in gold_paths:
        shutil.copy(path, facts_dir / path.name)
    mapped = _mapped(monkeypatch)
    build([facts_dir], out, incremental=True)
    assert len(mapped) == len(gold_paths)
    assert (out / ".cache" / "graphs.json").exists()

    changed = next(p for p in sorted(facts_dir.glob("*.json")) if json.loads(p.read_text(encoding="utf-8"))["duties"])
    data = json.loads(changed.read_text(encoding="utf-8"))
    data["duties"][0] = "（修订）" + data["duties"][0]
    changed.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    mapped.clear()
    result = build([facts_dir], out, incremental=True)
    assert mapped == [data["document"]]
    full = build([facts_dir], fresh)
    assert result.files == full.files and result.quads == full.quads
    for name in full.files:
        assert (out / name).read_bytes() == (fresh / name).read_bytes(), name
    assert not list(out.glob(".parts.*"))

    changed.write_text(changed.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # same facts, new input key
    nq = out / "dataset.nq"
    os.utime(nq, ns=(nq.stat().st_atime_ns, nq.stat().st_mtime_ns + 1_000_000_000))
    mapped.clear()
    build([facts_dir], out, incremental=True)
    assert sorted(mapped) == sorted(json.loads(p.read_text(encoding="utf-8"))["document"] for p in gold_paths)
    for name in full.files:
        assert (out / name).read_bytes() == (fresh / name).read_bytes(), name


def test_a_non_incremental_build_leaves_no_graph_index(tmp_path, gold_paths):
    out = tmp_path / "out"
    build(gold_paths, out, incremental=True)
    assert (out / ".cache" / "graphs.json").exists()
    build(gold_paths, out)
    assert not (out / ".cache" / "graphs.json").exists()


def test_spliced_and_worker_made_graphs_together(tmp_path, gold_paths, monkeypatch):
    """Changed documents written by forked workers between graphs copied from the previous dumps."""
    import json

    from kg.model import dumps

    monkeypatch.setattr(dumps, "PARALLEL_MIN_DOCUMENTS", 1)
    monkeypatch.setattr(dumps, "TASK_DOCUMENTS", 1)
    facts_dir, out, fresh = tmp_path / "facts", tmp_path / "out", tmp_path / "fresh"
    facts_dir.mkdir()
    for path in gold_paths:
        shutil.copy(path, facts_dir / path.name)
    build([facts_dir], out, incremental=True, workers=2)
    with_duties = [p for p in sorted(facts_dir.glob("*.json")) if json.loads(p.read_text(encoding="utf-8"))["duties"]]
    for path in (with_duties[0], with_duties[-1]):
        data = json.loads(path.read_text(encoding="utf-8"))
        data["duties"][-1] += "。"
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    result = build([facts_dir], out, incremental=True, workers=2)
    full = build([facts_dir], fresh, workers=1)
    assert result.files == full.files
    for name in full.files:
        assert (out / name).read_bytes() == (fresh / name).read_bytes(), name
