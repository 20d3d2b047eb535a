"""Large and hostile uploads, made small: what issue 11's clients sent to find memory that
grew with the document. Each is built without holding its pixels in this process."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Iterator

from PIL import Image


def blank_pdf(pages: int = 40, inches: float = 17) -> bytes:
    """``pages`` empty pages of ``inches`` x ``inches``: no text layer, so each is rendered for OCR."""
    side = inches * 72
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    kids = []
    for _ in range(pages):
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {side:g} {side:g}] >>".encode())
        kids.append(len(objects))
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


def blank_tiff(pages: int = 500, size: tuple[int, int] = (2550, 3300)) -> bytes:
    """A multi-page TIFF of blank 1-bit pages (Group 4: a few hundred bytes each); frames are made
    one at a time as they are written."""

    def frames() -> Iterator[Image.Image]:
        for _ in range(pages - 1):
            yield Image.new("1", size, 1)

    buffer = io.BytesIO()
    Image.new("1", size, 1).save(buffer, "TIFF", save_all=True, append_images=frames(), compression="group4")
    return buffer.getvalue()


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def blank_png(width: int, height: int, bit_depth: int = 8) -> bytes:
    """A white grayscale PNG of any size, compressed row by row (a 14000 x 14000 page is ~200 KB)."""
    row = b"\x00" + b"\xff" * ((width * bit_depth + 7) // 8)
    packer = zlib.compressobj(9)
    parts = [packer.compress(row) for _ in range(height)]
    parts.append(packer.flush())
    header = struct.pack(">IIBBBBB", width, height, bit_depth, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", b"".join(parts))
            + _chunk(b"IEND", b""))


def png_bomb(side: int = 60_000) -> bytes:
    """A PNG whose header claims ``side`` x ``side`` pixels (a decompression bomb), with a token
    IDAT: the server must refuse it from the header alone."""
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    row = b"\x00" + b"\x00" * ((side + 7) // 8)
    data = zlib.compress(row * 64, 9)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")
