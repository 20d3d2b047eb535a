"""Traditional or Simplified Chinese, from the characters that exist in only one of the scripts.

fastText answers "zh" for both. About 2,300 Simplified and 2,700 Traditional characters are
written in one script only (CC-CEDICT's character lists, shipped in the zhon wheel); characters
the scripts share (人, 后, 面, ...) say nothing, so a text is Traditional when it holds more
Traditional-only characters than Simplified-only ones.
"""

from __future__ import annotations

from functools import lru_cache

from zhon import cedict


@lru_cache(maxsize=1)
def _only() -> tuple[frozenset[str], frozenset[str]]:
    simplified, traditional = frozenset(cedict.simplified), frozenset(cedict.traditional)
    return simplified - traditional, traditional - simplified


def is_traditional(text: str) -> bool:
    simplified_only, traditional_only = _only()
    simplified = sum(ch in simplified_only for ch in text)
    traditional = sum(ch in traditional_only for ch in text)
    return traditional > simplified
