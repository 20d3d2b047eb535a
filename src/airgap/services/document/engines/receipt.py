"""prebuilt-receipt: Azure's receipt fields read from a laid-out till receipt.

The merchant is the first prominent line at the top, its address the lines under it, its phone
number the first one phonenumbers accepts there (read in the document's country). The first date
and time printed are the transaction's. Totals follow their labels (labels.RECEIPT, four
languages), a tax printed in a VAT table is read under its column. Items are the lines with a
trailing amount above the first totals label (items.receipt_items).

docType: `receipt.retailMeal` (Azure's type for shop and restaurant receipts) when items or a
total were found, else `receipt`. Confidences as for invoices: label evidence, parsing, OCR
confidence, and whether items, subtotal, tax, tip and total add up; then calibration.py.
"""

from __future__ import annotations

from airgap.services.document.engines.calibration import calibrate
from airgap.services.document.engines.address import looks_like_city_line, parse_address
from airgap.services.document.engines.items import Item, adjust_confidence, item_field, money_amount, receipt_items
from airgap.services.document.engines.labels import RECEIPT, TITLES
from airgap.services.document.engines.parsers import parse_amount
from airgap.services.document.engines.values import (
    amount_in,
    candidates,
    conventions,
    currency_field,
    date_in,
    phone_in,
    time_in,
)
from airgap.services.document.engines.words import (
    Document,
    Field,
    Segment,
    Word,
    find_anchors,
    label_tokens,
    mean_confidence,
    pages,
    starts_with_label,
)
from airgap.services.document.layout import Layout

_TAX_COLUMNS = {"steuer", "mwst", "ust", "tax", "vat", "tva", "iva"}
_STOP = [label for labels in RECEIPT.values() for names in labels.values() for label in names]


def _confidence(place: float, words: tuple[Word, ...]) -> float:
    base = 0.45 + 0.45 * place + 0.05
    return round(max(0.05, min(0.99, base * (0.6 + 0.4 * mean_confidence(words)))), 3)


def extract_receipt(layout: Layout) -> Document:
    doc_pages = pages(layout)
    document = Document("receipt")
    if not any(page.segments for page in doc_pages):
        return document
    page = doc_pages[0]
    anchors = find_anchors(page.segments, RECEIPT)
    conv = conventions(doc_pages, anchors)
    fields = document.fields

    # Merchant: the first line that is no title, with letters; then its address and phone.
    lines = [tuple(sorted(line, key=lambda w: w.box[0])) for line in page.lines]
    header_end = 0
    for index, words in enumerate(lines[:4]):
        text = " ".join(w.text for w in words)
        if any(label_tokens(text) == label_tokens(t) for t in TITLES) or sum(c.isalpha() for c in text) < 3:
            continue
        fields["MerchantName"] = Field("string", text, words, _confidence(0.6, words))
        address: list[tuple[Word, ...]] = []
        ended = False  # the address ends at its city line; the phone number may follow it
        for following in lines[index + 1:index + 6]:
            following_text = " ".join(w.text for w in following)
            phone = phone_in(following, conv)
            if phone is not None:
                fields["MerchantPhoneNumber"] = Field("phoneNumber", phone[0], phone[1], _confidence(0.85, phone[1]))
                header_end = following[0].line
                break
            if date_in(following, conv) or starts_with_label(following_text, _STOP):
                break
            if not ended:
                address.append(following)
                header_end = following[0].line
                ended = looks_like_city_line(following_text)
        if address:
            words_ = tuple(w for line in address for w in line)
            fields["MerchantAddress"] = Field("address", parse_address([" ".join(w.text for w in line)
                                                                        for line in address]),
                                              words_, _confidence(0.6, words_))
        break

    for words in lines:
        if "TransactionDate" not in fields:
            found = date_in(words, conv)
            if found:
                fields["TransactionDate"] = Field("date", found[0], found[1], _confidence(0.75, found[1]))
        if "TransactionTime" not in fields:
            found_time = time_in(words)
            if found_time:
                fields["TransactionTime"] = Field("time", found_time[0], found_time[1],
                                                  _confidence(0.75, found_time[1]))

    first_total = min((a.segment.line for a in anchors), default=lines[-1][0].line + 1)
    for name in ("Subtotal", "TotalTax", "Tip", "Total"):
        for anchor in (a for a in anchors if a.name == name):
            found = None
            for words, place in candidates(anchor, page, down=False):
                found = amount_in(words, conv)
                if found:
                    fields[name] = currency_field(found[0], found[1], conv, _confidence(place, found[1]))
                    break
            if found is None and name == "TotalTax":
                found = _tax_column(anchor.segment, page)
                if found:
                    money = parse_amount(found[0].text, conv.decimal_comma)
                    if money is not None:
                        fields[name] = currency_field(money, found, conv, _confidence(0.8, found))
            if name in fields:
                break

    items = receipt_items(page, header_end, first_total, conv, _STOP)
    if items:
        fields["Items"] = Field("array", [item_field(item, conv.currency, ("Price", "TotalPrice")) for item in items])
    _check_totals(fields, items)
    if items or "Total" in fields:
        document.doc_type = "receipt.retailMeal"
    values = [f.confidence for f in fields.values() if f.confidence is not None]
    coverage = min(1.0, len(fields) / 7)
    document.confidence = round((sum(values) / len(values) if values else 0.0) * (0.4 + 0.6 * coverage), 3)
    return calibrate("receipt", document)


def _tax_column(segment: Segment, page) -> tuple[Word, ...] | None:
    """A VAT table (MwSt Netto Steuer Brutto / the rates under it): the amount under the tax column."""
    heads = [w for w in segment.words if label_tokens(w.text) and label_tokens(w.text)[0] in _TAX_COLUMNS]
    if not heads:
        return None
    head = heads[-1]
    following = [line for line in page.lines if line[0].line > segment.line][:2]
    for line in following:
        under = [w for w in line if min(w.box[2], head.box[2]) - max(w.box[0], head.box[0]) > 0]
        for word in under:
            if parse_amount(word.text) is not None and "%" not in word.text:
                return (word,)
    return None


def _check_totals(fields: dict[str, Field], items: list[Item]) -> None:
    def amount(name: str) -> float | None:
        return money_amount(fields, name)

    def adjust(names: tuple[str, ...], delta: float) -> None:
        adjust_confidence(fields, names, delta)

    sub, tax, tip, total = amount("Subtotal"), amount("TotalTax"), amount("Tip"), amount("Total")
    line_sum = sum(i.amount[0].amount for i in items if i.amount)
    if total is not None:
        # Prices with tax added (US) or included (Europe): either way the total is explained.
        base = sub if sub is not None else line_sum
        explained = any(abs(base + extra + (tip or 0.0) - total) < 0.015 for extra in ((tax or 0.0), 0.0))
        adjust(("Total",), 0.08 if explained else -0.2)
    if sub is not None and items:
        adjust(("Subtotal",), 0.08 if abs(line_sum - sub) < 0.015 else -0.2)
