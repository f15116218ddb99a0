"""pt-BR texts of the Área do Cliente flow."""

from __future__ import annotations

TEXTS: dict[str, str] = {
    "unavailable": (
        "A Área do Cliente (serviços, acessos ao cPanel e Webmail, domínios, tickets e faturas) "
        "ainda não está disponível por esta conversa. Quer voltar ao menu ou falar com um "
        "atendente?"
    ),
}
