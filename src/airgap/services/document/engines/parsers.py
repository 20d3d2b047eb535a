"""Parsers for the values printed on invoices and receipts: amounts with their currency, dates,
times and phone numbers, in English, German, French and Spanish conventions.

Each parser takes the printed text and returns the normalised value or None; none guesses
beyond what the text says (an ambiguous 03/04/2024 is read by the document's convention).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

# -- amounts -------------------------------------------------------------------------------------

SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "CHF": "CHF", "Fr.": "CHF", "kr": "SEK"}
CODES = ("USD", "EUR", "GBP", "CAD", "AUD", "CHF", "JPY", "SEK", "NOK", "DKK", "MXN", "INR")
_NUMBER = re.compile(r"[-−]?\d{1,3}(?:[ .,'’]\d{3})+(?:[.,]\d{1,2})?|[-−]?\d+(?:[.,]\d{1,2})?")
_AMOUNT = re.compile(
    r"^(?P<pre>[$€£¥]|USD|EUR|GBP|CAD|AUD|CHF)?\s?(?P<num>[-−]?\d{1,3}(?:[ .,'’]\d{3})+(?:[.,]\d{1,2})?|[-−]?\d+(?:[.,]\d{1,2})?)"
    r"\s?(?P<post>[$€£]|USD|EUR|GBP|CAD|AUD|CHF)?$")


@dataclass(frozen=True)
class Money:
    amount: float
    symbol: str | None
    code: str | None


def parse_number(text: str, decimal_comma: bool = False) -> float | None:
    """A number as printed: 1,234.56 / 1.234,56 / 1 234,56 / 12,5 / 6.5; `decimal_comma` settles
    a lone separator followed by three digits (1.234 is a thousand in German, 1.234 in English)."""
    text = text.strip().replace("−", "-").replace("’", "'")
    if not _NUMBER.fullmatch(text):
        return None
    negative = text.startswith("-")
    digits = text.lstrip("-")
    separators = [c for c in digits if not c.isdigit()]
    if not separators:
        value = float(digits)
    else:
        last = max(digits.rfind(c) for c in ".,")
        tail = len(digits) - last - 1 if last >= 0 else 0
        lone = len(set(c for c in separators if c in ".,")) == 1 and separators.count(separators[-1]) == 1
        if last < 0:  # only spaces or apostrophes: thousands
            value = float(re.sub(r"\D", "", digits))
        elif tail == 3 and lone and (digits[last] == "," and not decimal_comma or digits[last] == "." and decimal_comma):
            value = float(re.sub(r"\D", "", digits))  # a thousands separator, no decimals
        elif tail == 3 and lone:
            value = float(re.sub(r"\D", "", digits[:last]) + "." + digits[last + 1:])
        elif tail in (1, 2):
            value = float(re.sub(r"\D", "", digits[:last]) + "." + digits[last + 1:])
        else:
            value = float(re.sub(r"\D", "", digits))
    return -value if negative else value


def parse_amount(text: str, decimal_comma: bool = False) -> Money | None:
    """An amount with an optional currency symbol or code before or after it: $1,234.56,
    1.234,56 €, EUR 12,50, 1 234,56 € (spaces inside are thousands separators)."""
    compact = text.strip().replace("\u00a0", " ").replace("\u202f", " ")
    match = _AMOUNT.match(compact)
    if match is None:
        return None
    number = parse_number(match.group("num"), decimal_comma)
    if number is None:
        return None
    mark = match.group("pre") or match.group("post")
    symbol = mark if mark in SYMBOLS else None
    code = SYMBOLS.get(mark) if mark in SYMBOLS else (mark if mark in CODES else None)
    return Money(round(number, 2), symbol, code)


def has_cents(text: str) -> bool:
    """Whether a printed amount shows two decimals (12.50, 1.234,56): the mark of money on a
    document, where a bare integer is more likely a quantity, a year or a house number."""
    return re.search(r"\d[.,]\d{2}(?!\d)", text) is not None


# -- dates and times -------------------------------------------------------------------------------

MONTHS = {
    # en
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12, "sept": 9,
    # de
    "januar": 1, "februar": 2, "marz": 3, "mai": 5, "juni": 6, "juli": 7, "oktober": 10, "dezember": 12,
    # fr
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "juin": 6, "juillet": 7, "aout": 8, "septembre": 9,
    "octobre": 10, "novembre": 11, "decembre": 12,
    # es
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
    "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
}


def fold(text: str) -> str:
    """Lower case without accents: how labels and month names are compared."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def _month(word: str) -> int | None:
    word = fold(word).rstrip(".")
    if word in MONTHS:
        return MONTHS[word]
    if len(word) >= 3:  # Mar, Sept., févr., Dez.
        found = {n for name, n in MONTHS.items() if name.startswith(word)}
        if len(found) == 1:
            return found.pop()
    return None


_NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,4})([./-])(\d{1,2})\2(\d{2,4})(?!\d)")
_NAMED_DATE = re.compile(
    r"(?:(?P<d1>\d{1,2})(?:st|nd|rd|th|er|\.)?\s*(?:de\s+)?(?P<m1>[^\W\d_]{3,10}\.?)\s*(?:de\s+)?,?\s*(?P<y1>\d{4})"
    r"|(?P<m2>[^\W\d_]{3,10}\.?)\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{4}))")


def _valid(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def _year(text: str) -> int:
    y = int(text)
    return y + 2000 if y < 100 else y


def find_date(text: str, day_first: bool = False) -> tuple[str, int, int] | None:
    """The first date in `text`: (ISO date, start, end of the printed date). Numeric dates are
    year-first when they start with four digits, else read day-first or month-first by
    `day_first`, unless a part above 12 settles it."""
    best: tuple[str, int, int] | None = None
    for match in _NUMERIC_DATE.finditer(text):
        a, _, b, c = match.groups()
        if len(a) == 4:
            iso = _valid(int(a), int(b), int(c))
        elif len(c) in (2, 4) and len(a) <= 2:
            first, second = int(a), int(b)
            if first > 12:
                day_first_here = True
            elif second > 12:
                day_first_here = False
            else:
                day_first_here = day_first or match.group(2) == "."
            d, m = (first, second) if day_first_here else (second, first)
            iso = _valid(_year(c), m, d)
        else:
            iso = None
        if iso:
            best = (iso, match.start(), match.end())
            break
    for match in _NAMED_DATE.finditer(text):
        if best is not None and match.start() >= best[1]:
            break
        month = _month(match.group("m1") or match.group("m2"))
        if month is None:
            continue
        d = int(match.group("d1") or match.group("d2"))
        iso = _valid(int(match.group("y1") or match.group("y2")), month, d)
        if iso:
            best = (iso, match.start(), match.end())
            break
    return best


_TIME = re.compile(r"(?<![\d.,])(\d{1,2})[:h](\d{2})(?::(\d{2}))?\s*([AaPp]\.?[Mm]\.?)?(?![\d.,])")


def find_time(text: str) -> tuple[str, int, int] | None:
    """The first time of day in `text`: (hh:mm:ss, start, end); 12-hour times with AM/PM."""
    for match in _TIME.finditer(text):
        hour, minute = int(match.group(1)), int(match.group(2))
        second = int(match.group(3) or 0)
        meridiem = (match.group(4) or "").lower().replace(".", "")
        if meridiem:
            if not 1 <= hour <= 12:
                continue
            hour = hour % 12 + (12 if meridiem == "pm" else 0)
        if hour < 24 and minute < 60 and second < 60:
            return f"{hour:02d}:{minute:02d}:{second:02d}", match.start(), match.end()
    return None


# -- phone numbers ---------------------------------------------------------------------------------

def find_phone(text: str, region: str) -> tuple[str, int, int] | None:
    """The first phone number in `text` read in `region` (ISO 3166 alpha-2, the document's
    country): (E.164, start, end). phonenumbers (Google's libphonenumber metadata) checks it."""
    import phonenumbers

    for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.POSSIBLE):
        if sum(c.isdigit() for c in match.raw_string) < 7:  # a house number is no phone number
            continue
        return phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164), match.start, match.end
    return None
