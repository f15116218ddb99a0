"""Prometheus metrics, served at `GET /metrics` (and by `dresbach worker --metrics-port P`).

Counters and histograms count what this process did; scrape every process and sum them. Gauges
marked (db) are read from the database at scrape time, so every process reports the same,
cluster-wide figure: aggregate them with `max`, not `sum`.

Inbound (the web processes):

- `dresbach_messages_in_total{kind}` (counter): inbound WhatsApp messages taken in, duplicates
  excluded, by event kind (`text`, `choice`, `media`, `location`, `unsupported`…).
- `dresbach_webhook_duplicates_total` (counter): messages Meta delivered again, recognised by
  their id and ignored.
- `dresbach_webhook_requests_total{status}` (counter): `POST /webhook` answers by HTTP status
  (200; 400 malformed; 401/403 signature; 413 too large; 503 not stored, Meta delivers again).
- `dresbach_webhook_ack_seconds` (histogram): from the webhook request to its answer; Meta
  wants it fast, and redelivers what it did not get an answer for.
- `dresbach_step_seconds` (histogram): taking one event in: lock the conversation, step the
  core, write state, inbox and outbox (the commit excluded). Internal events (job results,
  timers) are counted here too, by whichever process takes them in.

Outbound (the processes running the workers):

- `dresbach_messages_out_total{kind}` (counter): outbox rows the Graph API accepted, by kind
  (`text`, `buttons`, `list`, `image`, `document`, `template`, and `read` for read receipts).
- `dresbach_sends_total{result,code}` (counter): every send attempt's outcome. `result` is
  `sent`, `retry` (a transient failure, tried again later), `dead` (dead-lettered) or
  `fallback` (the 24 h window was closed: the message's template goes instead); `code` is the
  Graph error code (`130429` throughput, `131047` window, `131056` pair rate…), `none` for a
  timeout or a network failure, empty when sent.
- `dresbach_send_retries_total` (counter): retries scheduled after a transient failure.
- `dresbach_dead_letters_total` (counter): rows given up on (a permanent error, or the
  attempts exhausted); each is in the outbox with status `dead` and its reason.
- `dresbach_graph_send_seconds` (histogram): one Graph API call.

From the database, at scrape time (db):

- `dresbach_outbox_pending`: rows waiting to be sent.
- `dresbach_outbox_oldest_pending_age_seconds`: age of the oldest waiting row (0 when none);
  it grows when sending stalls.
- `dresbach_outbox_dead`: dead-lettered rows kept in the outbox.
- `dresbach_jobs_pending`, `dresbach_jobs_failed`: side-effect jobs (Pix charges, WHMCS and
  WHM calls, calendar, e-mail…) waiting, and given up.
- `dresbach_handoffs_waiting`: customers waiting for a human (hand-offs nobody took yet).
- `dresbach_handoffs_oldest_waiting_seconds`: how long the longest-waiting of them has waited.
- `dresbach_handoffs_active`: hand-offs an operator is handling.
- `dresbach_incidents_open`: incidents open now.
- `dresbach_incident_askers_open`: customers who asked about an open incident, each to be
  told of its closing.
- `dresbach_payments{status}`: Pix charges by status (`active`, `paid`, `expired`,
  `flagged`, `cancelled`…).
- `dresbach_template_status{name,status}`: 1 for each message template's latest status at
  Meta (`APPROVED`, `PAUSED`, `REJECTED`, `DISABLED`…), from the `message_template_status_update`
  webhook; a template paused, rejected or disabled cannot be sent.
- `dresbach_workers_alive`: worker processes whose heartbeat is fresh (under 30 s).
- `dresbach_database_up`: 1 when the scrape could read the database; 0 otherwise, and then the
  other (db) gauges are absent from that scrape.

And the client library's own, per process: `process_cpu_seconds_total`,
`process_resident_memory_bytes`, `process_open_fds`, `process_start_time_seconds`…, and
`python_info`.

The hot path only increments counters and observes histograms (a lock and an add); the database
is read only when Prometheus scrapes, off the event loop.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Final

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector
from sqlalchemy import Engine, func, select

from dresbach.platform.clock import utcnow
from dresbach.platform.feature import Gauges, installed
from dresbach.platform.store.database import utc
from dresbach.platform.store.schema import jobs, outbox, worker_heartbeats
from dresbach.platform.store.template_statuses import current as current_template_statuses
from dresbach.platform.work.heartbeats import STALE

log = logging.getLogger(__name__)

CONTENT_TYPE: Final = "text/plain; version=0.0.4; charset=utf-8"

STEP_BUCKETS: Final = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
ACK_BUCKETS: Final = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
SEND_BUCKETS: Final = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    """One process's metrics, in a registry of its own (tests build many apps side by side)."""

    def __init__(
        self,
        engine: Engine | None = None,
        *,
        clock: Callable[[], datetime] = utcnow,
        gauges: Sequence[Gauges] | None = None,
    ) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.messages_in = Counter(
            "dresbach_messages_in", "Inbound messages taken in, by kind", ["kind"], registry=r
        )
        self.duplicates = Counter(
            "dresbach_webhook_duplicates", "Inbound messages delivered again", registry=r
        )
        self.webhook_requests = Counter(
            "dresbach_webhook_requests", "POST /webhook answers by status", ["status"], registry=r
        )
        self.ack_seconds = Histogram(
            "dresbach_webhook_ack_seconds",
            "Time from a webhook request to its answer",
            buckets=ACK_BUCKETS,
            registry=r,
        )
        self.step_seconds = Histogram(
            "dresbach_step_seconds",
            "Time to take one event in (lock, step, writes; the commit excluded)",
            buckets=STEP_BUCKETS,
            registry=r,
        )
        self.messages_out = Counter(
            "dresbach_messages_out", "Outbox rows the Graph API accepted", ["kind"], registry=r
        )
        self.sends = Counter(
            "dresbach_sends",
            "Send attempts by result and error code",
            ["result", "code"],
            registry=r,
        )
        self.retries = Counter("dresbach_send_retries", "Retries scheduled", registry=r)
        self.dead_letters = Counter("dresbach_dead_letters", "Rows dead-lettered", registry=r)
        self.graph_seconds = Histogram(
            "dresbach_graph_send_seconds",
            "Duration of one Graph API call",
            buckets=SEND_BUCKETS,
            registry=r,
        )
        ProcessCollector(registry=r)
        PlatformCollector(registry=r)
        if engine is not None:
            if gauges is None:  # the installed features' own
                gauges = [f.gauges for f in installed().features if f.gauges is not None]
            r.register(DatabaseGauges(engine, clock, gauges))

    def send_result(self, result: str, code: int | None = None) -> None:
        """One send attempt's outcome; `code` is the Graph error code, None for a success or a
        failure without one (timeout, network)."""
        label = str(code) if code is not None else ("" if result == "sent" else "none")
        self.sends.labels(result=result, code=label).inc()

    def exposition(self) -> bytes:
        """The text exposition format. Reads the database: call it off the event loop."""
        return generate_latest(self.registry)


def gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, value=value)


def age(now: datetime, oldest: datetime | None) -> float:
    """Seconds since `oldest` (0 when there is none)."""
    if oldest is None:
        return 0.0
    found = utc(oldest)
    assert found is not None
    return max((now - found).total_seconds(), 0.0)


def template_status(reported: Sequence[tuple[str, str, str]]) -> GaugeMetricFamily:
    """1 per template and its latest status (languages of one name summed)."""
    family = GaugeMetricFamily(
        "dresbach_template_status",
        "Message templates by their latest status at Meta",
        labels=["name", "status"],
    )
    counted: dict[tuple[str, str], int] = {}
    for name, _language, status in reported:
        counted[(name, status)] = counted.get((name, status), 0) + 1
    for (name, status), count in sorted(counted.items()):
        family.add_metric([name, status], count)
    return family


class DatabaseGauges(Collector):
    """The cluster-wide figures, read from the database at each scrape."""

    def __init__(
        self,
        engine: Engine,
        clock: Callable[[], datetime],
        features: Sequence[Gauges] = (),
    ) -> None:
        self.engine, self.clock, self.features = engine, clock, tuple(features)

    def describe(self) -> list[Metric]:
        return []  # dynamic: nothing is read when the collector is registered

    def collect(self) -> Iterator[Metric]:
        now = self.clock()
        try:
            figures = self._read(now)
        except Exception:
            log.warning("metrics: could not read the database", exc_info=True)
            yield gauge("dresbach_database_up", "Whether the scrape could read the database", 0)
            return
        yield gauge("dresbach_database_up", "Whether the scrape could read the database", 1)
        yield from figures

    def _read(self, now: datetime) -> list[Metric]:
        with self.engine.connect() as connection:
            pending, oldest = connection.execute(
                select(func.count(), func.min(outbox.c.created_at)).where(
                    outbox.c.status == "pending"
                )
            ).one()
            dead = connection.execute(
                select(func.count()).where(outbox.c.status == "dead")
            ).scalar_one()
            job_counts: dict[str, int] = dict(
                connection.execute(
                    select(jobs.c.status, func.count())
                    .where(jobs.c.status.in_(("pending", "failed")))
                    .group_by(jobs.c.status)
                ).all()
            )
            theirs = [m for read in self.features for m in read(connection, now)]
            reported = current_template_statuses(connection)
            beats = connection.execute(select(worker_heartbeats.c.beat_at)).scalars().all()
        alive = sum(1 for b in beats if b is not None and age(now, b) < STALE.total_seconds())
        return [
            gauge("dresbach_outbox_pending", "Outbox rows waiting to be sent", pending),
            gauge(
                "dresbach_outbox_oldest_pending_age_seconds",
                "Age of the oldest waiting outbox row",
                age(now, oldest),
            ),
            gauge("dresbach_outbox_dead", "Dead-lettered outbox rows", dead),
            gauge(
                "dresbach_jobs_pending", "Side-effect jobs waiting", job_counts.get("pending", 0)
            ),
            gauge("dresbach_jobs_failed", "Side-effect jobs given up", job_counts.get("failed", 0)),
            *theirs,
            template_status(reported),
            gauge("dresbach_workers_alive", "Worker processes with a fresh heartbeat", alive),
        ]
