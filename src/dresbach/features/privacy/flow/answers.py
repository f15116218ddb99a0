"""What the customer typed or tapped in the `privacidade` flow, understood."""

from __future__ import annotations

from dresbach.kernel.events import ButtonChosen, Event, ListRowChosen, TextReceived
from dresbach.kernel.text import matches_any_phrase, normalize, yes_or_no

OPTION_PREFIX = "privacy:"

_OPTION_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("client_area", ("area do cliente", "cliente", "faturas", "servicos")),
    ("export", ("baixar", "copia", "exportar", "ver meus dados", "quais dados", "portabilidade")),
    ("correct", ("corrigir", "correcao", "alterar", "atualizar", "mudar")),
    ("erase", ("excluir", "apagar", "deletar", "remover", "esquecer", "exclusao")),
)
_FIELD_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("email", ("email", "e mail", "endereco de email")),
    ("name", ("nome", "meu nome")),
    ("other", ("outro", "outro dado", "outra coisa", "telefone", "cpf", "cnpj", "endereco")),
)
_YES = ("sim", "confirmo", "pode excluir", "pode apagar", "excluir", "apagar", "s", "ok")
_NO = ("nao", "manter", "nao excluir", "cancelar exclusao", "n", "deixa")


def _tapped(event: Event) -> str | None:
    if isinstance(event, ButtonChosen | ListRowChosen) and event.choice_id.startswith(
        OPTION_PREFIX
    ):
        return event.choice_id.removeprefix(OPTION_PREFIX)
    return None


def _typed(event: Event, table: tuple[tuple[str, tuple[str, ...]], ...]) -> str | None:
    if not isinstance(event, TextReceived):
        return None
    text = normalize(event.body)
    for option, phrases in table:
        if matches_any_phrase(text, phrases):
            return option
    return None


def option_of(event: Event) -> str | None:
    """`export`, `correct`, `erase` or `client_area`: tapped, or said in words."""
    return _tapped(event) or _typed(event, _OPTION_WORDS)


def field_of(event: Event) -> str | None:
    """`name`, `email` or `other`."""
    return _tapped(event) or _typed(event, _FIELD_WORDS)


def confirmation_of(event: Event) -> bool | None:
    """True to erase, False to keep, None when the answer is neither."""
    tapped = _tapped(event)
    if tapped in ("erase_yes", "erase_no"):
        return tapped == "erase_yes"
    if not isinstance(event, TextReceived):
        return None
    return yes_or_no(normalize(event.body), _YES, _NO)
