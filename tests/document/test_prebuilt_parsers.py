"""The value parsers and the address reader of the prebuilt models, on our own small examples."""

from __future__ import annotations

import pytest

from airgap.services.document.engines.address import looks_like_city_line, parse_address
from airgap.services.document.engines.parsers import find_date, find_phone, find_time, parse_amount
from airgap.services.document.engines.words import label_tokens, same_tokens


@pytest.mark.parametrize(("text", "comma", "amount", "symbol", "code"), [
    ("$1,234.56", False, 1234.56, "$", "USD"), ("1.234,56 €", True, 1234.56, "€", "EUR"),
    ("1 234,56 €", True, 1234.56, "€", "EUR"), ("EUR 12,50", True, 12.5, None, "EUR"),
    ("£129.00", False, 129.0, "£", "GBP"), ("1,234", False, 1234.0, None, None), ("1.234", True, 1234.0, None, None),
    ("0.42", False, 0.42, None, None),
])
def test_amounts(text, comma, amount, symbol, code):
    money = parse_amount(text, comma)
    assert (money.amount, money.symbol, money.code) == (amount, symbol, code)


@pytest.mark.parametrize("text", ["19 %", "Suite 400", "abc", ""])
def test_not_amounts(text):
    assert parse_amount(text) is None


@pytest.mark.parametrize(("text", "day_first", "iso"), [
    ("03/04/2025", False, "2025-03-04"), ("03/04/2025", True, "2025-04-03"), ("25.12.2024", False, "2024-12-25"),
    ("2024-02-29", False, "2024-02-29"), ("June 7, 2023", False, "2023-06-07"), ("7 June 2023", False, "2023-06-07"),
    ("12. März 2024", True, "2024-03-12"), ("3 févr. 2024", True, "2024-02-03"), ("5 de mayo de 2024", True, "2024-05-05"),
    ("Le 31/01/24 à 10:02", True, "2024-01-31"), ("Sept 9, 2022", False, "2022-09-09"),
])
def test_dates(text, day_first, iso):
    assert find_date(text, day_first)[0] == iso


def test_times_and_phones():
    assert find_time("03/15/2024 2:32 PM")[0] == "14:32:00"
    assert find_time("15.03.24 09:05")[0] == "09:05:00"
    assert find_time("12:15 AM")[0] == "00:15:00"
    assert find_phone("Tel (617) 555-0100", "US")[0] == "+16175550100"
    assert find_phone("Tél : 01 42 68 53 00", "FR")[0] == "+33142685300"
    assert find_phone("Hauptstraße 12", "DE") is None  # a house number is no phone number


def test_addresses():
    assert parse_address(["99 Elm Street, Suite 12", "Springfield, IL 62701"]) == {
        "streetAddress": "99 Elm Street, Suite 12", "unit": "Suite 12", "houseNumber": "99", "road": "Elm Street",
        "city": "Springfield", "state": "IL", "postalCode": "62701"}
    assert parse_address(["Gartenweg 7", "12345 Musterstadt"]) == {
        "streetAddress": "Gartenweg 7", "houseNumber": "7", "road": "Gartenweg", "city": "Musterstadt",
        "postalCode": "12345"}
    assert looks_like_city_line("Bristol BS1 4DJ") and not looks_like_city_line("4410 Pearl Street")


def test_labels_compare_folded_with_numero_marks_alike():
    assert label_tokens("Invoice No.:") == label_tokens("INVOICE #") == ["invoice", "no"]
    assert label_tokens("Facture n° :") == ["facture", "no"]
    assert same_tokens(label_tokens("7wischensumme"), ["zwischensumme"])
    assert not same_tokens(["total"], ["tota1x"])
