"""Settings: read once from the environment (and an optional `.env`), frozen, secrets hidden.

Each area declares its settings once, next to its code: a section (`dresbach.kernel.settings`)
whose fields name their environment variables. `Settings` is every section at once, so
`settings.<name>` reads the same everywhere, and a service may take its own section alone.
Every setting is listed, with its default, in `.env.example` and in the README (a test holds
both to the sections).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import timedelta
from pathlib import Path

from dotenv import dotenv_values

from dresbach.features.client_area.settings import ClientAreaSettings
from dresbach.features.handoff.settings import HandoffSettings
from dresbach.features.menu.settings import MenuSettings
from dresbach.features.notices.settings import NoticesSettings
from dresbach.features.payments.settings import PROVIDERS, PaymentSettings
from dresbach.features.privacy.settings import PrivacySettings
from dresbach.features.scheduling.settings import SchedulingSettings
from dresbach.features.techops.settings import TechOpsSettings
from dresbach.kernel.policy import Policy
from dresbach.kernel.settings import Secret, Section, SettingsError, variables
from dresbach.platform.inbound.settings import InboundSettings
from dresbach.platform.observe.settings import ObserveSettings
from dresbach.platform.outbound.settings import SendingSettings
from dresbach.platform.settings import MailSettings, ProcessSettings
from dresbach.platform.store.settings import StoreSettings
from dresbach.platform.whatsapp.settings import DEFAULT_GRAPH, WhatsAppSettings

__all__ = [
    "DEFAULT_GRAPH",
    "ENVIRONMENT",
    "PROVIDERS",
    "Secret",
    "Settings",
    "SettingsError",
    "load_settings",
]


@dataclass(frozen=True, kw_only=True)
class Settings(
    ProcessSettings,
    WhatsAppSettings,
    MailSettings,
    StoreSettings,
    ObserveSettings,
    PrivacySettings,
    SendingSettings,
    InboundSettings,
    MenuSettings,
    TechOpsSettings,
    PaymentSettings,
    ClientAreaSettings,
    SchedulingSettings,
    HandoffSettings,
    NoticesSettings,
):
    """Every section at once. Each section checks itself, in this order; then, outside the
    sandbox, what production cannot start without (last: a malformed value is named first,
    whatever the mode)."""

    def validate(self) -> None:
        for section in SECTIONS:
            section.validate(self)
        if not self.sandbox:
            for section in SECTIONS:
                section.validate_production(self)

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
            burst_window=timedelta(seconds=self.burst_seconds),
            diagnosis_fees=self.diagnosis_fees,
            refund_days=self.refund_days,
            pix_expiry=timedelta(minutes=self.pix_expiry_minutes),
            payment_reminder_before=timedelta(minutes=self.pix_reminder_minutes),
            lead_stale_after=timedelta(days=self.lead_stale_days),
            scheduling=self.scheduling_rules,
            support_hours=self.working_hours(self.support_hours),
            handoff_wait=timedelta(minutes=self.handoff_wait_minutes),
        )


SECTIONS: tuple[type[Section], ...] = tuple(
    base for base in Settings.__bases__ if issubclass(base, Section)
)
ENVIRONMENT: dict[str, str] = variables(Settings)
"""Environment variable -> field name, read from the sections' fields."""

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
    settings.validate()
    return settings
