"""Showing an answer, and what "Sim" or "Não" to "Isso resolveu?" does.

Whoever found the answer (the router, from free text at the menu) enters the flow with
`opening(answer)`: the answer as its own message, then the question with two buttons. The
answer's next step travels in the slots, so the flow needs nothing but the conversation.
"""

from __future__ import annotations

from dresbach.features.faq.flow.texts import BUTTONS, TEXTS
from dresbach.features.faq.model import Answer, NextStep
from dresbach.features.faq.states import Elsewhere, Faq
from dresbach.kernel.conversation import Conversation
from dresbach.kernel.events import ButtonChosen, Event, TextReceived
from dresbach.kernel.machine.machine import Outcome, Turn
from dresbach.kernel.messages import Button, Buttons, Message, Text
from dresbach.kernel.policy import Policy
from dresbach.kernel.text import normalize, yes_or_no

ENTRY = Faq.ASKED.qualified
"""The state an answer leads to, as a rule of another flow names it in its `goes_to`."""
ANSWER = "faq.answer"
NEXT_STEP = "faq.next_step"
OPTION_PREFIX = "faq:"

NEXT: dict[NextStep, tuple[str, str]] = {
    NextStep.LOGIN: (Elsewhere.CLIENT_AREA, "next_login"),
    NextStep.TICKET: (Elsewhere.CLIENT_AREA, "next_ticket"),
    NextStep.PERSON: (Elsewhere.HANDOFF, "next_person"),
}
"""Where a "Não" leads for each next step, and what is said on the way."""
LEADS_TO = (Elsewhere.MENU_MAIN, Elsewhere.CLIENT_AREA, Elsewhere.HANDOFF)

_NO = ("nao", "n", "negativo", "ainda nao", "nem", "continua", "mesmo problema", "nao deu")
_YES: tuple[str, ...] = (
    "sim",
    "s",
    "resolveu",
    "ajudou",
    "deu certo",
    "consegui",
    "era isso",
    "funcionou",
)
_YES += ("ok", "beleza", "perfeito", "show", "otimo", "isso", "certo", "entendi")


def opening(answer: Answer) -> Outcome:
    """The outcome that shows `answer` and asks whether it resolved (from any flow: its rule
    declares `ENTRY`). Not merged: the answer is long, the question stays a message of its
    own with its buttons."""
    return Outcome(
        goto=ENTRY,
        say=(Text(body=answer.text),),
        slots={ANSWER: answer.id, NEXT_STEP: answer.next_step.value},
        merge=False,
    )


def asked(_conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
    buttons = tuple(Button(id=f"{OPTION_PREFIX}{k}", title=t) for k, t in BUTTONS.items())
    return (Buttons(body=TEXTS["asked"], buttons=buttons),)


def resolution_of(event: Event) -> bool | None:
    """True for "Sim", False for "Não" (tapped or typed), None when it is neither."""
    if isinstance(event, ButtonChosen) and event.choice_id.startswith(OPTION_PREFIX):
        return event.choice_id == f"{OPTION_PREFIX}yes"
    if not isinstance(event, TextReceived):
        return None
    return yes_or_no(normalize(event.body), _YES, _NO)


def next_step_of(turn: Turn) -> NextStep:
    """The answer's next step (a person when the slot is gone: someone always helps)."""
    value = turn.slots.get(NEXT_STEP)
    return NextStep(value) if value in set(NextStep) else NextStep.PERSON


def answered(turn: Turn) -> Outcome:
    """Sim: a natural close, back to the menu. Não: the answer's next step."""
    resolved = resolution_of(turn.event)
    if resolved is None:
        return Outcome(say=(Text(body=TEXTS["not_understood"]),), missed="unclear")
    if resolved:
        return Outcome(
            goto=Elsewhere.MENU_MAIN, say=(Text(body=TEXTS["resolved"]),), reset_trail=True
        )
    target, text = NEXT[next_step_of(turn)]
    return Outcome(goto=target, say=(Text(body=TEXTS[text]),))
