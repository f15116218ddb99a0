"""Scale-out on PostgreSQL: 2 web processes + 2 workers under load, one of each SIGKILLed.

    make bench-scale-out               # about 45-60 s on the 2-core machine
    python -m bench.scale_out --help   # every knob

One fresh PostgreSQL database, ``dresbach serve --no-workers`` on two ports and two
``dresbach worker`` processes, all sending to one fake Graph API served from this process. Two
runs on the same deployment, each with its own users:

0. a discarded warm-up (3 messages per user);
1. **baseline**: closed loop on the webhook 200 (a user writes again once acknowledged), each
   user's messages alternating between the two web processes; nothing is killed.
2. **SIGKILL**: the same load; after ``--kill-server-at`` of the messages are acknowledged, web
   process 1 gets SIGKILL; after ``--kill-worker-at``, once some worker holds leased rows,
   worker 1 gets SIGKILL. Neither is restarted. Like Meta, the load generator redelivers a
   webhook that got no 200 (connection refused, reset, 503) to the other web process until one
   acknowledges it.

After each run the inbox and the outbox are drained (nothing waits to be stepped, no pending
row), then the books are checked
(tests/support/scale_out.py, the same as tests/platform/test_scale_out.py): every acknowledged
message stepped exactly once and in the user's order, every queued reply and read receipt at the
Graph API (lost), repeats (and whether each is explained by the kill: first copy before it,
repeat after the dead worker's lease), per-user order of arrival. The figures are printed and
written to bench/RESULTS.md, in this mode's own section (bench/run.py keeps it).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VENV = REPO / ".venv"


def _ensure_venv() -> None:
    """Re-run under the project's virtualenv, as a module, when started otherwise."""
    python = VENV / "bin" / "python"
    if Path(sys.prefix).resolve() == VENV.resolve() or not python.exists():
        return
    if os.environ.get("BENCH_REEXECUTED"):
        return
    os.environ["BENCH_REEXECUTED"] = "1"
    os.chdir(REPO)
    os.execv(python, [str(python), "-m", "bench.scale_out", *sys.argv[1:]])  # noqa: S606


if __name__ == "__main__":
    _ensure_venv()
if str(REPO) not in sys.path:  # `python bench/scale_out.py`: bench/ alone is on the path
    sys.path.insert(0, str(REPO))

import argparse  # noqa: E402
import asyncio  # noqa: E402
import datetime as dt  # noqa: E402
import logging  # noqa: E402
import math  # noqa: E402
import platform  # noqa: E402
import secrets  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402

import httpx  # noqa: E402
from starlette.requests import ClientDisconnect  # noqa: E402
from tests.fakes.graph_api import FailureKind, FakeGraphServer, GraphApiState  # noqa: E402
from tests.fakes.graph_statuses import StatusWebhooks  # noqa: E402
from tests.support.scale_out import Books, audit, has_beaten, pending  # noqa: E402

from bench import loadgen  # noqa: E402
from bench import run as harness  # noqa: E402

BEGIN = "<!-- bench/scale_out.py: begin (make bench-scale-out rewrites this section) -->"
END = "<!-- bench/scale_out.py: end -->"
GRAPH_TIMEOUT = 2.0
LEASE = GRAPH_TIMEOUT * 2 + 5  # bootstrap: a claimed row's lease is 2 × the Graph timeout + 5 s
CLAIM_TO_SEND = 4.0
DOUBT = 5.0
"""DRESBACH_SEND_DOUBT_SECONDS's default: a send in doubt waits this long for its status."""
"""Seconds allowed between a worker's claim and its send: a repeat sooner than LEASE minus
this after its first copy means two workers held the row at once."""


@dataclass(slots=True)
class Params:
    users: int
    per_user: int
    connections: int
    graph_latency: float
    kill_server_at: float
    kill_worker_at: float
    baseline: bool
    send_rate: int
    pg_admin_url: str
    dresbach: Path
    drain_timeout: float
    results: Path | None


def parse_args(argv: Sequence[str] | None = None) -> Params:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=100, help="users per run")
    parser.add_argument("--per-user", type=int, default=25, help="messages per user per run")
    parser.add_argument("--connections", type=int, default=16, help="sockets per web process")
    parser.add_argument(
        "--graph-latency",
        type=float,
        default=0.0,
        help="seconds the fake Graph API holds each answer (it records the request first)",
    )
    parser.add_argument("--kill-server-at", type=float, default=0.3, help="share acknowledged")
    parser.add_argument("--kill-worker-at", type=float, default=0.5, help="share acknowledged")
    parser.add_argument("--no-baseline", action="store_true", help="only the SIGKILL run")
    parser.add_argument("--send-rate", type=int, default=2000, help="DRESBACH_SEND_RATE")
    parser.add_argument(
        "--pg-admin-url",
        default=os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/test"),
    )
    parser.add_argument("--dresbach", type=Path, default=VENV / "bin" / "dresbach")
    parser.add_argument("--drain-timeout", type=float, default=60.0)
    parser.add_argument("--results", type=Path, default=REPO / "bench" / "RESULTS.md")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    if not 0 < args.kill_server_at < args.kill_worker_at < 1:
        parser.error("need 0 < --kill-server-at < --kill-worker-at < 1")
    return Params(
        users=args.users,
        per_user=args.per_user,
        connections=args.connections,
        graph_latency=args.graph_latency,
        kill_server_at=args.kill_server_at,
        kill_worker_at=args.kill_worker_at,
        baseline=not args.no_baseline,
        send_rate=args.send_rate,
        pg_admin_url=args.pg_admin_url,
        dresbach=args.dresbach,
        drain_timeout=args.drain_timeout,
        results=None if args.no_write else args.results,
    )


class _CutByTheKill(logging.Filter):
    """The fake Graph API's uvicorn logs a send cut short by the worker's SIGKILL as an error
    with a traceback; it is expected here, and the books count what it did."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], ClientDisconnect))


# ---- the deployment --------------------------------------------------------------------------


@dataclass(slots=True)
class Cluster:
    database_url: str
    web: list[harness.ManagedProcess]
    workers: list[harness.ManagedProcess]
    cpu_at_death: dict[str, float] = field(default_factory=dict)

    @property
    def processes(self) -> list[harness.ManagedProcess]:
        return [*self.web, *self.workers]

    @property
    def targets(self) -> list[str]:
        return [p.url for p in self.web]

    def cpu_seconds(self) -> float:
        return sum(
            self.cpu_at_death[p.name] if p.name in self.cpu_at_death else p.cpu_seconds()
            for p in self.processes
        )

    def kill(self, process: harness.ManagedProcess) -> None:
        self.cpu_at_death[process.name] = process.cpu_seconds()
        os.kill(process.process.pid, signal.SIGKILL)
        process.process.wait(10)


def _env(graph_base_url: str, database_url: str, params: Params, doubt: float) -> dict[str, str]:
    env = harness.base_env(graph_base_url)
    env.update(
        DRESBACH_DATABASE_URL=database_url,
        # How long a send in doubt waits for Meta's status webhook before it goes again; 0 is
        # the behaviour before: it goes again as soon as the dead worker's lease ends.
        DRESBACH_SEND_DOUBT_SECONDS=str(doubt),
        DRESBACH_SEND_RATE=str(params.send_rate),
        DRESBACH_LOG_LEVEL="warning",
        DRESBACH_GRAPH_TIMEOUT=str(GRAPH_TIMEOUT),
        # The load generator's users write faster than any person.
        DRESBACH_FLOOD_PER_MINUTE="0",
        # Each of their messages is a turn the bench counts an answer for: none held together.
        DRESBACH_BURST_SECONDS="0",
        # One key for every process, as a deployment on several machines must have.
        DRESBACH_SECRET_KEY=secrets.token_hex(32),
        # A production process refuses to start without it; nothing is e-mailed under load.
        SMTP_HOST="smtp.invalid",
    )
    return env


async def _wait_beat(worker: harness.ManagedProcess, database_url: str) -> None:
    name = f"{socket.gethostname()}:{worker.process.pid}"
    deadline = time.monotonic() + 60
    while not await asyncio.to_thread(has_beaten, database_url, name):
        if worker.process.poll() is not None:
            raise RuntimeError(f"{worker.name} exited:\n{worker.log_tail()}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{worker.name} did not beat:\n{worker.log_tail()}")
        await asyncio.sleep(0.1)


async def deploy(
    graph_base_url: str, params: Params, log_dir: Path, doubt: float = DOUBT
) -> Cluster:
    database_url, drop = harness.create_pg_database(params.pg_admin_url)
    env = _env(graph_base_url, database_url, params, doubt)
    migrate = await asyncio.to_thread(
        subprocess.run,
        [str(params.dresbach), "migrate"],
        env=env,
        cwd=REPO,
        capture_output=True,
        timeout=180,
    )
    if migrate.returncode != 0:
        harness.run_cleanup(drop)
        output = (migrate.stdout + migrate.stderr).decode(errors="replace")
        raise RuntimeError(f"dresbach migrate exited {migrate.returncode}:\n{output}")
    web = []
    for n in (1, 2):
        port = harness.free_port()
        argv = [str(params.dresbach), "serve", "--host", "127.0.0.1", "--port", str(port)]
        web.append(
            harness.ManagedProcess(
                f"web{n}", [*argv, "--no-workers"], env, port=port, cpus=None, log_dir=log_dir
            )
        )
    workers = [
        harness.ManagedProcess(
            f"worker{n}", [str(params.dresbach), "worker"], env, port=0, cpus=None, log_dir=log_dir
        )
        for n in (1, 2)
    ]
    cluster = Cluster(database_url, web, workers)
    await asyncio.gather(
        *(p.wait_healthy() for p in web), *(_wait_beat(w, database_url) for w in workers)
    )
    return cluster


# ---- one run ---------------------------------------------------------------------------------


@dataclass(slots=True)
class Outcome:
    name: str
    messages: int
    acknowledged: int = 0
    redelivered: int = 0
    first_send: float = math.nan
    last_ack: float = math.nan
    drained_at: float = math.nan
    last_first_reply: float = math.nan
    ack: list[float] = field(default_factory=list)
    delivery: list[float] = field(default_factory=list)
    reply: list[float] = field(default_factory=list)
    server_killed_after: int | None = None
    worker_killed_after: int | None = None
    worker_killed_at: float | None = None
    busy_cores: float = math.nan
    server_cores: float = math.nan
    other_cores: float = math.nan
    books: Books = field(default_factory=Books)
    doubt: float = DOUBT

    @property
    def ack_rate(self) -> float:
        return self.acknowledged / max(self.last_ack - self.first_send, 1e-9)

    @property
    def answer_rate(self) -> float:
        """Messages through to their first reply at the Graph API, per second."""
        return self.acknowledged / max(self.last_first_reply - self.first_send, 1e-9)


def _ms(values: list[float], q: float) -> float:
    return loadgen.percentile(values, q) * 1000


async def _deliver(
    client: loadgen.WebhookClient, inbound: loadgen.Inbound, target: int, out: Outcome
) -> tuple[float, float]:
    """Post until a 200, switching web process after each failure, like Meta's redelivery.
    Returns (first attempt, successful attempt) start times."""
    first = time.monotonic()
    while True:
        started = time.monotonic()
        try:
            status, _ = await client.post(target, inbound.body, inbound.signature)
        except (httpx.HTTPError, OSError, TimeoutError, ValueError):
            status = -1
        if status == 200:
            return first, started
        out.redelivered += 1
        target = 1 - target
        await asyncio.sleep(0.02)


async def run_once(
    name: str,
    cluster: Cluster,
    graph: GraphApiState,
    params: Params,
    *,
    first_user: int,
    kill: bool,
    per_user: int | None = None,
) -> Outcome:
    traffic = loadgen.build_traffic(
        users=params.users,
        per_user=per_user or params.per_user,
        app_secret=harness.APP_SECRET,
        phone_number_id=harness.PHONE_NUMBER_ID,
        run_tag=f"{name}{secrets.token_hex(3)}",
        first_user=first_user,
    )
    out = Outcome(name, traffic.total)
    acknowledged: list[str] = []
    sent_at: dict[str, float] = {}
    client = loadgen.make_client("raw", cluster.targets, params.connections)
    busy_before = harness._busy_cpu_seconds()
    own_before = harness._own_cpu_seconds()
    servers_before = cluster.cpu_seconds()
    server_mark, worker_mark = asyncio.Event(), asyncio.Event()

    async def user(messages: list[loadgen.Inbound]) -> None:
        for inbound in messages:
            first, started = await _deliver(client, inbound, (inbound.user + inbound.seq) % 2, out)
            done = time.monotonic()
            out.ack.append(done - started)
            out.delivery.append(done - first)
            sent_at[inbound.message_id] = first
            acknowledged.append(inbound.message_id)
            out.last_ack = done
            if len(acknowledged) >= params.kill_server_at * traffic.total:
                server_mark.set()
            if len(acknowledged) >= params.kill_worker_at * traffic.total:
                worker_mark.set()

    async def killer() -> None:
        await server_mark.wait()
        cluster.kill(cluster.web[0])
        out.server_killed_after = len(acknowledged)
        await worker_mark.wait()
        while len(acknowledged) < traffic.total:  # wait until some worker is mid-pass
            if await asyncio.to_thread(pending, cluster.database_url, leased=True):
                break
            await asyncio.sleep(0.005)
        cluster.kill(cluster.workers[0])
        out.worker_killed_at = time.monotonic()
        out.worker_killed_after = len(acknowledged)

    out.first_send = time.monotonic()
    try:
        await asyncio.gather(
            *(user(messages) for messages in traffic.by_user), *([killer()] if kill else [])
        )
    finally:
        await client.aclose()
    out.acknowledged = len(acknowledged)
    deadline = time.monotonic() + params.drain_timeout
    while await asyncio.to_thread(pending, cluster.database_url):
        if time.monotonic() > deadline:
            raise RuntimeError(f"{name}: the outbox did not drain in {params.drain_timeout} s")
        await asyncio.sleep(0.1)
    out.drained_at = time.monotonic()
    elapsed = out.drained_at - out.first_send
    own = harness._own_cpu_seconds() - own_before
    servers = cluster.cpu_seconds() - servers_before
    out.busy_cores = (harness._busy_cpu_seconds() - busy_before) / elapsed
    out.server_cores = servers / elapsed
    out.other_cores = max(0.0, out.busy_cores - (own + servers) / elapsed)

    requests = graph.requests
    for record in requests:
        tag = record.body.get("biz_opaque_callback_data") if record.wamid else None
        if isinstance(tag, str) and tag.endswith("#0"):
            t0 = sent_at.pop(tag[:-2], None)
            if t0 is not None:
                out.reply.append(record.at - t0)
                out.last_first_reply = record.at
    out.books = await asyncio.to_thread(
        audit,
        cluster.database_url,
        acknowledged,
        requests,
        kill_at=out.worker_killed_at,
        min_repeat_gap=LEASE - CLAIM_TO_SEND,
    )
    return out


# ---- report ----------------------------------------------------------------------------------


def describe(out: Outcome) -> str:
    b = out.books
    return (
        f"{out.name:9s} {out.acknowledged}/{out.messages} acknowledged | ack {out.ack_rate:.0f}/s"
        f" | answered {out.answer_rate:.0f}/s | ack p50/p95/p99 {_ms(out.ack, 50):.1f}/"
        f"{_ms(out.ack, 95):.1f}/{_ms(out.ack, 99):.1f} ms | delivery p99 "
        f"{_ms(out.delivery, 99):.1f} ms | reply p50/p99 {_ms(out.reply, 50):.0f}/"
        f"{_ms(out.reply, 99):.0f} ms | redelivered {out.redelivered} | "
        f"cores busy {out.busy_cores:.2f} dresbach {out.server_cores:.2f} "
        f"other (PostgreSQL included) {out.other_cores:.2f}\n           {b.summary()}"
    )


def render(outcomes: list[Outcome], params: Params, started: dt.datetime, wall: float) -> str:
    rows = []
    for out in outcomes:
        b = out.books
        if out.worker_killed_after is None:
            what = "baseline, nothing killed"
        else:
            what = (
                f"SIGKILL web 1 after {out.server_killed_after} acks, worker 1 after "
                f"{out.worker_killed_after}; a send in doubt waits {out.doubt:g} s for its status"
            )
        dup = (
            f"{b.duplicated_replies} replies + {b.duplicated - b.duplicated_replies} read "
            f"receipts ({b.duplicated_conversations} conv.)"
        )
        rows.append(
            f"| {what} | {out.acknowledged:,} | {out.ack_rate:,.0f} | {out.answer_rate:,.0f} | "
            f"{_ms(out.ack, 50):.1f} / {_ms(out.ack, 95):.1f} / {_ms(out.ack, 99):.1f} | "
            f"{_ms(out.delivery, 99):,.1f} | {_ms(out.reply, 50):,.0f} / {_ms(out.reply, 99):,.0f}"
            f" | {out.redelivered:,} | {len(b.lost)} | {dup} | {len(b.unexplained_duplicates)} | "
            f"{b.order_violations} / {b.inbound_order_violations} | "
            f"{len(b.not_stepped) + len(b.double_steps)} | {out.server_cores:.2f} / "
            f"{out.other_cores:.2f} |"
        )
    verdict = all(o.books.clean for o in outcomes)
    notes = []
    for out in outcomes:
        gaps = out.books.repeat_gaps
        if out.worker_killed_at is not None:
            notes.append(
                f"- {out.name}: the outbox drained {out.drained_at - out.worker_killed_at:.1f} s "
                f"after the worker was killed (its leased rows wait out the {LEASE:.0f} s lease)"
                + (
                    f"; each repeat came {min(gaps):.1f}-{max(gaps):.1f} s after its first copy."
                    if gaps
                    else "; nothing was repeated."
                )
            )
        if out.other_cores > 0.3:
            notes.append(
                f"- {out.name}: PostgreSQL and other people's processes used "
                f"{out.other_cores:.2f} cores: figures are noisy."
            )
    lines = [
        BEGIN,
        "## Scale-out: 2 web processes + 2 workers on PostgreSQL, one of each SIGKILLed",
        "",
        f"- date: {started:%Y-%m-%d %H:%M:%S %Z} · wall time {wall:.0f} s · machine: `nproc` = "
        f"{os.cpu_count()}, {platform.machine()} · Python {platform.python_version()} · "
        "`make bench-scale-out` (bench/scale_out.py)",
        f"- per run: {params.users} users × {params.per_user} messages, closed loop on the 200, "
        f"{params.connections} keep-alive sockets per web process, a user's messages alternating "
        "between the two; a delivery without a 200 is redelivered to the other process · "
        f"fake Graph API latency {params.graph_latency * 1000:.0f} ms · "
        f"DRESBACH_GRAPH_TIMEOUT={GRAPH_TIMEOUT:g} (lease {LEASE:.0f} s) · "
        f"DRESBACH_SEND_RATE={params.send_rate} · no CPU pinning: 4 dresbach processes, "
        "PostgreSQL and the runner share the 2 cores with other people's work",
        "",
        "| run | msgs | ack (msg/s) | answered (msg/s) | ack p50 / p95 / p99 (ms) "
        "| delivery p99 (ms) | reply p50 / p99 (ms) | redelivered | lost | dup | unexplained dup "
        "| order viol. (out / in) | not stepped or stepped twice | dresbach / other cores |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        *rows,
        "",
        "ack: acknowledged messages per second until the last 200. answered: messages per second "
        "until the last first reply reached the Graph API (the SIGKILL run includes the wait for "
        "the dead worker's lease). delivery: first attempt to the 200, redeliveries included. "
        "reply: first attempt to the arrival of reply `#0`. dup: extra copies at the Graph API, "
        "replies (what the customer sees twice) and read receipts apart; the fake Graph API "
        "posts Meta's `sent` status webhook for every message it accepts, which a send in doubt "
        "waits for (DRESBACH_SEND_DOUBT_SECONDS; 0 is the behaviour before send-once) "
        "(a repeat is explained when its first copy arrived before the worker was killed and the "
        "repeat once its lease had ended: the Graph API had accepted the send, the worker died "
        "before recording it). order: per user, arrivals against the outbox `seq` (out) and inbox "
        "rows against the order of acknowledgement (in). Cores: CPU time over the run (to the "
        "drain) of the 4 dresbach processes, and of everything else but this runner, PostgreSQL "
        "included. The single-deployment figures of "
        "bench/run.py are in the `pg` row above (1 `serve` + 1 `serve --no-workers`, pinned).",
        "",
        f"**Result: {'pass' if verdict else 'FAIL'}** (zero lost, every repeat explained by the "
        "kill, zero order violations, every acknowledged message stepped exactly once).",
        "",
        *notes,
        END,
    ]
    return "\n".join(lines) + "\n"


def write_section(path: Path, section: str) -> None:
    """Replace this mode's section in the results file, or append it; others are untouched."""
    text = path.read_text() if path.exists() else "# Benchmark results\n"
    if BEGIN in text and END in text[text.index(BEGIN) :]:
        start = text.index(BEGIN)
        end = text.index(END, start) + len(END)
        text = text[:start] + section.rstrip("\n") + text[end:]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text if text.endswith("\n") else text + "\n")


# ---- main ------------------------------------------------------------------------------------


async def run(params: Params, log_dir: Path) -> list[Outcome]:
    reason = await asyncio.to_thread(harness.ours_available, params.dresbach)
    if reason:
        raise RuntimeError(reason)
    state = GraphApiState(  # no schema check here: it would cost the runner ~0.5 ms per call
        access_token=harness.ACCESS_TOKEN,
        phone_number_id=harness.PHONE_NUMBER_ID,
        check_bodies=False,
    )
    if params.graph_latency > 0:  # every send accepted and recorded, answered this much later
        state.failure_kinds = (FailureKind.TIMEOUT,)
        state.timeout_delay = params.graph_latency
        state.failure_rate = 1.0
    outcomes = []
    logging.getLogger("uvicorn.error").addFilter(_CutByTheKill())
    # Each SIGKILL run gets its own cluster: the first sends again as soon as the dead worker's
    # lease ends (DRESBACH_SEND_DOUBT_SECONDS=0, as before send-once), the second waits for
    # Meta's status webhook, which the fake posts for every message it accepts.
    plan = [("baseline", False, DOUBT)] if params.baseline else []
    plan += [("sigkill-0s", True, 0.0), ("sigkill", True, DOUBT)]
    async with FakeGraphServer(state) as graph:
        print(f"fake Graph API: {graph.base_url} · server logs: {log_dir}", flush=True)
        for n, (name, kill, doubt) in enumerate(plan):
            cluster = await deploy(graph.base_url, params, log_dir, doubt)
            try:
                with StatusWebhooks(state, cluster.targets, harness.APP_SECRET):
                    # Warm-up, discarded: connection pools, PostgreSQL's caches, first imports.
                    warm = await run_once(
                        "warm-up",
                        cluster,
                        state,
                        params,
                        first_user=10**6 + n,
                        kill=False,
                        per_user=3,
                    )
                    print(f"(discarded) {describe(warm)}", flush=True)
                    out = await run_once(
                        name, cluster, state, params, first_user=n * params.users, kill=kill
                    )
                    out.doubt = doubt
                print(describe(out), flush=True)
                outcomes.append(out)
            finally:
                for process in cluster.processes:
                    process.stop()
    return outcomes


def main(argv: Sequence[str] | None = None) -> int:
    params = parse_args(argv)
    signal.signal(signal.SIGTERM, harness._raise_interrupt)
    log_dir = Path(tempfile.mkdtemp(prefix="dresbach-bench-scale-out-"))
    started = dt.datetime.now().astimezone()
    t0 = time.monotonic()
    try:
        try:
            import uvloop

            runner = asyncio.Runner(loop_factory=uvloop.new_event_loop)
        except ImportError:
            runner = asyncio.Runner()
        with runner:
            outcomes = runner.run(run(params, log_dir))
    except KeyboardInterrupt:
        print("interrupted: stopping servers", file=sys.stderr)
        return 130
    finally:
        harness.ManagedProcess.stop_all()
        while harness.PENDING_CLEANUPS:
            harness.run_cleanup(harness.PENDING_CLEANUPS[-1])
        harness._tidy_logs(log_dir)
    section = render(outcomes, params, started, time.monotonic() - t0)
    print()
    print(section)
    if params.results is not None:
        write_section(params.results, section)
        print(f"written to {params.results}")
    return 0 if all(o.books.clean for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
