"""Qualification, second part: who to write to. The e-mail (for the receipt and the meeting
invitation), the name (the WhatsApp profile name offered first) and the optional CNPJ."""

from __future__ import annotations

from dataclasses import replace

from dresbach.features.techops.flow import lead
from dresbach.features.techops.flow.answers import is_no, is_yes, likely_domain, says
from dresbach.features.techops.flow.questions import (
    advance,
    options_question,
    reask,
    typed_question,
    unclear,
)
from dresbach.features.techops.flow.texts import BUTTONS, TEXTS
from dresbach.features.techops.states import TechOps
from dresbach.kernel.conversation import Conversation
from dresbach.kernel.documents import DocumentError, parse_document
from dresbach.kernel.flow_kit import choice_of, email_of, name_of
from dresbach.kernel.machine.machine import Outcome, State, Turn
from dresbach.kernel.messages import Button, Buttons, Message, Text
from dresbach.kernel.policy import Policy

# -- e-mail -------------------------------------------------------------------------------------


def profile_name(conversation: Conversation) -> str | None:
    """The WhatsApp profile name, when it reads as a person's name."""
    return name_of(conversation.profile_name or "")


def _email(typed: str, turn: Turn) -> Outcome:
    """A valid address; one that looks mistyped is questioned once, and kept if sent again."""
    address = email_of(typed)
    if address is None:
        return reask(TEXTS["email_invalid"])
    domain = address.rsplit("@", 1)[1]
    suggested = likely_domain(domain)
    if suggested and turn.slots.get(lead.EMAIL_DOUBT) != address:
        text = TEXTS["email_typo"].format(typed=domain, suggested=suggested)
        return Outcome(say=(Text(body=text),), slots={lead.EMAIL_DOUBT: address})  # a doubt
    following = TechOps.NAME_CONFIRM if profile_name(turn.conversation) else TechOps.NAME
    return advance(turn, following, {lead.EMAIL: address, lead.EMAIL_DOUBT: None})


# -- name ---------------------------------------------------------------------------------------


def name_confirm_prompt(conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
    name = profile_name(conversation)
    if name is None:
        return (Text(body=TEXTS["name"]),)
    buttons = (
        Button(id="name:profile", title=BUTTONS["name_yes"]),
        Button(id="name:other", title=BUTTONS["name_other"]),
    )
    return (Buttons(body=TEXTS["name_confirm"].format(name=name), buttons=buttons),)


def _named(turn: Turn, name: str) -> Outcome:
    return advance(turn, TechOps.CNPJ_CHOICE, {lead.NAME: name})


def _name_tapped(turn: Turn) -> Outcome:
    name, choice = profile_name(turn.conversation), choice_of(turn, "name:")
    if choice == "profile" and name:
        return _named(turn, name)
    if choice == "other" or name is None:
        return Outcome(goto=TechOps.NAME)
    return unclear(TEXTS["name_confirm_reask"])


def _name_confirm_typed(typed: str, turn: Turn) -> Outcome:
    profile = profile_name(turn.conversation)
    if is_yes(typed) and profile:
        return _named(turn, profile)
    if is_no(typed) or says(typed, "outro", "outro nome", "trocar", "mudar"):
        return Outcome(goto=TechOps.NAME)
    name = name_of(typed)  # the customer simply typed their name
    return _named(turn, name) if name else unclear(TEXTS["name_confirm_reask"])


def _name(typed: str, turn: Turn) -> Outcome:
    name = name_of(typed)
    return _named(turn, name) if name else reask(TEXTS["name_reask"])


# -- CNPJ ---------------------------------------------------------------------------------------

_SKIP = ("pular", "pula", "sem cnpj", "nao tenho", "nao sei", "nao quero informar")


def _skips(typed: str) -> bool:
    return is_no(typed) or says(typed, *_SKIP)


def cnpj_choice_prompt(_conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
    buttons = (
        Button(id="cnpj:give", title=BUTTONS["cnpj_give"]),
        Button(id="cnpj:skip", title=BUTTONS["cnpj_skip"]),
    )
    return (Buttons(body=TEXTS["cnpj_choice"], buttons=buttons),)


def _done(cnpj: str | None) -> Outcome:
    return Outcome(goto=TechOps.SUMMARY, slots={lead.CNPJ: cnpj, lead.FIXING: False})


CNPJ_ERRORS = {
    "empty": "cnpj_empty",
    "characters": "cnpj_characters",
    "length": "cnpj_length",
    "letters": "cnpj_letters",
    "repeated": "cnpj_repeated",
    "check_digits": "cnpj_invalid",
}
"""The catalog's answer to each reason a CNPJ is refused: none repeats what was typed."""


def _read_cnpj(typed: str) -> str | Outcome:
    """The normalised CNPJ (numeric or alphanumeric), or the re-ask saying why not. Words with
    hardly a digit are a sentence, not a CNPJ mistyped (every CNPJ ends in two digits)."""
    if sum(ch.isdigit() for ch in typed) < 2:
        return reask(TEXTS["cnpj_empty"])
    try:
        document = parse_document(typed)
    except DocumentError as error:
        return reask(TEXTS[CNPJ_ERRORS.get(error.reason, "cnpj_characters")])
    if document.kind != "cnpj":
        return reask(TEXTS["cnpj_is_cpf"])
    return document.value


def _cnpj_choice_tapped(turn: Turn) -> Outcome:
    choice = choice_of(turn, "cnpj:")
    if choice == "give":
        return Outcome(goto=TechOps.CNPJ)
    if choice == "skip":
        return _done(None)
    return unclear(TEXTS["cnpj_choice_reask"])


def _cnpj_choice_typed(typed: str, _turn: Turn) -> Outcome:
    if _skips(typed):
        return _done(None)
    if is_yes(typed) or says(typed, "informar", "informar cnpj"):
        return Outcome(goto=TechOps.CNPJ)
    if sum(ch.isdigit() for ch in typed) >= 8:  # the CNPJ itself, typed straight away
        read = _read_cnpj(typed)
        return _done(read) if isinstance(read, str) else Outcome(goto=TechOps.CNPJ, say=read.say)
    return unclear(TEXTS["cnpj_choice_reask"])


def _cnpj(typed: str, _turn: Turn) -> Outcome:
    if _skips(typed):
        return _done(None)
    read = _read_cnpj(typed)
    return _done(read) if isinstance(read, str) else read


STATES: tuple[State, ...] = (
    typed_question(TechOps.EMAIL, _email, TechOps.NAME_CONFIRM, TechOps.NAME, TechOps.SUMMARY),
    options_question(
        TechOps.NAME_CONFIRM,
        name_confirm_prompt,
        _name_tapped,
        _name_confirm_typed,
        TechOps.CNPJ_CHOICE,
        TechOps.NAME,
        TechOps.SUMMARY,
    ),
    typed_question(TechOps.NAME, _name, TechOps.CNPJ_CHOICE, TechOps.SUMMARY),
    # The CNPJ may be typed in both: the inbox keeps no copy of what is said there.
    replace(
        options_question(
            TechOps.CNPJ_CHOICE,
            cnpj_choice_prompt,
            _cnpj_choice_tapped,
            _cnpj_choice_typed,
            TechOps.CNPJ,
            TechOps.SUMMARY,
        ),
        sensitive=True,
    ),
    replace(typed_question(TechOps.CNPJ, _cnpj, TechOps.SUMMARY), sensitive=True),
)
