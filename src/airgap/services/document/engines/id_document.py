"""prebuilt-idDocument: Azure's ID-document fields from the machine-readable zone of a passport or
identity card (mrz.py), the AAMVA record in a driving licence's PDF417 barcode (aamva.py), and the
printed labels ("Surname", "DOB", "EXP", ...) where neither is there.

The zone and the barcode are the sources of truth: they carry check digits or error correction.
A value is pointed at where it is printed on the page when the printed words say the same
(its content and spans then show the printed form, as Azure's do), else at the zone's line or the
barcode. docType: `idDocument.passport` (zone code P), `idDocument.nationalIdentityCard` (TD1 zone,
AAMVA ID subfile), `idDocument.driverLicense` (AAMVA DL subfile, or a printed "driver licen[cs]e"),
plain `idDocument` otherwise.

Confidence: a zone field whose check digit held 0.99, one that failed 0.4, fields with no check
digit of their own follow the zone's composite check (0.95 / 0.6); barcode fields 0.98 (PDF417's
error correction held); printed-only fields 0.5-0.8 from the OCR confidence of their words. These
are raw evidence scores: calibration.py maps them to the precision dev showed for them.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from airgap.services.document.engines import aamva, mrz
from airgap.services.document.engines.calibration import calibrate
from airgap.services.document.engines.address import parse_address
from airgap.services.document.engines.values import Conventions, candidates, date_in
from airgap.services.document.engines.words import (
    Document,
    Field,
    Page,
    Word,
    find_anchors,
    mean_confidence,
    pages,
    starts_with_label,
)
from airgap.services.document.layout import Layout

_US = Conventions("en", False, False, "US", "USD")
_LABELS = {
    "LastName": {"en": ["surname", "last name", "family name", "ln"], "fr": ["nom"], "de": ["name"]},
    "FirstName": {"en": ["given names", "given name", "first name", "fn"], "fr": ["prenoms"], "de": ["vornamen"]},
    "DocumentNumber": {"en": ["passport no", "document no", "card no", "license no", "licence no", "dl", "id no"]},
    "DateOfBirth": {"en": ["date of birth", "dob", "birth date"]},
    "DateOfExpiration": {"en": ["date of expiry", "date of expiration", "expiry", "expires", "exp"]},
    "DateOfIssue": {"en": ["date of issue", "issue date", "iss", "issued"]},
    "Sex": {"en": ["sex"]},
    "Nationality": {"en": ["nationality"]},
    "PlaceOfBirth": {"en": ["place of birth"]},
}
_ALL_LABELS = [label for by_language in _LABELS.values() for names in by_language.values() for label in names
               if len(label) > 3]
_ZONE_FIELDS = ("FirstName", "LastName", "DocumentNumber", "CountryRegion", "Nationality", "DateOfBirth",
                "DateOfExpiration", "Sex")
_DATES = ("DateOfBirth", "DateOfExpiration", "DateOfIssue")


def _letters(text: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", text.upper())


def _printed(doc_pages: list[Page], value: str, exclude: set[int]) -> tuple[Word, ...]:
    """The run of words of one line that spells `value` (letters and digits alike, case aside)."""
    target = _letters(value)
    if not target:
        return ()
    for page in doc_pages:
        for line in page.lines:
            if line[0].line in exclude:
                continue
            for i in range(len(line)):
                text = ""
                for j in range(i, len(line)):
                    text += _letters(line[j].text)
                    if text == target:
                        return tuple(line[i:j + 1])
                    if not target.startswith(text):
                        break
    return ()


def _printed_date(doc_pages: list[Page], iso: str, exclude: set[int]) -> tuple[Word, ...]:
    for page in doc_pages:
        for line in page.lines:
            if line[0].line in exclude:
                continue
            found = date_in(tuple(line), _US)
            if found is not None and found[0] == iso:
                return found[1]
    return ()


def _zone(doc_pages: list[Page]) -> tuple[mrz.Mrz, list[list[Word]]] | None:
    for page in doc_pages:
        lines = [line for line in page.lines if mrz.looks_like_zone_line(" ".join(w.text for w in line))]
        for size in (3, 2):
            if len(lines) >= size:
                found = mrz.parse([" ".join(w.text for w in line) for line in lines[-size:]])
                if found is not None:
                    return found, lines[-size:]
    return None


def _record(layout: Layout) -> tuple[aamva.Aamva, Word] | None:
    for laid in layout.pages:
        for code in laid.barcodes:
            if code.kind != "PDF417":
                continue
            record = aamva.parse(code.value)
            if record is not None:
                xs, ys = [p[0] for p in code.polygon], [p[1] for p in code.polygon]
                word = Word(":barcode:", code.span, (min(xs), min(ys), max(xs), max(ys)), laid.page.number, -1,
                            code.confidence)
                return record, word
    return None


def _field(kind: str, value, printed: tuple[Word, ...], source: tuple[Word, ...], confidence: float) -> Field:
    """The value pointed at its printed words when found, else at its source (zone or barcode):
    content is always the text its spans cover."""
    return Field(kind, value, printed or source, confidence)


def _from_zone(zone: mrz.Mrz, zone_lines: list[list[Word]], doc_pages: list[Page]) -> Document:
    doc_type = "idDocument.passport" if zone.document_code == "P" else "idDocument.nationalIdentityCard"
    document = Document(doc_type)
    zone_words = tuple(w for line in zone_lines for w in line)
    exclude = {line[0].line for line in zone_lines}
    unchecked = 0.95 if zone.composite else 0.6
    inner: dict[str, Field] = {}
    for name in _ZONE_FIELDS:
        found = zone.fields[name]
        if found.value is None:
            continue
        confidence = unchecked if found.checked is None else 0.99 if found.checked else 0.4
        kind = "date" if name in _DATES else "countryRegion" if name in ("CountryRegion", "Nationality") else "string"
        inner[name] = Field(kind, found.value, zone_words, confidence)
        if name in _DATES:
            printed = _printed_date(doc_pages, found.value, exclude)
        elif name in ("CountryRegion",):
            printed = ()
        else:
            printed = _printed(doc_pages, found.value, exclude)
        value = found.value
        if printed and name in ("FirstName", "LastName"):
            value = " ".join(w.text for w in printed)  # the zone drops hyphens and apostrophes
        document.fields[name] = _field(kind, value, printed, zone_words, confidence)
    number = zone.fields["DocumentNumber"]
    if not number.checked:
        # The zone's number failed its check; the printed number may pass the zone's check digit.
        printed = Document(doc_type)
        _add_printed(printed, doc_pages, exclude)
        found = printed.fields.get("DocumentNumber")
        if found is not None and found.value and number.holds_for(_letters(found.value)):
            document.fields["DocumentNumber"] = Field("string", found.value, found.words, 0.9)
        elif found is not None and found.value and SequenceMatcher(
                None, _letters(found.value), number.value or "").ratio() >= 0.75:
            # Two reads that nearly agree: the printed one is set larger than the zone.
            document.fields["DocumentNumber"] = Field("string", found.value, found.words, 0.55)
    if zone.document_code == "P":
        document.fields["MachineReadableZone"] = Field("object", inner, zone_words, unchecked)
    _add_printed(document, doc_pages, exclude)
    checks = [f.checked for f in zone.fields.values() if f.checked is not None] + [zone.composite]
    document.confidence = round(0.5 + 0.49 * sum(checks) / len(checks), 3)
    return document


def _from_record(record: aamva.Aamva, barcode: Word, doc_pages: list[Page]) -> Document:
    e = record.elements
    doc_type = "idDocument.driverLicense" if record.subfile == "DL" else "idDocument.nationalIdentityCard"
    document = Document(doc_type)
    source = (barcode,)
    values: dict[str, tuple[str, str | None]] = {
        "FirstName": ("string", e.get("DAC") or e.get("DCT")), "LastName": ("string", e.get("DCS")),
        "DocumentNumber": ("string", e.get("DAQ")), "DocumentDiscriminator": ("string", e.get("DCF")),
        "DateOfBirth": ("date", record.date("DBB")), "DateOfExpiration": ("date", record.date("DBA")),
        "DateOfIssue": ("date", record.date("DBD")), "Sex": ("string", aamva.sex(e.get("DBC", ""))),
        "EyeColor": ("string", e.get("DAY")), "HairColor": ("string", e.get("DAZ")),
        "Height": ("string", aamva.height(e.get("DAU", ""))), "Weight": ("string", e.get("DAW")),
        "Region": ("string", e.get("DAJ")), "CountryRegion": ("countryRegion", e.get("DCG") or "USA"),
        "VehicleClassifications": ("string", e.get("DCA")), "Restrictions": ("string", e.get("DCB")),
        "Endorsements": ("string", e.get("DCD")),
    }
    if record.subfile != "DL":
        for name in ("VehicleClassifications", "Restrictions", "Endorsements"):
            values.pop(name)
    for name, (kind, value) in values.items():
        if not value or value == "NONE" and name in ("Restrictions", "Endorsements"):
            continue
        printed = (_printed_date(doc_pages, value, set()) if kind == "date"
                   else () if name in ("CountryRegion", "Region", "Sex", "DocumentDiscriminator")
                   else _printed(doc_pages, value, set()))
        document.fields[name] = _field(kind, value, printed, source, 0.98)
    street = e.get("DAG")
    if street:
        postal = e.get("DAK", "")[:5]
        lines = [street, f"{e.get('DAI', '')}, {e.get('DAJ', '')} {postal}".strip(" ,")]
        printed = tuple(w for line in lines for w in _printed(doc_pages, line, set()))
        address = parse_address(lines)
        document.fields["Address"] = Field("address", address, printed or source, 0.98)
    document.confidence = 0.98
    return document


def _add_printed(document: Document, doc_pages: list[Page], exclude: set[int]) -> None:
    """Fields read by their printed labels only, for those the zone or barcode did not give."""
    for page in doc_pages[:2]:
        segments = [s for s in page.segments if s.line not in exclude]
        for anchor in find_anchors(segments, _LABELS):
            if anchor.name in document.fields:
                continue
            for words, place in candidates(anchor, page):
                words = tuple(w for w in words if w.line not in exclude)
                if not words or starts_with_label(" ".join(w.text for w in words), _ALL_LABELS):
                    continue  # the next label, not a value
                confidence = round(min(0.8, 0.5 + 0.3 * place * mean_confidence(words)), 3)
                if anchor.name in _DATES:
                    found = date_in(words, _US)
                    if found is not None:
                        document.fields[anchor.name] = Field("date", found[0], found[1], confidence)
                        break
                    continue
                if anchor.name == "Sex":
                    if words[0].text.upper() in ("M", "F", "X"):
                        document.fields["Sex"] = Field("string", words[0].text.upper(), words[:1], confidence)
                        break
                    continue
                text = " ".join(w.text for w in words)
                if anchor.name == "DocumentNumber" and not re.search(r"\d", text):
                    continue
                kind = "countryRegion" if anchor.name == "Nationality" else "string"
                value = text if kind == "string" else (mrz.country(_letters(text)) or None)
                document.fields[anchor.name] = Field(kind, value, words, confidence)
                break


def extract_id_document(layout: Layout) -> Document:
    return calibrate("idDocument", _extract(layout))


def _extract(layout: Layout) -> Document:
    doc_pages = pages(layout)
    record = _record(layout)
    if record is not None:
        document = _from_record(*record, doc_pages)
        _add_printed(document, doc_pages, set())
        return document
    zone = _zone(doc_pages)
    if zone is not None:
        return _from_zone(*zone, doc_pages)
    text = " ".join(s.text for page in doc_pages for s in page.segments).lower()
    doc_type = ("idDocument.driverLicense" if re.search(r"driver'?s? licen[cs]e|driving licen[cs]e", text)
                else "idDocument.passport" if "passport" in text
                else "idDocument.nationalIdentityCard" if "identity card" in text else "idDocument")
    document = Document(doc_type)
    _add_printed(document, doc_pages, set())
    document.confidence = 0.5 if document.fields else 0.1
    return document
