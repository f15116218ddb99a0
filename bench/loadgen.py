"""Load generator: signed Cloud API webhooks in, replies counted at the fake Graph API.

* ``build_traffic`` pre-builds and pre-signs every webhook body: N users, M messages each,
  real-shaped ``messages`` webhooks (unicode escaped like Meta's, so a server must verify the
  raw bytes).
* ``run_load`` sends them with httpx (HTTP/1.1 keep-alive, a bounded pool per target), either
  open-loop at an offered rate or closed-loop as fast as the server acknowledges ("max"). Either
  way a user's next message leaves only after its previous one got its 200, as WhatsApp users do.
  With several targets (processes) a user's messages alternate between them.
* While and after sending, it reads what arrived at the fake Graph API (same process, same
  monotonic clock): one read receipt per inbound id, replies tagged
  ``biz_opaque_callback_data = "<inbound id>#<n>"``. It reports webhook-ack latency,
  message-to-reply latency (arrival of ``#0`` minus the moment the webhook was sent), lost and
  duplicated receipts/replies, gaps in ``#0..#k``, and per-user order.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import itertools
import json
import math
import resource
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol, cast

import httpx
from tests.fakes.graph_api import GraphApiState, RecordedRequest

Mode = Literal["max", "max-reply", "rate"]

DEFAULT_TEXTS = (
    "Oi, bom dia! Preciso de ajuda com a minha hospedagem.",
    "Olá",
    "menu",
    "Quero ver minhas faturas, por favor",
    "Meu site está fora do ar 😟",
)


@dataclass(frozen=True, slots=True)
class Inbound:
    """One pre-signed webhook carrying one text message."""

    user: int
    seq: int
    message_id: str
    wa_id: str
    body: bytes
    signature: str


@dataclass(slots=True)
class Traffic:
    users: int
    per_user: int
    by_user: list[list[Inbound]]
    by_id: dict[str, Inbound]

    @property
    def total(self) -> int:
        return self.users * self.per_user


def sign(app_secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def webhook_body(
    *,
    phone_number_id: str,
    display_phone_number: str,
    waba_id: str,
    wa_id: str,
    bsuid: str,
    name: str,
    message_id: str,
    timestamp: int,
    text: str,
) -> bytes:
    """A ``messages`` webhook the way Meta sends it (shared reference §4.4)."""
    payload = {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": waba_id,
                "changes": [
                    {
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": display_phone_number,
                                "phone_number_id": phone_number_id,
                            },
                            "contacts": [
                                {"profile": {"name": name}, "wa_id": wa_id, "user_id": bsuid}
                            ],
                            "messages": [
                                {
                                    "from": wa_id,
                                    "id": message_id,
                                    "timestamp": str(timestamp),
                                    "type": "text",
                                    "text": {"body": text},
                                }
                            ],
                        },
                        "field": "messages",
                    }
                ],
            }
        ],
    }
    # Meta escapes non-ASCII as \uXXXX: re-serialising would not reproduce these bytes.
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=True).encode()


def build_traffic(
    *,
    users: int,
    per_user: int,
    app_secret: str,
    phone_number_id: str,
    run_tag: str,
    texts: Sequence[str] = DEFAULT_TEXTS,
    first_user: int = 0,
) -> Traffic:
    """Pre-build and pre-sign ``users × per_user`` webhooks; ids are unique per ``run_tag``."""
    now = int(time.time())
    by_user: list[list[Inbound]] = []
    by_id: dict[str, Inbound] = {}
    for u in range(users):
        number = first_user + u
        wa_id = f"55119{number:08d}"
        bsuid = f"BR.{1502000000000 + number}"
        messages: list[Inbound] = []
        for k in range(per_user):
            raw = f"{wa_id}:{run_tag}:{k:05d}".encode()
            message_id = "wamid." + base64.b64encode(b"\x15\x02" + raw).decode()
            body = webhook_body(
                phone_number_id=phone_number_id,
                display_phone_number="5511400000000",
                waba_id="102290129340398",
                wa_id=wa_id,
                bsuid=bsuid,
                name=f"Cliente Teste {number} Conceição",
                message_id=message_id,
                timestamp=now + k,
                text=texts[(number + k) % len(texts)],
            )
            inbound = Inbound(u, k, message_id, wa_id, body, sign(app_secret, body))
            messages.append(inbound)
            by_id[message_id] = inbound
        by_user.append(messages)
    return Traffic(users=users, per_user=per_user, by_user=by_user, by_id=by_id)


# ---- results ---------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); NaN when empty."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass(slots=True)
class RunResult:
    mode: Mode
    offered_rate: float | None
    sent: int = 0
    ok: int = 0
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    first_send: float = math.nan
    last_ack: float = math.nan
    last_reply: float = math.nan
    ack_latencies: list[float] = field(default_factory=list)
    reply_latencies: list[float] = field(default_factory=list)
    send_lateness: list[float] = field(default_factory=list)
    expect_replies: bool = True
    expect_receipts: bool = True
    missing_replies: int = 0
    missing_receipts: int = 0
    duplicate_replies: int = 0
    duplicate_receipts: int = 0
    reply_gaps: int = 0
    order_violations: int = 0
    strict_order_violations: int = 0
    replies_total: int = 0
    graph_failures: int = 0
    reply_timeouts: int = 0
    drained: bool = True
    client_cpu: float = 0.0
    server_cpu: float = math.nan

    @property
    def lost(self) -> int:
        return self.missing_replies + self.missing_receipts

    @property
    def duplicated(self) -> int:
        return self.duplicate_replies + self.duplicate_receipts

    @property
    def ack_throughput(self) -> float:
        span = self.last_ack - self.first_send
        return self.ok / span if span > 0 else math.nan

    @property
    def completed_throughput(self) -> float:
        """Messages per second through to their first reply (to the ack for a bare server)."""
        if not self.expect_replies:
            return self.ack_throughput
        span = self.last_reply - self.first_send
        done = self.ok - self.missing_replies
        return done / span if span > 0 else math.nan

    def ack_ms(self, q: float) -> float:
        return percentile(self.ack_latencies, q) * 1000

    def reply_ms(self, q: float) -> float:
        return percentile(self.reply_latencies, q) * 1000

    def lateness_ms(self, q: float) -> float:
        return percentile(self.send_lateness, q) * 1000


# ---- HTTP clients ----------------------------------------------------------------------------


class WebhookClient(Protocol):
    """POSTs a signed webhook to target ``index``; answers (status, first 200 chars of body)."""

    async def post(self, index: int, body: bytes, signature: str) -> tuple[int, str]: ...

    async def aclose(self) -> None: ...


class HttpxClient:
    """httpx.AsyncClient per target, HTTP/1.1 keep-alive, ``connections`` sockets each.

    Measured here (httpx 0.28, httpcore 1.0.9, anyio 4.16): about 2 ms of client CPU per
    request with a 32-socket pool, i.e. under 500 requests/s on one core. Its pool scans every
    connection for every request, and httpcore retries a failing ``import sniffio`` several times
    per request when sniffio is not installed. Good enough for fixed low rates, not for "max".
    """

    def __init__(self, targets: Sequence[str], connections: int, path: str = "/webhook") -> None:
        limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
        self._path = path
        self._clients = [
            httpx.AsyncClient(base_url=target, limits=limits, timeout=httpx.Timeout(30.0))
            for target in targets
        ]

    async def post(self, index: int, body: bytes, signature: str) -> tuple[int, str]:
        headers = {"content-type": "application/json", "x-hub-signature-256": signature}
        response = await self._clients[index].post(self._path, content=body, headers=headers)
        return response.status_code, response.text[:200]

    async def aclose(self) -> None:
        await asyncio.gather(*(client.aclose() for client in self._clients))


class _Http11(asyncio.Protocol):
    """One keep-alive HTTP/1.1 connection carrying one request at a time."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.waiter: asyncio.Future[tuple[int, bytes, bool]] | None = None
        self.closed = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(ConnectionError(f"connection lost: {exc}"))

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if self.waiter is None or self.waiter.done():
            return
        try:
            parsed = _parse_response(self.buffer)
        except ValueError as error:
            self.waiter.set_exception(error)
            return
        if parsed is not None:
            status, body, keep_alive, used = parsed
            del self.buffer[:used]
            self.waiter.set_result((status, body, keep_alive))

    async def request(self, data: bytes) -> tuple[int, bytes, bool]:
        assert self.transport is not None
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(data)
        return await self.waiter


def _parse_response(buffer: bytearray) -> tuple[int, bytes, bool, int] | None:
    """(status, body, keep-alive, bytes used) of one complete response, or None if partial."""
    end = buffer.find(b"\r\n\r\n")
    if end < 0:
        return None
    head = bytes(buffer[:end]).decode("latin-1").split("\r\n")
    parts = head[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/1."):
        raise ValueError(f"not an HTTP/1.x response: {head[0]!r}")
    status = int(parts[1])
    headers = {}
    for line in head[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip().lower()
    keep_alive = headers.get("connection") != "close" and parts[0] == "HTTP/1.1"
    start = end + 4
    if "chunked" in headers.get("transfer-encoding", ""):
        body = bytearray()
        pos = start
        while True:
            line_end = buffer.find(b"\r\n", pos)
            if line_end < 0:
                return None
            size = int(bytes(buffer[pos:line_end]).split(b";")[0], 16)
            chunk_start = line_end + 2
            if len(buffer) < chunk_start + size + 2:
                return None
            if size == 0:
                trailer_end = buffer.find(b"\r\n\r\n", line_end)
                if trailer_end < 0:
                    return None
                return status, bytes(body), keep_alive, trailer_end + 4
            body += buffer[chunk_start : chunk_start + size]
            pos = chunk_start + size + 2
    length = int(headers.get("content-length", "0"))
    if len(buffer) < start + length:
        return None
    return status, bytes(buffer[start : start + length]), keep_alive, start + length


class RawClient:
    """A lean HTTP/1.1 keep-alive client for pre-signed POSTs (the benchmark's ``wrk``).

    Per target a pool of at most ``connections`` sockets; requests wait for a free one. Costs
    a few tens of microseconds of CPU per request, so one core can load a bare server."""

    def __init__(self, targets: Sequence[str], connections: int, path: str = "/webhook") -> None:
        self._pools = [_Pool(httpx.URL(target), connections, path) for target in targets]

    async def post(self, index: int, body: bytes, signature: str) -> tuple[int, str]:
        return await self._pools[index].post(body, signature)

    async def aclose(self) -> None:
        for pool in self._pools:
            pool.close()


class _Pool:
    def __init__(self, url: httpx.URL, size: int, path: str) -> None:
        self._host = url.host
        self._port = url.port or 80
        self._size = size
        self._open = 0
        self._idle: list[_Http11] = []
        self._waiters: deque[asyncio.Future[_Http11 | None]] = deque()
        self._head = (
            f"POST {path} HTTP/1.1\r\nHost: {self._host}:{self._port}\r\n"
            "User-Agent: facebookexternalua\r\nAccept: */*\r\n"
            "Content-Type: application/json\r\nX-Hub-Signature-256: "
        ).encode()

    async def _acquire(self) -> _Http11:
        """An idle connection, a new one, or (FIFO, so nobody starves) the next one released."""
        if not self._waiters:
            while self._idle:
                connection = self._idle.pop()
                if not connection.closed:
                    return connection
                self._open -= 1
            if self._open < self._size:
                return await self._connect()
        waiter: asyncio.Future[_Http11 | None] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            handed = await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                given = waiter.result()
                if given is not None:
                    self._release(given, reusable=True)
                else:
                    self._open -= 1
                    self._wake_for_slot()
            with contextlib.suppress(ValueError):
                self._waiters.remove(waiter)
            raise
        # None: a connection was dropped and its slot (already counted) is ours to fill.
        if handed is None or handed.closed:
            self._open -= 1
            return await self._connect()
        return handed

    async def _connect(self) -> _Http11:
        self._open += 1
        try:
            _, protocol = await asyncio.get_running_loop().create_connection(
                _Http11, self._host, self._port
            )
        except BaseException:
            self._open -= 1
            self._wake_for_slot()
            raise
        return protocol

    def _next_waiter(self) -> asyncio.Future[_Http11 | None] | None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                return waiter
        return None

    def _wake_for_slot(self) -> None:
        if self._open < self._size:
            waiter = self._next_waiter()
            if waiter is not None:
                self._open += 1  # reserved for the waiter, which connects
                waiter.set_result(None)

    def _release(self, connection: _Http11, reusable: bool) -> None:
        if reusable and not connection.closed:
            waiter = self._next_waiter()
            if waiter is not None:
                waiter.set_result(connection)
            else:
                self._idle.append(connection)
            return
        self._open -= 1
        if connection.transport is not None:
            connection.transport.close()
        self._wake_for_slot()

    async def post(self, body: bytes, signature: str) -> tuple[int, str]:
        data = b"".join(
            (
                self._head,
                signature.encode(),
                b"\r\nContent-Length: ",
                str(len(body)).encode(),
                b"\r\n\r\n",
                body,
            )
        )
        connection = await self._acquire()
        reusable = False
        try:
            async with asyncio.timeout(30.0):
                status, answer, reusable = await connection.request(data)
        finally:
            self._release(connection, reusable)
        return status, answer[:200].decode("utf-8", "replace")

    def close(self) -> None:
        for connection in self._idle:
            if connection.transport is not None:
                connection.transport.close()
        self._idle.clear()


def make_client(kind: str, targets: Sequence[str], connections: int) -> WebhookClient:
    if kind == "httpx":
        return HttpxClient(targets, connections)
    if kind == "raw":
        return RawClient(targets, connections)
    raise ValueError(f"unknown client {kind!r} (raw, httpx)")


# ---- sending ---------------------------------------------------------------------------------


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def _send_all(
    traffic: Traffic,
    client: WebhookClient,
    targets: int,
    result: RunResult,
    sent_at: dict[str, float],
    *,
    rate: float | None,
    deadline: float | None,
    reply_waiters: dict[str, asyncio.Future[None]] | None,
    reply_timeout: float,
) -> None:
    loop = asyncio.get_running_loop()
    # Rate mode: leave 50 ms to schedule every user's first message before it is due.
    start = time.monotonic() + (0.05 if rate is not None else 0.0)
    result.first_send = start
    users = traffic.users

    async def user_task(messages: list[Inbound]) -> None:
        for inbound in messages:
            due = start
            if rate is not None:
                due = start + (inbound.seq * users + inbound.user) / rate
                delay = due - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
            t0 = time.monotonic()
            if deadline is not None and t0 >= deadline:
                return
            if rate is not None:
                result.send_lateness.append(max(0.0, t0 - due))
            reply: asyncio.Future[None] | None = None
            if reply_waiters is not None:
                reply = reply_waiters[inbound.message_id] = loop.create_future()
            sent_at[inbound.message_id] = t0
            result.sent += 1
            target = (inbound.user + inbound.seq) % targets
            try:
                status, detail = await client.post(target, inbound.body, inbound.signature)
            except (httpx.HTTPError, OSError, TimeoutError, ValueError) as error:
                status, detail = -1, f"{type(error).__name__}: {error}"
            t1 = time.monotonic()
            if status != 200:
                result.errors += 1
                if len(result.error_samples) < 5:
                    result.error_samples.append(f"HTTP {status}: {detail[:160]}")
                # WhatsApp would retry; a failed message is not part of the checks, and the
                # rest of this user's messages would be out of order anyway.
                sent_at.pop(inbound.message_id, None)
                return
            result.ok += 1
            result.ack_latencies.append(t1 - t0)
            result.last_ack = t1 if math.isnan(result.last_ack) else max(result.last_ack, t1)
            if reply is not None:
                try:
                    async with asyncio.timeout(reply_timeout):
                        await reply
                except TimeoutError:
                    result.reply_timeouts += 1
                    return

    await asyncio.gather(*(user_task(messages) for messages in traffic.by_user))


@dataclass(slots=True)
class _Tally:
    """What arrived at the fake Graph API for this run's inbound ids."""

    traffic: Traffic
    next_index: int = 0
    receipts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    replies: dict[str, dict[int, int]] = field(default_factory=lambda: defaultdict(dict))
    first_reply_at: dict[str, float] = field(default_factory=dict)
    first_reply_index: dict[str, int] = field(default_factory=dict)
    # per user: (arrival index, seq, n) of every reply
    per_user: dict[int, list[tuple[int, int, int]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    last_arrival: float = math.nan
    relevant: int = 0

    def absorb(self, graph: GraphApiState) -> int:
        new = graph.requests_since(self.next_index)
        self.next_index += len(new)
        before = self.relevant
        by_id = self.traffic.by_id
        for record in new:
            body = record.body
            if record.wamid is None:
                message_id = body.get("message_id")
                if message_id in by_id:
                    self.receipts[message_id] += 1
                    self.relevant += 1
                    self.last_arrival = record.at
                continue
            tag = body.get("biz_opaque_callback_data")
            if not isinstance(tag, str):
                continue
            message_id, _, n_text = tag.rpartition("#")
            inbound = by_id.get(message_id)
            if inbound is None or not n_text.isdigit():
                continue
            n = int(n_text)
            counts = self.replies[message_id]
            counts[n] = counts.get(n, 0) + 1
            if n == 0 and message_id not in self.first_reply_at:
                self.first_reply_at[message_id] = record.at
                self.first_reply_index[message_id] = record.index
            self.per_user[inbound.user].append((record.index, inbound.seq, n))
            self.relevant += 1
            self.last_arrival = record.at
        return self.relevant - before

    def complete(self, ids: Sequence[str], *, receipts: bool) -> bool:
        return all(
            message_id in self.first_reply_at and (not receipts or message_id in self.receipts)
            for message_id in ids
        )


async def run_load(
    traffic: Traffic,
    targets: Sequence[str],
    graph: GraphApiState | None,
    *,
    mode: Mode,
    rate: float | None = None,
    duration: float | None = None,
    connections: int = 32,
    expect_replies: bool = True,
    expect_receipts: bool = True,
    drain_timeout: float = 60.0,
    settle: float = 0.5,
    reply_timeout: float = 30.0,
    server_cpu: Callable[[], float] | None = None,
    client_kind: str = "raw",
) -> RunResult:
    """Send ``traffic`` to ``targets`` and check what reached ``graph``.

    Modes:

    * ``rate``: open loop; message i (``seq * users + user``) is due ``i / rate`` s after the
      start (later if the user's previous message is still waiting for its 200).
    * ``max``: closed loop on the webhook ack; each user sends its next message as soon as the
      previous one got its 200, through ``connections`` sockets per target.
    * ``max-reply``: closed loop on the reply, like a person waiting for the bot's answer: the
      next message leaves once the previous one's reply ``#0`` reached the fake Graph API.
      Measures end-to-end capacity with natural back-pressure (needs ``graph``).

    ``duration`` stops sending new messages after that many seconds (``max`` modes); the
    traffic may also simply run out. ``client_kind`` is ``raw`` (:class:`RawClient`) or
    ``httpx``. ``client_cpu`` in the result is this process's CPU share while sending (it also
    serves the fake Graph API). ``server_cpu``, if given, returns the CPU seconds used so far
    by the server processes.
    """
    if mode == "rate" and not rate:
        raise ValueError("rate mode needs a rate")
    if mode == "max-reply" and (graph is None or not expect_replies):
        raise ValueError("max-reply mode needs the fake Graph API and replies")
    result = RunResult(
        mode=mode,
        offered_rate=rate if mode == "rate" else None,
        expect_replies=expect_replies and graph is not None,
        expect_receipts=expect_receipts and expect_replies and graph is not None,
    )
    sent_at: dict[str, float] = {}
    tally = _Tally(traffic)
    failures_before = 0
    waiters: dict[str, asyncio.Future[None]] | None = None
    listener: Callable[[RecordedRequest], None] | None = None
    if graph is not None:
        tally.next_index = len(graph.requests)
        failures_before = len(graph.failures)
        if mode == "max-reply":
            waiters = {}
            listener = _reply_listener(waiters, asyncio.get_running_loop())
            graph.add_listener(listener)
    server_before = server_cpu() if server_cpu else math.nan
    client_before = _cpu_seconds()
    client = make_client(client_kind, targets, connections)
    deadline = time.monotonic() + duration if duration and mode != "rate" else None
    try:
        sender = asyncio.create_task(
            _send_all(
                traffic,
                client,
                len(targets),
                result,
                sent_at,
                rate=rate if mode == "rate" else None,
                deadline=deadline,
                reply_waiters=waiters,
                reply_timeout=reply_timeout,
            )
        )
        while not sender.done():
            await asyncio.wait({sender}, timeout=0.05)
            if graph is not None:
                tally.absorb(graph)
        await sender
    finally:
        await client.aclose()
        if graph is not None and listener is not None:
            graph.remove_listener(listener)
    send_end = time.monotonic()
    result.client_cpu = (_cpu_seconds() - client_before) / max(send_end - result.first_send, 1e-9)

    if result.expect_replies and graph is not None:
        await _drain(graph, tally, list(sent_at), result, drain_timeout, settle)
        _check(tally, sent_at, result)
        result.graph_failures = len(graph.failures) - failures_before
    if server_cpu:
        end = result.last_reply if result.expect_replies else result.last_ack
        result.server_cpu = (server_cpu() - server_before) / max(end - result.first_send, 1e-9)
    return result


def _reply_listener(
    waiters: dict[str, asyncio.Future[None]], loop: asyncio.AbstractEventLoop
) -> Callable[[RecordedRequest], None]:
    """Resolve the waiter of an inbound id when its reply ``#0`` is recorded."""
    owner = threading.get_ident()

    def resolve(message_id: str) -> None:
        waiter = waiters.pop(message_id, None)
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def listener(record: RecordedRequest) -> None:
        if record.wamid is None:
            return
        tag = record.body.get("biz_opaque_callback_data")
        if isinstance(tag, str) and tag.endswith("#0"):
            if threading.get_ident() == owner:
                resolve(tag[:-2])
            else:
                loop.call_soon_threadsafe(resolve, tag[:-2])

    return listener


async def _drain(
    graph: GraphApiState,
    tally: _Tally,
    ids: list[str],
    result: RunResult,
    patience: float,
    settle: float,
) -> None:
    """Wait for every receipt and first reply (or until nothing arrives for ``patience`` s),
    then for ``settle`` s of quiet, so late duplicates and further replies are seen."""
    last_progress = time.monotonic()
    while not tally.complete(ids, receipts=result.expect_receipts):
        await asyncio.sleep(0.02)
        if tally.absorb(graph):
            last_progress = time.monotonic()
        elif time.monotonic() - last_progress > patience:
            result.drained = False
            break
    quiet_since = time.monotonic()
    while time.monotonic() - quiet_since < settle:
        await asyncio.sleep(0.05)
        if tally.absorb(graph):
            quiet_since = time.monotonic()


def _check(tally: _Tally, sent_at: dict[str, float], result: RunResult) -> None:
    last_reply = -math.inf
    for message_id, t0 in sent_at.items():
        if result.expect_receipts:
            count = tally.receipts.get(message_id, 0)
            result.missing_receipts += count == 0
            result.duplicate_receipts += max(0, count - 1)
        counts = tally.replies.get(message_id, {})
        if 0 not in counts:
            result.missing_replies += 1
        else:
            at = tally.first_reply_at[message_id]
            result.reply_latencies.append(at - t0)
            last_reply = max(last_reply, at)
        result.duplicate_replies += sum(c - 1 for c in counts.values() if c > 1)
        if counts:
            result.reply_gaps += max(counts) + 1 - len(counts)
        result.replies_total += sum(counts.values())
    result.last_reply = last_reply if last_reply > -math.inf else math.nan

    # Order: per user, first replies arrive in send order; strictly, all replies of message k
    # arrive before any reply of message k+1, and #n in order within a message.
    for u, messages in enumerate(tally.traffic.by_user):
        firsts = [
            tally.first_reply_index[m.message_id]
            for m in messages
            if m.message_id in sent_at and m.message_id in tally.first_reply_index
        ]
        result.order_violations += sum(1 for a, b in itertools.pairwise(firsts) if b < a)
        arrivals = sorted(tally.per_user.get(u, ()))
        keys = [(seq, n) for _, seq, n in arrivals]
        result.strict_order_violations += sum(1 for a, b in itertools.pairwise(keys) if b < a)
