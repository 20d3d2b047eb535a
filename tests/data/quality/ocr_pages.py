"""Renders the OCR evaluation pages of `ocr_pages.jsonl` (issue 20) as PNG images.

Each row is a hand-written page (`text`, its lines joined by "\\n"; a tab separates table
columns) and the conditions it is printed and scanned under: `font`, `size_pt`, `dpi`,
`skew_deg` (the page rotated counter-clockwise by that many degrees, as a sheet fed crooked into
a scanner), `rotation` (0/90/180/270: the page turned clockwise, as a sheet scanned sideways or
upside down) and `noise` (none, gaussian, salt-pepper, blur, jpeg). Rendering is deterministic:
the only randomness is the noise, drawn from a generator seeded with the row's id, so the same
row gives the same image bytes on the same Pillow/zlib/libjpeg.

Usage:
    python tests/data/quality/ocr_pages.py              # check every row, print the counts
    python tests/data/quality/ocr_pages.py --write      # (re)assign `split` (only before freeze)
    python tests/data/quality/ocr_pages.py --out DIR    # also write DIR/<id>.png (dev rows only
                                                        # unless --heldout is given)
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import json
import zlib
from collections import Counter
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

HERE = Path(__file__).resolve().parent
PAGES = HERE / "ocr_pages.jsonl"

FONT_ROOT = Path("/usr/share/fonts/truetype")
# Debian packages: fonts-dejavu-core / fonts-dejavu-extra (DejaVu), fonts-liberation2,
# fonts-freefont-ttf (deploy/debian-packages-test.txt).
FONTS = {
    "DejaVu Sans": "dejavu/DejaVuSans.ttf",
    "DejaVu Sans Bold": "dejavu/DejaVuSans-Bold.ttf",
    "DejaVu Serif": "dejavu/DejaVuSerif.ttf",
    "DejaVu Sans Mono": "dejavu/DejaVuSansMono.ttf",
    "Liberation Sans": "liberation2/LiberationSans-Regular.ttf",
    "Liberation Serif": "liberation2/LiberationSerif-Regular.ttf",
    "Liberation Serif Italic": "liberation2/LiberationSerif-Italic.ttf",
    "Liberation Mono": "liberation2/LiberationMono-Regular.ttf",
    "FreeSans": "freefont/FreeSans.ttf",
    "FreeSerif": "freefont/FreeSerif.ttf",
    "FreeMono": "freefont/FreeMono.ttf",
}
NOISES = ("none", "gaussian", "salt-pepper", "blur", "jpeg")
ROTATIONS = (0, 90, 180, 270)
SPLITS = ("dev", "heldout")

PAGE_INCHES = (8.5, 11.0)  # US Letter
MARGIN_INCHES = 1.0
LINE_SPACING = 1.4  # line pitch in multiples of the font size
COLUMN_GAP_EM = 1.5  # space between table columns

# Noise strengths: a fax-grade or phone-camera page, still readable by a person.
GAUSSIAN_SIGMA = 22.0  # grey levels, on 0..255
SALT_PEPPER_FRACTION = 0.02  # of all pixels, half black and half white
BLUR_RADIUS_PER_DPI = 1.0 / 150.0  # 1.33 px at 200 dpi: a slightly out-of-focus scan
JPEG_QUALITY = 25


def font_path(name: str) -> Path:
    return FONT_ROOT / FONTS[name]


def _pixels(row: dict, points: float) -> int:
    return round(points * row["dpi"] / 72.0)


def _layout(row: dict, font: ImageFont.FreeTypeFont) -> list[tuple[int, int, str]]:
    """(x, y, text) of every piece to draw; raises ValueError when the text leaves the page."""
    dpi = row["dpi"]
    margin = round(MARGIN_INCHES * dpi)
    width, height = round(PAGE_INCHES[0] * dpi), round(PAGE_INCHES[1] * dpi)
    pitch = _pixels(row, row["size_pt"] * LINE_SPACING)
    gap = _pixels(row, row["size_pt"] * COLUMN_GAP_EM)
    lines = row["text"].split("\n")
    # Table lines share column positions, sized by the widest cell of each column on the page.
    widths: list[int] = []
    for line in lines:
        if "\t" in line:
            for i, cell in enumerate(line.split("\t")):
                w = round(font.getlength(cell))
                if i < len(widths):
                    widths[i] = max(widths[i], w)
                else:
                    widths.append(w)
    starts = [margin]
    for w in widths[:-1]:
        starts.append(starts[-1] + w + gap)
    pieces: list[tuple[int, int, str]] = []
    for n, line in enumerate(lines):
        y = margin + n * pitch
        cells = line.split("\t")
        for i, cell in enumerate(cells):
            if not cell:
                continue
            x = starts[i] if len(cells) > 1 else margin
            right = x + font.getlength(cell)
            if right > width - margin * 0.75:
                raise ValueError(f"{row['id']}: line {n + 1} runs off the page ({cell!r})")
            pieces.append((x, y, cell))
    if margin + len(lines) * pitch > height - margin:
        raise ValueError(f"{row['id']}: {len(lines)} lines run off the page")
    return pieces


def _print(row: dict) -> Image.Image:
    font = ImageFont.truetype(str(font_path(row["font"])), _pixels(row, row["size_pt"]))
    dpi = row["dpi"]
    page = Image.new("L", (round(PAGE_INCHES[0] * dpi), round(PAGE_INCHES[1] * dpi)), 255)
    draw = ImageDraw.Draw(page)
    for x, y, text in _layout(row, font):
        draw.text((x, y), text, font=font, fill=0)
    return page


def _scan(row: dict, page: Image.Image) -> Image.Image:
    if row["skew_deg"]:
        page = page.rotate(
            row["skew_deg"], resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255
        )
    if row["rotation"]:
        page = page.rotate(-row["rotation"], expand=True)  # multiples of 90: exact, lossless
    noise = row["noise"]
    rng = np.random.default_rng(zlib.crc32(row["id"].encode("utf-8")))
    if noise == "gaussian":
        pixels = np.asarray(page, dtype=np.float64)
        pixels = pixels + rng.normal(0.0, GAUSSIAN_SIGMA, pixels.shape)
        page = Image.fromarray(np.clip(np.rint(pixels), 0, 255).astype(np.uint8), "L")
    elif noise == "salt-pepper":
        pixels = np.array(page, dtype=np.uint8)
        draw = rng.random(pixels.shape)
        pixels[draw < SALT_PEPPER_FRACTION / 2] = 0
        pixels[(draw >= SALT_PEPPER_FRACTION / 2) & (draw < SALT_PEPPER_FRACTION)] = 255
        page = Image.fromarray(pixels, "L")
    elif noise == "blur":
        page = page.filter(ImageFilter.GaussianBlur(row["dpi"] * BLUR_RADIUS_PER_DPI))
    elif noise == "jpeg":
        buffer = io.BytesIO()
        page.save(buffer, format="JPEG", quality=JPEG_QUALITY)
        page = Image.open(io.BytesIO(buffer.getvalue())).convert("L")
    return page


def render(row: dict) -> bytes:
    """The row's page as PNG bytes (grey scale, `dpi` recorded in the file)."""
    out = io.BytesIO()
    _scan(row, _print(row)).save(out, format="PNG", dpi=(row["dpi"], row["dpi"]))
    return out.getvalue()


def load(path: Path = PAGES) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def skew_class(skew: float) -> str:
    """Buckets for the split and the report: none, small (< 3 deg), medium (3-6), large."""
    size = abs(skew)
    if size == 0:
        return "none"
    if size < 3:
        return "small"
    if size <= 6:
        return "medium"
    return "large"


def condition(row: dict) -> str:
    return f"{skew_class(row['skew_deg'])}|{row['rotation']}|{row['noise']}|{row['font']}"


def _split_module():
    spec = importlib.util.spec_from_file_location("quality_split", HERE / "split.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def split_rows(rows: list[dict]) -> list[dict]:
    """`split.split_rows` alternating within each printing/scanning condition (see README)."""
    keyed = [{**row, "label": "page", "condition": condition(row)} for row in rows]
    out = _split_module().split_rows(keyed, key=("condition",))
    return [{k: v for k, v in row.items() if k not in ("label", "condition")} for row in out]


def check(rows: list[dict]) -> None:
    seen: set[str] = set()
    for row in rows:
        if row["id"] in seen:
            raise ValueError(f"duplicate id {row['id']!r}")
        seen.add(row["id"])
        lines = row["text"].split("\n")
        if not 5 <= len(lines) <= 25:
            raise ValueError(f"{row['id']}: {len(lines)} lines, not 5-25")
        if row["font"] not in FONTS or not font_path(row["font"]).is_file():
            raise ValueError(f"{row['id']}: font {row['font']!r} missing")
        if not -10 <= row["skew_deg"] <= 10:
            raise ValueError(f"{row['id']}: skew {row['skew_deg']} outside -10..10")
        for field, allowed in (("rotation", ROTATIONS), ("noise", NOISES), ("split", SPLITS)):
            if row[field] not in allowed:
                raise ValueError(f"{row['id']}: {field} {row[field]!r} not in {allowed}")
        font = ImageFont.truetype(str(font_path(row["font"])), _pixels(row, row["size_pt"]))
        _layout(row, font)
    if split_rows(rows) != sorted(rows, key=lambda r: r["id"]):
        raise ValueError("split field differs from split_rows(); run with --write")


def table(rows: list[dict]) -> str:
    lines = [f"### ocr_pages.jsonl ({len(rows)} pages)", ""]
    lines += ["| | dev | heldout | total |", "|---|---|---|---|"]
    fields = (
        ("skew", lambda r: skew_class(r["skew_deg"])),
        ("rotation", lambda r: str(r["rotation"])),
        ("noise", lambda r: r["noise"]),
        ("font", lambda r: r["font"]),
        ("dpi", lambda r: str(r["dpi"])),
    )
    for name, get in fields:
        counts = Counter((get(r), r["split"]) for r in rows)
        for value in sorted({get(r) for r in rows}, key=lambda v: (len(v), v)):
            dev, held = counts[(value, "dev")], counts[(value, "heldout")]
            lines.append(f"| {name} {value} | {dev} | {held} | {dev + held} |")
    dev = sum(r["split"] == "dev" for r in rows)
    words = sum(len(r["text"].split()) for r in rows)
    lines.append(f"| **all** | {dev} | {len(rows) - dev} | {len(rows)} ({words} words) |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="assign split in place first")
    parser.add_argument("--out", type=Path, help="write the page images here")
    parser.add_argument("--heldout", action="store_true", help="with --out: heldout pages too")
    args = parser.parse_args()
    rows = load()
    if args.write:
        rows = split_rows(rows)
        with PAGES.open("w", encoding="utf-8") as f:
            for row in rows:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
    check(rows)
    print(table(rows))
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        for row in rows:
            if row["split"] == "dev" or args.heldout:
                (args.out / f"{row['id']}.png").write_bytes(render(row))


if __name__ == "__main__":
    main()
