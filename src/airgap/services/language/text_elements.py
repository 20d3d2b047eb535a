"""Counting text elements (extended grapheme clusters), Azure's unit for document size.

Azure limits and bills Language documents in *text elements*: what a reader
sees as one character (an emoji with modifiers, a letter with combining marks,
``\\r\\n``) counts once.
"""

from __future__ import annotations

import math

import regex

_GRAPHEME = regex.compile(r"\X")

TEXT_RECORD_SIZE = 1000  # Azure bills one text record per started 1,000 characters


def count_text_elements(text: str) -> int:
    # Plain ASCII without CR is one element per character: skip the regex scan.
    if text.isascii() and "\r" not in text:
        return len(text)
    return sum(1 for _ in _GRAPHEME.finditer(text))


def text_records(elements: int) -> int:
    return math.ceil(elements / TEXT_RECORD_SIZE)
