"""Turning uploaded bytes into pages: images, multi-page TIFF and PDF.

A born-digital PDF page keeps its own text layer (exact words and positions, in
inches); a PDF page without text is rendered and read by the OCR engine; an
image page is read by the OCR engine in pixels. Every way a file can be broken
ends in a ``BadRequest`` with one of Azure's Vision error codes.

``open_document`` reads headers only (page count, each page's size) and refuses what cannot be
read within the page memory budget before a pixel is decoded; the ``Document`` it returns
decodes or renders each page only as it is iterated, so a reader holds one page at a time.
"""

from __future__ import annotations

import io
import math
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from airgap.ocr.pdfium_lock import PDFIUM
from airgap.ocr.settings import DEFAULT_PAGE_MEMORY_MB
from airgap.ocr.types import Line, Word, rectangle
from airgap.platform.errors import BadRequest

MIN_SIDE, MAX_SIDE = 50, 10_000  # pixels, Azure Read's image dimension limits
MAX_PAGES = 2_000
RENDER_DPI = 300  # scanned PDF pages are rendered at this resolution for OCR (less if the page budget is short)
# Memory one page may take while it is read (``Ocr:PageMemoryMb``): the decoded picture, and the
# work on it, budgeted at WORK_BYTES_PER_PIXEL bytes a pixel (measured: ~5.4 for layout with
# Tesseract: the page, Tesseract's own copies, ruling lines, barcodes, check boxes; ocrust's own
# working memory is larger and not budgeted here). A page whose decoding
# alone would pass the budget is refused from its header; a larger page than the work fits is read
# at a lower resolution (coordinates are still reported in the page's own pixels or inches).
WORK_BYTES_PER_PIXEL = 7
DECODING_MARGIN = 1.1  # the decoder's own buffers beside the pixels
MAX_PDF_INCHES = 17  # Azure Read and Document Intelligence: PDF pages up to 17 x 17 inches
# A decompression bomb is refused before it is decoded: by Pillow when it opens one past twice
# this many pixels (``_too_large``), by ``_check_size`` from the header below that. Pillow's own
# warning on the way (its words, not ours) says nothing the size check does not.
Image.MAX_IMAGE_PIXELS = MAX_SIDE * MAX_SIDE
warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)

_SIGNATURES = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"BM", "bmp"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
)


@dataclass(frozen=True)
class ImagePage:
    number: int
    image: Image.Image
    # Page units per pixel of ``image``: 1/dpi for rendered PDF pages (reported in inches), the
    # reduction of an image read at a lower resolution than it has.
    unit_per_pixel: float = 1.0
    unit: str = "pixel"
    size: tuple[float, float] | None = None  # the page's width and height in its unit; None: the image's


@dataclass(frozen=True)
class TextLayerPage:
    number: int
    width: float
    height: float
    lines: tuple[Line, ...]
    unit: str = "inch"


PageSource = ImagePage | TextLayerPage


def sniff(data: bytes) -> str | None:
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    return None


def parse_pages(spec: str | None) -> list[tuple[int, int | None]] | None:
    """``"1,3,5-7,9-"`` -> inclusive ranges (None end: to the last page); None selects all."""
    if spec is None or not spec.strip():
        return None
    ranges: list[tuple[int, int | None]] = []
    for part in spec.split(","):
        item = part.strip()
        try:
            if "-" in item:
                first, _, last = item.partition("-")
                start = int(first) if first.strip() else 1
                end = int(last) if last.strip() else None
            else:
                start = end = int(item)
        except ValueError:
            raise _bad_pages(spec) from None
        if start < 1 or (end is not None and end < start):
            raise _bad_pages(spec)
        ranges.append((start, end))
    return ranges


def _bad_pages(spec: str) -> BadRequest:
    return BadRequest(
        f"pages '{spec}' is not a valid page range; use page numbers from 1 and ranges, e.g. 1,3,5-7.",
        code="InvalidPageRange",
    )


def selected(count: int, ranges: list[tuple[int, int | None]] | None, spec: str | None) -> list[int]:
    if ranges is None:
        numbers = list(range(1, count + 1))
    else:
        wanted: set[int] = set()
        for start, end in ranges:
            wanted.update(range(start, min(end or count, count) + 1))
        numbers = sorted(wanted)
        if not numbers:
            raise BadRequest(f"pages '{spec}' selects no page; the document has {count} page(s).",
                             code="InvalidPageRange")
    if len(numbers) > MAX_PAGES:
        raise BadRequest(f"The document has {len(numbers)} pages to read; the limit is {MAX_PAGES}. "
                         "Select fewer with the pages parameter.", code="InvalidPageRange")
    return numbers


class Document:
    """The selected pages of an upload, checked and not yet decoded.

    ``open_document`` reads only headers: the kind of file, its page count and each selected
    page's size (an image's dimensions, a PDF page's size in points). Iterating yields one
    ``PageSource`` at a time, decoded or rendered only then: a reader that drops each page before
    taking the next holds one page in memory, whatever the length of the document."""

    def __init__(self, data: bytes, kind: str, numbers: list[int], budget: int) -> None:
        self.data, self.kind, self.numbers, self.budget = data, kind, numbers, budget

    def __len__(self) -> int:
        return len(self.numbers)

    def __iter__(self) -> Iterator[PageSource]:
        if self.kind == "pdf":
            return _pdf_pages(self.data, self.numbers, self.budget)
        return _image_pages(self.data, self.kind, self.numbers, self.budget)


def open_document(data: bytes, pages: str | None = None, page_memory_mb: int = DEFAULT_PAGE_MEMORY_MB) -> Document:
    """The upload's selected pages, checked from headers (a broken or oversized file is a
    ``BadRequest`` now); nothing is decoded until the document is iterated, one page at a time
    within ``page_memory_mb`` (``Ocr:PageMemoryMb``)."""
    if not data:
        raise BadRequest("The request has no image or document; send the file's bytes as "
                         "application/octet-stream, or a JSON body with its url.", code="InvalidImage")
    kind = sniff(data)
    if kind is None:
        raise BadRequest("Input data is not a valid image or PDF. Supported formats: JPEG, PNG, BMP, TIFF and PDF.",
                         code="InvalidImageFormat")
    ranges = parse_pages(pages)
    budget = page_memory_mb * 2**20
    if kind == "pdf":
        return Document(data, kind, _pdf_numbers(data, ranges, pages), budget)
    return Document(data, kind, _image_numbers(data, kind, ranges, pages, budget), budget)


def working_scale(pixels: float, budget: int) -> float:
    """The linear scale at which a page of ``pixels`` is read within ``budget`` bytes (1: as it is)."""
    most = budget / WORK_BYTES_PER_PIXEL
    return 1.0 if pixels <= most else math.sqrt(most / pixels)


def _decoding_bytes(image: Image.Image) -> int:
    """Memory that decoding ``image`` takes, from its header: its pixels as Pillow holds them (one
    byte for bilevel, grey and palette, two for 16-bit grey, four for colour), plus the grey (or
    smaller) copy taken of them.
    A colour JPEG is decoded straight to grey (``Image.draft``), one byte a pixel."""
    width, height = image.size
    grey = ("1", "L", "P", "RGB", "YCbCr") if image.format == "JPEG" else ("1", "L", "P")
    size = 1 if image.mode in grey else 2 if image.mode.startswith("I;16") else 4
    return int(width * height * (size + 1) * DECODING_MARGIN)


def _open_image(data: bytes, kind: str) -> Image.Image:
    """The image with its headers read and nothing decoded."""
    try:
        return Image.open(io.BytesIO(data))
    except Image.DecompressionBombError:
        raise _too_large(kind) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise _undecodable(kind, exc) from None


def _image_numbers(data: bytes, kind: str, ranges, spec, budget: int) -> list[int]:
    image = _open_image(data, kind)
    try:
        numbers = selected(getattr(image, "n_frames", 1), ranges, spec)
        for number in numbers:  # a frame's size is in its header: seek reads no pixels
            image.seek(number - 1)
            _check_size(image, number, budget)
        return numbers
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise _undecodable(kind, exc) from None
    finally:
        image.close()


def _image_pages(data: bytes, kind: str, numbers: list[int], budget: int) -> Iterator[ImagePage]:
    image = _open_image(data, kind)
    frames = getattr(image, "n_frames", 1)
    try:
        for number in numbers:
            try:
                image.seek(number - 1)
                _check_size(image, number, budget)  # before a single pixel is decoded
                page = _decoded(image, number, budget, frames > 1)
            except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError) as exc:
                raise _undecodable(kind, exc) from None
            yield page
            del page  # the reader has the page; only one is alive at a time
    finally:
        if frames > 1:
            image.close()


def _decoded(image: Image.Image, number: int, budget: int, frame: bool) -> ImagePage:
    """The current frame of ``image`` in grey, at the resolution its work fits in ``budget``."""
    width, height = image.size
    scale = working_scale(width * height, budget)
    target = (max(1, round(width * scale)), max(1, round(height * scale)))
    if image.format == "JPEG":
        image.draft("L", target)  # decodes grey at 1/2, 1/4 or 1/8 of the size straight away
    # Decoded in place, then the picture's own pixels are dropped as soon as a grey (or smaller)
    # copy of them exists: only one page-sized picture outlives this function.
    image.load()
    gray = image if image.mode == "L" and not frame else image.convert("L")
    if gray is not image:
        _drop_pixels(image, frame)
    if gray.size != target:
        smaller = gray.resize(target, Image.Resampling.BOX)
        if gray is image:
            _drop_pixels(image, frame)
        gray = smaller
    if gray.size == (width, height):
        return ImagePage(number, gray)
    return ImagePage(number, gray, unit_per_pixel=width / gray.width, size=(width, height))


def _drop_pixels(image: Image.Image, frame: bool) -> None:
    if frame:
        image.im = None  # this frame's pixels; seeking to the next frame decodes that one afresh
    else:
        image.close()


def _undecodable(kind: str, exc: BaseException) -> BadRequest:
    return BadRequest(f"The {kind.upper()} image could not be decoded ({exc}); the file may be truncated "
                      "or corrupt.", code="InvalidImageFormat")


def _too_large(kind: str) -> BadRequest:
    return BadRequest(f"The {kind.upper()} image has far more pixels than the {MAX_SIDE}x{MAX_SIDE} pixels an "
                      f"image may have; images must be between {MIN_SIDE}x{MIN_SIDE} and {MAX_SIDE}x{MAX_SIDE} "
                      "pixels.", code="InvalidImageSize")


def _check_size(image: Image.Image, number: int, budget: int) -> None:
    width, height = image.size
    if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
        raise BadRequest(
            f"Page {number} is {width}x{height} pixels; images must be between {MIN_SIDE}x{MIN_SIDE} and "
            f"{MAX_SIDE}x{MAX_SIDE} pixels.", code="InvalidImageSize")
    needed = _decoding_bytes(image)
    if needed > budget:
        raise BadRequest(
            f"Page {number} ({width}x{height} pixels, {image.mode}) would take {needed / 2**20:.0f} MB to decode; "
            f"this server reads pages within {budget / 2**20:.0f} MB (Ocr:PageMemoryMb). Send it with fewer "
            "pixels or in grayscale.", code="InvalidImageSize")


def _check_pdf_size(width: float, height: float, number: int) -> None:
    """Azure's PDF page limit (17 x 17 inches), and a floor that still renders to MIN_SIDE pixels: a page
    outside it would render to gigapixels (minutes, gigabytes) or to a few pixels the OCR engine rejects.
    Checked from the page's size in points before anything is rendered: at RENDER_DPI the largest page
    is 5100 x 5100 pixels."""
    low, high = MIN_SIDE * 72 / RENDER_DPI, MAX_PDF_INCHES * 72
    if not (low <= width <= high and low <= height <= high):
        raise BadRequest(
            f"Page {number} of the PDF is {width / 72:.2f} x {height / 72:.2f} inches; PDF pages must be between "
            f"{low / 72:.2f} and {MAX_PDF_INCHES} inches on each side.", code="InvalidImageSize")


def _open_pdf(data: bytes):
    import pypdfium2 as pdfium

    try:
        with PDFIUM:
            return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise BadRequest(f"The PDF could not be opened ({exc}); it may be corrupt or password-protected.",
                         code="InvalidImageFormat") from None


def _pdf_numbers(data: bytes, ranges, spec) -> list[int]:
    import pypdfium2 as pdfium

    pdf = _open_pdf(data)
    try:
        with PDFIUM:
            numbers = selected(len(pdf), ranges, spec)
            for number in numbers:  # the page's box, without loading or rendering the page
                width, height = pdf.get_page_size(number - 1)
                _check_pdf_size(width, height, number)
        return numbers
    except pdfium.PdfiumError as exc:
        raise BadRequest(f"A page of the PDF could not be read ({exc}).", code="InvalidImageFormat") from None
    finally:
        with PDFIUM:
            pdf.close()


def _pdf_pages(data: bytes, numbers: list[int], budget: int) -> Iterator[PageSource]:
    import pypdfium2 as pdfium

    pdf = _open_pdf(data)
    try:
        for number in numbers:
            try:
                with PDFIUM:  # per page, never across the yield: the reader OCRs the page meanwhile
                    page = pdf[number - 1]
                    try:
                        width, height = page.get_size()
                        _check_pdf_size(width, height, number)
                        lines = _text_layer(page)
                        if lines:
                            source: PageSource = TextLayerPage(number, round(width / 72, 4), round(height / 72, 4),
                                                               lines)
                        else:  # a scanned page: no text layer, read the picture
                            # At RENDER_DPI, or less where the page's work would not fit the budget
                            # (page size x dpi, known before rendering).
                            dpi = RENDER_DPI * working_scale(width * height * (RENDER_DPI / 72) ** 2, budget)
                            image = page.render(scale=dpi / 72, grayscale=True).to_pil()
                            source = ImagePage(number, image, unit_per_pixel=1 / dpi, unit="inch",
                                               size=(round(width / 72, 4), round(height / 72, 4)))
                            del image
                    finally:
                        page.close()
            except pdfium.PdfiumError as exc:
                raise BadRequest(f"A page of the PDF could not be read ({exc}).", code="InvalidImageFormat") from None
            yield source
            del source  # the reader has the page; only one is alive at a time
    finally:
        with PDFIUM:
            pdf.close()


def _text_layer(page) -> tuple[Line, ...]:
    """Words and lines of a born-digital page, in inches from the top-left corner."""
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        if count <= 0:
            return ()
        text = textpage.get_text_range(0, count)
        if len(text) != count or not text.strip():
            return ()
        _, height = page.get_size()
        lines: list[Line] = []
        words: list[Word] = []
        chars: list[tuple[str, tuple[float, float, float, float]]] = []

        def close_word() -> None:
            if chars:
                left = min(b[0] for _, b in chars)
                bottom = min(b[1] for _, b in chars)
                right = max(b[2] for _, b in chars)
                top = max(b[3] for _, b in chars)
                box = (left / 72, (height - top) / 72, right / 72, (height - bottom) / 72)
                words.append(Word("".join(c for c, _ in chars), rectangle(*(round(v, 4) for v in box)), 1.0))
                chars.clear()

        def close_line() -> None:
            close_word()
            if words:
                xs = [p[0] for w in words for p in w.polygon]
                ys = [p[1] for w in words for p in w.polygon]
                lines.append(Line(" ".join(w.text for w in words), rectangle(min(xs), min(ys), max(xs), max(ys)),
                                  tuple(words)))
                words.clear()

        for index, char in enumerate(text):
            if char in "\r\n":
                close_line()
            elif char.isspace():
                close_word()
            else:
                chars.append((char, textpage.get_charbox(index)))
        close_line()
        return tuple(lines)
    finally:
        textpage.close()
