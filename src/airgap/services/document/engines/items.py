"""Line items: rows of the items table (ruled, or unruled columns) under a header whose cells
name the columns, or, where layout found no table, lines under such a header line; receipts'
item lines (a description and a trailing amount, maybe a `2 x 3.50` line under it)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from airgap.services.document.engines.labels import COLUMNS, RECEIPT_OTHER
from airgap.services.document.engines.parsers import Money, has_cents, parse_number
from airgap.services.document.engines.values import Conventions, amount_in
from airgap.services.document.engines.words import (
    Field,
    Page,
    Segment,
    Word,
    label_tokens,
    mean_confidence,
    same_tokens,
    starts_with_label,
)
from airgap.services.document.layout import Layout


_TIMES = re.compile(r"^(\d+(?:[.,]\d+)?)?[x×@]$", re.IGNORECASE)  # "2 x 3.50", "2x 3,50", "2 @ 3.50"


@dataclass
class Item:
    description: tuple[Word, ...] = ()
    quantity: tuple[float, tuple[Word, ...]] | None = None
    unit_price: tuple[Money, tuple[Word, ...]] | None = None
    amount: tuple[Money, tuple[Word, ...]] | None = None

    @property
    def words(self) -> tuple[Word, ...]:
        parts = [self.description, *(p[1] for p in (self.quantity, self.unit_price, self.amount) if p)]
        return tuple(sorted({w for part in parts for w in part}, key=lambda w: w.span))

    @property
    def consistent(self) -> bool | None:
        """Whether quantity x unit price = amount; None when one of them is missing."""
        if not (self.quantity and self.unit_price and self.amount):
            return None
        return abs(self.quantity[0] * self.unit_price[0].amount - self.amount[0].amount) < 0.015


def _column(text: str) -> str | None:
    tokens = label_tokens(text)
    for name, labels in COLUMNS.items():
        if any(same_tokens(tokens, label_tokens(label)) for label in labels):
            return name
    return None


def _quantity(words: tuple[Word, ...], conv: Conventions) -> tuple[float, tuple[Word, ...]] | None:
    for word in words:
        value = parse_number(word.text.rstrip("x×"), conv.decimal_comma)
        if value is not None and value > 0:
            return value, (word,)
    return None


def _fill(item: Item, name: str, words: tuple[Word, ...], conv: Conventions) -> None:
    if not words:
        return
    if name == "Description":
        item.description = item.description + words
    elif name == "Quantity":
        item.quantity = item.quantity or _quantity(words, conv)
    elif name == "UnitPrice":
        item.unit_price = item.unit_price or amount_in(words, conv, cents=False)
    elif name == "Amount":
        item.amount = item.amount or amount_in(words, conv, cents=False)


def _rows(rows: list[dict[str, tuple[Word, ...]]], stop: list[str], conv: Conventions) -> list[Item]:
    items: list[Item] = []
    for cells in rows:
        description = cells.get("Description", ())
        row_words = sorted((w for words in cells.values() for w in words), key=lambda w: w.box[0])
        text = " ".join(w.text for w in row_words)
        item = Item()
        for name, words in cells.items():
            _fill(item, name, words, conv)
        # A totals line ends the items; "VAT return" with a quantity and a price is an item.
        if row_words and starts_with_label(text, stop) and not (item.quantity and item.unit_price):
            break
        if item.amount is None and item.unit_price is None and item.quantity is None:
            if description and items:  # a description running on to a second line
                items[-1].description = items[-1].description + description
            continue
        if not item.description or item.amount is None and item.unit_price is None:
            continue
        items.append(item)
    return items


def table_items(layout: Layout, pages: list[Page], conv: Conventions, stop: list[str]) -> list[Item] | None:
    """Items from the first table whose header row names a description and an amount column."""
    words = {w.span: w for page in pages for line in page.lines for w in line}
    for table in layout.tables:
        header = {c.column: _column(c.text) for c in table.cells if c.row == 0}
        names = set(header.values()) - {None}
        if "Amount" not in names or len(names) < 2:
            continue
        rows: dict[int, dict[str, tuple[Word, ...]]] = {}
        for cell in table.cells:
            name = header.get(cell.column)
            if cell.row == 0 or name is None:
                continue
            inside = tuple(sorted((w for span, w in words.items() if any(a <= span[0] and span[1] <= b
                                                                          for a, b in cell.spans)),
                                  key=lambda w: w.span))
            rows.setdefault(cell.row, {})[name] = rows.get(cell.row, {}).get(name, ()) + inside
        items = _rows([rows[r] for r in sorted(rows)], stop, conv)
        if items:
            return items
    return None


def line_items(pages: list[Page], conv: Conventions, stop: list[str]) -> list[Item] | None:
    """Items under a header line naming at least two columns (one of them the amount), read by
    which header each segment lies under, down to the first totals label."""
    for page in pages:
        for index, line in enumerate(page.lines):
            segments = _segments_of(page, line)
            named = [(s, _column(s.text)) for s in segments]
            columns = [(s, n) for s, n in named if n]
            if len({n for _, n in columns}) < 2 or "Amount" not in {n for _, n in columns}:
                continue
            rows = []
            for below in page.lines[index + 1:]:
                cells: dict[str, tuple[Word, ...]] = {}
                for segment in _segments_of(page, below):
                    name = _nearest(segment, columns)
                    cells[name] = cells.get(name, ()) + segment.words
                rows.append(cells)
            items = _rows(rows, stop, conv)
            if items:
                return items
    return None


def _segments_of(page: Page, line: list[Word]) -> list[Segment]:
    ids = {id(w) for w in line}
    return [s for s in page.segments if id(s.words[0]) in ids]


def _nearest(segment: Segment, columns: list[tuple[Segment, str]]) -> str:
    left, _, right, _ = segment.box
    centre = (left + right) / 2

    def distance(entry: tuple[Segment, str]) -> float:
        header = entry[0].box
        if header[0] <= centre <= header[2]:
            return 0.0
        return min(abs(header[0] - left), abs(header[2] - right), abs((header[0] + header[2]) / 2 - centre))

    return min(columns, key=distance)[1]


# -- receipts --------------------------------------------------------------------------------------

def receipt_items(page: Page, start_line: int, end_line: int, conv: Conventions,
                  stop: list[str]) -> list[Item]:
    """Lines between the header block and the first totals label: a description, maybe a leading
    quantity ("2 Cheeseburger"), and a trailing amount; a "2 x 3.50" / "2 @ 3.50" line under an
    item gives its quantity and unit price."""
    items: list[Item] = []
    for line in page.lines:
        if not start_line < line[0].line < end_line:
            continue
        words = tuple(sorted(line, key=lambda w: w.box[0]))
        text = " ".join(w.text for w in words)
        if starts_with_label(text, stop + RECEIPT_OTHER) or set(text) <= set("-=*_ "):
            continue
        times = [i for i, w in enumerate(words) if _TIMES.match(w.text)]
        if times and items and items[-1].quantity is None and times[0] <= 1:
            i = times[0]
            quantity = _quantity(words[:i + 1], conv)
            price = amount_in(words[i + 1:], conv, cents=False)
            if quantity and price and not (len(words) > i + 2 and has_cents(words[-1].text) and items[-1].amount is None):
                items[-1].quantity, items[-1].unit_price = quantity, price
                continue
        found = amount_in(words, conv)
        if found is None or found[1][-1] is not words[-1] and not (
                len(words) >= 2 and found[1][-1] is words[-2] and len(words[-1].text) <= 2):
            continue  # an item line ends with its amount (maybe a tax code letter after it)
        money, amount_words = found
        rest = tuple(w for w in words if w.box[2] <= amount_words[0].box[0] and w not in amount_words)
        item = Item(amount=(money, amount_words))
        if len(rest) >= 2:
            quantity = parse_number(rest[0].text.rstrip("x×"), conv.decimal_comma)
            if quantity is not None and quantity == int(quantity) and 0 < quantity < 100:
                item.quantity = (quantity, (rest[0],))
                rest = rest[1:]
        if not rest or not any(c.isalpha() for w in rest for c in w.text):
            continue
        item.description = rest
        items.append(item)
    return items


def item_confidence(item: Item) -> float:
    base = 0.6 + 0.15 * bool(item.description) + 0.1 * bool(item.quantity)
    consistent = item.consistent
    if consistent is True:
        base += 0.15
    elif consistent is False:
        base -= 0.25
    return round(max(0.05, min(0.99, base * (0.5 + 0.5 * mean_confidence(item.words)))), 3)


def item_field(item: Item, currency: str | None, prices: tuple[str, str],
               describe: Callable[[str], str] = lambda text: text) -> Field:
    """An item as Azure's ``valueObject``: Description, Quantity and the two price fields, named
    per model (``("UnitPrice", "Amount")`` on invoices, ``("Price", "TotalPrice")`` on receipts)."""
    confidence = item_confidence(item)
    values: dict[str, Field] = {}
    if item.description:
        values["Description"] = Field("string", describe(" ".join(w.text for w in item.description)),
                                      item.description, confidence)
    if item.quantity:
        values["Quantity"] = Field("number", item.quantity[0], item.quantity[1], confidence)
    for name, found in zip(prices, (item.unit_price, item.amount)):
        if found is not None:
            money = found[0]
            values[name] = Field("currency", Money(money.amount, money.symbol, money.code or currency), found[1],
                                 confidence)
    return Field("object", values, item.words, confidence)


def money_amount(fields: dict[str, Field], name: str) -> float | None:
    found = fields.get(name)
    return found.value.amount if found is not None and isinstance(found.value, Money) else None


def adjust_confidence(fields: dict[str, Field], names: tuple[str, ...], delta: float) -> None:
    """Totals that agree with each other (or with the items) raise their confidence; a mismatch lowers it."""
    for name in names:
        found = fields.get(name)
        if found is not None and found.confidence is not None:
            found.confidence = round(max(0.05, min(0.99, found.confidence + delta)), 3)
