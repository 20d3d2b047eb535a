"""The AAMVA DL/ID card design standard record that North-American driving licences carry in the
PDF417 barcode on their back: header, subfile designator, then data elements, one a line, each a
three-letter element id and its value (DAQ the licence number, DCS the family name, ...).

ZXing may hand control characters back escaped (`<LF>`, `<RS>`, `<CR>`); both forms are read.
Dates are MMDDCCYY in US records and CCYYMMDD in Canadian ones (the header's IIN says which).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_ESCAPES = {"<LF>": "\n", "<RS>": "\x1e", "<CR>": "\r", "<GS>": "\x1d", "<FS>": "\x1c"}
_ELEMENT = re.compile(r"^(D[A-Z]{2})(.*)$")
_HEADER = re.compile(r"ANSI ?(\d{6})(\d{2})(\d{2})?")


@dataclass(frozen=True)
class Aamva:
    issuer: str  # the issuer identification number (IIN)
    subfile: str  # DL (driving licence) or ID (identification card)
    elements: dict[str, str]

    def date(self, element: str) -> str | None:
        text = self.elements.get(element, "")
        if not re.fullmatch(r"\d{8}", text):
            return None
        canadian = self.issuer.startswith("6360") and self.elements.get("DCG") == "CAN"
        y, m, d = (text[:4], text[4:6], text[6:]) if canadian else (text[4:], text[:2], text[2:4])
        try:
            return date(int(y), int(m), int(d)).isoformat()
        except ValueError:
            return None


def unescape(text: str) -> str:
    for escaped, char in _ESCAPES.items():
        text = text.replace(escaped, char)
    return text


def parse(value: str) -> Aamva | None:
    """The record in a PDF417 value, or None when the value is no AAMVA record."""
    text = unescape(value)
    header = _HEADER.search(text[:40])
    if not text.startswith("@") or header is None:
        return None
    elements: dict[str, str] = {}
    subfile = "DL"
    for raw in re.split(r"[\n\r\x1e\x1d\x1c]", text[header.end():]):
        line = raw.strip()
        # The subfile designator (DL or ID) and its offsets run into the first element: DL0031...DLDCA...
        found = re.search(r"(DL|ID)(D[A-Z]{2}.*)$", line) if not elements else None
        if found:
            subfile, line = found.group(1), found.group(2)
        match = _ELEMENT.match(line)
        if match and match.group(1) not in elements:
            elements[match.group(1)] = match.group(2).strip()
    if "DAQ" not in elements:
        return None
    return Aamva(header.group(1), subfile, elements)


def height(text: str) -> str | None:
    """`070 IN` or `178 CM` as printed on a US licence: feet-inches (5-10), or centimetres."""
    match = re.fullmatch(r"0*(\d+)\s*(IN|CM)?", text.strip().upper())
    if not match:
        return None
    number, unit = int(match.group(1)), match.group(2) or "IN"
    return f"{number // 12}-{number % 12:02d}" if unit == "IN" else f"{number} CM"


def sex(code: str) -> str | None:
    return {"1": "M", "2": "F", "9": "X", "M": "M", "F": "F", "X": "X"}.get(code.strip().upper())
