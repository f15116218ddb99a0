"""The database's settings and the key that seals secrets at rest."""

from __future__ import annotations

from dataclasses import dataclass

from dresbach.kernel.settings import Secret, Section, SettingsError, secret, setting


@dataclass(frozen=True, kw_only=True)
class StoreSettings(Section):
    database_url: str = setting("DRESBACH_DATABASE_URL", "sqlite:///./var/dresbach.sqlite3")
    sqlite_synchronous: str = setting("DRESBACH_SQLITE_SYNCHRONOUS", "NORMAL")
    secret_key: Secret = secret("DRESBACH_SECRET_KEY")

    def validate(self) -> None:
        url = self.database_url
        if not url.startswith(("sqlite:", "postgresql:", "postgresql+psycopg:", "postgres:")):
            raise SettingsError(
                "DRESBACH_DATABASE_URL must be sqlite:///… or postgresql://…, "
                f"not {url.split(':')[0]}"
            )
        if self.sqlite_synchronous.upper() not in {"FULL", "NORMAL", "EXTRA"}:
            raise SettingsError("DRESBACH_SQLITE_SYNCHRONOUS must be FULL, NORMAL or EXTRA")
        if self.secret_key:
            from dresbach.platform.store.sealing import Sealer

            try:
                Sealer.from_text(self.secret_key.reveal())
            except ValueError as error:
                raise SettingsError(str(error)) from error

    def validate_production(self) -> None:
        if not self.secret_key and not self.database_url.startswith("sqlite"):
            raise SettingsError(
                "DRESBACH_SECRET_KEY is required on PostgreSQL: every process, on every machine, "
                "must seal and open secrets with the same key (32 bytes, hex or base64)"
            )
