"""Postal addresses from their printed lines: street and house number, unit, postal code, city,
state, in US, UK and continental European order. A rule-based reading of the common forms;
a line it cannot place stays in `streetAddress` / the content, never invented."""

from __future__ import annotations

import re

_US_CITY = re.compile(r"^(?P<city>[^,]+),\s*(?P<state>[A-Z]{2})\.?\s+(?P<zip>\d{5}(?:-\d{4})?)$")
_EU_CITY = re.compile(r"^(?:(?P<country>[A-Z]{1,2})-)?(?P<zip>\d{4,5})\s+(?P<city>.+)$")
_UK_CITY = re.compile(r"^(?P<city>.+?)\s+(?P<zip>[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2})$")
_NUMBER_FIRST = re.compile(r"^(?P<number>\d+[A-Za-z]?(?:-\d+)?)\s+(?P<road>.+)$")
_NUMBER_LAST = re.compile(r"^(?P<road>.+?)\s+(?P<number>\d+[A-Za-z]?(?:-\d+)?)$")
# Words that make a line a street, not a city ("6120 Aurora Avenue North" is no "80331 München").
_ROAD = re.compile(r"\b(street|st|avenue|ave|road|rd|drive|dr|boulevard|blvd|lane|ln|way|parkway|pkwy|place|pl|"
                   r"court|ct|highway|hwy|route|square|terrace|row|wharf|rue|avenue|chemin|impasse|quai|cours|"
                   r"calle|avenida|carrer|paseo|passeig|plaza|camino|strasse|straße|weg|platz|allee|gasse|ring)\b"
                   r"|(strasse|straße|weg|platz|allee|gasse)$", re.IGNORECASE)
_UNIT = re.compile(r",\s*(?P<unit>(?:suite|ste|apt|unit|floor|fl|room|#)\.?\s*\S+)$", re.IGNORECASE)


def parse_address(lines: list[str]) -> dict[str, str]:
    """Azure's valueAddress keys found in `lines` (the street first, the city last)."""
    lines = [line.strip(" ,") for line in lines if line.strip(" ,")]
    if not lines:
        return {}
    found: dict[str, str] = {}
    city = lines[-1]
    for pattern in (_US_CITY, _EU_CITY, _UK_CITY):
        match = pattern.match(city)
        if match and not _ROAD.search(match.group("city")):
            found["city"] = match.group("city").strip(" ,")
            found["postalCode"] = match.group("zip")
            if "state" in match.groupdict() and match.group("state"):
                found["state"] = match.group("state")
            lines = lines[:-1]
            break
    if lines:
        street = lines[0]
        found["streetAddress"] = street
        unit = _UNIT.search(street)
        if unit:
            found["unit"] = unit.group("unit")
            street = street[:unit.start()]
        match = _NUMBER_FIRST.match(street) or _NUMBER_LAST.match(street)
        if match:
            found["houseNumber"] = match.group("number")
            found["road"] = match.group("road").strip(" ,")
    return found


def looks_like_city_line(text: str) -> bool:
    """A line that ends an address: a postal code with a city (US, UK or European form)."""
    text = text.strip(" ,")
    return any((m := p.match(text)) and not _ROAD.search(m.group("city")) for p in (_US_CITY, _EU_CITY, _UK_CITY))
