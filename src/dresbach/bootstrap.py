"""The composition root: the only place that builds adapters from Settings."""

from __future__ import annotations

import gc
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

from dresbach import wiring
from dresbach.config import Settings
from dresbach.features.client_area.domains.changes import DomainChanges
from dresbach.features.client_area.flows import LOGIN, TICKET, flow_json
from dresbach.features.client_area.login_form import LoginForm
from dresbach.features.client_area.service import ClientAreaService
from dresbach.features.client_area.ticket_form import TicketForm
from dresbach.features.faq import matcher as faq_matcher
from dresbach.features.handoff.service import HandOffService
from dresbach.features.notices.service import NoticesService
from dresbach.features.payments.adapters import static
from dresbach.features.payments.service import PaymentService
from dresbach.features.privacy.service import PrivacyService
from dresbach.features.registry import HOUSE
from dresbach.features.scheduling.service import SchedulingService
from dresbach.features.sitecheck.assistant.service import SiteDownService
from dresbach.features.step_hooks import STEP_HOOKS
from dresbach.features.techops.mail import TechOpsMail
from dresbach.kernel import hours
from dresbach.kernel.ports import Mailer, MessageSender
from dresbach.platform.clock import utcnow
from dresbach.platform.feature import install
from dresbach.platform.inbound.media import MediaFetcher
from dresbach.platform.inbound.pipeline import Pipeline
from dresbach.platform.mail import SmtpMailer
from dresbach.platform.observe.metrics import Metrics
from dresbach.platform.outbound.media import MediaResolver
from dresbach.platform.outbound.sender import OutboxSender
from dresbach.platform.store.database import Database, migrate
from dresbach.platform.store.retention import RetentionPurge
from dresbach.platform.store.sealing import Sealer
from dresbach.platform.whatsapp import sandbox_store
from dresbach.platform.whatsapp.client import CloudApiClient
from dresbach.platform.whatsapp.flows.endpoint import in_process_client
from dresbach.platform.whatsapp.flows.form import SandboxFlows
from dresbach.platform.whatsapp.flows.router import FlowsByPurpose
from dresbach.platform.whatsapp.flows_crypto import load_private_key
from dresbach.platform.whatsapp.sandbox import SandboxTransport
from dresbach.platform.whatsapp.sandbox_store import SandboxMailer
from dresbach.platform.work.jobs import JobRunner
from dresbach.platform.work.workers import Workers

log = logging.getLogger(__name__)


def warm_up(now: datetime) -> None:
    """Pay at start what a process's first messages would otherwise pay (`serve` and `worker`
    call it before they take traffic): train the FAQ's matcher and load this year's and next
    year's holidays (the working hours read them), a few hundred milliseconds each; then freeze
    what is built, which the garbage collector would otherwise walk in every full collection."""
    faq_matcher.shipped()
    for year in (now.year, now.year + 1):
        hours.is_holiday(date(year, 1, 1))
    # What is built by now lives as long as the process: out of the collector's sight, a full
    # collection under load scans the objects of the messages, not the whole application again.
    gc.collect()
    gc.freeze()


SANDBOX_GRAPH = "http://sandbox.invalid/v26.0"
SANDBOX_MEDIA = "/simulator/media"


def _sealer(settings: Settings, db: Database) -> Sealer:
    if settings.secret_key:
        return Sealer.from_text(settings.secret_key.reveal())
    folder = Path(db.sqlite_path).parent if db.sqlite_path else Path("var")
    if not db.is_sqlite:
        log.warning(
            "DRESBACH_SECRET_KEY is not set: using %s/secret.key (set it in production)", folder
        )
    return Sealer.from_file(folder / "secret.key")


def _mailer(settings: Settings, db: Database) -> Mailer:
    if settings.smtp_host:
        return SmtpMailer(
            host=settings.smtp_host,
            port=settings.smtp_port,
            sender=settings.smtp_from,
            username=settings.smtp_user or None,
            password=settings.smtp_password.reveal() or None,
            starttls=settings.smtp_starttls.lower() in ("1", "true", "yes"),
        )
    if not settings.sandbox:
        log.warning(
            "SMTP_HOST is not set: e-mails (2FA codes, receipts, invitations) go to the local "
            "sandbox mailbox"
        )
    return SandboxMailer(db)


def _every(sweeps: list[Callable[[], Awaitable[None]]]) -> Callable[[], Awaitable[None]]:
    """The timer sweeps as one: each runs even when another fails."""

    async def sweep() -> None:
        for each in sweeps:
            try:
                await each()
            except Exception:
                log.exception("timer sweep %s failed", getattr(each, "__qualname__", each))

    return sweep


@dataclass(frozen=True, slots=True, kw_only=True)
class Services:
    """The features' services, built: what their registrations' jobs and sweeps read."""

    payments: PaymentService
    client_area: ClientAreaService
    login_form: LoginForm
    ticket_form: TicketForm
    handoff: HandOffService
    scheduling: SchedulingService
    privacy: PrivacyService
    techops_mail: TechOpsMail
    notices: NoticesService
    sitedown: SiteDownService
    domain_changes: DomainChanges


@dataclass(slots=True)
class Container:
    settings: Settings
    db: Database
    client: MessageSender
    sender: OutboxSender
    pipeline: Pipeline
    payments: PaymentService
    client_area: ClientAreaService
    sealer: Sealer
    jobs: JobRunner
    workers: Workers
    handoff: HandOffService
    metrics: Metrics
    scheduling: SchedulingService
    notices: NoticesService
    sitedown: SiteDownService
    flows_key: RSAPrivateKey | None = None
    """The Flows private key (WHATSAPP_FLOWS_PRIVATE_KEY): with it, `POST /whatsapp/flows`."""
    login_form: LoginForm | None = None
    flow_forms: FlowsByPurpose | None = None  # the Flows' exchanges, by the token's purpose

    async def aclose(self) -> None:
        await self.workers.stop()
        await self.handoff.aclose()
        await self.notices.aclose()
        await self.sitedown.aclose()
        await self.client.aclose()
        self.db.close()


def _whatsapp(settings: Settings, db: Database, sealer: Sealer) -> CloudApiClient:
    if settings.sandbox:

        async def record(recipient: str, body: dict[str, Any], wamid: str) -> None:
            now = utcnow()
            await db.run(sandbox_store.record, db.engine, recipient, body, wamid, now, sealer)

        return CloudApiClient(
            base_url=SANDBOX_GRAPH,
            phone_number_id="sandbox",
            access_token="sandbox",  # noqa: S106 - the sandbox sink checks no token
            transport=SandboxTransport(record),
        )
    return CloudApiClient(
        base_url=settings.whatsapp_api_base_url,
        phone_number_id=settings.whatsapp_phone_number_id,
        access_token=settings.whatsapp_access_token.reveal(),
        timeout=settings.graph_timeout_seconds,
        connections=settings.graph_connections,
    )


def _flows_key(settings: Settings) -> RSAPrivateKey | None:
    """The Flows private key, when one is configured (a key that does not open stops the
    process: `load_private_key` says why)."""
    if not settings.whatsapp_flows_private_key:
        return None
    password = settings.whatsapp_flows_private_key_password.reveal() or None
    return load_private_key(Path(settings.whatsapp_flows_private_key), password)


def sandbox_flows(container: Container) -> SandboxFlows:
    """The Flows a sandbox chat completes in-process (none without the Flows key)."""
    s, forms, key = container.settings, container.flow_forms, container.flows_key
    client = in_process_client(forms, key) if key and forms else None
    ids = ((s.whatsapp_flow_login_id, LOGIN), (s.whatsapp_flow_ticket_id, TICKET))
    return SandboxFlows(client, {i: orjson.loads(flow_json(name)) for i, name in ids if i})


def build(settings: Settings, *, auto_migrate: bool | None = None) -> Container:
    """Wire everything. Migrates SQLite by itself (the embedded default) unless told not to."""
    install(HOUSE)
    db = Database(settings.database_url, sqlite_synchronous=settings.sqlite_synchronous)
    if auto_migrate if auto_migrate is not None else db.is_sqlite:
        migrate(settings.database_url)
    sealer = _sealer(settings, db)
    client = _whatsapp(settings, db, sealer)
    metrics = Metrics(db.engine)
    resolver = MediaResolver(db, client, link_base=SANDBOX_MEDIA if settings.sandbox else None)
    sender = OutboxSender(
        db,
        client,
        rate=settings.send_rate,
        recipient_rate=settings.recipient_rate,
        recipient_burst=settings.recipient_burst,
        max_attempts=settings.send_max_attempts,
        base_backoff=settings.retry_base_seconds,
        lease=timedelta(seconds=settings.graph_timeout_seconds * 2 + 5),
        doubt=timedelta(seconds=settings.send_doubt_seconds),
        resolve_media=resolver,
        metrics=metrics,
        sealer=sealer,
    )
    flows_key = _flows_key(settings)
    policy = settings.policy
    if flows_key is not None and settings.whatsapp_flow_login_id:
        policy = replace(policy, login_flow_id=settings.whatsapp_flow_login_id)
    elif settings.whatsapp_flow_login_id:
        log.warning(
            "WHATSAPP_FLOW_LOGIN_ID is set without WHATSAPP_FLOWS_PRIVATE_KEY: the login stays "
            "in the chat"
        )
    if flows_key is not None and settings.whatsapp_flow_ticket_id:
        policy = replace(policy, ticket_flow_id=settings.whatsapp_flow_ticket_id)
    elif settings.whatsapp_flow_ticket_id:
        log.warning(
            "WHATSAPP_FLOW_TICKET_ID is set without WHATSAPP_FLOWS_PRIVATE_KEY: tickets are "
            "opened in the chat"
        )
    payments = PaymentService(
        db,
        wiring.gateway(settings, db),
        policy,
        qr_png=static.qr_png,
        on_enqueued=sender.wake,
        sealer=sealer,
        hooks=STEP_HOOKS,
        native=settings.native_payee,
    )
    privacy = PrivacyService(
        db, policy, settings.retention, sealer, STEP_HOOKS, on_enqueued=sender.wake
    )
    pipeline = Pipeline(
        db=db,
        policy=policy,
        sealer=sealer,
        hooks=STEP_HOOKS,
        observe_step=metrics.step_seconds.observe,
    )
    directory, local = wiring.directory(settings, db, sealer)
    mailer = _mailer(settings, db)
    panel = wiring.panel(settings, local, db, sealer)
    client_area = ClientAreaService(db, pipeline, directory, panel, mailer, sealer)
    registrar = wiring.registrar(settings)
    domain_changes = DomainChanges(
        db, directory, registrar, panel, mailer, clock=utcnow, tell=client_area.tell
    )
    names, probe, inspector = wiring.site_probes(settings)
    sitedown = SiteDownService(
        tell=client_area.tell,
        file_ticket=client_area.file_ticket,
        directory=directory,
        resolver=names,
        probe=probe,
        inspector=inspector,
        incidents=wiring.incidents(db),
        usage=wiring.account_usage(panel),
        settings=settings,
        clock=utcnow,
    )
    login_form = LoginForm(db, sealer, client_area, clock=utcnow)
    ticket_form = TicketForm(db, sealer, client_area, clock=utcnow)
    techops_mail = TechOpsMail(db, mailer, policy, clock=utcnow)
    handoff = HandOffService(db, pipeline, policy, wiring.desk(settings), clock=utcnow)
    scheduling = SchedulingService(db, pipeline, wiring.calendar(settings), policy, clock=utcnow)
    notices = NoticesService(db, wiring.billing(settings), settings, clock=utcnow)
    services = Services(
        payments=payments,
        client_area=client_area,
        login_form=login_form,
        ticket_form=ticket_form,
        handoff=handoff,
        scheduling=scheduling,
        privacy=privacy,
        techops_mail=techops_mail,
        notices=notices,
        sitedown=sitedown,
        domain_changes=domain_changes,
    )
    registered = HOUSE.jobs(services)
    fetcher = MediaFetcher(db, client, sealer)
    jobs = JobRunner(
        db,
        {**registered.handlers, **pipeline.jobs, **fetcher.jobs},
        give_up={**registered.give_up, **fetcher.give_up},
        wipe=HOUSE.wipe,
        base_backoff=settings.retry_base_seconds * 2,
    )
    payments.on_job = jobs.wake

    def enqueued() -> None:
        sender.wake()
        jobs.wake()

    pipeline.on_enqueued = sender.wake
    pipeline.on_jobs = jobs.wake
    handoff.on_enqueued = enqueued
    notices.on_enqueued = sender.wake
    sweeps = HOUSE.sweeps(services)
    purge = RetentionPurge(
        db, settings.retention, every=timedelta(minutes=settings.purge_every_minutes)
    )
    sweeps.append(purge.sweep)
    return Container(
        settings=settings,
        db=db,
        client=client,
        sender=sender,
        pipeline=pipeline,
        payments=payments,
        client_area=client_area,
        sealer=sealer,
        jobs=jobs,
        workers=Workers(db, sender, jobs=jobs, sweep=_every(sweeps), step=pipeline.run),
        handoff=handoff,
        metrics=metrics,
        scheduling=scheduling,
        notices=notices,
        sitedown=sitedown,
        flows_key=flows_key,
        login_form=login_form,
        flow_forms=FlowsByPurpose(db, {"login": login_form, "ticket": ticket_form}, clock=utcnow),
    )
