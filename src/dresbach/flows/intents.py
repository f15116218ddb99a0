"""Free text matched to what people usually want, in pt-BR, typos tolerated."""

from __future__ import annotations

from dresbach.domain.text import matches_phrase, normalize

ENTRY_OF: dict[str, str] = {
    "techops": "techops.start",
    "client_area": "client_area.start",
    "human": "handoff.start",
    "privacy": "privacy.start",
    "mine": "techops.mine",
}
"""Where each intent leads; `mine` is the customer's own paid diagnosis (its meeting)."""

MINE_MEETING = (
    "reuniao",
    "meu horario",
    "remarcar",
    "reagendar",
    "desmarcar",
    "cancelar a reuniao",
    "cancelar reuniao",
    "meu diagnostico",
    "diagnostico que ja paguei",
    "diagnostico que paguei",
    "diagnostico pago",
    "ja paguei o diagnostico",
    "paguei o diagnostico",
)
MINE_PAID = ("ja paguei", "paguei", "ja fiz o pagamento", "ja fiz o pix", "fiz o pix")
"""A claim of payment alone: after the client area's words ("já paguei a fatura" is theirs)."""

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
    ("mine", MINE_MEETING),
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
    ("mine", MINE_PAID),
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
