"""Jobs in flight on ``/metrics``, read from the durable job store at scrape time.

``airgap_jobs{service,kind,status}``: how many jobs are not finished (notStarted, running,
cancelling); ``airgap_jobs_oldest_age_seconds{service,kind,status}``: the age of the oldest of
them, from its submission. A custom collector reads the store's folder (``JobStore.unfinished``)
when scraped instead of counting in memory, so the figure is the folder's: the same whichever
worker process answers (``Workers>1`` shares one folder; nothing goes through prometheus-client's
multiprocess files) and the same on every replica sharing ``Mounts:Shared``. Every job kind the
store runs is counted: Language analyze-text jobs, Vision Read, Document Intelligence analyze,
custom model builds and CLU training.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric

from airgap.platform.jobs import JobStore

log = logging.getLogger("airgap.metrics")

LABELS = ["service", "kind", "status"]


class JobsInFlight:
    """A prometheus-client collector over one job store."""

    def __init__(self, store: JobStore) -> None:
        self.store = store

    def collect(self) -> Iterator[Metric]:
        count = GaugeMetricFamily("airgap_jobs", "Jobs not finished yet in the job store, every process "
                                  "and replica sharing it included (aggregate replicas with max, not sum)", labels=LABELS)
        oldest = GaugeMetricFamily("airgap_jobs_oldest_age_seconds",
                                   "Seconds since the oldest unfinished job was submitted", labels=LABELS)
        ages: dict[tuple[str, str, str], list[float]] = defaultdict(list)
        try:
            now = self.store.clock()
            for job in self.store.unfinished():
                created = datetime.strptime(job["createdDateTime"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
                ages[(job["service"] or "", job["handler"] or "", job["status"])].append(
                    max(0.0, (now - created).total_seconds()))
        except (OSError, ValueError, TypeError):
            # /metrics keeps answering; the families stay empty and the log says why.
            log.warning("Cannot read the job store %s for /metrics", self.store.root, exc_info=True)
            ages.clear()
        for labels, found in sorted(ages.items()):
            count.add_metric(list(labels), len(found))
            oldest.add_metric(list(labels), max(found))
        yield count
        yield oldest


def exposition(store: JobStore) -> bytes:
    """The two families in Prometheus' text format, to follow the process's own metrics."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(JobsInFlight(store))
    return generate_latest(registry)
