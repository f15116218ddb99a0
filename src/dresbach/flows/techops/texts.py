"""pt-BR texts of the Tech Ops flow."""

from __future__ import annotations

TEXTS: dict[str, str] = {
    "unavailable": (
        "A Consultoria Tech Ops (diagnóstico técnico, segurança da informação, arquitetura de "
        "sistemas, LGPD e governança digital) ainda não está disponível por esta conversa. "
        "Em breve você poderá contratar o seu diagnóstico por aqui. Quer voltar ao menu ou "
        "falar com um atendente?"
    ),
}
