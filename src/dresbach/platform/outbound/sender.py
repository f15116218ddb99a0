"""The outbox worker: drains the outbox through the MessageSender port, in order, paced, retried.

Transient failures (timeouts, 5xx, 130429 throughput, 131056 pair rate) are retried with
jittered exponential backoff; permanent ones are dead-lettered with the reason; 131047 (the 24 h
window closed) switches to the message's fallback template when it names one. A native Pix
order or order status that Meta refuses (an account not enabled for the Payments API, or the
window closed) is replaced by the messages it names instead, sent in order as one row.

A send in doubt (no answer came back, or the worker that claimed it died) is not repeated at once:
it waits `doubt` for a status webhook naming it, which records it as sent (Meta echoes our
`biz_opaque_callback_data` in every status); only if none comes does it go again.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import orjson

from dresbach.kernel import codec
from dresbach.kernel.errors import (
    OutsideWindowError,
    PermanentError,
    RefusedKindError,
    TransientError,
)
from dresbach.kernel.messages import Message, Template, Text
from dresbach.kernel.ports import MessageSender
from dresbach.platform.clock import utcnow
from dresbach.platform.observe.correlation import bound, of_outbox_row
from dresbach.platform.outbound.outbox import Claimed, Result, cycle, depth, settle
from dresbach.platform.outbound.pacing import RecipientPacer, TokenBucket
from dresbach.platform.store.database import Database
from dresbach.platform.store.sealing import Sealer, SealError

if TYPE_CHECKING:
    from dresbach.platform.observe.metrics import Metrics

log = logging.getLogger(__name__)

INSTEAD = "instead"
"""The kind of an outbox row that holds what goes instead of a refused order."""


class OutboxSender:
    def __init__(
        self,
        db: Database,
        sender: MessageSender,
        *,
        rate: float = 80.0,
        recipient_rate: float = 1.0,
        recipient_burst: int = 8,
        max_attempts: int = 8,
        batch: int = 64,
        concurrency: int = 32,
        base_backoff: float = 0.5,
        max_backoff: float = 60.0,
        lease: timedelta = timedelta(seconds=25),
        doubt: timedelta = timedelta(0),
        settle_every: float = 0.05,
        resolve_media: Callable[[Message], Awaitable[Message]] | None = None,
        clock: Callable[[], datetime] = utcnow,
        rng: random.Random | None = None,
        metrics: Metrics | None = None,
        sealer: Sealer | None = None,
    ) -> None:
        self.db, self.sender = db, sender
        self.sealer = sealer
        """Opens a message the outbox keeps sealed (one that shows the customer a document)."""
        self.rate = rate
        self.bucket = TokenBucket(rate=rate, burst=max(1.0, rate))
        self.pacer = RecipientPacer(recipient_rate, recipient_burst)
        self.max_attempts, self.batch = max_attempts, batch
        self.base_backoff, self.max_backoff = base_backoff, max_backoff
        self.clock = clock
        self.lease = lease
        self.doubt = doubt
        """How long a send in doubt waits for a status webhook naming it before it goes again
        (`outbox._wait_for_status`); 0 sends it again as soon as it is due."""
        self.settle_every = settle_every
        self.resolve_media = resolve_media
        self.rng = rng or random.Random()
        self.metrics = metrics
        self._slots = asyncio.Semaphore(concurrency)
        self._wake = asyncio.Event()
        self._claimed_all = False  # the last claim was full: more may be due
        self._unsettled: list[Result] = []
        self._done: list[Result] = []
        """Results of the pass in progress not recorded yet."""
        self.sent = 0
        self.retried = 0
        self.dead = 0

    def share(self, workers: int) -> None:
        """Send at 1/`workers` of the number's rate: Meta's limit is per number, and every live
        worker (counted by heartbeat) sends for the same number."""
        rate = self.rate / max(1, workers)
        if rate != self.bucket.rate:
            log.info("send rate %.1f/s (%d workers share %.1f/s)", rate, workers, self.rate)
            self.bucket.rate, self.bucket.burst = rate, max(1.0, rate)
            self.bucket.tokens = min(self.bucket.tokens, self.bucket.burst)

    def wake(self) -> None:
        """New rows are waiting: look now instead of at the next poll."""
        self._wake.set()

    async def run(self, stop: asyncio.Event, *, poll: float = 0.1) -> None:
        try:
            await self._loop(stop, poll)
        finally:
            await self.flush()

    async def _loop(self, stop: asyncio.Event, poll: float) -> None:
        """Pass after pass while rows keep coming, else wait for a wake-up or `poll`. A pass's
        sends are recorded by the next pass's commit (`cycle`): the next claim's, or a pass of
        its own after `settle_every` if no claim comes (as a long pass records as it goes)."""
        while not stop.is_set():
            self._wake.clear()
            try:
                handled = await self.drain_once()
            except Exception:
                log.exception("outbox worker pass failed; retrying shortly")
                handled = 0
                await asyncio.sleep(1.0)
            if handled and (self._wake.is_set() or self._claimed_all):
                continue  # more was queued meanwhile, or the claim was full: more may be due
            waits = {asyncio.ensure_future(self._wake.wait()), asyncio.ensure_future(stop.wait())}
            wait = self.settle_every if self._unsettled else poll
            await asyncio.wait(waits, timeout=wait, return_when=asyncio.FIRST_COMPLETED)
            for each in waits:
                each.cancel()

    async def drain_once(self) -> int:
        """Settle the last pass and claim the next in one transaction, then send: each claimed
        conversation's queue in order, conversations concurrently. The number of rows sent."""
        unsettled, self._unsettled = self._unsettled, []
        runs = await self.db.run(
            cycle, self.db.engine, unsettled, self.clock(), self.batch, self.lease, self.doubt
        )
        self._claimed_all = len(runs) >= self.batch
        if not runs:
            return 0
        sending = asyncio.gather(*(self._deliver_run(run) for run in runs))
        try:
            await self._settle_while(sending)
        finally:
            self._unsettled, self._done = self._done, []
        return sum(len(run) for run in runs)

    async def _settle_while(self, sending: asyncio.Future[list[None]]) -> None:
        """While a pass sends, record what it has sent every `settle_every` seconds. The Graph
        API accepts a send before we record it, so a worker killed mid-pass has its unrecorded
        sends repeated by another once their lease ends: this keeps those to the last moment's,
        not the whole pass's. A short pass is recorded by the next cycle's commit alone."""
        while True:
            finished, _ = await asyncio.wait({sending}, timeout=self.settle_every)
            if finished:
                sending.result()
                return
            settled, self._done = self._done, []
            if not settled:
                continue
            try:
                await self.db.run(settle, self.db.engine, settled, self.clock())
            except Exception:
                log.warning("could not record sends mid-pass; retrying", exc_info=True)
                self._done = settled + self._done

    async def flush(self) -> None:
        """Record what the last pass did (on stop)."""
        if self._unsettled:
            unsettled, self._unsettled = self._unsettled, []
            await self.db.run(settle, self.db.engine, unsettled, self.clock())

    async def _deliver_run(self, run: list[Claimed]) -> None:
        """One conversation's due messages, strictly in order: a message that must wait holds
        back the ones behind it (released untouched, to be claimed again in order). Each result
        joins `_done` as soon as it is known."""
        for index, row in enumerate(run):
            result = await self._deliver(row)
            self._done.append(result)
            if not (result.sent or result.dead_reason is not None):
                now = self.clock()
                self._done += [
                    Result(id=r.id, retry_at=now, counted=False) for r in run[index + 1 :]
                ]
                break

    async def drain(self, *, within: float = 10.0) -> None:
        """Send until nothing waits, postponed rows included (tests, `dresbach chat`)."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if await self.drain_once() == 0:
                waiting, _age = await self.db.run(depth, self.db.engine, self.clock())
                if waiting == 0:
                    return
                await asyncio.sleep(0.05)
        raise TimeoutError("the outbox still has messages waiting")

    async def _deliver(self, row: Claimed) -> Result:
        wait = self.pacer.wait_for(row.recipient, time.monotonic()) if row.kind == "message" else 0
        if wait > 0:
            return Result(id=row.id, retry_at=self.clock() + timedelta(seconds=wait), counted=False)
        payload = orjson.loads(row.payload)
        if payload.get("t") == INSTEAD:  # what a refused order became: several messages
            return await self._deliver_instead(row, payload)
        kind = "read" if row.kind == "read" else str(payload.get("t", row.kind))
        at_rest = None
        if "sealed" in payload:  # once sent, only the masked message stays
            at_rest = orjson.dumps({k: v for k, v in payload.items() if k != "sealed"}).decode()
        with bound(of_outbox_row(row.kind, payload.get("message_id"), row.callback_data)):
            async with self._slots:
                await self._throttle()
                started = time.perf_counter()
                try:
                    wamid = await self._send(row, payload)
                except (OutsideWindowError, RefusedKindError) as error:
                    self._called(started)
                    instead = self._instead(row)
                    if instead is not None:
                        if not instead:
                            reason = f"{error.code}: refused, and nothing goes instead: {error}"
                            return self._dead(row, reason, kind, error.code, started)
                        self._outcome(row, kind, "fallback", error.code, started)
                        instead_row = self._instead_row(instead, [])
                        return Result(id=row.id, retry_at=self.clock(), new_payload=instead_row)
                    if isinstance(error, RefusedKindError):
                        return self._dead(row, f"{error.code}: {error}", kind, error.code, started)
                    if row.fallback:
                        self._outcome(row, kind, "fallback", error.code, started)
                        return Result(id=row.id, retry_at=self.clock(), new_payload=row.fallback)
                    return self._dead(row, f"{error.code}: {error}", kind, error.code, started)
                except PermanentError as error:
                    self._called(started)
                    return self._dead(row, f"{error.code}: {error}", kind, error.code, started)
                except TransientError as error:
                    self._called(started)
                    return self._retry(row, error, kind, started)
            self._called(started)
            self.sent += 1
            if self.metrics is not None:
                self.metrics.messages_out.labels(kind=kind).inc()
            self._outcome(row, kind, "sent", None, started)
            return Result(id=row.id, sent=True, wamid=wamid, new_payload=at_rest)

    @staticmethod
    def _instead(row: Claimed) -> list[Any] | None:
        """The messages a refused order names instead (a JSON list in `fallback`), or None
        when the row's fallback is a single template (or there is none)."""
        if not row.fallback:
            return None
        fallback = orjson.loads(row.fallback)
        return fallback if isinstance(fallback, list) else None

    @staticmethod
    def _instead_row(pending: list[Any], sent: list[Any]) -> str:
        """A refused order's row as it goes on: the messages still to send and those sent
        (masked), with their texts as its `body` for the history and the copy of the data."""
        texts = [str(m.get("caption") or m.get("body") or "") for m in sent + pending]
        body = "\n\n".join(text for text in texts if text)
        return orjson.dumps({"t": INSTEAD, "body": body, "pending": pending, "sent": sent}).decode()

    async def _deliver_instead(self, row: Claimed, payload: dict[str, Any]) -> Result:
        """Send what goes instead of a refused order, in order. Each one sent leaves the
        pending list, so a retry after a failure sends only the rest."""
        pending: list[Any] = list(payload.get("pending") or [])
        sent: list[Any] = list(payload.get("sent") or [])
        wamid: str | None = None
        while pending:
            kind = str(pending[0].get("t", row.kind))
            async with self._slots:
                await self._throttle()
                started = time.perf_counter()
                try:
                    wamid = await self._send_one(row, pending[0])
                except TransientError as error:
                    self._called(started)
                    retried = self._retry(row, error, kind, started)
                    return replace(retried, new_payload=self._instead_row(pending, sent))
                except PermanentError as error:
                    self._called(started)
                    dead = self._dead(row, f"{error.code}: {error}", kind, error.code, started)
                    return replace(dead, new_payload=self._instead_row(pending, sent))
            self._called(started)
            self.sent += 1
            if self.metrics is not None:
                self.metrics.messages_out.labels(kind=kind).inc()
            self._outcome(row, kind, "sent", None, started)
            done = pending.pop(0)
            sent.append({k: v for k, v in done.items() if k != "sealed"})
        return Result(id=row.id, sent=True, wamid=wamid, new_payload=self._instead_row([], sent))

    async def _send_one(self, row: Claimed, payload: dict[str, Any]) -> str | None:
        """One message of a list; a text refused for the closed window goes as its template."""
        message = codec.decode(self._opened(payload))
        if self.resolve_media is not None:
            message = await self.resolve_media(message)
        try:
            return await self.sender.send(row.recipient, message, callback_data=row.callback_data)
        except OutsideWindowError:
            if not (isinstance(message, Text) and isinstance(message.fallback, Template)):
                raise
            return await self.sender.send(
                row.recipient, message.fallback, callback_data=row.callback_data
            )

    def _called(self, started: float) -> None:
        if self.metrics is not None:
            self.metrics.graph_seconds.observe(time.perf_counter() - started)

    def _outcome(
        self,
        row: Claimed,
        kind: str,
        result: str,
        code: int | None,
        started: float,
        level: int = logging.INFO,
        **more: object,
    ) -> None:
        """The Graph API call's line in the log (with the correlation id bound), and its count."""
        if self.metrics is not None:
            self.metrics.send_result(result, code)
        if log.isEnabledFor(level):
            fields: dict[str, Any] = {
                "kind": kind,
                "result": result,
                "attempt": row.attempts + 1,
                "outbox_id": row.id,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            }
            if code is not None:
                fields["code"] = code
            fields.update(more)
            log.log(level, "graph api send", extra=fields)

    async def _send(self, row: Claimed, payload: dict[str, Any]) -> str | None:
        if row.kind == "read":
            await self.sender.mark_read(payload["message_id"], typing=bool(payload.get("typing")))
            return None
        message = codec.decode(self._opened(payload))
        if self.resolve_media is not None:
            message = await self.resolve_media(message)
        return await self.sender.send(row.recipient, message, callback_data=row.callback_data)

    def _opened(self, payload: dict[str, Any]) -> dict[str, Any]:
        """The message to send: a sealed one opened (the outbox keeps it masked)."""
        sealed = payload.get("sealed")
        if sealed is None:
            return payload
        if self.sealer is None:
            log.warning("a sealed message and no sealer: sent masked")
            return payload
        try:
            opened: dict[str, Any] = orjson.loads(self.sealer.open(str(sealed)))
        except SealError as error:
            raise PermanentError("a sealed message could not be opened (another key?)") from error
        return opened

    async def _throttle(self) -> None:
        wait = self.bucket.wait_for(time.monotonic())
        while wait > 0:
            await asyncio.sleep(wait)
            wait = self.bucket.wait_for(time.monotonic())

    def _dead(
        self, row: Claimed, reason: str, kind: str, code: int | None, started: float
    ) -> Result:
        self.dead += 1
        if self.metrics is not None:
            self.metrics.dead_letters.inc()
        self._outcome(row, kind, "dead", code, started, logging.ERROR, reason=reason)
        return Result(id=row.id, dead_reason=reason)

    def _retry(self, row: Claimed, error: TransientError, kind: str, started: float) -> Result:
        attempts = row.attempts + 1
        if attempts >= self.max_attempts:
            reason = f"gave up after {attempts} attempts: {error.code}: {error}"
            return self._dead(row, reason, kind, error.code, started)
        self.retried += 1
        if self.metrics is not None:
            self.metrics.retries.inc()
        delay = min(self.max_backoff, self.base_backoff * 2 ** (attempts - 1))
        delay *= self.rng.uniform(0.5, 1.5)
        if error.retry_after is not None:
            delay = max(delay, error.retry_after)
        if error.in_doubt and row.kind == "message":  # Meta may have it: its status will say
            delay = max(delay, self.doubt.total_seconds())
        self._outcome(
            row, kind, "retry", error.code, started, logging.WARNING, retry_in_s=round(delay, 2)
        )
        return Result(id=row.id, retry_at=self.clock() + timedelta(seconds=delay))
