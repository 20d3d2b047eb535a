"""The machine-readable zone of passports (TD3: 2 x 44) and identity cards (TD1: 3 x 30), as
ICAO Doc 9303 defines it: read from OCR text, repaired where the check digits allow, parsed.

OCR of a zone slips in known ways: a filler `<` read as `«`, `K` or dropped from a run, an O
for a 0 in a digit-only field. Filler runs are stretched or shrunk to the line's fixed width;
digit-only fields map letters to their look-alike digits; an alphanumeric document number is
kept as read unless a look-alike swap is the only way its check digit holds. Every field
carries whether its check digit held: that is its confidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_WIDTHS = {"TD3": (44, 2), "TD1": (30, 3)}
_DIGIT_LOOKALIKES = str.maketrans({"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "Z": "2", "S": "5", "B": "8",
                                   "G": "6", "T": "7"})
_LETTER_LOOKALIKES = {"0": "O", "1": "I", "2": "Z", "5": "S", "8": "B", "6": "G"}
# Issuing codes that are not ISO 3166-1 alpha-3 (Doc 9303 part 3): Germany's D, British variants.
_COUNTRY = {"D": "DEU", "GBD": "GBR", "GBN": "GBR", "GBO": "GBR", "GBP": "GBR", "GBS": "GBR", "UNO": "UNO"}
_FILLER_SLIPS = set("ckexsz")
MRZ_CHARS = re.compile(r"^[A-Z0-9<]+$")


@dataclass(frozen=True)
class MrzField:
    value: str | None
    checked: bool | None  # None: the field has no check digit of its own
    digit: str | None = None  # the check digit as read

    def holds_for(self, text: str) -> bool:
        """Whether `text` (the value as printed elsewhere) agrees with this field's check digit."""
        return self.digit is not None and check_digit(text.ljust(9, "<")) == _digits(self.digit)


@dataclass(frozen=True)
class Mrz:
    format: str  # TD3 | TD1
    document_code: str  # P (passport), I / A / C (identity cards)
    lines: tuple[str, ...]
    fields: dict[str, MrzField]
    composite: bool  # the check digit over the whole zone held


def check_digit(text: str) -> str:
    total = 0
    for i, c in enumerate(text):
        value = int(c) if c.isdigit() else ord(c) - 55 if "A" <= c <= "Z" else 0
        total += value * (7, 3, 1)[i % 3]
    return str(total % 10)


def clean(text: str) -> str:
    """An OCR line as zone characters: no spaces, upper case, `«` as two fillers."""
    text = re.sub(r"\s+", "", text.replace("«", "<<"))
    # No lower-case letter and no symbol but `<` is in a zone: those are fillers misread.
    return "".join(c if c.isupper() or c.isdigit() or c == "<" else "<" if not c.isalpha() or c in _FILLER_SLIPS
                   else c.upper() for c in text if c.isascii() or c in "«¢‹")


def looks_like_zone_line(text: str) -> bool:
    line = clean(text)
    return 26 <= len(line) <= 48 and MRZ_CHARS.match(line) is not None and ("<<" in line or line[:1] in "PIAC")


def fit(line: str, width: int) -> str:
    """`line` stretched or shrunk to `width` by changing its longest run of fillers (where OCR
    loses or doubles a `<`); a line with no such run is padded or cut at its end."""
    if len(line) == width:
        return line
    runs = list(re.finditer(r"<{2,}", line))
    if runs:
        run = max(runs, key=lambda m: m.end() - m.start())
        size = max(1, run.end() - run.start() + width - len(line))
        line = line[:run.start()] + "<" * size + line[run.end():]
    return (line + "<" * width)[:width]


def _digits(text: str) -> str:
    return text.translate(_DIGIT_LOOKALIKES)


def _checked(field: str, digit: str) -> bool:
    return check_digit(field) == _digits(digit)


def _document_number(raw: str, digit: str, composite) -> tuple[str, bool]:
    """The number as read if its check digit holds; else the one look-alike swap that makes both
    its own check digit and the zone's composite check hold (a mod-10 digit alone would accept
    one wrong swap in ten)."""
    if _checked(raw, digit):
        return raw, True
    candidates = set()
    for i, c in enumerate(raw):
        for swap in ({c.translate(_DIGIT_LOOKALIKES)} | {_LETTER_LOOKALIKES.get(c, c)}) - {c}:
            fixed = raw[:i] + swap + raw[i + 1:]
            if _checked(fixed, digit) and composite(fixed):
                candidates.add(fixed)
    if len(candidates) == 1:
        return candidates.pop(), True
    return raw, False


def _date(yymmdd: str, digit: str, future: bool) -> MrzField:
    text = _digits(yymmdd)
    ok = _checked(text, digit)
    if not text.isdigit():
        return MrzField(None, False)
    yy, mm, dd = int(text[:2]), int(text[2:4]), int(text[4:])
    # Two-digit years: an expiry lies ahead (within 50 years), a birth date behind.
    century = 2000 if future or yy <= date.today().year % 100 else 1900
    try:
        return MrzField(date(century + yy, mm, dd).isoformat(), ok)
    except ValueError:
        return MrzField(None, False)


def country(code: str) -> str | None:
    code = code.replace("<", "")
    if not code.isalpha():
        return None
    return _COUNTRY.get(code, code if len(code) == 3 else None)


def _names(text: str) -> tuple[str | None, str | None]:
    text = text.rstrip("<")
    last, _, first = text.partition("<<")
    tidy = lambda s: re.sub(r"<+", " ", s).strip() or None  # noqa: E731
    return tidy(last), tidy(first)


def _sex(c: str) -> MrzField:
    return MrzField({"M": "M", "F": "F", "<": "X", "X": "X"}.get(c), None)


def parse(lines: list[str]) -> Mrz | None:
    """The zone in `lines` (cleaned OCR lines, top to bottom), or None if they are not one."""
    lines = [clean(line) for line in lines]
    if len(lines) >= 2 and lines[-2][:1] == "P" and len(lines[-1]) > 36:
        return _td3([fit(lines[-2], 44), fit(lines[-1], 44)])
    if len(lines) >= 3 and lines[-3][:1] in "IAC" and len(lines[-3]) < 36:
        return _td1([fit(line, 30) for line in lines[-3:]])
    return None


def _td3(lines: list[str]) -> Mrz:
    one, two = lines
    last, first = _names(one[5:])
    rest = _digits(two[13:20]) + _digits(two[21:28]) + two[28:43]
    number, number_ok = _document_number(
        two[0:9], two[9], lambda n: check_digit(n + _digits(two[9]) + rest) == _digits(two[43]))
    birth, expiry = _date(two[13:19], two[19], False), _date(two[21:27], two[27], True)
    composite = number + two[9] + rest
    fields = {"DocumentNumber": MrzField(number.rstrip("<"), number_ok, two[9]),
              "CountryRegion": MrzField(country(one[2:5]), None), "Nationality": MrzField(country(two[10:13]), None),
              "DateOfBirth": birth, "DateOfExpiration": expiry,
              "Sex": _sex(two[20]), "LastName": MrzField(last, None), "FirstName": MrzField(first, None)}
    return Mrz("TD3", one[0], (one, two), fields, check_digit(composite) == _digits(two[43]))


def _td1(lines: list[str]) -> Mrz:
    one, two, three = lines
    last, first = _names(three)
    rest = _digits(two[0:7]) + _digits(two[8:15]) + two[18:29]
    number, number_ok = _document_number(
        one[5:14], one[14], lambda n: check_digit(n + one[14:30] + rest) == _digits(two[29]))
    birth, expiry = _date(two[0:6], two[6], False), _date(two[8:14], two[14], True)
    composite = number + one[14:30] + rest
    fields = {"DocumentNumber": MrzField(number.rstrip("<"), number_ok, one[14]),
              "CountryRegion": MrzField(country(one[2:5]), None), "Nationality": MrzField(country(two[15:18]), None),
              "DateOfBirth": birth, "DateOfExpiration": expiry,
              "Sex": _sex(two[7]), "LastName": MrzField(last, None), "FirstName": MrzField(first, None)}
    return Mrz("TD1", one[0], (one, two, three), fields, check_digit(composite) == _digits(two[29]))
