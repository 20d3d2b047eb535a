"""prebuilt-businessCard: Azure's business-card fields (every one an array) from the lines of a
laid-out card.

Each line (a segment; a "|" inside one splits it too) is given one role, most certain first:
e-mail and web address (the shared recognisers' patterns), phone numbers (phonenumbers, read
in the country the card's numbers or address suggest; its label says mobile, fax or work),
the postal address (a city line with a postal code and the street line above it), the company
(the shared organisation finder, or the line whose words spell the e-mail/web domain), job
titles (the shared role lexicon), departments (department words), and last the person: the
largest line of two or three capitalised words, preferred when the e-mail spells it.

Confidence comes from the kind of evidence: a validated pattern 0.95, a lexicon or domain match
0.85, a name found by shape alone 0.6 (0.85 when the e-mail spells it), scaled by OCR confidence.
These raw levels are then mapped to the precision dev showed for them (calibration.py).
"""

from __future__ import annotations

import re

from airgap.engines.entity_lexicon import find_organizations, find_roles
from airgap.services.document.engines.calibration import calibrate
from airgap.services.document.engines.address import looks_like_city_line, parse_address
from airgap.services.document.engines.parsers import find_phone
from airgap.services.document.engines.words import Document, Field, Word, mean_confidence, pages
from airgap.services.document.layout import Layout

_EMAIL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._%+-]*@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,24}")
_WEB = re.compile(r"(?:https?://)?(?:www\.)?(?:[a-z0-9-]+\.)+(?:com|org|net|io|co|uk|ie|de|fr|es|biz|info|"
                  r"studio|build|app|dev|ai|us|ca|eu|tech)(?:/\S*)?$", re.IGNORECASE)
_PHONE_LABELS = (("MobilePhones", r"mobile|mob|cell|m|c|handy|portable"), ("Faxes", r"fax|f"),
                 ("WorkPhones", r"tel|telephone|phone|office|work|direct|t|p|o|w|ph"))
_DEPARTMENT = re.compile(r"\b(department|dept|division|sales|marketing|finance|accounting|operations|"
                         r"development|engineering|compliance|management|research|r&d|human resources|hr|"
                         r"infrastructure|support|procurement|legal|it)\b", re.IGNORECASE)
# Title heads the shared role lexicon lacks (it lists roles people play in text, not on cards).
_TITLE = re.compile(r"\b(executive|owner|lead|designer|architect|carpenter|veterinarian|planner|agent|partner|"
                    r"specialist|consultant|analyst|officer|coordinator|representative|advisor|adviser|associate|"
                    r"administrator|founder|co-founder|principal|head|chef|technician|editor|producer|broker|"
                    r"realtor|accountant|auditor|recruiter|strategist|supervisor|manager|director|engineer|"
                    r"president|partner|scientist)\b", re.IGNORECASE)
_ADDRESS_HINT = re.compile(r"^\d+[A-Za-z]?\s+\w|\b(street|st|avenue|ave|road|rd|drive|dr|blvd|boulevard|lane|"
                           r"way|suite|quay|square|place|court)\b", re.IGNORECASE)
_NAME = re.compile(r"^(?:(?:Dr|Mr|Mrs|Ms|Prof)\.?\s+)?([A-Z][a-zA-Z'’\-]+)(?:\s+([A-Z]\.?|[A-Z][a-zA-Z'’\-]+))?"
                   r"\s+([A-Z][a-zA-Z'’\-]+)(?:,?\s+(?:PhD|MD|Jr\.?|Sr\.?|CFA|CPA))?$")
_COUNTRY_CODES = {"+1": "US", "+44": "GB", "+353": "IE", "+49": "DE", "+33": "FR", "+34": "ES", "+61": "AU"}


def _pieces(doc_pages) -> list[tuple[Word, ...]]:
    """Lines cut into segments, and segments cut at "|" separators."""
    found = []
    for page in doc_pages:
        for segment in page.segments:
            run: list[Word] = []
            for word in segment.words:
                if word.text in ("|", "¦", "•", "·"):
                    if run:
                        found.append(tuple(run))
                    run = []
                else:
                    run.append(word)
            if run:
                found.append(tuple(run))
    return found


def _text(words: tuple[Word, ...]) -> str:
    return " ".join(w.text for w in words)


def _height(words: tuple[Word, ...]) -> float:
    return max(w.box[3] - w.box[1] for w in words)


def _region(text: str) -> str:
    for code, region in _COUNTRY_CODES.items():
        if re.search(re.escape(code) + r"[\s(]", text):
            return region
    return "US"


def _domain_words(emails: list[str], webs: list[str]) -> set[str]:
    names = set()
    for address in emails + webs:
        host = address.split("@")[-1].lower()
        host = re.sub(r"^(https?://)?(www\.)?", "", host)
        names.add(re.sub(r"[^a-z0-9]", "", host.split(".")[0]))
    return names


def _spells_domain(text: str, domains: set[str]) -> bool:
    letters = re.sub(r"[^a-z0-9]", "", text.lower())
    first = re.sub(r"[^a-z0-9]", "", text.split()[0].lower()) if text.split() else ""
    return any(d and len(first) >= 3 and (d.startswith(first) or letters.startswith(d)) for d in domains)


def _split_name_and_company(pieces, used, domains):
    """A name and a company that OCR read as one run ("Ann Lee Acme Interiors") cut in two."""
    out, out_used = [], set()
    for i, words in enumerate(pieces):
        cut = None
        if i not in used and not _NAME.match(_text(words)):
            for k in range(2, len(words) - 1):
                left, right = _text(words[:k]), _text(words[k:])
                company = any(True for _ in find_organizations(right)) or _spells_domain(right, domains)
                if _NAME.match(left) and company:
                    cut = k
                    break
        if i in used:
            out_used.add(len(out))
        if cut is None:
            out.append(words)
        else:
            out += [words[:cut], words[cut:]]
    return out, out_used


def _string(words: tuple[Word, ...], confidence: float, value: str | None = None) -> Field:
    value = _text(words) if value is None else value
    return Field("string", value, words, round(confidence * (0.7 + 0.3 * mean_confidence(words)), 3))


def extract_business_card(layout: Layout) -> Document:
    document = Document("businessCard")
    pieces = _pieces(pages(layout))
    if not pieces:
        return document
    all_text = " ".join(_text(p) for p in pieces)
    region = _region(all_text)
    out: dict[str, list[Field]] = {}
    used: set[int] = set()
    emails, webs = [], []
    for i, words in enumerate(pieces):
        text = _text(words)
        if "@" in text or _WEB.search(re.sub(r"\s*\.\s*", ".", text)):
            text = re.sub(r"\s*([.@])\s*", r"\1", text)  # OCR spaces a dot apart at times
        email = _EMAIL.search(text)
        if email:
            out.setdefault("Emails", []).append(_string(words, 0.95, email.group()))
            emails.append(email.group())
            used.add(i)
            continue
        if _WEB.search(text.strip()) and " " not in text.strip():
            out.setdefault("Websites", []).append(_string(words, 0.95, text.strip()))
            webs.append(text.strip())
            used.add(i)
            continue
        phone = find_phone(text, region)
        if phone is not None and sum(c.isdigit() for c in text) >= 7 and not looks_like_city_line(text):
            label = text[:phone[1]].strip(" :.").lower()
            kind = next((name for name, pattern in _PHONE_LABELS if re.fullmatch(pattern, label)),
                        "OtherPhones" if not label else "WorkPhones")
            out.setdefault(kind, []).append(Field("phoneNumber", phone[0], words, 0.95))
            used.add(i)
    # The address: a city line and, above it, the street (or both on one line, comma-joined).
    for i, words in enumerate(pieces):
        if i in used:
            continue
        text = _text(words)
        lines: list[str] = []
        span = []
        if looks_like_city_line(text):
            above = next((j for j in range(i - 1, -1, -1) if j not in used), None)
            if above is not None and _ADDRESS_HINT.search(_text(pieces[above])):
                lines, span = [_text(pieces[above]), text], [above, i]
            else:
                lines, span = [text], [i]
        else:
            parts = [p.strip() for p in text.split(",")]
            for cut in range(1, len(parts)):
                if _ADDRESS_HINT.search(parts[0]) and looks_like_city_line(", ".join(parts[cut:])):
                    lines, span = [", ".join(parts[:cut]), ", ".join(parts[cut:])], [i]
                    break
        if lines:
            words_all = tuple(w for j in span for w in pieces[j])
            out.setdefault("Addresses", []).append(Field("address", parse_address(lines), words_all, 0.85))
            used.update(span)
            break
    domains = _domain_words(emails, webs)
    pieces, used = _split_name_and_company(pieces, used, domains)
    names: list[tuple[float, int, tuple[str, str]]] = []
    for i, words in enumerate(pieces):
        if i in used:
            continue
        text = _text(words).strip(" ,")
        if not re.search(r"[A-Za-z]", text) or re.search(r"\d", text):
            continue
        if any(True for _ in find_organizations(text)) or (_spells_domain(text, domains) and not _NAME.match(text)):
            out.setdefault("CompanyNames", []).append(_string(words, 0.85, text))
            used.add(i)
            continue
        # A department ends in its department word ("Customer Engineering"); a title names a role.
        if _DEPARTMENT.search(text.split()[-1]) or (_DEPARTMENT.search(text) and not _TITLE.search(text)):
            out.setdefault("Departments", []).append(_string(words, 0.75, text))
            used.add(i)
            continue
        if any(True for _ in find_roles(text)) or _TITLE.search(text):
            out.setdefault("JobTitles", []).append(_string(words, 0.85, text))
            used.add(i)
            continue
        match = _NAME.match(text)
        if match:
            first, last = match.group(1), match.group(3)
            spelled = any(last.lower() in e.lower() or first.lower() in e.split("@")[0].lower() for e in emails)
            names.append((_height(words) * (2.0 if spelled else 1.0), i, (first, last)))
    if names:
        _, i, (first, last) = max(names)
        words = pieces[i]
        spelled = any(last.lower() in e.lower() for e in emails)
        confidence = 0.85 if spelled else 0.6
        name_field = _string(words, confidence)
        first_words = tuple(w for w in words if w.text.strip(",") == first)
        last_words = tuple(w for w in words if w.text.strip(",") == last)
        name_field.kind, name_field.value = "object", {
            "FirstName": Field("string", first, first_words, name_field.confidence),
            "LastName": Field("string", last, last_words, name_field.confidence)}
        out["ContactNames"] = [name_field]
        used.add(i)
        # Company by position, when no pattern named it: the largest other line left over.
        if "CompanyNames" not in out:
            rest = [(j, pieces[j]) for j in range(len(pieces))
                    if j not in used and not re.search(r"\d", _text(pieces[j]))]
            if rest:
                j, words = max(rest, key=lambda r: _height(r[1]))
                out["CompanyNames"] = [_string(words, 0.5)]
    for name in ("ContactNames", "CompanyNames", "JobTitles", "Departments", "Emails", "Websites", "MobilePhones",
                 "WorkPhones", "Faxes", "OtherPhones", "Addresses"):
        if name in out:
            document.fields[name] = Field("array", out[name])
    found = [f.confidence for values in out.values() for f in values if f.confidence is not None]
    document.confidence = round(sum(found) / len(found), 3) if found else 0.0
    return calibrate("businessCard", document)
