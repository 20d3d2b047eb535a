"""Reading-order evaluation pages: scans whose lines and reading order are known.

A page is a plain-JSON *spec* (``make_spec``): its size, the text items drawn on it (position,
font, size, text), the ruling lines, and its truth: the page's lines in reading order, each a
list of text items. ``render`` draws a spec; ``score`` compares what an OCR returned with the
truth. Returned words are matched to the truth by *position* (the box each drawn word covers),
so a misread letter does not count as a line broken or an order lost.

Kinds of page (all 150 dpi scans, US Letter, 1275 x 1650 pixels):

- ``report``: the page of issue 11: numbered lines "Page 1 line N: invoice total N.00 USD for
  Contoso", a small ruled table below them, a footer;
- ``gaps``: lines with wide gaps between their fields at no common position (one line each);
- ``columns``: a title across the page, two columns of running text, a footer across;
- ``table``: paragraphs, a ruled table (each cell a line, row by row), a footer, a page number;
- ``amounts``: invoice rows with a label at the left margin and an amount right-aligned at the
  right margin (one line each), a total row.

The metric (``score``): the share of truth lines returned whole (one returned line holds all
of its words and no other line's), Kendall's tau of the order of every pair of words against
the truth, and the normalised edit distance between the sequence of truth lines as returned
and the truth's sequence.

The held-out part is frozen in ``tests/data/reading_order_heldout.json`` (written once by
``python -m tests.vision.reading_pages --write-heldout``, before any tuning); the tuning part is
generated from its own seeds here. Tune on ``tuning_set()`` only.
"""

from __future__ import annotations

import json
import random
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1275, 1650  # US Letter at 150 dpi
HELDOUT_PATH = Path(__file__).resolve().parents[1] / "data" / "reading_order_heldout.json"
KINDS = ("report", "gaps", "columns", "table", "amounts")
TUNING_SEEDS = (11, 12, 13, 14, 15, 16)  # per kind
HELDOUT_SEEDS = (901, 902, 903)  # per kind; frozen in HELDOUT_PATH
FONTS = ("DejaVuSans", "DejaVuSerif", "pillow-default")

_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")

VOCABULARY = (
    "the account balance shows every payment received during this quarter and each item is listed "
    "with its date amount and reference number so that our customers can check their records quickly "
    "please contact the billing office when a charge looks wrong or a receipt is missing from the "
    "statement we answer most questions within two working days and keep copies of all letters for "
    "seven years orders shipped before noon arrive on the next morning while heavy parcels may take "
    "longer because they travel by road freight through the regional depot near the harbour"
).split()
ITEMS = ("Consulting services", "Support plan", "Travel expenses", "Software licence", "Training day",
         "Hardware rental", "Cloud storage", "Project management", "Printing costs", "Office supplies",
         "Data migration", "Security review")


@cache
def font(name: str, size: int) -> ImageFont.FreeTypeFont:
    if name == "pillow-default" or not (_DEJAVU / f"{name}.ttf").exists():
        return ImageFont.load_default(size=size)
    return ImageFont.truetype(str(_DEJAVU / f"{name}.ttf"), size)


# -- specs --------------------------------------------------------------------------------------

class _Builder:
    def __init__(self, name: str, kind: str, face: str, size: int) -> None:
        self.spec = {"name": name, "kind": kind, "width": WIDTH, "height": HEIGHT, "font": face, "size": size,
                     "items": [], "rules": [], "lines": []}
        self.face, self.size = face, size

    def width_of(self, text: str, size: int | None = None) -> float:
        return font(self.face, size or self.size).getlength(text)

    def item(self, x: float, y: float, text: str, size: int | None = None) -> int:
        self.spec["items"].append({"x": round(x), "y": round(y), "text": text, "size": size or self.size})
        return len(self.spec["items"]) - 1

    def line(self, *items: int) -> None:
        self.spec["lines"].append(list(items))

    def rule(self, x0: float, y0: float, x1: float, y1: float) -> None:
        self.spec["rules"].append([round(x0), round(y0), round(x1), round(y1)])

    def ruled_table(self, left: float, top: float, cells: list[list[str]], widths: list[int], row_height: int) -> float:
        """Draws a ruled table; each non-empty cell is a truth line, row by row. Returns its bottom."""
        xs = [left]
        for w in widths:
            xs.append(xs[-1] + w)
        for r, row in enumerate(cells):
            y = top + r * row_height
            for c, text in enumerate(row):
                if text:
                    self.line(self.item(xs[c] + 14, y + (row_height - self.size) / 2, text))
        bottom = top + row_height * len(cells)
        for r in range(len(cells) + 1):
            self.rule(xs[0], top + r * row_height, xs[-1], top + r * row_height)
        for x in xs:
            self.rule(x, top, x, bottom)
        return bottom


def _sentence_lines(rng: random.Random, count: int, max_width: float, b: _Builder) -> list[str]:
    """``count`` lines of running text, each filling most of ``max_width`` (ragged right edge)."""
    lines = []
    start = rng.randrange(len(VOCABULARY))
    for _ in range(count):
        words: list[str] = []
        target = max_width * rng.uniform(0.7, 0.98)
        while True:
            word = VOCABULARY[start % len(VOCABULARY)]
            if words and b.width_of(" ".join([*words, word])) > target:
                break
            words.append(word)
            start += 1
        lines.append(" ".join(words))
    return lines


def make_spec(kind: str, seed: int) -> dict:
    rng = random.Random(f"{kind}-{seed}")
    face = rng.choice(FONTS)
    size = rng.choice((24, 26, 28, 30, 32))
    b = _Builder(f"{kind}-{seed}", kind, face, size)
    pitch = int(size * rng.uniform(1.4, 1.7))
    left, right = rng.randint(60, 110), WIDTH - rng.randint(60, 110)
    if kind == "report":
        count = rng.randint(12, 25)
        page = rng.randint(1, 9)
        y = 60
        for n in range(1, count + 1):
            b.line(b.item(left, y, f"Page {page} line {n}: invoice total {n}.00 USD for Contoso"))
            y += pitch
        rows, columns = 3, 3
        cells = [[f"R{r}C{c}" if r else ("Item", "Qty", "Total")[c] for c in range(columns)] for r in range(rows)]
        cells[1] = ["Paper", "2", "9.50"]
        cells[2] = ["Toner", "1", "42.00"]
        y = b.ruled_table(left, y + pitch, cells, [rng.randint(220, 320)] * columns, int(size * 2.2))
        b.line(b.item(left, y + 2 * pitch, f"Contoso Ltd, footer of page {page}"))
    elif kind == "gaps":
        y = 60
        for n in range(rng.randint(12, 20)):
            fields = rng.randint(2, 4)
            texts = []
            for _ in range(fields):
                words = [VOCABULARY[rng.randrange(len(VOCABULARY))] for _ in range(rng.randint(1, 3))]
                texts.append(" ".join(words))
            texts[0] = texts[0].capitalize() + ":"
            x = left + rng.randint(0, 40)
            items = []
            for text in texts:
                if x + b.width_of(text) > right:
                    break
                items.append(b.item(x, y, text))
                x += b.width_of(text) + size * rng.uniform(1.5, 4.0)  # a wide gap at no common position
            b.line(*items)
            y += pitch
    elif kind == "columns":
        gutter = rng.randint(45, 110)
        column = (right - left - gutter) / 2
        b.line(b.item(left, 50, "Quarterly statement and notes for customers", size + 8))
        top = 50 + int((size + 8) * 2.2)
        counts = (rng.randint(14, 24), rng.randint(10, 24))
        bottom = top
        for c, count in enumerate(counts):
            x = left + c * (column + gutter)
            for i, text in enumerate(_sentence_lines(rng, count, column, b)):
                b.line(b.item(x, top + i * pitch, text))
                bottom = max(bottom, top + (i + 1) * pitch)
        b.line(b.item(left, bottom + 2 * pitch, "Northwind Traders, 12 Harbour Road, Portsmouth"))
    elif kind == "table":
        y = 60
        for text in _sentence_lines(rng, rng.randint(3, 6), right - left, b):
            b.line(b.item(left, y, text))
            y += pitch
        rows, columns = rng.randint(3, 5), rng.randint(3, 4)
        header = ["Item", "Quantity", "Price", "Amount"][:columns]
        cells = [header] + [[rng.choice(ITEMS).split()[0], str(rng.randint(1, 20)), f"{rng.randint(5, 400)}.00",
                             f"{rng.randint(10, 900)}.00"][:columns] for _ in range(rows - 1)]
        widths = [rng.randint(200, 260)] + [rng.randint(150, 200)] * (columns - 1)
        y = b.ruled_table(left, y + pitch, cells, widths, int(size * 2.1))
        y += pitch
        for text in _sentence_lines(rng, rng.randint(1, 3), right - left, b):
            b.line(b.item(left, y, text))
            y += pitch
        b.line(b.item(left, HEIGHT - 140, "Payment due within thirty days of the invoice date"))
        b.line(b.item(WIDTH / 2 - b.width_of("Page 1 of 1") / 2, HEIGHT - 80, "Page 1 of 1"))
    elif kind == "amounts":
        y = 60
        b.line(b.item(left, y, f"Invoice {rng.randint(1000, 9999)}", size + 6))
        y += 2 * pitch
        total = 0
        for item in rng.sample(ITEMS, rng.randint(6, 11)):
            value = rng.randint(5, 4000)
            total += value
            amount = f"{value:,}.00"
            b.line(b.item(left, y, item), b.item(right - b.width_of(amount), y, amount))
            y += pitch
        y += pitch // 2
        amount = f"{total:,}.00"
        b.line(b.item(left, y, "Total due"), b.item(right - b.width_of(amount), y, amount))
        y += 2 * pitch
        b.line(b.item(left, y, "Thank you for your business"))
    else:
        raise ValueError(kind)
    return b.spec


def issue_spec() -> dict:
    """The page of issue 11 as it was reported: 25 printed lines "Page 1 line N: invoice total N.00 USD
    for Contoso" (DejaVu Sans, 30 px) on a 150 dpi scan, a small 3 x 3 ruled table below, a footer."""
    b = _Builder("issue-11", "report", "DejaVuSans", 30)
    y = 75
    for n in range(1, 26):
        b.line(b.item(90, y, f"Page 1 line {n}: invoice total {n}.00 USD for Contoso"))
        y += 45
    cells = [["Item", "Qty", "Total"], ["Paper", "2", "9.50"], ["Toner", "1", "42.00"]]
    y = b.ruled_table(90, y + 30, cells, [300, 200, 200], 66)
    b.line(b.item(90, HEIGHT - 110, "Contoso Ltd, 1 Main Street, footer of page 1"))
    return b.spec


# -- rendering and truth ------------------------------------------------------------------------

def render(spec: dict) -> Image.Image:
    image = Image.new("L", (spec["width"], spec["height"]), 255)
    draw = ImageDraw.Draw(image)
    for item in spec["items"]:
        draw.text((item["x"], item["y"]), item["text"], font=font(spec["font"], item["size"]), fill=0)
    for x0, y0, x1, y1 in spec["rules"]:
        draw.line([(x0, y0), (x1, y1)], fill=0, width=3)
    return image


@dataclass(frozen=True)
class TruthWord:
    line: int  # index of its truth line, in reading order
    order: int  # index of the word in the page's reading order
    text: str
    box: tuple[float, float, float, float]


def truth_words(spec: dict) -> list[TruthWord]:
    words: list[TruthWord] = []
    for index, items in enumerate(spec["lines"]):
        for item_index in items:
            item = spec["items"][item_index]
            face = font(spec["font"], item["size"])
            text = item["text"]
            _, top, _, bottom = face.getbbox(text)
            position = 0
            for word in text.split():
                start = text.index(word, position)
                position = start + len(word)
                x0 = item["x"] + face.getlength(text[:start])
                x1 = item["x"] + face.getlength(text[:position])
                words.append(TruthWord(index, len(words), word, (x0, item["y"] + top, x1, item["y"] + bottom)))
    return words


def truth_lines(spec: dict) -> list[str]:
    return [" ".join(spec["items"][i]["text"] for i in items) for items in spec["lines"]]


# -- scoring ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Score:
    whole: float  # share of truth lines returned whole
    tau: float  # Kendall's tau of word order, -1..1
    edit: float  # normalised edit distance of the line sequence, 0 (same) .. 1

    def __str__(self) -> str:
        return f"whole {self.whole:.3f}  tau {self.tau:.3f}  edit {self.edit:.3f}"


def _box(polygon) -> tuple[float, float, float, float]:
    xs = [p[0] for p in polygon]
    ys = [p[1] for p in polygon]
    return min(xs), min(ys), max(xs), max(ys)


def _matches(box, truth: list[TruthWord]) -> list[int]:
    """Truth words (by order) that a returned word's box covers: more than 30% of the narrower
    of the two boxes' widths (an engine's word boxes may be estimates), and a vertical overlap."""
    found = []
    for word in truth:
        x0, y0, x1, y1 = word.box
        overlap_x = min(box[2], x1) - max(box[0], x0)
        overlap_y = min(box[3], y1) - max(box[1], y0)
        if overlap_x > 0.3 * min(x1 - x0, box[2] - box[0]) and overlap_y > 0.3 * (y1 - y0):
            found.append(word.order)
    return found


def score(spec: dict, lines: list[list[tuple[str, object]]]) -> Score:
    """``lines``: the returned lines in order, each a list of (word text, word polygon in pixels)."""
    truth = truth_words(spec)
    count = len(spec["lines"])
    returned: list[list[int]] = []  # per returned line: the truth words it covers, in order
    for line in lines:
        covered: list[int] = []
        for _, polygon in line:
            covered.extend(o for o in _matches(_box(polygon), truth) if o not in covered)
        returned.append(covered)
    # Whole lines.
    whole = 0
    for index in range(count):
        wanted = {w.order for w in truth if w.line == index}
        for covered in returned:
            if set(covered) == wanted:
                whole += 1
                break
    # Word order: Kendall's tau over the words found (each at its first place in the stream).
    stream: list[int] = []
    seen: set[int] = set()
    for covered in returned:
        for order in covered:
            if order not in seen:
                seen.add(order)
                stream.append(order)
    n = len(stream)
    concordant = discordant = 0
    for i in range(n):
        for j in range(i + 1, n):
            if stream[i] < stream[j]:
                concordant += 1
            else:
                discordant += 1
    tau = (concordant - discordant) / max(1, concordant + discordant)
    # Line sequence: which truth line each returned word belongs to, runs collapsed.
    by_order = {w.order: w.line for w in truth}
    sequence: list[int] = []
    for order in stream:
        line_index = by_order[order]
        if not sequence or sequence[-1] != line_index:
            sequence.append(line_index)
    target = list(range(count))
    edit = _levenshtein(sequence, target) / max(len(sequence), len(target), 1)
    return Score(whole / max(1, count), tau, edit)


def _levenshtein(a: list[int], b: list[int]) -> int:
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def mean(scores: list[Score]) -> Score:
    n = max(1, len(scores))
    return Score(sum(s.whole for s in scores) / n, sum(s.tau for s in scores) / n, sum(s.edit for s in scores) / n)


# -- the two parts ------------------------------------------------------------------------------

def tuning_set() -> list[dict]:
    return [make_spec(kind, seed) for kind in KINDS for seed in TUNING_SEEDS]


def heldout_set() -> list[dict]:
    return json.loads(HELDOUT_PATH.read_text())["pages"]


def write_heldout() -> None:
    pages = [make_spec(kind, seed) for kind in KINDS for seed in HELDOUT_SEEDS]
    HELDOUT_PATH.write_text(json.dumps({
        "about": "Held-out reading-order pages (tests/vision/reading_pages.py): frozen before tuning; "
                 "never tune on these.",
        "pages": pages}, indent=1) + "\n")


if __name__ == "__main__":
    if sys.argv[1:] == ["--write-heldout"]:
        write_heldout()
