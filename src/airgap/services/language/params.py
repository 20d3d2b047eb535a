"""Query-string and task-parameter values common to the Language wire contracts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from airgap.platform.errors import BadRequest

# v3.1 spells it TextElement_v8, the Language API TextElements_v8: both mean graphemes.
_INDEX_TYPES = {
    "textelement_v8": "TextElements_v8",
    "textelements_v8": "TextElements_v8",
    "unicodecodepoint": "UnicodeCodePoint",
    "utf16codeunit": "Utf16CodeUnit",
}


def query_bool(query: Mapping[str, str], name: str, default: bool = False) -> bool:
    raw = query.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in ("true", "1"):
        return True
    if value in ("false", "0", ""):
        return False
    raise BadRequest(f"Query parameter {name}={raw!r} must be true or false.", inner_code="InvalidParameterValue")


def param_bool(params: Mapping[str, Any], name: str, default: bool = False) -> bool:
    value = params.get(name, default)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise BadRequest(f"Parameter {name} must be true or false, not {value!r}.", inner_code="InvalidParameterValue")


def param_str(params: Mapping[str, Any], name: str) -> str | None:
    value = params.get(name)
    if value is not None and not isinstance(value, str):
        raise BadRequest(f"Parameter {name} must be a string, not {value!r}.", inner_code="InvalidParameterValue")
    return value


def string_index_type(raw: str | None, default: str) -> str:
    if raw is None:
        return default
    value = _INDEX_TYPES.get(raw.strip().lower())
    if value is None:
        raise BadRequest(
            f"stringIndexType '{raw}' is not supported; use TextElements_v8, UnicodeCodePoint or Utf16CodeUnit.",
            inner_code="InvalidParameterValue",
        )
    return value
