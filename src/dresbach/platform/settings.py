"""The process's own settings (mode, where it listens, its public address) and e-mail's."""

from __future__ import annotations

from dataclasses import dataclass

from dresbach.kernel.settings import Secret, Section, SettingsError, secret, setting


@dataclass(frozen=True, kw_only=True)
class ProcessSettings(Section):
    sandbox: bool = setting("DRESBACH_SANDBOX", False)
    """Asked for explicitly (`DRESBACH_SANDBOX=1`): replies go to the local sink the simulator
    reads, nothing reaches Meta. Never inferred from missing WhatsApp settings."""
    insecure_cookies: bool = setting("DRESBACH_INSECURE_COOKIES", False)
    host: str = setting("DRESBACH_HOST", "127.0.0.1")
    port: int = setting("DRESBACH_PORT", 8000)
    public_url: str = setting("DRESBACH_PUBLIC_URL", "")
    """This service's address as others reach it; empty: `http://{host}:{port}` (`base_url`)."""

    @property
    def base_url(self) -> str:
        """The public URL, or where this process listens when none is set (the sandbox, a
        developer's `make run PORT=…`): links we hand out then point at the port in use."""
        if self.public_url:
            return self.public_url.rstrip("/")
        host = "127.0.0.1" if self.host in ("", "0.0.0.0", "::") else self.host  # noqa: S104
        return f"http://{host}:{self.port}"


@dataclass(frozen=True, kw_only=True)
class MailSettings(Section):
    smtp_host: str = setting("SMTP_HOST", "")
    smtp_port: int = setting("SMTP_PORT", 587)
    smtp_user: str = setting("SMTP_USER", "")
    smtp_password: Secret = secret("SMTP_PASSWORD")
    smtp_from: str = setting("SMTP_FROM", "Dresbach Assistente <nao-responda@dresbach.com.br>")
    smtp_starttls: str = setting("SMTP_STARTTLS", "true")

    def validate_production(self) -> None:
        if not self.smtp_host:
            raise SettingsError(
                "SMTP_HOST is required outside the sandbox: the Área do Cliente e-mails the "
                "second-factor codes and the lockout notices to clients"
            )
