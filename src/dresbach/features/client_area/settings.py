"""The Área do Cliente's settings: where clients live (WHMCS) and the hosting panel (WHM)."""

from __future__ import annotations

from dataclasses import dataclass

from dresbach.kernel.settings import Secret, Section, SettingsError, needs, secret, setting

WHMCS = ("whmcs_url", "whmcs_identifier", "whmcs_secret", "whmcs_document_field")


@dataclass(frozen=True, kw_only=True)
class ClientAreaSettings(Section):
    client_directory: str = setting("DRESBACH_CLIENT_DIRECTORY", "local")
    whmcs_url: str = setting("WHMCS_URL", "")
    whmcs_identifier: str = setting("WHMCS_IDENTIFIER", "")
    whmcs_secret: Secret = secret("WHMCS_SECRET")
    whmcs_document_field: str = setting("WHMCS_DOCUMENT_FIELD", "")
    hosting_panel: str = setting("DRESBACH_HOSTING_PANEL", "local")
    whm_url: str = setting("WHM_URL", "")
    whm_user: str = setting("WHM_USER", "root")
    whm_token: Secret = secret("WHM_TOKEN")

    def validate(self) -> None:
        if self.client_directory not in ("local", "whmcs"):
            raise SettingsError("DRESBACH_CLIENT_DIRECTORY must be local or whmcs")
        if self.hosting_panel not in ("local", "whm"):
            raise SettingsError("DRESBACH_HOSTING_PANEL must be local or whm")
        if self.client_directory == "whmcs":
            needs("DRESBACH_CLIENT_DIRECTORY=whmcs", self, WHMCS)
        if self.hosting_panel == "whm" and self.whm_url:  # else only `dresbach servers`' own
            needs("WHM_URL", self, ("whm_token",))
