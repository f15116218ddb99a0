"""The logs' and the metrics endpoint's settings."""

from __future__ import annotations

from dataclasses import dataclass

from dresbach.kernel.settings import Secret, Section, SettingsError, secret, setting


@dataclass(frozen=True, kw_only=True)
class ObserveSettings(Section):
    log_level: str = setting("DRESBACH_LOG_LEVEL", "info")
    log_format: str = setting("DRESBACH_LOG_FORMAT", "auto")
    metrics_token: Secret = secret("DRESBACH_METRICS_TOKEN")

    def validate(self) -> None:
        if self.log_level.lower() not in ("debug", "info", "warning", "error"):
            raise SettingsError("DRESBACH_LOG_LEVEL must be debug, info, warning or error")
        if self.log_format not in ("auto", "json", "text"):
            raise SettingsError("DRESBACH_LOG_FORMAT must be auto, json or text")
