"""Journal, instance slots, reader: chains, torn lines, tampering, totals, disk full."""

from __future__ import annotations

import asyncio
import errno
import multiprocessing
from datetime import datetime, timezone

import orjson
import pytest

from airgap.platform.context import Reading, RequestContext
from airgap.platform.errors import ServiceUnavailable
from airgap.platform.usage import Journal, totals, verify
from airgap.platform.usage.instance import InstanceSlot
from airgap.platform.usage.recorder import JournalRecorder

M = "CognitiveServices.Language.Container.LanguageDetectionTextRecords"


def _fields(q: float, meter: str = M) -> dict:
    return {"requestId": "r", "serviceName": "language", "apiType": "textanalytics",
            "meters": [{"name": meter, "quantity": q}]}


def _journal(tmp_path, name="a-0"):
    return Journal(tmp_path / "usage" / name / "journal.jsonl")


def test_concurrent_appends_group_commit_and_exact_totals(tmp_path):
    j = _journal(tmp_path)

    async def go():
        await asyncio.gather(*(j.append(_fields(i % 3 + 1)) for i in range(300)))
    asyncio.run(go())
    j.close()
    assert totals(tmp_path) == {M: sum(i % 3 + 1 for i in range(300))}
    assert verify(tmp_path) == []
    assert j.fsyncs < 300  # batched: many records per fsync


def test_month_split_and_since_until(tmp_path):
    j = _journal(tmp_path)
    j.append_sync(_fields(2), time=datetime(2026, 1, 31, 23, 59, tzinfo=timezone.utc))
    j.append_sync(_fields(5), time=datetime(2026, 2, 1, 0, 0, tzinfo=timezone.utc))
    j.close()
    feb = datetime(2026, 2, 1, tzinfo=timezone.utc)
    assert totals(tmp_path, until=feb) == {M: 2}
    assert totals(tmp_path, since=feb) == {M: 5}


def test_torn_last_line_is_dropped_and_chain_continues(tmp_path):
    j = _journal(tmp_path)
    j.append_sync(_fields(1))
    j.close()
    path = tmp_path / "usage" / "a-0" / "journal.jsonl"
    with open(path, "ab") as f:
        f.write(b'{"requestId":"torn","mete')
    j = _journal(tmp_path)
    j.append_sync(_fields(4))
    j.close()
    assert totals(tmp_path) == {M: 5}
    assert verify(tmp_path) == []
    (side,) = path.parent.glob("journal.jsonl.torn-*")
    assert side.read_bytes() == b'{"requestId":"torn","mete'


@pytest.mark.parametrize("tamper", ["edit", "insert", "delete", "reorder"])
def test_tampering_is_named(tmp_path, tamper):
    j = _journal(tmp_path)
    for q in (1, 2, 3):
        j.append_sync(_fields(q))
    j.close()
    path = tmp_path / "usage" / "a-0" / "journal.jsonl"
    lines = path.read_bytes().splitlines()
    if tamper == "edit":
        rec = orjson.loads(lines[1]); rec["meters"][0]["quantity"] = 0
        lines[1] = orjson.dumps(rec)
    elif tamper == "insert":
        lines.insert(1, lines[0])
    elif tamper == "delete":
        del lines[1]
    else:
        lines[1], lines[2] = lines[2], lines[1]
    path.write_bytes(b"\n".join(lines) + b"\n")
    problems = verify(tmp_path)
    assert len(problems) == 1 and problems[0].line == 2, problems


def test_disk_full_is_503_and_leaves_a_valid_file(tmp_path):
    class FullAfterOne:
        def __init__(self, f):
            self.f, self.writes = f, 0
            FullAfterOne.full = True
        full = False

        def write(self, b):
            self.writes += 1
            if self.writes > 1 and FullAfterOne.full is not False:
                self.f.write(b[: len(b) // 2])  # partial write, then the disk is full
                raise OSError(errno.ENOSPC, "No space left on device")
            return self.f.write(b)
        def __getattr__(self, n):
            return getattr(self.f, n)

    j = Journal(tmp_path / "usage" / "a-0" / "journal.jsonl",
                opener=lambda p, m: FullAfterOne(open(p, m)))
    rec = JournalRecorder(tmp_path, journal=j)
    ctx = RequestContext("r1", "language", [Reading(M, 3)])
    asyncio.run(rec.record(ctx))
    with pytest.raises(ServiceUnavailable) as ei:
        asyncio.run(rec.record(ctx))
    assert ei.value.inner_code == "OutputVolumeFull"
    FullAfterOne.full = False  # space returns: recording resumes on the same chain
    asyncio.run(rec.record(RequestContext("r2", "language", [Reading(M, 4)])))
    rec.close()
    assert totals(tmp_path) == {M: 7}
    assert verify(tmp_path) == []


def _claim(d, q):
    s = InstanceSlot(d, host="h")
    q.put(s.id)
    q.get()  # hold until the parent has seen both ids


def test_instance_slots_unique_across_processes_and_reused(tmp_path):
    ctx = multiprocessing.get_context("fork")
    q = ctx.Queue()
    s1 = InstanceSlot(tmp_path, host="h")
    p = ctx.Process(target=_claim, args=(tmp_path, q))
    p.start()
    other = q.get(timeout=10)
    assert {s1.id, other} == {"h-0", "h-1"}
    q.put("done"); p.join(10)
    s1.release()
    assert InstanceSlot(tmp_path, host="h").id == "h-0"  # a restart reclaims the slot


def test_every_declared_meter_is_documented():
    from pathlib import Path

    from airgap.services import registry
    doc = (Path(__file__).parents[2] / "docs" / "metering.md").read_text()
    for service in registry.resolve(()):
        for meter in service.meters:
            assert f"`{meter.name}`" in doc, meter.name


def test_report_shapes_and_cli(tmp_path, capsys):
    from airgap import cli
    from airgap.platform.usage.reports import summary

    j = _journal(tmp_path)
    j.append_sync(_fields(2), time=datetime(2026, 3, 5, tzinfo=timezone.utc))
    j.append_sync({**_fields(9, "CognitiveServices.TextTranslation.Container.TranslatedCharacters"),
                   "serviceName": "translator", "apiType": "texttranslation"},
                  time=datetime(2026, 4, 5, tzinfo=timezone.utc))
    j.close()
    single = summary(tmp_path, [("language", "textanalytics")], month=3, year=2026)
    assert single == {"apiType": "textanalytics", "serviceName": "language",
                      "meters": [{"name": M, "quantity": 2}]}
    both = summary(tmp_path, [("language", "textanalytics"), ("translator", "texttranslation")])
    assert [s["serviceName"] for s in both] == ["language", "translator"]
    assert both[1]["meters"][0]["quantity"] == 9

    assert cli.main(["records", "report", "--json", "--month", "4", "--year", "2026",
                     "--output", str(tmp_path)]) == 0
    assert '"quantity": 9' in capsys.readouterr().out
    assert cli.main(["records", "verify", "--output", str(tmp_path)]) == 0
    path = tmp_path / "usage" / "a-0" / "journal.jsonl"
    path.write_bytes(path.read_bytes().splitlines(keepends=True)[1])  # delete the first record
    assert cli.main(["records", "verify", "--output", str(tmp_path)]) == 1
    assert "journal.jsonl:1: chain broken" in capsys.readouterr().out
    export = tmp_path / "export.jsonl"
    assert cli.main(["records", "export", "--output", str(tmp_path), "--to", str(export)]) == 0
    assert len(export.read_bytes().splitlines()) == 1
