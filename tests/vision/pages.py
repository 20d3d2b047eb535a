"""Test pages made on the fly: printed text in several fonts, turned, skewed and noisy
scans, multi-page TIFFs and PDFs (born-digital with a text layer, and scanned).

Every page knows its own words, so recognition is scored against ground truth
without any stored binary fixture.
"""

from __future__ import annotations

import io
import random
import zlib
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

LINES = [
    "Invoice number 4471 was issued on March 3rd",
    "Please pay the total amount within thirty days",
    "Shipping address: 12 Harbour Road, Portsmouth",
    "Questions? Write to accounts at our main office",
    "Thank you for choosing Northwind Traders today",
]

_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


def fonts(size: int) -> dict[str, ImageFont.FreeTypeFont]:
    """Pillow's bundled font, plus Debian's DejaVu faces where installed."""
    found = {"pillow-default": ImageFont.load_default(size=size)}
    for name in ("DejaVuSans.ttf", "DejaVuSerif.ttf", "DejaVuSansMono.ttf"):
        if (_DEJAVU / name).exists():
            found[name.removesuffix(".ttf")] = ImageFont.truetype(str(_DEJAVU / name), size)
    return found


@dataclass
class TestPage:
    name: str
    image: Image.Image
    lines: list[str]

    @property
    def words(self) -> list[str]:
        return [w for line in self.lines for w in line.split()]

    def png(self) -> bytes:
        return encode(self.image, "PNG")


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def printed(lines: list[str] = LINES, font: ImageFont.FreeTypeFont | None = None, size: int = 30,
            width: int = 1100) -> Image.Image:
    font = font or ImageFont.load_default(size=size)
    height = 80 + int(size * 1.9) * len(lines)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((50, 40 + i * int(size * 1.9)), line, font=font, fill=0)
    return image


def noisy(image: Image.Image, seed: int = 7, amount: float = 0.02) -> Image.Image:
    rng = random.Random(seed)
    out = image.copy()
    pixels = out.load()
    w, h = out.size
    for _ in range(int(w * h * amount)):
        pixels[rng.randrange(w), rng.randrange(h)] = rng.choice((0, 255))
    return out.filter(ImageFilter.GaussianBlur(0.6))


def evaluation_set() -> list[TestPage]:
    pages = [TestPage(f"{name}-{size}px", printed(font=font, size=size), LINES)
             for size in (24, 36) for name, font in fonts(size).items()]
    base = printed(size=32)
    pages += [
        TestPage("rotated-90", base.rotate(90, expand=True, fillcolor=255), LINES),
        TestPage("rotated-270", base.rotate(-90, expand=True, fillcolor=255), LINES),
        TestPage("skewed-3deg-noise", noisy(base.rotate(3, expand=True, fillcolor=255)), LINES),
        TestPage("small-18px", printed(size=18, width=700), LINES),
    ]
    return pages


def tiff(images: list[Image.Image]) -> bytes:
    return encode(images[0], "TIFF", save_all=True, append_images=images[1:])


def scanned_pdf(images: list[Image.Image]) -> bytes:
    """A PDF of page images only (no text layer), as a scanner writes it."""
    return encode(images[0].convert("RGB"), "PDF", save_all=True, append_images=[i.convert("RGB") for i in images[1:]],
                  resolution=150.0)


def text_pdf(pages: list[list[str]], font_size: int = 12) -> bytes:
    """A born-digital PDF: each page's lines as real text in Helvetica, US Letter, 1 inch margins."""
    streams = []
    for lines in pages:
        ops = [b"BT", f"/F1 {font_size} Tf".encode(), f"{font_size * 1.5} TL".encode(), b"72 720 Td"]
        for line in lines:
            escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(f"({escaped}) Tj T*".encode("latin-1"))
        ops.append(b"ET")
        streams.append(b"\n".join(ops))
    return _pdf_from_streams(streams)


def word_scores(expected: list[str], found: list[str]) -> tuple[float, float]:
    """Bag-of-words recall and precision (order-insensitive, case-sensitive, punctuation kept)."""
    from collections import Counter

    want, got = Counter(expected), Counter(found)
    hits = sum((want & got).values())
    return hits / max(1, sum(want.values())), hits / max(1, sum(got.values()))


INVOICE_TABLE = [
    ["Item", "Quantity", "Price", "Amount"],
    ["Consulting", "10", "150.00", "1500.00"],
    ["Support plan", "1", "300.00", "300.00"],
    ["Travel", "2", "75.00", "150.00"],
]


def ruled_table(rows: list[list[str]] = INVOICE_TABLE, size: int = 26, merge_last_row: bool = False,
                heading: str | None = "Invoice 4471") -> Image.Image:
    """A page with an optional heading line and a ruled table; ``merge_last_row`` joins the
    last row's first three cells into one spanning cell holding the first value."""
    font = ImageFont.load_default(size=size)
    widths = [260, 180, 160, 180]
    row_height = int(size * 2.2)
    left, top = 60, 140 if heading else 60
    image = Image.new("L", (left * 2 + sum(widths), top + row_height * len(rows) + 120), 255)
    draw = ImageDraw.Draw(image)
    if heading:
        draw.text((left, 50), heading, font=ImageFont.load_default(size=size + 10), fill=0)
    xs = [left]
    for w in widths:
        xs.append(xs[-1] + w)
    for r, row in enumerate(rows):
        y = top + r * row_height
        last = merge_last_row and r == len(rows) - 1
        for c, text in enumerate(row):
            if last and c in (1, 2):
                continue
            draw.text((xs[c] + 12, y + (row_height - size) // 2), text, font=font, fill=0)
    bottom = top + row_height * len(rows)
    for r in range(len(rows) + 1):
        draw.line([(xs[0], top + r * row_height), (xs[-1], top + r * row_height)], fill=0, width=3)
    for c, x in enumerate(xs):
        if merge_last_row and c in (1, 2):
            draw.line([(x, top), (x, bottom - row_height)], fill=0, width=3)
        else:
            draw.line([(x, top), (x, bottom)], fill=0, width=3)
    return image


def table_pdf(rows: list[list[str]] = INVOICE_TABLE, heading: str = "Invoice 4471") -> bytes:
    """A born-digital PDF page with a heading and a ruled table drawn with PDF line operators."""
    widths, row_height, left, top = [160, 100, 100, 100], 24, 72, 650
    ops = [b"BT", b"/F1 18 Tf", b"72 720 Td", f"({heading}) Tj".encode(), b"ET", b"1 w"]
    xs = [left]
    for w in widths:
        xs.append(xs[-1] + w)
    for r in range(len(rows) + 1):
        y = top - r * row_height
        ops.append(f"{xs[0]} {y} m {xs[-1]} {y} l S".encode())
    for x in xs:
        ops.append(f"{x} {top} m {x} {top - row_height * len(rows)} l S".encode())
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            ops.append(f"BT /F1 11 Tf {xs[c] + 6} {top - (r + 1) * row_height + 8} Td ({text}) Tj ET".encode())
    return _pdf_from_streams([b"\n".join(ops)])


def _pdf_from_streams(streams: list[bytes]) -> bytes:
    objects: list[bytes] = [b"", b"", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for raw in streams:
        stream = zlib.compress(raw)
        objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream")
        content = len(objects)
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
                       f"/Contents {content} 0 R >>".encode())
        kids.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>".encode()
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


FORM_OPTIONS = [("Express delivery", True), ("Gift wrapping", False), ("Invoice by post", True)]


def checkbox_form(options=FORM_OPTIONS, size: int = 28) -> Image.Image:
    """A form page: one line per option, a check box before it, ticked with a cross where True."""
    font = ImageFont.load_default(size=size)
    image = Image.new("L", (900, 120 + len(options) * 70), 255)
    draw = ImageDraw.Draw(image)
    draw.text((50, 30), "Order options", font=font, fill=0)
    for i, (label, ticked) in enumerate(options):
        y = 100 + i * 70
        box = (50, y, 50 + size, y + size)
        draw.rectangle(box, outline=0, width=3)
        if ticked:
            draw.line([(box[0] + 6, box[1] + 6), (box[2] - 6, box[3] - 6)], fill=0, width=4)
            draw.line([(box[0] + 6, box[3] - 6), (box[2] - 6, box[1] + 6)], fill=0, width=4)
        draw.text((100, y), label, font=font, fill=0)
    return image


def checkbox_pdf(options=FORM_OPTIONS) -> bytes:
    """A born-digital form: drawn check boxes (a cross in the ticked ones) before text labels."""
    ops = [b"BT /F1 16 Tf 72 720 Td (Order options) Tj ET", b"1.5 w"]
    for i, (label, ticked) in enumerate(options):
        y = 680 - i * 30
        ops.append(f"72 {y} 12 12 re S".encode())
        if ticked:
            ops.append(f"74 {y + 2} m 82 {y + 10} l S 74 {y + 10} m 82 {y + 2} l S".encode())
        ops.append(f"BT /F1 12 Tf 92 {y + 2} Td ({label}) Tj ET".encode())
    return _pdf_from_streams([b"\n".join(ops)])


# -- barcodes (drawn by ZXing's writer, the decoder's own library) --------------------------------

BARCODES = [("QRCode", "https://example.org/invoice/4471"), ("Code128", "INV-4471")]


def barcode_symbol(kind: str, value: str, scale: int = 1) -> Image.Image:
    import numpy as np
    import zxingcpp

    symbol = zxingcpp.create_barcode(value, getattr(zxingcpp.BarcodeFormat, kind))
    return Image.fromarray(np.asarray(symbol.to_image(scale=scale))).convert("L")


def barcode_page(lines: list[str] = LINES[:2]) -> Image.Image:
    """Printed lines with a QR code and a Code 128 symbol side by side below them."""
    text = printed(lines)
    qr, code = barcode_symbol(*BARCODES[0], scale=6), barcode_symbol(*BARCODES[1], scale=3)
    page = Image.new("L", (text.width, text.height + max(qr.height, code.height) + 80), 255)
    page.paste(text, (0, 0))
    page.paste(qr, (60, text.height + 40))
    page.paste(code, (500, text.height + 40))
    return page


def barcode_pdf(lines: list[str] = LINES[:2]) -> bytes:
    """A born-digital page: text, then the two symbols drawn as filled PDF rectangles (vector, not images)."""
    import numpy as np

    ops = [b"BT", b"/F1 12 Tf", b"18 TL", b"72 720 Td"]
    ops += [f"({line}) Tj T*".encode() for line in lines]
    ops.append(b"ET")
    # (left, top, module width, bar height) in points; bar height 0: a 2D symbol, square modules.
    for (kind, value), (left, top, module, bar_height) in zip(BARCODES, [(72, 640, 3, 0), (260, 640, 1.5, 60)],
                                                             strict=True):
        symbol = np.asarray(barcode_symbol(kind, value)) < 128
        rows = [symbol[0]] if bar_height else list(symbol)
        height = bar_height or module
        for r, row in enumerate(rows):
            x = 0
            while x < len(row):
                if row[x]:
                    end = x
                    while end < len(row) and row[end]:
                        end += 1
                    ops.append(f"{left + x * module} {top - (r + 1) * height} {(end - x) * module} {height} re".encode())
                    x = end
                else:
                    x += 1
    ops.append(b"f")
    return _pdf_from_streams([b"\n".join(ops)])


def unruled_table_pdf(rows: list[list[str]] = INVOICE_TABLE, before: list[str] = LINES[:2],
                      after: list[str] = LINES[2:]) -> bytes:
    """A born-digital page: a paragraph, a table set in aligned columns with no lines drawn, a paragraph."""
    xs, row_height, top = [78, 238, 338, 438], 20, 650
    ops = [b"BT /F1 11 Tf 15 TL 72 700 Td"] + [f"({line}) Tj T*".encode() for line in before] + [b"ET"]
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            ops.append(f"BT /F1 11 Tf {xs[c]} {top - (r + 1) * row_height + 8} Td ({text}) Tj ET".encode())
    ops += [b"BT /F1 11 Tf 15 TL 72 540 Td"] + [f"({line}) Tj T*".encode() for line in after] + [b"ET"]
    return _pdf_from_streams([b"\n".join(ops)])


def text_columns_pdf(columns: int = 3, rows: int = 8) -> bytes:
    """A born-digital page of running text in newspaper columns: aligned, but not a table."""
    words = " ".join(LINES).split()
    ops = []
    for r in range(rows):
        for c in range(columns):
            text = " ".join(words[(r * columns + c) * 6 % len(words):][:6])
            ops.append(f"BT /F1 7 Tf {54 + c * 190} {700 - r * 10} Td ({text}) Tj ET".encode())
    return _pdf_from_streams([b"\n".join(ops)])


def unruled_table_scan(rows: list[list[str]] = INVOICE_TABLE, size: int = 26) -> Image.Image:
    """A scan: two lines of text, a table set in aligned columns with no lines drawn, two lines of text."""
    font = ImageFont.load_default(size=size)
    xs = [60, 320, 500, 660]
    image = Image.new("L", (1000, 700), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(LINES[:2]):
        draw.text((60, 40 + i * 50), line, font=font, fill=0)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            draw.text((xs[c], 200 + r * 55), text, font=font, fill=0)
    for i, line in enumerate(LINES[2:4]):
        draw.text((60, 460 + i * 50), line, font=font, fill=0)
    return image
