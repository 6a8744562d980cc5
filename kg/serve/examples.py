"""Curated example queries: ``queries/*.rq`` with ``# key: value`` comment headers.

Header keys: ``title``, ``title@zh``, ``description``, ``description@zh`` (all required), and
optionally ``expect`` (e.g. ``rows>=1``), read by the tests. Headers are the comment lines at the
top of the file; the query is the whole file, headers included (they are SPARQL comments).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

REQUIRED = ("title", "title@zh", "description", "description@zh")
_HEADER = re.compile(r"#\s*([A-Za-z]+(?:@[A-Za-z-]+)?)\s*:\s*(.*)")


@dataclass(frozen=True)
class Example:
    name: str
    """File stem, used in permalinks (``/query?example=name``)."""
    title: str
    title_zh: str
    description: str
    description_zh: str
    query: str
    headers: dict[str, str]

    def as_dict(self) -> dict[str, str]:
        return {
            "name": self.name,
            "title": self.title,
            "title_zh": self.title_zh,
            "description": self.description,
            "description_zh": self.description_zh,
            "query": self.query,
        }


def parse_example(name: str, text: str) -> Example:
    """An example from its file text; :class:`ValueError` names a missing header."""
    headers: dict[str, str] = {}
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        match = _HEADER.fullmatch(stripped)
        if match:
            key = match.group(1).lower()
            headers[key] = (headers[key] + " " + match.group(2).strip()) if key in headers else match.group(2).strip()
    missing = [k for k in REQUIRED if not headers.get(k)]
    if missing:
        raise ValueError(f"{name}.rq: missing header(s) {', '.join(missing)}")
    return Example(name, headers["title"], headers["title@zh"], headers["description"], headers["description@zh"], text, headers)


def load_examples(directory: Path) -> list[Example]:
    """All ``*.rq`` files of ``directory`` in name order (none if it does not exist)."""
    if not directory.is_dir():
        return []
    return [parse_example(p.stem, p.read_text(encoding="utf-8")) for p in sorted(directory.glob("*.rq"))]
