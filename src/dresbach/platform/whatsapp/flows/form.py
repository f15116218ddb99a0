"""A WhatsApp Flow completed as questions in a chat, for the sandbox (`dresbach chat`, the
simulator), where no WhatsApp app renders the form.

Each screen the endpoint answers is read from the Flow's own JSON (its texts, its inputs: a
TextInput, a TextArea, a Dropdown or radio buttons) and asked one field per message, in pt-BR;
when the last field is answered, the screen's Footer payload (`${form.…}`, `${data.…}`) is
submitted to the real endpoint through `FlowsClient` (encrypted and signed as WhatsApp does).
The endpoint's next screen is asked the same way (its `error_message` shown first); its
`SUCCESS` ends the walk with the params WhatsApp would put in the completion (`nfm_reply`),
which the caller then delivers to the chat. What is typed is kept only until the screen is sent.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from dresbach.platform.whatsapp.flows.client import Answer, FlowsClient

INPUTS: Final = frozenset({"TextInput", "TextArea", "Dropdown", "RadioButtonsGroup"})
CHOICES: Final = frozenset({"Dropdown", "RadioButtonsGroup"})
TEXTS: Final = {
    "opened": "📋 Formulário do WhatsApp: *{title}*",
    "leave": "(Para sair do formulário sem enviar, digite *cancelar*.)",
    "hidden": "no WhatsApp este campo fica oculto",
    "required": "Este campo é obrigatório.",
    "pick": "Responda com o número de uma das opções.",
    "left": "Formulário fechado sem enviar.",
    "failed": "O formulário não respondeu agora (erro {status}). Tente de novo pela conversa.",
    "closed": "Formulário concluído e enviado.",
}
LEAVE_WORDS: Final = frozenset({"cancelar", "sair"})


@dataclass(frozen=True, slots=True)
class Field:
    """One input of a screen, as the chat asks it."""

    name: str
    label: str
    kind: str
    helper: str = ""
    secret: bool = False
    required: bool = True
    options: tuple[tuple[str, str], ...] = ()
    """(id, title) of a Dropdown or radio buttons."""


def _components(children: Any) -> Iterator[dict[str, Any]]:
    for child in children if isinstance(children, list) else ():
        if isinstance(child, dict):
            yield child
            yield from _components(child.get("children"))


def _resolved(value: Any, data: Mapping[str, Any], form: Mapping[str, str]) -> Any:
    """`${data.x}` and `${form.x}` as the WhatsApp client fills them."""
    if isinstance(value, str) and value.startswith("${") and value.endswith("}"):
        where, _, name = value[2:-1].partition(".")
        source: Mapping[str, Any] = data if where == "data" else form if where == "form" else {}
        return source.get(name, "")
    return value


def _options(component: dict[str, Any], data: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    found = _resolved(component.get("data-source"), data, {})
    return tuple(
        (str(o.get("id", "")), str(o.get("title", "")))
        for o in (found if isinstance(found, list) else [])
        if isinstance(o, dict)
    )


def fields_of(screen: Mapping[str, Any], data: Mapping[str, Any]) -> list[Field]:
    """The inputs of `screen` (a screen of the Flow JSON) with the endpoint's `data`."""
    fields: list[Field] = []
    for c in _components(screen.get("layout", {}).get("children")):
        kind = c.get("type")
        if kind not in INPUTS or not c.get("name"):
            continue
        fields.append(
            Field(
                name=str(c["name"]),
                label=str(_resolved(c.get("label", c["name"]), data, {})),
                kind=str(kind),
                helper=str(c.get("helper-text") or ""),
                secret=c.get("input-type") == "password",
                required=bool(c.get("required", False)),
                options=_options(c, data) if kind in CHOICES else (),
            )
        )
    return fields


def payload_of(
    screen: Mapping[str, Any], data: Mapping[str, Any], form: Mapping[str, str]
) -> dict[str, Any]:
    """What the screen's Footer sends (`on-click-action.payload`), filled in."""
    for c in _components(screen.get("layout", {}).get("children")):
        if c.get("type") == "Footer":
            payload = c.get("on-click-action", {}).get("payload", {})
            return {k: _resolved(v, data, form) for k, v in payload.items()}
    return dict(form)


def question(f: Field) -> str:
    """One field as a chat message."""
    notes = [n for n in (f.helper, TEXTS["hidden"] if f.secret else "") if n]
    text = f"*{f.label}*" + (f" ({'; '.join(notes)})" if notes else "")
    lines = [text] + [f"  {n}. {title}" for n, (_id, title) in enumerate(f.options, 1)]
    return "\n".join(lines)


@dataclass
class FlowWalk:
    """One Flow being completed in a chat: `start`, then `answer` each line typed, until
    `done` (then `params` holds the completion's params, or None when it did not finish)."""

    client: FlowsClient
    flow_json: Mapping[str, Any]
    flow_token: str = field(repr=False)
    screen_id: str = ""
    data: dict[str, Any] = field(default_factory=dict, repr=False)
    fields: list[Field] = field(default_factory=list)
    form: dict[str, str] = field(default_factory=dict, repr=False)
    done: bool = False
    params: dict[str, Any] | None = field(default=None, repr=False)

    def _screen(self) -> Mapping[str, Any]:
        screens = self.flow_json.get("screens", [])
        return next((s for s in screens if s.get("id") == self.screen_id), {})

    async def start(self) -> list[str]:
        """The Flow opens (`INIT`): its first screen's first question."""
        return self._shown(await self.client.open_flow(self.flow_token), first=True)

    async def answer(self, typed: str) -> list[str]:
        if typed.strip().lower() in LEAVE_WORDS:
            self.done = True
            return [TEXTS["left"]]
        f = self.fields[len(self.form)]
        value = typed.strip() if not f.secret else typed.rstrip("\r\n")
        if f.options:
            titles = {title.lower(): id_ for id_, title in f.options}
            number = int(value) if value.isdigit() else 0
            picked = f.options[number - 1][0] if 0 < number <= len(f.options) else None
            value = picked or titles.get(value.lower(), "")
            if not value:
                return [TEXTS["pick"], question(f)]
        elif f.required and not value:
            return [TEXTS["required"], question(f)]
        self.form[f.name] = value
        if len(self.form) < len(self.fields):
            return [question(self.fields[len(self.form)])]
        payload = payload_of(self._screen(), self.data, self.form)
        self.form = {}
        return self._shown(await self.client.submit(self.flow_token, self.screen_id, payload))

    def _shown(self, answer: Answer, *, first: bool = False) -> list[str]:
        payload = answer.payload or {}
        if answer.status != 200:
            self.done = True
            message = payload.get("error_msg") if isinstance(payload, dict) else None
            return [str(message or TEXTS["failed"].format(status=answer.status))]
        found = payload.get("data")
        data: dict[str, Any] = found if isinstance(found, dict) else {}
        if payload.get("screen") == "SUCCESS":
            self.done = True
            response = data.get("extension_message_response", {})
            self.params = dict(response.get("params", {}))
            return [TEXTS["closed"]]
        self.screen_id, self.data = str(payload.get("screen", "")), dict(data)
        self.fields = fields_of(self._screen(), self.data)
        shown = []
        if first:
            title = self._screen().get("title") or self.screen_id
            shown.append(TEXTS["opened"].format(title=title) + "\n" + TEXTS["leave"])
        if self.data.get("error_message"):
            shown.append(f"⚠️ {self.data['error_message']}")
        if not self.fields:  # a screen with nothing to fill: nothing the chat can do
            self.done = True
            return [*shown, TEXTS["left"]]
        return [*shown, question(self.fields[0])]

    def response_json(self) -> str:
        """The completion's `response_json`, as WhatsApp sends it in the `nfm_reply`."""
        return json.dumps(self.params or {})


class SandboxFlows:
    """The Flows sandbox users complete in a chat (`dresbach chat`, the simulator), by user: the
    last Flow message each was sent, and the Flow each is walking. Without a client (no Flows
    key) nothing is offered."""

    def __init__(self, client: FlowsClient | None, flows: Mapping[str, Mapping[str, Any]]) -> None:
        self.client, self.flows = client, dict(flows)
        self.walks: dict[str, FlowWalk] = {}

    def can_open(self, flow_id: str) -> bool:
        return self.client is not None and flow_id in self.flows

    def walking(self, user: str) -> bool:
        return user in self.walks

    async def open(self, user: str, flow_id: str, flow_token: str) -> list[str]:
        """The user opens a Flow they were sent: its first question."""
        if self.client is None or flow_id not in self.flows:
            return [TEXTS["left"]]
        walk = FlowWalk(self.client, self.flows[flow_id], flow_token)
        self.walks[user] = walk
        shown = await walk.start()
        if walk.done:
            del self.walks[user]
        return shown

    async def answer(self, user: str, typed: str) -> tuple[list[str], str | None]:
        """A line typed while walking: what to show, and the completion's `response_json` once
        the Flow closed (to deliver as WhatsApp's `nfm_reply`)."""
        walk = self.walks[user]
        shown = await walk.answer(typed)
        if not walk.done:
            return shown, None
        del self.walks[user]
        return shown, walk.response_json() if walk.params is not None else None


def offered(body: Mapping[str, Any]) -> tuple[str, str] | None:
    """The Flow a message (a Graph API request body) offers: its id and its token."""
    interactive = body.get("interactive") if body.get("type") == "interactive" else None
    if not isinstance(interactive, dict) or interactive.get("type") != "flow":
        return None
    parameters = interactive.get("action", {}).get("parameters", {})
    return str(parameters.get("flow_id", "")), str(parameters.get("flow_token", ""))
