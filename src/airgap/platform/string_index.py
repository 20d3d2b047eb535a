"""Offsets and lengths in Azure's three string index types.

Engines report spans as Python string indices (code points). Azure clients ask
for ``TextElements_v8`` (graphemes, the default), ``UnicodeCodePoint`` (what
Python uses) or ``Utf16CodeUnit`` (what .NET and JavaScript use), so every span
is converted once, at the wire boundary, for one document at a time.
"""

from __future__ import annotations

from bisect import bisect_right

import regex

_GRAPHEME = regex.compile(r"\X")


class StringIndex:
    """Converts code-point spans of one text into the requested index type."""

    def __init__(self, text: str, index_type: str) -> None:
        self.index_type = index_type
        self._text = text
        self._starts: list[int] | None = None  # grapheme start code points, built lazily
        self._utf16: list[int] | None = None   # prefix sums of UTF-16 units, built lazily

    def offset(self, cp: int) -> int:
        if self.index_type == "UnicodeCodePoint":
            return cp
        if self.index_type == "Utf16CodeUnit":
            return self._utf16_prefix()[cp]
        # A position inside a grapheme belongs to the grapheme that contains it.
        return bisect_right(self._grapheme_starts(), cp) - 1 if cp < len(self._text) else len(self._grapheme_starts())

    def span(self, start: int, end: int) -> tuple[int, int]:
        """``(offset, length)`` of the code-point span ``[start, end)``."""
        if self.index_type == "UnicodeCodePoint":
            return start, end - start
        if self.index_type == "Utf16CodeUnit":
            prefix = self._utf16_prefix()
            return prefix[start], prefix[end] - prefix[start]
        first = self.offset(start)
        # The end grapheme is the one that holds the last code point of the span.
        last = self.offset(end - 1) + 1 if end > start else first
        return first, last - first

    def _grapheme_starts(self) -> list[int]:
        if self._starts is None:
            self._starts = [m.start() for m in _GRAPHEME.finditer(self._text)]
        return self._starts

    def _utf16_prefix(self) -> list[int]:
        if self._utf16 is None:
            prefix = [0]
            total = 0
            for ch in self._text:
                total += 2 if ord(ch) > 0xFFFF else 1
                prefix.append(total)
            self._utf16 = prefix
        return self._utf16
