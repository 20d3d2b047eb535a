"""Renders the invoice and receipt evaluation sets (issue 17) as PDFs and scanned images.

The truth is hand-written in `invoices.jsonl` (40 invoices, 8 layouts, en/de/fr/es) and
`receipts.jsonl` (32 receipts, 4 layouts, en/de/fr): the field values Azure's prebuilt-invoice
and prebuilt-receipt return (`fields`, amounts as numbers, dates ISO, times hh:mm:ss, phone
numbers as printed with their country code), and how each document is printed: `layout`,
`lang`, `medium` (`pdf`: born-digital with a text layer; `png`: a 200 dpi scan) and `noise`
(none, gaussian, blur, jpeg, salt-pepper; scans only). Arithmetic is consistent (line amounts,
subtotal, tax at `tax_rate`, total); `check` verifies it.

A layout writes a list of drawing operations in points (text with size, weight and alignment,
ruling lines); two printers turn that list into a PDF (the standard 14 fonts, WinAnsi) or a
Pillow page (TrueType faces from /usr/share/fonts, chosen by the row), so one layout gives a
born-digital and a scanned document. Rendering is deterministic: the only randomness is the
noise, drawn from a generator seeded with the row id.

Split: within each layout, rows alternate dev, heldout (by id), so every layout, language and
medium lies on both sides.

Usage:
    python tests/data/quality/invoices.py              # check the rows, print the counts
    python tests/data/quality/invoices.py --out DIR    # also write DIR/<id>.pdf|png (dev only
                                                       # unless --heldout is given)
"""

from __future__ import annotations

import argparse
import io
import json
import zlib
from collections import Counter
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

HERE = Path(__file__).resolve().parent
INVOICES = HERE / "invoices.jsonl"
RECEIPTS = HERE / "receipts.jsonl"
SPLITS = ("dev", "heldout")
NOISES = ("none", "gaussian", "blur", "jpeg", "salt-pepper")
LETTER = (612.0, 792.0)
RECEIPT_WIDTH = 230.0  # 3.2 in: an 80 mm till roll
DPI = 200

FONT_ROOT = Path("/usr/share/fonts/truetype")
# Scans cycle through these faces (Debian fonts-dejavu-core, fonts-liberation2, fonts-freefont-ttf).
SANS_FACES = [("dejavu/DejaVuSans.ttf", "dejavu/DejaVuSans-Bold.ttf"),
              ("liberation2/LiberationSans-Regular.ttf", "liberation2/LiberationSans-Bold.ttf"),
              ("freefont/FreeSans.ttf", "freefont/FreeSansBold.ttf"),
              ("liberation2/LiberationSerif-Regular.ttf", "liberation2/LiberationSerif-Bold.ttf"),
              ("dejavu/DejaVuSerif.ttf", "dejavu/DejaVuSerif-Bold.ttf")]
MONO_FACES = [("dejavu/DejaVuSansMono.ttf", "dejavu/DejaVuSansMono-Bold.ttf"),
              ("liberation2/LiberationMono-Regular.ttf", "liberation2/LiberationMono-Bold.ttf"),
              ("freefont/FreeMonoBold.ttf", "freefont/FreeMonoBold.ttf")]
# Widths for the PDF printer: Liberation is metric-compatible with Helvetica and Courier.
PDF_METRICS = {("sans", False): "liberation2/LiberationSans-Regular.ttf",
               ("sans", True): "liberation2/LiberationSans-Bold.ttf",
               ("mono", False): "liberation2/LiberationMono-Regular.ttf",
               ("mono", True): "liberation2/LiberationMono-Bold.ttf"}
PDF_FONTS = {("sans", False): ("F1", "Helvetica"), ("sans", True): ("F2", "Helvetica-Bold"),
             ("mono", False): ("F3", "Courier"), ("mono", True): ("F4", "Courier-Bold")}


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # baseline-free: the top of the line box, in points from the page top
    text: str
    size: float = 10.0
    bold: bool = False
    align: str = "left"  # left | right | center (x is the right edge or the centre)


@dataclass(frozen=True)
class Rule:
    x1: float
    y1: float
    x2: float
    y2: float


# -- formats ---------------------------------------------------------------------------------------

MONTHS = {"en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                 "October", "November", "December"]}


def amount(value: float, style: str, symbol: str = "") -> str:
    """`value` as printed: en 1,234.56 / de,es 1.234,56 / fr 1 234,56, with an optional symbol."""
    text = f"{value:,.2f}"
    if style in ("de", "es"):
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    elif style == "fr":
        text = text.replace(",", " ").replace(".", ",")
    if not symbol:
        return text
    return f"{symbol}{text}" if symbol in ("$", "£") else f"{text} {symbol}"


def quantity(value: float, style: str) -> str:
    text = f"{value:g}"
    return text.replace(".", ",") if style in ("de", "fr", "es") else text


def day(iso: str, style: str) -> str:
    d = date.fromisoformat(iso)
    month = MONTHS["en"][d.month - 1]
    return {"us": f"{d.month:02d}/{d.day:02d}/{d.year}", "eu": f"{d.day:02d}/{d.month:02d}/{d.year}",
            "de": f"{d.day:02d}.{d.month:02d}.{d.year}", "iso": iso, "long": f"{month} {d.day}, {d.year}",
            "short": f"{month[:3]} {d.day}, {d.year}", "uk": f"{d.day} {month} {d.year}"}[style]


def clock(iso: str, style: str) -> str:
    t = time.fromisoformat(iso)
    if style == "12h":
        return f"{(t.hour - 1) % 12 + 1}:{t.minute:02d} {'AM' if t.hour < 12 else 'PM'}"
    return f"{t.hour:02d}:{t.minute:02d}"


def rate_text(rate: float, style: str) -> str:
    return quantity(rate, style)


# -- invoice layouts -------------------------------------------------------------------------------

L, R = 54.0, 558.0  # the text block of a Letter page with 0.75 in margins


def _lines(x: float, y: float, lines: list[str], size: float = 10.0, step: float = 14.0, align: str = "left",
           bold_first: bool = False) -> tuple[list[Text], float]:
    ops = [Text(x, y + i * step, line, size, bold_first and i == 0, align) for i, line in enumerate(lines)]
    return ops, y + len(lines) * step


def _grid(top: float, xs: list[float], rows: list[list[str]], aligns: list[str], height: float = 20.0,
          ruled: bool = True) -> tuple[list, float]:
    """A table: `xs` are the column edges; the first row is the header (bold)."""
    ops: list = []
    for r, row in enumerate(rows):
        y = top + r * height
        for c, cell in enumerate(row):
            if not cell:
                continue
            right = aligns[c] == "right"
            x = xs[c + 1] - 6 if right else xs[c] + 6
            ops.append(Text(x, y + (height - 10) / 2, cell, 10, r == 0, "right" if right else "left"))
    bottom = top + len(rows) * height
    if ruled:
        ops += [Rule(xs[0], top + r * height, xs[-1], top + r * height) for r in range(len(rows) + 1)]
        ops += [Rule(x, top, x, bottom) for x in xs]
    return ops, bottom


def _totals(top: float, label_x: float, pairs: list[tuple[str, str]], bold_last: bool = True,
            step: float = 16.0) -> tuple[list[Text], float]:
    ops = []
    for i, (label, value) in enumerate(pairs):
        bold = bold_last and i == len(pairs) - 1
        ops.append(Text(label_x, top + i * step, label, 10, bold))
        ops.append(Text(R, top + i * step, value, 10, bold, "right"))
    return ops, top + len(pairs) * step


def invoice_ops(row: dict) -> list:
    f, layout, rate = row["fields"], row["layout"], row["tax_rate"]
    items = f["Items"]
    ops: list = []
    if layout == "classic":
        ops.append(Text(L, 56, f["VendorName"], 16, True))
        ops += _lines(L, 80, f["VendorAddress"])[0]
        ops.append(Text(R, 54, "INVOICE", 22, True, "right"))
        for i, (label, value) in enumerate([("Invoice No:", f["InvoiceId"]), ("Date:", day(f["InvoiceDate"], "us")),
                                            ("Due Date:", day(f["DueDate"], "us"))]):
            ops += [Text(390, 100 + i * 15, label, 10, True), Text(R, 100 + i * 15, value, 10, False, "right")]
        ops.append(Text(L, 160, "Bill To:", 10, True))
        ops += _lines(L, 176, [f["CustomerName"], *f["CustomerAddress"]])[0]
        rows = [["Description", "Qty", "Unit Price", "Amount"]] + [
            [i["Description"], quantity(i["Quantity"], "en"), amount(i["UnitPrice"], "en"), amount(i["Amount"], "en")]
            for i in items]
        table, bottom = _grid(250, [L, 300, 360, 460, R], rows, ["left", "right", "right", "right"])
        ops += table
        ops += _totals(bottom + 16, 400, [("Subtotal", amount(f["SubTotal"], "en", "$")),
                                          (f"Tax ({rate_text(rate, 'en')}%)", amount(f["TotalTax"], "en", "$")),
                                          ("Total", amount(f["InvoiceTotal"], "en", "$"))])[0]
        ops += [Text(L, 700, "Thank you for your business!", 10), Text(L, 714, "Payment terms: Net 30 days", 9)]
    elif layout == "modern":
        ops.append(Text(L, 50, "Invoice", 28, True))
        ops.append(Text(R, 54, f["VendorName"], 12, True, "right"))
        ops += _lines(R, 70, f["VendorAddress"], align="right")[0]
        for i, (label, value) in enumerate([("Invoice #", f["InvoiceId"]), ("Invoice Date", day(f["InvoiceDate"], "long")),
                                            ("Payment Due", day(f["DueDate"], "long"))]):
            ops += [Text(L, 130 + i * 16, label, 10, True), Text(150, 130 + i * 16, value, 10)]
        ops.append(Text(350, 130, "Billed To", 10, True))
        ops += _lines(350, 146, [f["CustomerName"], *f["CustomerAddress"]])[0]
        rows = [["Item", "Quantity", "Rate", "Amount"]] + [
            [i["Description"], quantity(i["Quantity"], "en"), amount(i["UnitPrice"], "en", "$"),
             amount(i["Amount"], "en", "$")] for i in items]
        table, bottom = _grid(240, [L, 310, 380, 470, R], rows, ["left", "right", "right", "right"], ruled=False)
        ops += table
        ops += _totals(bottom + 24, 380, [("Sub Total", amount(f["SubTotal"], "en", "$")),
                                          (f"Sales Tax ({rate_text(rate, 'en')}%)", amount(f["TotalTax"], "en", "$")),
                                          ("Total Due", amount(f["InvoiceTotal"], "en", "$"))])[0]
        ops.append(Text(L, 720, "Please make checks payable to " + f["VendorName"] + ".", 9))
    elif layout == "stacked":
        ops.append(Text(L, 54, f["VendorName"], 15, True))
        ops += _lines(L, 76, f["VendorAddress"])[0]
        ops.append(Text(R, 54, "INVOICE", 20, True, "right"))
        for x, label, value in [(L, "INVOICE NUMBER", f["InvoiceId"]), (230, "INVOICE DATE", day(f["InvoiceDate"], "short")),
                                (400, "DUE DATE", day(f["DueDate"], "short"))]:
            ops += [Text(x, 140, label, 9, True), Text(x, 156, value, 10)]
        ops.append(Text(L, 192, "BILL TO", 9, True))
        ops += _lines(L, 208, [f["CustomerName"], *f["CustomerAddress"]])[0]
        rows = [["DESCRIPTION", "QTY", "PRICE", "TOTAL"]] + [
            [i["Description"], quantity(i["Quantity"], "en"), amount(i["UnitPrice"], "en"), amount(i["Amount"], "en")]
            for i in items]
        table, bottom = _grid(280, [L, 320, 380, 470, R], rows, ["left", "right", "right", "right"])
        ops += table
        ops += _totals(bottom + 16, 400, [("SUBTOTAL", amount(f["SubTotal"], "en", "$")),
                                          (f"TAX {rate_text(rate, 'en')}%", amount(f["TotalTax"], "en", "$")),
                                          ("TOTAL", amount(f["InvoiceTotal"], "en", "$"))])[0]
    elif layout == "de":
        ops.append(Text(R, 54, f["VendorName"], 14, True, "right"))
        ops += _lines(R, 74, f["VendorAddress"], align="right")[0]
        ops.append(Text(L, 130, " · ".join([f["VendorName"], *f["VendorAddress"]]), 7))
        ops += _lines(L, 146, [f["CustomerName"], *f["CustomerAddress"]])[0]
        for i, (label, value) in enumerate([("Rechnungsnummer:", f["InvoiceId"]),
                                            ("Rechnungsdatum:", day(f["InvoiceDate"], "de")),
                                            ("Fälligkeitsdatum:", day(f["DueDate"], "de"))]):
            ops += [Text(370, 146 + i * 15, label, 10), Text(R, 146 + i * 15, value, 10, False, "right")]
        ops.append(Text(L, 230, "Rechnung", 18, True))
        rows = [["Pos.", "Beschreibung", "Menge", "Einzelpreis", "Gesamt"]] + [
            [str(n), i["Description"], quantity(i["Quantity"], "de"), amount(i["UnitPrice"], "de", "€"),
             amount(i["Amount"], "de", "€")] for n, i in enumerate(items, 1)]
        table, bottom = _grid(270, [L, 90, 300, 360, 460, R], rows, ["left", "left", "right", "right", "right"])
        ops += table
        ops += _totals(bottom + 16, 380, [("Zwischensumme", amount(f["SubTotal"], "de", "€")),
                                          (f"MwSt. {rate_text(rate, 'de')} %", amount(f["TotalTax"], "de", "€")),
                                          ("Gesamtbetrag", amount(f["InvoiceTotal"], "de", "€"))])[0]
        ops.append(Text(L, 690, f"Bitte überweisen Sie den Betrag bis zum {day(f['DueDate'], 'de')}.", 9))
        ops.append(Text(L, 704, "Bankverbindung: IBAN DE89 3704 0044 0532 0130 00", 9))
    elif layout == "fr":
        ops.append(Text(L, 54, f["VendorName"], 15, True))
        ops += _lines(L, 76, f["VendorAddress"])[0]
        ops.append(Text(R, 54, "FACTURE", 20, True, "right"))
        for i, (label, value) in enumerate([("Facture n° :", f["InvoiceId"]), ("Date :", day(f["InvoiceDate"], "eu")),
                                            ("Échéance :", day(f["DueDate"], "eu"))]):
            ops += [Text(390, 100 + i * 15, label, 10), Text(R, 100 + i * 15, value, 10, False, "right")]
        ops.append(Text(L, 160, "Client :", 10, True))
        ops += _lines(L, 176, [f["CustomerName"], *f["CustomerAddress"]])[0]
        rows = [["Désignation", "Quantité", "Prix unitaire", "Montant"]] + [
            [i["Description"], quantity(i["Quantity"], "fr"), amount(i["UnitPrice"], "fr"), amount(i["Amount"], "fr")]
            for i in items]
        table, bottom = _grid(250, [L, 300, 370, 470, R], rows, ["left", "right", "right", "right"], ruled=False)
        ops += table
        ops += _totals(bottom + 24, 400, [("Total HT", amount(f["SubTotal"], "fr", "€")),
                                          (f"TVA {rate_text(rate, 'fr')} %", amount(f["TotalTax"], "fr", "€")),
                                          ("Total TTC", amount(f["InvoiceTotal"], "fr", "€"))])[0]
        ops.append(Text(L, 700, "Conditions de paiement : 30 jours. Pénalités de retard : 3 fois le taux légal.", 8))
    elif layout == "es":
        ops.append(Text(L, 54, f["VendorName"], 14, True))
        ops += _lines(L, 74, f["VendorAddress"])[0]
        ops.append(Text(R, 54, "FACTURA", 22, True, "right"))
        for i, (label, value) in enumerate([("Nº factura:", f["InvoiceId"]), ("Fecha:", day(f["InvoiceDate"], "eu")),
                                            ("Vencimiento:", day(f["DueDate"], "eu"))]):
            ops += [Text(L, 130 + i * 15, label, 10, True), Text(140, 130 + i * 15, value, 10)]
        ops.append(Text(340, 130, "Cliente", 10, True))
        ops += _lines(340, 146, [f["CustomerName"], *f["CustomerAddress"]])[0]
        rows = [["Descripción", "Cantidad", "Precio", "Importe"]] + [
            [i["Description"], quantity(i["Quantity"], "es"), amount(i["UnitPrice"], "es", "€"),
             amount(i["Amount"], "es", "€")] for i in items]
        table, bottom = _grid(230, [L, 310, 370, 465, R], rows, ["left", "right", "right", "right"])
        ops += table
        ops += _totals(bottom + 16, 390, [("Base imponible", amount(f["SubTotal"], "es", "€")),
                                          (f"IVA ({rate_text(rate, 'es')}%)", amount(f["TotalTax"], "es", "€")),
                                          ("Total factura", amount(f["InvoiceTotal"], "es", "€"))])[0]
        ops.append(Text(L, 700, "Forma de pago: transferencia bancaria a 30 días.", 9))
    elif layout == "uk":
        ops.append(Text(L, 52, "TAX INVOICE", 20, True))
        ops.append(Text(R, 54, f["VendorName"], 12, True, "right"))
        ops += _lines(R, 70, f["VendorAddress"], align="right")[0]
        ops.append(Text(L, 130, "Invoice to:", 10, True))
        ops += _lines(L, 146, [f["CustomerName"], *f["CustomerAddress"]])[0]
        for i, (label, value) in enumerate([("Invoice number", f["InvoiceId"]),
                                            ("Invoice date", day(f["InvoiceDate"], "uk")),
                                            ("Due date", day(f["DueDate"], "uk"))]):
            ops += [Text(350, 130 + i * 15, label, 10), Text(R, 130 + i * 15, value, 10, False, "right")]
        rows = [["Qty", "Description", "Unit price", "Line total"]] + [
            [quantity(i["Quantity"], "en"), i["Description"], amount(i["UnitPrice"], "en", "£"),
             amount(i["Amount"], "en", "£")] for i in items]
        table, bottom = _grid(230, [L, 100, 360, 460, R], rows, ["right", "left", "right", "right"])
        ops += table
        ops += _totals(bottom + 16, 390, [("Net total", amount(f["SubTotal"], "en", "£")),
                                          (f"VAT @ {rate_text(rate, 'en')}%", amount(f["TotalTax"], "en", "£")),
                                          ("Total payable", amount(f["InvoiceTotal"], "en", "£"))])[0]
        ops.append(Text(L, 710, "VAT registration number: GB 294 7710 38", 9))
    elif layout == "letterhead":
        ops.append(Text(306, 48, f["VendorName"], 18, True, "center"))
        ops.append(Text(306, 72, "   |   ".join(f["VendorAddress"]), 9, False, "center"))
        ops.append(Rule(L, 90, R, 90))
        for i, (label, value) in enumerate([("Invoice Number:", f["InvoiceId"]), ("Issue Date:", day(f["InvoiceDate"], "iso")),
                                            ("Due:", day(f["DueDate"], "iso"))]):
            ops.append(Text(L, 116 + i * 14, f"{label} {value}", 10))
        ops.append(Text(L, 176, f"Customer: {f['CustomerName']}", 10))
        ops += _lines(L, 190, f["CustomerAddress"])[0]
        rows = [["Description", "Hours", "Rate", "Amount"]] + [
            [i["Description"], quantity(i["Quantity"], "en"), amount(i["UnitPrice"], "en"), amount(i["Amount"], "en")]
            for i in items]
        table, bottom = _grid(250, [L, 320, 390, 470, R], rows, ["left", "right", "right", "right"], ruled=False)
        ops += table
        ops += _totals(bottom + 24, 400, [("Subtotal", amount(f["SubTotal"], "en", "$")),
                                          ("Sales tax", amount(f["TotalTax"], "en", "$")),
                                          ("Grand Total", amount(f["InvoiceTotal"], "en", "$"))])[0]
    else:
        raise ValueError(f"{row['id']}: unknown layout {layout!r}")
    return ops


# -- receipt layouts -------------------------------------------------------------------------------

RL, RR, RC = 12.0, RECEIPT_WIDTH - 12.0, RECEIPT_WIDTH / 2


def _national(phone: str, lang: str) -> str:
    """The number as a shop prints it: (212) 555-0147, 030 3125578, 04 91 54 23 17."""
    if lang == "de" and phone.startswith("+49 "):
        return "0" + phone[4:]
    return phone


def receipt_ops(row: dict) -> tuple[list, float]:
    f, layout, rate, lang = row["fields"], row["layout"], row["tax_rate"], row["lang"]
    style = {"en": "en", "de": "de", "fr": "fr"}[lang]
    ops: list = [Text(RC, 14, f["MerchantName"], 11, True, "center")]
    y = 32.0
    for line in f["MerchantAddress"]:
        ops.append(Text(RC, y, line, 8, False, "center"))
        y += 11
    phone = _national(f["MerchantPhoneNumber"], lang)
    ops.append(Text(RC, y, {"en": f"Tel {phone}", "de": f"Tel. {phone}", "fr": f"Tél : {phone}"}[lang], 8, False,
                    "center"))
    y += 20

    def pair(label: str, value: str, bold: bool = False) -> None:
        nonlocal y
        ops.append(Text(RL, y, label, 8, bold))
        ops.append(Text(RR, y, value, 8, bold, "right"))
        y += 11

    def dashes() -> None:
        nonlocal y
        ops.append(Text(RL, y, "-" * 34, 8))
        y += 11

    when_date, when_time = f["TransactionDate"], f["TransactionTime"]
    if layout == "us-retail":
        pair(day(when_date, "us"), clock(when_time, "12h"))
        dashes()
        for item in f["Items"]:
            pair(item["Description"], amount(item["TotalPrice"], style))
            if item["Quantity"] != 1:
                ops.append(Text(RL + 12, y, f"{quantity(item['Quantity'], style)} @ {amount(item['Price'], style)}", 8))
                y += 11
        dashes()
        pair("SUBTOTAL", amount(f["Subtotal"], style))
        pair(f"TAX {rate_text(rate, style)}%", amount(f["TotalTax"], style))
        pair("TOTAL", amount(f["Total"], style, "$"), True)
        pair("VISA ****4417", amount(f["Total"], style))
        y += 8
        ops.append(Text(RC, y, "THANK YOU FOR SHOPPING", 8, False, "center"))
        y += 11
    elif layout == "us-restaurant":
        pair("Server: Dana", "Table 12")
        pair(day(when_date, "short"), clock(when_time, "12h"))
        dashes()
        for item in f["Items"]:
            pair(f"{quantity(item['Quantity'], style)} {item['Description']}", amount(item["TotalPrice"], style))
        dashes()
        pair("Subtotal", amount(f["Subtotal"], style))
        pair("Tax", amount(f["TotalTax"], style))
        pair("Tip", amount(f["Tip"], style))
        pair("Total", amount(f["Total"], style, "$"), True)
        y += 8
        ops.append(Text(RC, y, "Thank you, come again!", 8, False, "center"))
        y += 11
    elif layout == "de-kassenbon":
        ops.append(Text(RR, y, "EUR", 8, False, "right"))
        y += 11
        for item in f["Items"]:
            pair(item["Description"], amount(item["TotalPrice"], style) + " A")
            if item["Quantity"] != 1:
                ops.append(Text(RL + 12, y, f"{quantity(item['Quantity'], style)} x {amount(item['Price'], style)}", 8))
                y += 11
        dashes()
        pair("Zwischensumme", amount(f["Subtotal"], style))
        pair("SUMME EUR", amount(f["Total"], style), True)
        pair("Karte", amount(f["Total"], style))
        y += 6
        net = f["Total"] - f["TotalTax"]
        ops.append(Text(RL, y, "MwSt    Netto   Steuer   Brutto", 8))
        y += 11
        ops.append(Text(RL, y, f"A {rate_text(rate, style)}%  {amount(net, style)}  {amount(f['TotalTax'], style)}  "
                               f"{amount(f['Total'], style)}", 8))
        y += 17
        pair(f"{day(when_date, 'de')} {clock(when_time, '24h')}", "Bon 4711")
        ops.append(Text(RC, y + 6, "Vielen Dank für Ihren Einkauf", 8, False, "center"))
        y += 17
    elif layout == "fr-ticket":
        ops.append(Text(RL, y, f"Le {day(when_date, 'eu')} à {clock(when_time, '24h')}", 8))
        y += 14
        dashes()
        for item in f["Items"]:
            pair(item["Description"], amount(item["TotalPrice"], style, "€"))
            if item["Quantity"] != 1:
                ops.append(Text(RL + 12, y, f"{quantity(item['Quantity'], style)} x {amount(item['Price'], style)}", 8))
                y += 11
        dashes()
        pair("Sous-total", amount(f["Subtotal"], style))
        pair("TOTAL TTC", amount(f["Total"], style, "€"), True)
        pair(f"dont TVA {rate_text(rate, style)} %", amount(f["TotalTax"], style))
        pair("Carte bancaire", amount(f["Total"], style))
        y += 8
        ops.append(Text(RC, y, "Merci de votre visite", 8, False, "center"))
        y += 11
    else:
        raise ValueError(f"{row['id']}: unknown layout {layout!r}")
    return ops, y + 18


# -- printers --------------------------------------------------------------------------------------

def _metrics(path: str, size: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_ROOT / path), max(1, round(size * 20)))


def pdf(ops: list, size: tuple[float, float], family: str) -> bytes:
    """A born-digital PDF: standard fonts (WinAnsi) for the text, line operators for the rules."""
    width, height = size
    stream: list[bytes] = [b"0.8 w"]
    measure: dict = {}
    for op in ops:
        if isinstance(op, Rule):
            stream.append(f"{op.x1:.2f} {height - op.y1:.2f} m {op.x2:.2f} {height - op.y2:.2f} l S".encode())
            continue
        key = (family, op.bold)
        font = measure.setdefault((key, op.size), _metrics(PDF_METRICS[key], op.size))
        w = font.getlength(op.text) / 20
        x = op.x - (w if op.align == "right" else w / 2 if op.align == "center" else 0)
        baseline = height - op.y - op.size * 0.8
        text = op.text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("cp1252")
        stream.append(b"BT /%s %.1f Tf %.2f %.2f Td (" % (PDF_FONTS[key][0].encode(), op.size, x, baseline) + text
                      + b") Tj ET")
    body = zlib.compress(b"\n".join(stream))
    fonts = " ".join(f"/{ref} {5 + i} 0 R" for i, (ref, _) in enumerate(PDF_FONTS.values()))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width:.0f} {height:.0f}] /Resources << /Font << "
               f"{fonts} >> >> /Contents 4 0 R >>".encode(),
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(body) + body + b"\nendstream"]
    objects += [f"<< /Type /Font /Subtype /Type1 /BaseFont /{name} /Encoding /WinAnsiEncoding >>".encode()
                for _, name in PDF_FONTS.values()]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def scan(ops: list, size: tuple[float, float], faces: tuple[str, str], noise: str, seed: str) -> bytes:
    """A grey-scale PNG at 200 dpi, printed in `faces` (regular, bold) and degraded by `noise`."""
    scale = DPI / 72.0
    page = Image.new("L", (round(size[0] * scale), round(size[1] * scale)), 255)
    draw = ImageDraw.Draw(page)
    loaded: dict = {}
    for op in ops:
        if isinstance(op, Rule):
            draw.line([(op.x1 * scale, op.y1 * scale), (op.x2 * scale, op.y2 * scale)], fill=0, width=2)
            continue
        font = loaded.setdefault((op.bold, op.size),
                                 ImageFont.truetype(str(FONT_ROOT / faces[op.bold]), round(op.size * scale)))
        w = font.getlength(op.text)
        x = op.x * scale - (w if op.align == "right" else w / 2 if op.align == "center" else 0)
        draw.text((x, op.y * scale), op.text, font=font, fill=0)
    rng = np.random.default_rng(zlib.crc32(seed.encode("utf-8")))
    if noise == "gaussian":
        pixels = np.asarray(page, dtype=np.float64) + rng.normal(0.0, 20.0, (page.height, page.width))
        page = Image.fromarray(np.clip(np.rint(pixels), 0, 255).astype(np.uint8), "L")
    elif noise == "salt-pepper":
        pixels = np.array(page, dtype=np.uint8)
        draw_ = rng.random(pixels.shape)
        pixels[draw_ < 0.005] = 0
        pixels[(draw_ >= 0.005) & (draw_ < 0.01)] = 255
        page = Image.fromarray(pixels, "L")
    elif noise == "blur":
        page = page.filter(ImageFilter.GaussianBlur(1.1))
    elif noise == "jpeg":
        buffer = io.BytesIO()
        page.save(buffer, format="JPEG", quality=30)
        page = Image.open(io.BytesIO(buffer.getvalue())).convert("L")
    buffer = io.BytesIO()
    page.save(buffer, format="PNG", dpi=(DPI, DPI))
    return buffer.getvalue()


def _number(row: dict) -> int:
    return int(row["id"].split("-")[1])


def render(row: dict) -> bytes:
    """The document of a row (invoice or receipt): PDF or PNG bytes."""
    if row["id"].startswith("rct-"):
        ops, height = receipt_ops(row)
        size, family, faces = (RECEIPT_WIDTH, height), "mono", MONO_FACES[_number(row) % len(MONO_FACES)]
    else:
        ops, size, family, faces = invoice_ops(row), LETTER, "sans", SANS_FACES[_number(row) % len(SANS_FACES)]
    if row["medium"] == "pdf":
        return pdf(ops, size, family)
    return scan(ops, size, faces, row["noise"], row["id"])


# -- checks ----------------------------------------------------------------------------------------

def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def rows(kind: str, split: str | None = None) -> list[dict]:
    """The rows of `invoices` or `receipts`, optionally of one split."""
    data = load(INVOICES if kind == "invoices" else RECEIPTS)
    return [r for r in data if split is None or r["split"] == split]


def splits(data: list[dict]) -> dict[str, str]:
    """id -> split: within each layout, rows sorted by id alternate dev, heldout, ...; the side
    an odd-sized layout starts on alternates from one such layout to the next (layouts in sorted
    order), so the halves differ by at most one row."""
    by_layout: dict[str, list[str]] = {}
    for row in sorted(data, key=lambda r: r["id"]):
        by_layout.setdefault(row["layout"], []).append(row["id"])
    assigned: dict[str, str] = {}
    odd = 0
    for layout in sorted(by_layout):
        ids = by_layout[layout]
        for i, rid in enumerate(ids):
            assigned[rid] = SPLITS[(i + odd) % 2]
        odd += len(ids) % 2
    return assigned


def _cents(value: float) -> int:
    return round(value * 100)


def check(data: list[dict]) -> None:
    """Raise ValueError on a duplicate id, an unknown medium or noise, inconsistent sums, or a
    split that does not alternate within a layout."""
    seen: set[str] = set()
    expected = splits(data)
    for row in sorted(data, key=lambda r: r["id"]):
        rid, f = row["id"], row["fields"]
        if rid in seen:
            raise ValueError(f"duplicate id {rid}")
        seen.add(rid)
        if row["medium"] not in ("pdf", "png") or row["noise"] not in NOISES or (
                row["medium"] == "pdf" and row["noise"] != "none"):
            raise ValueError(f"{rid}: medium {row['medium']} / noise {row['noise']}")
        if row["split"] != expected[rid]:
            raise ValueError(f"{rid}: split {row['split']}, expected {expected[rid]}")
        invoice = rid.startswith("inv-")
        line_key, price_key = ("Amount", "UnitPrice") if invoice else ("TotalPrice", "Price")
        for item in f["Items"]:
            if _cents(item["Quantity"] * item[price_key]) != _cents(item[line_key]):
                raise ValueError(f"{rid}: {item['Description']} {item['Quantity']} x {item[price_key]}")
        sub = "SubTotal" if invoice else "Subtotal"
        if sum(_cents(i[line_key]) for i in f["Items"]) != _cents(f[sub]):
            raise ValueError(f"{rid}: items do not add up to {sub}")
        if invoice and _cents(f["SubTotal"]) + _cents(f["TotalTax"]) != _cents(f["InvoiceTotal"]):
            raise ValueError(f"{rid}: SubTotal + TotalTax != InvoiceTotal")
        if invoice and abs(_cents(f["SubTotal"] * row["tax_rate"] / 100) - _cents(f["TotalTax"])) > 1:
            raise ValueError(f"{rid}: TotalTax is not {row['tax_rate']}% of SubTotal")
        if not invoice and row["lang"] == "en" and (
                _cents(f["Subtotal"]) + _cents(f["TotalTax"]) + _cents(f.get("Tip", 0)) != _cents(f["Total"])):
            raise ValueError(f"{rid}: Subtotal + TotalTax + Tip != Total")
        for key in ("InvoiceDate", "DueDate", "TransactionDate"):
            if key in f:
                date.fromisoformat(f[key])


def _table(data: list[dict], key: str) -> list[str]:
    counts = Counter((r[key], r["split"]) for r in data)
    return [f"| {value} | {counts[value, 'dev']} | {counts[value, 'heldout']} |"
            for value in sorted({r[key] for r in data})]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="write the rendered documents here")
    parser.add_argument("--heldout", action="store_true", help="with --out: heldout rows too")
    args = parser.parse_args()
    for kind in ("invoices", "receipts"):
        data = rows(kind)
        check(data)
        print(f"\n{kind}: {len(data)} rows\n| | dev | heldout |\n|---|---|---|")
        for key in ("layout", "lang", "medium", "noise"):
            print("\n".join(_table(data, key)))
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            for row in data:
                if row["split"] == "dev" or args.heldout:
                    suffix = "pdf" if row["medium"] == "pdf" else "png"
                    (args.out / f"{row['id']}.{suffix}").write_bytes(render(row))


if __name__ == "__main__":
    main()
