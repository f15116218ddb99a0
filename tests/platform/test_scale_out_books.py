"""The books the scale-out checks keep (tests/support/scale_out.py): a row the app wrote for
one of its own events is not a message "stepped without a 200", on SQLite and PostgreSQL.

The scale-out bench failed every run on 20 such rows: a customer who writes "menu" first is
handed to a person, and the hand-off tells the conversation its place in the queue with an
internal event (`<message id>:handoff:queued`), which the inbox keeps like any other step.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert

from dresbach.platform.store.database import Database
from dresbach.platform.store.schema import conversations, inbox
from tests.support.scale_out import audit

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
KEY = "BR.1502000000002"


def _conversation(db: Database, version: int) -> None:
    with db.engine.begin() as connection:
        connection.execute(
            insert(conversations).values(
                key=KEY,
                address="5511900000002",
                flow="main",
                state="human",
                slots="{}",
                trail="[]",
                outbox_seq=0,
                version=version,
                created_at=NOW,
                updated_at=NOW,
            )
        )


def _stepped(db: Database, message_id: str, kind: str) -> None:
    with db.engine.begin() as connection:
        connection.execute(
            insert(inbox).values(
                message_id=message_id,
                conversation_key=KEY,
                kind=kind,
                payload="{}",
                received_at=NOW,
            )
        )


def menu_was_handed_off(db: Database, version: int) -> None:
    """The user wrote "menu" (acknowledged, stepped), and the hand-off told the conversation its
    place in the queue (the app's own event)."""
    _conversation(db, version=version)
    _stepped(db, "wamid.menu", "text")
    _stepped(db, "wamid.menu:handoff:queued", "handoff_queued")


def test_the_hand_off_s_place_in_the_queue_is_the_app_s_own_step_not_one_without_a_200(
    db: Database, database_url: str
) -> None:
    menu_was_handed_off(db, version=2)

    books = audit(database_url, ["wamid.menu"], [])

    assert books.unacknowledged_steps == []
    assert books.double_steps == []
    assert books.clean, books.summary()


def test_a_message_stored_by_a_webhook_that_nobody_acknowledged_is_still_reported(
    db: Database, database_url: str
) -> None:
    menu_was_handed_off(db, version=3)
    _stepped(db, "wamid.never-acknowledged", "text")

    books = audit(database_url, ["wamid.menu"], [])

    assert books.unacknowledged_steps == ["wamid.never-acknowledged"]
    assert not books.clean
