"""PDF documents with a text layer, translated in place with PDFium (pypdfium2).

Each page's characters are read with their boxes, font sizes and colours, cut into lines (PDFium's
own line breaks, a jump of the baseline, or a wide horizontal gap such as a table's next cell)
and the lines gathered into blocks as a reader would: the next line below, overlapping the block
horizontally, in the same size and colour. Every block is translated as one text; then the page's
text objects that held translated blocks are removed (images and vector graphics stay as they
are) and each translation is written into its block's box in a Unicode TrueType font, wrapped to
the box's width and shrunk until it fits its height.

Text drawn inside form XObjects is left as it is: PDFium regenerates a page's own content stream,
not a form's. A PDF without any text (a scan) is refused: it needs OCR first.
"""

from __future__ import annotations

import ctypes
import statistics
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from airgap.ocr.pdfium_lock import PDFIUM
from airgap.services.translator.documents import DocumentToolMissing, DocumentWithoutText, UnsupportedDocument

Translate = Callable[[Sequence[str], bool], list[str]]

# A Unicode TrueType font; fonts-dejavu-core (deploy/debian-packages.txt) provides the first.
FONT_FILES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/freefont/FreeSans.ttf",
)
# DejaVu Sans's ascent and descent, in ems: where the first baseline goes below a block's top.
ASCENT, DESCENT = 0.93, 0.24
MIN_FONT_SIZE = 4.0
SHRINK = 0.92


class FontMissing(DocumentToolMissing):
    """No Unicode TrueType font is installed to write translations with."""


def font_file() -> Path:
    for candidate in FONT_FILES:
        path = Path(candidate)
        if path.is_file():
            return path
    raise FontMissing("PDF translation needs a Unicode TrueType font: install the Debian package "
                      "fonts-dejavu-core (" + FONT_FILES[0] + ").")


# --- reading -----------------------------------------------------------------------------------

@dataclass
class Line:
    chars: list[str] = field(default_factory=list)
    x0: float = float("inf")
    y0: float = float("inf")
    x1: float = float("-inf")
    y1: float = float("-inf")
    baseline: float = 0.0
    sizes: list[float] = field(default_factory=list)
    color: tuple[int, int, int, int] = (0, 0, 0, 255)
    objects: set[int] = field(default_factory=set)  # addresses of the text objects drawing it

    @property
    def text(self) -> str:
        return "".join(self.chars).strip()

    @property
    def size(self) -> float:
        return statistics.median(self.sizes) if self.sizes else 0.0


@dataclass
class Block:
    lines: list[Line]

    @property
    def text(self) -> str:
        out = ""
        for line in self.lines:
            text = line.text
            if not out:
                out = text
            elif out.endswith("-") and text[:1].islower():
                out = out[:-1] + text  # a word hyphenated at the end of the line
            else:
                out += " " + text
        return out

    @property
    def size(self) -> float:
        return statistics.median(line.size for line in self.lines)

    @property
    def box(self) -> tuple[float, float, float, float]:
        return (min(ln.x0 for ln in self.lines), min(ln.y0 for ln in self.lines),
                max(ln.x1 for ln in self.lines), max(ln.y1 for ln in self.lines))

    @property
    def pitch(self) -> float:
        if len(self.lines) < 2:
            return self.size * 1.2
        steps = [a.baseline - b.baseline for a, b in zip(self.lines, self.lines[1:], strict=False)]
        return statistics.median(steps)


def _address(pointer) -> int:
    return ctypes.cast(pointer, ctypes.c_void_p).value or 0


def _page_lines(textpage) -> list[Line]:
    import pypdfium2.raw as pdfium_c

    handle = textpage.raw
    lines: list[Line] = []
    line = Line()
    rect = pdfium_c.FS_RECTF()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    rgba = [ctypes.c_uint() for _ in range(4)]

    def close() -> None:
        nonlocal line
        if line.text:
            lines.append(line)
        line = Line()

    for index in range(pdfium_c.FPDFText_CountChars(handle)):
        char = chr(pdfium_c.FPDFText_GetUnicode(handle, index) or 32)
        if char in "\r\n\x02":
            close()
            continue
        if pdfium_c.FPDFText_IsGenerated(handle, index) or char.isspace():
            if line.chars and not line.chars[-1].isspace():
                line.chars.append(" ")
            continue
        pdfium_c.FPDFText_GetLooseCharBox(handle, index, ctypes.byref(rect))
        x0, y0, x1, y1 = rect.left, rect.bottom, rect.right, rect.top
        pdfium_c.FPDFText_GetCharOrigin(handle, index, ctypes.byref(ox), ctypes.byref(oy))
        size = pdfium_c.FPDFText_GetFontSize(handle, index)
        if line.chars:
            jumped = abs(oy.value - line.baseline) > 0.5 * max(size, line.size)
            gap = x0 - line.x1 > 1.5 * max(size, line.size)  # a table's next cell, another column
            if jumped or gap:
                close()
        if not line.sizes:
            line.baseline = oy.value
            pdfium_c.FPDFText_GetFillColor(handle, index, *(ctypes.byref(c) for c in rgba))
            line.color = tuple(c.value for c in rgba)  # type: ignore[assignment]
        line.chars.append(char)
        line.sizes.append(size)
        line.x0, line.y0 = min(line.x0, x0), min(line.y0, y0)
        line.x1, line.y1 = max(line.x1, x1), max(line.y1, y1)
        line.objects.add(_address(pdfium_c.FPDFText_GetTextObject(handle, index)))
    close()
    return lines


def _blocks(lines: list[Line]) -> list[Block]:
    blocks: list[Block] = []
    for line in lines:
        if blocks:
            block = blocks[-1]
            last = block.lines[-1]
            size = block.size
            step = last.baseline - line.baseline
            below = 0.4 * size < step < 1.8 * size
            overlaps = line.x0 < max(ln.x1 for ln in block.lines) and line.x1 > min(ln.x0 for ln in block.lines)
            alike = abs(line.size - size) <= 0.2 * size and line.color == last.color
            steady = len(block.lines) < 2 or abs(step - block.pitch) <= 0.25 * size
            if below and overlaps and alike and steady:
                block.lines.append(line)
                continue
        blocks.append(Block([line]))
    return blocks


def _open(data: bytes):
    try:
        import pypdfium2 as pdfium
    except ImportError:
        raise DocumentToolMissing("PDF translation needs pypdfium2, which this installation lacks: install "
                                  "airgap[vision] (or pypdfium2) next to airgap[translator].") from None

    if not data.lstrip()[:5] == b"%PDF-":
        raise UnsupportedDocument("The document is not a PDF file (it does not start with %PDF-).")
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise UnsupportedDocument("The PDF is encrypted with a password: send it decrypted.") from None
        raise UnsupportedDocument(f"The document is not a readable PDF: {exc}") from None


def _read(pdf) -> Iterator[tuple[object, object, list[Block]]]:
    for index in range(len(pdf)):
        page = pdf[index]
        textpage = page.get_textpage()
        yield page, textpage, _blocks(_page_lines(textpage))


def text_of(data: bytes) -> str:
    """The document's text, block by block (what is billed)."""
    with PDFIUM:
        pdf = _open(data)
        try:
            texts = [block.text for _, _, blocks in _read(pdf) for block in blocks]
        finally:
            pdf.close()
    if not any(t.strip() for t in texts):
        raise DocumentWithoutText("The PDF has no text layer (a scan or images of text): run OCR on it first "
                                  "(Vision Read or Document Intelligence), then translate the text.")
    return "\n".join(texts)


# --- writing -----------------------------------------------------------------------------------

class _Writer:
    """A document's TrueType font, with word widths measured once (in ems)."""

    def __init__(self, pdf) -> None:
        import pypdfium2.raw as pdfium_c

        self.pdf = pdf
        data = font_file().read_bytes()
        self._data = (ctypes.c_ubyte * len(data)).from_buffer_copy(data)  # alive until the file is saved
        self.font = pdfium_c.FPDFText_LoadFont(pdf.raw, self._data, len(data), pdfium_c.FPDF_FONT_TRUETYPE, 1)
        if not self.font:
            raise FontMissing(f"PDFium could not load the font {font_file()}.")
        self._widths: dict[str, float] = {}
        self.space = self.width("x x") - self.width("xx")

    def close(self) -> None:
        import pypdfium2.raw as pdfium_c

        pdfium_c.FPDFFont_Close(self.font)

    def text_object(self, text: str, size: float):
        import pypdfium2.raw as pdfium_c

        obj = pdfium_c.FPDFPageObj_CreateTextObj(self.pdf.raw, self.font, ctypes.c_float(size))
        wide = (text + "\x00").encode("utf-16-le")
        pdfium_c.FPDFText_SetText(obj, ctypes.cast(ctypes.c_char_p(wide), pdfium_c.FPDF_WIDESTRING))
        return obj

    def width(self, word: str) -> float:
        if word not in self._widths:
            import pypdfium2.raw as pdfium_c

            obj = self.text_object(word, 1.0)
            left, bottom, right, top = (ctypes.c_float() for _ in range(4))
            ok = pdfium_c.FPDFPageObj_GetBounds(obj, *(ctypes.byref(v) for v in (left, bottom, right, top)))
            pdfium_c.FPDFPageObj_Destroy(obj)
            self._widths[word] = (right.value - left.value) if ok else 0.6 * len(word)
        return self._widths[word]

    def wrap(self, text: str, width: float) -> list[str]:
        """Greedy lines no wider than ``width`` ems (a word longer than that gets a line of its own)."""
        lines: list[str] = []
        current, used = "", 0.0
        for word in text.split():
            w = self.width(word)
            if current and used + self.space + w > width:
                lines.append(current)
                current, used = word, w
            else:
                current, used = (current + " " + word, used + self.space + w) if current else (word, w)
        if current:
            lines.append(current)
        return lines

    def place(self, page, block: Block, text: str, right: float) -> None:
        """``text`` in ``block``'s box, which may grow to the right up to ``right``."""
        import pypdfium2.raw as pdfium_c

        x0, y0, x1, y1 = block.box
        width, height = max(x1 - x0, right - x0, 1.0), max(y1 - y0, 1.0)
        size = block.size or 10.0
        ratio = block.pitch / size if size else 1.2
        while True:
            lines = self.wrap(text, width / size)
            widest = max((self.width_of(line) for line in lines), default=0.0) * size
            needed = (ASCENT + DESCENT) * size + (len(lines) - 1) * ratio * size
            if (widest <= width * 1.02 and needed <= height * 1.05) or size <= MIN_FONT_SIZE:
                break
            size = max(size * SHRINK, MIN_FONT_SIZE)
        r, g, b, a = block.lines[0].color
        baseline = y1 - ASCENT * size
        for line in lines:
            obj = self.text_object(line, size)
            pdfium_c.FPDFPageObj_SetFillColor(obj, r, g, b, a or 255)
            pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x0, baseline)
            pdfium_c.FPDFPage_InsertObject(page.raw, obj)
            baseline -= ratio * size

    def width_of(self, line: str) -> float:
        words = line.split()
        return sum(self.width(w) for w in words) + self.space * max(len(words) - 1, 0)


def _room_right(block: Block, blocks: list[Block], page_right: float) -> float:
    """How far right a translation may run: to the page's margin or the next block beside it
    (another column, a table's next cell), whichever comes first."""
    x0, y0, x1, y1 = block.box
    right = max(page_right, x1)
    for other in blocks:
        ox0, oy0, _, oy1 = other.box
        if other is not block and ox0 >= x1 - 0.5 and oy0 < y1 and oy1 > y0:
            right = min(right, ox0 - 4.0)
    return max(right, x1)


def _remove_text_objects(page, addresses: set[int]) -> None:
    import pypdfium2.raw as pdfium_c

    for index in reversed(range(pdfium_c.FPDFPage_CountObjects(page.raw))):
        obj = pdfium_c.FPDFPage_GetObject(page.raw, index)
        if _address(obj) in addresses and pdfium_c.FPDFPageObj_GetType(obj) == pdfium_c.FPDF_PAGEOBJ_TEXT:
            if pdfium_c.FPDFPage_RemoveObject(page.raw, obj):
                pdfium_c.FPDFPageObj_Destroy(obj)


def translate(data: bytes, translate_texts: Translate) -> bytes:
    with PDFIUM:
        pdf = _open(data)
    try:
        with PDFIUM:
            pages = _movable_blocks(pdf)
        texts = [block.text for _, _, movable, _ in pages for block in movable]
        if not texts:
            raise DocumentWithoutText("The PDF has no text layer that can be translated (a scan or images of "
                                      "text): run OCR on it first (Vision Read or Document Intelligence).")
        translations = translate_texts(texts, False)  # outside the lock: the engines take their time
        with PDFIUM:
            return _write(pdf, pages, iter(translations))
    finally:
        with PDFIUM:
            pdf.close()


def _movable_blocks(pdf) -> list[tuple[object, object, list[Block], list[Block]]]:
    """Per page: (page, its text page, the blocks to translate, all its blocks)."""
    import pypdfium2.raw as pdfium_c

    pages = []
    for page, textpage, blocks in _read(pdf):
        top_level = {_address(pdfium_c.FPDFPage_GetObject(page.raw, i))
                     for i in range(pdfium_c.FPDFPage_CountObjects(page.raw))}
        # A block drawn (even in part) inside a form XObject stays as it is: it cannot be removed.
        movable = [b for b in blocks if b.text and all(ln.objects <= top_level for ln in b.lines)]
        pages.append((page, textpage, movable, blocks))
    return pages


def _write(pdf, pages, translations: Iterator[str]) -> bytes:
    import io

    import pypdfium2.raw as pdfium_c

    writer = _Writer(pdf)
    try:
        for page, textpage, movable, blocks in pages:
            if not movable:
                continue
            addresses = set().union(*(ln.objects for b in movable for ln in b.lines))
            texts = [next(translations) for _ in movable]
            textpage.close()  # its characters point into the objects about to go
            _remove_text_objects(page, addresses)
            page_right = page.get_width() - 36.0
            for block, text in zip(movable, texts, strict=True):
                if text.strip():
                    writer.place(page, block, text, _room_right(block, blocks, page_right))
            if not pdfium_c.FPDFPage_GenerateContent(page.raw):
                raise UnsupportedDocument("PDFium could not write the translated page's content.")
        buffer = io.BytesIO()
        pdf.save(buffer)
        return buffer.getvalue()
    finally:
        writer.close()
