"""pt-BR texts of the hand-off flow."""

from __future__ import annotations

TEXTS: dict[str, str] = {
    "unavailable": (
        "O atendimento com uma pessoa por esta conversa ainda não está disponível. "
        "Enquanto isso, posso ajudar por aqui mesmo: é só tocar em *Menu principal*."
    ),
}
