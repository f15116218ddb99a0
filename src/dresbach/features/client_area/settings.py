"""The Área do Cliente's settings: where clients live (WHMCS) and the hosting panel (WHM)."""

from __future__ import annotations

from dataclasses import dataclass

from dresbach.kernel.settings import Secret, Section, SettingsError, secret, setting


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
        whmcs = (
            self.whmcs_url,
            self.whmcs_identifier,
            self.whmcs_secret,
            self.whmcs_document_field,
        )
        if self.client_directory == "whmcs" and not all(whmcs):
            raise SettingsError(
                "DRESBACH_CLIENT_DIRECTORY=whmcs needs WHMCS_URL, WHMCS_IDENTIFIER, WHMCS_SECRET "
                "and WHMCS_DOCUMENT_FIELD"
            )
        if self.hosting_panel == "whm" and not (self.whm_url and self.whm_token):
            raise SettingsError("DRESBACH_HOSTING_PANEL=whm needs WHM_URL and WHM_TOKEN")
