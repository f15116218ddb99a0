"""What comes in: flood protection and when a silent conversation starts over."""

from __future__ import annotations

from dataclasses import dataclass

from dresbach.kernel.settings import Section, SettingsError, setting


@dataclass(frozen=True, kw_only=True)
class InboundSettings(Section):
    inactivity_minutes: int = setting("DRESBACH_INACTIVITY_MINUTES", 30)
    flood_per_minute: int = setting("DRESBACH_FLOOD_PER_MINUTE", 30)

    def validate(self) -> None:
        if self.flood_per_minute < 0:
            raise SettingsError("DRESBACH_FLOOD_PER_MINUTE must be 0 (no limit) or more")
