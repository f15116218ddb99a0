"""The hand-off transition table: bot → waiting for a person → with a person → back to the bot.

    start ─(enter: RequestHandOff)→ waiting ─human_joined→ with_human ─human_left→ menu.main
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
from dresbach.kernel.machine.machine import ANY, LEAVE, Flow, Outcome, Prompt, Rule, State


def _customer(handler: Rule) -> dict[str, Rule]:
    return {kind: handler for kind in ("text", "choice", "media", ANY)}


def _attended(name: str, prompt: Prompt, says: Rule) -> State:
    """A state where a person is (about to be) in charge: what the customer writes goes by
    `says`, the operators' news is heard, and `menu` asks before leaving."""
    return State(
        name=name,
        prompt=prompt,
        rules={**_customer(says), **news_rules(name), LEAVE: asks_to_leave(name)},
        resting=True,
        attended=True,
    )


_ENTER = Rule(handler=request, goes_to=("waiting",), label="atendente")

STATES: dict[str, State] = {
    "start": State(
        name="start",
        prompt=start_prompt,
        on_enter=_ENTER,
        rules={ANY: Rule(handler=request, goes_to=("waiting",))},
    ),
    "waiting": _attended("waiting", waiting_prompt, Rule(handler=waiting_says)),
    "unanswered": _attended(
        "unanswered",
        unanswered_prompt,
        Rule(handler=unanswered_says, goes_to=("waiting", "menu.main")),
    ),
    "with_human": _attended("with_human", with_human_prompt, Rule(handler=with_human_says)),
    "confirm_leave": State(
        name="confirm_leave",
        prompt=confirm_leave_prompt,
        rules={
            **_customer(
                Rule(
                    handler=confirm_leave_says,
                    goes_to=("menu.main", "waiting", "unanswered", "with_human"),
                )
            ),
            **news_rules("confirm_leave"),
            LEAVE: Rule(handler=lambda _turn: Outcome(), label="menu"),
        },
        resting=True,
        attended=True,
    ),
}

FLOW = Flow(
    name="handoff",
    title="Atendimento humano",
    entry="start",
    states=STATES,
    keeps_trail=True,
    interrupts={
        "human_joined": Rule(handler=joined, goes_to=("handoff.with_human",), label="human_joined"),
        "operator_said": Rule(handler=said, goes_to=("handoff.with_human",), label="operator_said"),
    },
)
