"""The menu's settings: the name the greeting shows."""

from __future__ import annotations

from dataclasses import dataclass

from dresbach.kernel.settings import Section, setting


@dataclass(frozen=True, kw_only=True)
class MenuSettings(Section):
    company_name: str = setting("DRESBACH_COMPANY_NAME", "Dresbach Hosting do Brasil")
