"""Build ner_en.jsonl, pii_en.jsonl and langid.jsonl from the hand-written files in source/.

The sources mark entities inline as [[surface|Category/Subcategory]] so they stay readable; this
script strips the marks, finds each entity's offset by searching its text left to right, and
refuses the set when a span does not match, entities overlap, a category is not Azure's, or an
identifier contradicts its own checksum (the gold must agree with what Azure validates: a card
number is only PII when its Luhn check passes, an ITIN starts with 9, ...). Offsets are Python
string indices ("offset in characters", the convention of the other sets in tests/data).

Usage:
    python tests/data/quality/make_entity_sets.py          # rebuild the three sets, print counts
    python tests/data/quality/make_entity_sets.py --check  # fail if a set differs from its source
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "source"
sys.path.insert(0, str(HERE))

from split import split_rows  # noqa: E402  (a sibling script, not a package)

NER_CATEGORIES: dict[str, set[str]] = {
    "Person": set(),
    "PersonType": set(),
    "Location": {"GPE", "Structural", "Geographical"},
    "Organization": {"Medical", "Stock exchange", "Sports"},
    "Event": set(),
    "Product": set(),
    "Skill": set(),
    "Address": set(),
    "PhoneNumber": set(),
    "Email": set(),
    "URL": set(),
    "IP": set(),
    "DateTime": {"Date", "Time", "DateRange", "TimeRange", "Duration", "Set"},
    "Quantity": {"Number", "Percentage", "Ordinal", "Age", "Currency", "Dimension", "Temperature"},
}
PII_CATEGORIES = {
    "Person", "PersonType", "PhoneNumber", "Organization", "Address", "Email", "URL", "IPAddress",
    "DateTime", "Age", "USSocialSecurityNumber", "USIndividualTaxpayerIdentification",
    "CreditCardNumber", "InternationalBankingAccountNumber", "USBankAccountNumber",
    "ABARoutingNumber", "USDriversLicenseNumber", "USUKPassportNumber",
}
NER_DOMAINS = (
    "news", "business", "finance", "clinical", "legal", "tech", "sports", "travel", "email",
)
PII_DOMAINS = ("support", "clinical", "finance", "hr", "legal", "email", "chat", "form")
# Scripts written without spaces between words: the 3-20 word rule cannot be counted there.
UNSPACED = {"zh_chs", "zh_cht", "ja", "th", "km"}

MARK = re.compile(r"\[\[([^\[\]|]+)\|([^\[\]]+)\]\]")
CARD_LIKE = re.compile(r"(?<![\w-])\d(?:[ -]?\d){12,18}(?![\w-])")


def source_lines(name: str) -> list[list[str]]:
    lines = (SOURCE / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


def parse_marked(marked: str) -> tuple[str, list[tuple[str, str]]]:
    """The plain text and its (surface, label) marks, in order of appearance."""
    marks = [(m.group(1), m.group(2)) for m in MARK.finditer(marked)]
    text = MARK.sub(lambda m: m.group(1), marked)
    if "[[" in text or "]]" in text:
        raise ValueError(f"unbalanced mark in {marked!r}")
    return text, marks


def locate(text: str, marks: list[tuple[str, str]], row_id: str) -> list[dict]:
    """Entities with offsets found from their text, each searched after the previous one."""
    entities, cursor = [], 0
    for surface, label in marks:
        offset = text.find(surface, cursor)
        if offset < 0:
            raise ValueError(f"{row_id}: {surface!r} not found after {cursor}")
        category, _, subcategory = label.partition("/")
        entity = {"text": surface, "category": category}
        if subcategory:
            entity["subcategory"] = subcategory
        entity.update(offset=offset, length=len(surface))
        entities.append(entity)
        cursor = offset + len(surface)
    check_spans(text, entities, row_id)
    return entities


def check_spans(text: str, entities: list[dict], row_id: str) -> None:
    end = 0
    for e in sorted(entities, key=lambda e: e["offset"]):
        if text[e["offset"] : e["offset"] + e["length"]] != e["text"]:
            raise ValueError(f"{row_id}: span {e} does not match the text")
        if e["offset"] < end:
            raise ValueError(f"{row_id}: {e['text']!r} overlaps the previous entity")
        # A lowercase article is never part of an Azure span; "The Hague" is a name.
        if e["text"] != e["text"].strip() or e["text"].startswith("the "):
            raise ValueError(f"{row_id}: {e['text']!r} carries spaces or a leading 'the'")
        end = e["offset"] + e["length"]


def digits(s: str) -> str:
    return "".join(c for c in s if c.isdigit())


def luhn_ok(number: str) -> bool:
    total = 0
    for i, d in enumerate(int(c) for c in reversed(digits(number))):
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def aba_ok(number: str) -> bool:
    d = [int(c) for c in digits(number)]
    return len(d) == 9 and sum(x * w for x, w in zip(d, (3, 7, 1) * 3)) % 10 == 0


def iban_ok(number: str) -> bool:
    s = number.replace(" ", "")
    rearranged = s[4:] + s[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def ssn_like(number: str) -> tuple[int, int, int]:
    d = digits(number)
    if len(d) != 9:
        raise ValueError(f"{number!r} is not nine digits")
    return int(d[:3]), int(d[3:5]), int(d[5:])


def check_pii_entity(e: dict, row_id: str) -> None:
    category, value = e["category"], e["text"]
    bad = None
    if category not in PII_CATEGORIES:
        bad = "unknown category"
    elif category == "CreditCardNumber" and not luhn_ok(value):
        bad = "fails the Luhn check"
    elif category == "ABARoutingNumber" and not aba_ok(value):
        bad = "fails the ABA checksum"
    elif category == "InternationalBankingAccountNumber" and not iban_ok(value):
        bad = "fails the IBAN mod-97 check"
    elif category == "USSocialSecurityNumber":
        area, group, serial = ssn_like(value)
        if area in (0, 666) or area >= 900 or group == 0 or serial == 0:
            bad = "is not a valid SSN"
    elif category == "USIndividualTaxpayerIdentification":
        area, group, _ = ssn_like(value)
        itin_group = 50 <= group <= 65 or 70 <= group <= 88 or 90 <= group <= 92 or group >= 94
        if area < 900 or not itin_group:
            bad = "is not a valid ITIN"
    if bad:
        raise ValueError(f"{row_id}: {category} {value!r} {bad}")


def build_ner() -> list[dict]:
    rows, seen = [], Counter()
    for domain, marked in source_lines("ner_en.txt"):
        if domain not in NER_DOMAINS:
            raise ValueError(f"unknown NER domain {domain!r}")
        seen[domain] += 1
        row_id = f"ner-{domain}-{seen[domain]:02d}"
        text, marks = parse_marked(marked)
        entities = locate(text, marks, row_id)
        for e in entities:
            subs = NER_CATEGORIES.get(e["category"])
            if subs is None or e.get("subcategory", "") not in subs | {""}:
                raise ValueError(f"{row_id}: {e['category']}/{e.get('subcategory')} is not Azure's")
        rows.append({"id": row_id, "text": text, "entities": entities, "domain": domain})
    return split_by(rows, rarest_label(rows, entity_label))


def build_pii() -> list[dict]:
    rows, seen = [], Counter()
    for domain, marked in source_lines("pii_en.txt"):
        if domain not in PII_DOMAINS:
            raise ValueError(f"unknown PII domain {domain!r}")
        seen[domain] += 1
        row_id = f"pii-{domain}-{seen[domain]:02d}"
        text, marks = parse_marked(marked)
        entities = locate(text, marks, row_id)
        for e in entities:
            check_pii_entity(e, row_id)
        if not entities:
            # A negative's card-like digit runs must fail Luhn, or its gold "no card" is wrong.
            for run in CARD_LIKE.findall(text):
                if luhn_ok(run):
                    raise ValueError(f"{row_id}: negative holds a Luhn-valid number {run!r}")
        rows.append({"id": row_id, "text": text, "entities": entities, "domain": domain})
    return split_by(rows, rarest_label(rows, lambda e: e["category"]))


def build_langid() -> list[dict]:
    rows, seen, texts = [], Counter(), set()
    for language, group, text in source_lines("langid.txt"):
        seen[language] += 1
        row_id = f"lid-{language}-{seen[language]:02d}"
        words = len(text.split())
        if language not in UNSPACED and not 3 <= words <= 20:
            raise ValueError(f"{row_id}: {words} words, outside 3-20")
        if text in texts:
            raise ValueError(f"{row_id}: duplicate text")
        texts.add(text)
        rows.append({"id": row_id, "text": text, "language": language, "group": group})
    groups = {}
    for r in rows:
        if groups.setdefault(r["language"], r["group"]) != r["group"]:
            raise ValueError(f"{r['id']}: language {r['language']} in two groups")
    return split_by(rows, lambda r: r["language"])


def rarest_label(rows: list[dict], label_of):
    """A row's split label: its entity label that is rarest in the whole set ("none" if none).

    Alternating within these labels puts every rare category (an ITIN, an IP, a phone number)
    on both sides, which grouping by domain alone did not: one half held every phone number.
    """
    totals = Counter(label_of(e) for r in rows for e in r["entities"])

    def label(row: dict) -> str:
        found = [label_of(e) for e in row["entities"]]
        return min(found, key=lambda c: (totals[c], c)) if found else "none"

    return label


def split_by(rows: list[dict], label) -> list[dict]:
    """Apply split.split_rows, which groups on (label, domain), through a projection of each row."""
    projected = [
        {"id": r["id"], "label": label(r), "domain": r.get("domain", r.get("group"))}
        for r in rows
    ]
    split = {p["id"]: p["split"] for p in split_rows(projected, key=("label", "domain"))}
    return [{**r, "split": split[r["id"]]} for r in rows]


def counts_table(title: str, rows: list[dict], key) -> str:
    """Markdown table of rows (or entities) per value of `key` in dev and heldout."""
    counts: Counter = Counter()
    for r in rows:
        for value in key(r):
            counts[(value, r["split"])] += 1
    values = sorted({v for v, _ in counts})
    lines = [f"| {title} | dev | heldout | total |", "|---|---|---|---|"]
    for v in values:
        dev, held = counts[(v, "dev")], counts[(v, "heldout")]
        lines.append(f"| {v} | {dev} | {held} | {dev + held} |")
    dev = sum(n for (v, s), n in counts.items() if s == "dev")
    held = sum(n for (v, s), n in counts.items() if s == "heldout")
    lines.append(f"| **all** | {dev} | {held} | {dev + held} |")
    return "\n".join(lines)


def entity_label(e: dict) -> str:
    return f"{e['category']}/{e['subcategory']}" if "subcategory" in e else e["category"]


def report(ner: list[dict], pii: list[dict], lid: list[dict]) -> str:
    def blank(r: dict) -> list[str]:
        return [] if r["entities"] else ["(no entity)"]

    parts = [
        f"### ner_en.jsonl ({len(ner)} sentences, {sum(len(r['entities']) for r in ner)} entities)",
        counts_table("sentences per domain", ner, lambda r: [r["domain"]]),
        counts_table(
            "entities per category",
            ner,
            lambda r: [entity_label(e) for e in r["entities"]] + blank(r),
        ),
        f"### pii_en.jsonl ({len(pii)} snippets, {sum(not r['entities'] for r in pii)} negatives)",
        counts_table("snippets per domain", pii, lambda r: [r["domain"]]),
        counts_table(
            "entities per category",
            pii,
            lambda r: [e["category"] for e in r["entities"]] + blank(r),
        ),
        f"### langid.jsonl ({len(lid)} texts, {len({r['language'] for r in lid})} languages)",
        counts_table("texts per confusable group", lid, lambda r: [r["group"] or "(none)"]),
        counts_table("texts per language", lid, lambda r: [r["language"]]),
    ]
    return "\n\n".join(parts)


def dump(rows: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args()
    sets = {
        "ner_en.jsonl": build_ner(),
        "pii_en.jsonl": build_pii(),
        "langid.jsonl": build_langid(),
    }
    for name, rows in sets.items():
        path = HERE / name
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != dump(rows):
                sys.exit(f"{name} differs from source/; rebuild it")
        else:
            path.write_text(dump(rows), encoding="utf-8")
    print(report(*sets.values()))


if __name__ == "__main__":
    main()
