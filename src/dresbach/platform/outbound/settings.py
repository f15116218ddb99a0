"""Sending's settings: the number's rate, the pacing per recipient, the retries."""

from __future__ import annotations

from dataclasses import dataclass

from dresbach.kernel.settings import Section, SettingsError, setting


@dataclass(frozen=True, kw_only=True)
class SendingSettings(Section):
    send_rate: float = setting("DRESBACH_SEND_RATE", 80.0)
    recipient_burst: int = setting("DRESBACH_RECIPIENT_BURST", 8)
    recipient_rate: float = setting("DRESBACH_RECIPIENT_RATE", 1.0)
    send_max_attempts: int = setting("DRESBACH_SEND_MAX_ATTEMPTS", 8)
    retry_base_seconds: float = setting("DRESBACH_RETRY_BASE_SECONDS", 0.5)
    send_doubt_seconds: float = setting("DRESBACH_SEND_DOUBT_SECONDS", 5.0)
    """How long a send in doubt (its worker died, or no answer came) waits for a status
    webhook naming it before it goes again; 0 sends again at once."""

    def validate(self) -> None:
        if self.send_rate <= 0 or self.recipient_rate <= 0 or self.recipient_burst < 1:
            raise SettingsError("send rates must be positive")
        if self.send_doubt_seconds < 0:
            raise SettingsError("DRESBACH_SEND_DOUBT_SECONDS cannot be negative")
