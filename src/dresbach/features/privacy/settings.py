"""Privacidade's settings: who the controller is, and how long each table keeps its records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from dresbach.features.privacy.model import (
    DAY,
    MIN_ACCESS_LOG,
    MIN_MESSAGES,
    MIN_PAYMENTS,
    Retention,
)
from dresbach.kernel.settings import Section, SettingsError, setting, variables

FLOORS: dict[str, tuple[timedelta, str]] = {
    "retention_inbox_days": (MIN_MESSAGES, "Meta redelivers webhooks for 7 days"),
    "retention_outbox_days": (MIN_MESSAGES, "the other half of the transcript"),
    "retention_conversations_days": (DAY, "a day"),
    "retention_leads_days": (DAY, "a day"),
    "retention_handoffs_days": (DAY, "a day"),
    "retention_jobs_days": (DAY, "a day"),
    "retention_audit_days": (MIN_ACCESS_LOG, "security records: Marco Civil art. 15"),
    "retention_access_log_days": (MIN_ACCESS_LOG, "Marco Civil art. 15: six months"),
    "retention_payments_days": (MIN_PAYMENTS, "CTN arts. 173/174: five years"),
}
"""The shortest retention the law (or Meta's redelivery) allows, and why."""


@dataclass(frozen=True, kw_only=True)
class PrivacySettings(Section):
    controller_name: str = setting("DRESBACH_CONTROLLER_NAME", "Dresbach Hosting do Brasil LTDA")
    privacy_url: str = setting("DRESBACH_PRIVACY_URL", "https://dresbach.com.br/privacidade")
    dpo_contact: str = setting("DRESBACH_DPO_CONTACT", "privacidade@dresbach.com.br")
    privacy_purpose: str = setting("DRESBACH_PRIVACY_PURPOSE", "atendimento, suporte e consultoria")
    retention_inbox_days: int = setting("DRESBACH_RETENTION_INBOX_DAYS", 180)
    retention_outbox_days: int = setting("DRESBACH_RETENTION_OUTBOX_DAYS", 180)
    retention_conversations_days: int = setting("DRESBACH_RETENTION_CONVERSATIONS_DAYS", 180)
    retention_leads_days: int = setting("DRESBACH_RETENTION_LEADS_DAYS", 365)
    retention_handoffs_days: int = setting("DRESBACH_RETENTION_HANDOFFS_DAYS", 180)
    retention_jobs_days: int = setting("DRESBACH_RETENTION_JOBS_DAYS", 30)
    retention_audit_days: int = setting("DRESBACH_RETENTION_AUDIT_DAYS", 1826)
    retention_access_log_days: int = setting("DRESBACH_RETENTION_ACCESS_LOG_DAYS", 183)
    retention_payments_days: int = setting("DRESBACH_RETENTION_PAYMENTS_DAYS", 2192)
    purge_every_minutes: int = setting("DRESBACH_PURGE_EVERY_MINUTES", 60)

    def validate(self) -> None:
        for variable, attribute in variables(PrivacySettings).items():
            if attribute in FLOORS:
                floor, why = FLOORS[attribute]
                days = getattr(self, attribute)
                if days < floor.days:
                    raise SettingsError(
                        f"{variable}={days} is too short: at least {floor.days} ({why})"
                    )
        if self.purge_every_minutes < 1:
            raise SettingsError("DRESBACH_PURGE_EVERY_MINUTES must be at least 1")

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
