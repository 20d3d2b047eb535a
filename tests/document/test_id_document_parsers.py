"""The machine-readable-zone and AAMVA parsers of prebuilt-idDocument, on ICAO Doc 9303's own
specimen zones and small hand-made records (not rows of the evaluation set)."""

from __future__ import annotations

from airgap.services.document.engines import aamva, mrz

TD3 = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]
TD1 = ["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"]


def test_icao_specimen_passport_zone():
    zone = mrz.parse(TD3)
    assert zone is not None and zone.format == "TD3" and zone.document_code == "P" and zone.composite
    f = zone.fields
    assert f["DocumentNumber"].value == "L898902C3" and f["DocumentNumber"].checked
    assert (f["LastName"].value, f["FirstName"].value) == ("ERIKSSON", "ANNA MARIA")
    assert f["DateOfBirth"].value == "1974-08-12" and f["DateOfBirth"].checked
    assert f["DateOfExpiration"].value == "2012-04-15" and f["Sex"].value == "F"
    assert f["CountryRegion"].value == "UTO" and f["Nationality"].value == "UTO"


def test_icao_specimen_identity_card_zone():
    zone = mrz.parse(TD1)
    assert zone is not None and zone.format == "TD1" and zone.composite
    assert zone.fields["DocumentNumber"].value == "D23145890" and zone.fields["DocumentNumber"].checked
    assert zone.fields["LastName"].value == "ERIKSSON"


def test_ocr_slips_in_a_zone_are_repaired_or_flagged():
    # A filler read as '«' and '@', a run one '<' short, an O for a 0 in a date.
    slipped = ["P<UTOERIKSSON«ANNA<MARIA<<<<<<<<<<<<<<<<<<", "L898902C36UTO74O8122F1204159ZE184226B<<<<@10"]
    zone = mrz.parse(slipped)
    assert zone is not None and zone.composite
    assert zone.fields["DateOfBirth"].value == "1974-08-12" and zone.fields["LastName"].value == "ERIKSSON"
    wrong = mrz.parse(["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C37UTO7408122F1204159ZE184226B<<<<<10"])
    assert wrong is not None and not wrong.fields["DocumentNumber"].checked and not wrong.composite


def test_germany_is_d_in_the_zone():
    assert mrz.country("D<<") == "DEU" and mrz.country("GBD") == "GBR" and mrz.country("FRA") == "FRA"


RECORD = ("@\n\x1e\rANSI 636026080102DL00410190ZA02310027DLDAQT64235789\nDCSSAMPLE\nDACMICHAEL\nDADJOHN\n"
          "DBD08042020\nDBB02171985\nDBA02172028\nDBC1\nDAU069 IN\nDAYBRO\nDAG2300 WEST BASE LINE ST\n"
          "DAIPHOENIX\nDAJAZ\nDAK850430000\nDCGUSA\r")


def test_aamva_record():
    record = aamva.parse(RECORD)
    assert record is not None and record.subfile == "DL" and record.issuer == "636026"
    e = record.elements
    assert (e["DAQ"], e["DCS"], e["DAC"], e["DAJ"]) == ("T64235789", "SAMPLE", "MICHAEL", "AZ")
    assert record.date("DBB") == "1985-02-17" and record.date("DBA") == "2028-02-17"
    assert aamva.sex(e["DBC"]) == "M" and aamva.height(e["DAU"]) == "5-09"


def test_aamva_record_with_escaped_control_characters():
    escaped = RECORD.replace("\n", "<LF>").replace("\x1e", "<RS>").replace("\r", "<CR>")
    record = aamva.parse(escaped)
    assert record is not None and record.elements["DAQ"] == "T64235789"


def test_not_an_aamva_record():
    assert aamva.parse("https://example.com") is None
    assert mrz.parse(["HELLO WORLD", "THIS IS NOT A ZONE"]) is None
