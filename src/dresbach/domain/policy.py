"""The settings the conversation core needs, as plain data (built by bootstrap from Settings)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True, slots=True, kw_only=True)
class Policy:
    company_name: str = "Dresbach Hosting do Brasil"
    privacy_url: str = "https://dresbach.com.br/privacidade"
    controller: str = "Dresbach Hosting do Brasil LTDA"
    dpo_contact: str = "privacidade@dresbach.com.br"
    inactivity_timeout: timedelta = timedelta(minutes=30)
