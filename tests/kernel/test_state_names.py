"""State names are checked by the language (an enum per flow), and the lint holds each table to
its enum: a mistyped state is an error, never a silent miss."""

from __future__ import annotations

from dataclasses import replace

import pytest

from dresbach.features.registry import MACHINE
from dresbach.features.techops.states import TechOps
from dresbach.kernel.machine.lint import lint_names
from dresbach.kernel.machine.machine import Flow, Outcome, Rule, State, qualify
from dresbach.kernel.machine.states import States
from dresbach.kernel.messages import Text


class Sample(States, flow="sample"):
    START = "start"
    DONE = "done"


def _prompt(*_args: object) -> tuple[Text, ...]:
    return (Text(body="Oi."),)


def _flow(*names: str, entry: str = "start", enum: type[States] | None = Sample) -> Flow:
    return Flow(
        name="sample",
        title="t",
        entry=entry,
        states={name: State(name=name, prompt=_prompt) for name in names},
        names=enum,
    )


def test_a_mistyped_state_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError):
        _ = TechOps.BOKED  # type: ignore[attr-defined]  # what mypy reports, as here


def test_a_member_is_the_name_it_stands_for() -> None:
    name: str = TechOps.BOOKED
    assert name == "booked"
    assert {"booked": 1}[TechOps.BOOKED] == 1
    assert TechOps.BOOKED.qualified == "techops.booked"
    assert TechOps.flow == "techops"
    flow, state = qualify("techops", TechOps.BOOKED)
    assert (flow, state) == ("techops", "booked")
    assert type(state) is str  # a conversation's place keeps the plain name


def test_every_flow_declares_the_enum_of_its_states() -> None:
    assert all(flow.names is not None for flow in MACHINE.flows.values())
    assert lint_names(MACHINE.flows) == []


def test_the_lint_rejects_a_state_its_enum_does_not_name() -> None:
    problems = lint_names({"sample": _flow("start", "done", "dnoe")})
    assert problems == ["sample.dnoe: not a member of Sample (dnoe)"]


def test_the_lint_rejects_an_entry_its_enum_does_not_name() -> None:
    problems = lint_names({"sample": _flow("start", "done", entry="begin")})
    assert problems == ["sample.begin: not a member of Sample (entry)"]


def test_the_lint_rejects_a_member_without_a_state() -> None:
    problems = lint_names({"sample": _flow("start")})
    assert problems == ["sample.done: a member of Sample without a state"]


def test_the_lint_rejects_a_flow_without_an_enum_or_with_another_flows() -> None:
    class Other(States, flow="other"):
        START = "start"
        DONE = "done"

    assert lint_names({"sample": _flow("start", "done", enum=None)}) == [
        "sample: no enum of its state names (Flow.names)"
    ]
    assert lint_names({"sample": _flow("start", "done", enum=Other)}) == [
        "sample: its names are those of flow 'other'"
    ]


def test_a_rule_leading_to_an_unnamed_state_is_caught_by_the_graph_lint() -> None:
    from dresbach.kernel.machine.lint import lint_graph

    start = State(
        name=Sample.START,
        prompt=_prompt,
        rules={"text": Rule(handler=lambda _t: Outcome(goto="dnoe"), goes_to=("dnoe",))},
    )
    broken = Flow(
        name="handoff",
        title="t",
        entry=Sample.START,
        states={Sample.START: start},
    )
    problems = lint_graph(replace(MACHINE, flows={**MACHINE.flows, "handoff": broken}))
    assert "handoff.start: leads to unknown state handoff.dnoe" in problems
