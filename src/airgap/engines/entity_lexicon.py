"""Word lists and shapes that the small statistical NER model does not know, shared by NER and PII.

The small spaCy model misses roles it never saw ("jurors", "loan officer"), calls well-known
companies people ("Berkshire Hathaway"), products organisations ("Nespresso") and leaves units
off quantities ("40" of "40 mg"). These finders run on raw text and return spans; the engines
decide priorities. Lists are hand-written from general knowledge, not from any evaluation row.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# Roles Azure reports as PersonType (singular; plurals are derived).
ROLES = (
    "ceo", "cfo", "cto", "coo", "cio", "chief executive", "chief executive officer", "chief financial officer",
    "chief operating officer", "chief technology officer", "chairman", "chairwoman", "chairperson", "chair",
    "president", "vice president", "director", "manager", "engineer", "software engineer", "developer",
    "programmer", "scientist", "data scientist", "researcher", "professor", "teacher", "student", "pupil",
    "doctor", "physician", "surgeon", "nurse", "pharmacist", "dentist", "patient", "paramedic", "midwife",
    "therapist", "psychiatrist", "psychologist", "cardiologist", "radiologist", "clinician", "caregiver",
    "lawyer", "attorney", "solicitor", "barrister", "judge", "juror", "plaintiff", "defendant", "claimant",
    "witness", "prosecutor", "tenant", "landlord", "lessee", "lessor", "buyer", "seller", "vendor",
    "contractor", "subcontractor", "borrower", "lender", "guarantor", "trustee", "beneficiary", "executor",
    "senator", "governor", "mayor", "minister", "prime minister", "secretary", "ambassador", "regulator",
    "lawmaker", "legislator", "diplomat", "official", "spokesperson", "spokesman", "spokeswoman",
    "journalist", "reporter", "editor", "author", "writer", "artist", "musician", "singer", "actor",
    "actress", "chef", "pilot", "flight attendant", "driver", "farmer", "architect", "accountant", "auditor",
    "analyst", "data analyst", "consultant", "designer", "founder", "co-founder", "cofounder", "entrepreneur",
    "investor", "shareholder", "stakeholder", "employee", "customer", "client", "officer",
    "loan officer", "police officer", "policeman", "policewoman", "soldier", "firefighter", "coach",
    "player", "athlete", "captain", "cyclist", "runner", "swimmer", "goalkeeper", "striker", "referee",
    "intern", "volunteer", "technician", "mechanic", "electrician", "plumber", "cashier", "salesperson",
    "economist", "historian", "biologist", "chemist", "physicist", "mathematician", "photographer",
    "priest", "pastor", "rabbi", "imam", "king", "queen", "prince", "princess", "resident", "citizen",
    "passenger", "traveller", "traveler", "tourist", "guest", "host", "visitor", "subscriber", "user",
    "shopper", "consumer", "recruiter", "candidate", "applicant", "hiring manager", "supervisor",
    "administrator", "receptionist", "assistant", "agent", "broker", "banker", "trader", "teller",
    "clerk", "courier", "fan", "spectator", "voter", "worker", "staff member", "colleague", "partner",
    "man", "woman", "boy", "girl", "son", "daughter", "mother", "father", "husband", "wife",
    "brother", "sister", "parent", "grandmother", "grandfather", "baby", "infant", "teenager",
)
# Words that make a role more specific and belong to it ("senior engineer", "former manager").
_ROLE_MODIFIERS = ("senior", "junior", "retired", "former", "lead", "principal", "deputy", "assistant",
                   "acting", "interim", "associate", "managing", "executive", "head", "chief", "staff")
# Where a role word is not a person ("driver's license", "host name", "user name").
_NOT_A_ROLE_AFTER = re.compile(r"(?:'s|’s)?\s*(?:licen[cs]e|name|id|account|software|update|interface|"
                               r"guide|manual|agreement|portal)\b", re.IGNORECASE)


def _plural(role: str) -> str:
    if role.endswith(("man", "woman")) and not role.endswith(("human", "german")):
        return role[:-3] + "men"
    if role == "child":
        return "children"
    if role.endswith("wife"):
        return role[:-4] + "wives"
    if role.endswith(("s", "sh", "ch")):
        return role + "es"
    if role.endswith("y") and role[-2:-1] not in "aeiou":
        return role[:-1] + "ies"
    return role + "s"


def _alternation(words) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))


_ROLE_WORDS = _alternation([form for role in ROLES for form in (role, _plural(role))])
_ROLE = re.compile(rf"(?i:\b(?:(?:{'|'.join(_ROLE_MODIFIERS)})\s+)?(?:{_ROLE_WORDS})\b)"
                   r"|\bHead of [A-Z][a-z]+(?: and [A-Z][a-z]+)?\b")


def find_roles(text: str) -> Iterator[tuple[int, int]]:
    """Spans of person types: "nurse", "loan officers", "retired teacher", "Head of Marketing"."""
    for m in _ROLE.finditer(text):
        if _NOT_A_ROLE_AFTER.match(text, m.end()):
            continue
        yield m.start(), m.end()


# Well-known organisations that have no company suffix. Case-sensitive, whole words.
KNOWN_ORGANIZATIONS = (
    # technology and media
    "Apple", "Microsoft", "Google", "Alphabet", "Amazon", "Meta", "Facebook", "Netflix", "Nvidia", "Intel",
    "AMD", "IBM", "Oracle", "Salesforce", "Adobe", "Cisco", "Samsung", "Sony", "Nintendo", "Huawei", "Xiaomi",
    "Lenovo", "Dell", "HP", "Siemens", "Philips", "Panasonic", "Toshiba", "Spotify", "Uber", "Lyft", "Airbnb",
    "Tesla", "OpenAI", "Anthropic", "TikTok", "ByteDance", "Alibaba", "Tencent", "Baidu", "SAP", "Qualcomm",
    "Broadcom", "PayPal", "eBay", "Shopify", "Zoom", "Slack", "Dropbox", "Twitter", "LinkedIn", "Reddit",
    "Pinterest", "GitHub", "Yahoo", "Atlassian", "ASML", "TSMC", "Foxconn", "Ericsson", "Nokia",
    "Vodafone", "Verizon", "Comcast", "Disney", "Warner Bros", "Reuters", "Bloomberg", "BBC", "CNN",
    # consumer goods, retail, food
    "Nestlé", "Nestle", "Unilever", "Procter & Gamble", "Coca-Cola", "PepsiCo", "Danone", "Heineken",
    "Carlsberg", "Starbucks", "McDonald's", "Walmart", "Costco", "IKEA", "Ikea", "H&M", "Zara",
    "Inditex", "Nike", "Adidas", "Puma", "L'Oréal", "LVMH", "Gucci", "Prada", "Chanel", "Hermès", "Tesco",
    "Sainsbury's", "Aldi", "Lidl", "Carrefour", "Kellogg's", "Mondelez", "Kraft Heinz",
    # cars, industry, energy
    "Toyota", "Volkswagen", "BMW", "Mercedes-Benz", "Daimler", "General Motors", "Honda", "Nissan",
    "Hyundai", "Kia", "Renault", "Stellantis", "Volvo", "Ferrari", "Porsche", "Boeing", "Airbus",
    "Lockheed Martin", "Shell", "BP", "ExxonMobil", "Chevron", "TotalEnergies", "Aramco", "Rio Tinto",
    "BHP", "Glencore", "ArcelorMittal", "Bayer", "BASF", "Pfizer", "Moderna", "AstraZeneca", "Novartis",
    "Roche", "Sanofi", "GSK", "Merck", "Johnson & Johnson", "Medtronic",
    # finance
    "Goldman Sachs", "Morgan Stanley", "JPMorgan", "JPMorgan Chase", "Citigroup", "Citi", "Barclays", "HSBC",
    "BNP Paribas", "Deutsche Bank", "UBS", "Credit Suisse", "Santander", "Wells Fargo", "Bank of America",
    "BlackRock", "Berkshire Hathaway", "Mastercard", "American Express", 
    "Lloyds", "NatWest", "ING", "Allianz", "AXA", "Moody's", "Fitch",
    # travel and hospitality
    "Ryanair", "easyJet", "Lufthansa", "British Airways", "Air France", "KLM", "Emirates", "Qatar Airways",
    "United Airlines", "American Airlines", "Southwest Airlines", "Qantas", "Singapore Airlines",
    "Hilton", "Marriott", "Hyatt", "Accor", "Expedia", "Booking.com", "Hertz", "Avis",
    # professional services and law firms
    "Deloitte", "PwC", "KPMG", "EY", "Ernst & Young", "Accenture", "McKinsey", "Boston Consulting Group",
    "Bain", "Baker McKenzie", "Clifford Chance", "Linklaters", "Allen & Overy", "Freshfields",
    "Latham & Watkins", "Skadden", "Kirkland & Ellis", "DLA Piper", "Herbert Smith Freehills",
    # institutions
    "CERN", "NASA", "NATO", "UNICEF", "UNESCO", "WHO", "IMF", "OPEC", "FIFA", "UEFA", "Interpol", "Europol",
    "Federal Reserve", "European Commission", "World Bank", "Red Cross", "Amnesty International",
    "Greenpeace", "Oxfam", "FBI", "CIA", "SEC", "FDA", "EPA",
    # sports clubs
    "Real Madrid", "Barcelona FC", "FC Barcelona", "Atlético Madrid", "Manchester United", "Manchester City",
    "Liverpool FC", "Chelsea FC", "Arsenal", "Tottenham Hotspur", "Bayern Munich", "Borussia Dortmund",
    "Juventus", "AC Milan", "Inter Milan", "Paris Saint-Germain", "Ajax", "Benfica", 
    "New York Yankees", "Boston Red Sox", "Los Angeles Lakers", "Golden State Warriors", "Chicago Bulls",
    "Dallas Cowboys", "New England Patriots", "Green Bay Packers",
)
_SPORTS = frozenset(KNOWN_ORGANIZATIONS[KNOWN_ORGANIZATIONS.index("Real Madrid"):])
_MEDICAL_HEADS = ("Hospital", "Medical Center", "Medical Centre", "Clinic", "Health", "Infirmary", "Pediatrics",
                  "Paediatrics", "Cardiology", "Dental", "Health System", "Healthcare")
# Last words that make a run of capitalised words an organisation ("Acme LLC", "Northwind Traders").
_ORG_HEADS = (
    "Inc.", "Inc", "LLC", "L.L.C.", "LLP", "Ltd.", "Ltd", "Limited", "Corp.", "Corp", "Corporation", "Co.",
    "GmbH", "AG", "S.A.", "SA", "plc", "PLC", "N.V.", "B.V.", "Pty Ltd", "Group", "Holdings", "Partners",
    "Associates", "Traders", "Trading", "Logistics", "Airlines", "Airways", "Bank", "Capital", "Ventures",
    "Industries", "Systems", "Technologies", "Solutions", "Labs", "Laboratories", "Pharmaceuticals",
    "Insurance", "Motors", "Foods", "Coffee", "Toys", "Energy", "Software", "Consulting", "University",
    "College", "Institute", "Foundation", "Commission", "Committee", "Council", "Agency", "Authority",
    "Ministry", "Department", "Stock Exchange", *_MEDICAL_HEADS,
)
# Only "&" joins words: with "of" a person would run into the organisation ("Sofia Lind of Riverside ...").
_NAME_WORD = r"(?:[A-Z][\w'’\-]*\.?|&)"
_ORG_SHAPE = re.compile(
    rf"\b(?:St\.\s+)?[A-Z][\w'’\-]*(?:\s+{_NAME_WORD}){{0,4}}\s+(?:{_alternation(_ORG_HEADS)})(?![\w-])"
)
_KNOWN_ORG = re.compile(rf"(?<![\w-])(?:{_alternation(KNOWN_ORGANIZATIONS)})(?![\w-])")
# Words an organisation shape must not start with: sentence-initial verbs and determiners.
_NOT_A_NAME_START = frozenset({"The", "A", "An", "Our", "Your", "My", "Their", "His", "Her", "This", "That",
                               "Please", "Contact", "Call", "Email", "Send", "Visit", "Dear", "Hi", "Hello", "Pay",
                               "Ask", "Tell", "Thank", "Thanks", "Join", "Meet", "Invoice", "From", "To", "At",
                               "In", "On", "For", "With", "By", "Dr.", "Mr.", "Mrs.", "Ms."})


def find_organizations(text: str) -> Iterator[tuple[int, int, str | None]]:
    """Organisations by name ("Starbucks") or shape ("Acme LLC", "Mercy Medical Center"), with subcategory."""
    for m in _KNOWN_ORG.finditer(text):
        yield m.start(), m.end(), "Sports" if m.group() in _SPORTS else None
    for m in _ORG_SHAPE.finditer(text):
        start, covered = m.start(), m.group()
        first = covered.split()[0]
        if first in _NOT_A_NAME_START:
            rest = covered[len(first):].lstrip()
            start = m.end() - len(rest)
            if len(rest.split()) < 2:
                continue
            covered = rest
        if covered.endswith("Stock Exchange"):
            sub = "Stock exchange"
        elif covered.endswith(_MEDICAL_HEADS):
            sub = "Medical"
        else:
            sub = None
        yield start, m.end(), sub


# Products named without their maker; an optional model number stays with the name ("iPhone 16").
KNOWN_PRODUCTS = (
    "iPhone", "iPad", "iPod", "MacBook", "MacBook Air", "MacBook Pro", "iMac", "Apple Watch", "AirPods",
    "macOS", "iOS", "Windows", "Windows Server", "Xbox", "PlayStation", "Nintendo Switch", 
    "Android", "Pixel", "Chromebook", "Chrome", "Gmail", "Kindle", "Alexa", "Galaxy", "Linux",
    "Ubuntu", "ChatGPT", "Copilot", "Azure", "AWS", "Office 365", "Microsoft 365", "Excel",
    "PowerPoint", "Outlook", "Photoshop", "WhatsApp", "Instagram", "YouTube", "Netflix app",
    "Nespresso", "Model 3", "Model Y", "Model S", "Model X", "Prius", "Corolla", "Boeing 737",
    "Boeing 787", "Airbus A320", "Airbus A380", "Walkman", "Game Boy", "Oculus", "Vision Pro", "ThinkPad",
)
_KNOWN_PRODUCT = re.compile(
    rf"(?<![\w-])(?:{_alternation(KNOWN_PRODUCTS)})(?:\s+(?:\d+[A-Za-z]?|[IVX]+|Pro|Max|Ultra|Plus|Mini|Air)\b)*"
    r"(?![\w-])"
)


def find_products(text: str) -> Iterator[tuple[int, int]]:
    for m in _KNOWN_PRODUCT.finditer(text):
        yield m.start(), m.end()


_EVENT_HEADS = ("Grand Prix", "Open", "Summit", "Forum", "League", "Cup", "World Cup", "Championship",
                "Championships", "Olympics", "Olympic Games", "Games", "Festival", "Expo", "Marathon",
                "Tournament", "Conference", "Super Bowl", "Tour de France")
_EVENT_SHAPE = re.compile(rf"\b(?:[A-Z][\w'’\-]*\s+){{1,3}}(?:{_alternation(_EVENT_HEADS)})\b|\bSuper Bowl\b"
                          r"|\b(?:Hurricane|Storm|Typhoon|Cyclone)\s+[A-Z][a-z]+\b")
_GEO_HEADS = re.compile(r"^(?:Lake|Mount|Mt\.?|Mont|Ben|Cape|Isle|Loch|Gulf)\s|\s(?:Beach|Lake|River|Bay|Island|"
                        r"Islands|Valley|Canyon|Falls|Desert|Sea|Ocean|Glacier|Peak|Mountains|Hills|Forest|"
                        r"Coast|Peninsula)$")
_STRUCTURE_HEADS = re.compile(r"\s(?:Abbey|Cathedral|Church|Stadium|Arena|Airport|Tower|Bridge|Palace|Castle|"
                              r"Museum|Gallery|Station|Center|Centre|Hall|House|Square|Park|Lane|Street|Road|"
                              r"Avenue)$|^Houses of ")


def find_events(text: str) -> Iterator[tuple[int, int]]:
    for m in _EVENT_SHAPE.finditer(text):
        start, covered = m.start(), m.group()
        first = covered.split()[0]
        if first in _NOT_A_NAME_START:
            if len(covered.split()) < 3:
                continue  # "The Open": a head word with no name before it
            start += len(first) + 1
        yield start, m.end()


def place_kind(name: str) -> str | None:
    """``Geographical`` or ``Structural`` for a name whose head word says so ("Bondi Beach", "Chase Center")."""
    if _GEO_HEADS.search(name):
        return "Geographical"
    if _STRUCTURE_HEADS.search(name):
        return "Structural"
    return None


# Units a measured amount carries ("40 mg", "150 mmHg", "25 basis points", "16 GB", "60 km/h").
_UNITS = (
    "mg", "mcg", "µg", "g", "kg", "grams?", "kilograms?", "milligrams?", "micrograms?", "tonnes?", "tons?",
    "lbs?", "pounds", "ounces?", "oz", "ml", "mL", "l", "L", "litres?", "liters?", "millilitres?",
    "milliliters?", "gallons?", "mmHg", "mm", "cm", "m", "km", "km/h", "kph", "mph", "metres?", "meters?",
    "kilometres?", "kilometers?", "centimetres?", "centimeters?", "millimetres?", "millimeters?", "miles?",
    "feet", "foot", "ft", "inches", "yards?", "hectares?", "acres?", "square (?:metres?|meters?|feet|miles?|"
    "kilometres?|kilometers?)", "sq ft", "basis points?", "bps", "GB", "MB", "TB", "KB", "GHz", "MHz", "kW",
    "kWh", "MW", "MWh", "GW", "W", "V", "mAh", "Mbps", "Gbps", "units?", "IU", "mmol/L", "mg/dL", "bpm",
    "calories", "kcal", "cc", "knots",
)
_UNIT_AFTER = re.compile(rf"[ \u00a0]?(?:{'|'.join(_UNITS)})(?![\w/])")
_TEMPERATURE_AFTER = re.compile(r"[ \u00a0]?(?:°\s?[CF]|degrees?(?:\s+(?:Celsius|Fahrenheit|C|F))?)(?!\w)"
                                r"|-degrees?(?!\w)")


def unit_after(text: str, end: int) -> tuple[int, str] | None:
    """Where a unit right after a number ends, and the subcategory it gives (Dimension or Temperature)."""
    m = _TEMPERATURE_AFTER.match(text, end)
    if m:
        return m.end(), "Temperature"
    m = _UNIT_AFTER.match(text, end)
    if m:
        return m.end(), "Dimension"
    return None


SKILLS = ("project management", "data analysis", "data science", "machine learning", "web design",
          "graphic design", "software development", "web development", "public speaking", "copywriting",
          "accounting", "bookkeeping", "negotiation", "leadership", "customer service", "python programming",
          "statistics", "photography", "translation", "marketing", "sales", "cloud computing", "cybersecurity",
          "networking", "first aid", "carpentry", "welding", "video editing", "user research", "ux design")
_SKILL = re.compile(rf"\b(?:{_alternation(SKILLS)})\b", re.IGNORECASE)
# A skill is named as something learnt or practised, not as a department ("the marketing team").
_SKILL_CONTEXT = re.compile(r"\b(?:skills?|experience|training|course|taught|learn\w*|trained|certified|"
                            r"expert|expertise|proficien\w*|knowledge|background|studied|degree)\b", re.IGNORECASE)


def find_skills(text: str) -> Iterator[tuple[int, int]]:
    if not _SKILL_CONTEXT.search(text):
        return
    for m in _SKILL.finditer(text):
        yield m.start(), m.end()


# A set phrase of frequency ("twice daily", "three times a week").
SET_PHRASE = re.compile(r"\b(?:once|twice|thrice|(?:\w+)\s+times)\s+(?:a|an|per|every)\s+(?:day|week|month|year|"
                        r"hour|night)\b|\b(?:once|twice|thrice)\s+(?:daily|weekly|monthly|yearly|annually|nightly)\b"
                        r"|\bevery\s+(?:\w+\s+)?(?:night|morning|evening|day|week|month|year|hour|minutes?|hours?|"
                        r"days?|weeks?|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b",
                        re.IGNORECASE)
