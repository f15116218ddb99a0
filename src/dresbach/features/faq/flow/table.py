"""The `faq` transition table: an answer was shown, and "Isso resolveu?" waits.

(any flow: opening(answer)) → asked → menu.main          (Sim: a natural close)
                                    → client_area.start  (Não: login, or login then a chamado)
                                    → handoff.start      (Não: a person)
"""

from __future__ import annotations

from types import MappingProxyType

from dresbach.features.faq.flow.steps import LEADS_TO, answered, asked
from dresbach.features.faq.states import Faq
from dresbach.kernel.machine.machine import Flow, Rule, State

_ANSWERED = Rule(handler=answered, goes_to=LEADS_TO)

STATES = (
    State(
        name=Faq.ASKED,
        prompt=asked,
        rules={"choice": _ANSWERED, "text": _ANSWERED},
        listens=True,  # what is neither sim nor não may be another question, or a request
    ),
)

FLOW = Flow(
    name=Faq.flow,
    names=Faq,
    title="Perguntas frequentes",
    entry=Faq.ASKED,
    states=MappingProxyType({state.name: state for state in STATES}),
)
