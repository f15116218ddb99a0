"""A change to one domain the customer confirms after seeing its before/after: the transfer
(EPP) code, sent only to the account's e-mail and never to the chat; the registrar's transfer
lock on or off; or new nameservers (typed, checked by the job, asked again with the reason).
Each is a job (`PreviewDomainChange`, then `ApplyDomainChange`); at most one question per
message: the before/after is a text, the question comes with its buttons.

    dns → domain_change → (domain_nameservers) → domain_preview ─confirm─▶ domain_changing → home
                                                      └─cancel─▶ dns
"""

from __future__ import annotations

import re
from types import MappingProxyType
from typing import Final

from dresbach.features.client_area.flow import loading
from dresbach.features.client_area.flow import slots as s
from dresbach.features.client_area.flow.answers import (
    MISSED,
    asks_to_pay,
    note,
    pay_elsewhere,
    says,
    tapped,
    typed,
)
from dresbach.features.client_area.flow.display import clip, text_prompt
from dresbach.features.client_area.flow.domains import shown_domain
from dresbach.features.client_area.flow.labels import BUTTONS
from dresbach.features.client_area.flow.texts import TEXTS
from dresbach.features.client_area.model import (
    ApplyDomainChange,
    ClientDataUnavailable,
    DomainChange,
    DomainChanged,
    DomainChangePreviewed,
    DomainChangeRefused,
    PreviewDomainChange,
)
from dresbach.features.client_area.states import ClientArea
from dresbach.kernel.conversation import Conversation
from dresbach.kernel.flow_kit import choice_of, event_key
from dresbach.kernel.machine.machine import Outcome, Rule, State, Turn
from dresbach.kernel.messages import Button, Buttons, ListMenu, ListRow, ListSection, Message, Text
from dresbach.kernel.policy import Policy

_FORGET = MappingProxyType({s.CHANGE: None, s.PREVIEW: None, s.NAMESERVERS: None})
"""The change's slots, once it is made, refused or dropped."""
CONFIRM = Button(id="ca:dom:confirm", title=BUTTONS["confirm"])
CANCEL = Button(id="ca:dom:cancel", title=BUTTONS["cancel"])
CHANGES: tuple[DomainChange, ...] = ("epp", "lock", "unlock", "nameservers")
_SEPARATORS: Final = re.compile(r"[\s,;]+")


def change_prompt(conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
    name = clip(shown_domain(conversation.slots).get("name", ""), 100)
    rows = tuple(
        ListRow(
            id=f"ca:dom:{key}",
            title=TEXTS[f"change_{key}"],
            description=TEXTS[f"change_{key}.note"],
        )
        for key in (*CHANGES, "back")
    )
    return (
        ListMenu(
            body=TEXTS["domain_change"].format(domain=name),
            button=TEXTS["domain_change_button"],
            sections=(ListSection(title=None, rows=rows),),
        ),
    )


def _preview(turn: Turn, change: DomainChange, nameservers: tuple[str, ...] = ()) -> Outcome:
    if change == "nameservers" and not nameservers:
        return Outcome(goto=ClientArea.DOMAIN_NAMESERVERS, slots={s.CHANGE: change})
    domain = shown_domain(turn.slots)
    command = PreviewDomainChange(
        command_id=f"{event_key(turn.event)}:domain:{change}",
        client_id=s.text(turn.slots, s.CLIENT_ID),
        domain_id=domain.get("id", ""),
        change=change,
        nameservers=nameservers,
    )
    slots = {s.CHANGE: change, s.PREVIEW: None, s.NAMESERVERS: list(nameservers) or None}
    return Outcome(goto=ClientArea.DOMAIN_PREVIEW, slots=slots, commands=(command,))


def nameservers_prompt(conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
    name = clip(shown_domain(conversation.slots).get("name", ""), 100)
    return (Text(body=TEXTS["ask_nameservers"].format(domain=name)),)


def _nameservers_typed(turn: Turn) -> Outcome:
    text = typed(turn) or ""
    if asks_to_pay(text):
        return pay_elsewhere()
    if says(text, "voltar", "cancelar"):
        return Outcome(goto=ClientArea.DNS, slots={s.CHANGE: None})
    typed_names = tuple(part for part in _SEPARATORS.split(text.strip()) if part)[:8]
    return _preview(turn, "nameservers", typed_names or ("",))


def _refused(turn: Turn) -> Outcome:
    event = turn.event
    if not isinstance(event, DomainChangeRefused) or s.text(turn.slots, s.CHANGE) != "nameservers":
        return Outcome(prompt=False)
    return Outcome(
        goto=ClientArea.DOMAIN_NAMESERVERS,
        say=(Text(body=event.text),),
        slots={s.PREVIEW: None, s.NAMESERVERS: None},
    )


def _change_tapped(turn: Turn) -> Outcome:
    choice = choice_of(turn, "ca:dom:")
    if choice == "back":
        return Outcome(goto=ClientArea.DNS)
    for change in CHANGES:
        if choice == change:
            return _preview(turn, change)
    return MISSED


def _change_typed(turn: Turn) -> Outcome:
    text = typed(turn) or ""
    if asks_to_pay(text):
        return pay_elsewhere()
    if says(text, "epp", "codigo", "transferir", "transferencia"):
        return _preview(turn, "epp")
    if says(text, "servidores dns", "nameservers", "apontar"):
        return _preview(turn, "nameservers")
    if says(text, "desbloquear", "desativar"):
        return _preview(turn, "unlock")
    if says(text, "bloquear", "ativar"):
        return _preview(turn, "lock")
    if says(text, "voltar"):
        return Outcome(goto=ClientArea.DNS)
    return MISSED


def preview_prompt(conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
    preview = s.text(conversation.slots, s.PREVIEW)
    if not preview:
        return (Text(body=TEXTS["previewing_change"]),)
    confirm = Buttons(body=TEXTS["confirm_change"], buttons=(CONFIRM, CANCEL))
    return (Text(body=preview), confirm)


def _previewed(turn: Turn) -> Outcome:
    event = turn.event
    if not isinstance(event, DomainChangePreviewed) or not s.text(turn.slots, s.CHANGE):
        return Outcome(prompt=False)
    return Outcome(slots={s.PREVIEW: event.text})


def _decided(turn: Turn, confirmed: bool) -> Outcome:
    if not confirmed:
        cancelled = (Text(body=TEXTS["change_cancelled"]),)
        return Outcome(
            goto=ClientArea.DNS,
            say=cancelled,
            slots=_FORGET,
        )
    change = next((c for c in CHANGES if c == s.text(turn.slots, s.CHANGE)), None)
    if change is None:
        return Outcome(goto=ClientArea.DNS, slots=_FORGET)
    command = ApplyDomainChange(
        command_id=f"{event_key(turn.event)}:domain:apply",
        client_id=s.text(turn.slots, s.CLIENT_ID),
        domain_id=shown_domain(turn.slots).get("id", ""),
        change=change,
        nameservers=tuple(str(n) for n in turn.slots.get(s.NAMESERVERS) or ()),
    )
    return Outcome(goto=ClientArea.DOMAIN_CHANGING, slots={s.PREVIEW: None}, commands=(command,))


def _preview_tapped(turn: Turn) -> Outcome:
    if not s.text(turn.slots, s.PREVIEW):
        return loading.while_loading(turn)
    choice = tapped(turn)
    if choice in (CONFIRM.id, CANCEL.id):
        return _decided(turn, choice == CONFIRM.id)
    return MISSED


def _preview_typed(turn: Turn) -> Outcome:
    text = typed(turn) or ""
    if not s.text(turn.slots, s.PREVIEW):
        return loading.while_loading(turn)
    if says(text, "nao", "cancelar", "cancela"):
        return _decided(turn, False)
    if says(text, "sim", "confirmo", "confirmar", "pode"):
        return _decided(turn, True)
    return MISSED


def _changed(turn: Turn) -> Outcome:
    event = turn.event
    if not isinstance(event, DomainChanged) or not s.text(turn.slots, s.CHANGE):
        return Outcome(prompt=False)
    return Outcome(
        goto=ClientArea.HOME,
        say=(Text(body=event.text),),
        slots=_FORGET,
        reset_trail=True,
    )


def _change_failed(turn: Turn) -> Outcome:
    event = turn.event
    if not isinstance(event, ClientDataUnavailable) or event.what != "domain":
        return Outcome(prompt=False)
    if not s.text(turn.slots, s.CHANGE):
        return Outcome(prompt=False)
    return Outcome(
        goto=ClientArea.HOME,
        say=(Text(body=TEXTS["change_unavailable"]),),
        slots=_FORGET,
        reset_trail=True,
    )


def _changing(turn: Turn) -> Outcome:
    text = typed(turn)
    if text is not None and asks_to_pay(text):
        return pay_elsewhere()
    return note(TEXTS["still_loading"])


_WAITING = Rule(handler=_changing)
_CHANGE_TARGETS = (ClientArea.DNS, ClientArea.DOMAIN_PREVIEW, ClientArea.DOMAIN_NAMESERVERS)
_PREVIEW_TARGETS = (ClientArea.DNS, ClientArea.DOMAIN_CHANGING)
_FAILED = Rule(handler=_change_failed, goes_to=(ClientArea.HOME,))

STATES: tuple[State, ...] = (
    State(
        name=ClientArea.DOMAIN_CHANGE,
        prompt=change_prompt,
        rules={
            "choice": Rule(handler=_change_tapped, goes_to=_CHANGE_TARGETS),
            "text": Rule(handler=_change_typed, goes_to=_CHANGE_TARGETS),
        },
    ),
    State(
        name=ClientArea.DOMAIN_NAMESERVERS,
        prompt=nameservers_prompt,
        rules={
            "text": Rule(
                handler=_nameservers_typed, goes_to=(ClientArea.DNS, ClientArea.DOMAIN_PREVIEW)
            ),
        },
    ),
    State(
        name=ClientArea.DOMAIN_PREVIEW,
        prompt=preview_prompt,
        rules={
            "domain_previewed": Rule(handler=_previewed),
            "domain_refused": Rule(handler=_refused, goes_to=(ClientArea.DOMAIN_NAMESERVERS,)),
            "client_data_unavailable": _FAILED,
            "choice": Rule(handler=_preview_tapped, goes_to=_PREVIEW_TARGETS),
            "text": Rule(handler=_preview_typed, goes_to=_PREVIEW_TARGETS),
        },
    ),
    State(
        name=ClientArea.DOMAIN_CHANGING,
        prompt=text_prompt("changing_domain"),
        rules={
            "domain_changed": Rule(handler=_changed, goes_to=(ClientArea.HOME,)),
            "client_data_unavailable": _FAILED,
            "text": _WAITING,
            "choice": _WAITING,
        },
        resting=True,
    ),
)
