"""Offsets between Python string indices (code points) and Azure's string index types."""

from __future__ import annotations

import regex

UTF16, CODE_POINT, TEXT_ELEMENT = "Utf16CodeUnit", "UnicodeCodePoint", "TextElements_v8"
_GRAPHEME = regex.compile(r"\X")


def utf16_to_code_points(text: str, offset: int, length: int) -> tuple[int, int] | None:
    """``(start, end)`` in code points of a UTF-16 span of ``text``, or None where it is not one."""
    if text.isascii():
        return (offset, offset + length) if 0 <= offset and offset + length <= len(text) and length >= 0 else None
    units = [0]
    for ch in text:
        units.append(units[-1] + (2 if ord(ch) > 0xFFFF else 1))
    try:
        return units.index(offset), units.index(offset + length)
    except ValueError:
        return None


def to_code_points(text: str, offset: int, length: int, index_type: str) -> tuple[int, int] | None:
    if index_type == UTF16:
        return utf16_to_code_points(text, offset, length)
    if index_type == TEXT_ELEMENT:
        bounds = [m.start() for m in _GRAPHEME.finditer(text)] + [len(text)]
        if 0 <= offset and length >= 0 and offset + length < len(bounds):
            return bounds[offset], bounds[offset + length]
        return None
    if 0 <= offset and length >= 0 and offset + length <= len(text):
        return offset, offset + length
    return None


def from_code_points(text: str, start: int, end: int, index_type: str) -> tuple[int, int]:
    """``(offset, length)`` of ``text[start:end]`` counted in ``index_type`` units."""
    if text.isascii() or index_type == CODE_POINT:
        return start, end - start
    if index_type == UTF16:
        def units(s: str) -> int:
            return sum(2 if ord(c) > 0xFFFF else 1 for c in s)
        return units(text[:start]), units(text[start:end])
    count = len(_GRAPHEME.findall(text[:start]))
    return count, len(_GRAPHEME.findall(text[start:end]))
