"""One data-exchange endpoint, several Flows: each request goes to the `FlowsExchange` of its
token's purpose (`login`, `ticket`). A token that is not live, or whose purpose has no exchange
here, is `FlowTokenRejected` (the endpoint answers 427)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from dresbach.platform.store.database import Database
from dresbach.platform.whatsapp import flow_tokens
from dresbach.platform.whatsapp.flows_exchange import (
    FlowAnswer,
    FlowRequest,
    FlowsExchange,
    FlowTokenRejected,
)


class FlowsByPurpose:
    """A `FlowsExchange` that hands each request to the exchange of its token's purpose."""

    def __init__(
        self,
        db: Database,
        exchanges: Mapping[str, FlowsExchange],
        *,
        clock: Callable[[], datetime],
    ) -> None:
        self.db, self.exchanges, self.clock = db, dict(exchanges), clock

    async def exchange(self, request: FlowRequest) -> FlowAnswer:
        purpose = await self.db.run(
            flow_tokens.purpose_of, self.db.engine, request.flow_token, self.clock()
        )
        exchange = self.exchanges.get(purpose)
        if exchange is None:
            raise FlowTokenRejected("mismatch")
        return await exchange.exchange(request)
