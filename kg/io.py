"""File I/O at the edges: finding and reading documents, writing outputs atomically."""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from decimal import Decimal
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from pathlib import Path
from typing import IO, Any

DOCUMENT_SUFFIXES = (".txt", ".md")


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity; every CPU where that is unknown): what the
    stages' worker pools are sized by."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # no sched_getaffinity (macOS)
        return os.cpu_count() or 1


def find_documents(paths: Iterable[Path]) -> list[Path]:
    """Files as given, and ``.txt``/``.md`` files under directories (recursively), sorted."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES))
        else:
            found.append(path)
    return found


@cache
def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


@contextmanager
def atomic_writer(path: Path, mode: str = "w") -> Iterator[IO[Any]]:
    """Write to a temporary file beside ``path`` and rename it into place only on success."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; published files must be readable
        with os.fdopen(fd, mode, encoding=None if "b" in mode else "utf-8") as handle:
            yield handle
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text_atomic(path: Path, text: str) -> None:
    with atomic_writer(path) as handle:
        handle.write(text)


def write_bytes_atomic(path: Path, data: bytes) -> None:
    with atomic_writer(path, "wb") as handle:
        handle.write(data)


# JSON with Decimals written as numbers with exactly their printed digits (``20.10`` stays
# ``20.10``; a float would give 20.1). The fast path walks the data once; the reference path (used
# for anything the walk does not expect) sends Decimals through ``json.dumps`` as marked strings and
# unquotes them afterwards. Both give the same text (tests/test_io.py).
_DECIMAL_OPEN, _DECIMAL_CLOSE = "\ue000", "\ue001"
_MARKED_DECIMAL = re.compile(f'"{_DECIMAL_OPEN}([^"{_DECIMAL_CLOSE}]*){_DECIMAL_CLOSE}"')


def _mark_decimals(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{_DECIMAL_OPEN}{format(value, 'f')}{_DECIMAL_CLOSE}"
    if isinstance(value, dict):
        return {k: _mark_decimals(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_mark_decimals(v) for v in value]
    return value


def dumps_json_reference(data: Any, *, indent: int | None = 1) -> str:
    """:func:`dumps_json` through :func:`json.dumps` (slow with an indent: pure-Python encoder)."""
    text = json.dumps(_mark_decimals(data), ensure_ascii=False, indent=indent)
    return _MARKED_DECIMAL.sub(r"\1", text) + "\n"


class _Unexpected(Exception):
    """A value the fast walk leaves to :func:`dumps_json_reference`."""


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (float("inf"), -float("inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


class _Forms:
    """Texts a :func:`dumps_json` call writes again and again, made once per call: at each level the
    item separator, the closing brackets and ``,\\n<indent>"key": `` for every key met (a look-up
    instead of escaping the same keys of every row again)."""

    __slots__ = ("keys", "items", "close_dict", "close_list")

    def __init__(self) -> None:
        self.keys: list[dict[str, str]] = []
        self.items: list[str] = []
        self.close_dict: list[str] = []
        self.close_list: list[str] = []

    def deepen(self) -> None:
        level = len(self.items)
        self.keys.append({})
        self.items.append(",\n" + " " * (level + 1))
        self.close_dict.append("\n" + " " * level + "}")
        self.close_list.append("\n" + " " * level + "]")


#: The text of a dict's or list's scalar items by exact type, one look-up per item (bool is not
#: here: ``type(True) is bool``, which :func:`_walk` writes; subclasses take its general path too).
JSON_SCALAR_TEXT: dict[type, Any] = {
    str: encode_basestring,
    type(None): lambda _: "null",
    int: int.__repr__,
    Decimal: lambda value: format(value, "f"),
    float: lambda value: _float(value),
}


def _walk(value: Any, out: list[str], level: int, forms: _Forms) -> None:
    kind = type(value)  # exact types first (one identity test each); subclasses take the general path
    if kind is dict or kind is list or kind is tuple:
        if not value:
            out.append("{}" if kind is dict else "[]")
            return
        if level == len(forms.items):
            forms.deepen()
        append = out.append
        start = len(out)
        if kind is dict:
            keys = forms.keys[level]
            separator = forms.items[level]
            for key, item in value.items():
                text = keys.get(key)
                if text is None:
                    if type(key) is not str:
                        if not isinstance(key, str):
                            raise _Unexpected
                        text = separator + encode_basestring(key) + ": "
                    else:
                        text = keys[key] = separator + encode_basestring(key) + ": "
                append(text)
                scalar = JSON_SCALAR_TEXT.get(type(item))
                if scalar is None:
                    _walk(item, out, level + 1, forms)
                else:
                    append(scalar(item))
            out[start] = "{" + out[start][1:]
            append(forms.close_dict[level])
        else:
            separator = forms.items[level]
            for item in value:
                append(separator)
                scalar = JSON_SCALAR_TEXT.get(type(item))
                if scalar is None:
                    _walk(item, out, level + 1, forms)
                else:
                    append(scalar(item))
            out[start] = "[" + out[start][1:]
            append(forms.close_list[level])
    elif kind is str:
        out.append(encode_basestring(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif kind is int:
        out.append(int.__repr__(value))
    elif isinstance(value, str):
        out.append(encode_basestring(value))
    elif isinstance(value, Decimal):
        out.append(format(value, "f"))
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        out.append(_float(value))
    elif isinstance(value, dict | list | tuple):
        _walk(dict(value) if isinstance(value, dict) else list(value), out, level, forms)
    else:
        raise _Unexpected


def dumps_json(data: Any, *, indent: int | None = 1) -> str:
    """JSON text (one-space indent by default) with Decimals written with their printed digits."""
    if indent != 1:
        return dumps_json_reference(data, indent=indent)
    out: list[str] = []
    try:
        _walk(data, out, 0, _Forms())
    except _Unexpected:
        return dumps_json_reference(data)
    text = "".join(out)
    if _DECIMAL_OPEN in text or _DECIMAL_CLOSE in text:  # the reference path would unmark such text
        return dumps_json_reference(data)
    return text + "\n"


def write_json_atomic(path: Path, data: Any) -> None:
    write_text_atomic(path, dumps_json(data))


def read_json(path: Path) -> Any:
    """JSON with decimals kept exact (``parse_float=Decimal``). Decoded from bytes: JSON needs no
    newline translation, and ``read_text``'s costs a build's serial start 5–8 ms per 100 files."""
    return json.loads(path.read_bytes().decode("utf-8"), parse_float=Decimal)
