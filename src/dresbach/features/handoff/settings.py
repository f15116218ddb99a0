"""The hand-off's settings: when operators answer, how long a customer waits, which desk."""

from __future__ import annotations

from dataclasses import dataclass

from dresbach.kernel.hours import HoursError, parse_hours
from dresbach.kernel.settings import Secret, Section, SettingsError, needs, secret, setting

CHATWOOT = (
    "chatwoot_url",
    "chatwoot_account_id",
    "chatwoot_inbox_id",
    "chatwoot_api_token",
    "chatwoot_webhook_secret",
)


@dataclass(frozen=True, kw_only=True)
class HandoffSettings(Section):
    support_hours: str = setting("DRESBACH_SUPPORT_HOURS", "seg-sex 08:00-20:00")
    handoff_wait_minutes: int = setting("DRESBACH_HANDOFF_WAIT_MINUTES", 15)
    handoff_desk: str = setting("DRESBACH_HANDOFF_DESK", "console")
    chatwoot_url: str = setting("CHATWOOT_URL", "")
    chatwoot_account_id: str = setting("CHATWOOT_ACCOUNT_ID", "")
    chatwoot_inbox_id: str = setting("CHATWOOT_INBOX_ID", "")
    chatwoot_api_token: Secret = secret("CHATWOOT_API_TOKEN")
    chatwoot_webhook_secret: Secret = secret("CHATWOOT_WEBHOOK_SECRET")

    def validate(self) -> None:
        try:
            parse_hours(self.support_hours)
        except HoursError as error:
            raise SettingsError(f"working hours: {error}") from error
        if self.handoff_desk not in ("console", "chatwoot"):
            raise SettingsError("DRESBACH_HANDOFF_DESK must be console or chatwoot")
        if self.handoff_desk == "chatwoot":
            needs("DRESBACH_HANDOFF_DESK=chatwoot", self, CHATWOOT)
