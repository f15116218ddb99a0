"""Payments' settings: which Pix provider makes and confirms a charge, and its credentials."""

from __future__ import annotations

import re
from dataclasses import dataclass

from dresbach.kernel.messages import PixPayee
from dresbach.kernel.settings import Secret, Section, SettingsError, secret, setting, variables

PROVIDERS = ("static", "bcb", "mercadopago")
REQUIRED: dict[str, tuple[str, ...]] = {
    "bcb": (
        "bcb_base_url",
        "bcb_token_url",
        "bcb_client_id",
        "bcb_client_secret",
        "bcb_cert_file",
        "bcb_key_file",
    ),
    "mercadopago": ("mp_access_token", "mp_webhook_secret"),
}
"""What each provider cannot work without."""
DYNAMIC = ("bcb", "mercadopago")
"""The providers whose charges carry a dynamic code, which a native Pix order can show."""

_EVP = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def pix_key_type(key: str) -> str | None:
    """The type of a Pix key as Meta names it (EMAIL, PHONE, EVP, CPF, CNPJ), None if unknown."""
    if "@" in key:
        return "EMAIL"
    if key.startswith("+") and key[1:].isdigit():
        return "PHONE"
    if _EVP.fullmatch(key.lower()):
        return "EVP"
    if key.isdigit() and len(key) == 11:
        return "CPF"
    if len(key) == 14 and key[-2:].isdigit() and key.isalnum():
        return "CNPJ"
    return None


@dataclass(frozen=True, kw_only=True)
class PaymentSettings(Section):
    pix_provider: str = setting("DRESBACH_PIX_PROVIDER", "static")
    pix_key: str = setting("DRESBACH_PIX_KEY", "pix@dresbach.com.br")
    pix_merchant_name: str = setting("DRESBACH_PIX_MERCHANT_NAME", "DRESBACH HOSTING")
    pix_merchant_city: str = setting("DRESBACH_PIX_MERCHANT_CITY", "SAO PAULO")
    pix_expiry_minutes: int = setting("DRESBACH_PIX_EXPIRY_MINUTES", 60)
    pix_reminder_minutes: int = setting("DRESBACH_PIX_REMINDER_MINUTES", 15)
    pix_native: bool = setting("DRESBACH_PIX_NATIVE", False)
    """Send a dynamic-code charge as WhatsApp's native Pix order card (Meta's Payments API for
    Brazil; the account must be enabled for it, or today's QR and text go instead)."""
    bcb_base_url: str = setting("DRESBACH_BCB_BASE_URL", "")
    bcb_token_url: str = setting("DRESBACH_BCB_TOKEN_URL", "")
    bcb_client_id: str = setting("DRESBACH_BCB_CLIENT_ID", "")
    bcb_client_secret: Secret = secret("DRESBACH_BCB_CLIENT_SECRET")
    bcb_cert_file: str = setting("DRESBACH_BCB_CERT_FILE", "")
    bcb_key_file: str = setting("DRESBACH_BCB_KEY_FILE", "")
    bcb_ca_file: str = setting("DRESBACH_BCB_CA_FILE", "")
    bcb_webhook_token: Secret = secret("DRESBACH_BCB_WEBHOOK_TOKEN")
    mp_base_url: str = setting("DRESBACH_MP_BASE_URL", "https://api.mercadopago.com")
    mp_access_token: Secret = secret("DRESBACH_MP_ACCESS_TOKEN")
    mp_webhook_secret: Secret = secret("DRESBACH_MP_WEBHOOK_SECRET")

    def validate(self) -> None:
        if self.pix_provider not in PROVIDERS:
            raise SettingsError(f"DRESBACH_PIX_PROVIDER must be one of {', '.join(PROVIDERS)}")
        required = REQUIRED.get(self.pix_provider, ())
        missing = [
            name
            for name, attribute in variables(PaymentSettings).items()
            if attribute in required and not getattr(self, attribute)
        ]
        if missing:
            raise SettingsError(
                f"DRESBACH_PIX_PROVIDER={self.pix_provider} needs {', '.join(missing)}"
            )
        if self.pix_native and pix_key_type(self.pix_key) is None:
            raise SettingsError(
                "DRESBACH_PIX_NATIVE=1 needs DRESBACH_PIX_KEY to be an e-mail, +55 phone, random "
                "key (EVP), CPF or CNPJ, without punctuation"
            )
        if self.pix_expiry_minutes <= self.pix_reminder_minutes:
            raise SettingsError(
                "DRESBACH_PIX_EXPIRY_MINUTES must exceed DRESBACH_PIX_REMINDER_MINUTES"
            )

    @property
    def native_payee(self) -> PixPayee | None:
        """Who a native Pix order pays, or None when charges go as QR and text (native off, or a
        static provider, whose code is no dynamic one)."""
        key_type = pix_key_type(self.pix_key)
        if not self.pix_native or self.pix_provider not in DYNAMIC or key_type is None:
            return None
        return PixPayee(merchant_name=self.pix_merchant_name, key=self.pix_key, key_type=key_type)
