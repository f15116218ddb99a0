"""The login: CPF/CNPJ, password, then a second factor that does not travel through this chat.

    start → password → checking ─login_checked─▶ totp | email_code → checking_code ─▶ home
                                └▶ start (failed, unavailable) | menu.main (locked, no 2FA)
    start ─flow_reply─▶ finishing_login ─flow_login_finished─▶ home | start | menu.main

- With a login Flow published and its key loaded (`Policy.login_flow_id`), `start` sends the
  Flow (WhatsApp's own form: the document, the password and the code never reach this chat)
  and a "Digitar aqui" button for the chat login below. Typing a document there is the chat
  login too. The Flow's completion (`flow_reply`) hands its token to `FinishFlowLogin`, which
  logs in only what the Flow verified (`features/client_area/login_form.py`).

- The document is read by `login_sentences` (which also answers sentences typed instead, and
  never repeats a refused document) and kept only sealed (`secret.document`) until the password
  is sent; then both leave in one `CheckLogin` and the slot is emptied. Only a masked echo stays.
- "esqueci minha senha" at the password prompt is answered, not checked: it counts for nothing.
- A wrong password and an unknown document get the same answer.
- The second factor is the authenticator app (TOTP) or a code sent by e-mail; never a code sent
  to this same WhatsApp chat, which would prove nothing the chat does not already prove.
- What the customer types at `start`, `password`, `totp` and `email_code` is a secret, and so
  may be what is typed while it is checked (the same password or code sent twice): these states
  are `sensitive`, so the inbox keeps no copy of it.
"""

from __future__ import annotations

import json

from dresbach.features.client_area.flow import slots as s
from dresbach.features.client_area.flow.answers import (
    code_of,
    note,
    reask,
    tapped,
    typed,
    unclear,
)
from dresbach.features.client_area.flow.display import clip, first_name, shown, text_prompt
from dresbach.features.client_area.flow.labels import BUTTONS
from dresbach.features.client_area.flow.texts import SITE, TEXTS
from dresbach.features.client_area.login import session, starters
from dresbach.features.client_area.login.resume import RESUMED_AT, resumed
from dresbach.features.client_area.login.sentences import (
    HUMAN,
    MENU,
    document_typed,
    forgot_password,
)
from dresbach.features.client_area.model import (
    CheckLogin,
    CheckSecondFactor,
    FinishFlowLogin,
    FlowLoginFinished,
    LoginChecked,
    ResendEmailCode,
    SecondFactor,
    SecondFactorChecked,
)
from dresbach.features.client_area.states import ClientArea, Elsewhere
from dresbach.kernel.conversation import Conversation
from dresbach.kernel.events import ButtonChosen, FlowCompleted, ListRowChosen
from dresbach.kernel.flow_kit import event_key
from dresbach.kernel.machine.machine import Outcome, Rule, State, Turn
from dresbach.kernel.messages import Button, Buttons, FlowInvite, Message, Text
from dresbach.kernel.policy import Policy

MAX_FLOW_TOKEN = 200

RESEND = Button(id="ca:resend", title=BUTTONS["resend"])
TYPE_HERE = Button(id="ca:type_here", title=BUTTONS["type_here"])
MAX_RESENDS = 3

# -- prompts --------------------------------------------------------------------------------


def start_prompt(conversation: Conversation, policy: Policy) -> tuple[Message, ...]:
    if policy.login_flow_id and not conversation.slots.get(s.CHAT_LOGIN):
        invite = FlowInvite(
            body=TEXTS["flow_start"],
            cta=BUTTONS["open_login"],
            flow_id=policy.login_flow_id,
            purpose="login",
        )
        return (invite, Buttons(body=TEXTS["flow_or_chat"], buttons=(TYPE_HERE, HUMAN, MENU)))
    return (Buttons(body=TEXTS["start"], buttons=(HUMAN, MENU)),)


# -- the login Flow ---------------------------------------------------------------------------


def _start_tapped(turn: Turn) -> Outcome:
    """ "Digitar aqui": the chat login, as without a Flow."""
    if tapped(turn) == TYPE_HERE.id:
        return Outcome(goto=ClientArea.START, slots={s.CHAT_LOGIN: True})
    return unclear(TEXTS["not_a_document"])


def flow_token_of(response_json: str) -> str | None:
    """The flow token in a Flow's completion (`nfm_reply.response_json`), if there is one."""
    try:
        response = json.loads(response_json)
    except ValueError:
        return None
    token = response.get("flow_token") if isinstance(response, dict) else None
    return token if isinstance(token, str) and 0 < len(token) <= MAX_FLOW_TOKEN else None


def _flow_replied(turn: Turn) -> Outcome:
    """The login Flow was completed: only its token counts (what the Flow verified is looked
    up by it); the rest of the reply is not read."""
    event = turn.event
    assert isinstance(event, FlowCompleted)
    token = flow_token_of(event.response_json)
    if token is None:
        return unclear(TEXTS["not_a_document"])
    command = FinishFlowLogin(command_id=f"{event_key(event)}:flow", flow_token=token)
    return Outcome(goto=ClientArea.FINISHING_LOGIN, commands=(command,))


def _flow_finished(turn: Turn) -> Outcome:
    event = turn.event
    assert isinstance(event, FlowLoginFinished)
    if event.result == "ok" and event.client_id:
        name = event.name or ""
        welcome = Text(body=_welcome(name, event.document_kind or ""))
        started = {
            **session.started(turn, event.client_id, name),
            s.DOCUMENT_KIND: event.document_kind,
            s.CHAT_LOGIN: None,
            s.RESUME: None,
        }
        return resumed(turn, started, welcome) or Outcome(
            goto=ClientArea.HOME, say=(welcome,), slots=started, reset_trail=True
        )
    if event.result == "locked":
        if event.email_masked:  # the owner was e-mailed: someone has the password
            return _refused(turn, TEXTS["factor_locked"].format(email=event.email_masked))
        return _refused(turn, TEXTS["login_locked"])
    return Outcome(
        goto=ClientArea.START,
        say=(Text(body=TEXTS["flow_expired"]),),
        slots=s.forget(turn.slots),
        reset_trail=True,
    )


def password_prompt(conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
    document = s.text(conversation.slots, s.DOCUMENT_MASKED) or "—"
    return (Text(body=TEXTS["password"].format(document=document)),)


def _email(conversation: Conversation) -> str:
    return s.text(conversation.slots, s.EMAIL) or TEXTS["your_email"]


def email_prompt(conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
    body = TEXTS["email_code"].format(email=_email(conversation))
    return (Buttons(body=body, buttons=(RESEND,)),)


# -- the document and the password ------------------------------------------------------------


def _password(turn: Turn) -> Outcome:
    """The password leaves at once with the document, in one CheckLogin; neither is kept."""
    document = turn.slots.get(s.DOCUMENT)
    if not isinstance(document, str) or not document:  # back here with `voltar`
        return Outcome(goto=ClientArea.START, say=(Text(body=TEXTS["document_again"]),))
    text = typed(turn) or ""
    if forgot_password(text):  # not a try: nothing is checked, nothing counts
        return note(TEXTS["forgot_password_now"].format(site=SITE))
    command = CheckLogin(
        command_id=f"{event_key(turn.event)}:login", document=document, password=text
    )
    return Outcome(goto=ClientArea.CHECKING, slots={s.DOCUMENT: None}, commands=(command,))


def _still(_turn: Turn) -> Outcome:
    return note(TEXTS["still_checking"])


def _login_checked(turn: Turn) -> Outcome:
    event = turn.event
    assert isinstance(event, LoginChecked)
    if event.result == "ok" and event.client_id:
        pending = {
            s.DOCUMENT: None,
            s.PENDING_CLIENT: event.client_id,
            s.PENDING_NAME: event.name or "",
            s.DOCUMENT_MASKED: event.document_masked or s.text(turn.slots, s.DOCUMENT_MASKED),
            s.METHOD: event.second_factor,
            s.EMAIL: event.email_masked,
            s.RESENDS: 0,
        }
        if event.second_factor in ("totp", "email"):
            target = ClientArea.TOTP if event.second_factor == "totp" else ClientArea.EMAIL_CODE
            return Outcome(goto=target, slots=pending, reset_trail=True)
        return _refused(turn, TEXTS["no_second_factor"].format(site=SITE))
    if event.result == "failed":  # an unknown document and a wrong password alike
        text = TEXTS["login_failed"].format(site=SITE)
        return Outcome(goto=ClientArea.START, say=(Text(body=text),), slots=s.forget(turn.slots))
    if event.result == "locked":
        return _refused(turn, TEXTS["login_locked"])
    text = TEXTS["login_unavailable"]
    return Outcome(goto=ClientArea.START, say=(Text(body=text),), slots=s.forget(turn.slots))


def _refused(turn: Turn, text: str) -> Outcome:
    """No way in for now: to the main menu, the login forgotten."""
    return Outcome(
        goto=Elsewhere.MENU_MAIN,
        say=(Text(body=text),),
        slots=s.forget(turn.slots),
        reset_trail=True,
    )


# -- the second factor ----------------------------------------------------------------------


def _code(method: SecondFactor) -> Rule:
    def read(turn: Turn) -> Outcome:
        code = code_of(typed(turn) or "")
        if code is None:
            return reask(TEXTS["code_format"])
        client_id = s.text(turn.slots, s.PENDING_CLIENT)
        if not client_id:  # pragma: no cover - the login always leaves one
            return Outcome(goto=ClientArea.START, say=(Text(body=TEXTS["document_again"]),))
        command = CheckSecondFactor(
            command_id=f"{event_key(turn.event)}:2fa",
            client_id=client_id,
            method=method,
            code=code,
        )
        return Outcome(goto=ClientArea.CHECKING_CODE, commands=(command,))

    return Rule(handler=read, goes_to=(ClientArea.CHECKING_CODE, ClientArea.START))


def _email_tapped(turn: Turn) -> Outcome:
    event = turn.event
    if not isinstance(event, ButtonChosen | ListRowChosen) or event.choice_id != RESEND.id:
        return unclear(TEXTS["options_reask"])
    sent = turn.slots.get(s.RESENDS)
    count = sent if isinstance(sent, int) else 0
    if count >= MAX_RESENDS:
        return note(TEXTS["too_many_resends"])
    command = ResendEmailCode(
        command_id=f"{event_key(turn.event)}:resend",
        client_id=s.text(turn.slots, s.PENDING_CLIENT),
    )
    text = TEXTS["code_resent"].format(email=s.text(turn.slots, s.EMAIL) or TEXTS["your_email"])
    return Outcome(
        say=(Text(body=text),), slots={s.RESENDS: count + 1}, commands=(command,), prompt=False
    )


def _factor_checked(turn: Turn) -> Outcome:
    event = turn.event
    assert isinstance(event, SecondFactorChecked)
    slots = turn.slots
    if event.client_id != s.text(slots, s.PENDING_CLIENT):
        return Outcome(prompt=False)  # news of another login
    back = ClientArea.EMAIL_CODE if slots.get(s.METHOD) == "email" else ClientArea.TOTP
    if event.result == "ok":
        name = s.text(slots, s.PENDING_NAME)
        welcome = Text(body=_welcome(name, s.text(slots, s.DOCUMENT_KIND)))
        started = {**session.started(turn, event.client_id, name), s.RESUME: None}
        return resumed(turn, started, welcome) or Outcome(
            goto=ClientArea.HOME, say=(welcome,), slots=started, reset_trail=True
        )
    if event.result == "locked":
        if event.email_masked:  # the owner was e-mailed: someone has the password
            return _refused(turn, TEXTS["factor_locked"].format(email=event.email_masked))
        return _refused(turn, TEXTS["login_locked"])
    if event.result == "expired" and back == ClientArea.EMAIL_CODE:
        offer = Buttons(body=TEXTS["email_expired"], buttons=(RESEND,))
        return Outcome(goto=back, say=(offer,), prompt=False, reset_trail=True)
    key = {
        "failed": f"{back.removesuffix('_code')}_failed",
        "expired": "totp_expired",
    }.get(event.result, "code_unavailable")
    return Outcome(goto=back, say=(Text(body=TEXTS[key]),), reset_trail=True)


def _welcome(name: str, kind: str) -> str:
    """A person is greeted by first name; a company's account by its name, whole."""
    if kind == "cpf" and first_name(name):
        return TEXTS["welcome_person"].format(name=first_name(name))
    if kind == "cnpj" and shown(name):
        return TEXTS["welcome_company"].format(company=clip(name, 80))
    return TEXTS["welcome"]


STILL = Rule(handler=_still)

STATES: tuple[State, ...] = (
    State(
        name=ClientArea.START,
        prompt=start_prompt,
        rules={
            "text": Rule(handler=document_typed, goes_to=(ClientArea.PASSWORD,)),
            "choice": Rule(handler=_start_tapped, goes_to=(ClientArea.START,)),
            "flow_reply": Rule(handler=_flow_replied, goes_to=(ClientArea.FINISHING_LOGIN,)),
        },
        sensitive=True,
        on_enter=starters.ENTERED,
    ),
    State(
        name=ClientArea.FINISHING_LOGIN,
        prompt=text_prompt("checking"),
        rules={
            "flow_login_finished": Rule(
                handler=_flow_finished,
                goes_to=(ClientArea.HOME, *RESUMED_AT, ClientArea.START, Elsewhere.MENU_MAIN),
            ),
            "text": STILL,
            "choice": STILL,
        },
        resting=True,
        sensitive=True,
    ),
    State(
        name=ClientArea.PASSWORD,
        prompt=password_prompt,
        rules={"text": Rule(handler=_password, goes_to=(ClientArea.CHECKING, ClientArea.START))},
        sensitive=True,
    ),
    State(
        name=ClientArea.CHECKING,
        prompt=text_prompt("checking"),
        rules={
            "login_checked": Rule(
                handler=_login_checked,
                goes_to=(
                    ClientArea.TOTP,
                    ClientArea.EMAIL_CODE,
                    ClientArea.START,
                    Elsewhere.MENU_MAIN,
                ),
            ),
            "text": STILL,
            "choice": STILL,
        },
        resting=True,
        sensitive=True,  # a password or a code sent twice must not be kept either
    ),
    State(
        name=ClientArea.TOTP,
        prompt=text_prompt("totp"),
        rules={"text": _code("totp")},
        sensitive=True,
    ),
    State(
        name=ClientArea.EMAIL_CODE,
        prompt=email_prompt,
        rules={"text": _code("email"), "choice": Rule(handler=_email_tapped)},
        sensitive=True,
    ),
    State(
        name=ClientArea.CHECKING_CODE,
        prompt=text_prompt("checking_code"),
        rules={
            "second_factor_checked": Rule(
                handler=_factor_checked,
                goes_to=(
                    ClientArea.HOME,
                    *RESUMED_AT,
                    ClientArea.TOTP,
                    ClientArea.EMAIL_CODE,
                    Elsewhere.MENU_MAIN,
                ),
            ),
            "text": STILL,
            "choice": STILL,
        },
        resting=True,
        sensitive=True,  # a password or a code sent twice must not be kept either
    ),
)
