"""Sentence lengths, with the project's sentence splitter (sentencex: rules per language, no model)."""

from __future__ import annotations


def sentence_lengths(language: str, text: str) -> list[int]:
    """The length of each sentence of ``text`` in code points, trailing white space included, so that
    the lengths add up to the text's length (Azure's ``sentLen``)."""
    if not text:
        return [0]
    from sentencex import segment

    base = language.split("-")[0].lower() or "en"
    lengths = [len(s) for s in segment(base, text) if s]
    covered = sum(lengths)
    if covered < len(text):  # white space sentencex dropped at the start: it belongs to the first
        lengths[0:1] = [(lengths[0] if lengths else 0) + len(text) - covered]
    return lengths or [len(text)]


def split_sentences(language: str, text: str) -> list[str]:
    """The sentences of ``text``, white space included, so that joining them gives the text back."""
    if not text.strip():
        return [text]
    from sentencex import segment

    base = language.split("-")[0].lower() or "en"
    parts = [s for s in segment(base, text) if s]
    joined = "".join(parts)
    if joined != text:  # sentencex dropped leading white space: keep it in front of the first
        lead = text[:len(text) - len(text.lstrip())]
        parts = [lead + parts[0].lstrip(), *parts[1:]] if parts else [text]
        if "".join(parts) != text:
            return [text]
    return parts
