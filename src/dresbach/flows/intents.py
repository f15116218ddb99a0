"""Free text matched to what people usually want, in pt-BR, typos tolerated."""

from __future__ import annotations

from dresbach.domain.text import matches_phrase, normalize

ENTRY_OF: dict[str, str] = {
    "techops": "techops.start",
    "client_area": "client_area.start",
    "human": "handoff.start",
    "privacy": "privacy.start",
}

PHRASES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "privacy",
        (
            "privacidade",
            "meus dados",
            "dados pessoais",
            "excluir meus dados",
            "apagar meus dados",
        ),
    ),
    (
        "human",
        (
            "falar com alguem",
            "falar com uma pessoa",
            "falar com atendente",
            "falar com humano",
            "atendente",
            "atendimento humano",
            "humano",
            "pessoa de verdade",
        ),
    ),
    (
        "techops",
        (
            "consultoria",
            "tech ops",
            "techops",
            "diagnostico",
            "seguranca da informacao",
            "arquitetura de sistemas",
            "lgpd",
            "governanca",
        ),
    ),
    (
        "client_area",
        (
            "segunda via",
            "area do cliente",
            "fatura",
            "boleto",
            "cpanel",
            "webmail",
            "whm",
            "dominio",
            "dns",
            "ticket",
            "chamado",
            "suporte",
            "meu site caiu",
            "site caiu",
            "site fora do ar",
            "site esta fora",
            "hospedagem",
        ),
    ),
)


def find_intent(text: str) -> str | None:
    """The intent of a free-text message, or None. `text` may be raw or normalized."""
    typed = normalize(text)
    if not typed:
        return None
    for intent, phrases in PHRASES:
        if any(matches_phrase(typed, phrase) for phrase in phrases):
            return intent
    return None
