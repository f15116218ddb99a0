"""A change to one domain the customer confirms after seeing its before/after: the transfer
(EPP) code, sent only to the account's e-mail and never to the chat; the registrar's transfer
lock on or off; new nameservers, or a DNS record created (typed on one line) or removed
(picked from the list); what is typed is checked by the job, and asked again with the reason.
Each is a job (`PreviewDomainChange`, then `ApplyDomainChange`); at most one question per
message: the before/after is a text, the question comes with its buttons.

    dns → domain_change → (domain_nameservers | domain_record | domain_record_pick)
        → domain_preview ─confirm─▶ domain_changing → home
                                                      └─cancel─▶ dns
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

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
from dresbach.features.client_area.flow.display import clip, joined, text_prompt
from dresbach.features.client_area.flow.domains import records, shown_domain
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

_FORGET = MappingProxyType({s.CHANGE: None, s.PREVIEW: None, s.NAMESERVERS: None, s.RECORD: None})
"""The change's slots, once it is made, refused or dropped."""
CONFIRM = Button(id="ca:dom:confirm", title=BUTTONS["confirm"])
CANCEL = Button(id="ca:dom:cancel", title=BUTTONS["cancel"])
CHANGES: tuple[DomainChange, ...] = (
    "epp",
    "lock",
    "unlock",
    "nameservers",
    "record_add",
    "record_remove",
)
REMOVABLE = ("A", "CNAME", "MX", "TXT")
PICKS = 9
"""Records offered for removal, one list (with *Voltar*, WhatsApp's ten rows)."""
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


_ASKS: Final = {
    "nameservers": ClientArea.DOMAIN_NAMESERVERS,
    "record_add": ClientArea.DOMAIN_RECORD,
    "record_remove": ClientArea.DOMAIN_RECORD_PICK,
}
"""Where what a change needs is asked (and asked again when the job refuses it)."""


def _preview(
    turn: Turn, change: DomainChange, nameservers: tuple[str, ...] = (), record: str = ""
) -> Outcome:
    if change in _ASKS and not nameservers and not record:
        return Outcome(goto=_ASKS[change], slots={s.CHANGE: change})
    domain = shown_domain(turn.slots)
    command = PreviewDomainChange(
        command_id=f"{event_key(turn.event)}:domain:{change}",
        client_id=s.text(turn.slots, s.CLIENT_ID),
        domain_id=domain.get("id", ""),
        change=change,
        nameservers=nameservers,
        record=record,
    )
    slots = {
        s.CHANGE: change,
        s.PREVIEW: None,
        s.NAMESERVERS: list(nameservers) or None,
        s.RECORD: record or None,
    }
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


def record_prompt(conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
    name = clip(shown_domain(conversation.slots).get("name", ""), 100)
    return (Text(body=TEXTS["ask_record"].format(domain=name)),)


def _record_typed(turn: Turn) -> Outcome:
    text = typed(turn) or ""
    if asks_to_pay(text):
        return pay_elsewhere()
    if says(text, "voltar", "cancelar"):
        return Outcome(goto=ClientArea.DNS, slots=_FORGET)
    return _preview(turn, "record_add", record=" ".join(text.split())[:600] or "-")


def _removable(turn_slots: Mapping[str, Any]) -> list[dict[str, str]]:
    found = [r for r in records(turn_slots) if r.get("type", "").upper() in REMOVABLE]
    return found[:PICKS]


def pick_prompt(conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
    name = clip(shown_domain(conversation.slots).get("name", ""), 100)
    rows = [
        ListRow(
            id=f"ca:rec:{n}",
            title=clip(f"{r.get('type', '')} {r.get('name', '')}", 24),
            description=clip(joined(r.get("priority", ""), r.get("value", ""), sep=" "), 72),
        )
        for n, r in enumerate(_removable(conversation.slots))
    ]
    rows.append(ListRow(id="ca:rec:back", title=TEXTS["change_back"]))
    return (
        ListMenu(
            body=TEXTS["pick_record"].format(domain=name),
            button=TEXTS["pick_record_button"],
            sections=(ListSection(title=None, rows=tuple(rows)),),
        ),
    )


def _picked(turn: Turn) -> Outcome:
    choice = choice_of(turn, "ca:rec:")
    if choice == "back":
        return Outcome(goto=ClientArea.DOMAIN_CHANGE, slots=_FORGET)
    shown = _removable(turn.slots)
    if choice is None or not choice.isdigit() or int(choice) >= len(shown):
        return MISSED
    r = shown[int(choice)]
    line = " ".join(
        part for part in (r.get("name"), r.get("type"), r.get("priority"), r.get("value")) if part
    )
    return _preview(turn, "record_remove", record=line)


def _pick_typed(turn: Turn) -> Outcome:
    text = typed(turn) or ""
    if asks_to_pay(text):
        return pay_elsewhere()
    if says(text, "voltar", "cancelar"):
        return Outcome(goto=ClientArea.DOMAIN_CHANGE, slots=_FORGET)
    return MISSED


def _refused(turn: Turn) -> Outcome:
    event = turn.event
    change = s.text(turn.slots, s.CHANGE)
    if not isinstance(event, DomainChangeRefused) or change not in _ASKS:
        return Outcome(prompt=False)
    return Outcome(
        goto=_ASKS[change],
        say=(Text(body=event.text),),
        slots={s.PREVIEW: None, s.NAMESERVERS: None, s.RECORD: None},
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
    if says(text, "criar registro", "novo registro"):
        return _preview(turn, "record_add")
    if says(text, "apagar registro", "remover registro"):
        return _preview(turn, "record_remove")
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
        record=s.text(turn.slots, s.RECORD),
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
_CHANGE_TARGETS = (ClientArea.DNS, ClientArea.DOMAIN_PREVIEW, *_ASKS.values())
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
        name=ClientArea.DOMAIN_RECORD,
        prompt=record_prompt,
        rules={
            "text": Rule(
                handler=_record_typed, goes_to=(ClientArea.DNS, ClientArea.DOMAIN_PREVIEW)
            ),
        },
    ),
    State(
        name=ClientArea.DOMAIN_RECORD_PICK,
        prompt=pick_prompt,
        rules={
            "choice": Rule(
                handler=_picked, goes_to=(ClientArea.DOMAIN_CHANGE, ClientArea.DOMAIN_PREVIEW)
            ),
            "text": Rule(handler=_pick_typed, goes_to=(ClientArea.DOMAIN_CHANGE,)),
        },
    ),
    State(
        name=ClientArea.DOMAIN_PREVIEW,
        prompt=preview_prompt,
        rules={
            "domain_previewed": Rule(handler=_previewed),
            "domain_refused": Rule(handler=_refused, goes_to=tuple(_ASKS.values())),
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
