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

    def validate(self) -> None:
        if self.send_rate <= 0 or self.recipient_rate <= 0 or self.recipient_burst < 1:
            raise SettingsError("send rates must be positive")
