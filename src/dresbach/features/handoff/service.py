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
from typing import Literal

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
from dresbach.features.handoff.teams.transfer import Transfer, transfer, transfers_of
from dresbach.features.handoff.views import History, HistoryEntry, QueueItem, history, queue
from dresbach.kernel.errors import TransientError
from dresbach.kernel.policy import Policy
from dresbach.platform.clock import utcnow
from dresbach.platform.inbound.pipeline import Pipeline
from dresbach.platform.store.database import Database
from dresbach.platform.work.jobs import Job

__all__ = [
    "HandOffError",
    "HandOffService",
    "History",
    "HistoryEntry",
    "PriceWarning",
    "QueueItem",
    "Transfer",
]

log = logging.getLogger(__name__)


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
        await self.desk.forward(row["desk_conversation_id"], str(job.payload.get("text", "")))

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

    async def take(self, handoff_id: int, operator: str) -> None:
        """Raises HandOffError when someone else has it or it has ended."""
        await self.db.run(
            take,
            self.db.engine,
            handoff_id,
            operator,
            self.clock(),
            self.policy,
            self.pipeline.sealer,
            self.pipeline.hooks,
        )
        self.on_enqueued()

    async def reply(
        self, handoff_id: int, operator: str, body: str, *, price_confirmed: bool = False
    ) -> None:
        """Raises HandOffError for an empty or too long text, or when the operator does not have
        the hand-off; PriceWarning for an amount before the customer's diagnosis, unless the
        operator confirmed it. Each call is a distinct reply."""
        await self.db.run(
            lambda: reply(
                self.db.engine,
                handoff_id,
                operator,
                body,
                uuid.uuid4().hex,
                self.clock(),
                self.policy,
                self.pipeline.sealer,
                self.pipeline.hooks,
                price_rule=True,
                price_confirmed=price_confirmed,
            )
        )
        self.on_enqueued()

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
        await self.db.run(
            lambda: transfer(
                self.db.engine,
                handoff_id,
                operator,
                self.clock(),
                self.policy,
                self.pipeline.sealer,
                self.pipeline.hooks,
                to_operator=to_operator,
                to_team=to_team,
                note=note,
                any_operator=any_operator,
            )
        )
        self.on_enqueued()

    async def transfers(self, handoff_id: int) -> list[Transfer]:
        return await self.db.run(transfers_of, self.db.engine, handoff_id, self.pipeline.sealer)

    async def hand_back(self, handoff_id: int, operator: str) -> None:
        await self._leave(handoff_id, operator, closed=False)

    async def close(self, handoff_id: int, operator: str) -> None:
        await self._leave(handoff_id, operator, closed=True)

    async def _leave(self, handoff_id: int, operator: str, *, closed: bool) -> None:
        ended = await self.db.run(
            lambda: leave(
                self.db.engine,
                handoff_id,
                operator,
                self.clock(),
                self.policy,
                self.pipeline.sealer,
                self.pipeline.hooks,
                closed=closed,
            )
        )
        self.on_enqueued()
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
            await self.db.run(
                lambda: leave(
                    self.db.engine,
                    handoff_id,
                    name,
                    self.clock(),
                    self.policy,
                    self.pipeline.sealer,
                    self.pipeline.hooks,
                    closed=status == "resolved",
                    shown_as=name,
                    any_operator=True,
                )
            )
        except HandOffError as error:
            log.info("desk status for hand-off %s ignored: %s", handoff_id, error)
            return False
        self.on_enqueued()
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
