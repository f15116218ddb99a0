"""Settings: read once from the environment (and an optional `.env`), frozen, secrets hidden.

Every setting is listed, with its default, in `.env.example` and in the README.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import timedelta
from pathlib import Path
from types import MappingProxyType

from dotenv import dotenv_values

from dresbach.features.privacy.model import (
    DAY,
    MIN_ACCESS_LOG,
    MIN_MESSAGES,
    MIN_PAYMENTS,
    Retention,
)
from dresbach.features.scheduling.model import SchedulingRules, is_meeting_link
from dresbach.kernel.hours import HoursError, WorkingHours, parse_days_off, parse_hours
from dresbach.kernel.money import money
from dresbach.kernel.policy import Policy

DEFAULT_GRAPH = "https://graph.facebook.com/v26.0"
PROVIDERS = ("static", "bcb", "mercadopago")


class Secret:
    """A secret value that never prints."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return "'***'" if self._value else "''"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


class SettingsError(ValueError):
    """A setting is missing or malformed; the message says which and how to fix it."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    sandbox: bool = False
    """Asked for explicitly (`DRESBACH_SANDBOX=1`): replies go to the local sink the simulator
    reads, nothing reaches Meta. Never inferred from missing WhatsApp settings."""
    insecure_cookies: bool = False
    database_url: str = "sqlite:///./var/dresbach.sqlite3"
    whatsapp_app_secret: Secret = field(default_factory=lambda: Secret(""))
    whatsapp_verify_token: Secret = field(default_factory=lambda: Secret(""))
    whatsapp_access_token: Secret = field(default_factory=lambda: Secret(""))
    whatsapp_phone_number_id: str = ""
    whatsapp_api_base_url: str = DEFAULT_GRAPH
    whatsapp_flows_private_key: str = ""
    whatsapp_flows_private_key_password: Secret = field(default_factory=lambda: Secret(""))
    graph_timeout_seconds: float = 10.0
    graph_connections: int = 16
    send_rate: float = 80.0
    recipient_burst: int = 8
    recipient_rate: float = 1.0
    send_max_attempts: int = 8
    retry_base_seconds: float = 0.5
    sqlite_synchronous: str = "NORMAL"
    inactivity_minutes: int = 30
    flood_per_minute: int = 30
    company_name: str = "Dresbach Hosting do Brasil"
    controller_name: str = "Dresbach Hosting do Brasil LTDA"
    privacy_url: str = "https://dresbach.com.br/privacidade"
    dpo_contact: str = "privacidade@dresbach.com.br"
    privacy_purpose: str = "atendimento, suporte e consultoria"
    retention_inbox_days: int = 180
    retention_outbox_days: int = 180
    retention_conversations_days: int = 180
    retention_leads_days: int = 365
    retention_handoffs_days: int = 180
    retention_jobs_days: int = 30
    retention_audit_days: int = 1826
    retention_access_log_days: int = 183
    retention_payments_days: int = 2192
    purge_every_minutes: int = 60
    log_level: str = "info"
    log_format: str = "auto"
    metrics_token: Secret = field(default_factory=lambda: Secret(""))
    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str = ""
    """This service's address as others reach it; empty: `http://{host}:{port}` (`base_url`)."""
    pix_provider: str = "static"
    pix_key: str = "pix@dresbach.com.br"
    pix_merchant_name: str = "DRESBACH HOSTING"
    pix_merchant_city: str = "SAO PAULO"
    pix_expiry_minutes: int = 60
    pix_reminder_minutes: int = 15
    lead_stale_days: int = 7
    fee_technical: str = "1500.00"
    fee_security: str = "1800.00"
    fee_architecture: str = "2000.00"
    fee_lgpd: str = "1600.00"
    refund_days: int = 7
    bcb_base_url: str = ""
    bcb_token_url: str = ""
    bcb_client_id: str = ""
    bcb_client_secret: Secret = field(default_factory=lambda: Secret(""))
    bcb_cert_file: str = ""
    bcb_key_file: str = ""
    bcb_ca_file: str = ""
    bcb_webhook_token: Secret = field(default_factory=lambda: Secret(""))
    mp_base_url: str = "https://api.mercadopago.com"
    mp_access_token: Secret = field(default_factory=lambda: Secret(""))
    mp_webhook_secret: Secret = field(default_factory=lambda: Secret(""))
    secret_key: Secret = field(default_factory=lambda: Secret(""))
    client_directory: str = "local"
    whmcs_url: str = ""
    whmcs_identifier: str = ""
    whmcs_secret: Secret = field(default_factory=lambda: Secret(""))
    whmcs_document_field: str = ""
    hosting_panel: str = "local"
    whm_url: str = ""
    whm_user: str = "root"
    whm_token: Secret = field(default_factory=lambda: Secret(""))
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_password: Secret = field(default_factory=lambda: Secret(""))
    smtp_from: str = "Dresbach Assistente <nao-responda@dresbach.com.br>"
    smtp_starttls: str = "true"
    calendar: str = "internal"
    caldav_url: str = ""
    caldav_user: str = ""
    caldav_password: Secret = field(default_factory=lambda: Secret(""))
    caldav_calendar: str = ""
    consultant_hours: str = "seg-sex 09:00-18:00"
    days_off: str = ""
    meeting_minutes: int = 60
    meeting_buffer_minutes: int = 15
    meeting_notice_hours: int = 4
    booking_horizon_days: int = 21
    change_notice_hours: int = 24
    change_grace_minutes: int = 15
    meeting_location: str = "Reunião online"
    meeting_url: str = ""
    support_hours: str = "seg-sex 08:00-20:00"
    handoff_wait_minutes: int = 15
    handoff_desk: str = "console"
    chatwoot_url: str = ""
    chatwoot_account_id: str = ""
    chatwoot_inbox_id: str = ""
    chatwoot_api_token: Secret = field(default_factory=lambda: Secret(""))
    chatwoot_webhook_secret: Secret = field(default_factory=lambda: Secret(""))

    @property
    def base_url(self) -> str:
        """The public URL, or where this process listens when none is set (the sandbox, a
        developer's `make run PORT=…`): links we hand out then point at the port in use."""
        if self.public_url:
            return self.public_url.rstrip("/")
        host = "127.0.0.1" if self.host in ("", "0.0.0.0", "::") else self.host  # noqa: S104
        return f"http://{host}:{self.port}"

    @property
    def policy(self) -> Policy:
        return Policy(
            company_name=self.company_name,
            controller=self.controller_name,
            privacy_url=self.privacy_url,
            dpo_contact=self.dpo_contact,
            privacy_purpose=self.privacy_purpose,
            inactivity_timeout=timedelta(minutes=self.inactivity_minutes),
            flood_per_minute=self.flood_per_minute,
            diagnosis_fees=MappingProxyType(
                {
                    "technical": money(self.fee_technical),
                    "security": money(self.fee_security),
                    "architecture": money(self.fee_architecture),
                    "lgpd": money(self.fee_lgpd),
                }
            ),
            refund_days=self.refund_days,
            pix_expiry=timedelta(minutes=self.pix_expiry_minutes),
            payment_reminder_before=timedelta(minutes=self.pix_reminder_minutes),
            lead_stale_after=timedelta(days=self.lead_stale_days),
            scheduling=SchedulingRules(
                hours=WorkingHours(
                    windows=MappingProxyType(parse_hours(self.consultant_hours)),
                    days_off=parse_days_off(self.days_off),
                ),
                meeting=timedelta(minutes=self.meeting_minutes),
                buffer=timedelta(minutes=self.meeting_buffer_minutes),
                notice=timedelta(hours=self.meeting_notice_hours),
                horizon=timedelta(days=self.booking_horizon_days),
                change_notice=timedelta(hours=self.change_notice_hours),
                change_grace=timedelta(minutes=self.change_grace_minutes),
                location=self.meeting_location,
                meeting_url=self.meeting_url.strip(),
            ),
            support_hours=WorkingHours(
                windows=MappingProxyType(parse_hours(self.support_hours)),
                days_off=parse_days_off(self.days_off),
            ),
            handoff_wait=timedelta(minutes=self.handoff_wait_minutes),
        )

    @property
    def retention(self) -> Retention:
        return Retention(
            inbox=timedelta(days=self.retention_inbox_days),
            outbox=timedelta(days=self.retention_outbox_days),
            conversations=timedelta(days=self.retention_conversations_days),
            leads=timedelta(days=self.retention_leads_days),
            handoffs=timedelta(days=self.retention_handoffs_days),
            jobs=timedelta(days=self.retention_jobs_days),
            audit=timedelta(days=self.retention_audit_days),
            access_log=timedelta(days=self.retention_access_log_days),
            payments=timedelta(days=self.retention_payments_days),
        )


# environment variable -> field name
ENVIRONMENT: dict[str, str] = {
    "DRESBACH_SANDBOX": "sandbox",
    "DRESBACH_INSECURE_COOKIES": "insecure_cookies",
    "DRESBACH_DATABASE_URL": "database_url",
    "WHATSAPP_APP_SECRET": "whatsapp_app_secret",
    "WHATSAPP_VERIFY_TOKEN": "whatsapp_verify_token",
    "WHATSAPP_ACCESS_TOKEN": "whatsapp_access_token",
    "WHATSAPP_PHONE_NUMBER_ID": "whatsapp_phone_number_id",
    "WHATSAPP_API_BASE_URL": "whatsapp_api_base_url",
    "WHATSAPP_FLOWS_PRIVATE_KEY": "whatsapp_flows_private_key",
    "WHATSAPP_FLOWS_PRIVATE_KEY_PASSWORD": "whatsapp_flows_private_key_password",
    "DRESBACH_GRAPH_TIMEOUT": "graph_timeout_seconds",
    "DRESBACH_GRAPH_CONNECTIONS": "graph_connections",
    "DRESBACH_SEND_RATE": "send_rate",
    "DRESBACH_RECIPIENT_BURST": "recipient_burst",
    "DRESBACH_RECIPIENT_RATE": "recipient_rate",
    "DRESBACH_SEND_MAX_ATTEMPTS": "send_max_attempts",
    "DRESBACH_RETRY_BASE_SECONDS": "retry_base_seconds",
    "DRESBACH_SQLITE_SYNCHRONOUS": "sqlite_synchronous",
    "DRESBACH_INACTIVITY_MINUTES": "inactivity_minutes",
    "DRESBACH_FLOOD_PER_MINUTE": "flood_per_minute",
    "DRESBACH_COMPANY_NAME": "company_name",
    "DRESBACH_CONTROLLER_NAME": "controller_name",
    "DRESBACH_PRIVACY_URL": "privacy_url",
    "DRESBACH_DPO_CONTACT": "dpo_contact",
    "DRESBACH_PRIVACY_PURPOSE": "privacy_purpose",
    "DRESBACH_RETENTION_INBOX_DAYS": "retention_inbox_days",
    "DRESBACH_RETENTION_OUTBOX_DAYS": "retention_outbox_days",
    "DRESBACH_RETENTION_CONVERSATIONS_DAYS": "retention_conversations_days",
    "DRESBACH_RETENTION_LEADS_DAYS": "retention_leads_days",
    "DRESBACH_RETENTION_HANDOFFS_DAYS": "retention_handoffs_days",
    "DRESBACH_RETENTION_JOBS_DAYS": "retention_jobs_days",
    "DRESBACH_RETENTION_AUDIT_DAYS": "retention_audit_days",
    "DRESBACH_RETENTION_ACCESS_LOG_DAYS": "retention_access_log_days",
    "DRESBACH_RETENTION_PAYMENTS_DAYS": "retention_payments_days",
    "DRESBACH_PURGE_EVERY_MINUTES": "purge_every_minutes",
    "DRESBACH_LOG_LEVEL": "log_level",
    "DRESBACH_LOG_FORMAT": "log_format",
    "DRESBACH_METRICS_TOKEN": "metrics_token",
    "DRESBACH_HOST": "host",
    "DRESBACH_PORT": "port",
    "DRESBACH_PUBLIC_URL": "public_url",
    "DRESBACH_PIX_PROVIDER": "pix_provider",
    "DRESBACH_PIX_KEY": "pix_key",
    "DRESBACH_PIX_MERCHANT_NAME": "pix_merchant_name",
    "DRESBACH_PIX_MERCHANT_CITY": "pix_merchant_city",
    "DRESBACH_PIX_EXPIRY_MINUTES": "pix_expiry_minutes",
    "DRESBACH_PIX_REMINDER_MINUTES": "pix_reminder_minutes",
    "DRESBACH_LEAD_STALE_DAYS": "lead_stale_days",
    "DRESBACH_FEE_TECHNICAL": "fee_technical",
    "DRESBACH_FEE_SECURITY": "fee_security",
    "DRESBACH_FEE_ARCHITECTURE": "fee_architecture",
    "DRESBACH_FEE_LGPD": "fee_lgpd",
    "DRESBACH_REFUND_DAYS": "refund_days",
    "DRESBACH_BCB_BASE_URL": "bcb_base_url",
    "DRESBACH_BCB_TOKEN_URL": "bcb_token_url",
    "DRESBACH_BCB_CLIENT_ID": "bcb_client_id",
    "DRESBACH_BCB_CLIENT_SECRET": "bcb_client_secret",
    "DRESBACH_BCB_CERT_FILE": "bcb_cert_file",
    "DRESBACH_BCB_KEY_FILE": "bcb_key_file",
    "DRESBACH_BCB_CA_FILE": "bcb_ca_file",
    "DRESBACH_BCB_WEBHOOK_TOKEN": "bcb_webhook_token",
    "DRESBACH_MP_BASE_URL": "mp_base_url",
    "DRESBACH_MP_ACCESS_TOKEN": "mp_access_token",
    "DRESBACH_MP_WEBHOOK_SECRET": "mp_webhook_secret",
    "DRESBACH_SECRET_KEY": "secret_key",
    "DRESBACH_CLIENT_DIRECTORY": "client_directory",
    "WHMCS_URL": "whmcs_url",
    "WHMCS_IDENTIFIER": "whmcs_identifier",
    "WHMCS_SECRET": "whmcs_secret",
    "WHMCS_DOCUMENT_FIELD": "whmcs_document_field",
    "DRESBACH_HOSTING_PANEL": "hosting_panel",
    "WHM_URL": "whm_url",
    "WHM_USER": "whm_user",
    "WHM_TOKEN": "whm_token",
    "SMTP_HOST": "smtp_host",
    "SMTP_PORT": "smtp_port",
    "SMTP_USER": "smtp_user",
    "SMTP_PASSWORD": "smtp_password",
    "SMTP_FROM": "smtp_from",
    "SMTP_STARTTLS": "smtp_starttls",
    "DRESBACH_CALENDAR": "calendar",
    "CALDAV_URL": "caldav_url",
    "CALDAV_USER": "caldav_user",
    "CALDAV_PASSWORD": "caldav_password",
    "CALDAV_CALENDAR": "caldav_calendar",
    "DRESBACH_CONSULTANT_HOURS": "consultant_hours",
    "DRESBACH_DAYS_OFF": "days_off",
    "DRESBACH_MEETING_MINUTES": "meeting_minutes",
    "DRESBACH_MEETING_BUFFER_MINUTES": "meeting_buffer_minutes",
    "DRESBACH_MEETING_NOTICE_HOURS": "meeting_notice_hours",
    "DRESBACH_BOOKING_HORIZON_DAYS": "booking_horizon_days",
    "DRESBACH_CHANGE_NOTICE_HOURS": "change_notice_hours",
    "DRESBACH_CHANGE_GRACE_MINUTES": "change_grace_minutes",
    "DRESBACH_MEETING_LOCATION": "meeting_location",
    "DRESBACH_MEETING_URL": "meeting_url",
    "DRESBACH_SUPPORT_HOURS": "support_hours",
    "DRESBACH_HANDOFF_WAIT_MINUTES": "handoff_wait_minutes",
    "DRESBACH_HANDOFF_DESK": "handoff_desk",
    "CHATWOOT_URL": "chatwoot_url",
    "CHATWOOT_ACCOUNT_ID": "chatwoot_account_id",
    "CHATWOOT_INBOX_ID": "chatwoot_inbox_id",
    "CHATWOOT_API_TOKEN": "chatwoot_api_token",
    "CHATWOOT_WEBHOOK_SECRET": "chatwoot_webhook_secret",
}


TRUE = frozenset({"1", "true", "yes", "on", "sim"})
FALSE = frozenset({"0", "false", "no", "off", "nao", "não"})


def _convert(name: str, kind: object, raw: str) -> object:
    if kind is bool or kind == "bool":
        if raw.lower() in TRUE | FALSE:
            return raw.lower() in TRUE
        raise SettingsError(f"{name}={raw!r} must be 1 or 0 (true or false)")
    try:
        if kind is Secret or kind == "Secret":
            return Secret(raw)
        if kind is int or kind == "int":
            return int(raw)
        if kind is float or kind == "float":
            return float(raw)
    except ValueError as error:
        raise SettingsError(f"{name}={raw!r} is not a valid number") from error
    return raw


def load_settings(
    environ: Mapping[str, str] | None = None, env_file: Path | None = Path(".env")
) -> Settings:
    """Settings from `.env` (if present) overridden by the environment."""
    source: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        source.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    source.update(os.environ if environ is None else environ)
    types = {f.name: f.type for f in fields(Settings)}
    values: dict[str, object] = {}
    for variable, attribute in ENVIRONMENT.items():
        raw = source.get(variable)
        if raw is not None and raw != "":
            values[attribute] = _convert(variable, types[attribute], raw.strip())
    settings = Settings(**values)  # type: ignore[arg-type]
    _validate(settings)
    return settings


_RETENTION_FLOORS: dict[str, tuple[timedelta, str]] = {
    "DRESBACH_RETENTION_INBOX_DAYS": (MIN_MESSAGES, "Meta redelivers webhooks for 7 days"),
    "DRESBACH_RETENTION_OUTBOX_DAYS": (MIN_MESSAGES, "the other half of the transcript"),
    "DRESBACH_RETENTION_CONVERSATIONS_DAYS": (DAY, "a day"),
    "DRESBACH_RETENTION_LEADS_DAYS": (DAY, "a day"),
    "DRESBACH_RETENTION_HANDOFFS_DAYS": (DAY, "a day"),
    "DRESBACH_RETENTION_JOBS_DAYS": (DAY, "a day"),
    "DRESBACH_RETENTION_AUDIT_DAYS": (MIN_ACCESS_LOG, "security records: Marco Civil art. 15"),
    "DRESBACH_RETENTION_ACCESS_LOG_DAYS": (MIN_ACCESS_LOG, "Marco Civil art. 15: six months"),
    "DRESBACH_RETENTION_PAYMENTS_DAYS": (MIN_PAYMENTS, "CTN arts. 173/174: five years"),
}


def _validate_retention(settings: Settings) -> None:
    for variable, (floor, why) in _RETENTION_FLOORS.items():
        days = getattr(settings, ENVIRONMENT[variable])
        if days < floor.days:
            raise SettingsError(f"{variable}={days} is too short: at least {floor.days} ({why})")
    if settings.purge_every_minutes < 1:
        raise SettingsError("DRESBACH_PURGE_EVERY_MINUTES must be at least 1")


WHATSAPP_REQUIRED: tuple[str, ...] = (
    "WHATSAPP_ACCESS_TOKEN",
    "WHATSAPP_PHONE_NUMBER_ID",
    "WHATSAPP_APP_SECRET",
    "WHATSAPP_VERIFY_TOKEN",
)


def _validate_production(settings: Settings) -> None:
    """What a process that talks to real customers refuses to start without. The sandbox is
    never a fallback: a missing variable stops the process, naming it."""
    missing = [name for name in WHATSAPP_REQUIRED if not getattr(settings, ENVIRONMENT[name])]
    if missing:
        raise SettingsError(
            f"WhatsApp is not fully configured: {', '.join(missing)} "
            f"{'is' if len(missing) == 1 else 'are'} missing. Set "
            f"{'it' if len(missing) == 1 else 'them'}, or set DRESBACH_SANDBOX=1 to run the local "
            "simulator instead (nothing then reaches WhatsApp)"
        )
    if not settings.smtp_host:
        raise SettingsError(
            "SMTP_HOST is required outside the sandbox: the Área do Cliente e-mails the "
            "second-factor codes and the lockout notices to clients"
        )
    if not settings.secret_key and not settings.database_url.startswith("sqlite"):
        raise SettingsError(
            "DRESBACH_SECRET_KEY is required on PostgreSQL: every process, on every machine, must "
            "seal and open secrets with the same key (32 bytes, hex or base64)"
        )


def _validate(settings: Settings) -> None:
    url = settings.database_url
    if not url.startswith(("sqlite:", "postgresql:", "postgresql+psycopg:", "postgres:")):
        raise SettingsError(
            f"DRESBACH_DATABASE_URL must be sqlite:///… or postgresql://…, not {url.split(':')[0]}"
        )
    if settings.log_level.lower() not in ("debug", "info", "warning", "error"):
        raise SettingsError("DRESBACH_LOG_LEVEL must be debug, info, warning or error")
    if settings.log_format not in ("auto", "json", "text"):
        raise SettingsError("DRESBACH_LOG_FORMAT must be auto, json or text")
    if settings.sqlite_synchronous.upper() not in {"FULL", "NORMAL", "EXTRA"}:
        raise SettingsError("DRESBACH_SQLITE_SYNCHRONOUS must be FULL, NORMAL or EXTRA")
    _validate_retention(settings)
    if settings.whatsapp_flows_private_key_password and not settings.whatsapp_flows_private_key:
        raise SettingsError(
            "WHATSAPP_FLOWS_PRIVATE_KEY_PASSWORD is set without WHATSAPP_FLOWS_PRIVATE_KEY (the "
            "path of the Flows private key, from `dresbach flows keygen`)"
        )
    if settings.send_rate <= 0 or settings.recipient_rate <= 0 or settings.recipient_burst < 1:
        raise SettingsError("send rates must be positive")
    if settings.flood_per_minute < 0:
        raise SettingsError("DRESBACH_FLOOD_PER_MINUTE must be 0 (no limit) or more")
    for variable in (
        "DRESBACH_FEE_TECHNICAL",
        "DRESBACH_FEE_SECURITY",
        "DRESBACH_FEE_ARCHITECTURE",
        "DRESBACH_FEE_LGPD",
    ):
        raw = getattr(settings, ENVIRONMENT[variable])
        try:
            money(raw)
        except (ValueError, ArithmeticError) as error:
            raise SettingsError(f"{variable}={raw!r} must be an amount like 1500.00") from error
    if settings.refund_days < 0:
        raise SettingsError("DRESBACH_REFUND_DAYS must be 0 (no refund) or more")
    if settings.pix_provider not in PROVIDERS:
        raise SettingsError(f"DRESBACH_PIX_PROVIDER must be one of {', '.join(PROVIDERS)}")
    required = {
        "bcb": (
            "bcb_base_url",
            "bcb_token_url",
            "bcb_client_id",
            "bcb_client_secret",
            "bcb_cert_file",
            "bcb_key_file",
        ),
        "mercadopago": ("mp_access_token", "mp_webhook_secret"),
    }.get(settings.pix_provider, ())
    missing = [
        name
        for name, attr in ENVIRONMENT.items()
        if attr in required and not getattr(settings, attr)
    ]
    if missing:
        raise SettingsError(
            f"DRESBACH_PIX_PROVIDER={settings.pix_provider} needs {', '.join(missing)}"
        )
    if settings.client_directory not in ("local", "whmcs"):
        raise SettingsError("DRESBACH_CLIENT_DIRECTORY must be local or whmcs")
    if settings.hosting_panel not in ("local", "whm"):
        raise SettingsError("DRESBACH_HOSTING_PANEL must be local or whm")
    if settings.client_directory == "whmcs" and not (
        settings.whmcs_url
        and settings.whmcs_identifier
        and settings.whmcs_secret
        and settings.whmcs_document_field
    ):
        raise SettingsError(
            "DRESBACH_CLIENT_DIRECTORY=whmcs needs WHMCS_URL, WHMCS_IDENTIFIER, WHMCS_SECRET and "
            "WHMCS_DOCUMENT_FIELD"
        )
    if settings.hosting_panel == "whm" and not (settings.whm_url and settings.whm_token):
        raise SettingsError("DRESBACH_HOSTING_PANEL=whm needs WHM_URL and WHM_TOKEN")
    if settings.secret_key:
        from dresbach.platform.store.sealing import Sealer

        try:
            Sealer.from_text(settings.secret_key.reveal())
        except ValueError as error:
            raise SettingsError(str(error)) from error
    try:
        parse_hours(settings.consultant_hours)
        parse_hours(settings.support_hours)
        parse_days_off(settings.days_off)
    except HoursError as error:
        raise SettingsError(f"working hours: {error}") from error
    if settings.meeting_minutes < 15 or settings.meeting_buffer_minutes < 0:
        raise SettingsError("DRESBACH_MEETING_MINUTES must be at least 15 and the buffer >= 0")
    if settings.meeting_url.strip() and not is_meeting_link(settings.meeting_url):
        raise SettingsError("DRESBACH_MEETING_URL must be an https:// link with no spaces")
    if settings.change_grace_minutes < 0:
        raise SettingsError("DRESBACH_CHANGE_GRACE_MINUTES must be 0 or more")
    if settings.calendar not in ("internal", "caldav"):
        raise SettingsError("DRESBACH_CALENDAR must be internal or caldav")
    if settings.calendar == "caldav" and not settings.caldav_url:
        raise SettingsError("DRESBACH_CALENDAR=caldav needs CALDAV_URL (and usually CALDAV_USER)")
    if settings.handoff_desk not in ("console", "chatwoot"):
        raise SettingsError("DRESBACH_HANDOFF_DESK must be console or chatwoot")
    if settings.handoff_desk == "chatwoot" and not (
        settings.chatwoot_url
        and settings.chatwoot_account_id
        and settings.chatwoot_inbox_id
        and settings.chatwoot_api_token
        and settings.chatwoot_webhook_secret
    ):
        raise SettingsError(
            "DRESBACH_HANDOFF_DESK=chatwoot needs CHATWOOT_URL, CHATWOOT_ACCOUNT_ID, "
            "CHATWOOT_INBOX_ID, CHATWOOT_API_TOKEN and CHATWOOT_WEBHOOK_SECRET"
        )
    if settings.pix_expiry_minutes <= settings.pix_reminder_minutes:
        raise SettingsError("DRESBACH_PIX_EXPIRY_MINUTES must exceed DRESBACH_PIX_REMINDER_MINUTES")
    if not settings.sandbox:  # last: a malformed value is named first, whatever the mode
        _validate_production(settings)
