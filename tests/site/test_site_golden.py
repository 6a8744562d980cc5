"""Golden pages of the hand-written graph: the ``<main>`` of each page, normalised with BeautifulSoup
(one tag per line, white space collapsed) and compared as a unified diff.

Regenerate after an intended change with ``UPDATE_GOLDENS=1 .venv/bin/python -m pytest tests/site -k golden``
and review the diff of ``tests/site/golden/``.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from helpers import normalise_html

GOLDEN = Path(__file__).resolve().parent / "golden"
PAGES = {
    "home": "index.html",
    "budget": "budget/130634-ybj/2020.html",
    "project": "budget/130634-ybj/2020/project/1.html",
    "duty": "budget/130634-ybj/2020/duty/1.html",
    "function-code": "code/function/21015.html",
    "validation": "validation.html",
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_golden_page(mini_site: Path, name: str) -> None:
    actual = normalise_html((mini_site / PAGES[name]).read_text(encoding="utf-8"))
    golden = GOLDEN / f"{name}.html"
    if os.environ.get("UPDATE_GOLDENS") == "1":
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    expected = golden.read_text(encoding="utf-8")
    diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                        f"golden/{name}.html", f"rendered {PAGES[name]}"))
    assert not diff, diff
