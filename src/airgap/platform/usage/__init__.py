"""Durable usage records: hash-chained JSON-lines journals in ``Mounts:Output``.

Public API for other packages (licences, connected-mode upload):

- ``totals(output_dir, since=None, until=None) -> dict[str, float]``: quantity per
  meter over every instance's journal, records with ``since <= time < until``.
- ``iter_records(output_dir, since=None)``: every record (dicts), all instances.
- ``verify(output_dir) -> list[Problem]``: chain check naming the first bad record.
"""

from airgap.platform.usage.journal import Journal, JournalFull
from airgap.platform.usage.reader import Problem, iter_records, totals, verify

__all__ = ["Journal", "JournalFull", "Problem", "iter_records", "totals", "verify"]
