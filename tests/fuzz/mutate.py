"""Hypothesis strategies that damage valid requests: JSON bodies, file bytes, query strings."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import quote

from hypothesis import strategies as st

# Values a client could put anywhere in a JSON body.
json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=40),
    st.sampled_from(["", " ", "\x00", "\ud7ff\ue000", "😀" * 3, "x" * 6000, "-1", "1e309", "null", "en", "zz-ZZ"]),
)
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=8)


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


def _apply(value: Any, path: tuple, op: str, new: Any) -> Any:
    if not path:
        if op == "replace":
            return new
        if op == "wrap":
            return [value]
        if op == "repeat" and isinstance(value, list):
            return value * 30
        if op == "add" and isinstance(value, dict):
            return {**value, "extra" if not isinstance(new, str) else new[:12]: new}
        return new if op == "replace" else value
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        copy = dict(value)
        if not rest and op == "delete":
            copy.pop(head, None)
        else:
            copy[head] = _apply(copy[head], rest, op, new)
        return copy
    copy = list(value)
    if not rest and op == "delete":
        del copy[head]
    else:
        copy[head] = _apply(copy[head], rest, op, new)
    return copy


@st.composite
def mutated_json(draw: st.DrawFn, valid: Any) -> Any:
    """``valid`` with one to three of its parts replaced, deleted, wrapped, repeated or extended."""
    value = valid
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(value)))
        op = draw(st.sampled_from(["replace", "replace", "delete", "wrap", "repeat", "add"]))
        value = _apply(value, path, op, draw(json_values))
    return value


@st.composite
def mutated_bytes(draw: st.DrawFn, valid: bytes) -> bytes:
    """A file damaged the ways files get damaged: cut short, bytes flipped, junk inserted, headers swapped."""
    how = draw(st.sampled_from(["truncate", "flip", "insert", "header", "random", "empty", "tail", "valid"]))
    if how == "truncate":
        return valid[: draw(st.integers(0, len(valid)))]
    if how == "flip":
        data = bytearray(valid)
        for _ in range(draw(st.integers(1, 12))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        return bytes(data)
    if how == "insert":
        at = draw(st.integers(0, len(valid)))
        return valid[:at] + draw(st.binary(min_size=1, max_size=64)) + valid[at:]
    if how == "header":
        magic = draw(st.sampled_from([b"%PDF-1.7\n", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"II*\x00",
                                      b"MM\x00*", b"BM", b"GIF89a", b"RIFF\x00\x00\x00\x00WEBP", b"PK\x03\x04"]))
        return magic + valid[draw(st.integers(0, 16)):]
    if how == "random":
        return draw(st.binary(max_size=512))
    if how == "empty":
        return b""
    if how == "tail":
        return valid + draw(st.binary(min_size=1, max_size=256))
    return valid


# Odd values for any query parameter: empty, blank, NUL, invalid UTF-8 (sent percent-encoded), huge, signs.
ODD_QUERY_VALUES: list[bytes] = [
    b"", b" ", b"\x00", b"\xff", b"\xc3", b"\xed\xa0\x80", b"-1", b"0", b"99999999999999999999999", b"1-",
    b"-", b",", b"1,,2", b"3-1", b"1-99999999999", b"true", b"True", b"1e9", b"NaN", b"x" * 3000,
    "\u00e9\u4e2d".encode(), b"en-US", b"latest", b"../../etc/passwd", b"%", b"%%", b"a=b&c",
]


def query_values(known: list[bytes]) -> st.SearchStrategy[bytes]:
    return st.sampled_from(known + ODD_QUERY_VALUES) | st.binary(max_size=24)


@st.composite
def query_string(draw: st.DrawFn, params: dict[str, list[bytes]], required: tuple[str, ...] = ("api-version",)) -> str:
    """A valid query over ``params`` (name -> valid values; ``required`` ones always given), then at most a few
    damages: an odd value, the same key twice, an unknown key. Mostly one damage at a time, so that
    the checks after the first one are reached too."""
    pairs: list[tuple[str, bytes]] = [
        (name, draw(st.sampled_from(valid))) for name, valid in params.items()
        if name in required or draw(st.booleans())]
    for _ in range(draw(st.sampled_from([0, 0, 1, 1, 1, 2]))):
        how = draw(st.sampled_from(["odd", "odd", "duplicate", "unknown"]))
        if how == "unknown" or not params:
            pairs.append((draw(st.text(max_size=8)), draw(st.binary(max_size=8))))
            continue
        name = draw(st.sampled_from(sorted(params)))
        value = draw(query_values(params[name]))
        if how == "odd":
            pairs = [pair for pair in pairs if pair[0] != name]
        pairs.append((name, value))
    return "&".join(f"{quote(name, safe='-')}={quote(value, safe='')}" for name, value in pairs)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()
