"""The notices' settings: whether WHMCS is polled and how often, which kinds go, how early, where
payments are made, and the secret WHMCS hooks sign their calls with."""

from __future__ import annotations

from dataclasses import dataclass

from dresbach.features.notices.model import KINDS
from dresbach.kernel.settings import Secret, Section, SettingsError, secret, setting


@dataclass(frozen=True, kw_only=True)
class NoticesSettings(Section):
    notices_poll_minutes: int = setting("DRESBACH_NOTICES_POLL_MINUTES", 0)
    notices_off: str = setting("DRESBACH_NOTICES_OFF", "")
    notices_due_days: int = setting("DRESBACH_NOTICES_DUE_DAYS", 3)
    notices_expiry_days: int = setting("DRESBACH_NOTICES_EXPIRY_DAYS", 30)
    notices_billing_site: str = setting(
        "DRESBACH_NOTICES_BILLING_SITE", "https://cliente.dresbach.com.br"
    )
    notices_hook_secret: Secret = secret("DRESBACH_NOTICES_HOOK_SECRET")

    @property
    def notices_turned_off(self) -> frozenset[str]:
        """The kinds `DRESBACH_NOTICES_OFF` names (comma-separated)."""
        return frozenset(k.strip() for k in self.notices_off.split(",") if k.strip())

    def validate(self) -> None:
        unknown = sorted(self.notices_turned_off - set(KINDS))
        if unknown:
            raise SettingsError(
                f"DRESBACH_NOTICES_OFF names unknown kinds {unknown}: use {', '.join(KINDS)}"
            )
        if self.notices_poll_minutes < 0:
            raise SettingsError("DRESBACH_NOTICES_POLL_MINUTES must be 0 (off) or more")
        if self.notices_due_days < 1 or self.notices_expiry_days < 1:
            raise SettingsError(
                "DRESBACH_NOTICES_DUE_DAYS and DRESBACH_NOTICES_EXPIRY_DAYS must be 1 or more"
            )
        if not self.notices_billing_site.startswith("https://"):
            raise SettingsError("DRESBACH_NOTICES_BILLING_SITE must be an https:// address")
