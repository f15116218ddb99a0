"""Both identities of a customer over real HTTP (#12 item 1): the phone number (`wa_id`) and the
business-scoped user id (BSUID, `user_id`). Replies go in `to` when a phone number is known and in
`recipient` when only a BSUID is (Meta's "Business-scoped user IDs" page); a changed number moves
the conversation with its history; a message Meta cannot send to a BSUID (131062) is
dead-lettered with a reason."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import select, update

from dresbach.kernel import codec
from dresbach.kernel.messages import Template, Text
from dresbach.platform.store.schema import conversations, inbox, outbox
from tests.support.meta import PHONE_NUMBER_ID
from tests.support.stack_fixtures import Stack

PHONE = "5511987654321"
BSUID = "BR.1502576394655843"
NEW_PHONE = "5511976543210"
NEW_BSUID = "BR.2093384750018273"


def webhook(messages: list[dict[str, Any]], contacts: list[dict[str, Any]] | None) -> bytes:
    value: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "5511400000000", "phone_number_id": PHONE_NUMBER_ID},
        "messages": messages,
    }
    if contacts is not None:
        value["contacts"] = contacts
    change = {"field": "messages", "value": value}
    return orjson.dumps(
        {"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [change]}]}
    )


def text(stack: Stack, body: str, *, phone: str | None, bsuid: str | None) -> bytes:
    """A text as Meta sends it: `from` / `from_user_id`, and the contact's `wa_id` / `user_id`."""
    message: dict[str, Any] = {
        "id": stack.meta.message_id(),
        "timestamp": str(int(time.time())),
        "type": "text",
        "text": {"body": body},
    }
    contact: dict[str, Any] = {"profile": {"name": "Mariana"}}
    if phone:
        message["from"] = contact["wa_id"] = phone
    if bsuid:
        message["from_user_id"] = contact["user_id"] = bsuid
    return webhook([message], [contact])


def says(stack: Stack, body: str, *, phone: str | None, bsuid: str | None) -> None:
    assert stack.meta.post(text(stack, body, phone=phone, bsuid=bsuid)).status_code == 200


def sent(stack: Stack) -> list[dict[str, Any]]:
    return [r.body for r in stack.graph.requests if not r.is_read_receipt]


def settled(stack: Stack, count: int) -> list[dict[str, Any]]:
    """The messages the fake accepted, once there are `count` and they stop coming."""
    stack.waits_until(lambda: len(sent(stack)) >= count, what=f"{count} messages sent")
    time.sleep(0.3)
    return sent(stack)


def row_of(stack: Stack, key: str) -> Any:
    with stack.container.db.engine.connect() as connection:
        query = select(conversations).where(conversations.c.key == key)
        return connection.execute(query).mappings().first()


def test_a_username_only_customer_gets_every_reply_through_recipient(stack: Stack) -> None:
    says(stack, "oi", phone=None, bsuid=BSUID)
    first = len(settled(stack, 1))
    says(stack, "menu", phone=None, bsuid=BSUID)
    replies = settled(stack, first + 1)

    assert stack.graph.failures == []
    assert all(r["recipient"] == BSUID and "to" not in r for r in replies), replies
    conversation = row_of(stack, BSUID)
    assert (conversation["user_id"], conversation["wa_id"]) == (BSUID, None)


def test_a_customer_with_both_identities_gets_the_phone_number_in_to(stack: Stack) -> None:
    says(stack, "oi", phone=PHONE, bsuid=BSUID)
    replies = settled(stack, 1)

    assert stack.graph.failures == []
    assert all(r["to"] == PHONE and "recipient" not in r for r in replies), replies
    conversation = row_of(stack, BSUID)
    assert (conversation["user_id"], conversation["wa_id"]) == (BSUID, PHONE)


def test_a_phone_number_met_later_is_kept_and_used(stack: Stack) -> None:
    says(stack, "oi", phone=None, bsuid=BSUID)
    first = len(settled(stack, 1))
    says(stack, "menu", phone=PHONE, bsuid=BSUID)
    replies = settled(stack, first + 1)[first:]

    assert all(r["to"] == PHONE for r in replies), replies
    assert row_of(stack, BSUID)["wa_id"] == PHONE


def changed_number(stack: Stack, system: dict[str, Any]) -> bytes:
    """Meta's `system` webhook: no contacts; `from` is the old number."""
    message = {
        "from": PHONE,
        "id": stack.meta.message_id(),
        "timestamp": str(int(time.time())),
        "type": "system",
        "system": {"body": f"User Mariana changed from {PHONE} to {NEW_PHONE}", **system},
    }
    return webhook([message], None)


def history(stack: Stack, key: str) -> list[str]:
    with stack.container.db.engine.connect() as connection:
        query = select(inbox.c.kind).where(inbox.c.conversation_key == key).order_by(inbox.c.id)
        return list(connection.execute(query).scalars())


def test_a_changed_number_moves_the_conversation_with_its_history(stack: Stack) -> None:
    says(stack, "oi", phone=PHONE, bsuid=BSUID)
    first = len(settled(stack, 1))
    system = {
        "wa_id": NEW_PHONE,
        "type": "user_changed_number",
        "user_id": NEW_BSUID,
        "previous_user_id": BSUID,
    }
    assert stack.meta.post(changed_number(stack, system)).status_code == 200
    stack.waits_until(lambda: row_of(stack, NEW_BSUID), what="the conversation moved")
    says(stack, "menu", phone=NEW_PHONE, bsuid=NEW_BSUID)
    replies = settled(stack, first + 1)[first:]

    assert row_of(stack, BSUID) is None
    moved = row_of(stack, NEW_BSUID)
    assert (moved["wa_id"], moved["user_id"], moved["address"]) == (NEW_PHONE, NEW_BSUID, NEW_PHONE)
    assert history(stack, NEW_BSUID) == ["text", "identity_changed", "text"]
    assert all(r["to"] == NEW_PHONE for r in replies), replies


def test_a_number_change_naming_only_phones_finds_the_conversation_kept_by_bsuid(
    stack: Stack,
) -> None:
    """Meta's "System messages webhook reference" shows the change with phone numbers only."""
    says(stack, "oi", phone=PHONE, bsuid=BSUID)
    first = len(settled(stack, 1))
    system = {"wa_id": NEW_PHONE, "type": "user_changed_number"}
    assert stack.meta.post(changed_number(stack, system)).status_code == 200
    stack.waits_until(lambda: row_of(stack, BSUID)["wa_id"] == NEW_PHONE, what="number kept")
    says(stack, "menu", phone=None, bsuid=BSUID)
    replies = settled(stack, first + 1)[first:]

    assert row_of(stack, PHONE) is None
    assert row_of(stack, NEW_PHONE) is None
    assert history(stack, BSUID) == ["text", "identity_changed", "text"]
    assert all(r["to"] == NEW_PHONE for r in replies), replies


def test_a_message_meta_cannot_send_to_a_bsuid_is_dead_lettered_with_a_reason(
    stack: Stack,
) -> None:
    """A reply after the 24 h window falls back to its template; the template is one Meta sends
    to phone numbers only (131062), and no phone number is known."""
    says(stack, "oi", phone=None, bsuid=BSUID)
    settled(stack, 1)
    stack.graph.outside_window.add(BSUID)
    stack.graph.authentication_templates.add("codigo_de_acesso")
    now = datetime.now(UTC)
    reply = Text(body="Seu código chegou.", fallback=Template(name="codigo_de_acesso"))
    seq = row_of(stack, BSUID)["outbox_seq"] + 1
    with stack.container.db.engine.begin() as connection:
        connection.execute(
            update(conversations).where(conversations.c.key == BSUID).values(outbox_seq=seq)
        )
        connection.execute(
            outbox.insert().values(
                conversation_key=BSUID,
                seq=seq,
                recipient=BSUID,
                kind="message",
                payload=orjson.dumps(codec.encode(reply)).decode(),
                fallback=orjson.dumps(codec.encode(reply.fallback)).decode(),
                status="pending",
                attempts=0,
                next_attempt_at=now,
                delivery_rank=0,
                created_at=now,
            )
        )

    def dead() -> Any:
        with stack.container.db.engine.connect() as connection:
            query = select(outbox).where(outbox.c.conversation_key == BSUID, outbox.c.seq == seq)
            found = connection.execute(query).mappings().one()
        return found if found["status"] == "dead" else None

    row = stack.waits_until(dead, what="the row dead-lettered")
    assert row["last_error"].startswith("131062: this message cannot go to a business-scoped")
    assert [(f.code, f.kind) for f in stack.graph.failures] == [
        (131047, "outside_window"),
        (131062, "bsuid_unsupported"),
    ]
