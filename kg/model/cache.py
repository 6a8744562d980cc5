"""Incremental builds: extracted facts cached by content hash, and a manifest to skip unchanged builds.

``BUILD/.cache/facts/<sha256>.json`` holds the facts of one document, keyed by the document's bytes,
its name and the *code fingerprint* (a hash of the extraction/model/analysis code and the bundled
ontology files), so a changed extractor never serves stale facts. Amounts are written with their
printed digits and read back as Decimals (``18.00`` stays ``18.00``).

``BUILD/.cache/manifest.json`` records the fingerprint, the base IRI, each input's key and what the
build wrote. A build whose inputs and code are unchanged, and whose outputs are all still there with
the recorded sizes, does nothing. The manifest is removed before a build writes anything and written
last, so an interrupted build is never mistaken for a finished one.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from functools import cache
from pathlib import Path
from collections.abc import Iterable
from typing import Any

from kg.extract.facts import DocumentFacts, from_json, to_json
from kg.io import dumps_json, write_text_atomic

ROOT = Path(__file__).resolve().parents[2]
CACHE_DIR = ".cache"
MANIFEST = "manifest.json"
_FINGERPRINTED = ("kg/extract", "kg/model", "kg/analyze", "kg/io.py", "ontology", "data/links.csv")


@cache
def code_fingerprint() -> str:
    """SHA-256 over the code and data that shape facts and graph (sorted paths and contents)."""
    digest = hashlib.sha256()
    for rel in _FINGERPRINTED:
        path = ROOT / rel
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in (".py", ".ttl", ".csv")) \
            if path.is_dir() else ([path] if path.exists() else [])
        for file in files:
            digest.update(str(file.relative_to(ROOT)).encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()


def input_key(data: bytes, name: str, fingerprint: str) -> str:
    """The cache key of one input: its bytes, its file name (facts name the document) and the code."""
    return hashlib.sha256(fingerprint.encode() + b"\0" + name.encode() + b"\0" + data).hexdigest()


class FactsCache:
    """Facts by input key under ``BUILD/.cache/facts`` (the I/O edge of the cache)."""

    def __init__(self, out_dir: Path) -> None:
        self.dir = out_dir / CACHE_DIR / "facts"

    def get(self, key: str) -> DocumentFacts | None:
        path = self.dir / f"{key}.json"
        try:
            return from_json(json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, facts: DocumentFacts) -> None:
        write_text_atomic(self.dir / f"{key}.json", dumps_json(to_json(facts), indent=None))

    def prune(self, keep: set[str]) -> None:
        """Drop cached facts of inputs no longer in the build."""
        if self.dir.is_dir():
            for path in self.dir.glob("*.json"):
                if path.stem not in keep:
                    path.unlink(missing_ok=True)


def read_manifest(out_dir: Path) -> dict[str, Any] | None:
    try:
        return json.loads((out_dir / CACHE_DIR / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def clear_manifest(out_dir: Path) -> None:
    (out_dir / CACHE_DIR / MANIFEST).unlink(missing_ok=True)


def write_manifest(out_dir: Path, manifest: dict[str, Any]) -> None:
    write_text_atomic(out_dir / CACHE_DIR / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")


def outputs_intact(out_dir: Path, sizes: dict[str, int]) -> bool:
    """Every recorded output file still exists with its recorded size."""
    for name, size in sizes.items():
        try:
            if (out_dir / name).stat().st_size != size:
                return False
        except OSError:
            return False
    return True


# --- the previous build's document graphs, for splicing ---------------------------------------------

GRAPH_INDEX = "graphs.json"


def graph_key(input_key: str, base_uri: str, extra: Iterable[object]) -> str:
    """What a document's graph texts depend on: its input (bytes, name, code), the base IRI and the
    quads other documents add to its graph (``bud:previousBudget``)."""
    digest = hashlib.sha256(f"{input_key}\0{base_uri}\0".encode())
    for text in sorted(map(repr, extra)):
        digest.update(text.encode() + b"\0")
    return digest.hexdigest()


def _file_state(path: Path) -> list[int]:
    state = path.stat()
    return [state.st_size, state.st_mtime_ns, state.st_ino]


def take_graph_index(out_dir: Path, dumps: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Where the previous build put each document graph's texts in its dumps (by :func:`graph_key`),
    if the dumps are still the files it wrote (size, modification time, inode); the index is removed,
    so that a build that stops half-way leaves none behind."""
    path = out_dir / CACHE_DIR / GRAPH_INDEX
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        path.unlink()
        recorded = data["dumps"]
        if sorted(recorded) != sorted(dumps) or any(_file_state(out_dir / n) != recorded[n] for n in recorded):
            return {}
        return data["graphs"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def write_graph_index(out_dir: Path, dumps: Iterable[str], graphs: dict[str, dict[str, Any]]) -> None:
    """Record where this build put each document graph's texts (call after the dumps are in place)."""
    state = {name: _file_state(out_dir / name) for name in dumps}
    write_text_atomic(out_dir / CACHE_DIR / GRAPH_INDEX,
                      json.dumps({"dumps": state, "graphs": graphs}, ensure_ascii=False, separators=(",", ":")))


def file_intact(path: Path, state: list[int]) -> bool:
    try:
        return _file_state(path)[:2] == state[:2]
    except OSError:
        return False


def file_state(path: Path) -> list[int]:
    """Size and modification time of a file the build wrote (kept in the graph index)."""
    return _file_state(path)[:2]
