"""One inbound event, one transaction: lock the conversation, deduplicate, step, save, enqueue.

A crash anywhere before the commit leaves nothing behind (Meta redelivers, we process it then);
after the commit the message is deduplicated forever by its id, and its replies are in the
outbox, which the sender drains in order. Nothing is acknowledged before it is committed.

A message from a webhook takes two: the webhook stores it (`arrivals.store_arrivals`), a worker
steps it (`arrivals.step_arrivals`), through the same unit of work.

Protected: only the pipeline (`platform/inbound/pipeline.py`) and the one door into a
conversation (`platform/inbound/door.py`) import it (an import-linter contract holds this).
"""

from dresbach.platform.observe.redaction import REDACTED
from dresbach.platform.store.unit_of_work.arrivals import (
    CHANNEL,
    Pass,
    step_arrivals,
    store_arrivals,
)
from dresbach.platform.store.unit_of_work.at_rest import outbound_at_rest
from dresbach.platform.store.unit_of_work.batch import step_held, take_in, take_in_many
from dresbach.platform.store.unit_of_work.burst import BURST_JOB
from dresbach.platform.store.unit_of_work.statuses import record_statuses
from dresbach.platform.store.unit_of_work.take import Duplicate, Taken, take_in_tx

__all__ = [
    "BURST_JOB",
    "CHANNEL",
    "REDACTED",
    "Duplicate",
    "Pass",
    "Taken",
    "outbound_at_rest",
    "record_statuses",
    "step_arrivals",
    "step_held",
    "store_arrivals",
    "take_in",
    "take_in_many",
    "take_in_tx",
]
