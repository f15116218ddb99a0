"""The WhatsApp Cloud API's settings: the number, its credentials, the Flows key and Flows."""

from __future__ import annotations

from dataclasses import dataclass

from dresbach.kernel.settings import Secret, Section, SettingsError, secret, setting

DEFAULT_GRAPH = "https://graph.facebook.com/v26.0"

REQUIRED: tuple[tuple[str, str], ...] = (
    ("WHATSAPP_ACCESS_TOKEN", "whatsapp_access_token"),
    ("WHATSAPP_PHONE_NUMBER_ID", "whatsapp_phone_number_id"),
    ("WHATSAPP_APP_SECRET", "whatsapp_app_secret"),
    ("WHATSAPP_VERIFY_TOKEN", "whatsapp_verify_token"),
)
"""What a process that talks to real customers needs, in the order a refusal names them."""


@dataclass(frozen=True, kw_only=True)
class WhatsAppSettings(Section):
    whatsapp_app_secret: Secret = secret("WHATSAPP_APP_SECRET")
    whatsapp_verify_token: Secret = secret("WHATSAPP_VERIFY_TOKEN")
    whatsapp_access_token: Secret = secret("WHATSAPP_ACCESS_TOKEN")
    whatsapp_phone_number_id: str = setting("WHATSAPP_PHONE_NUMBER_ID", "")
    whatsapp_api_base_url: str = setting("WHATSAPP_API_BASE_URL", DEFAULT_GRAPH)
    whatsapp_flows_private_key: str = setting("WHATSAPP_FLOWS_PRIVATE_KEY", "")
    whatsapp_flows_private_key_password: Secret = secret("WHATSAPP_FLOWS_PRIVATE_KEY_PASSWORD")
    whatsapp_business_account_id: str = setting("WHATSAPP_BUSINESS_ACCOUNT_ID", "")
    whatsapp_flow_login_id: str = setting("WHATSAPP_FLOW_LOGIN_ID", "")
    whatsapp_flow_ticket_id: str = setting("WHATSAPP_FLOW_TICKET_ID", "")
    graph_timeout_seconds: float = setting("DRESBACH_GRAPH_TIMEOUT", 10.0)
    graph_connections: int = setting("DRESBACH_GRAPH_CONNECTIONS", 16)

    def validate(self) -> None:
        if self.whatsapp_flows_private_key_password and not self.whatsapp_flows_private_key:
            raise SettingsError(
                "WHATSAPP_FLOWS_PRIVATE_KEY_PASSWORD is set without WHATSAPP_FLOWS_PRIVATE_KEY "
                "(the path of the Flows private key, from `dresbach flows keygen`)"
            )

    def validate_production(self) -> None:
        """The sandbox is never a fallback: a missing variable stops the process, naming it."""
        missing = [name for name, attribute in REQUIRED if not getattr(self, attribute)]
        if missing:
            raise SettingsError(
                f"WhatsApp is not fully configured: {', '.join(missing)} "
                f"{'is' if len(missing) == 1 else 'are'} missing. Set "
                f"{'it' if len(missing) == 1 else 'them'}, or set DRESBACH_SANDBOX=1 to run the "
                "local simulator instead (nothing then reaches WhatsApp)"
            )
