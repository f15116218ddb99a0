"""The books of a scale-out run: what the database says was taken in and queued, against what
reached the fake Graph API.

Used by tests/platform/test_scale_out.py and by bench/scale_out.py. Given the inbound ids that were
acknowledged (a 200 from some server), in acknowledgement order, it checks:

* stepping: every acknowledged id has its inbox row, stepped (the webhook stores it, a worker
  steps it: `to_step` cleared); each conversation's `version` (bumped once
  per step) equals its number of inbox rows; each inbound id has exactly one read-receipt row in
  the outbox (a second step would have queued a second one); each user's inbox rows are in the
  order the user's messages were acknowledged;
* sending: every outbox row of those conversations is `sent`; every one reached the Graph API
  (read receipts matched by message id, messages by `biz_opaque_callback_data`); how many
  arrived more than once, and whether each repeat is explained: only a send in flight when a
  worker died may repeat (the Graph API had accepted it, the worker died before recording it),
  so its first copy arrived before `kill_at` and the repeat no sooner than `min_repeat_gap`
  seconds later (another worker may take the row only once the dead one's lease ended);
  nothing arrived that no row asked for;
* order: per conversation, the first arrivals follow the outbox `seq`.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import create_engine, func, select

from dresbach.kernel.events import InboundEvent
from dresbach.platform.store.database import normalize_url
from dresbach.platform.store.schema import conversations, inbox, outbox, worker_heartbeats

Key = tuple[str, str]
"""("read", inbound id) or ("message", callback data): what identifies an outbox row."""


WEBHOOK_KINDS = frozenset(
    kind.fget(None) for kind in (c.kind for c in InboundEvent.__subclasses__())
)
"""The inbox kinds a webhook stores: one per WhatsApp message the kernel knows (each kind is a
constant property, read off the class)."""


@dataclass(slots=True)
class Books:
    acknowledged: int = 0
    conversations: int = 0
    inbox_rows: int = 0
    not_stepped: list[str] = field(default_factory=list)
    """Acknowledged ids without an inbox row, or whose row was never stepped."""
    unacknowledged_steps: list[str] = field(default_factory=list)
    """Inbox rows of these conversations that a webhook stored and nobody got a 200 for
    (allowed only mid-kill, never here: every message is redelivered until it is acknowledged).
    The rows of internal events (a hand-off's place in the queue, a payment confirmed) are the
    app's own and have no 200: they are not counted."""
    double_steps: list[str] = field(default_factory=list)
    """Conversations whose version is not their number of inbox rows, and inbound ids with
    more than one read-receipt row."""
    inbound_order_violations: int = 0
    outbox_rows: int = 0
    replies: int = 0
    """Outbox rows that are messages (the rest are read receipts)."""
    not_sent: list[str] = field(default_factory=list)
    delivered: int = 0
    """Requests at the fake Graph API that belong to these rows, repeats included."""
    lost: list[str] = field(default_factory=list)
    duplicated: int = 0
    """Extra copies that reached the Graph API (a row delivered twice counts 1)."""
    duplicated_rows: int = 0
    duplicated_replies: int = 0
    """Extra copies of messages the customer sees (read receipts left out)."""
    duplicated_conversations: int = 0
    unexplained_duplicates: list[str] = field(default_factory=list)
    """Repeats whose first copy arrived after the kill (plus grace), or that followed it within
    the lease: two workers held the row at once, or a send was repeated without a crash."""
    repeat_gaps: list[float] = field(default_factory=list)
    """Seconds between the first copy and the repeat, for each repeat."""
    unexpected: list[str] = field(default_factory=list)
    order_violations: int = 0

    @property
    def clean(self) -> bool:
        return not (
            self.not_stepped
            or self.unacknowledged_steps
            or self.double_steps
            or self.inbound_order_violations
            or self.not_sent
            or self.lost
            or self.unexplained_duplicates
            or self.unexpected
            or self.order_violations
        )

    def summary(self) -> str:
        return (
            f"acknowledged {self.acknowledged} · conversations {self.conversations} · "
            f"inbox rows {self.inbox_rows} · outbox rows {self.outbox_rows} "
            f"({self.replies} replies) · delivered {self.delivered} · "
            f"not stepped {len(self.not_stepped)} · stepped without a 200 "
            f"{len(self.unacknowledged_steps)} · double steps {len(self.double_steps)} · "
            f"not sent {len(self.not_sent)} · lost {len(self.lost)} · "
            f"duplicated {self.duplicated} ({self.duplicated_replies} replies; "
            f"{self.duplicated_rows} rows in "
            f"{self.duplicated_conversations} conversations{self._gaps()}, unexplained "
            f"{len(self.unexplained_duplicates)}) · unexpected {len(self.unexpected)} · "
            f"order violations {self.order_violations} (inbound {self.inbound_order_violations})"
        )

    def _gaps(self) -> str:
        if not self.repeat_gaps:
            return ""
        return f", repeated {min(self.repeat_gaps):.1f}-{max(self.repeat_gaps):.1f} s later"


def _key_of_request(record: Any) -> Key | None:
    body = record.body
    if record.wamid is None:
        message_id = body.get("message_id")
        return ("read", message_id) if isinstance(message_id, str) else None
    tag = body.get("biz_opaque_callback_data")
    return ("message", tag) if isinstance(tag, str) else None


def _inbound_of(key: Key) -> str:
    return key[1] if key[0] == "read" else key[1].rpartition("#")[0]


def audit(
    database_url: str,
    acknowledged: Sequence[str],
    requests: Iterable[Any],
    *,
    kill_at: float | None = None,
    grace: float = 1.0,
    min_repeat_gap: float = 0.0,
) -> Books:
    """Check a run. `acknowledged`: inbound ids in the order they got their 200; `requests`:
    the fake Graph API's records (`GraphApiState.requests`); `kill_at`: `time.monotonic()` when
    a worker was killed (repeats must have begun before it, give or take `grace` seconds; with
    no kill, no repeat is explained);
    `min_repeat_gap`: how long a repeat must come after its first copy (about the lease)."""
    books = Books(acknowledged=len(acknowledged))
    acked = set(acknowledged)
    engine = create_engine(normalize_url(database_url))
    try:
        with engine.connect() as connection:
            stepped = connection.execute(
                select(inbox.c.message_id, inbox.c.conversation_key).where(
                    inbox.c.message_id.in_(acked), inbox.c.to_step.is_(None)
                )
            ).all()
            keys = sorted({key for _, key in stepped})
            inbox_rows = connection.execute(
                select(inbox.c.id, inbox.c.message_id, inbox.c.conversation_key, inbox.c.kind)
                .where(inbox.c.conversation_key.in_(keys))
                .order_by(inbox.c.id)
            ).all()
            versions = dict(
                connection.execute(
                    select(conversations.c.key, conversations.c.version).where(
                        conversations.c.key.in_(keys)
                    )
                ).all()
            )
            rows = connection.execute(
                select(
                    outbox.c.id,
                    outbox.c.conversation_key,
                    outbox.c.seq,
                    outbox.c.kind,
                    outbox.c.payload,
                    outbox.c.callback_data,
                    outbox.c.status,
                ).where(outbox.c.conversation_key.in_(keys))
            ).all()
    finally:
        engine.dispose()

    # ---- stepping ----------------------------------------------------------------------------
    books.conversations = len(keys)
    books.inbox_rows = len(inbox_rows)
    books.not_stepped = sorted(acked - {message_id for message_id, _ in stepped})
    books.unacknowledged_steps = [
        m for _, m, _, kind in inbox_rows if m not in acked and kind in WEBHOOK_KINDS
    ]
    per_conversation: dict[str, list[str]] = defaultdict(list)
    for _, message_id, key, _ in inbox_rows:
        per_conversation[key].append(message_id)
    books.double_steps = [
        f"{key}: version {versions.get(key)} for {len(ids)} inbox rows"
        for key, ids in per_conversation.items()
        if versions.get(key) != len(ids)
    ]
    position = {message_id: n for n, message_id in enumerate(acknowledged)}
    for ids in per_conversation.values():
        order = [position[m] for m in ids if m in position]
        books.inbound_order_violations += sum(1 for a, b in itertools.pairwise(order) if b < a)

    # ---- the outbox --------------------------------------------------------------------------
    by_key: dict[Key, tuple[str, int]] = {}
    reads: Counter[str] = Counter()
    for row in rows:
        books.outbox_rows += 1
        if row.status != "sent":
            books.not_sent.append(f"{row.conversation_key}#{row.seq}: {row.status}")
        if row.kind == "read":
            message_id = orjson.loads(row.payload)["message_id"]
            reads[message_id] += 1
            key: Key = ("read", message_id)
        else:
            books.replies += 1
            key = ("message", row.callback_data or f"row {row.id}")
        by_key[key] = (row.conversation_key, row.seq)
    books.double_steps += [f"{m}: {n} read receipts queued" for m, n in reads.items() if n > 1]

    # ---- what reached the Graph API ----------------------------------------------------------
    arrivals: dict[Key, list[float]] = defaultdict(list)
    first_index: dict[Key, int] = {}
    for record in requests:
        key_of = _key_of_request(record)
        if key_of is None:
            continue
        if key_of not in by_key:
            if _inbound_of(key_of) in acked:
                books.unexpected.append(f"{key_of[0]} {key_of[1]}")
            continue
        arrivals[key_of].append(record.at)
        first_index.setdefault(key_of, record.index)
        books.delivered += 1
    books.lost = sorted(f"{k[0]} {k[1]}" for k in by_key if k not in arrivals)
    repeated_in: set[str] = set()
    for key_of, times in arrivals.items():
        if len(times) > 1:
            books.duplicated += len(times) - 1
            books.duplicated_rows += 1
            if key_of[0] == "message":
                books.duplicated_replies += len(times) - 1
            repeated_in.add(by_key[key_of][0])
            gaps = [later - times[0] for later in times[1:]]
            books.repeat_gaps += gaps
            killed = kill_at if kill_at is not None else -math.inf
            if times[0] > killed + grace or min(gaps) < min_repeat_gap:
                books.unexplained_duplicates.append(
                    f"{key_of[0]} {key_of[1]}: first {times[0] - killed:+.2f} s from the kill, "
                    f"repeated {', '.join(f'{g:.2f}' for g in gaps)} s later"
                )
    books.duplicated_conversations = len(repeated_in)

    # ---- order ---------------------------------------------------------------------------------
    sent_order: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for key_of, index in first_index.items():
        conversation, seq = by_key[key_of]
        sent_order[conversation].append((index, seq))
    for pairs in sent_order.values():
        seqs = [seq for _, seq in sorted(pairs)]
        books.order_violations += sum(1 for a, b in itertools.pairwise(seqs) if b < a)
    return books


def pending(database_url: str, *, leased: bool = False) -> int:
    """Messages waiting to be stepped plus outbox rows waiting to be sent (with `leased`, only
    the outbox rows a worker holds now)."""
    query = select(func.count()).select_from(outbox).where(outbox.c.status == "pending")
    waiting = select(func.count()).select_from(inbox).where(inbox.c.to_step.is_not(None))
    if leased:
        query = query.where(outbox.c.lease_until > func.now())
    engine = create_engine(normalize_url(database_url))
    try:
        with engine.connect() as connection:
            count = connection.execute(query).scalar_one()
            if not leased:
                count += connection.execute(waiting).scalar_one()
    finally:
        engine.dispose()
    return int(count)


def has_beaten(database_url: str, worker: str) -> bool:
    """Whether the worker named `host:pid` wrote its heartbeat (it is running)."""
    engine = create_engine(normalize_url(database_url))
    try:
        with engine.connect() as connection:
            found = connection.execute(
                select(worker_heartbeats.c.name).where(worker_heartbeats.c.name == worker)
            ).first()
    finally:
        engine.dispose()
    return found is not None
