"""`dresbach flows lint`: the house rules, checked over every table and every text.

- at most one question per text;
- WhatsApp's limits on every prompt each state can show;
- every state reachable from the menu, and every state with a way out.
"""

from __future__ import annotations

import re
import string
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

from dresbach.domain.conversation import Conversation, Place
from dresbach.domain.limits import violations
from dresbach.domain.messages import Message, visible_texts
from dresbach.domain.policy import Policy
from dresbach.flows.machine import ANYWHERE, Flow, edges, qualify
from dresbach.flows.registry import CATALOGS, FLOWS

QUESTION = re.compile(r"\?")


class _Sample(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "Exemplo"


def sample(template: str) -> str:
    """A text with every placeholder filled, to be measured."""
    fields = [f for _, f, _, _ in string.Formatter().parse(template) if f]
    return template.format_map(_Sample({f: "Exemplo" for f in fields}))


def count_questions(text: str) -> int:
    return len(QUESTION.findall(text))


def lint_texts(catalogs: Mapping[str, Mapping[str, str]]) -> list[str]:
    problems = []
    for name, catalog in catalogs.items():
        for key, template in catalog.items():
            text = sample(template)
            if count_questions(text) > 1:
                problems.append(f"{name}.{key}: more than one question in one message")
            if len(text) > 4096:
                problems.append(f"{name}.{key}: longer than a WhatsApp text (4096)")
    return problems


def lint_messages(where: str, messages: Iterable[Message]) -> list[str]:
    problems = []
    for message in messages:
        questions = sum(count_questions(t) for t in visible_texts(message))
        if questions > 1:
            problems.append(f"{where}: a message asks more than one question")
        problems += [f"{where}: {p}" for p in violations(message)]
    return problems


def lint_prompts(flows: Mapping[str, Flow], policy: Policy) -> list[str]:
    problems = []
    sample_conversation = Conversation(
        key="lint", address="5511900000000", profile_name="Maria Exemplo"
    )
    for flow in flows.values():
        for state in flow.states.values():
            conversation = _at(sample_conversation, Place(flow=flow.name, state=state.name))
            try:
                prompt = state.prompt(conversation, policy)
            except Exception as error:
                problems.append(f"{flow.name}.{state.name}: prompt fails on sample data: {error}")
                continue
            problems += lint_messages(f"{flow.name}.{state.name}", prompt)
    return problems


def _at(conversation: Conversation, place: Place) -> Conversation:
    from dataclasses import replace

    return replace(conversation, place=place, last_activity_at=datetime(2026, 1, 1, tzinfo=UTC))


def lint_graph(flows: Mapping[str, Flow]) -> list[str]:
    problems = []
    graph: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    anywhere: set[tuple[str, str]] = set()
    for flow in flows.values():
        for source, _kind, to_flow, to_state in edges(flow):
            if to_flow not in flows or to_state not in flows[to_flow].states:
                problems.append(
                    f"{flow.name}.{source}: leads to unknown state {to_flow}.{to_state}"
                )
                continue
            if source == ANYWHERE:
                anywhere.add((to_flow, to_state))
            else:
                graph[(flow.name, source)].add((to_flow, to_state))
    # global commands reach each flow's entry and the menu from anywhere
    roots = [("menu", "new"), ("menu", "main"), ("menu", "idle")]
    roots += [qualify("handoff", f"handoff.{flows['handoff'].entry}")]
    roots += sorted(anywhere)
    seen: set[tuple[str, str]] = set()
    todo = list(roots)
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        todo.extend(graph.get(node, ()))
    for flow in flows.values():
        for state in flow.states.values():
            node = (flow.name, state.name)
            if node not in seen:
                problems.append(f"{flow.name}.{state.name}: unreachable")
            outgoing = graph.get(node, set()) - {node}
            if not outgoing and not state.resting and node not in roots[:1]:
                problems.append(f"{flow.name}.{state.name}: no way out (declare one or rest)")
    return problems


def lint(policy: Policy | None = None) -> list[str]:
    """Every problem found, in words; empty when the flows obey the house rules."""
    return lint_texts(CATALOGS) + lint_prompts(FLOWS, policy or Policy()) + lint_graph(FLOWS)
