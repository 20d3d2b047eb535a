"""``/records/usage-logs…?by=day`` (an airgap extension): usage per UTC day beside Azure's totals.

Records are written with their own times (``Journal.append_sync(time=…)``), so days and months
are chosen, not waited for. The report without ``by`` must stay Azure's shape byte for byte.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, timezone

import orjson
import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient

from airgap import cli
from airgap.app import create_app
from airgap.platform.settings import Settings
from airgap.platform.usage import Journal
from airgap.platform.usage.reports import summary
from airgap.services.base import Engine, Service

TEXT = "CognitiveServices.Language.Container.LanguageDetectionTextRecords"
KEYS = "CognitiveServices.Language.Container.KeyPhrasesTextRecords"
CHARS = "CognitiveServices.TextTranslation.Container.TranslatedCharacters"


class LanguageLike(Service):
    """A service with no route or engine: the report only needs its name and apiType."""

    name = "language"
    api_type = "textanalytics"
    title = "Report test service"
    meters = ()
    routes = ("/report-test",)

    def routers(self) -> Sequence[APIRouter]:
        return []

    def engines(self) -> Sequence[Engine]:
        return ()


def _record(journal: Journal, when: datetime, meter: str, quantity: float, service: str = "language",
            api: str = "textanalytics") -> None:
    journal.append_sync({"requestId": "r", "serviceName": service, "apiType": api,
                         "meters": [{"name": meter, "quantity": quantity}]}, time=when)


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


@pytest.fixture
def output(tmp_path):
    """March 2026: two records on the 2nd (one just before midnight UTC), one on the 3rd (written as
    00:30 at UTC+2, i.e. still the 2nd in UTC), one on the 31st; April: one; a second instance
    (another worker) adds to the 2nd; a translator record on the 3rd."""
    a = Journal(tmp_path / "usage" / "host-0")
    _record(a, _utc(2026, 3, 2, 9), TEXT, 2)
    _record(a, _utc(2026, 3, 2, 23, 59, 59), KEYS, 1)
    _record(a, datetime(2026, 3, 3, 0, 30, tzinfo=timezone(timedelta(hours=2))), TEXT, 4)
    _record(a, _utc(2026, 3, 3, 8), CHARS, 120, "translator", "texttranslation")
    _record(a, _utc(2026, 3, 31, 23, 0), TEXT, 1.5)
    _record(a, _utc(2026, 4, 1, 0, 0), TEXT, 7)
    a.close()
    b = Journal(tmp_path / "usage" / "host-1")
    _record(b, _utc(2026, 3, 2, 12), TEXT, 3)
    b.close()
    return tmp_path


def test_summary_by_day_breaks_each_service_down_per_utc_day(output):
    report = summary(output, [("language", "textanalytics")], month=3, year=2026, by_day=True)
    language, translator = report  # the translator records make it a list, as without by_day
    assert language == {
        "apiType": "textanalytics", "serviceName": "language",
        "meters": [{"name": KEYS, "quantity": 1}, {"name": TEXT, "quantity": 10.5}],
        "days": [
            {"date": "2026-03-02", "meters": [{"name": KEYS, "quantity": 1}, {"name": TEXT, "quantity": 9}]},
            {"date": "2026-03-31", "meters": [{"name": TEXT, "quantity": 1.5}]},
        ],
    }
    assert translator["days"] == [{"date": "2026-03-03", "meters": [{"name": CHARS, "quantity": 120}]}]
    # The days add up to the totals, and the totals are what the plain report says.
    plain = summary(output, [("language", "textanalytics")], month=3, year=2026)
    assert [{k: v for k, v in s.items() if k != "days"} for s in report] == plain
    # All records: April's day too, oldest first.
    everything = summary(output, [("language", "textanalytics"), ("translator", "texttranslation")], by_day=True)
    assert [d["date"] for d in everything[0]["days"]] == ["2026-03-02", "2026-03-31", "2026-04-01"]


@pytest.fixture
def client(output, monkeypatch):
    monkeypatch.setenv("AIRGAP_EXTRA_SERVICES", f"language={__name__}:LanguageLike")
    app = create_app(Settings.load(["Eula=accept", f"Mounts:Output={output}", "Services=language"]))
    with TestClient(app) as client:
        yield client


def test_by_day_on_the_wire(client):
    answer = client.get("/records/usage-logs/04/2026?by=day")
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"apiType": "textanalytics", "serviceName": "language",
                             "meters": [{"name": TEXT, "quantity": 7}],
                             "days": [{"date": "2026-04-01", "meters": [{"name": TEXT, "quantity": 7}]}]}
    march = client.get("/records/usage-logs/03/2026", params={"by": "day"}).json()
    assert [(s["serviceName"], [d["date"] for d in s["days"]]) for s in march] == [
        ("language", ["2026-03-02", "2026-03-31"]), ("translator", ["2026-03-03"])]
    everything = client.get("/records/usage-logs?by=day").json()
    assert [d["date"] for d in everything[0]["days"]] == ["2026-03-02", "2026-03-31", "2026-04-01"]
    # A month without records: no day, no meter (the totals' shape, as Azure's report).
    assert client.get("/records/usage-logs/05/2026?by=day").json() == {
        "apiType": "textanalytics", "serviceName": "language", "meters": [], "days": []}


def test_without_by_the_report_is_azures_byte_for_byte(client):
    answer = client.get("/records/usage-logs/04/2026")
    assert answer.content == (b'{"apiType":"textanalytics","serviceName":"language","meters":'
                              b'[{"name":"' + TEXT.encode() + b'","quantity":7}]}')
    for path in ("/records/usage-logs", "/records/usage-logs/", "/records/usage-logs/03/2026"):
        assert b'"days"' not in client.get(path).content


@pytest.mark.parametrize("query", ["by=week", "by=", "by=DAY", "by=day&by=month", "by=day&by=day"])
def test_a_bad_breakdown_is_a_400_envelope_that_says_what_to_send(client, query):
    answer = client.get(f"/records/usage-logs/03/2026?{query}")
    assert answer.status_code == 400, answer.text
    error = answer.json()["error"]
    assert error["code"] == "InvalidRequest", error
    assert "by=day" in error["message"] and "leave 'by' out" in error["message"], error
    assert client.get(f"/records/usage-logs?{query}").status_code == 400


def test_cli_by_day(output, capsys):
    assert cli.main(["records", "report", "--by-day", "--json", "--month", "4", "--year", "2026",
                     "--output", str(output)]) == 0
    report = orjson.loads(capsys.readouterr().out)
    assert report["days"] == [{"date": "2026-04-01", "meters": [{"name": TEXT, "quantity": 7}]}]
    assert cli.main(["records", "report", "--by-day", "--month", "3", "--year", "2026",
                     "--output", str(output)]) == 0
    text = capsys.readouterr().out
    assert f"language (textanalytics)\n  {KEYS}: 1\n  {TEXT}: 10.5\n  2026-03-02\n    {KEYS}: 1\n    {TEXT}: 9\n" in text
    assert "  2026-03-31\n" in text and "  2026-03-03\n" in text
    assert cli.main(["records", "report", "--month", "3", "--year", "2026", "--output", str(output)]) == 0
    assert "2026-03-02" not in capsys.readouterr().out
