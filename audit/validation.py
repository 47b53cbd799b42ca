"""Validation at the edges: strict numbers, JSON Schema problems as paths, JSON that refuses NaN.

Every file a user hands Engage (model, evidence, project, ``audit.json``) is checked here or with these
helpers before it is used, so a bad value is one line naming the file and the field, never a traceback.
Every JSON Engage writes goes through ``dumps``: NaN and infinity are not JSON, and a client's report
must never say "nan / 100".
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema.protocols import Validator

Path_ = Sequence[str | int]


def finite(value: Any) -> bool:
    """True for an int or float that is a real, finite number (booleans are not numbers)."""
    return not isinstance(value, bool) and isinstance(value, int | float) and math.isfinite(value)


def _finite_number(_checker: Any, instance: Any) -> bool:
    return finite(instance)


_STRICT_TYPES = jsonschema.Draft202012Validator.TYPE_CHECKER.redefine("number", _finite_number)
StrictValidator = jsonschema.validators.extend(jsonschema.Draft202012Validator, type_checker=_STRICT_TYPES)


def format_path(path: Iterable[str | int]) -> str:
    """``("companies", 0, "name")`` → ``companies[0].name``; the root is ``(top level)``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def short(value: Any, limit: int = 60) -> str:
    """A value as JSON (``null``, ``true``, ``"heavy"``; ``nan`` and ``inf`` as such), cut to ``limit``."""
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except ValueError:  # a NaN deep inside
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _message(error: jsonschema.ValidationError) -> str:
    if error.validator == "type":
        if isinstance(error.instance, float) and not math.isfinite(error.instance):
            return f"{short(error.instance)} is not a finite number"
        expected = error.validator_value
        names = " or ".join(repr(t) for t in expected) if isinstance(expected, list) else repr(expected)
        return f"{short(error.instance)} is not of type {names}"
    if error.validator == "enum":
        return f"{short(error.instance)} is not one of {', '.join(short(v) for v in error.validator_value)}"
    message = error.message.replace("\n", " ")
    return message if len(message) <= 160 else message[:159] + "…"


def _order(error: jsonschema.ValidationError) -> list[tuple[int, int, str]]:
    return [(0, p, "") if isinstance(p, int) else (1, 0, str(p)) for p in error.absolute_path]


def schema_errors(instance: Any, schema: dict[str, Any]) -> list[tuple[tuple[str | int, ...], str]]:
    """Every way ``instance`` fails ``schema`` as (path, message), ordered by path; numbers must be finite."""
    validator: Validator = StrictValidator(schema)
    errors = sorted(validator.iter_errors(instance), key=_order)
    return [(tuple(e.absolute_path), _message(e)) for e in errors]


def schema_problems(instance: Any, schema: dict[str, Any]) -> list[str]:
    """``schema_errors`` as ``path: message`` lines."""
    return [
        f"{format_path(path)}: {message}" if path else message
        for path, message in schema_errors(instance, schema)
    ]


def load_schema(path: Path) -> dict[str, Any]:
    """A JSON Schema shipped with the package."""
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def loads(text: str) -> Any:
    """``json.loads`` that refuses NaN and Infinity (Python's reader accepts them by default)."""
    return json.loads(text, parse_constant=_refuse_constant)


def non_finite_path(data: Any, path: tuple[str | int, ...] = ()) -> tuple[str | int, ...] | None:
    """Where the first NaN or infinity in ``data`` is, or None."""
    if isinstance(data, float) and not math.isfinite(data):
        return path
    items: Iterable[tuple[str | int, Any]] = ()
    if isinstance(data, dict):
        items = ((str(k), v) for k, v in data.items())
    elif isinstance(data, list | tuple):
        items = enumerate(data)
    for key, value in items:
        found = non_finite_path(value, (*path, key))
        if found is not None:
            return found
    return None


class NonFiniteError(ValueError):
    """A NaN or infinity on its way into JSON output."""


def dumps(data: Any, **kwargs: Any) -> str:
    """``json.dumps`` with ``allow_nan=False``; the error names where the bad number is."""
    try:
        return json.dumps(data, allow_nan=False, **kwargs)
    except ValueError:
        where = non_finite_path(data)
        if where is None:
            raise
        raise NonFiniteError(f"refusing to write a non-finite number at {format_path(where)}") from None
