"""Quick texts understood together: Brazilians split one thought into 3–4 quick messages.

A text a user sends while the conversation is at rest (the menu, no question pending) is held
when bursts are on (`Policy.burst_window`): kept in the inbox like any message (deduplicated by
its id), read, but not stepped; its clear text waits sealed on the conversation row, and a job
due one window later (`BURST_JOB`, durable: a crash loses nothing) steps the conversation once
with every held text, joined in arrival order, if no later text was held meanwhile (that one's
job does it; a text arriving after the window closed, the job being late, does it first). Any
other event of the conversation steps the held texts first, in its own transaction, so the
user's order holds. Inside a question (a document, a password, a code) or in the sensitive
window, nothing is held: a text there is its own turn.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import Connection, update

from dresbach.kernel.conversation import Place
from dresbach.kernel.events import Event, Sender, TextReceived
from dresbach.kernel.policy import Policy
from dresbach.platform.feature import installed
from dresbach.platform.store.hooks import StepHooks
from dresbach.platform.store.schema import conversations, outbox
from dresbach.platform.store.sealing import Sealer
from dresbach.platform.store.step_writes import keep_inbox_row
from dresbach.platform.store.unit_of_work.rows import inbox_row, outbox_row
from dresbach.platform.store.unit_of_work.window import in_sensitive_window
from dresbach.platform.work.effects import enqueue_job

BURST_JOB = "burst"
"""The job that steps a conversation's held texts (payload: the text whose window it closes)."""


def holds(
    row: Any, event: Event, now: datetime, policy: Policy, sealer: Sealer | None, hooks: StepHooks
) -> bool:
    """Whether this event is a text to hold: bursts on, the conversation at rest, out of the
    sensitive window (what is typed there may be a password again: its own turn)."""
    return (
        isinstance(event, TextReceived)
        and policy.burst_window > timedelta(0)
        and sealer is not None
        and Place(flow=row["flow"], state=row["state"]) in installed().machine.home.at_rest
        and not in_sensitive_window(row, now, hooks)
    )


def held_texts(row: Any, sealer: Sealer | None) -> list[dict[str, Any]]:
    """The texts held on this conversation row, in arrival order."""
    if not row["held"] or sealer is None:
        return []
    found: list[dict[str, Any]] = orjson.loads(sealer.open(row["held"]))
    return found


def closed(row: Any, now: datetime, policy: Policy, sealer: Sealer | None) -> bool:
    """Whether the held texts' window closed (their job is late): a text now is a new turn."""
    texts = held_texts(row, sealer)
    return bool(texts) and datetime.fromisoformat(texts[-1]["held_at"]) + policy.burst_window <= now


def joined(texts: list[dict[str, Any]]) -> TextReceived:
    """The held texts as one text: their bodies one per line, from the last one's sender, id
    and time."""
    last = texts[-1]
    return TextReceived(
        message_id=last["id"],
        sender=Sender(
            user_id=last["user_id"], wa_id=last["wa_id"], profile_name=last["profile_name"]
        ),
        timestamp=datetime.fromisoformat(last["timestamp"]),
        context_id=last["context_id"],
        body="\n".join(text["body"] for text in texts),
    )


def hold(
    connection: Connection,
    key: str,
    row: Any,
    event: TextReceived,
    kept_as: tuple[dict[str, Any], dict[str, Any], bool],
    now: datetime,
    policy: Policy,
    sealer: Sealer,
) -> bool:
    """Keep the text in the inbox (False, nothing written, when its id was seen before), read it,
    hold its clear text sealed on the conversation and enqueue the job that closes its window.
    `kept_as`: what the inbox keeps of it, its flood window, whether it arrived stored."""
    stored, window_values, arrived = kept_as
    place = f"{row['flow']}.{row['state']}"
    kept = inbox_row(event.message_id, key, event, stored, now, place, [])
    if not keep_inbox_row(connection, kept, arrived):
        return False
    texts = held_texts(row, sealer)
    texts.append(
        {
            "id": event.message_id,
            "body": event.body,
            "timestamp": event.timestamp.isoformat(),
            "context_id": event.context_id,
            "user_id": event.sender.user_id,
            "wa_id": event.sender.wa_id,
            "profile_name": event.sender.profile_name,
            "held_at": now.isoformat(),
        }
    )
    seq = row["outbox_seq"] + 1
    # read at once, as every message; "typing…" comes with the turn's reply
    read = {"message_id": event.message_id, "typing": False}
    connection.execute(
        outbox.insert(), [outbox_row(key, seq, row["address"], "read", read, None, now)]
    )
    connection.execute(
        update(conversations)
        .where(conversations.c.key == key)
        .values(
            held=sealer.seal(orjson.dumps(texts).decode()),
            outbox_seq=seq,
            version=row["version"] + 1,
            updated_at=now,
            last_inbound_at=now,
            **window_values,
        )
    )
    enqueue_job(
        connection,
        command_id=f"{BURST_JOB}:{event.message_id}",
        kind=BURST_JOB,
        payload={"message_id": event.message_id},
        now=now,
        due=now + policy.burst_window,
        conversation_key=key,
    )
    return True
