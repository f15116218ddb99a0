"""The login: CPF/CNPJ, password, then a second factor that does not travel through this chat.

    start → password → checking ─login_checked─▶ totp | email_code → checking_code ─▶ home
                                └▶ start (failed, unavailable) | menu.main (locked, no 2FA)

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

from dataclasses import replace

from dresbach.features.client_area.flow import slots as s
from dresbach.features.client_area.flow.answers import (
    code_of,
    note,
    reask,
    typed,
    unclear,
)
from dresbach.features.client_area.flow.display import clip, first_name, shown, text_prompt
from dresbach.features.client_area.flow.labels import BUTTONS
from dresbach.features.client_area.flow.texts import SITE, TEXTS
from dresbach.features.client_area.login import session, starters
from dresbach.features.client_area.login.sentences import (
    HUMAN,
    MENU,
    document_typed,
    forgot_password,
)
from dresbach.features.client_area.model import (
    CheckLogin,
    CheckSecondFactor,
    LoginChecked,
    ResendEmailCode,
    SecondFactor,
    SecondFactorChecked,
)
from dresbach.features.client_area.states import ClientArea, Elsewhere
from dresbach.kernel.conversation import Conversation
from dresbach.kernel.events import ButtonChosen, ListRowChosen
from dresbach.kernel.flow_kit import event_key
from dresbach.kernel.machine.machine import Outcome, Rule, State, Turn
from dresbach.kernel.messages import Button, Buttons, Message, Text
from dresbach.kernel.policy import Policy

RESEND = Button(id="ca:resend", title=BUTTONS["resend"])
MAX_RESENDS = 3

# -- prompts --------------------------------------------------------------------------------


def start_prompt(_conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
    return (Buttons(body=TEXTS["start"], buttons=(HUMAN, MENU)),)


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
        started = session.started(turn, event.client_id, name)
        where = s.text(slots, s.AFTER_LOGIN)
        if where in starters.LEADS:  # a WhatsApp command or starter asked for it
            led = starters.lead(turn, where, event.client_id)
            return replace(led, say=(welcome,), slots={**started, **led.slots})
        return Outcome(goto=ClientArea.HOME, say=(welcome,), slots=started, reset_trail=True)
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
        rules={"text": Rule(handler=document_typed, goes_to=(ClientArea.PASSWORD,))},
        sensitive=True,
        on_enter=starters.ENTERED,
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
                    *starters.ENTERED.goes_to,
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
