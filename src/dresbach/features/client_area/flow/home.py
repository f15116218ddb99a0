"""The area's menu after the login: what the customer can see, and the way out.

Each choice asks the systems for its data (`loading.fetch`) and goes to the list that shows it.
"Falar com atendente" is the router's global command (its row id is `go:human`); "Sair da área"
ends the session with an `EndSession` for the audit log.
"""

from __future__ import annotations

from collections.abc import Callable

from dresbach.features.client_area.flow import loading
from dresbach.features.client_area.flow.answers import MISSED, asks_to_pay, pay_elsewhere, says
from dresbach.features.client_area.flow.answers import typed as typed_text
from dresbach.features.client_area.flow.labels import ROWS
from dresbach.features.client_area.flow.texts import TEXTS
from dresbach.features.client_area.login import session
from dresbach.features.client_area.states import ClientArea, Elsewhere
from dresbach.kernel.conversation import Conversation
from dresbach.kernel.flow_kit import choice_of
from dresbach.kernel.machine.machine import Outcome, Rule, State, Turn
from dresbach.kernel.messages import ListMenu, ListRow, ListSection, Message
from dresbach.kernel.policy import Policy

OPTIONS = ("services", "access", "domains", "tickets", "invoices", "site_down")
"""The home rows that open something (each with its list state)."""

WORDS: dict[str, tuple[str, ...]] = {
    "services": ("servicos", "servico", "planos", "plano", "hospedagem", "produtos"),
    "access": ("acessos", "acesso", "cpanel", "webmail", "whm", "painel", "login do painel"),
    "domains": ("dominios", "dominio", "dns", "nameservers", "registro dns"),
    "tickets": ("tickets", "ticket", "chamados", "chamado", "suporte"),
    "invoices": ("faturas", "fatura", "segunda via", "nota fiscal", "cobrancas"),
    "site_down": (),  # typed, "meu site caiu" is the understanding tier's (an outage first)
    "logout": ("sair da area", "logout", "deslogar", "encerrar sessao", "sair da conta"),
}


def home_prompt(_conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
    rows = (
        *(
            ListRow(id=f"ca:home:{key}", title=ROWS[key], description=ROWS[f"{key}.note"])
            for key in OPTIONS
        ),
        ListRow(id="go:human", title=ROWS["human"], description=ROWS["human.note"]),
        ListRow(id="ca:home:logout", title=ROWS["logout"], description=ROWS["logout.note"]),
    )
    return (
        ListMenu(
            body=TEXTS["home"],
            button=TEXTS["home_button"],
            footer=TEXTS["home_footer"],
            sections=(ListSection(title=None, rows=rows),),
        ),
    )


OPENERS: dict[str, Callable[[Turn], Outcome]] = {
    "services": lambda turn: loading.fetch(turn, "services", ClientArea.SERVICES),
    "access": lambda turn: loading.fetch(turn, "services", ClientArea.ACCESS_SERVICE),
    "domains": lambda turn: loading.fetch(turn, "domains", ClientArea.DOMAINS),
    "tickets": lambda turn: loading.fetch(turn, "tickets", ClientArea.TICKETS),
    "invoices": lambda turn: loading.fetch(turn, "invoices", ClientArea.INVOICES),
    "site_down": lambda _turn: Outcome(goto=Elsewhere.SITE_DOWN, reset_trail=True),
    "logout": session.logout,
}


def _open(turn: Turn, option: str | None) -> Outcome:
    opener = OPENERS.get(option or "")
    return opener(turn) if opener else MISSED


def _tapped(turn: Turn) -> Outcome:
    return _open(turn, choice_of(turn, "ca:home:"))


def _typed(turn: Turn) -> Outcome:
    text = typed_text(turn) or ""
    if asks_to_pay(text):  # before "fatura": "pagar a fatura" is a request to pay
        return pay_elsewhere()
    found = [key for key, phrases in WORDS.items() if says(text, *phrases)]
    return _open(turn, found[0] if len(found) == 1 else None)


def to_home(_turn: Turn) -> Outcome:
    """The "Menu da área" button, from anywhere in the area (the history starts again there)."""
    return Outcome(goto=ClientArea.HOME, reset_trail=True)


TARGETS = (
    ClientArea.SERVICES,
    ClientArea.ACCESS_SERVICE,
    ClientArea.DOMAINS,
    ClientArea.TICKETS,
    ClientArea.INVOICES,
    Elsewhere.SITE_DOWN,
    Elsewhere.MENU_MAIN,
)

STATE = State(
    name=ClientArea.HOME,
    prompt=home_prompt,
    rules={
        "choice": Rule(handler=_tapped, goes_to=TARGETS),
        "text": Rule(handler=_typed, goes_to=TARGETS),
    },
)
