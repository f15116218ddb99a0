"""The labels (reason codes) an operator closes a hand-off with, in pt-BR: what the
conversation was about, for the reports. Edit the wording here; a code, once used, stays."""

from __future__ import annotations

LABELS: dict[str, str] = {
    "billing": "Financeiro e cobrança",
    "technical": "Suporte técnico",
    "dns_domain": "DNS e domínio",
    "email": "E-mail",
    "sales": "Comercial",
    "consulting": "Consultoria Tech Ops",
    "cancellation": "Cancelamento",
    "privacy": "Privacidade e dados",
    "other": "Outro assunto",
}

UNKNOWN_LABEL = "Escolha o motivo do atendimento antes de encerrar."
