"""The FAQ's flow beside the registered ones, and a stand-in for the router's hook.

Until the router leads free text to the FAQ (another work package) and the FAQ is registered,
these tests add two flows to the machine the transcript steps: `faq` itself, and `ask`, one
state whose text rule does what the router's hook will do: `matcher.match(text)`, then
`opening(answer)`.
"""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType

import pytest

from dresbach.features.faq import matcher
from dresbach.features.faq.flow import ENTRY, FLOW, opening
from dresbach.features.registry import MACHINE
from dresbach.kernel.conversation import Conversation, Place
from dresbach.kernel.events import TextReceived
from dresbach.kernel.machine.machine import Flow, Outcome, Rule, State, Turn
from dresbach.kernel.machine.states import States
from dresbach.kernel.messages import Message, Text
from dresbach.kernel.policy import Policy
from tests.support import transcript as transcript_module
from tests.support.transcript import Transcript


class Ask(States, flow="ask"):
    START = "start"


def _prompt(_conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
    return (Text(body="Escreva a sua dúvida."),)


def _asked(turn: Turn) -> Outcome:
    event = turn.event
    answer = matcher.match(event.body) if isinstance(event, TextReceived) else None
    if answer is None:
        return Outcome(say=(Text(body="Sem resposta pronta."),), missed="unclear")
    return opening(answer)


ASK = Flow(
    name=Ask.flow,
    names=Ask,
    title="Dúvida",
    entry=Ask.START,
    states=MappingProxyType(
        {
            Ask.START: State(
                name=Ask.START,
                prompt=_prompt,
                rules={"text": Rule(handler=_asked, goes_to=(ENTRY,))},
            )
        }
    ),
)


@pytest.fixture
def chat(monkeypatch: pytest.MonkeyPatch) -> Transcript:
    """A customer at the stand-in's question, the FAQ registered beside the other flows."""
    flows = MappingProxyType({**MACHINE.flows, FLOW.name: FLOW, ASK.name: ASK})
    monkeypatch.setattr(transcript_module, "MACHINE", replace(MACHINE, flows=flows))
    transcript = Transcript()
    assert transcript.conversation is not None
    transcript.conversation = Conversation(
        key=transcript.conversation.key,
        address=transcript.conversation.address,
        place=Place(flow=Ask.flow, state=Ask.START),
        last_activity_at=transcript.now,
    )
    return transcript
