"""The environments `dresbach` processes start with in tests: production (every variable a
production process refuses to start without) or the sandbox, asked for explicitly."""

from __future__ import annotations

from tests.support.meta import ACCESS_TOKEN, APP_SECRET, PHONE_NUMBER_ID, VERIFY_TOKEN

SECRET_KEY = "5e" * 32
SMTP_NOWHERE = "smtp.invalid"
"""A host that cannot resolve (RFC 2606): an e-mail sent by mistake would fail, visibly."""


def production_env(database_url: str, graph_base_url: str, **extra: str) -> dict[str, str]:
    """WhatsApp fully configured (pointed at a fake Graph API), e-mail and the service key set."""
    return {
        "DRESBACH_DATABASE_URL": database_url,
        "WHATSAPP_APP_SECRET": APP_SECRET,
        "WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN,
        "WHATSAPP_ACCESS_TOKEN": ACCESS_TOKEN,
        "WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
        "WHATSAPP_API_BASE_URL": graph_base_url,
        "DRESBACH_SECRET_KEY": SECRET_KEY,
        "SMTP_HOST": SMTP_NOWHERE,
        **extra,
    }


def sandbox_env(database_url: str, **extra: str) -> dict[str, str]:
    """The sandbox, asked for: replies go to the local sink, nothing reaches Meta."""
    return {"DRESBACH_DATABASE_URL": database_url, "DRESBACH_SANDBOX": "1", **extra}
