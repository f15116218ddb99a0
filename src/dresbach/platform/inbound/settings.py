"""What comes in: flood protection, quick messages understood together, and when a silent
conversation starts over."""

from __future__ import annotations

from dataclasses import dataclass

from dresbach.kernel.settings import Section, SettingsError, setting


@dataclass(frozen=True, kw_only=True)
class InboundSettings(Section):
    inactivity_minutes: int = setting("DRESBACH_INACTIVITY_MINUTES", 30)
    flood_per_minute: int = setting("DRESBACH_FLOOD_PER_MINUTE", 30)
    burst_seconds: float = setting("DRESBACH_BURST_SECONDS", 2.0)
    """Texts a user sends at rest within this many seconds of each other are one turn."""

    def validate(self) -> None:
        if self.flood_per_minute < 0:
            raise SettingsError("DRESBACH_FLOOD_PER_MINUTE must be 0 (no limit) or more")
        if not 0 <= self.burst_seconds <= 30:
            raise SettingsError("DRESBACH_BURST_SECONDS must be between 0 (off) and 30")
