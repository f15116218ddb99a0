"""The hand-off to a human, behind the flow: the queue, on-duty operators notified, take, reply,
hand back and close (from the console or a desk such as Chatwoot), and the customers nobody
answered in time.

Each move changes the `handoffs` row and delivers its news to the conversation (`HandOffQueued`,
`HumanJoined`, `OperatorSaid`, `HumanLeft`, `HandOffUnanswered`) in one transaction, once per
event id. With a desk, the hand-off is mirrored there: opened with a private note carrying the
context, the customer's messages forwarded, resolved when the customer leaves or an operator
ends it from the console.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Literal, TypeVar

from dresbach.features.handoff.files import sent_file
from dresbach.features.handoff.flow.texts import TEXTS
from dresbach.features.handoff.labels import LABELS, UNKNOWN_LABEL
from dresbach.features.handoff.notes import Note, add_note, mentions_of, notes_of
from dresbach.features.handoff.ports import HelpDesk
from dresbach.features.handoff.records import (
    OPEN,
    Ended,
    HandOffError,
    PriceWarning,
    leave,
    open_by_desk_conversation,
    reply,
    take,
)
from dresbach.features.handoff.requests import (
    callback_requested,
    customer_left,
    customer_wrote,
    open_handoff,
    set_desk_conversation,
    unanswered,
)
from dresbach.features.handoff.satisfaction.scores import rate
from dresbach.features.handoff.teams.transfer import Transfer, transfer, transfers_of
from dresbach.features.handoff.views import (
    MEDIA_PT,
    History,
    HistoryEntry,
    QueueItem,
    history,
    queue,
)
from dresbach.kernel.errors import NotReadyError, TransientError
from dresbach.kernel.policy import Policy
from dresbach.kernel.ports import Attachment
from dresbach.platform.clock import utcnow
from dresbach.platform.inbound.media import file_name, media_described, opened
from dresbach.platform.inbound.pipeline import Pipeline
from dresbach.platform.store.database import Database
from dresbach.platform.work.jobs import Job

__all__ = [
    "HandOffError",
    "HandOffService",
    "History",
    "HistoryEntry",
    "Note",
    "PriceWarning",
    "QueueItem",
    "Transfer",
]

log = logging.getLogger(__name__)
T = TypeVar("T")


class HandOffService:
    """The hand-off use cases, for the job worker, the console, the desk's webhook and timers."""

    def __init__(
        self,
        db: Database,
        pipeline: Pipeline,
        policy: Policy,
        desk: HelpDesk | None,
        *,
        clock: Callable[[], datetime] = utcnow,
        on_enqueued: Callable[[], None] = lambda: None,
    ) -> None:
        self.db, self.pipeline, self.policy, self.desk = db, pipeline, policy, desk
        self.clock, self.on_enqueued = clock, on_enqueued

    # ---- jobs ----------------------------------------------------------------------------
    async def open(self, job: Job) -> None:
        """`RequestHandOff`: one hand-off per conversation, however often it is asked for."""
        opened = await self.db.run(
            open_handoff,
            self.db.engine,
            job.command_id,
            job.conversation_key or "",
            job.payload,
            self.clock(),
            self.policy,
            self.pipeline.sealer,
            self.pipeline.hooks,
        )
        self.on_enqueued()
        if self.desk is None or opened.status not in OPEN or opened.desk_conversation_id:
            return
        desk_id = await self.desk.open(
            str(opened.handoff_id), opened.contact_name, opened.address, opened.note
        )
        await self.db.run(set_desk_conversation, self.db.engine, opened.handoff_id, desk_id)

    async def forward(self, job: Job) -> None:
        """`ForwardToHuman`: the customer wrote while waiting or with a human."""
        key = job.conversation_key or ""
        row = await self.db.run(customer_wrote, self.db.engine, key, self.clock())
        if row is None or self.desk is None:
            return
        if not row["desk_conversation_id"]:
            raise TransientError(f"hand-off {row['id']}: the desk conversation is not open yet")
        text, attachment = str(job.payload.get("text", "")), None
        media_id = job.payload.get("media_id")
        if media_id:
            text, attachment = await self._file(str(media_id), text)
        await self.desk.forward(row["desk_conversation_id"], text, attachment)

    async def _file(self, media_id: str, caption: str) -> tuple[str, Attachment | None]:
        """The customer's file for the desk: waits while it is being fetched (never lost: the
        fetch ends kept, refused or failed); one that could not be kept goes as a line saying
        so, with its caption."""
        kept = await self.db.run(media_described, self.db.engine, media_id)
        if kept is not None and kept.status == "pending":
            raise NotReadyError(f"media {media_id} is still being fetched")
        found = None
        if kept is not None and kept.status == "kept":
            found = await self.db.run(opened, self.db.engine, self.pipeline.sealer, media_id)
        if found is None:
            kind = MEDIA_PT.get(kept.kind if kept else "", "arquivo")
            line = TEXTS["desk_file_missing"].format(kind=kind, caption=caption)
            return " ".join(line.split()), None
        file, data = found
        return caption, Attachment(
            filename=file.filename or file_name(file.kind, file.mime_type),
            mime_type=file.mime_type,
            data=data,
        )

    async def end(self, job: Job) -> None:
        """`EndHandOff`: the customer left the human, or stopped waiting."""
        reason = str(job.payload.get("reason") or "customer_left")
        ended = await self.db.run(
            customer_left, self.db.engine, job.conversation_key or "", reason, self.clock()
        )
        await self._resolve_at_desk(ended)

    async def callback(self, job: Job) -> None:
        """`RequestCallback`: nobody took it in time; the customer asks to be called back."""
        marked = await self.db.run(
            callback_requested, self.db.engine, job.conversation_key or "", self.clock()
        )
        if not marked:
            log.info("callback asked with no open hand-off")

    async def rate(self, job: Job) -> None:
        """`RateHandOff`: the customer's score of a closed hand-off, or a comment to it."""
        payload = job.payload
        score = payload.get("score")
        comment = payload.get("comment")
        kept = await self.db.run(
            lambda: rate(
                self.db.engine,
                int(str(payload.get("handoff_id") or 0)),
                self.clock(),
                score=int(score) if isinstance(score, int | str) and str(score).isdigit() else None,
                comment=comment if isinstance(comment, str) else None,
            )
        )
        if not kept:
            log.info("rating of hand-off %s not kept (rated before, or not closed)", payload)

    # ---- the console -----------------------------------------------------------------------
    async def queue(self) -> list[QueueItem]:
        return await self.db.run(queue, self.db.engine, self.clock())

    async def history(
        self, handoff_id: int | None = None, conversation_key: str | None = None
    ) -> History:
        if handoff_id is None and not conversation_key:
            raise ValueError("a hand-off id or a conversation key")
        return await self.db.run(
            lambda: history(
                self.db.engine,
                self.clock(),
                handoff_id=handoff_id,
                conversation_key=conversation_key,
            )
        )

    async def note(self, handoff_id: int, author: str, body: str) -> Note:
        """A private note for the team; never sent to the customer. Raises HandOffError."""
        return await self.db.run(add_note, self.db.engine, handoff_id, author, body, self.clock())

    async def notes(self, handoff_id: int) -> list[Note]:
        return await self.db.run(notes_of, self.db.engine, handoff_id)

    async def mentions(self, username: str) -> list[Note]:
        """Notes naming this operator on hand-offs still open, newest first."""
        return await self.db.run(mentions_of, self.db.engine, username)

    async def _act(self, action: Callable[..., T], *head: object, **options: object) -> T:
        """Run one of the records' moves in a worker thread, with what every move takes
        (`engine, *head, now, policy, sealer, hooks, **options`), then wake the sender."""
        engine, sealer, hooks = self.db.engine, self.pipeline.sealer, self.pipeline.hooks
        done = await self.db.run(
            lambda: action(engine, *head, self.clock(), self.policy, sealer, hooks, **options)
        )
        self.on_enqueued()
        return done

    async def take(self, handoff_id: int, operator: str) -> None:
        """Raises HandOffError when someone else has it or it has ended."""
        await self._act(take, handoff_id, operator)

    async def reply(
        self, handoff_id: int, operator: str, body: str, *, price_confirmed: bool = False
    ) -> None:
        """Raises HandOffError for an empty or too long text, or when the operator does not have
        the hand-off; PriceWarning for an amount before the customer's diagnosis, unless the
        operator confirmed it. Each call is a distinct reply."""
        await self._act(
            reply,
            handoff_id,
            operator,
            body,
            uuid.uuid4().hex,
            price_rule=True,
            price_confirmed=price_confirmed,
        )

    async def send_file(
        self, handoff_id: int, operator: str, data: bytes, filename: str, caption: str
    ) -> None:
        """An image or a PDF from the console, with an optional caption: checked (type from its
        bytes, WhatsApp's size limit, the 24 h window), kept, and sent in order with the
        replies. Raises HandOffError (pt-BR) when it cannot go."""
        file = sent_file(handoff_id, data, filename)
        await self._act(reply, handoff_id, operator, caption, file.ref, price_rule=True, file=file)

    async def transfer(
        self,
        handoff_id: int,
        operator: str,
        *,
        to_operator: str | None,
        to_team: str | None,
        note: str,
        any_operator: bool = False,
    ) -> None:
        """Pass the hand-off to a colleague or a team, with a note (`teams.transfer`)."""
        await self._act(
            transfer,
            handoff_id,
            operator,
            to_operator=to_operator,
            to_team=to_team,
            note=note,
            any_operator=any_operator,
        )

    async def transfers(self, handoff_id: int) -> list[Transfer]:
        return await self.db.run(transfers_of, self.db.engine, handoff_id, self.pipeline.sealer)

    async def hand_back(self, handoff_id: int, operator: str) -> None:
        await self._leave(handoff_id, operator, closed=False)

    async def close(self, handoff_id: int, operator: str, *, label: str | None = None) -> None:
        """`label` is the reason code chosen (`labels.LABELS`); raises HandOffError for another."""
        if label is not None and label not in LABELS:
            raise HandOffError(UNKNOWN_LABEL)
        await self._leave(handoff_id, operator, closed=True, label=label)

    async def _leave(
        self, handoff_id: int, operator: str, *, closed: bool, label: str | None = None
    ) -> None:
        ended = await self._act(leave, handoff_id, operator, closed=closed, label=label)
        await self._resolve_at_desk(ended)

    async def _resolve_at_desk(self, ended: Ended | None) -> None:
        if self.desk is None or ended is None or not ended.desk_conversation_id:
            return
        try:
            await self.desk.close(ended.desk_conversation_id)
        except Exception:  # the hand-off is over for us; the desk keeps a stale conversation
            log.exception("could not resolve desk conversation of hand-off %s", ended.handoff_id)

    # ---- the desk's webhook ------------------------------------------------------------------
    async def desk_reply(
        self, desk_conversation_id: str, agent: str, body: str, message_id: str
    ) -> bool:
        """An agent answered in the desk: take the hand-off if it still waits, then relay the
        reply once (`message_id` is the desk's). False when the conversation is not ours or the
        reply was relayed before."""
        handoff_id = await self.db.run(
            open_by_desk_conversation, self.db.engine, desk_conversation_id
        )
        if handoff_id is None:
            return False
        name = agent.strip()[:80] or "Atendente"

        def work() -> bool:
            engine, now = self.db.engine, self.clock()
            sealer, hooks = self.pipeline.sealer, self.pipeline.hooks
            with contextlib.suppress(HandOffError):  # another agent has it: the desk decides
                take(engine, handoff_id, name, now, self.policy, sealer, hooks, shown_as=name)
            return reply(
                engine,
                handoff_id,
                name,
                body,
                f"desk:{message_id}",
                now,
                self.policy,
                sealer,
                hooks,
                shown_as=name,
                any_operator=True,
            )

        try:
            relayed = await self.db.run(work)
        except HandOffError as error:
            log.warning("desk reply to hand-off %s not relayed: %s", handoff_id, error)
            return False
        self.on_enqueued()
        return relayed

    async def desk_status(
        self, desk_conversation_id: str, agent: str, status: Literal["pending", "resolved"]
    ) -> bool:
        """The desk put the conversation back to `pending` (hand back to the bot) or
        `resolved` (close). False when there was no open hand-off there."""
        handoff_id = await self.db.run(
            open_by_desk_conversation, self.db.engine, desk_conversation_id
        )
        if handoff_id is None:
            return False
        name = agent.strip()[:80] or "Atendente"
        try:
            await self._act(
                leave,
                handoff_id,
                name,
                closed=status == "resolved",
                shown_as=name,
                any_operator=True,
            )
        except HandOffError as error:
            log.info("desk status for hand-off %s ignored: %s", handoff_id, error)
            return False
        return True

    # ---- timers ------------------------------------------------------------------------------
    async def sweep(self) -> None:
        told = await self.db.run(
            unanswered,
            self.db.engine,
            self.clock(),
            self.policy,
            self.pipeline.sealer,
            self.pipeline.hooks,
        )
        if told:
            self.on_enqueued()

    async def aclose(self) -> None:
        closer = getattr(self.desk, "aclose", None)
        if closer is not None:
            result = closer()
            if asyncio.iscoroutine(result):
                await result
