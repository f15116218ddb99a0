"""A Flow's tokens as its exchange uses them (`login_form`, `ticket_form`): checked for its
purpose, with the context kept sealed between screens, used up once on the Flow's completion."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

import orjson

from dresbach.platform.store.database import Database
from dresbach.platform.store.sealing import Sealer, SealError
from dresbach.platform.whatsapp import flow_tokens
from dresbach.platform.whatsapp.flows_exchange import FlowTokenRejected

log = logging.getLogger(__name__)

Context = dict[str, Any]


class FormTokens:
    """The tokens of the Flow for `purpose` ("login", "ticket")."""

    def __init__(
        self, db: Database, sealer: Sealer, purpose: str, *, clock: Callable[[], datetime]
    ) -> None:
        self.db, self.sealer, self.purpose, self.clock = db, sealer, purpose, clock

    def context(self, token: flow_tokens.FlowToken) -> Context:
        """What the exchange kept with the token ({} before it kept anything)."""
        if not token.context:
            return {}
        try:
            opened: Context = orjson.loads(self.sealer.open(token.context))
        except (SealError, ValueError):
            raise FlowTokenRejected("context") from None
        return opened

    async def check(self, flow_token: str) -> flow_tokens.FlowToken:
        """The live token of a request (`FlowTokenRejected` otherwise)."""
        return await self.db.run(
            flow_tokens.check, self.db.engine, flow_token, self.clock(), purpose=self.purpose
        )

    async def keep(self, flow_token: str, context: Context) -> None:
        sealed = self.sealer.seal(orjson.dumps(context).decode())
        await self.db.run(
            lambda: flow_tokens.remember(
                self.db.engine, flow_token, self.clock(), purpose=self.purpose, context=sealed
            )
        )

    async def complete(self, sealed_token: str, conversation_key: str) -> Context:
        """The Flow's completion (the job's sealed token): use the token up, once, for this
        conversation; its context, or {} when it was not live (logged, never raised)."""
        opened: dict[str, str] = orjson.loads(self.sealer.open(sealed_token))
        try:
            token = await self.db.run(
                lambda: flow_tokens.complete(
                    self.db.engine,
                    opened["flow_token"],
                    self.clock(),
                    purpose=self.purpose,
                    conversation_key=conversation_key,
                )
            )
            return self.context(token)
        except FlowTokenRejected as rejected:
            log.info(
                "%s flow: completion refused",
                self.purpose,
                extra={"reason": rejected.reason[:40]},
            )
            return {}
