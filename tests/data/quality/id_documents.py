"""Renders the ID-document and business-card evaluation sets (issue 17) as PDFs and scans.

The truth is hand-written in `id_documents.jsonl` (8 passports with a TD3 machine-readable zone,
6 identity cards with a TD1 zone, 6 US driving licences: the printed front and, beside it, the
back with its AAMVA PDF417 barcode) and `business_cards.jsonl` (20 cards, 4 layouts): the field
values Azure's prebuilt-idDocument and prebuilt-businessCard return (dates ISO, countries
ISO 3166-1 alpha-3, phone numbers as printed). The MRZ and the AAMVA record are computed from
the row (check digits by ICAO 9303); the PDF417 symbol is encoded by zxing-cpp (already a
dependency; it reads and writes PDF417). `medium` is `pdf` (born-digital, text layer; licences
never, their barcode is an image) or `png` (a 200 dpi scan degraded by `noise`).

Rendering reuses the printers of `invoices.py`; it is deterministic (noise seeded by row id).

Split: within each document kind (passport, idcard, licence; each card layout) rows alternate
dev, heldout by id.

Usage:
    python tests/data/quality/id_documents.py              # check the rows, print the counts
    python tests/data/quality/id_documents.py --out DIR    # also write the dev documents
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import json
import sys
import zlib
from collections import Counter
from datetime import date
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

HERE = Path(__file__).resolve().parent
ID_DOCUMENTS = HERE / "id_documents.jsonl"
BUSINESS_CARDS = HERE / "business_cards.jsonl"
SPLITS = ("dev", "heldout")
DPI = 200


def _printers():
    spec = importlib.util.spec_from_file_location("quality_invoices", HERE / "invoices.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("quality_invoices", module)
    spec.loader.exec_module(module)
    return module


P = _printers()
Text, Rule = P.Text, P.Rule

# -- machine-readable zone (ICAO 9303) -------------------------------------------------------------

# Germany is the one state whose code in the MRZ is not its alpha-3 code.
MRZ_CODES = {"DEU": "D<<"}


def check_digit(text: str) -> str:
    total = 0
    for i, c in enumerate(text):
        value = int(c) if c.isdigit() else ord(c) - 55 if c.isalpha() else 0
        total += value * (7, 3, 1)[i % 3]
    return str(total % 10)


def _mrz_name(last: str, first: str, width: int) -> str:
    clean = lambda s: "".join(c if c.isalpha() else "<" for c in s.upper().replace("'", ""))  # noqa: E731
    return (clean(last) + "<<" + clean(first)).ljust(width, "<")[:width]


def _yymmdd(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%y%m%d")


def mrz(row: dict) -> list[str]:
    f = row["fields"]
    state = MRZ_CODES.get(f["CountryRegion"], f["CountryRegion"])
    nation = MRZ_CODES.get(f["Nationality"], f["Nationality"])
    number = f["DocumentNumber"].ljust(9, "<")
    dob, exp = _yymmdd(f["DateOfBirth"]), _yymmdd(f["DateOfExpiration"])
    if row["kind"] == "passport":
        line1 = "P<" + state + _mrz_name(f["LastName"], f["FirstName"], 39)
        personal = "<" * 14
        parts = number + check_digit(number) + nation + dob + check_digit(dob) + f["Sex"] + exp + check_digit(exp)
        line2 = parts + personal + check_digit(personal)
        composite = line2[0:10] + line2[13:20] + line2[21:43]
        return [line1, line2 + check_digit(composite)]
    line1 = ("I<" + state + number + check_digit(number)).ljust(30, "<")
    line2 = (dob + check_digit(dob) + f["Sex"] + exp + check_digit(exp) + nation).ljust(29, "<")
    composite = line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29]
    return [line1, line2 + check_digit(composite), _mrz_name(f["LastName"], f["FirstName"], 30)]


# -- AAMVA DL/ID card design standard, PDF417 on the back ---------------------------------------------

IIN = {"WA": "636045", "CA": "636014", "IL": "636035", "MN": "636038", "TX": "636015", "NY": "636001"}


def aamva(row: dict) -> str:
    f = row["fields"]
    mdy = lambda iso: date.fromisoformat(iso).strftime("%m%d%Y")  # noqa: E731
    street, rest = f["Address"]
    city, state_zip = rest.rsplit(", ", 1)
    state, postal = state_zip.split()
    feet, inches = f["Height"].split("-")
    elements = [("DCA", f["VehicleClassifications"]), ("DCB", "NONE"), ("DCD", "NONE"),
                ("DBA", mdy(f["DateOfExpiration"])), ("DCS", f["LastName"].upper()), ("DAC", f["FirstName"].upper()),
                ("DAD", f["MiddleName"].upper()), ("DBD", mdy(f["DateOfIssue"])), ("DBB", mdy(f["DateOfBirth"])),
                ("DBC", "1" if f["Sex"] == "M" else "2"), ("DAY", f["EyeColor"]),
                ("DAU", f"{int(feet) * 12 + int(inches):03d} IN"), ("DAG", street.upper()), ("DAI", city.upper()),
                ("DAJ", state), ("DAK", postal.ljust(9, "0")), ("DAQ", f["DocumentNumber"]),
                ("DCF", f"{row['id'].upper()}{zlib.crc32(row['id'].encode()) % 100000:05d}"), ("DCG", "USA")]
    body = "DL" + "\n".join(code + value for code, value in elements) + "\r"
    header = f"@\n\x1e\rANSI {IIN[f['Region']]}090001DL00310{len(body):04d}"
    return header + body


def pdf417(text: str) -> Image.Image:
    import zxingcpp

    barcode = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.PDF417)
    return Image.fromarray(np.asarray(zxingcpp.write_barcode_to_image(barcode, scale=3))).convert("L")


# -- layouts (points; the page is the scanner glass or a card-sized PDF) -------------------------------

PASSPORT = (500.0, 350.0)
CARD = (360.0, 230.0)
LICENCE = (612.0, 260.0)  # front left, back right, as a photocopy of both sides
BUSINESS_CARD = (252.0, 144.0)  # 3.5 x 2 in

MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]


def _printed(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{d.day:02d} {MONTHS[d.month - 1]} {d.year}"


def id_ops(row: dict) -> tuple[list, tuple[float, float]]:
    f, kind = row["fields"], row["kind"]
    ops: list = []
    if kind == "passport":
        ops.append(Text(24, 18, "PASSPORT", 14, True))
        ops.append(Text(476, 18, f"Passport No. {f['DocumentNumber']}", 9, False, "right"))
        pairs = [("Surname", f["LastName"].upper()), ("Given names", f["FirstName"].upper()),
                 ("Nationality", f["Nationality"]), ("Date of birth", _printed(f["DateOfBirth"])),
                 ("Sex", f["Sex"]), ("Place of birth", f["PlaceOfBirth"].upper()),
                 ("Date of issue", _printed(f["DateOfIssue"])), ("Date of expiry", _printed(f["DateOfExpiration"]))]
        for i, (label, value) in enumerate(pairs):
            ops += [Text(150, 48 + i * 26, label, 7), Text(150, 57 + i * 26, value, 10, True)]
        ops += [Rule(24, 48, 130, 48), Rule(130, 48, 130, 200), Rule(24, 200, 130, 200), Rule(24, 48, 24, 200)]
        lines, size, top = mrz(row), PASSPORT, 282
    elif kind == "idcard":
        ops.append(Text(20, 14, "IDENTITY CARD", 12, True))
        pairs = [("Surname", f["LastName"].upper()), ("Given names", f["FirstName"].upper()),
                 ("Date of birth", _printed(f["DateOfBirth"])), ("Sex", f["Sex"]),
                 ("Nationality", f["Nationality"]), ("Card No.", f["DocumentNumber"]),
                 ("Expiry", _printed(f["DateOfExpiration"]))]
        for i, (label, value) in enumerate(pairs):
            ops += [Text(20 + (i % 2) * 170, 36 + (i // 2) * 26, label, 6),
                    Text(20 + (i % 2) * 170, 44 + (i // 2) * 26, value, 9, True)]
        lines, size, top = mrz(row), CARD, 150
    else:
        us = lambda iso: date.fromisoformat(iso).strftime("%m/%d/%Y")  # noqa: E731
        ops.append(Text(20, 14, f"{f['Region']}  DRIVER LICENSE", 12, True))
        pairs = [f"DL {f['DocumentNumber']}", f"EXP {us(f['DateOfExpiration'])}", f"LN {f['LastName'].upper()}",
                 f"FN {f['FirstName'].upper()} {f['MiddleName'].upper()}", *[a.upper() for a in f["Address"]],
                 f"DOB {us(f['DateOfBirth'])}", f"SEX {f['Sex']}  HGT {f['Height']}  EYES {f['EyeColor']}",
                 f"CLASS {f['VehicleClassifications']}  ISS {us(f['DateOfIssue'])}"]
        for i, text in enumerate(pairs):
            ops.append(Text(110, 40 + i * 18, text, 9, i < 4))
        ops += [Rule(20, 40, 96, 40), Rule(96, 40, 96, 150), Rule(20, 150, 96, 150), Rule(20, 40, 20, 150)]
        return ops, LICENCE
    ops += [Text(20, top + i * 16, line, 11) for i, line in enumerate(lines)]
    return ops, size


def card_ops(row: dict) -> list:
    f, layout = row["fields"], row["layout"]
    name = " ".join([f["ContactNames"][0]["FirstName"], f["ContactNames"][0]["LastName"]])
    address = f["Addresses"][0]
    contact = [*(f"Mobile {p}" for p in f["MobilePhones"]), *(f"Tel {p}" for p in f["WorkPhones"]),
               *(f"Fax {p}" for p in f["Faxes"]), *f["Emails"], *f["Websites"]]
    title = [*f["JobTitles"], *f["Departments"]]
    ops: list = []
    if layout == "left":
        ops.append(Text(16, 12, f["CompanyNames"][0], 10, True))
        ops.append(Text(16, 36, name, 11, True))
        ops += [Text(16, 50 + i * 10, t, 7) for i, t in enumerate(title)]
        ops += [Text(16, 78 + i * 9, t, 6.5) for i, t in enumerate(address)]
        ops += [Text(236, 78 + i * 9, t, 6.5, False, "right") for i, t in enumerate(contact[:-2])]
        ops += [Text(16, 118 + i * 9, t, 6.5) for i, t in enumerate(contact[-2:])]
    elif layout == "center":
        ops.append(Text(126, 12, name, 12, True, "center"))
        ops += [Text(126, 28 + i * 10, t, 7, False, "center") for i, t in enumerate(title)]
        ops.append(Text(126, 52, f["CompanyNames"][0], 9, True, "center"))
        ops += [Text(126, 68 + i * 9, t, 6.5, False, "center") for i, t in enumerate([", ".join(address)] + contact)]
    elif layout == "split":
        ops.append(Text(16, 14, name, 11, True))
        ops += [Text(16, 28 + i * 10, t, 7) for i, t in enumerate(title)]
        ops.append(Text(236, 14, f["CompanyNames"][0], 8, True, "right"))
        ops += [Text(16, 70 + i * 9, t, 6.5) for i, t in enumerate(contact)]
        ops += [Text(236, 70 + i * 9, t, 6.5, False, "right") for i, t in enumerate(address)]
    elif layout == "modern":
        ops.append(Text(16, 12, f["CompanyNames"][0].upper(), 9, True))
        ops.append(Rule(16, 26, 236, 26))
        ops.append(Text(16, 34, name, 12, True))
        ops.append(Text(16, 50, " | ".join(title), 7))
        ops += [Text(16, 70 + i * 9, t, 6.5) for i, t in enumerate(contact + address)]
    else:
        raise ValueError(f"{row['id']}: unknown layout {layout!r}")
    return ops


# -- printing --------------------------------------------------------------------------------------

def _noise(page: Image.Image, noise: str, seed: str) -> Image.Image:
    rng = np.random.default_rng(zlib.crc32(seed.encode("utf-8")))
    if noise == "gaussian":
        pixels = np.asarray(page, dtype=np.float64) + rng.normal(0.0, 20.0, (page.height, page.width))
        return Image.fromarray(np.clip(np.rint(pixels), 0, 255).astype(np.uint8), "L")
    if noise == "salt-pepper":
        pixels = np.array(page, dtype=np.uint8)
        draw = rng.random(pixels.shape)
        pixels[draw < 0.005] = 0
        pixels[(draw >= 0.005) & (draw < 0.01)] = 255
        return Image.fromarray(pixels, "L")
    if noise == "blur":
        return page.filter(ImageFilter.GaussianBlur(1.1))
    if noise == "jpeg":
        buffer = io.BytesIO()
        page.save(buffer, format="JPEG", quality=30)
        return Image.open(io.BytesIO(buffer.getvalue())).convert("L")
    return page


def _number(row: dict) -> int:
    return int(row["id"].split("-")[1])


def render(row: dict) -> bytes:
    """The document of a row (ID document or business card): PDF or PNG bytes."""
    if row["id"].startswith("bc-"):
        ops, size, scale_up = card_ops(row), BUSINESS_CARD, 2.0
    else:
        (ops, size), scale_up = id_ops(row), 1.0
    if scale_up != 1.0:  # a card is scanned at twice its size, as a phone photo fills the frame
        ops = [Rule(o.x1 * scale_up, o.y1 * scale_up, o.x2 * scale_up, o.y2 * scale_up) if isinstance(o, Rule)
               else Text(o.x * scale_up, o.y * scale_up, o.text, o.size * scale_up, o.bold, o.align) for o in ops]
        size = (size[0] * scale_up, size[1] * scale_up)
    family = "mono" if row.get("kind") in ("passport", "idcard") else "sans"
    if row["medium"] == "pdf":
        return P.pdf(ops, size, family)
    faces = (P.MONO_FACES if family == "mono" else P.SANS_FACES)[_number(row) % 3]
    page = Image.open(io.BytesIO(P.scan(ops, size, faces, "none", row["id"]))).convert("L")
    if row.get("kind") == "licence":
        symbol = pdf417(aamva(row))
        symbol.thumbnail((round(270 * DPI / 72), round(120 * DPI / 72)))
        page.paste(symbol, (round(326 * DPI / 72), round(60 * DPI / 72)))
    page = _noise(page, row["noise"], row["id"])
    buffer = io.BytesIO()
    page.save(buffer, format="PNG", dpi=(DPI, DPI))
    return buffer.getvalue()


# -- checks ----------------------------------------------------------------------------------------

def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def rows(kind: str, split: str | None = None) -> list[dict]:
    """The rows of `id_documents` or `business_cards`, optionally of one split."""
    data = load(ID_DOCUMENTS if kind == "id_documents" else BUSINESS_CARDS)
    return [r for r in data if split is None or r["split"] == split]


def group(row: dict) -> str:
    return row.get("kind") or row["layout"]


def splits(data: list[dict]) -> dict[str, str]:
    """id -> split: rows of one kind (or card layout), sorted by id, alternate dev, heldout."""
    by_group: dict[str, list[str]] = {}
    for row in sorted(data, key=lambda r: r["id"]):
        by_group.setdefault(group(row), []).append(row["id"])
    assigned: dict[str, str] = {}
    odd = 0
    for name in sorted(by_group):
        for i, rid in enumerate(by_group[name]):
            assigned[rid] = SPLITS[(i + odd) % 2]
        odd += len(by_group[name]) % 2
    return assigned


def check(data: list[dict]) -> None:
    seen: set[str] = set()
    expected = splits(data)
    for row in data:
        rid = row["id"]
        if rid in seen:
            raise ValueError(f"duplicate id {rid}")
        seen.add(rid)
        if row.get("split") != expected[rid]:
            raise ValueError(f"{rid}: split {row.get('split')}, expected {expected[rid]}")
        if row["medium"] == "pdf" and (row["noise"] != "none" or row.get("kind") == "licence"):
            raise ValueError(f"{rid}: a PDF is born-digital, no noise, no barcode image")
        for key in ("DateOfBirth", "DateOfExpiration", "DateOfIssue"):
            if key in row["fields"]:
                date.fromisoformat(row["fields"][key])
        if row.get("kind") in ("passport", "idcard"):
            width = 44 if row["kind"] == "passport" else 30
            if any(len(line) != width for line in mrz(row)):
                raise ValueError(f"{rid}: MRZ line length")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="write the rendered documents here")
    parser.add_argument("--heldout", action="store_true", help="with --out: heldout rows too")
    parser.add_argument("--write-splits", action="store_true", help="assign `split` (only before the freeze)")
    args = parser.parse_args()
    for kind, path in (("id_documents", ID_DOCUMENTS), ("business_cards", BUSINESS_CARDS)):
        data = load(path)
        if args.write_splits:
            assigned = splits(data)
            data = [{**r, "split": assigned[r["id"]]} for r in data]
            path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in data), encoding="utf-8")
        check(data)
        counts = Counter((group(r), r["split"]) for r in data)
        print(f"\n{kind}: {len(data)} rows\n| | dev | heldout |\n|---|---|---|")
        for name in sorted({group(r) for r in data}):
            print(f"| {name} | {counts[name, 'dev']} | {counts[name, 'heldout']} |")
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            for row in data:
                if row["split"] == "dev" or args.heldout:
                    suffix = "pdf" if row["medium"] == "pdf" else "png"
                    (args.out / f"{row['id']}.{suffix}").write_bytes(render(row))


if __name__ == "__main__":
    main()
