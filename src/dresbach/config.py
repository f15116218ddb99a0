"""Settings: read once from the environment (and an optional `.env`), frozen, secrets hidden.

Every setting is listed, with its default, in `.env.example` and in the README.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import timedelta
from pathlib import Path

from dotenv import dotenv_values

from dresbach.domain.policy import Policy

DEFAULT_GRAPH = "https://graph.facebook.com/v26.0"


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
    database_url: str = "sqlite:///./var/dresbach.sqlite3"
    whatsapp_app_secret: Secret = field(default_factory=lambda: Secret(""))
    whatsapp_verify_token: Secret = field(default_factory=lambda: Secret(""))
    whatsapp_access_token: Secret = field(default_factory=lambda: Secret(""))
    whatsapp_phone_number_id: str = ""
    whatsapp_api_base_url: str = DEFAULT_GRAPH
    graph_timeout_seconds: float = 10.0
    send_rate: float = 80.0
    recipient_burst: int = 8
    recipient_rate: float = 1.0
    send_max_attempts: int = 8
    retry_base_seconds: float = 0.5
    sqlite_synchronous: str = "FULL"
    inactivity_minutes: int = 30
    company_name: str = "Dresbach Hosting do Brasil"
    controller_name: str = "Dresbach Hosting do Brasil LTDA"
    privacy_url: str = "https://dresbach.com.br/privacidade"
    dpo_contact: str = "privacidade@dresbach.com.br"
    log_level: str = "info"
    host: str = "127.0.0.1"
    port: int = 8000

    @property
    def sandbox(self) -> bool:
        """No WhatsApp credentials: replies go to the local sink the simulator reads."""
        return not (self.whatsapp_access_token and self.whatsapp_phone_number_id)

    @property
    def policy(self) -> Policy:
        return Policy(
            company_name=self.company_name,
            controller=self.controller_name,
            privacy_url=self.privacy_url,
            dpo_contact=self.dpo_contact,
            inactivity_timeout=timedelta(minutes=self.inactivity_minutes),
        )


# environment variable -> field name
ENVIRONMENT: dict[str, str] = {
    "DRESBACH_DATABASE_URL": "database_url",
    "WHATSAPP_APP_SECRET": "whatsapp_app_secret",
    "WHATSAPP_VERIFY_TOKEN": "whatsapp_verify_token",
    "WHATSAPP_ACCESS_TOKEN": "whatsapp_access_token",
    "WHATSAPP_PHONE_NUMBER_ID": "whatsapp_phone_number_id",
    "WHATSAPP_API_BASE_URL": "whatsapp_api_base_url",
    "DRESBACH_GRAPH_TIMEOUT": "graph_timeout_seconds",
    "DRESBACH_SEND_RATE": "send_rate",
    "DRESBACH_RECIPIENT_BURST": "recipient_burst",
    "DRESBACH_RECIPIENT_RATE": "recipient_rate",
    "DRESBACH_SEND_MAX_ATTEMPTS": "send_max_attempts",
    "DRESBACH_RETRY_BASE_SECONDS": "retry_base_seconds",
    "DRESBACH_SQLITE_SYNCHRONOUS": "sqlite_synchronous",
    "DRESBACH_INACTIVITY_MINUTES": "inactivity_minutes",
    "DRESBACH_COMPANY_NAME": "company_name",
    "DRESBACH_CONTROLLER_NAME": "controller_name",
    "DRESBACH_PRIVACY_URL": "privacy_url",
    "DRESBACH_DPO_CONTACT": "dpo_contact",
    "DRESBACH_LOG_LEVEL": "log_level",
    "DRESBACH_HOST": "host",
    "DRESBACH_PORT": "port",
}


def _convert(name: str, kind: object, raw: str) -> object:
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


def _validate(settings: Settings) -> None:
    url = settings.database_url
    if not url.startswith(("sqlite:", "postgresql:", "postgresql+psycopg:", "postgres:")):
        raise SettingsError(
            f"DRESBACH_DATABASE_URL must be sqlite:///… or postgresql://…, not {url.split(':')[0]}"
        )
    if settings.sqlite_synchronous.upper() not in {"FULL", "NORMAL", "EXTRA"}:
        raise SettingsError("DRESBACH_SQLITE_SYNCHRONOUS must be FULL, NORMAL or EXTRA")
    if not settings.sandbox and not settings.whatsapp_app_secret:
        raise SettingsError(
            "WHATSAPP_APP_SECRET is required with WhatsApp credentials: every webhook is verified"
        )
    if settings.send_rate <= 0 or settings.recipient_rate <= 0 or settings.recipient_burst < 1:
        raise SettingsError("send rates must be positive")
