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
    # family, household and care
    "grandson", "granddaughter", "grandparent", "grandchild", "toddler", "nephew", "niece",
    "uncle", "aunt", "cousin", "spouse", "fiancé", "fiancée", "fiance", "fiancee", "boyfriend", "girlfriend",
    "stepson", "stepdaughter", "stepmother", "stepfather", "guardian", "roommate", "flatmate",
    "neighbor", "neighbour", "caretaker", "nanny", "babysitter", "housekeeper", "cleaner",
    # accounts, property and claims
    "owner", "homeowner", "account holder", "cardholder", "policyholder", "policy holder", "member",
    "renter", "occupant", "insured", "payee", "payer", "debtor", "creditor", "sender", "recipient",
    "respondent", "appellant", "petitioner", "complainant", "victim", "suspect", "detective", "sheriff",
    "paralegal", "notary", "counsel", "mediator", "arbitrator", "inspector", "adjuster", "underwriter",
    "representative", "sales representative", "support agent", "case manager", "caseworker", "social worker",
    "counselor", "counsellor", "dispatcher", "tutor", "lecturer", "dean", "headteacher", "principal",
    # clinical
    "physiotherapist", "physical therapist", "dietitian", "nutritionist", "optometrist", "veterinarian",
    "pediatrician", "paediatrician", "dermatologist", "neurologist", "oncologist", "anesthesiologist",
    "anaesthetist", "obstetrician", "gynecologist", "orthopedist", "specialist", "practitioner",
    "nurse practitioner", "general practitioner", "physician assistant", "medic", "carer", "outpatient",
    "inpatient", "donor", "radiographer", "sonographer", "phlebotomist", "hygienist", "dental hygienist",
    "orthodontist", "podiatrist", "chiropractor", "psychotherapist", "audiologist", "urologist", "gastroenterologist",
    "endocrinologist", "hematologist", "haematologist", "nephrologist", "pulmonologist", "rheumatologist",
    "ophthalmologist", "pathologist", "internist", "hospitalist", "GP", "EMT", "care worker", "support worker",
    "healthcare worker", "health visitor", "nursing assistant", "home health aide",
    # work, trades and services
    "bookkeeper", "treasurer", "comptroller", "actuary", "appraiser", "surveyor", "realtor", "estate agent",
    "letting agent", "real estate agent", "property manager", "concierge", "doorman", "security guard",
    "apprentice", "trainee", "new hire", "freelancer", "foreman", "forewoman", "superintendent", "janitor",
    "custodian", "bartender", "barista", "waiter", "waitress", "sommelier", "chauffeur", "maid", "gardener",
    "au pair", "handyman", "locksmith", "postman", "mail carrier", "instructor", "mentor", "mentee", "examiner",
    "investigator", "interviewer", "interviewee",
    "board member", "team member", "team leader", "team lead", "crew member", "claims handler", "claims adjuster",
    "loss adjuster", "financial advisor", "financial adviser", "advisor", "adviser", "account manager",
    "teammate", "classmate", "coworker", "co-worker", "housemate", "proprietor", "franchisee", "signatory",
    "cosigner", "co-signer", "co-applicant", "co-borrower", "co-owner", "landowner", "retiree", "pensioner",
    "veteran", "homemaker", "jobseeker", "job seeker", "graduate student", "undergraduate", "postdoc",
    "alumnus", "alumna", "registrar", "magistrate", "bailiff", "coroner", "stenographer", "caller",
    "attendee", "participant", "exhibitor", "commuter", "motorist", "pedestrian", "bystander",
    "eyewitness", "whistleblower", "informant", "requester", "requestor", "addressee", "merchant", "purchaser",
    # legal parties
    "co-defendant", "litigant", "testator", "decedent", "executrix", "licensee", "licensor", "assignee",
    "assignor", "grantor", "grantee", "mortgagor", "mortgagee", "settlor", "legal guardian", "inmate", "prisoner",
    "detainee", "parolee", "offender", "probation officer", "parole officer", "lodger", "landlady",
    # family
    "sibling", "stepchild", "stepsister", "stepbrother", "half-brother", "half-sister",
    "mother-in-law", "father-in-law", "son-in-law", "daughter-in-law", "brother-in-law", "sister-in-law",
    "mom", "mum", "dad", "grandma", "grandpa", "granny", "auntie", "godmother", "godfather", "godchild",
    "ex-wife", "ex-husband", "widow", "widower", "newborn", "adolescent", "senior citizen", "great-grandmother",
    "great-grandfather", "grandkid",
)
# Words that make a role more specific and belong to it ("senior engineer", "former manager").
_ROLE_MODIFIERS = ("senior", "junior", "retired", "former", "lead", "principal", "deputy", "assistant",
                   "acting", "interim", "associate", "managing", "executive", "head", "chief", "staff")
# Where a role word is not a person ("driver's license", "host name", "user name").
_NOT_A_ROLE_AFTER = re.compile(r"(?:'s|’s)?\s*(?:licen[cs]e|name|id|account|software|update|interface|"
                               r"guide|manual|agreement|portal)\b"
                               # a role word before a noun describes the noun: "child ticket", "guest wifi"
                               r"|\s+(?:tickets?|fares?|seats?|care|support|services?|benefits?|portal|login|"
                               r"discounts?|pric(?:e|es|ing)|menu|wi-?fi|lounge|parking|directory|handbook|survey|"
                               r"feedback|satisfaction|safety|pass|passes|plans?|tier|rates?|sizes?)\b",
                               re.IGNORECASE)


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


_DEPARTMENTS = ("sales", "marketing", "procurement", "purchasing", "finance", "accounts", "hr", "human resources",
                "it", "operations", "engineering", "product", "design", "legal", "compliance", "security", "research",
                "people", "talent", "support", "customer service", "communications", "strategy", "risk", "nursing",
                "pharmacy", "radiology", "surgery", "admissions", "facilities", "payroll", "treasury", "audit",
                "claims", "underwriting", "infrastructure", "data", "logistics", "quality", "training")
_ROLE_WORDS = _alternation([form for role in ROLES for form in (role, _plural(role))])
_ROLE = re.compile(rf"(?i:\b(?:(?:{'|'.join(_ROLE_MODIFIERS)})\s+)?(?:(?:co|ex)-)?(?:{_ROLE_WORDS})\b)"
                   r"|\bHead of [A-Z][a-z]+(?: and [A-Z][a-z]+)?\b"
                   # a department's head written in lower case: "head of procurement"
                   rf"|\b[Hh]ead of (?i:{_alternation(_DEPARTMENTS)})\b")


def is_role(word: str) -> bool:
    """Whether ``word`` is a role on its own ("Patient", "nurses", "Attorney")."""
    return bool(_ROLE.fullmatch(word))


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
    "Greenpeace", "Oxfam", "FBI", "CIA", "SEC", "FDA", "EPA", "IRS", "Internal Revenue Service", "HMRC",
    "HM Revenue & Customs", "DMV", "Department of Motor Vehicles", "DVLA", "Social Security Administration",
    "USCIS", "Federal Trade Commission", "FTC", "CFPB", "OSHA", "EEOC", "Companies House", "Home Office",
    # the fictitious companies of Microsoft's and Azure's own documentation and samples, which
    # customers' test documents and forms reuse
    "Contoso", "Fabrikam", "Northwind", "Northwind Traders", "Adventure Works", "Tailspin Toys", "Wingtip Toys",
    "Woodgrove Bank", "Litware", "Proseware", "Fourth Coffee", "Alpine Ski House", "Coho Winery", "Coho Vineyard",
    "Wide World Importers", "Blue Yonder Airlines", "Trey Research", "Lucerne Publishing", "Margie's Travel",
    "Humongous Insurance", "Graphic Design Institute", "Southridge Video", "Relecloud", "Lamna Healthcare",
    "Consolidated Messenger", "City Power & Light", "VanArsdel", "Tailwind Traders", "Bellows College",
    "A. Datum", "A. Datum Corporation", "Best For You Organics", "First Up Consultants", "Nod Publishers",
    "School of Fine Art",
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
    "Ministry", "Department", "Stock Exchange", "Company", "Co", "& Sons", "Bakery", "Cafe", "Café", "Restaurant",
    "Bistro", "Grill", "Kitchen", "Pizza", "Brewery", "Brewing", "Winery", "Farms", "Market", "Supermarket",
    "Stores", "Outfitters", "Apparel", "Fitness", "Salon", "Spa", "Hotel", "Hotels", "Resort", "Motel", "Inn",
    "Realty", "Properties", "Property Management", "Construction", "Builders", "Electric", "Plumbing",
    "Services", "Supplies", "Supply", "Studio", "Studios", "Media", "Press", "Publishing", "Networks",
    "Communications", "Telecom", "Credit Union", "Savings", "Trust", "Fund", "Investments", "Advisors",
    "Advisers", "Financial", "Finance", "Bancorp", "Mutual", "Assurance", "Law Group", "Law Firm",
    "Legal", "Accounting", "Design", "Marketing", "Analytics", "Automotive", "Auto", "Movers", "Cleaners",
    "Freight", "Shipping", "Express", "Transport", "Railways", "Academy", "School", "High School",
    "Library", "Pharmacy", "Medical Group", "Dentistry", "Orthodontics", "Surgery", "Veterinary",
    "Animal Hospital", "Nursing Home", "Care Home", "Senior Living", "Rehabilitation", "Imaging",
    "Diagnostics", "Therapeutics", "Biotech", "Robotics", "Electronics", "Manufacturing", "Engineering",
    "Architects", "Importers", "Exporters", "Distributors", "Wholesale", "Research", "Estates", "Aerospace",
    "Aviation", "Travel", "Tours", "Works", "Entertainment", "Productions", "Pictures", "Recruitment", "Staffing",
    "Chemicals", "Materials", "Textiles", "Printing", "Packaging", "Rentals", "Catering", "Hospitality", "Roofing",
    "Landscaping", "Opticians", "Optical", "Dynamics", "Semiconductor", "Semiconductors", "Microsystems",
    "Biosciences", "Life Sciences", "Pharma", "Physicians", "Surgical", "Orthopedics", "Orthopaedics", "Urgent Care",
    "Eye Care", "Wellness", "Chiropractic", "Physiotherapy", "Hospice", "Lawyers", "Solicitors", "Attorneys",
    "Chambers", "Accountants", "Wealth Management", "Asset Management", "Securities", "Brokerage", "Lending",
    "Mortgage", "Mortgages", "Loans", "Payments", "Telecommunications", "Wireless", "Broadband", "Publishers",
    "Bookstore", "Bookshop", "Garage", "Dealership", "Furniture", "Flooring", "Interiors", "Homes", "Housing",
    "Nursery", "Daycare", "Preschool", "Kindergarten", "Charity", "Society", "Association", "Federation",
    "Alliance", "Club", "Cooperative", "Co-op", "Utilities", "Power & Light", "Gas & Electric", "Mining", "Steel",
    "Couriers", "Removals", "Warehousing", *_MEDICAL_HEADS,
)
# Only "&" joins words: with "of" a person would run into the organisation ("Sofia Lind of Riverside ...").
_NAME_WORD = r"(?:[A-Z][\w'’\-]*\.?|&)"
_ORG_SHAPE = re.compile(
    # a head word before a colon is a form's label ("Department: Finance"), not a name's end
    rf"\b(?:St\.\s+)?[A-Z][\w'’\-]*(?:\s+{_NAME_WORD}){{0,4}}\s+(?:{_alternation(_ORG_HEADS)})(?![\w-])(?!\s*:)"
)
_KNOWN_ORG = re.compile(rf"(?<![\w-])(?:{_alternation(KNOWN_ORGANIZATIONS)})(?![\w-])")
# Words an organisation shape must not start with: sentence-initial verbs and determiners.
_NOT_A_NAME_START = frozenset({"The", "A", "An", "Our", "Your", "My", "Their", "His", "Her", "This", "That",
                               "Please", "Contact", "Call", "Email", "Send", "Visit", "Dear", "Hi", "Hello", "Pay",
                               "Ask", "Tell", "Thank", "Thanks", "Join", "Meet", "Invoice", "From", "To", "At",
                               "In", "On", "For", "With", "By", "Dr.", "Mr.", "Mrs.", "Ms."})


def organization_head(name: str) -> bool:
    """Whether a run of capitalised words ends in a company head word ("Wide World Importers")."""
    return bool(_ORG_SHAPE.fullmatch(name))


def find_organizations(text: str) -> Iterator[tuple[int, int, str | None]]:
    """Organisations by name ("Starbucks") or shape ("Acme LLC", "Mercy Medical Center"), with subcategory."""
    shapes = list(_ORG_SHAPE.finditer(text))
    for m in _KNOWN_ORG.finditer(text):
        if any(s.start() <= m.start() and m.end() <= s.end() and s.group() != m.group() for s in shapes):
            continue  # "Northwind" of "Northwind Bakery": the longer name is the company
        yield m.start(), m.end(), "Sports" if m.group() in _SPORTS else None
    for m in shapes:
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


# Given names common in English-language text across origins. The small model misses a name it
# has not seen at the start of a sentence ("Nina's number") or calls it an organisation ("belongs
# to Noah Fischer"). Names that are also common words, months or places (May, Will, Grace, Jordan,
# Paris, Chase) are left out: a capital letter cannot tell them apart.
GIVEN_NAMES = frozenset("""
Aaron Abigail Adam Adrian Ahmed Aiden Aisha Alan Albert Alejandro Alex Alexander Alexandra Alice Alicia
Amanda Amelia Amir Amy Ana Andrea Andrew Angela Anna Anne Anthony Antonio Arjun Arthur Ava Barbara Beatriz
Benjamin Beth Brian Bruno Caleb Camila Carlos Carmen Caroline Catherine Charles Charlotte Chen Chloe
Christina Christopher Claire Clara Daniel Daniela David Deborah Diana Diego Dmitri Dylan Edward Elena Eli
Elijah Elizabeth Ella Emily Emma Eric Ethan Eva Evelyn Fatima Felix Fernando Fiona Francesca Francisco
Gabriel Gabriela George Hannah Hassan Helen Henry Hiroshi Hugo Ibrahim Igor Ines Isaac Isabel Isabella Ivan
Jack Jacob James Jane Javier Jennifer Jessica Jess Joanna John Jonathan Jorge Jose José Joseph Joshua Juan
Julia Julian Karen Kate Katherine Kenji Kevin Kim Laura Lauren Leah Leo Liam Linda Lisa Lucas Lucia Luis
Luke Maria María Marco Margaret Mariam Marta Martin Mary Mateo Matthew Mei Mia Michael Michelle Miguel
Mohammed Muhammad Nadia Naomi Natalia Nathan Nicholas Nicole Nina Noah Nora Oliver Olivia Omar Oscar Pablo
Patricia Paul Paula Pedro Peter Priya Rachel Rahul Rebecca Ricardo Robert Rosa Ryan Samuel Sara Sarah
Sebastian Sergei Sofia Sophia Sophie Stephen Steven Susan Thomas Timothy Tom Tomás Valentina Victor Wei
William Yuki Yusuf Zara Zoe Ahmad Ali Anil Ananya Deepak Divya Lakshmi Ravi Sanjay Sunita Vikram Kwame
Amara Chinedu Ngozi Oluwaseun Thabo Lars Sven Ingrid Astrid Jan Pieter Klaus Jürgen Stefan Katarina Magnus
Olga Anastasia Irina Yelena Piotr Agnieszka Tomasz Marek Giulia Giovanni Luca Matteo Francesco Chiara
Hamid Reza Leila Layla Yasmin Omar Karim Tariq Samir Malik Hana Jin Min Hyun Ji Takeshi Haruto Sakura
Linh Minh Thanh Nguyen Raj Arun Meera Gustavo Rafael Camille Chantal Amélie Théo Lukas Jonas Lena Greta
Harold Walter Frank Gary Larry Scott Jeffrey Raymond Gregory Greg Dennis Jerry Tyler Douglas Kyle Jeremy
Keith Roger Terry Sean Gerald Carl Jesse Bryan Lawrence Bruce Logan Billy Joe Juan Willie Wayne Randy
Mason Vincent Roy Bobby Russell Louis Philip Johnny Dorothy Sandra Ashley Kimberly Donna Carol Melissa
Stephanie Sharon Cynthia Kathleen Shirley Brenda Pamela Samantha Christine Debra Carolyn Janet Heather
Diane Julie Joyce Kelly Joan Judith Martha Cheryl Megan Jacqueline Kathryn Gloria Teresa Doris Janice
Marie Judy Theresa Beverly Denise Marilyn Amber Danielle Brittany Natalie Alexis Lori Kayla Ifeoma
Chiamaka Emeka Tunde Adebayo Folake Kofi Abena Wanjiru Njeri Kamau Otieno Zanele Sipho Fatma Mohamed
Mahmoud Youssef Khalid Noor Rania Huda Aarav Vivek Pooja Neha Sneha Rohan Kiran Amit Sunil Priyanka Anjali
Harpreet Gurpreet Manpreet Akira Yuto Haruka Aiko Yumi Keiko Xin Jing Dmitry Alexei Nikolai Natasha
Svetlana Ivana Zoran Petra Katarzyna Ewa Jakub Alejandra Jesús Rosario Marisol Ximena Valeria Renata
Pierre Antoine Mathieu Élise Margot Hans Wolfgang Dieter Heike Anke Björn Erik Nils Freya Sigrid Elin
Ingrid Tobias Desmond Greta Marguerite Rosalind Yolanda Gilberto Ezekiel Beatrice Harriet Agnes Edith
Mildred Eleanor Josephine Lucy Molly Abby Becky Sally Nancy Betty Helen Ruth Jenny Tina Wendy Vanessa
""".split())
_SURNAME_WORD = r"(?:[A-Z][a-z]?['’]?[A-Z]?[a-zà-ÿ]+(?:-[A-Z][a-zà-ÿ]+)?)"
_GIVEN_NAME = re.compile(rf"(?<![\w'’-])({'|'.join(sorted(GIVEN_NAMES, key=len, reverse=True))})"
                         rf"((?:\s+{_SURNAME_WORD}){{0,2}})(?![\w-])")
# Capitalised words after a given name that make it something else ("Emma Street", "Noah Labs").
_NOT_A_SURNAME = frozenset({"Street", "Road", "Avenue", "Lane", "Drive", "Way", "Court", "Place", "Square",
                            "Hospital", "Clinic", "Center", "Centre", "University", "College", "School", "Foundation",
                            "Park", "Hall", "House", "Bank", "Group", "Labs", "Inc", "Ltd", "LLC", "The", "And",
                            "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
                            "January", "February", "March", "April", "May", "June", "July", "August", "September",
                            "October", "November", "December", "I", "SSN", "DOB", "Airport", "Station", "Bridge",
                            "Tower", "Museum", "Stadium", "Arena", "Hotel", "Beach", "Lake", "River", "Bay", "Island",
                            "Valley", "Mountain", "County", "City", "Boulevard", "Pharmacy", "Bakery", "Cafe",
                            "Restaurant", "Foods", "Motors", "Partners", "Associates", "Holdings", "Capital"})


def find_people(text: str) -> Iterator[tuple[int, int]]:
    """A known given name and up to two capitalised surnames after it ("Nina", "Noah Fischer")."""
    for m in _GIVEN_NAME.finditer(text):
        end = m.end(1)
        for word in re.finditer(r"\S+", m.group(2)):
            if word.group() in _NOT_A_SURNAME:
                break
            end = m.start(2) + word.end()
        if end == m.end(1) and m.group(2) and m.group(2).split()[0] in _NOT_A_SURNAME - {"I", "SSN", "DOB"}:
            continue  # "Emma Street", "Noah Labs": the name is part of a place or a company
        yield m.start(1), end


# Words that introduce a person's name whatever the name is: greetings, sign-offs, form labels,
# self-introductions and titles ("Dear Anneliese", "Attn: Rosalind Achterberg", "its Marguerite").
_NAME_CUE = re.compile(
    r"(?:\b(?:[Mm]y name is|[Nn]ame\s*:|I['’]m|I am|\bim|[Tt]his is|[Ii]t['’]?s|Dear|Hi|Hello|Hey|Thanks,|"
    r"Thank you,|Regards,|Cheers,|Sincerely,|Best,|Attn\.?:?|Attention:|Signed(?: by)?:?|[Cc]ontact(?: person)?:|"
    r"Mr\.?|Mrs\.?|Ms\.?|Miss|Dr\.?|Prof\.?))[ \t]*"
)
_NAME_AFTER_CUE = re.compile(r"[A-Z][\w'’\-]*[a-zà-ÿ][\w'’\-]*(?:[ \t]+[A-Z][\w'’\-]*[a-zà-ÿ][\w'’\-]*){0,2}")
# Capitalised words a cue may be followed by that are not a name ("Hi Team", "Dear Sir", "It's Monday").
_NOT_A_NAME = _NOT_A_SURNAME | {"Team", "All", "Everyone", "There", "Sir", "Madam", "Customer", "Support", "Again",
                                "Your", "Our", "My", "Thanks", "Thank", "Hello", "Hi", "Please", "Yes", "No", "Ok",
                                "Okay", "Sorry", "Here", "Just", "Not", "Still", "Also", "Now", "Today", "Tomorrow",
                                "Good", "Great", "Happy", "Welcome", "Friends", "Folks", "Guys", "Colleagues",
                                "Department", "Finance", "Accounts", "Payable", "Receivable", "Human", "Resources",
                                "Mr", "Mrs", "Ms", "Dr", "Prof", "Miss", "Valued", "Urgent", "Important", "Regarding",
                                "Re", "Fwd", "Confidential", "World", "Service", "Services", "Desk", "Portal", "Office"}


_ORG_HEAD_WORDS = frozenset(h for h in _ORG_HEADS if " " not in h)
# Capitalised words that are never a person's name on their own: cue words, titles, weekdays, months.
NOT_A_NAME_WORDS = _NOT_A_NAME | _NOT_A_NAME_START


def _name_words(text: str, start: int) -> tuple[int, int] | None:
    m = _NAME_AFTER_CUE.match(text, start)
    if not m:
        return None
    end = start
    for word in re.finditer(r"\S+", m.group()):
        if (word.group() in _NOT_A_NAME or word.group() in _ORG_HEAD_WORDS or _KNOWN_ORG.fullmatch(word.group())
                or _ROLE.fullmatch(word.group())):
            break
        end = start + word.end()
    return (start, end) if end > start else None


def find_named_people(text: str) -> Iterator[tuple[int, int]]:
    """Names after a cue ("Dear Anneliese", "Thanks, Bartholomew") or a role ("Patient: Ezekiel Thornbury",
    "the tenant, Sam Rivera"), whoever they are; a name that is an organisation's is left out."""
    orgs = [(s, e) for s, e, _ in find_organizations(text)]
    starts = []
    for m in _NAME_CUE.finditer(text):
        starts.append(m.end())
    for role_start, role_end in find_roles(text):
        gap = re.match(r"[ \t]*[:,]?[ \t]*", text[role_end:])
        starts.append(role_end + gap.end())
    seen = set()
    for start in starts:
        span = _name_words(text, start)
        if span is None or span in seen or any(s < span[1] and span[0] < e for s, e in orgs):
            continue
        seen.add(span)
        yield span


# A self-introduction in chat, where names go without a capital: "im carlos", "this is priya".
_INTRODUCTION = re.compile(r"(?i:\b(?:my name is|name's|i['’]m|im|i am|this is|it['’]?s))[ \t]+([a-zà-ÿ]+)\b")
_LOWER_GIVEN_NAMES = frozenset(n.lower() for n in GIVEN_NAMES)


def find_introduced_people(text: str) -> Iterator[tuple[int, int]]:
    """Known given names written in lower case right after a self-introduction."""
    for m in _INTRODUCTION.finditer(text):
        if m.group(1) in _LOWER_GIVEN_NAMES:
            yield m.start(1), m.end(1)


def people(text: str) -> dict[int, int]:
    """Start -> end of every name found by a known given name or by a cue, the longer where both start."""
    found: dict[int, int] = {}
    for start, end in (*find_people(text), *find_named_people(text), *find_introduced_people(text)):
        found[start] = max(end, found.get(start, end))
    return found
