"""Every test module imports under a unique name, so the whole suite (``make test``) can be collected.

pytest's default import mode puts a test file's directory on ``sys.path`` and imports it by its
basename unless the directory is a package; two ``test_command.py`` in ``tests/serve`` and
``tests/validate`` then stop collection of the whole suite ("import file mismatch"), although each
directory passes on its own. Regression: ``make test`` (and ``.ci/run``) failed on a clean clone.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def module_name(path: Path) -> str:
    """The name pytest's ``prepend`` import mode gives a test file (its package path, if any)."""
    parts = [path.stem]
    folder = path.parent
    while (folder / "__init__.py").is_file():
        parts.insert(0, folder.name)
        folder = folder.parent
    return ".".join(parts)


def test_test_modules_have_unique_import_names() -> None:
    files: dict[str, list[str]] = defaultdict(list)
    for path in TESTS.rglob("test_*.py"):
        files[module_name(path)].append(str(path.relative_to(TESTS)))
    clashes = {name: paths for name, paths in files.items() if len(paths) > 1}
    assert not clashes, f"rename one of each (or make its folder a package): {clashes}"
