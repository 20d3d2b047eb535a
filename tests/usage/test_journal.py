"""Journal, instance slots, reader: chains, torn lines, tampering, totals, disk full."""

from __future__ import annotations

import asyncio
import errno
import multiprocessing
import os
import threading
from datetime import datetime, timezone

import orjson
import pytest

from airgap.platform.context import Reading, RequestContext
from airgap.platform.errors import ServiceUnavailable
from airgap.platform.usage import Journal, totals, verify
from airgap.platform.usage.instance import InstanceSlot
from airgap.platform.usage.journal import record_hash
from airgap.platform.usage.recorder import JournalRecorder

M = "CognitiveServices.Language.Container.LanguageDetectionTextRecords"


def _fields(q: float, meter: str = M) -> dict:
    return {"requestId": "r", "serviceName": "language", "apiType": "textanalytics",
            "meters": [{"name": meter, "quantity": q}]}


def _journal(tmp_path, name="a-0", **kw):
    return Journal(tmp_path / "usage" / name, **kw)


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
    path = j.path
    with open(path, "ab") as f:
        f.write(b'{"requestId":"torn","mete')
    j = _journal(tmp_path)
    j.append_sync(_fields(4))
    j.close()
    assert totals(tmp_path) == {M: 5}
    assert verify(tmp_path) == []
    (side,) = path.parent.glob(f"{path.name}.torn-*")
    assert side.read_bytes() == b'{"requestId":"torn","mete'


@pytest.mark.parametrize("tamper", ["edit", "insert", "delete", "reorder"])
def test_tampering_is_named(tmp_path, tamper):
    j = _journal(tmp_path)
    for q in (1, 2, 3):
        j.append_sync(_fields(q))
    j.close()
    path = j.path
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
    # The real-file-system version of this is test_disk_full.py (tmpfs, real server);
    # this one injects a partial write + ENOSPC and needs no root.
    state = {"full": False, "partial": 0}

    def write(fd, data):
        if state["full"]:
            if not state["partial"]:
                state["partial"] = os.write(fd, data[: len(data) // 2])  # the disk takes part of it
                return state["partial"]
            raise OSError(errno.ENOSPC, "No space left on device")
        return os.write(fd, data)

    j = _journal(tmp_path, write=write)
    rec = JournalRecorder(tmp_path, journal=j)
    ctx = RequestContext("r1", "language", [Reading(M, 3)])
    asyncio.run(rec.record(ctx))
    state["full"] = True
    with pytest.raises(ServiceUnavailable) as ei:
        asyncio.run(rec.record(ctx))
    assert ei.value.inner_code == "OutputVolumeFull"
    assert state["partial"] and j.path.read_bytes().endswith(b"\n")  # the partial line was cut off
    state["full"] = False  # space returns: recording resumes on the same chain
    asyncio.run(rec.record(RequestContext("r2", "language", [Reading(M, 4)])))
    rec.close()
    assert totals(tmp_path) == {M: 7}
    assert verify(tmp_path) == []


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def _two_days(tmp_path):
    """3 records on 2026-02-28 (UTC), 3 on 2026-03-01; one group commit straddles midnight."""
    clock = Clock(datetime(2026, 2, 28, 23, 59, 58, tzinfo=timezone.utc))
    held, release = threading.Event(), threading.Event()

    def write(fd, data):
        if not held.is_set():  # hold the first write so that the next records queue up as one batch
            held.set()
            release.wait(10)
        return os.write(fd, data)

    j = _journal(tmp_path, clock=clock, write=write)
    first = j.submit(_fields(1))
    held.wait(10)
    queued = [j.submit(_fields(2)), j.submit(_fields(3))]
    clock.now = datetime(2026, 3, 1, 0, 0, 0, 1, tzinfo=timezone.utc)
    queued += [j.submit(_fields(10)), j.submit(_fields(20))]
    release.set()
    for fut in [first, *queued]:
        fut.result(10)
    fsyncs = j.fsyncs
    j.close()
    assert fsyncs == 3  # the first record, then one batch split over two files
    # A restart on the new day continues the chain in the new day's file.
    clock.now = datetime(2026, 3, 1, 8, tzinfo=timezone.utc)
    j = _journal(tmp_path, clock=clock)
    j.append_sync(_fields(40))
    j.close()
    return tmp_path / "usage" / "a-0"


def test_one_file_per_day_with_one_chain_across_days(tmp_path):
    d = _two_days(tmp_path)
    feb, mar = d / "2026-02-28.jsonl", d / "2026-03-01.jsonl"
    assert sorted(p.name for p in d.iterdir()) == [feb.name, mar.name]
    first = [orjson.loads(x) for x in feb.read_bytes().splitlines()]
    second = [orjson.loads(x) for x in mar.read_bytes().splitlines()]
    assert [r["seq"] for r in first + second] == list(range(6))
    assert second[0]["prev"] == first[-1]["hash"]
    assert verify(tmp_path) == []
    assert totals(tmp_path) == {M: 76}
    mar1 = datetime(2026, 3, 1, tzinfo=timezone.utc)
    assert totals(tmp_path, until=mar1) == {M: 6}
    assert totals(tmp_path, since=mar1) == {M: 70}


def test_clock_stepping_back_never_reopens_an_older_day(tmp_path):
    clock = Clock(datetime(2026, 3, 2, 0, 0, 1, tzinfo=timezone.utc))
    j = _journal(tmp_path, clock=clock)
    j.append_sync(_fields(1))
    clock.now = datetime(2026, 3, 1, 23, 59, 59, tzinfo=timezone.utc)  # NTP steps back
    j.append_sync(_fields(2))
    j.close()
    assert [p.name for p in (tmp_path / "usage" / "a-0").iterdir()] == ["2026-03-02.jsonl"]
    assert verify(tmp_path) == []
    # Reports go by each record's own time, not by the file it is in.
    assert totals(tmp_path, until=datetime(2026, 3, 2, tzinfo=timezone.utc)) == {M: 2}


@pytest.mark.parametrize("day", ["2026-02-28", "2026-03-01"])
def test_tampering_in_either_day_file_is_named(tmp_path, day):
    path = _two_days(tmp_path) / f"{day}.jsonl"
    lines = path.read_bytes().splitlines()
    rec = orjson.loads(lines[1]); rec["meters"][0]["quantity"] = 0
    lines[1] = orjson.dumps(rec)
    path.write_bytes(b"\n".join(lines) + b"\n")
    (problem,) = verify(tmp_path)
    assert (problem.file, problem.line) == (path, 2)
    assert "altered" in problem.reason


def test_deleting_a_middle_day_file_is_detected(tmp_path):
    clock = Clock(datetime(2026, 3, 1, 12, tzinfo=timezone.utc))
    j = _journal(tmp_path, clock=clock)
    for day in (1, 2, 3):
        clock.now = datetime(2026, 3, day, 12, tzinfo=timezone.utc)
        j.append_sync(_fields(day))
        j.append_sync(_fields(day))
    j.close()
    d = tmp_path / "usage" / "a-0"
    (d / "2026-03-02.jsonl").unlink()
    (problem,) = verify(tmp_path)
    assert (problem.file.name, problem.line) == ("2026-03-03.jsonl", 1)
    assert "expected seq 2, found 4" in problem.reason and "day file" in problem.reason


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
    export = tmp_path / "export.jsonl"
    assert cli.main(["records", "export", "--output", str(tmp_path), "--to", str(export)]) == 0
    exported = [orjson.loads(line) for line in export.read_bytes().splitlines()]
    assert [(r["instance"], r["seq"]) for r in exported] == [("a-0", 0), ("a-0", 1)]
    for r in exported:  # the receiving side can re-check each record's hash
        r.pop("instance")
        assert record_hash(r) == r["hash"]
    first = tmp_path / "usage" / "a-0" / "2026-03-05.jsonl"
    first.unlink()  # delete the whole first day
    assert cli.main(["records", "verify", "--output", str(tmp_path)]) == 1
    assert "2026-04-05.jsonl:1: chain broken: expected seq 0, found 1" in capsys.readouterr().out


@pytest.mark.parametrize("value,metered", [("requests-are-not-billed", False), ("1", True), ("true", True)])
def test_bench_switch_needs_its_exact_value_and_is_loud(tmp_path, monkeypatch, caplog, value, metered):
    from airgap.platform.usage.recorder import UNMETERED_ENV

    monkeypatch.setenv(UNMETERED_ENV, value)
    rec = JournalRecorder(tmp_path)
    asyncio.run(rec.record(RequestContext("r1", "language", [Reading(M, 3)])))
    rec.close()
    assert totals(tmp_path) == ({M: 3} if metered else {})
    loud = [r for r in caplog.records if r.levelname == "CRITICAL" and "METERING IS OFF" in r.getMessage()]
    assert bool(loud) is not metered


def test_damaged_last_record_refuses_with_503_not_500(tmp_path):
    slot = InstanceSlot(tmp_path / "usage")  # the slot the recorder will claim
    slot.release()
    j = _journal(tmp_path, name=slot.id)
    j.append_sync(_fields(1))
    j.close()
    j.path.write_bytes(j.path.read_bytes() + b"not json\n")  # terminated, so not a torn line
    rec = JournalRecorder(tmp_path)
    for _ in range(2):  # and the retry does not open a fresh chain on another slot
        with pytest.raises(ServiceUnavailable) as ei:
            asyncio.run(rec.record(RequestContext("r1", "language", [Reading(M, 3)])))
        assert ei.value.inner_code == "UsageRecordsDamaged"
        assert "airgap records verify" in ei.value.message
    rec.close()
    assert [d.name for d in (tmp_path / "usage").iterdir() if not d.name.startswith(".")] == [slot.id]
