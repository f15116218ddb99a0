"""The hand-off transition table: bot → waiting for a person → with a person → back to the bot.

    start ─(enter: RequestHandOff)→ waiting ─human_joined→ with_human ─human_left→ menu.main
    with_human ─human_left (closed, within 24 h)→ rating ─score→ rating_comment ─→ menu.main
    waiting ─handoff_unanswered→ unanswered ─(callback | keep waiting)→ waiting
    waiting | unanswered | with_human ─menu→ confirm_leave ─yes→ menu.main (EndHandOff)
                                                            └─no→ back where it was

Every state but `start` is attended: the bot sends nothing on its own there (news for other
flows is held back by the router) and, of the global commands, only `menu` counts — it asks
before leaving the person. What the customer writes goes to the person (`ForwardToHuman`).
"""

from __future__ import annotations

from dresbach.features.handoff.flow.customer import (
    asks_to_leave,
    confirm_leave_prompt,
    confirm_leave_says,
    request,
    start_prompt,
    unanswered_prompt,
    unanswered_says,
    waiting_prompt,
    waiting_says,
    with_human_prompt,
    with_human_says,
)
from dresbach.features.handoff.flow.news import (
    joined,
    news_rules,
    said,
)
from dresbach.features.handoff.flow.rating import (
    comment_prompt,
    comment_says,
    rating_prompt,
    rating_says,
)
from dresbach.features.handoff.states import Elsewhere, Handoff
from dresbach.kernel.machine.machine import ANY, LEAVE, Flow, Outcome, Prompt, Rule, State


def _customer(handler: Rule) -> dict[str, Rule]:
    return {kind: handler for kind in ("text", "choice", "media", ANY)}


def _attended(name: Handoff, prompt: Prompt, says: Rule) -> State:
    """A state where a person is (about to be) in charge: what the customer writes goes by
    `says`, the operators' news is heard, and `menu` asks before leaving."""
    return State(
        name=name,
        prompt=prompt,
        rules={**_customer(says), **news_rules(name), LEAVE: asks_to_leave(name)},
        resting=True,
        attended=True,
    )


_ENTER = Rule(handler=request, goes_to=(Handoff.WAITING,), label="atendente")

STATES: dict[str, State] = {
    Handoff.START: State(
        name=Handoff.START,
        prompt=start_prompt,
        on_enter=_ENTER,
        rules={ANY: Rule(handler=request, goes_to=(Handoff.WAITING,))},
    ),
    Handoff.WAITING: _attended(Handoff.WAITING, waiting_prompt, Rule(handler=waiting_says)),
    Handoff.UNANSWERED: _attended(
        Handoff.UNANSWERED,
        unanswered_prompt,
        Rule(handler=unanswered_says, goes_to=(Handoff.WAITING, Elsewhere.MENU_MAIN)),
    ),
    Handoff.WITH_HUMAN: _attended(
        Handoff.WITH_HUMAN, with_human_prompt, Rule(handler=with_human_says)
    ),
    Handoff.CONFIRM_LEAVE: State(
        name=Handoff.CONFIRM_LEAVE,
        prompt=confirm_leave_prompt,
        rules={
            **_customer(
                Rule(
                    handler=confirm_leave_says,
                    goes_to=(
                        Elsewhere.MENU_MAIN,
                        Handoff.WAITING,
                        Handoff.UNANSWERED,
                        Handoff.WITH_HUMAN,
                    ),
                )
            ),
            **news_rules(Handoff.CONFIRM_LEAVE),
            LEAVE: Rule(handler=lambda _turn: Outcome(), label="menu"),
        },
        resting=True,
        attended=True,
    ),
    Handoff.RATING: State(
        name=Handoff.RATING,
        prompt=rating_prompt,
        rules=_customer(
            Rule(handler=rating_says, goes_to=(Handoff.RATING_COMMENT, Elsewhere.MENU_MAIN))
        ),
    ),
    Handoff.RATING_COMMENT: State(
        name=Handoff.RATING_COMMENT,
        prompt=comment_prompt,
        rules=_customer(Rule(handler=comment_says, goes_to=(Elsewhere.MENU_MAIN,))),
    ),
}

FLOW = Flow(
    name=Handoff.flow,
    names=Handoff,
    title="Atendimento humano",
    entry=Handoff.START,
    states=STATES,
    keeps_trail=True,
    interrupts={
        "human_joined": Rule(
            handler=joined, goes_to=(Handoff.WITH_HUMAN.qualified,), label="human_joined"
        ),
        "operator_said": Rule(
            handler=said, goes_to=(Handoff.WITH_HUMAN.qualified,), label="operator_said"
        ),
    },
)
