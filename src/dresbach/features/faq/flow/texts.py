"""pt-BR texts of the FAQ's flow (the answers themselves are the files in `answers/`). Edit
wording here only.

House rules, checked by `dresbach flows lint` and the tests: at most one question per message,
button titles up to 20 characters. "Isso resolveu?" is the one question after an answer.
"""

from __future__ import annotations

TEXTS: dict[str, str] = {
    "asked": "Isso resolveu?",
    "not_understood": "Toque em *Sim* ou *Não*.",  # after the router's "não entendi"
    "resolved": "Que bom! Se precisar de mais alguma coisa, é só escolher abaixo.",
    "next_login": (
        "Vamos ver isso na sua Área do Cliente, com os dados da sua conta. Primeiro, preciso "
        "confirmar a sua identidade."
    ),
    "next_ticket": (
        "Vamos abrir um chamado para a nossa equipe técnica ver o seu caso. Primeiro, entre na "
        "Área do Cliente; depois do login, escolha *Chamados* e *Abrir novo chamado*."
    ),
    "next_person": "Certo, vou chamar uma pessoa da nossa equipe para continuar com você.",
}

BUTTONS: dict[str, str] = {
    "yes": "Sim",
    "no": "Não",
}

CATALOG: dict[str, str] = {
    **TEXTS,
    **{f"button.{k}": v for k, v in BUTTONS.items()},
}
"""Every text of the flow under one name, for the catalog lint."""
