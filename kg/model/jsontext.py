"""Facts JSON text (``facts/*.json``) without the pure-Python indenting encoder.

:func:`facts_json` gives exactly the text of ``kg.io.dumps_json(data)`` — ``json.dumps(...,
ensure_ascii=False, indent=1)`` with Decimals written with their printed digits, then a newline — by
one recursive walk that appends pieces to a list (``json.dumps`` with an indent runs the generator-based
pure-Python encoder, and ``dumps_json`` first copies the data to mark its Decimals). Data it does not
expect (non-string keys, other types, the private-use characters ``dumps_json`` marks Decimals with)
is handed to ``dumps_json`` itself, so the text is always the same.
"""

from __future__ import annotations

from decimal import Decimal
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import Any

from kg.io import dumps_json

_MARKS = ("\ue000", "\ue001")


class _Unexpected(Exception):
    pass


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == float("inf"):
        return "Infinity"
    if value == -float("inf"):
        return "-Infinity"
    return float.__repr__(value)


def _walk(value: Any, out: list[str], level: int) -> None:
    if isinstance(value, str):
        out.append(encode_basestring(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, Decimal):
        out.append(format(value, "f"))
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        out.append(_float(value))
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = "\n" + " " * (level + 1)
        first = True
        for key, item in value.items():
            if not isinstance(key, str):
                raise _Unexpected
            out.append(("{" if first else ",") + inner + encode_basestring(key) + ": ")
            first = False
            _walk(item, out, level + 1)
        out.append("\n" + " " * level + "}")
    elif isinstance(value, list | tuple):
        if not value:
            out.append("[]")
            return
        inner = "\n" + " " * (level + 1)
        first = True
        for item in value:
            out.append(("[" if first else ",") + inner)
            first = False
            _walk(item, out, level + 1)
        out.append("\n" + " " * level + "]")
    else:
        raise _Unexpected


def facts_json(data: Any) -> str:
    """``kg.io.dumps_json(data)``, the same text, faster for plain JSON data with Decimals."""
    out: list[str] = []
    try:
        _walk(data, out, 0)
    except _Unexpected:
        return dumps_json(data)
    text = "".join(out)
    if _MARKS[0] in text or _MARKS[1] in text:
        return dumps_json(data)
    return text + "\n"
