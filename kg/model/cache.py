"""Incremental builds: extracted facts cached by content hash, and a manifest to skip unchanged builds.

``BUILD/.cache/facts/<sha256>.json`` holds the facts of one document, keyed by the document's bytes,
its name and the *code fingerprint* (a hash of the extraction/model/analysis code and the bundled
ontology files), so a changed extractor never serves stale facts. Amounts are stored as strings, so
they come back exactly as printed (``18.00`` stays ``18.00``).

``BUILD/.cache/manifest.json`` records the fingerprint, the base IRI, each input's key and what the
build wrote. A build whose inputs and code are unchanged, and whose outputs are all still there with
the recorded sizes, does nothing. The manifest is removed before a build writes anything and written
last, so an interrupted build is never mistaken for a finished one.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import fields, is_dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from kg.extract.facts import DocumentFacts, Source, from_json
from kg.io import write_text_atomic

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


def _exact(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, Source):
        return value.to_json()
    if isinstance(value, tuple | list):
        return [_exact(v) for v in value]
    if isinstance(value, dict):
        return {k: _exact(v) for k, v in value.items()}
    if is_dataclass(value):
        return {f.name: _exact(getattr(value, f.name)) for f in fields(value)}
    return value


def exact_facts_json(facts: DocumentFacts) -> dict[str, Any]:
    """The facts JSON form ``from_json`` reads, with every Decimal as its exact string."""
    data = _exact(facts)
    data["duty_items"] = data["duties"]
    data["duties"] = [d.text for d in facts.duties]
    return data


class FactsCache:
    """Facts by input key under ``BUILD/.cache/facts`` (the I/O edge of the cache)."""

    def __init__(self, out_dir: Path) -> None:
        self.dir = out_dir / CACHE_DIR / "facts"

    def get(self, key: str) -> DocumentFacts | None:
        path = self.dir / f"{key}.json"
        try:
            return from_json(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, facts: DocumentFacts) -> None:
        write_text_atomic(self.dir / f"{key}.json", json.dumps(exact_facts_json(facts), ensure_ascii=False))

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
