"""The house rules over every flow table and every text, and the README's diagrams."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from dresbach.cli.main import main
from dresbach.features.registry import MACHINE
from dresbach.kernel.machine.diagram import BEGIN, END, markdown, mermaid
from dresbach.kernel.machine.lint import lint, lint_graph, lint_messages, lint_texts
from dresbach.kernel.machine.machine import Flow, Outcome, Rule, State
from dresbach.kernel.messages import Button, Buttons, Text

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_flows_obey_the_house_rules() -> None:
    assert lint(MACHINE) == []


def test_dresbach_flows_lint_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["flows", "lint"]) == 0
    assert "Fluxos ok" in capsys.readouterr().out


def test_the_lint_catches_two_questions_in_one_text() -> None:
    problems = lint_texts({"x": {"bad": "Qual é o seu nome? E o seu e-mail?"}})
    assert problems == ["x.bad: more than one question in one message"]


def test_the_lint_catches_whatsapp_limits_and_questions_in_messages() -> None:
    long_title = Buttons(body="Escolha uma opção.", buttons=(Button(id="a", title="x" * 21),))
    two = Text(body="Tudo bem? Podemos seguir?")
    problems = lint_messages("s", [long_title, two])
    assert any("button title has 21 characters" in p for p in problems)
    assert any("more than one question" in p for p in problems)


def _prompt(*_args: object) -> tuple[Text, ...]:
    return (Text(body="Oi."),)


def test_the_lint_catches_unreachable_states_and_states_without_a_way_out() -> None:
    island = State(name="island", prompt=_prompt)
    dead_end = State(name="dead_end", prompt=_prompt)
    start = State(
        name="start",
        prompt=_prompt,
        rules={"text": Rule(handler=lambda _t: Outcome(goto="dead_end"), goes_to=("dead_end",))},
    )
    broken = Flow(
        name="handoff",
        title="t",
        entry="start",
        states={"start": start, "dead_end": dead_end, "island": island},
    )
    problems = lint_graph(replace(MACHINE, flows={**MACHINE.flows, "handoff": broken}))
    assert "handoff.island: unreachable" in problems
    assert "handoff.dead_end: no way out (declare one or rest)" in problems


def test_every_state_of_every_flow_is_in_its_diagram() -> None:
    for flow in MACHINE.flows.values():
        diagram = mermaid(flow)
        for state in flow.states:
            assert state in diagram, f"{flow.name}.{state} missing from its diagram"


def test_the_readme_shows_the_current_flow_diagrams() -> None:
    readme = README.read_text("utf-8")
    assert BEGIN in readme, "README lacks the generated flows block"
    assert END in readme, "README lacks the end of the generated flows block"
    start, end = readme.index(BEGIN), readme.index(END) + len(END)
    assert readme[start:end] == markdown(MACHINE.flows), (
        "README diagrams are stale: run `dresbach flows diagram --write README.md`"
    )
