"""prebuilt-invoice: Azure's invoice fields read from a laid-out document.

Labels (labels.INVOICE, four languages) anchor the identifiers, dates, parties and totals; the
value is the rest of the label's segment, the segment to its right, or the one below it, and
must parse as its type. The vendor is the most prominent line at the top that is no title or
label, its address the lines under it; the customer follows a "Bill to"-style label (or, in a
European letter, the return-address line). Items come from the items table (items.py).

Confidence is evidence, not a constant: a value read beside its label scores higher than one
found by position, OCR confidence scales it, and totals that agree with each other and with the
items (subtotal + tax = total; items add up to the subtotal) raise it, a mismatch lowers it.
That raw score is then mapped to the precision dev showed for it (calibration.py).
"""

from __future__ import annotations

from airgap.services.document.engines.calibration import calibrate
from airgap.services.document.engines.address import looks_like_city_line, parse_address
from airgap.services.document.engines.items import (
    Item,
    adjust_confidence,
    item_field,
    line_items,
    money_amount,
    table_items,
)
from airgap.services.document.engines.labels import AMOUNT_DUE, INVOICE, TITLES
from airgap.services.document.engines.values import (
    Conventions,
    amount_in,
    below,
    candidates,
    conventions,
    right_of,
    currency_field,
    date_in,
)
from airgap.services.document.engines.words import (
    Anchor,
    Document,
    Field,
    Page,
    Segment,
    Word,
    find_anchors,
    has_digit,
    label_tokens,
    mean_confidence,
    pages,
    same_token,
    starts_with_label,
)
from airgap.services.document.layout import Layout

DOC_TYPE = "invoice"
_TOTAL_LABELS = [label for name in ("SubTotal", "TotalTax", "InvoiceTotal") for labels in INVOICE[name].values()
                 for label in labels]


def _confidence(place: float, words: tuple[Word, ...], parsed: bool = True) -> float:
    """Read beside a label (place 1.0 same segment, 0.95 right, 0.85 below; 0.6 by position)."""
    base = 0.45 + 0.45 * place + (0.05 if parsed else -0.2)
    return round(max(0.05, min(0.99, base * (0.6 + 0.4 * mean_confidence(words)))), 3)


def extract_invoice(layout: Layout) -> Document:
    doc_pages = pages(layout)
    document = Document(DOC_TYPE)
    if not any(page.segments for page in doc_pages):
        return document
    by_number = {page.number: page for page in doc_pages}
    segments = [s for page in doc_pages for s in page.segments]
    anchors = find_anchors(segments, INVOICE)
    conv = conventions(doc_pages, anchors)
    fields = document.fields
    table_lines = _table_lines(layout, doc_pages)

    def anchored(name: str) -> list[Anchor]:
        return [a for a in anchors if a.name == name]

    # Identifiers and dates: the first label whose value parses.
    for anchor in anchored("InvoiceId"):
        for words, place in candidates(anchor, by_number[anchor.segment.page]):
            word = next((w for w in words if has_digit(w.text) and len(w.text) <= 30), None)
            if word is not None:
                fields["InvoiceId"] = Field("string", word.text.strip(":"), (word,), _confidence(place, (word,)))
                break
        if "InvoiceId" in fields:
            break
    if "InvoiceId" not in fields:
        # A label OCR garbled around its title word ("N¢e factura:"): a title word, a colon, an id.
        for page in doc_pages:
            for segment in page.segments:
                tokens = label_tokens(segment.text)
                if not segment.text.endswith(":") or len(tokens) > 3 or not any(
                        same_token(t, title) for t in tokens for title in ("invoice", "rechnung", "facture", "factura")):
                    continue
                right = right_of(segment, page)
                word = next((w for w in right.words if has_digit(w.text)), None) if right else None
                if word is not None and "InvoiceId" not in fields:
                    fields["InvoiceId"] = Field("string", word.text, (word,), _confidence(0.6, (word,)))
    for name in ("InvoiceDate", "DueDate"):
        for anchor in anchored(name):
            found = None
            for words, place in candidates(anchor, by_number[anchor.segment.page]):
                found = date_in(words, conv)
                if found:
                    fields[name] = Field("date", found[0], found[1], _confidence(place, found[1]))
                    break
            if found:
                break

    # Totals: amounts beside their label, never under it (a column header is no total).
    for name in ("SubTotal", "TotalTax", "InvoiceTotal"):
        best: tuple[int, Field, str] | None = None
        for anchor in anchored(name):
            for words, place in candidates(anchor, by_number[anchor.segment.page], down=False):
                found = amount_in(words, conv)
                if found:
                    rank = (anchor.segment.line in table_lines, -anchor.segment.line if name == "InvoiceTotal"
                            else anchor.segment.line)
                    if best is None or rank < best[0]:
                        best = (rank, currency_field(found[0], found[1], conv, _confidence(place, found[1])),
                                anchor.label)
                    break
        if best is not None:
            fields[name] = best[1]
            if name == "InvoiceTotal" and best[2] in AMOUNT_DUE:
                fields["AmountDue"] = Field("currency", best[1].value, best[1].words, best[1].confidence)

    _parties(doc_pages, anchors, conv, fields, table_lines)
    items = table_items(layout, doc_pages, conv, _TOTAL_LABELS) or line_items(doc_pages, conv, _TOTAL_LABELS)
    if items:
        fields["Items"] = Field("array", [item_field(item, conv.currency, ("UnitPrice", "Amount"), _clean) for item in items])
    _check_totals(fields, items or [])
    values = [f.confidence for f in fields.values() if f.confidence is not None]
    # A document with few of an invoice's fields is probably no invoice: say so.
    coverage = min(1.0, len(fields) / 8)
    document.confidence = round((sum(values) / len(values) if values else 0.0) * (0.4 + 0.6 * coverage), 3)
    return calibrate("invoice", document)


def _table_lines(layout: Layout, doc_pages: list[Page]) -> set[int]:
    spans = [s for table in layout.tables for s in table.spans]
    return {w.line for page in doc_pages for line in page.lines for w in line
            if any(a <= w.span[0] < b for a, b in spans)}


# -- vendor and customer ---------------------------------------------------------------------------

def _clean(text: str) -> str:
    """A name without the specks OCR reads at its edges (a quote, a bar, a stray semicolon)."""
    return text.strip(" '\"‘’“”`|_;:,")


def _is_title(text: str) -> bool:
    tokens = label_tokens(text)
    return any(tokens == label_tokens(t) for t in TITLES)


def _block(start: Segment, page: Page, limit: int = 3) -> list[Segment]:
    """Address lines under `start`: aligned segments, down to a postal-code line."""
    block: list[Segment] = []
    current = start
    for _ in range(limit):
        nxt = below(current, page, lines=1.6)
        if nxt is None or starts_with_label(nxt.text, _TOTAL_LABELS) or _is_title(nxt.text):
            break
        aligned = min(abs(nxt.box[0] - start.box[0]), abs(nxt.box[2] - start.box[2]),
                      abs((nxt.box[0] + nxt.box[2]) / 2 - (start.box[0] + start.box[2]) / 2))
        if aligned > 2 * start.height:
            break
        line = sorted((s for s in page.segments if s.line == nxt.line), key=lambda s: s.box[0])
        if any(s.text.strip() in ("|", "·", "•") or s.text.startswith(("| ", "· ")) for s in line):
            # A letterhead prints the address on one line: "140 Peachtree Street | Atlanta, GA 30303".
            block += line
            break
        block.append(nxt)
        current = nxt
        if looks_like_city_line(nxt.text):
            break
    if block and not any(has_digit(s.text) for s in block):
        return []
    return block


def _address_field(block: list[Segment], place: float) -> Field | None:
    if not block:
        return None
    lines = []
    for segment in block:
        parts = [p.strip() for p in segment.text.replace("·", "|").replace("•", "|").split("|")]
        lines += [p for p in parts if p]
    words = tuple(w for s in block for w in s.words if w.text not in ("|", "·", "•"))
    value = parse_address(lines)
    return Field("address", value, words, _confidence(place, words, bool(value.get("postalCode"))))


def _parties(doc_pages: list[Page], anchors: list[Anchor], conv: Conventions, fields: dict[str, Field],
             table_lines: set[int]) -> None:
    page = doc_pages[0]
    anchored_segments = {id(a.segment) for a in anchors}
    customer: Segment | None = None
    customer_line: Segment | None = None  # where the customer's address lines start below
    customer_place = 0.0
    for anchor in (a for a in anchors if a.name == "CustomerName" and a.segment.page == page.number):
        if anchor.rest and any(c.isalpha() for w in anchor.rest for c in w.text):
            customer, customer_line, customer_place = Segment(anchor.rest), anchor.segment, 1.0
        else:
            customer = customer_line = below(anchor.segment, page)
            customer_place = 0.85
        if customer is not None:
            break
    # The vendor: the most prominent line in the top third that is no title, label or amount.
    top = [s for s in page.segments if s.box[1] < page.height * 0.35 and id(s) not in anchored_segments
           and s.line not in table_lines and not _is_title(s.text) and sum(c.isalpha() for c in s.text) >= 3
           and sum(c.isdigit() for c in s.text) <= 2 and "@" not in s.text
           and (customer is None or s is not customer and s.words[0] not in customer.words)]
    vendor = max(top, key=lambda s: (round(s.height / page.height, 3), -s.box[1]), default=None)
    if vendor is not None:
        fields["VendorName"] = Field("string", _clean(vendor.text), vendor.words, _confidence(0.6, vendor.words))
        address = _address_field(_block(vendor, page), 0.6)
        if address is not None:
            fields["VendorAddress"] = address
    if customer is None and vendor is not None:
        # No label (a European letter): the recipient is a name over a street and a city line,
        # below the vendor's own block.
        taken = {id(vendor), *(id(s) for s in _block(vendor, page))}
        for segment in sorted(page.segments, key=lambda s: (s.box[1], s.box[0])):
            if (id(segment) in taken or id(segment) in anchored_segments or has_digit(segment.text)
                    or segment.box[1] < vendor.box[1] or segment.box[1] > page.height * 0.45
                    or _is_title(segment.text)):
                continue
            block = _block(segment, page)
            if block and has_digit(block[0].text) and looks_like_city_line(block[-1].text) and not any(
                    id(s) in taken for s in block):
                customer = customer_line = segment
                customer_place = 0.6
                break
    if customer is not None and customer.text:
        fields["CustomerName"] = Field("string", _clean(customer.text), customer.words,
                                       _confidence(customer_place, customer.words))
        address = _address_field(_block(customer_line or customer, page), customer_place)
        if address is not None:
            fields["CustomerAddress"] = address


# -- items and totals ------------------------------------------------------------------------------

def _check_totals(fields: dict[str, Field], items: list[Item]) -> None:
    """Totals that agree raise their confidence; a mismatch lowers it (and the subtotal's)."""
    def amount(name: str) -> float | None:
        return money_amount(fields, name)

    def adjust(names: tuple[str, ...], delta: float) -> None:
        adjust_confidence(fields, names, delta)

    sub, tax, total = amount("SubTotal"), amount("TotalTax"), amount("InvoiceTotal")
    if sub is not None and total is not None:
        agree = abs(sub + (tax or 0.0) - total) < 0.015
        adjust(("SubTotal", "TotalTax", "InvoiceTotal"), 0.08 if agree else -0.25)
    amounts = [i.amount[0].amount for i in items if i.amount]
    if amounts and (sub if sub is not None else total) is not None:
        target = sub if sub is not None else total
        adjust(("SubTotal",) if sub is not None else ("InvoiceTotal",),
               0.05 if abs(sum(amounts) - target) < 0.015 else -0.15)
